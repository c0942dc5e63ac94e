//! One font face as a document uses it: subset to the glyphs shown and
//! embedded as a CID-keyed font with a ToUnicode map, so that any name prints
//! and the text can be searched and copied.

use super::deflate;
use super::font_file::{FontError, FontFile, Outlines};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use std::collections::BTreeMap;
use std::sync::Arc;
use subsetter::GlyphRemapper;

/// The glyphs shown so far, renumbered densely for the subset (the new glyph
/// id is the CID written in the text).
pub(super) struct UsedFont {
    pub(super) file: Arc<FontFile>,
    remapper: GlyphRemapper,
    /// New glyph id → the text it stands for, for the ToUnicode map.
    text_of: BTreeMap<u16, String>,
    /// New glyph id → advance width in thousandths of an em.
    widths: BTreeMap<u16, f32>,
}

impl UsedFont {
    pub(super) fn new(file: Arc<FontFile>) -> Self {
        Self {
            file,
            remapper: GlyphRemapper::new(),
            text_of: BTreeMap::new(),
            widths: BTreeMap::new(),
        }
    }

    /// Adds `glyph` (advance `width` in thousandths of an em) to the subset
    /// and returns its CID. `text` is what it stands for, when it stands for
    /// something on its own.
    pub(super) fn add(&mut self, glyph: u16, width: f32, text: Option<&str>) -> u16 {
        let cid = self.remapper.remap(glyph);
        self.widths.insert(cid, width);
        if let Some(text) = text.filter(|_| glyph != 0) {
            self.text_of.entry(cid).or_insert_with(|| text.to_owned());
        }
        cid
    }

    /// Whether anything was drawn in this font: an unused one is not embedded.
    pub(super) fn is_used(&self) -> bool {
        !self.widths.is_empty()
    }

    /// Writes the Type0 font `font_ref` and the objects it needs, starting at `next`.
    pub(super) fn write(&self, pdf: &mut Pdf, font_ref: Ref, next: &mut Ref) -> Result<(), FontError> {
        let [cid_ref, descriptor_ref, cmap_ref, data_ref] = std::array::from_fn(|_| next.bump());
        let file = &self.file;
        let subset = subsetter::subset(file.data(), file.index, &self.remapper)
            .map_err(|e| FontError::Subset(format!("{e:?}")))?;
        // A subset font's name carries a tag derived from its glyphs (PDF 32000 §9.6.4).
        let tag = subset_tag(self.remapper.remapped_gids());
        let base_font = format!("{tag}+{}", file.postscript_name);
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
        cid.subtype(match file.outlines {
            Outlines::Cff => CidFontType::Type0,
            Outlines::TrueType => CidFontType::Type2,
        })
        .base_font(base_font)
        .system_info(system_info)
        .font_descriptor(descriptor_ref)
        .default_width(0.0);
        if file.outlines == Outlines::TrueType {
            // The subset's glyph ids are the CIDs.
            cid.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        let mut widths = cid.widths();
        for (glyph, width) in &self.widths {
            widths.consecutive(*glyph, [width.round()]);
        }
        widths.finish();
        cid.finish();

        let face = file.face();
        let scale = 1000.0 / f32::from(face.units_per_em());
        let bbox = face.global_bounding_box();
        let mut descriptor = pdf.font_descriptor(descriptor_ref);
        descriptor
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
            .stem_v(95.0);
        match file.outlines {
            Outlines::Cff => descriptor.font_file3(data_ref),
            Outlines::TrueType => descriptor.font_file2(data_ref),
        };
        descriptor.finish();

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
        for (glyph, text) in &self.text_of {
            cmap.pair_with_multiple(*glyph, text.chars());
        }
        let cmap = deflate(&cmap.finish());
        let mut cmap = pdf.cmap(cmap_ref, &cmap);
        cmap.filter(Filter::FlateDecode);
        cmap.name(Name(b"Custom")).system_info(system_info);
        cmap.finish();
        match file.outlines {
            Outlines::Cff => {
                let cff = ttf_parser::RawFace::parse(&subset, 0)
                    .ok()
                    .and_then(|raw| raw.table(ttf_parser::Tag::from_bytes(b"CFF ")))
                    .ok_or_else(|| FontError::Subset("the subset has no CFF table".into()))?;
                pdf.stream(data_ref, &deflate(cff))
                    .filter(Filter::FlateDecode)
                    .pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
            }
            Outlines::TrueType => {
                pdf.stream(data_ref, &deflate(&subset)).filter(Filter::FlateDecode);
            }
        }
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
