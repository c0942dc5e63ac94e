//! The certificate as a PDF: A4 landscape, built in memory with pdf-writer.
//!
//! Everything on it is real text: the certificate's own words in Libertinus
//! Serif (shipped by the typst-assets crate, so no font file lives in this
//! repository), a name in a script Libertinus lacks in the Noto font for it
//! (see `font_file`), shaped and ordered by `typesetting`, subset and
//! embedded with a ToUnicode map. The QR code is drawn as vector squares so
//! it stays sharp at any zoom and prints cleanly.

mod attachment;
mod document;
mod embedded_font;
mod font_file;
mod typesetting;

pub use document::{Style, TextDocument, render_document};

use attachment::Attachment;
use chrono::NaiveDate;
pub use font_file::FontError;
use font_file::FontFile;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, TextStr};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use typesetting::{Face, FontSet};

/// What a certificate shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateDocument {
    pub issuer_name: String,
    pub holder_name: String,
    pub program_title: String,
    /// Course titles with their version labels.
    pub courses: Vec<(String, String)>,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// The code as printed, `HS-XXXX-XXXX-XXXXX`.
    pub code: String,
    pub verify_url: String,
    /// The JSON-LD credential, attached so that one file is both printable
    /// and verifiable (the QR code still opens the verify page).
    pub credential: Option<String>,
}

const PAGE_WIDTH: f32 = 841.89;
const PAGE_HEIGHT: f32 = 595.28;
const MARGIN: f32 = 56.0;
const INK: [f32; 3] = [0.13, 0.15, 0.2];
const ACCENT: [f32; 3] = [0.2, 0.36, 0.42];
const MUTED: [f32; 3] = [0.36, 0.38, 0.42];

/// The certificate typeface's faces, found once: looking through
/// typst-assets' fonts costs more than a page.
fn font_set() -> Result<FontSet, FontError> {
    type Faces = (Arc<FontFile>, Arc<FontFile>);
    static FACES: OnceLock<Result<Faces, String>> = OnceLock::new();
    let (regular, semibold) = FACES
        .get_or_init(|| {
            let face = |name| FontFile::shipped(name).map(Arc::new).map_err(|e| e.to_string());
            Ok((face("Libertinus Serif Regular")?, face("Libertinus Serif Semibold")?))
        })
        .as_ref()
        .map_err(|e| FontError::Subset(e.clone()))?;
    Ok(FontSet::new(regular.clone(), semibold.clone()))
}

/// zlib-compressed, as a `FlateDecode` stream holds it.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("writing to memory does not fail");
    encoder.finish().expect("writing to memory does not fail")
}

/// Why a certificate could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Font(#[from] FontError),
    #[error("the verification URL does not fit in a QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),
}

/// Lays out text on the page: centred, left- or right-aligned lines.
struct Page {
    content: Content,
    fonts: FontSet,
}

#[derive(Clone, Copy)]
enum Align {
    Left(f32),
    Center,
    Right(f32),
}

impl Page {
    fn new() -> Result<Self, FontError> {
        Ok(Self {
            content: Content::new(),
            fonts: font_set()?,
        })
    }

    fn text(&mut self, face: Face, size: f32, color: [f32; 3], align: Align, baseline: f32, text: &str) {
        let line = self.fonts.shape(face, text);
        let width = line.width * size;
        let x = match align {
            Align::Left(x) => x,
            Align::Center => (PAGE_WIDTH - width) / 2.0,
            Align::Right(right) => right - width,
        };
        self.content.set_fill_rgb(color[0], color[1], color[2]);
        self.fonts.draw(&mut self.content, &line, size, x, baseline);
    }

    /// The largest size up to `max` at which `text` fits in `width`.
    fn fitting_size(&mut self, face: Face, max: f32, width: f32, text: &str) -> f32 {
        let natural = self.fonts.shape(face, text).width;
        if natural * max <= width {
            max
        } else {
            (width / natural).max(8.0)
        }
    }
}

/// How many drawn certificates are kept (about 20 KB each).
const MOST_KEPT: usize = 128;

/// The certificate's PDF, drawn again only when what it shows changed.
/// Drawing depends on nothing but the document, so the bytes of the same
/// document drawn before are the same; a holder who downloads again, or a
/// family of devices that each fetch it, skip the shaping, font subsetting
/// and QR mask search (about a millisecond each).
pub fn render_kept(doc: &CertificateDocument) -> Result<Vec<u8>, RenderError> {
    type Kept = HashMap<String, (CertificateDocument, Arc<Vec<u8>>)>;
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    let kept = KEPT.get_or_init(Mutex::default);
    let lock = || kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((drawn, bytes)) = lock().get(&doc.code)
        && drawn == doc
    {
        return Ok(bytes.as_ref().clone());
    }
    let bytes = render(doc)?;
    let mut kept = lock();
    if kept.len() >= MOST_KEPT {
        kept.clear();
    }
    kept.insert(doc.code.clone(), (doc.clone(), Arc::new(bytes.clone())));
    Ok(bytes)
}

/// Draws the certificate and returns the PDF's bytes.
pub fn render(doc: &CertificateDocument) -> Result<Vec<u8>, RenderError> {
    let holder = &doc.holder_name;
    let mut page = Page::new()?;

    frame(&mut page.content);
    let text_width = PAGE_WIDTH - 2.0 * MARGIN - 40.0;
    page.text(
        Face::Semibold,
        13.0,
        ACCENT,
        Align::Center,
        505.0,
        &doc.issuer_name.to_uppercase(),
    );
    page.text(
        Face::Regular,
        34.0,
        INK,
        Align::Center,
        458.0,
        "Certificate of Completion",
    );
    page.text(Face::Regular, 13.0, MUTED, Align::Center, 420.0, "This certifies that");
    let name_size = page.fitting_size(Face::Semibold, 30.0, text_width, holder);
    page.text(Face::Semibold, name_size, INK, Align::Center, 382.0, holder);
    page.text(
        Face::Regular,
        13.0,
        MUTED,
        Align::Center,
        350.0,
        "has completed the program",
    );
    let program_size = page.fitting_size(Face::Semibold, 20.0, text_width, &doc.program_title);
    page.text(
        Face::Semibold,
        program_size,
        ACCENT,
        Align::Center,
        322.0,
        &doc.program_title,
    );

    let mut baseline = 294.0;
    page.text(Face::Regular, 10.5, MUTED, Align::Center, baseline, "Courses covered");
    for (title, version) in &doc.courses {
        baseline -= 14.5;
        let line = format!("{title} (version {version})");
        let size = page.fitting_size(Face::Regular, 11.0, text_width, &line);
        page.text(Face::Regular, size, INK, Align::Center, baseline, &line);
    }

    let left = MARGIN + 24.0;
    let details = [
        ("Issued on", long_date(doc.issued_on)),
        ("Valid until", long_date(doc.expires_on)),
        ("Certificate code", doc.code.clone()),
    ];
    for (i, (label, value)) in details.iter().enumerate() {
        let y = 150.0 - i as f32 * 30.0;
        page.text(Face::Regular, 9.0, MUTED, Align::Left(left), y + 11.0, label);
        page.text(Face::Semibold, 12.0, INK, Align::Left(left), y, value);
    }

    let qr_size = 96.0;
    let qr_right = PAGE_WIDTH - MARGIN - 24.0;
    let qr_bottom = 96.0;
    qr(
        &mut page.content,
        &doc.verify_url,
        qr_right - qr_size,
        qr_bottom,
        qr_size,
    )?;
    page.text(
        Face::Regular,
        9.0,
        MUTED,
        Align::Right(qr_right),
        qr_bottom - 14.0,
        "Check this certificate at",
    );
    let url_size = page.fitting_size(Face::Regular, 9.0, 300.0, &doc.verify_url);
    page.text(
        Face::Regular,
        url_size,
        INK,
        Align::Right(qr_right),
        qr_bottom - 26.0,
        &doc.verify_url,
    );

    let mut pdf = Pdf::new();
    let mut next = Ref::new(1);
    let [catalog_ref, pages_ref, page_ref, content_ref, info_ref] = std::array::from_fn(|_| next.bump());
    let fonts = page.fonts.write(&mut pdf, &mut next)?;
    let title = format!("{} — {}", doc.program_title, typesetting::plain(holder));
    let mut catalog = pdf.catalog(catalog_ref);
    catalog
        .pages(pages_ref)
        .lang(TextStr("en"))
        .viewer_preferences()
        .display_doc_title(true);
    let attachment = doc
        .credential
        .as_deref()
        .map(|credential| Attachment::new(&doc.code, credential, &mut next));
    if let Some(attachment) = &attachment {
        attachment.list_in(&mut catalog);
    }
    catalog.finish();
    if let Some(attachment) = &attachment {
        attachment.write(&mut pdf);
    }
    pdf.pages(pages_ref).kids([page_ref]).count(1);
    let mut page_obj = pdf.page(page_ref);
    page_obj
        .parent(pages_ref)
        .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
        .contents(content_ref);
    let mut resources = page_obj.resources();
    let mut font_names = resources.fonts();
    for (name, font_ref) in &fonts {
        font_names.pair(Name(name.as_bytes()), *font_ref);
    }
    font_names.finish();
    resources.finish();
    page_obj.finish();
    pdf.stream(content_ref, &deflate(&page.content.finish()))
        .filter(Filter::FlateDecode);
    pdf.document_info(info_ref)
        .title(TextStr(&title))
        .author(TextStr(&doc.issuer_name))
        .subject(TextStr(&format!("Certificate {}", doc.code)))
        .creator(TextStr("Holdspace"));
    Ok(pdf.finish())
}

/// `23 November 2026`: unambiguous wherever the certificate is read.
fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A thin double rule around the page.
fn frame(content: &mut Content) {
    content.set_stroke_rgb(ACCENT[0], ACCENT[1], ACCENT[2]);
    content.set_line_width(2.0);
    content
        .rect(
            MARGIN - 20.0,
            MARGIN - 20.0,
            PAGE_WIDTH - 2.0 * (MARGIN - 20.0),
            PAGE_HEIGHT - 2.0 * (MARGIN - 20.0),
        )
        .stroke();
    content.set_line_width(0.6);
    content
        .rect(
            MARGIN - 13.0,
            MARGIN - 13.0,
            PAGE_WIDTH - 2.0 * (MARGIN - 13.0),
            PAGE_HEIGHT - 2.0 * (MARGIN - 13.0),
        )
        .stroke();
}

/// The QR code of `url` as filled squares, with the quiet zone the standard asks for.
fn qr(content: &mut Content, url: &str, x: f32, y: f32, size: f32) -> Result<(), RenderError> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)?;
    let width = code.width();
    let quiet = 4;
    let module = size / (width + 2 * quiet) as f32;
    content.set_fill_rgb(1.0, 1.0, 1.0);
    content.rect(x, y, size, size).fill_nonzero();
    content.set_fill_rgb(0.0, 0.0, 0.0);
    for (index, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (col, row) = (index % width, index / width);
            let left = x + (col + quiet) as f32 * module;
            let top = y + size - (row + quiet) as f32 * module;
            content.rect(left, top - module, module, module);
        }
    }
    content.fill_nonzero();
    Ok(())
}

impl From<RenderError> for crate::error::ServerError {
    fn from(error: RenderError) -> Self {
        crate::error::ServerError::Render(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(holder_name: &str) -> CertificateDocument {
        CertificateDocument {
            issuer_name: "Holdspace".into(),
            holder_name: holder_name.into(),
            program_title: "Peer Support Group Facilitator".into(),
            courses: vec![("Foundations of peer support".into(), "1.0.0".into())],
            issued_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            expires_on: NaiveDate::from_ymd_opt(2028, 11, 23).unwrap(),
            code: "HS-7K2M-9QXD-4FTRW".into(),
            credential: None,
            verify_url: "https://learn.example.org/verify/HS-7K2M-9QXD-4FTRW".into(),
        }
    }

    #[test]
    fn a_kept_certificate_is_drawn_again_when_what_it_shows_changes() {
        let mut doc = document("Ana Lee");
        doc.code = "HS-KEPT-TEST-00001".into();
        let first = render_kept(&doc).unwrap();
        assert_eq!(first, render(&doc).unwrap(), "drawing depends on the document alone");
        assert_eq!(render_kept(&doc).unwrap(), first);
        doc.holder_name = "Ana Lee-Moreno".into();
        let renamed = render_kept(&doc).unwrap();
        assert_ne!(renamed, first);
        assert_eq!(renamed, render(&doc).unwrap());
    }

    #[test]
    fn dates_are_written_out_so_no_reader_confuses_day_and_month() {
        assert_eq!(long_date(NaiveDate::from_ymd_opt(2027, 3, 4).unwrap()), "4 March 2027");
    }

    #[test]
    fn a_very_long_name_is_shrunk_to_fit_the_page() {
        let mut page = Page::new().unwrap();
        let long = "Maria Fernanda de los Ángeles Guadalupe Hernández-Rodríguez y Villaseñor";
        let size = page.fitting_size(Face::Semibold, 30.0, 600.0, long);
        let width = page.fonts.shape(Face::Semibold, long).width;
        assert!(size < 30.0 && width * size <= 600.0 + 0.01);
    }

    #[test]
    fn a_certificate_with_a_name_in_latin_letters_stays_small() {
        let pdf = render(&document("Zoë Łukasiewicz-Nguyễn")).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() < 30_000, "{} bytes", pdf.len());
    }
}
