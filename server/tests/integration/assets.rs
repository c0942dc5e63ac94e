//! The bundle and stylesheet come from memory, under names that carry their
//! content hash, compressed at build time, and cached for a year.

use crate::compression::fetch;
use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, SET_COOKIE};
use std::io::{Read, Write};

const CSS: &str = "body { margin: 0 auto; max-width: 40rem; font-family: serif }\n";

/// A site root as `.ci/site` leaves it: hashed names, `.br` and `.gz` beside each, `hash.txt`.
fn built_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let css = pkg.join("holdspace.0123456789abcdef.css");
    std::fs::write(&css, CSS).unwrap();
    let mut brotli = Vec::new();
    brotli::CompressorWriter::new(&mut brotli, 4096, 11, 22)
        .write_all(CSS.as_bytes())
        .unwrap();
    std::fs::write(pkg.join("holdspace.0123456789abcdef.css.br"), brotli).unwrap();
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(CSS.as_bytes()).unwrap();
    std::fs::write(pkg.join("holdspace.0123456789abcdef.css.gz"), gzip.finish().unwrap()).unwrap();
    std::fs::write(
        pkg.join("hash.txt"),
        "js: 1111111111111111\nwasm: 2222222222222222\ncss: 0123456789abcdef\n",
    )
    .unwrap();
    site
}

#[tokio::test]
async fn pages_name_the_bundle_by_its_content_hash() {
    let site = built_site();
    let server = TestServer::start_with(&fixture_courses(), &["--site-root", site.path().to_str().unwrap()]);
    let page = fetch(&server, "/", "identity").await.text().await.unwrap();
    for name in [
        "/pkg/holdspace.0123456789abcdef.css",
        "/pkg/holdspace.1111111111111111.js",
        "/pkg/holdspace.2222222222222222.wasm",
    ] {
        assert!(page.contains(name), "{name} in:\n{page}");
    }
}

#[tokio::test]
async fn a_hashed_file_is_sent_precompressed_and_kept_for_a_year() {
    let site = built_site();
    let server = TestServer::start_with(&fixture_courses(), &["--site-root", site.path().to_str().unwrap()]);
    let path = "/pkg/holdspace.0123456789abcdef.css";

    let br = fetch(&server, path, "gzip, deflate, br").await;
    assert_eq!(br.status(), StatusCode::OK);
    assert_eq!(br.headers()[CONTENT_ENCODING], "br");
    assert_eq!(br.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(br.headers()[CONTENT_TYPE], "text/css; charset=utf-8");
    assert!(br.headers().get(SET_COOKIE).is_none());
    let mut decoded = String::new();
    brotli::Decompressor::new(&br.bytes().await.unwrap()[..], 4096)
        .read_to_string(&mut decoded)
        .unwrap();
    assert_eq!(decoded, CSS);

    let gzip = fetch(&server, path, "gzip").await;
    assert_eq!(gzip.headers()[CONTENT_ENCODING], "gzip");
    let mut decoded = String::new();
    flate2::read::GzDecoder::new(&gzip.bytes().await.unwrap()[..])
        .read_to_string(&mut decoded)
        .unwrap();
    assert_eq!(decoded, CSS);

    let plain = fetch(&server, path, "identity").await;
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(plain.text().await.unwrap(), CSS);

    let missing = fetch(&server, "/pkg/holdspace.ffffffffffffffff.css", "br").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
