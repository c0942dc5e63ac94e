//! Validators for the public pages (the catalog, course outlines, the verify
//! page), so that a repeat visit on a slow link costs a `304 Not Modified`
//! instead of the page again.
//!
//! The tag is a hash of the page as sent, except for the per-response
//! script nonce, which would otherwise make every tag new: any change a
//! reader would see (a revocation on the verify page, a new course version)
//! gives a new tag. `Cache-Control: no-cache` makes the browser ask every
//! time, so a revocation is never hidden behind a cached page. Pages for a
//! signed-in person get none: they are `no-store`.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use holdspace_app::ports::SignedIn;
use sha2::{Digest, Sha256};

/// Whether `path` is a public page whose copy a browser may keep.
fn is_public_page(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    matches!(segments.as_slice(), [""] | ["courses"] | ["courses", _] | ["verify", _])
}

pub async fn tag(request: Request, next: Next) -> Response {
    let eligible = matches!(*request.method(), Method::GET | Method::HEAD)
        && is_public_page(request.uri().path())
        && request.extensions().get::<SignedIn>().is_none();
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !eligible || response.status() != StatusCode::OK || response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The whole page is hashed, so it is read in full (it would be sent in
    // full anyway); only a broken render stream fails here.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "a public page could not be read to tag it");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let nonce = parts
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|policy| policy.to_str().ok())
        .and_then(|policy| policy.split("'nonce-").nth(1))
        .and_then(|rest| rest.split('\'').next())
        .map(str::to_owned);
    let etag = entity_tag(&bytes, nonce.as_deref());
    parts.headers.insert(header::ETAG, etag.clone());
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let matches = if_none_match
        .as_ref()
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"));
    if matches {
        // The browser's copy stays as it is, with the policy (and nonce) it
        // came with: a new policy here would block its scripts.
        let mut not_modified = Response::new(Body::empty());
        *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
        for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
            for value in parts.headers.get_all(&name) {
                not_modified.headers_mut().append(name.clone(), value.clone());
            }
        }
        return not_modified;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A weak tag (the compression layer sends the same page in several
/// encodings): the SHA-256 of the body with the nonce taken out.
fn entity_tag(body: &[u8], nonce: Option<&str>) -> HeaderValue {
    let mut hasher = Sha256::new();
    match nonce.filter(|nonce| !nonce.is_empty()) {
        Some(nonce) => {
            let mut rest = body;
            while let Some(at) = find(rest, nonce.as_bytes()) {
                hasher.update(&rest[..at]);
                rest = &rest[at + nonce.len()..];
            }
            hasher.update(rest);
        }
        None => hasher.update(body),
    }
    let digest = hasher.finalize();
    HeaderValue::from_str(&format!("W/\"{}\"", hex::encode(&digest[..16]))).expect("hex is a valid header value")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nonce_does_not_change_the_tag() {
        let first = entity_tag(b"<script nonce=\"abc\">x</script>", Some("abc"));
        let second = entity_tag(b"<script nonce=\"xyz\">x</script>", Some("xyz"));
        assert_eq!(first, second);
        assert_ne!(first, entity_tag(b"<script nonce=\"xyz\">y</script>", Some("xyz")));
    }

    #[test]
    fn only_public_pages_are_tagged() {
        for path in ["/", "/courses", "/courses/demo-course", "/verify/HS-7K2M-9QXD-4FTRW"] {
            assert!(is_public_page(path), "{path}");
        }
        for path in [
            "/me",
            "/courses/demo-course/listening",
            "/teach/demo-course/learners",
            "/verify",
        ] {
            assert!(!is_public_page(path), "{path}");
        }
    }
}
