//! The browser bundle and stylesheet (`/pkg/…`), sent from memory.
//!
//! The site build (`.ci/site`) names each file after its content and writes
//! a brotli and a gzip copy beside it; all are read once at start, so a
//! request costs a map lookup: no disk, no compression, no session and no
//! database. A file whose name carries its content hash can never change,
//! so browsers keep it for a year without asking again; a file without one
//! (a `cargo leptos watch` build) is revalidated each time instead.

use super::accept_encoding::accepts;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Arc;

/// One file, in each encoding the build wrote.
#[derive(Debug)]
struct Asset {
    identity: axum::body::Bytes,
    brotli: Option<axum::body::Bytes>,
    gzip: Option<axum::body::Bytes>,
    content_type: &'static str,
    immutable: bool,
}

/// Every file of the bundle directory, by name.
#[derive(Debug, Default)]
pub struct Assets {
    files: HashMap<String, Asset>,
}

impl Assets {
    /// Reads `dir` (the site's `pkg`); a missing directory gives no files
    /// (tests and `cargo check` builds have none).
    pub fn load(dir: &std::path::Path) -> std::io::Result<Self> {
        let mut files = HashMap::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(error) => return Err(error),
        };
        for entry in entries {
            let path = entry?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
                continue;
            };
            let Some(content_type) = content_type(&name) else {
                continue;
            };
            let sibling = |suffix: &str| std::fs::read(dir.join(format!("{name}.{suffix}"))).ok().map(Into::into);
            files.insert(
                name.clone(),
                Asset {
                    identity: std::fs::read(&path)?.into(),
                    brotli: sibling("br"),
                    gzip: sibling("gz"),
                    content_type,
                    immutable: is_hashed(&name),
                },
            );
        }
        Ok(Self { files })
    }
}

/// What the bundle holds; compressed copies and `hash.txt` are not served as such.
fn content_type(name: &str) -> Option<&'static str> {
    match name.rsplit('.').next()? {
        "js" => Some("text/javascript; charset=utf-8"),
        "wasm" => Some("application/wasm"),
        "css" => Some("text/css; charset=utf-8"),
        _ => None,
    }
}

/// `holdspace.0123456789abcdef.css`: a name with sixteen hex digits before its extension.
fn is_hashed(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let _extension = parts.next();
    parts
        .next()
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub async fn serve(State(assets): State<Arc<Assets>>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = assets.files.get(&file) else {
        return (StatusCode::NOT_FOUND, "There is no such file.\n").into_response();
    };
    let (body, encoding) = match (&asset.brotli, &asset.gzip) {
        (Some(brotli), _) if accepts(&headers, "br") => (brotli.clone(), Some("br")),
        (_, Some(gzip)) if accepts(&headers, "gzip") => (gzip.clone(), Some("gzip")),
        _ => (asset.identity.clone(), None),
    };
    let mut response = Response::new(Body::from(body));
    let out = response.headers_mut();
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    out.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if asset.immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
    out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(encoding) = encoding {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_with_a_content_hash_are_kept_for_a_year() {
        assert!(is_hashed("holdspace.0123456789abcdef.css"));
        assert!(!is_hashed("holdspace.css"));
        assert!(!is_hashed("holdspace_bg.wasm"));
        assert!(!is_hashed("holdspace.0123456789abcdeg.css"));
    }
}
