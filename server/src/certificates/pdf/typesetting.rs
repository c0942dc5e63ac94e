//! Lines of text set as their readers expect, in any script: each character
//! in a font that has it (Libertinus first, then the Noto font for its
//! script), runs ordered by the Unicode bidi algorithm (`unicode-bidi`) and
//! shaped by `rustybuzz`, so Arabic letters join, Devanagari vowel signs
//! move into place and marks sit on their letters.
//!
//! Where the glyphs alone would not give the text back (a cluster of
//! several glyphs, as where a Devanagari vowel sign is drawn before its
//! consonant), the line is marked with its text in logical order
//! (`/ActualText`), which is what copying and `pdftotext` return.

use super::embedded_font::UsedFont;
use super::font_file::{FallbackKey, FontError, FontFile, Weight, fallback};
use crate::accounts::fields::is_bidi_control;
use pdf_writer::{Content, Name, Pdf, Ref, Str, TextStr};
use std::sync::Arc;
use unicode_bidi::ParagraphBidiInfo;
use unicode_normalization::UnicodeNormalization;
use unicode_script::{Script, UnicodeScript};

/// The certificate typeface's two faces.
#[derive(Clone, Copy, Debug)]
pub(super) enum Face {
    Regular,
    Semibold,
}

impl Face {
    fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Semibold => 1,
        }
    }

    fn weight(self) -> Weight {
        match self {
            Face::Regular => Weight::Regular,
            Face::Semibold => Weight::Bold,
        }
    }
}

/// The fonts one document draws with: the two faces of the certificate's
/// typeface, then each fallback as the text first needs it. A font's place
/// in the list gives its resource name (`/F1`, `/F2`, …).
pub(super) struct FontSet {
    fonts: Vec<UsedFont>,
    fallbacks: Vec<(FallbackKey, Option<usize>)>,
}

/// A shaped line: runs of glyphs in visual order, left to right.
pub(super) struct Line {
    runs: Vec<Run>,
    /// The width at 1 pt.
    pub(super) width: f32,
    /// The text in logical order, where the glyphs do not give it back.
    actual_text: Option<String>,
}

struct Run {
    font: usize,
    glyphs: Vec<Glyph>,
}

/// One glyph as shaped; lengths in thousandths of an em.
struct Glyph {
    id: u16,
    /// The advance the font gives the glyph on its own (the PDF's width).
    nominal: f32,
    /// The advance after shaping (kerning, joining, marks).
    advance: f32,
    x_offset: f32,
    y_offset: f32,
    /// The characters it stands for, on the first glyph of its cluster.
    text: Option<String>,
}

/// A piece of a `TJ` array.
enum Item {
    Show(Vec<u8>),
    Adjust(f32),
}

impl FontSet {
    pub(super) fn new(regular: Arc<FontFile>, semibold: Arc<FontFile>) -> Self {
        Self {
            fonts: vec![UsedFont::new(regular), UsedFont::new(semibold)],
            fallbacks: Vec::new(),
        }
    }

    /// The font in this set for `key`, loading it the first time.
    fn fallback(&mut self, key: FallbackKey) -> Option<usize> {
        if let Some((_, index)) = self.fallbacks.iter().find(|(known, _)| *known == key) {
            return *index;
        }
        let index = fallback(&key).map(|file| {
            self.fonts.push(UsedFont::new(file));
            self.fonts.len() - 1
        });
        self.fallbacks.push((key, index));
        index
    }

    /// Shapes `text` in `face`, as [`plain`] gives it.
    pub(super) fn shape(&mut self, face: Face, text: &str) -> Line {
        let text = plain(text);
        let chosen = self.choose_fonts(face, &text);
        let mut line = Line {
            runs: Vec::new(),
            width: 0.0,
            actual_text: None,
        };
        if text.is_empty() {
            return line;
        }
        let bidi = ParagraphBidiInfo::new(&text, None);
        let (levels, runs) = bidi.visual_runs(0..text.len());
        // Right-to-left runs need no actual text: their glyphs, drawn left
        // to right, are what readers (pdftotext among them) turn back into
        // reading order; marking them would make those readers reverse it.
        let mut needs_actual_text = false;
        for run in runs {
            let rtl = levels[run.start].is_rtl();
            // Split the run where the font changes, in logical order.
            let mut pieces: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
            for &(at, font) in chosen.iter().filter(|(at, _)| run.contains(at)) {
                let end = at + text[at..].chars().next().map_or(1, char::len_utf8);
                match pieces.last_mut() {
                    Some((last, range)) if *last == font => range.end = end,
                    _ => pieces.push((font, at..end)),
                }
            }
            if rtl {
                pieces.reverse();
            }
            for (font, range) in pieces {
                let (shaped, reordered) = shape_run(&self.fonts[font].file, font, &text[range], rtl);
                needs_actual_text |= reordered;
                line.width += shaped.glyphs.iter().map(|g| g.advance).sum::<f32>() / 1000.0;
                line.runs.push(shaped);
            }
        }
        line.actual_text = needs_actual_text.then_some(text);
        line
    }

    /// The font for each character (by byte offset): the face itself where
    /// it has the glyph, else the fallback for the character's script.
    /// Marks stay with their letter and spaces and punctuation with the
    /// text around them, so a run is not broken where it should join.
    fn choose_fonts(&mut self, face: Face, text: &str) -> Vec<(usize, usize)> {
        let primary = face.index();
        let primary_file = self.fonts[primary].file.clone();
        let primary_face = primary_file.face();
        // Load the fallbacks this text needs before looking at any of them.
        let mut wanted = Vec::new();
        let mut cjk = None;
        for c in text.chars() {
            if primary_face.glyph_index(c).is_none() {
                let cjk = *cjk.get_or_insert_with(|| cjk_language(text));
                let key = FallbackKey::for_script(c.script(), face.weight(), cjk);
                if let Some(index) = self.fallback(key)
                    && !wanted.contains(&index)
                {
                    wanted.push(index);
                }
            }
        }
        if wanted.is_empty() {
            return text.char_indices().map(|(at, _)| (at, primary)).collect();
        }
        let files: Vec<(usize, Arc<FontFile>)> = wanted.iter().map(|&i| (i, self.fonts[i].file.clone())).collect();
        let faces: Vec<(usize, ttf_parser::Face<'_>)> = files.iter().map(|(i, file)| (*i, file.face())).collect();
        let has = |font: usize, c: char| {
            if font == primary {
                primary_face.glyph_index(c).is_some()
            } else {
                faces
                    .iter()
                    .any(|(i, face)| *i == font && face.glyph_index(c).is_some())
            }
        };
        let mut current: Option<usize> = None;
        let mut chosen = Vec::with_capacity(text.len());
        for (at, c) in text.char_indices() {
            let font = match c.script() {
                Script::Inherited => current.unwrap_or(primary),
                Script::Common => current
                    .filter(|&font| has(font, c))
                    .or_else(|| {
                        std::iter::once(primary)
                            .chain(wanted.iter().copied())
                            .find(|&f| has(f, c))
                    })
                    .unwrap_or(primary),
                _ => std::iter::once(primary)
                    .chain(wanted.iter().copied())
                    .find(|&f| has(f, c))
                    .unwrap_or(primary),
            };
            current = Some(font);
            chosen.push((at, font));
        }
        chosen
    }

    /// Draws `line` at `size` with its left end at (`x`, `baseline`),
    /// adding its glyphs to the fonts' subsets.
    pub(super) fn draw(&mut self, content: &mut Content, line: &Line, size: f32, x: f32, baseline: f32) {
        if let Some(text) = &line.actual_text {
            content
                .begin_marked_content_with_properties(Name(b"Span"))
                .properties()
                .actual_text(TextStr(text));
        }
        content.begin_text();
        content.next_line(x, baseline);
        let mut rise = 0.0;
        for run in &line.runs {
            content.set_font(Name(resource_name(run.font).as_bytes()), size);
            let font = &mut self.fonts[run.font];
            let mut items = Vec::new();
            for glyph in &run.glyphs {
                if glyph.y_offset != rise {
                    show(content, &mut items);
                    rise = glyph.y_offset;
                    content.set_rise(rise * size / 1000.0);
                }
                let cid = font.add(glyph.id, glyph.nominal, glyph.text.as_deref());
                adjust(&mut items, -glyph.x_offset);
                match items.last_mut() {
                    Some(Item::Show(bytes)) => bytes.extend_from_slice(&cid.to_be_bytes()),
                    _ => items.push(Item::Show(cid.to_be_bytes().to_vec())),
                }
                adjust(&mut items, glyph.nominal + glyph.x_offset - glyph.advance);
            }
            show(content, &mut items);
        }
        if rise != 0.0 {
            content.set_rise(0.0);
        }
        content.end_text();
        if line.actual_text.is_some() {
            content.end_marked_content();
        }
    }

    /// Embeds every font drawn with and returns the resource names and
    /// references the pages list.
    pub(super) fn write(&self, pdf: &mut Pdf, next: &mut Ref) -> Result<Vec<(String, Ref)>, FontError> {
        let mut resources = Vec::new();
        for (index, font) in self.fonts.iter().enumerate().filter(|(_, font)| font.is_used()) {
            let font_ref = next.bump();
            font.write(pdf, font_ref, next)?;
            resources.push((resource_name(index), font_ref));
        }
        Ok(resources)
    }
}

/// Text as it is set and recorded: composed (NFC) and without direction
/// controls, which could make a name print as something else.
pub(super) fn plain(text: &str) -> String {
    text.nfc().filter(|c| !is_bidi_control(*c)).collect()
}

fn resource_name(font: usize) -> String {
    format!("F{}", font + 1)
}

/// Adds a `TJ` adjustment, merged with one just before it; a few
/// thousandths of an em are not worth the bytes.
fn adjust(items: &mut Vec<Item>, amount: f32) {
    if let Some(Item::Adjust(last)) = items.last_mut() {
        *last += amount;
        if last.abs() < 0.5 {
            items.pop();
        }
    } else if amount.abs() >= 0.5 {
        items.push(Item::Adjust(amount));
    }
}

/// Writes the pending items as one `Tj` or `TJ`.
fn show(content: &mut Content, items: &mut Vec<Item>) {
    match items.as_slice() {
        [] => {}
        [Item::Show(bytes)] => {
            content.show(Str(bytes));
        }
        _ => {
            let mut op = content.show_positioned();
            let mut array = op.items();
            for item in items.iter() {
                match item {
                    Item::Show(bytes) => array.show(Str(bytes)),
                    Item::Adjust(amount) => array.adjust(amount.round()),
                };
            }
        }
    }
    items.clear();
}

/// Shapes one run of one font and direction. Also says whether its glyphs
/// fail to give the text back in order (a cluster of several glyphs).
fn shape_run(file: &FontFile, font: usize, text: &str, rtl: bool) -> (Run, bool) {
    file.with_shaper(|face| shape_with(face, font, text, rtl))
}

fn shape_with(face: &rustybuzz::Face<'_>, font: usize, text: &str, rtl: bool) -> (Run, bool) {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    let shaped = rustybuzz::shape(face, &[], buffer);
    let scale = 1000.0 / face.units_per_em() as f32;
    let mut starts: Vec<usize> = shaped.glyph_infos().iter().map(|g| g.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    let cluster_text = |start: usize| {
        let end = starts.iter().find(|&&s| s > start).copied().unwrap_or(text.len());
        text.get(start..end).unwrap_or_default().to_owned()
    };
    let mut reordered = false;
    let mut previous: Option<u32> = None;
    let glyphs = shaped
        .glyph_infos()
        .iter()
        .zip(shaped.glyph_positions())
        .map(|(info, position)| {
            let id = u16::try_from(info.glyph_id).unwrap_or(0);
            let first_of_cluster = previous != Some(info.cluster);
            reordered |= !first_of_cluster;
            previous = Some(info.cluster);
            Glyph {
                id,
                nominal: f32::from(face.glyph_hor_advance(ttf_parser::GlyphId(id)).unwrap_or(0)) * scale,
                advance: position.x_advance as f32 * scale,
                x_offset: position.x_offset as f32 * scale,
                y_offset: position.y_offset as f32 * scale,
                text: first_of_cluster.then(|| cluster_text(info.cluster as usize)),
            }
        })
        .collect();
    (Run { font, glyphs }, reordered)
}

/// The language whose glyph shapes Han characters take in `text`: Japanese
/// beside kana, Korean beside hangul, Simplified Chinese otherwise.
fn cjk_language(text: &str) -> &'static str {
    let scripts = || text.chars().map(|c| c.script());
    if scripts().any(|s| matches!(s, Script::Hiragana | Script::Katakana)) {
        "JP"
    } else if scripts().any(|s| s == Script::Hangul) {
        "KR"
    } else {
        "SC"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names in the scripts people's names are written in (the Noto fonts
    /// come from Debian's fonts-noto-core and fonts-noto-cjk).
    const NAMES: [&str; 10] = [
        "Zoë Łukasiewicz-Nguyễn",
        "Γιώργος Παπαδόπουλος",
        "Ольга Смирнова",
        "محمد الأحمد",
        "שרה לוי",
        "अनीता शर्मा",
        "王小明",
        "山田 はなこ",
        "김민준",
        "Dana (دانة) Ríos",
    ];

    fn fonts() -> FontSet {
        super::super::font_set().unwrap()
    }

    #[test]
    fn every_name_has_every_glyph() {
        let mut fonts = fonts();
        for name in NAMES {
            for face in [Face::Regular, Face::Semibold] {
                let line = fonts.shape(face, name);
                let glyphs: Vec<&Glyph> = line.runs.iter().flat_map(|run| &run.glyphs).collect();
                assert!(!glyphs.is_empty() && line.width > 0.0, "{name}");
                assert!(
                    glyphs.iter().all(|glyph| glyph.id != 0),
                    "{name} ({face:?}) has a glyph no font draws: are fonts-noto-core and fonts-noto-cjk installed?"
                );
            }
        }
    }

    #[test]
    fn a_script_libertinus_lacks_is_set_in_its_noto_font() {
        let mut fonts = fonts();
        for name in ["محمد الأحمد", "王小明", "अनीता शर्मा"] {
            let line = fonts.shape(Face::Regular, name);
            assert!(line.runs.iter().all(|run| run.font >= 2), "{name}");
        }
        let latin = fonts.shape(Face::Regular, "Ana Lee");
        assert!(latin.runs.iter().all(|run| run.font == 0));
    }

    #[test]
    fn arabic_letters_join() {
        let mut fonts = fonts();
        let joined = fonts.shape(Face::Regular, "محمد");
        let ids = |line: &Line| -> Vec<u16> { line.runs.iter().flat_map(|r| r.glyphs.iter().map(|g| g.id)).collect() };
        // The same letters apart (no joining) take their isolated forms.
        let apart = fonts.shape(Face::Regular, "م ح م د");
        let apart: Vec<u16> = ids(&apart).into_iter().step_by(2).collect();
        assert_ne!(ids(&joined).len(), 0);
        assert_ne!(ids(&joined), apart.into_iter().rev().collect::<Vec<_>>());
    }

    #[test]
    fn right_to_left_text_is_drawn_right_to_left() {
        let mut fonts = fonts();
        let line = fonts.shape(Face::Regular, "Dana (دانة) Ríos");
        let texts: Vec<&str> = line
            .runs
            .iter()
            .flat_map(|run| run.glyphs.iter().filter_map(|g| g.text.as_deref()))
            .collect();
        // Visually: "Dana (", then the Arabic from its last letter to its first, then ") Ríos".
        let arabic: String = texts
            .iter()
            .filter(|t| t.chars().all(|c| c.script() == Script::Arabic))
            .copied()
            .collect();
        assert_eq!(arabic, "ةناد");
        assert_eq!(texts.first(), Some(&"D"));
    }

    #[test]
    fn a_vowel_sign_drawn_before_its_consonant_is_recorded_after_it() {
        let mut fonts = fonts();
        // नी is one cluster; शि draws ि (U+093F) left of श.
        let line = fonts.shape(Face::Regular, "शिव");
        assert_eq!(line.actual_text.as_deref(), Some("शिव"));
        let latin = fonts.shape(Face::Regular, "Ana Lee");
        assert_eq!(latin.actual_text, None);
    }

    #[test]
    fn a_direction_override_in_a_name_changes_nothing() {
        let mut fonts = fonts();
        let plain = fonts.shape(Face::Semibold, "Ana Lee");
        let overridden = fonts.shape(Face::Semibold, "\u{202E}Ana Lee\u{202C}");
        let ids = |line: &Line| -> Vec<u16> { line.runs.iter().flat_map(|r| r.glyphs.iter().map(|g| g.id)).collect() };
        assert_eq!(ids(&overridden), ids(&plain));
        assert_eq!(overridden.actual_text, None, "left-to-right text needs no actual text");
    }

    #[test]
    fn decomposed_accents_print_as_the_composed_letter() {
        let mut fonts = fonts();
        let decomposed = fonts.shape(Face::Regular, "Zoe\u{308}");
        let composed = fonts.shape(Face::Regular, "Zoë");
        assert_eq!(decomposed.width, composed.width);
        assert_eq!(decomposed.runs[0].glyphs.len(), 3);
    }
}
