//! The JSON-LD credential attached to the certificate PDF, so that one
//! file is both printable and verifiable: a PDF reader lists it among the
//! attachments, a wallet or verifier takes it from there.

use super::deflate;
use pdf_writer::writers::Catalog;
use pdf_writer::{Filter, Name, Pdf, Ref, Str, TextStr};

pub(super) struct Attachment<'a> {
    name: String,
    spec: Ref,
    file: Ref,
    credential: &'a str,
}

impl<'a> Attachment<'a> {
    pub(super) fn new(code: &str, credential: &'a str, next: &mut Ref) -> Self {
        Self {
            name: format!("holdspace-certificate-{code}.json"),
            spec: next.bump(),
            file: next.bump(),
            credential,
        }
    }

    /// Names the attachment in the document's embedded files.
    pub(super) fn list_in(&self, catalog: &mut Catalog<'_>) {
        catalog
            .names()
            .embedded_files()
            .names()
            .insert(Str(self.name.as_bytes()), self.spec);
    }

    pub(super) fn write(&self, pdf: &mut Pdf) {
        pdf.file_spec(self.spec)
            .path(Str(self.name.as_bytes()))
            .unic_file(TextStr(&self.name))
            .description(TextStr("The signed credential, for a digital wallet"))
            .embedded_file_with_unicode(self.file);
        let compressed = deflate(self.credential.as_bytes());
        let mut file = pdf.embedded_file(self.file, &compressed);
        file.filter(Filter::FlateDecode);
        file.subtype(Name(b"application/ld+json"));
        file.params()
            .size(i32::try_from(self.credential.len()).unwrap_or(i32::MAX));
    }
}
