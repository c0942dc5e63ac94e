//! Plain documents in the certificate's typeface: A4 portrait pages of
//! headings and wrapped lines, for a learner's transcript.

use super::typesetting::FontSet;
use super::{Align, Face, INK, MARGIN, MUTED, Page, RenderError, deflate};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, TextStr};

const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;

/// One line's kind: how large and how dark it is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Title,
    Heading,
    Body,
    Note,
}

impl Style {
    fn set(self) -> (Face, f32, [f32; 3], f32) {
        // face, size, colour, space above
        match self {
            Style::Title => (Face::Semibold, 20.0, INK, 0.0),
            Style::Heading => (Face::Semibold, 13.0, INK, 14.0),
            Style::Body => (Face::Regular, 10.5, INK, 3.0),
            Style::Note => (Face::Regular, 9.0, MUTED, 3.0),
        }
    }
}

/// A document: its title (for the file's metadata) and its lines in order.
#[derive(Clone, Debug)]
pub struct TextDocument {
    pub title: String,
    pub author: String,
    pub lines: Vec<(Style, String)>,
}

/// Splits `text` into lines that fit `width` at `size`, at spaces.
fn wrap(fonts: &mut FontSet, face: Face, size: f32, width: f32, text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && fonts.shape(face, &candidate).width * size > width {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Sets the document on as many pages as it needs, numbered at the foot.
pub fn render_document(doc: &TextDocument) -> Result<Vec<u8>, RenderError> {
    let mut page = Page::new()?;
    let width = WIDTH - 2.0 * MARGIN;
    let mut pages: Vec<Content> = Vec::new();
    let mut baseline = HEIGHT - MARGIN;
    for (style, text) in &doc.lines {
        let (face, size, color, above) = style.set();
        for (i, line) in wrap(&mut page.fonts, face, size, width, text).into_iter().enumerate() {
            let step = size * 1.35 + if i == 0 { above } else { 0.0 };
            if baseline - step < MARGIN + 20.0 {
                pages.push(std::mem::replace(&mut page.content, Content::new()));
                baseline = HEIGHT - MARGIN;
            }
            baseline -= step;
            page.text(face, size, color, Align::Left(MARGIN), baseline, &line);
        }
    }
    pages.push(std::mem::replace(&mut page.content, Content::new()));
    let count = pages.len();
    // The page numbers are drawn with the fonts the pages already use.
    let mut numbered = page;
    let mut streams = Vec::with_capacity(count);
    for (i, mut content) in pages.into_iter().enumerate() {
        std::mem::swap(&mut numbered.content, &mut content);
        numbered.text(
            Face::Regular,
            8.5,
            MUTED,
            Align::Right(WIDTH - MARGIN),
            MARGIN - 10.0,
            &format!("Page {} of {count}", i + 1),
        );
        std::mem::swap(&mut numbered.content, &mut content);
        streams.push(deflate(&content.finish()));
    }

    let mut pdf = Pdf::new();
    let mut next = Ref::new(1);
    let [catalog_ref, pages_ref, info_ref] = std::array::from_fn(|_| next.bump());
    let fonts = numbered.fonts.write(&mut pdf, &mut next)?;
    let page_refs: Vec<(Ref, Ref)> = (0..count).map(|_| (next.bump(), next.bump())).collect();
    pdf.catalog(catalog_ref)
        .pages(pages_ref)
        .lang(TextStr("en"))
        .viewer_preferences()
        .display_doc_title(true);
    pdf.pages(pages_ref)
        .kids(page_refs.iter().map(|(page, _)| *page))
        .count(i32::try_from(count).unwrap_or(i32::MAX));
    for ((page_ref, content_ref), stream) in page_refs.iter().zip(&streams) {
        let mut page_obj = pdf.page(*page_ref);
        page_obj
            .parent(pages_ref)
            .media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT))
            .contents(*content_ref);
        let mut resources = page_obj.resources();
        let mut font_names = resources.fonts();
        for (name, font_ref) in &fonts {
            font_names.pair(Name(name.as_bytes()), *font_ref);
        }
        font_names.finish();
        resources.finish();
        page_obj.finish();
        pdf.stream(*content_ref, stream).filter(Filter::FlateDecode);
    }
    pdf.document_info(info_ref)
        .title(TextStr(&doc.title))
        .author(TextStr(&doc.author))
        .creator(TextStr("Holdspace"));
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_document_flows_onto_numbered_pages() {
        let mut lines = vec![(Style::Title, "Transcript".to_owned())];
        for i in 0..120 {
            lines.push((
                Style::Body,
                format!("Line {i}: a session of supervised practice, 2 hours, confirmed."),
            ));
        }
        let pdf = render_document(&TextDocument {
            title: "Transcript".into(),
            author: "Holdspace".into(),
            lines,
        })
        .unwrap();
        let text = String::from_utf8_lossy(&pdf);
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(text.contains("/Count 3"), "120 lines take three pages");
    }

    #[test]
    fn long_lines_wrap_at_spaces_within_the_width() {
        let mut fonts = Page::new().unwrap().fonts;
        let text = "word ".repeat(200);
        let lines = wrap(&mut fonts, Face::Regular, 10.5, 300.0, &text);
        assert!(lines.len() > 5);
        assert!(
            lines
                .iter()
                .all(|l| fonts.shape(Face::Regular, l).width * 10.5 <= 300.0)
        );
        assert_eq!(lines.join(" ").split(' ').count(), 200);
    }
}
