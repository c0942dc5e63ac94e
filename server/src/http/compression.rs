//! Answers made per request are gzipped for the slow phone links volunteers
//! use: the catalog goes from 7,265 to 2,323 bytes. Gzip at level 4, since a
//! signed-in person's pages are made per request (brotli at its default 11
//! took longer than rendering the page; at 4 it made the catalog 2,252
//! bytes, with 10% fewer pages a second than gzip). Public pages are
//! compressed once when kept (see `public_cache`); the bundle and stylesheet
//! have brotli 11, made once at build time (see `assets`).
//!
//! Every page is rendered whole before it is sent (`SsrMode::Async`) and
//! every download is made in memory, so an answer is compressed in one call
//! and sent with its length, by a deflate state each thread keeps and
//! resets. tower-http's layer, used before, compressed as a stream with a
//! new state per answer (370 KB to allocate and zero) and brought three
//! crates of its own. Module pages a second were the same within the
//! benchmark's noise (3,880 and 3,904 against 3,994 and 3,658, alternated),
//! with a lower peak (54 MiB against 61).

use super::accept_encoding::accepts;
use axum::body::{Body, Bytes, HttpBody as _, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use flate2::{Compress, Compression, FlushCompress, Status};
use std::cell::RefCell;

/// An answer smaller than this is sent as it is: setting up a compressor
/// for the certificate lookup's 400 bytes of JSON halved its throughput.
pub const WORTH_COMPRESSING: usize = 1024;

/// Level 4 of 9: see the module's comment.
const LEVEL: u32 = 4;

/// deflate's largest window, as gzip uses by default.
const WINDOW_BITS: u8 = 15;

thread_local! {
    static DEFLATE: RefCell<Compress> =
        RefCell::new(Compress::new_gzip(Compression::new(LEVEL), WINDOW_BITS));
}

/// Gzips a text answer for a client that takes gzip.
pub async fn compress(request: Request, next: Next) -> Response {
    let gzip = request.method() != Method::HEAD && accepts(request.headers(), "gzip");
    let response = next.run(request).await;
    // Sent as it is to a client that takes no gzip: an answer without
    // `Content-Encoding` suits every client, so no `Vary` is needed.
    if !gzip
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
    let compressed = (plain.len() >= WORTH_COMPRESSING).then(|| deflate(&plain)).flatten();
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

/// `plain` as a gzip member, or nothing if deflate refused (it does not,
/// given memory): the answer then goes as it is.
fn deflate(plain: &[u8]) -> Option<Vec<u8>> {
    DEFLATE.with_borrow_mut(|deflate| {
        deflate.reset();
        let mut compressed = Vec::with_capacity(plain.len() / 2 + 64);
        loop {
            let rest = plain.get(usize::try_from(deflate.total_in()).ok()?..)?;
            match deflate.compress_vec(rest, &mut compressed, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => return Some(compressed),
                Ok(Status::Ok | Status::BufError) => compressed.reserve(compressed.capacity().max(1024)),
                Err(error) => {
                    tracing::error!(%error, "deflate failed");
                    return None;
                }
            }
        }
    })
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
    fn the_kept_state_makes_each_answer_whole_whatever_came_before() {
        let long: Vec<u8> = (0..200_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let short = b"<p>A page, short and repetitive, repetitive, repetitive.</p>".repeat(40);
        for plain in [&long[..], &short[..], &long[..], b"", &short[..]] {
            let compressed = deflate(plain).unwrap();
            assert_eq!(inflate(&compressed), plain);
        }
        assert!(deflate(&short).unwrap().len() * 10 < short.len());
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
