//! The bundle and stylesheet come from memory, under names that carry their
//! content hash, compressed at build time, and cached for a year.

use crate::compression::fetch;
use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, SET_COOKIE};
use std::io::{Read, Write};

const CSS: &str = "body { margin: 0 auto; max-width: 40rem; font-family: serif }\n";

const JS: &str = "export default function () {}\n";
const WASM: &[u8] = b"\0asm\x01\0\0\0";

/// A site root as `.ci/site` leaves it: hashed names, `.br` and `.gz` beside the stylesheet, `hash.txt`.
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
    std::fs::write(pkg.join("holdspace.1111111111111111.js"), JS).unwrap();
    std::fs::write(pkg.join("holdspace.2222222222222222.wasm"), WASM).unwrap();
    std::fs::write(
        pkg.join("hash.txt"),
        "js: 1111111111111111\nwasm: 2222222222222222\ncss: 0123456789abcdef\n",
    )
    .unwrap();
    site
}

/// The path of the one file of `extension` the page names under `/pkg/`.
fn named_in(page: &str, extension: &str) -> String {
    let pattern = format!(r#"/pkg/holdspace\.[0-9a-f]{{16}}(_bg)?\.{extension}\b"#);
    let found: Vec<&str> = regex_lite::Regex::new(&pattern)
        .unwrap()
        .find_iter(page)
        .map(|m| m.as_str())
        .collect();
    assert!(!found.is_empty(), "no {extension} file named in:\n{page}");
    assert!(found.iter().all(|f| *f == found[0]), "{found:?}");
    found[0].to_owned()
}

#[tokio::test]
async fn pages_name_the_bundle_by_its_content_hash() {
    let site = built_site();
    let server = TestServer::start_with(&fixture_courses(), &["--site-root", site.path().to_str().unwrap()]);
    let page = fetch(&server, "/", "identity").await.text().await.unwrap();
    for (extension, content) in [("css", CSS.as_bytes()), ("js", JS.as_bytes()), ("wasm", WASM)] {
        let path = named_in(&page, extension);
        let file = fetch(&server, &path, "identity").await;
        assert_eq!(file.status(), StatusCode::OK, "{path}");
        assert_eq!(
            file.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable",
            "{path}"
        );
        assert_eq!(&file.bytes().await.unwrap()[..], content, "{path}");
    }
}

/// The name that pages give the bundle changes with the content of any of its files.
#[tokio::test]
async fn a_new_bundle_gets_a_new_name() {
    let site = built_site();
    let server = TestServer::start_with(&fixture_courses(), &["--site-root", site.path().to_str().unwrap()]);
    let before = named_in(&fetch(&server, "/", "identity").await.text().await.unwrap(), "css");
    drop(server);
    let pkg = site.path().join("pkg");
    std::fs::rename(
        pkg.join("holdspace.2222222222222222.wasm"),
        pkg.join("holdspace.3333333333333333.wasm"),
    )
    .unwrap();
    let server = TestServer::start_with(&fixture_courses(), &["--site-root", site.path().to_str().unwrap()]);
    let after = named_in(&fetch(&server, "/", "identity").await.text().await.unwrap(), "css");
    assert_ne!(before, after);
    assert_eq!(
        fetch(&server, &before, "identity").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(fetch(&server, &after, "identity").await.status(), StatusCode::OK);
}

/// A copy of an old build left beside the new one would put two files
/// under the bundle's one name: the server says so and does not start.
#[test]
fn a_second_build_in_the_bundle_folder_stops_the_server() {
    let site = built_site();
    std::fs::write(site.path().join("pkg/holdspace.3333333333333333.js"), JS).unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_holdspace"))
        .args(["serve", "--addr", "127.0.0.1:0", "--site-root"])
        .arg(site.path())
        .arg("--data-dir")
        .arg(data.path())
        .arg("--courses")
        .arg(fixture_courses())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            server.kill().unwrap();
            panic!("the server started with two builds in its bundle folder");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut said = String::new();
    server.stderr.take().unwrap().read_to_string(&mut said).unwrap();
    assert!(!status.success());
    assert!(
        said.contains("holdspace.1111111111111111.js") && said.contains("holdspace.3333333333333333.js"),
        "{said}"
    );
}

#[tokio::test]
async fn a_hashed_file_is_sent_precompressed_and_kept_for_a_year() {
    let site = built_site();
    let server = TestServer::start_with(&fixture_courses(), &["--site-root", site.path().to_str().unwrap()]);
    let page = fetch(&server, "/", "identity").await.text().await.unwrap();
    let path = &named_in(&page, "css");

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
