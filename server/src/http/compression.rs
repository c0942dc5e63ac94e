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
//! a module's text, three fifths of its page), is set into the stream as
//! it was deflated, and only what is around it is deflated per answer, by
//! zlib-rs at its fastest (libdeflate cannot leave a stream open for it)
//! and then libdeflate; the checksums are combined.

use super::accept_encoding::accepts;
use crate::pre_deflated::{PreDeflated, deflate_open};
use axum::body::{Body, Bytes, HttpBody as _, to_bytes};
use axum::extract::Request;
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
    /// zlib-rs at its fastest, for what comes before a text deflated ahead.
    static BEFORE_PART: RefCell<flate2::Compress> =
        RefCell::new(flate2::Compress::new(flate2::Compression::fast(), false));
}

/// The texts deflated ahead that a request's answer will carry, told by
/// whatever makes the answer ([`answer_carries`]); in the request's
/// extensions while its client takes gzip.
#[derive(Clone, Debug, Default)]
struct CarriedParts(Arc<Mutex<Vec<Arc<PreDeflated>>>>);

impl CarriedParts {
    /// The first of them found in `plain`, with where it starts.
    fn find_in(&self, plain: &[u8]) -> Option<(usize, Arc<PreDeflated>)> {
        let parts = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        parts.iter().filter(|part| part.deflated().is_some()).find_map(|part| {
            let text = part.text().as_bytes();
            // Looked for by its first bytes, then compared whole: a finder
            // built for the whole text costs more than deflating it.
            let head = &text[..text.len().min(64)];
            memchr::memmem::find_iter(plain, head)
                .find(|&at| plain[at..].starts_with(text))
                .map(|at| (at, part.clone()))
        })
    }
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
pub async fn compress(mut request: Request, next: Next) -> Response {
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
        .then(|| match carried.find_in(&plain) {
            Some((at, part)) => gzip_around(&plain, at, &part),
            None => gzip(&plain, Effort::PerRequest),
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

/// `plain` as a gzip member, `part` (found in it at `at`) set in as it was
/// deflated ahead: what is before it deflated and left open, then the
/// part, then the rest, which ends the stream.
fn gzip_around(plain: &[u8], at: usize, part: &PreDeflated) -> Option<Vec<u8>> {
    let deflated = part.deflated()?;
    let (before, after) = (&plain[..at], &plain[at + part.text().len()..]);
    let mut out = Vec::with_capacity(GZIP_HEADER.len() + before.len() + deflated.len() + after.len() + 64);
    out.extend_from_slice(&GZIP_HEADER);
    let opened = BEFORE_PART.with_borrow_mut(|compressor| {
        compressor.reset();
        deflate_open(before, compressor, &mut out)
    });
    if let Err(error) = opened {
        tracing::error!(%error, "deflate failed");
        return None;
    }
    out.extend_from_slice(deflated);
    let start = out.len();
    let ended = PER_REQUEST.with_borrow_mut(|compressor| {
        out.resize(start + compressor.deflate_compress_bound(after.len()), 0);
        compressor.deflate_compress(after, &mut out[start..])
    });
    match ended {
        Ok(length) => out.truncate(start + length),
        Err(error) => {
            tracing::error!(%error, "deflate failed");
            return None;
        }
    }
    let mut crc = crc32fast::Hasher::new();
    crc.update(before);
    crc.combine(part.crc());
    let mut rest = crc32fast::Hasher::new();
    rest.update(after);
    crc.combine(&rest);
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
    fn an_answer_with_a_text_deflated_ahead_is_one_whole_gzip_member() {
        let text = "<p>Notice what is happening in the room, and in you.</p>".repeat(120);
        let part = Arc::new(PreDeflated::new(text.clone()));
        let deflated = part.deflated().unwrap();
        let head = "<!DOCTYPE html><html><head><title>A module</title></head><body><article>".repeat(20);
        let tail = "</article><nav>Next: grounding</nav></body></html>";
        for (before, after) in [("", ""), (head.as_str(), ""), ("", tail), (head.as_str(), tail)] {
            let plain = format!("{before}{text}{after}");
            let carried = CarriedParts::default();
            carried.0.lock().unwrap().push(part.clone());
            let (at, found) = carried.find_in(plain.as_bytes()).unwrap();
            assert_eq!(at, before.len());
            let compressed = gzip_around(plain.as_bytes(), at, &found).unwrap();
            assert_eq!(
                inflate(&compressed),
                plain.as_bytes(),
                "read back whole, checksum and length included"
            );
            assert!(
                memchr::memmem::find(&compressed, deflated).is_some(),
                "the text goes as it was deflated ahead"
            );
        }
        let carried = CarriedParts::default();
        carried.0.lock().unwrap().push(part);
        let changed = text.replacen("room", "hall", 1);
        assert!(
            carried.find_in(changed.as_bytes()).is_none(),
            "only the very same text is set in"
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
