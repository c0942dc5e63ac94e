//! The facilitator toolkit and the trainers' guides as PDF: the course
//! files' plain format set in the certificate's typeface.

use crate::authoring::course_files::PrintableFile;
use crate::certificates::pdf::{RenderError, Style, TextDocument, render_document};

/// A line to write on, as wide as the text.
const WRITE_ON: &str = "______________________________________________________________________";

/// The file's lines as the document's: `# ` title, `## ` heading, `- `
/// bullet, `> ` note, `___` a line to write on, anything else a paragraph.
fn lines_of(text: &str) -> Vec<(Style, String)> {
    text.lines()
        .map(str::trim_end)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            if let Some(title) = line.strip_prefix("# ") {
                (Style::Title, title.to_owned())
            } else if let Some(heading) = line.strip_prefix("## ") {
                (Style::Heading, heading.to_owned())
            } else if let Some(item) = line.strip_prefix("- ") {
                (Style::Body, format!("•  {item}"))
            } else if let Some(note) = line.strip_prefix("> ") {
                (Style::Note, note.to_owned())
            } else if line.len() >= 3 && line.bytes().all(|b| b == b'_') {
                (Style::Body, WRITE_ON.to_owned())
            } else {
                (Style::Body, line.to_owned())
            }
        })
        .collect()
}

/// The printable as a PDF from `issuer`.
pub fn render(file: &PrintableFile, issuer: &str) -> Result<Vec<u8>, RenderError> {
    render_document(&TextDocument {
        title: file.title.clone(),
        author: issuer.to_owned(),
        lines: lines_of(&file.text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_line_is_set_in_its_style() {
        let lines = lines_of("# Title\n\n## Before\n- Bring water\n> A note\n___\nPlain words.\n");
        let styles: Vec<Style> = lines.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            styles,
            [
                Style::Title,
                Style::Heading,
                Style::Body,
                Style::Note,
                Style::Body,
                Style::Body
            ]
        );
        assert_eq!(lines[2].1, "•  Bring water");
        assert_eq!(lines[4].1, WRITE_ON);
    }
}
