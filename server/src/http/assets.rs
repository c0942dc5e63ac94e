//! The browser bundle and stylesheet (`/pkg/…`), sent from memory.
//!
//! The site build (`.ci/site`) names each file after its content and writes
//! a brotli and a gzip copy beside it; all are read once at start, so a
//! request costs a map lookup: no disk, no compression, no session and no
//! database. A file whose name carries its content hash can never change,
//! so browsers keep it for a year without asking again; a file without one
//! (a `cargo leptos watch` build) is revalidated each time instead.
//!
//! Pages name the hashed files by one name for the whole bundle,
//! `holdspace.<bundle hash>.{css,js,wasm}` (see [`Assets::output_name`]):
//! Leptos can write a single name into a page without asking, but for a
//! name per file it reads `hash.txt` from disk twice for every page, a
//! twentieth of a module page's time.

use super::accept_encoding::accepts;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Arc;

/// One file, in each encoding the build wrote.
#[derive(Debug, Clone)]
struct Asset {
    identity: axum::body::Bytes,
    brotli: Option<axum::body::Bytes>,
    gzip: Option<axum::body::Bytes>,
    content_type: &'static str,
    immutable: bool,
}

/// Every file of the bundle directory, by the name pages ask for it.
#[derive(Debug)]
pub struct Assets {
    files: HashMap<String, Asset>,
    output_name: String,
}

/// What the site build calls the bundle, before any hash.
const NAME: &str = "holdspace";

impl Assets {
    /// Reads `dir` (the site's `pkg`); a missing directory gives no files
    /// (tests and `cargo check` builds have none).
    pub fn load(dir: &std::path::Path) -> std::io::Result<Self> {
        let mut found = Vec::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Self::named(found)),
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
            let asset = Asset {
                identity: std::fs::read(&path)?.into(),
                brotli: sibling("br"),
                gzip: sibling("gz"),
                content_type,
                immutable: is_hashed(&name),
            };
            found.push((name, asset));
        }
        let names: Vec<&str> = found.iter().map(|(name, _)| name.as_str()).collect();
        one_of_each(&names).map_err(std::io::Error::other)?;
        Ok(Self::named(found))
    }

    /// Files with a content hash go under the bundle's name, whose hash
    /// covers all of theirs, so that any change to one renames them all;
    /// the rest keep their own names.
    fn named(found: Vec<(String, Asset)>) -> Self {
        let mut hashed: Vec<&str> = found
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|n| is_hashed(n))
            .collect();
        hashed.sort_unstable();
        let output_name = if hashed.is_empty() {
            NAME.to_owned()
        } else {
            format!("{NAME}.{}", bundle_hash(&hashed))
        };
        let mut files = HashMap::new();
        for (name, asset) in found {
            if !asset.immutable {
                files.insert(name, asset);
                continue;
            }
            let extension = extension(&name);
            if extension == "wasm" {
                // Leptos adds `_bg` to the name of the wasm file unless the
                // server was built by cargo-leptos; either is this file.
                files.insert(format!("{output_name}_bg.wasm"), asset.clone());
            }
            files.insert(format!("{output_name}.{extension}"), asset);
        }
        Self { files, output_name }
    }

    /// The name Leptos gives the stylesheet, script and wasm in each page
    /// (before `.css`, `.js`, `.wasm`).
    pub fn output_name(&self) -> &str {
        &self.output_name
    }
}

/// Refuses two hashed files of one kind (a copy of an old build left
/// beside the new one): both would go under the one bundle name.
fn one_of_each(names: &[&str]) -> Result<(), String> {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for name in names.iter().filter(|n| is_hashed(n)) {
        let extension = extension(name);
        if let Some(other) = seen.insert(extension, name) {
            return Err(format!(
                "{other} and {name} are both there; the site build leaves one of each"
            ));
        }
    }
    Ok(())
}

/// Sixteen hex digits of a digest of the files' hashed names.
fn bundle_hash(hashed_names: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(hashed_names.join("\n"));
    hex::encode(&digest[..8])
}

/// What the bundle holds; compressed copies and `hash.txt` are not served as such.
fn content_type(name: &str) -> Option<&'static str> {
    match extension(name) {
        "js" => Some("text/javascript; charset=utf-8"),
        "wasm" => Some("application/wasm"),
        "css" => Some("text/css; charset=utf-8"),
        _ => None,
    }
}

/// What follows a name's last dot (the whole name if it has none).
fn extension(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
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

    fn asset(name: &str) -> (String, Asset) {
        let asset = Asset {
            identity: name.to_owned().into(),
            brotli: None,
            gzip: None,
            content_type: content_type(name).unwrap(),
            immutable: is_hashed(name),
        };
        (name.to_owned(), asset)
    }

    fn bundle(css: &str) -> Assets {
        Assets::named(vec![
            asset(&format!("holdspace.{css}.css")),
            asset("holdspace.1111111111111111.js"),
            asset("holdspace.2222222222222222.wasm"),
        ])
    }

    #[test]
    fn hashed_files_go_under_one_name_that_changes_with_any_of_them() {
        let assets = bundle("0123456789abcdef");
        let name = assets.output_name();
        assert!(is_hashed(&format!("{name}.css")), "{name}");
        let mut names: Vec<&str> = assets.files.keys().map(String::as_str).collect();
        names.sort_unstable();
        let wasm = format!("{name}.wasm");
        let bg = format!("{name}_bg.wasm");
        let mut expected = vec![format!("{name}.css"), format!("{name}.js"), wasm.clone(), bg.clone()];
        expected.sort_unstable();
        assert_eq!(names, expected);
        assert_eq!(assets.files[&bg].identity, assets.files[&wasm].identity);
        assert_eq!(
            &assets.files[&format!("{name}.css")].identity[..],
            b"holdspace.0123456789abcdef.css"
        );
        assert_ne!(bundle("fedcba9876543210").output_name(), name);
    }

    #[test]
    fn two_builds_in_one_folder_are_refused() {
        let one = [
            "holdspace.0123456789abcdef.css",
            "holdspace.1111111111111111.js",
            "holdspace.css",
        ];
        assert_eq!(one_of_each(&one), Ok(()));
        let two = ["holdspace.0123456789abcdef.css", "holdspace.fedcba9876543210.css"];
        assert!(
            one_of_each(&two)
                .unwrap_err()
                .contains("holdspace.fedcba9876543210.css")
        );
    }

    #[test]
    fn unhashed_files_keep_their_names() {
        let assets = Assets::named(vec![asset("holdspace.css"), asset("holdspace.wasm")]);
        assert_eq!(assets.output_name(), "holdspace");
        assert!(!assets.files["holdspace.css"].immutable);
        assert!(assets.files.contains_key("holdspace.wasm"));
    }

    #[test]
    fn only_names_with_a_content_hash_are_kept_for_a_year() {
        assert!(is_hashed("holdspace.0123456789abcdef.css"));
        assert!(!is_hashed("holdspace.css"));
        assert!(!is_hashed("holdspace_bg.wasm"));
        assert!(!is_hashed("holdspace.0123456789abcdeg.css"));
    }
}
