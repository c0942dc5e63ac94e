//! Answers that are the same for everyone who is not signed in: the public
//! pages (the catalog, course outlines, the verify page) and the API's
//! certificate lookup. Each is made once, kept for a moment and compressed
//! once; a page is sent with a validator, so that a repeat visit on a slow
//! link costs a `304 Not Modified`.
//!
//! A kept answer is used again until this process commits a write (a
//! revocation, a new course version, anything) or a second has passed (the
//! longest another instance on the same database can show an older one).
//! `Cache-Control: no-cache` makes the browser ask every time, so a
//! revocation is never hidden behind a browser's copy. Pages for a
//! signed-in person are never kept: they are `no-store`.
//!
//! A page sent to many people cannot carry one response's script nonce, so
//! its inline scripts are named in its policy by their SHA-256 digest
//! instead. Only the scripts that carried the nonce Leptos gave them are
//! named: one that someone's text smuggled into the page had no nonce, and
//! it stays blocked.

use super::accept_encoding::accepts;
use super::compression::{self, Effort, WORTH_COMPRESSING};
use super::security_headers;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use holdspace_app::ports::SignedIn;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long another instance's writes can go unseen on a kept answer.
const FRESH_FOR: Duration = Duration::from_secs(1);

/// Verify pages and lookups are one per certificate: the number kept is bounded.
const MOST_KEPT: usize = 512;

/// The answers kept for reuse, by path and query.
#[derive(Default)]
pub struct PublicCache {
    kept: Mutex<HashMap<String, Arc<KeptAnswer>>>,
}

/// An answer as sent; a page without its nonce.
struct KeptAnswer {
    made: Instant,
    /// [`crate::db::committed_writes`] before it was made.
    writes: u64,
    /// Its own headers (type, policy, tag), as sent.
    headers: HeaderMap,
    plain: Bytes,
    gzip: Option<Bytes>,
}

/// Whether `path`'s answer is the same for everyone not signed in.
fn is_public(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    matches!(
        segments.as_slice(),
        [""] | ["courses"] | ["courses", _] | ["verify", _] | ["api", "v1", "certificates", _]
    )
}

pub async fn serve(State(cache): State<Arc<PublicCache>>, request: Request, next: Next) -> Response {
    let eligible = matches!(*request.method(), Method::GET | Method::HEAD)
        && is_public(request.uri().path())
        && request.extensions().get::<SignedIn>().is_none();
    if !eligible {
        return next.run(request).await;
    }
    let key = request.uri().to_string();
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let gzip = accepts_gzip(request.headers());
    let answer = match cache.fresh(&key) {
        Some(answer) => answer,
        None => {
            let writes = crate::db::committed_writes();
            let response = next.run(request).await;
            match KeptAnswer::of(response, writes).await {
                Ok(answer) => cache.keep(key, answer),
                Err(response) => return response,
            }
        }
    };
    answer.respond(if_none_match.as_ref(), gzip)
}

impl PublicCache {
    fn fresh(&self, key: &str) -> Option<Arc<KeptAnswer>> {
        let kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.get(key).filter(|answer| answer.is_fresh()).cloned()
    }

    fn keep(&self, key: String, answer: KeptAnswer) -> Arc<KeptAnswer> {
        let answer = Arc::new(answer);
        let mut kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept.len() >= MOST_KEPT {
            kept.retain(|_, answer| answer.is_fresh());
        }
        if kept.len() < MOST_KEPT {
            kept.insert(key, answer.clone());
        }
        answer
    }
}

impl KeptAnswer {
    fn is_fresh(&self) -> bool {
        self.writes == crate::db::committed_writes() && self.made.elapsed() < FRESH_FOR
    }

    /// An answer made fit to send to anyone; anything else (an error, a
    /// redirect, an answer that sets a cookie, a page that chose its own
    /// caching) is handed back untouched.
    async fn of(response: Response, writes: u64) -> Result<Self, Response> {
        let headers = response.headers();
        let is_page = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"));
        if response.status() != StatusCode::OK
            || headers.contains_key(header::SET_COOKIE)
            || headers.contains_key(header::CONTENT_ENCODING)
            || (is_page && headers.contains_key(header::CACHE_CONTROL))
        {
            return Err(response);
        }
        let (parts, body) = response.into_parts();
        // Read in full (it would be sent in full anyway); only a broken
        // render stream fails here.
        let made = match to_bytes(body, usize::MAX).await {
            Ok(bytes) => bytes,
            Err(error) => {
                tracing::error!(%error, "a public answer could not be read to keep it");
                return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
        };
        let mut headers = parts.headers;
        headers.remove(header::CONTENT_LENGTH);
        let nonce = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|policy| policy.to_str().ok())
            .and_then(|policy| policy.split("'nonce-").nth(1))
            .and_then(|rest| rest.split('\'').next())
            .filter(|nonce| is_page && !nonce.is_empty())
            .map(str::to_owned);
        let plain = match nonce {
            Some(nonce) => {
                let (plain, digests) = without_nonce(&made, &nonce);
                let policy = security_headers::page_policy_for_digests(digests.iter().map(String::as_str));
                headers.insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_str(&policy).expect("the policy is a valid header value"),
                );
                Bytes::from(plain)
            }
            None => made,
        };
        if is_page {
            headers.insert(header::ETAG, entity_tag(&plain));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        }
        let gzip = (plain.len() >= WORTH_COMPRESSING)
            .then(|| compression::gzip(&plain, Effort::Kept))
            .flatten()
            .map(Bytes::from);
        if gzip.is_some() {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        Ok(Self {
            made: Instant::now(),
            writes,
            headers,
            plain,
            gzip,
        })
    }

    fn respond(&self, if_none_match: Option<&HeaderValue>, gzip: bool) -> Response {
        let matches = self.headers.get(header::ETAG).is_some_and(|etag| {
            if_none_match
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"))
        });
        if matches {
            // The browser's copy stays as it is, with the policy it came with.
            let mut not_modified = Response::new(Body::empty());
            *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
            for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
                if let Some(value) = self.headers.get(&name) {
                    not_modified.headers_mut().insert(name, value.clone());
                }
            }
            return not_modified;
        }
        let gzip = self.gzip.as_ref().filter(|_| gzip);
        let mut response = Response::new(Body::from(gzip.unwrap_or(&self.plain).clone()));
        *response.headers_mut() = self.headers.clone();
        if gzip.is_some() {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        response
    }
}

/// The page with `nonce` taken out, and the digests of the inline scripts
/// that carried it.
fn without_nonce(page: &[u8], nonce: &str) -> (Vec<u8>, Vec<String>) {
    let marked = format!("nonce=\"{nonce}\"");
    let mut digests = Vec::new();
    let mut rest = page;
    while let Some(at) = find(rest, b"<script") {
        rest = &rest[at..];
        let Some(tag_end) = find(rest, b">") else { break };
        let content = &rest[tag_end + 1..];
        let Some(content_end) = find(content, b"</script>") else {
            break;
        };
        if find(&rest[..tag_end], marked.as_bytes()).is_some() {
            let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&content[..content_end]));
            if !digests.contains(&digest) {
                digests.push(digest);
            }
        }
        rest = &content[content_end..];
    }
    // The scripts' attribute goes; anywhere else (Leptos also writes it as
    // the value of the preload links' `crossorigin`) the value is emptied.
    let mut plain = Vec::with_capacity(page.len());
    let mut rest = page;
    while let Some(at) = find(rest, nonce.as_bytes()) {
        let before = &rest[..at];
        match before.strip_suffix(b" nonce=\"") {
            Some(kept) => {
                plain.extend_from_slice(kept);
                rest = &rest[at + nonce.len() + 1..];
            }
            None => {
                plain.extend_from_slice(before);
                rest = &rest[at + nonce.len()..];
            }
        }
    }
    plain.extend_from_slice(rest);
    (plain, digests)
}

/// Whether the request takes a gzip body, named or as any coding (`q=0`
/// refuses it).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    accepts(headers, "gzip") || accepts(headers, "*")
}

/// A weak tag (the same page goes in two encodings): the page's SHA-256.
fn entity_tag(page: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(page);
    HeaderValue::from_str(&format!("W/\"{}\"", hex::encode(&digest[..16]))).expect("hex is a valid header value")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_scripts_that_carried_the_nonce_are_named() {
        let page = br#"<link rel="modulepreload" href="/pkg/a.js" crossorigin="abc"><script type="module" nonce="abc">go()</script><p><script>smuggled()</script></p><script nonce="abc">x=1</script>"#;
        let (plain, digests) = without_nonce(page, "abc");
        assert_eq!(
            String::from_utf8(plain).unwrap(),
            r#"<link rel="modulepreload" href="/pkg/a.js" crossorigin=""><script type="module">go()</script><p><script>smuggled()</script></p><script>x=1</script>"#
        );
        let digest = |script: &[u8]| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
        assert_eq!(digests, [digest(b"go()"), digest(b"x=1")]);
    }

    #[test]
    fn gzip_is_sent_only_to_those_who_take_it() {
        let asking = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            accepts_gzip(&headers)
        };
        assert!(asking("gzip, deflate, br"));
        assert!(asking("br;q=1.0, GZIP;q=0.5"));
        assert!(asking("*"));
        assert!(!asking("br"));
        assert!(!asking("gzip;q=0, br"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn only_public_answers_are_kept() {
        for path in [
            "/",
            "/courses",
            "/courses/demo-course",
            "/verify/HS-7K2M-9QXD-4FTRW",
            "/api/v1/certificates/HS-7K2M-9QXD-4FTRW",
        ] {
            assert!(is_public(path), "{path}");
        }
        for path in [
            "/me",
            "/courses/demo-course/listening",
            "/teach/demo-course/learners",
            "/verify",
            "/api/v1/verifications",
            "/certificates/HS-7K2M-9QXD-4FTRW/certificate.pdf",
        ] {
            assert!(!is_public(path), "{path}");
        }
    }
}
