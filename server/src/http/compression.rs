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

use super::accept_encoding::accepts;
use axum::body::{Body, Bytes, HttpBody as _, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use libdeflater::{CompressionLvl, Compressor};
use std::cell::RefCell;

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
}

/// Gzips a text answer for a client that takes gzip.
pub async fn compress(request: Request, next: Next) -> Response {
    let takes_gzip = request.method() != Method::HEAD && accepts(request.headers(), "gzip");
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
        .then(|| gzip(&plain, Effort::PerRequest))
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
