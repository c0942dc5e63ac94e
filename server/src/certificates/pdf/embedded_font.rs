//! One font face, subset to the glyphs a document uses and embedded as a
//! CID-keyed font with a ToUnicode map, so that any name prints and the text
//! can be searched and copied.
//!
//! Glyphs are looked up one character at a time, without shaping: enough for
//! alphabetic scripts once names are in NFC (precomposed accents), not for
//! scripts that need contextual shaping.

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Finish, Name, Pdf, Rect, Ref, Str};
use std::collections::BTreeMap;
use subsetter::GlyphRemapper;

/// A font file from typst-assets, chosen by its full name.
#[derive(Debug)]
pub(super) struct FontFile {
    data: &'static [u8],
    face: ttf_parser::Face<'static>,
    postscript_name: String,
}

/// Why a shipped font could not be used; a build problem, not a user's.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("the font {0:?} is not among typst-assets' fonts")]
    Missing(&'static str),
    #[error("the font could not be subset: {0}")]
    Subset(String),
}

impl FontFile {
    pub(super) fn find(full_name: &'static str) -> Result<Self, FontError> {
        typst_assets::fonts()
            .find_map(|data| {
                let face = ttf_parser::Face::parse(data, 0).ok()?;
                let name = |id| {
                    face.names()
                        .into_iter()
                        .find(|n| n.name_id == id && n.is_unicode())
                        .and_then(|n| n.to_string())
                };
                if name(ttf_parser::name_id::FULL_NAME)? != full_name {
                    return None;
                }
                let postscript_name =
                    name(ttf_parser::name_id::POST_SCRIPT_NAME).unwrap_or_else(|| full_name.replace(' ', ""));
                Some(Self {
                    data,
                    face,
                    postscript_name,
                })
            })
            .ok_or(FontError::Missing(full_name))
    }

    fn units_per_em(&self) -> f32 {
        f32::from(self.face.units_per_em())
    }
}

/// A font as one document uses it: the glyphs shown so far, renumbered
/// densely for the subset (the new glyph id is the CID written in the text).
pub(super) struct UsedFont<'f> {
    file: &'f FontFile,
    remapper: GlyphRemapper,
    /// New glyph id → the text it stands for, for the ToUnicode map.
    text_of: BTreeMap<u16, String>,
    /// New glyph id → advance width in thousandths of an em.
    widths: BTreeMap<u16, f32>,
}

/// Text encoded for a `Tj` operator, and its width at 1 pt.
pub(super) struct Encoded {
    pub bytes: Vec<u8>,
    pub width_per_pt: f32,
}

impl<'f> UsedFont<'f> {
    pub(super) fn new(file: &'f FontFile) -> Self {
        Self {
            file,
            remapper: GlyphRemapper::new(),
            text_of: BTreeMap::new(),
            widths: BTreeMap::new(),
        }
    }

    /// The width of `text` at 1 pt, without adding its glyphs to the subset.
    pub(super) fn measure(&self, text: &str) -> f32 {
        text.chars()
            .map(|c| self.advance(self.file.face.glyph_index(c).unwrap_or_default()))
            .sum::<f32>()
            / 1000.0
    }

    fn advance(&self, glyph: ttf_parser::GlyphId) -> f32 {
        f32::from(self.file.face.glyph_hor_advance(glyph).unwrap_or(0)) * 1000.0 / self.file.units_per_em()
    }

    /// Encodes `text` as two-byte CIDs, adding its glyphs to the subset. A
    /// character the font lacks shows as the font's "missing" box.
    pub(super) fn encode(&mut self, text: &str) -> Encoded {
        let mut bytes = Vec::with_capacity(text.len() * 2);
        let mut width = 0.0;
        for c in text.chars() {
            let glyph = self.file.face.glyph_index(c).unwrap_or_default();
            let cid = self.remapper.remap(glyph.0);
            let advance = self.advance(glyph);
            width += advance;
            self.widths.insert(cid, advance);
            if glyph.0 != 0 {
                self.text_of.entry(cid).or_insert_with(|| c.to_string());
            }
            bytes.extend_from_slice(&cid.to_be_bytes());
        }
        Encoded {
            bytes,
            width_per_pt: width / 1000.0,
        }
    }

    /// Writes the Type0 font `font_ref` and the objects it needs, starting at `next`.
    pub(super) fn write(&self, pdf: &mut Pdf, font_ref: Ref, next: &mut Ref) -> Result<(), FontError> {
        let [cid_ref, descriptor_ref, cmap_ref, data_ref] = std::array::from_fn(|_| next.bump());
        let subset =
            subsetter::subset(self.file.data, 0, &self.remapper).map_err(|e| FontError::Subset(format!("{e:?}")))?;
        let cff = ttf_parser::RawFace::parse(&subset, 0)
            .ok()
            .and_then(|raw| raw.table(ttf_parser::Tag::from_bytes(b"CFF ")))
            .ok_or_else(|| FontError::Subset("the subset has no CFF table".into()))?;
        // A subset font's name carries a tag derived from its glyphs (PDF 32000 §9.6.4).
        let tag = subset_tag(self.remapper.remapped_gids());
        let base_font = format!("{tag}+{}", self.file.postscript_name);
        let base_font = Name(base_font.as_bytes());
        let system_info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };

        pdf.type0_font(font_ref)
            .base_font(base_font)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);

        let mut cid = pdf.cid_font(cid_ref);
        cid.subtype(CidFontType::Type0)
            .base_font(base_font)
            .system_info(system_info)
            .font_descriptor(descriptor_ref)
            .default_width(0.0);
        let mut widths = cid.widths();
        for (glyph, width) in &self.widths {
            widths.consecutive(*glyph, [*width]);
        }
        widths.finish();
        cid.finish();

        let face = &self.file.face;
        let scale = 1000.0 / self.file.units_per_em();
        let bbox = face.global_bounding_box();
        pdf.font_descriptor(descriptor_ref)
            .name(base_font)
            .flags(FontFlags::SERIF | FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(
                f32::from(bbox.x_min) * scale,
                f32::from(bbox.y_min) * scale,
                f32::from(bbox.x_max) * scale,
                f32::from(bbox.y_max) * scale,
            ))
            .italic_angle(0.0)
            .ascent(f32::from(face.ascender()) * scale)
            .descent(f32::from(face.descender()) * scale)
            .cap_height(f32::from(face.capital_height().unwrap_or(face.ascender())) * scale)
            .stem_v(95.0)
            .font_file3(data_ref);

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
        for (glyph, text) in &self.text_of {
            cmap.pair_with_multiple(*glyph, text.chars());
        }
        pdf.cmap(cmap_ref, &cmap.finish())
            .name(Name(b"Custom"))
            .system_info(system_info);
        pdf.stream(data_ref, cff).pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
        Ok(())
    }
}

/// Six capital letters that depend only on the glyph set.
fn subset_tag(glyphs: impl Iterator<Item = u16>) -> String {
    let hash = glyphs.fold(0xcbf2_9ce4_8422_2325_u64, |h, g| {
        (h ^ u64::from(g)).wrapping_mul(0x0100_0000_01b3)
    });
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
        .collect()
}
