//! Answers made per request are gzipped for the slow phone links volunteers
//! use: a module page goes from 12,128 to 5,088 bytes. Brotli at its
//! default 11 took longer than rendering the page, and at 4 gave 10% fewer
//! pages a second than gzip for 3% fewer bytes, so pages made per request
//! are gzipped; the bundle and stylesheet have brotli 11, made once at
//! build time (see `assets`).
//!
//! Every page is rendered whole before it is sent (`SsrMode::Async`) and
//! every download is made in memory, so an answer is compressed in one
//! call, which is what libdeflate is for: at its level 1 that module page
//! takes 30 µs, where zlib-rs (through flate2) took 72 µs at level 4 for
//! 5,000 bytes and gzip was a third of the page's time. Module pages a
//! second went up by a fifth (6,067 and 5,600 against 4,983 and 4,569,
//! alternated). A public page is compressed once when kept (see
//! `public_cache`), so it takes a higher level.
//!
//! A text the answer is known to carry, deflated ahead ([`PreDeflated`]:
//! a module's text, three fifths of its page, and the hydration script and
//! footer every page has, half of what is around that text), is set into
//! the stream as it was deflated, where such texts are most of the answer
//! (`worth_setting_in`). Only what is between them is deflated per answer,
//! by one zlib-rs stream at its fastest that steps over each text
//! (`deflate_past`) rather than starting again after it; the checksums are
//! combined. Measured alone on one thread, what is around a module's text
//! takes 14 µs this way, against 23 µs with only the text set in (zlib-rs
//! before it, libdeflate after), and the page is 100 bytes smaller.

use super::accept_encoding::accepts;
use crate::pre_deflated::{PreDeflated, deflate_end, deflate_open, deflate_past};
use axum::body::{Body, Bytes, HttpBody as _, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use libdeflater::{CompressionLvl, Compressor};
use std::cell::RefCell;
use std::sync::{Arc, Mutex};

/// An answer smaller than this is sent as it is: setting up a compressor
/// for the certificate lookup's 400 bytes of JSON halved its throughput.
pub const WORTH_COMPRESSING: usize = 1024;

/// How hard gzip tries: see the module's comment.
#[derive(Clone, Copy, Debug)]
pub enum Effort {
    /// An answer made for one request.
    PerRequest,
    /// An answer compressed once and sent many times.
    Kept,
}

/// libdeflate's level for answers made per request: 1, its fastest that
/// compresses (0 stores the text as it is).
const PER_REQUEST_LEVEL: CompressionLvl = level(1);

/// libdeflate's level for kept answers: 9, a little smaller than zlib's
/// best (4,920 bytes for that module page, against 4,959) in half its
/// time (71 µs). Its 12 saves 2% more for twelve times the time, which a
/// kept page pays again after every write.
const KEPT_LEVEL: CompressionLvl = level(9);

/// A libdeflate level, checked when the server is compiled rather than
/// replaced by its default if it were out of range.
const fn level(level: i32) -> CompressionLvl {
    match CompressionLvl::new(level) {
        Ok(level) => level,
        Err(_) => panic!("libdeflate's levels are 0 to 12"),
    }
}

thread_local! {
    /// A compressor for answers made per request, one per thread: its
    /// tables are allocated once rather than for every answer.
    static PER_REQUEST: RefCell<Compressor> =
        RefCell::new(Compressor::new(PER_REQUEST_LEVEL));
    /// zlib-rs at its fastest, for what is around texts deflated ahead.
    static AROUND_PARTS: RefCell<flate2::Compress> =
        RefCell::new(flate2::Compress::new(flate2::Compression::fast(), false));
}

/// Texts that every page carries as they are, deflated once at start (see
/// [`holdspace_app::unchanging_markup`]).
#[derive(Debug, Default)]
pub struct CommonParts(Vec<Arc<PreDeflated>>);

impl CommonParts {
    pub fn new(texts: Vec<String>) -> Self {
        Self(texts.into_iter().map(|text| Arc::new(PreDeflated::new(text))).collect())
    }
}

/// The texts deflated ahead that a request's answer will carry, told by
/// whatever makes the answer ([`answer_carries`]); in the request's
/// extensions while its client takes gzip.
#[derive(Clone, Debug, Default)]
struct CarriedParts(Arc<Mutex<Vec<Arc<PreDeflated>>>>);

impl CarriedParts {
    fn take(&self) -> Vec<Arc<PreDeflated>> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}

/// Where each of `parts` first stands in `plain`, in order, leaving out
/// those not there and any that would overlap one before it.
fn find_in<'a>(plain: &[u8], parts: impl IntoIterator<Item = &'a PreDeflated>) -> Vec<(usize, &'a PreDeflated)> {
    let mut found: Vec<_> = parts
        .into_iter()
        .filter(|part| part.deflated().is_some() && !part.text().is_empty())
        .filter_map(|part| {
            let text = part.text().as_bytes();
            // Looked for by its first bytes, then compared whole: a finder
            // built for the whole text costs more than deflating it.
            let head = &text[..text.len().min(64)];
            memchr::memmem::find_iter(plain, head)
                .find(|&at| plain[at..].starts_with(text))
                .map(|at| (at, part))
        })
        .collect();
    found.sort_unstable_by_key(|&(at, _)| at);
    let mut end = 0;
    found.retain(|&(at, part)| {
        let keep = at >= end;
        if keep {
            end = at + part.text().len();
        }
        keep
    });
    found
}

/// Whether setting `parts` in is worth it for an answer of `length` bytes:
/// when they are at least half of it. What is between them is deflated by
/// zlib-rs at its fastest, which writes about a third more bytes for the
/// same markup than libdeflate at level 1 (1,920 against 1,497 for what
/// comes before a module's text); that costs the reader little only where
/// most of the page was deflated ahead, and a page mostly its own markup
/// goes whole to libdeflate.
fn worth_setting_in(parts: &[(usize, &PreDeflated)], length: usize) -> bool {
    let set_in: usize = parts.iter().map(|(_, part)| part.text().len()).sum();
    set_in > 0 && set_in * 2 >= length
}

/// Tells the compression layer that the answer being made carries `part`
/// as it is, so its deflated form can be set in. Called from a page's
/// Leptos context; nothing happens where its client takes no gzip.
pub fn answer_carries(part: Arc<PreDeflated>) {
    let Some(parts) = leptos::prelude::use_context::<axum::http::request::Parts>() else {
        return;
    };
    if let Some(carried) = parts.extensions.get::<CarriedParts>() {
        carried
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(part);
    }
}

/// Gzips a text answer for a client that takes gzip.
pub async fn compress(State(common): State<Arc<CommonParts>>, mut request: Request, next: Next) -> Response {
    let takes_gzip = request.method() != Method::HEAD && accepts(request.headers(), "gzip");
    let carried = CarriedParts::default();
    if takes_gzip {
        request.extensions_mut().insert(carried.clone());
    }
    let response = next.run(request).await;
    // Sent as it is to a client that takes no gzip: an answer without
    // `Content-Encoding` suits every client, so no `Vary` is needed.
    if !takes_gzip
        || !is_compressible(response.headers())
        || response
            .body()
            .size_hint()
            .upper()
            .is_some_and(|size| size < WORTH_COMPRESSING as u64)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let plain = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "an answer could not be read to compress it");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let compressed = (plain.len() >= WORTH_COMPRESSING)
        .then(|| {
            let carried = carried.take();
            let parts = find_in(&plain, carried.iter().chain(&common.0).map(|part| &**part));
            if !worth_setting_in(&parts, plain.len()) {
                return gzip(&plain, Effort::PerRequest);
            }
            // What could not be set in is deflated with its page, as any other.
            gzip_around(&plain, &parts).or_else(|| gzip(&plain, Effort::PerRequest))
        })
        .flatten();
    let Some(compressed) = compressed else {
        return Response::from_parts(parts, Body::from(plain));
    };
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    Response::from_parts(parts, Body::from(Bytes::from(compressed)))
}

/// Text of any kind, not yet encoded. PDFs, archives and images compress
/// their own streams; anything else is passed on as it comes.
fn is_compressible(headers: &HeaderMap) -> bool {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    !headers.contains_key(header::CONTENT_ENCODING)
        && (kind.starts_with("text/") || ["json", "javascript", "xml"].iter().any(|text| kind.contains(text)))
}

/// `plain` as a gzip member, or nothing if libdeflate refused (it does
/// not, given room for its bound): the answer then goes as it is.
pub fn gzip(plain: &[u8], effort: Effort) -> Option<Vec<u8>> {
    let run = |compressor: &mut Compressor| {
        let mut compressed = vec![0; compressor.gzip_compress_bound(plain.len())];
        match compressor.gzip_compress(plain, &mut compressed) {
            Ok(length) => {
                compressed.truncate(length);
                Some(compressed)
            }
            Err(error) => {
                tracing::error!(%error, "gzip failed");
                None
            }
        }
    };
    match effort {
        Effort::PerRequest => PER_REQUEST.with_borrow_mut(run),
        Effort::Kept => run(&mut Compressor::new(KEPT_LEVEL)),
    }
}

/// A gzip member's header: deflate, no name or time, unknown system.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// `plain` as a gzip member, each of `parts` (found in it where it says,
/// in order) set in as it was deflated ahead: what is between them deflated
/// by one stream that steps over each part. Nothing if a stretch between
/// them holds a zero byte (see `deflate_past`), or zlib refused.
fn gzip_around(plain: &[u8], parts: &[(usize, &PreDeflated)]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(GZIP_HEADER.len() + plain.len() / 2);
    out.extend_from_slice(&GZIP_HEADER);
    let mut crc = crc32fast::Hasher::new();
    let deflated = AROUND_PARTS.with_borrow_mut(|compressor| {
        compressor.reset();
        let mut from = 0;
        for &(at, part) in parts {
            let between = &plain[from..at];
            if from > 0 && memchr::memchr(0, between).is_some() {
                return Ok(false);
            }
            deflate_open(between, compressor, &mut out)?;
            crc.update(between);
            deflate_past(part.text().len(), compressor)?;
            out.extend_from_slice(part.deflated().unwrap_or_default());
            crc.combine(part.crc());
            from = at + part.text().len();
        }
        let rest = &plain[from..];
        if memchr::memchr(0, rest).is_some() {
            return Ok(false);
        }
        deflate_end(rest, compressor, &mut out)?;
        crc.update(rest);
        std::io::Result::Ok(true)
    });
    match deflated {
        Ok(true) => {}
        Ok(false) => return None,
        Err(error) => {
            tracing::error!(%error, "deflate failed");
            return None;
        }
    }
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    // The length modulo 2³², as gzip has it.
    out.extend_from_slice(&(plain.len() as u32).to_le_bytes());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(compressed: &[u8]) -> Vec<u8> {
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(compressed)
            .read_to_end(&mut plain)
            .unwrap();
        plain
    }

    #[test]
    fn each_answer_is_whole_whatever_was_compressed_before() {
        let long: Vec<u8> = (0..200_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let short = b"<p>A page, short and repetitive, repetitive, repetitive.</p>".repeat(40);
        for effort in [Effort::PerRequest, Effort::Kept] {
            for plain in [&long[..], &short[..], &long[..], b"", &short[..]] {
                let compressed = gzip(plain, effort).unwrap();
                assert_eq!(inflate(&compressed), plain);
            }
            assert!(gzip(&short, effort).unwrap().len() * 10 < short.len());
        }
    }

    #[test]
    fn an_answer_with_texts_deflated_ahead_is_one_whole_gzip_member() {
        let text = "<p>Notice what is happening in the room, and in you.</p>".repeat(120);
        let script = "(() => { idle(() => import('/pkg/holdspace.js')); })()".repeat(30);
        let (text_part, script_part) = (PreDeflated::new(text.clone()), PreDeflated::new(script.clone()));
        // Long enough that the stretch after a text could refer to the
        // stretch before it, across the text.
        let head = "<!DOCTYPE html><html><head><title>A module</title></head><body><article>".repeat(20);
        let tail = "</article><nav>Next: grounding</nav></body></html>";
        let pages = [
            text.clone(),
            format!("{head}{text}"),
            format!("{text}{tail}"),
            format!("{head}{text}{tail}"),
            format!("<head><script>{script}</script>{head}{text}{tail}{head}"),
            format!("{script}{text}{tail}"),
            format!("{head}{text}{script}"),
        ];
        for plain in &pages {
            let parts = find_in(plain.as_bytes(), [&text_part, &script_part]);
            let expected = usize::from(plain.contains(&text)) + usize::from(plain.contains(&script));
            assert_eq!(parts.len(), expected, "{plain}");
            let compressed = gzip_around(plain.as_bytes(), &parts).unwrap();
            assert_eq!(
                inflate(&compressed),
                plain.as_bytes(),
                "read back whole, checksum and length included"
            );
            for (_, part) in parts {
                assert!(
                    memchr::memmem::find(&compressed, part.deflated().unwrap()).is_some(),
                    "each text goes as it was deflated ahead"
                );
            }
        }
        let changed = text.replacen("room", "hall", 1);
        assert!(
            find_in(changed.as_bytes(), [&text_part]).is_empty(),
            "only the very same text is set in"
        );
        let twice = format!("{text}{text}");
        assert_eq!(
            find_in(twice.as_bytes(), [&text_part, &text_part]).len(),
            1,
            "parts never overlap"
        );
    }

    #[test]
    fn only_pages_mostly_deflated_ahead_are_set_in() {
        let script = PreDeflated::new("(() => { idle(() => import('/pkg/holdspace.js')); })()".repeat(30));
        let text = PreDeflated::new("<p>Notice what is happening in the room, and in you.</p>".repeat(120));
        let markup = "<li><a href=\"/courses/listening\">Listening well</a> 3 of 5 modules</li>".repeat(60);
        let module_page = format!("<script>{}</script>{}{markup}", script.text(), text.text());
        let dashboard = format!("<script>{}</script>{markup}", script.text());
        let parts = find_in(module_page.as_bytes(), [&script, &text]);
        assert!(worth_setting_in(&parts, module_page.len()));
        let parts = find_in(dashboard.as_bytes(), [&script, &text]);
        assert_eq!(parts.len(), 1);
        assert!(!worth_setting_in(&parts, dashboard.len()));
        assert!(!worth_setting_in(&[], 0));
    }

    #[test]
    fn a_zero_byte_after_a_text_deflated_ahead_means_the_page_is_deflated_whole() {
        let text = "<p>Take a breath before the next part.</p>".repeat(40);
        let part = PreDeflated::new(text.clone());
        // Zeros after the text could be deflated as copies of the zeros
        // `deflate_past` stood in for it with, which the reader never had.
        let plain = format!("<main>{text}\0\0\0\0\0\0</main>");
        let parts = find_in(plain.as_bytes(), [&part]);
        assert_eq!(parts.len(), 1);
        assert!(gzip_around(plain.as_bytes(), &parts).is_none());
        let before = format!("\0\0\0\0\0\0<main>{text}</main>");
        let parts = find_in(before.as_bytes(), [&part]);
        assert_eq!(
            inflate(&gzip_around(before.as_bytes(), &parts).unwrap()),
            before.as_bytes()
        );
    }

    #[test]
    fn only_unencoded_text_is_compressed() {
        let of = |kind: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(kind).unwrap());
            headers
        };
        for kind in [
            "text/html; charset=utf-8",
            "text/csv",
            "application/json",
            "application/ld+json",
        ] {
            assert!(is_compressible(&of(kind)), "{kind}");
        }
        for kind in ["application/pdf", "application/gzip", "image/png", "application/wasm"] {
            assert!(!is_compressible(&of(kind)), "{kind}");
        }
        let mut encoded = of("text/html");
        encoded.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
        assert!(!is_compressible(&encoded));
    }
}
