//! Answers are compressed for clients that accept it, and only for them:
//! gzip (pages are made per request, and gzip makes them as small as
//! brotli would, sooner; the bundle has brotli, made at build time), with
//! `Vary: Accept-Encoding` so no cache hands a compressed body to a client
//! that cannot read it.

use crate::support::*;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, VARY};
use std::io::Read;

pub(crate) async fn fetch(server: &TestServer, path: &str, accept: &str) -> reqwest::Response {
    fetch_as(&reqwest::Client::new(), server, path, accept).await
}

/// `path` asked for by `client` (a visitor's, or a signed-in person's)
/// taking `accept`.
async fn fetch_as(client: &reqwest::Client, server: &TestServer, path: &str, accept: &str) -> reqwest::Response {
    // reqwest here decodes nothing itself: the raw body is what was sent.
    client
        .get(server.url(path))
        .header(ACCEPT_ENCODING, accept)
        .send()
        .await
        .unwrap()
}

/// A page with its script nonce taken out: each response has its own,
/// wherever Leptos puts it.
fn without_nonce(page: &str, headers: &reqwest::header::HeaderMap) -> String {
    let policy = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
    let nonce = policy.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    page.replace(nonce, "")
}

/// A gzip body as the text it holds.
fn gunzip(compressed: &[u8]) -> String {
    let mut decoded = String::new();
    flate2::read::GzDecoder::new(compressed)
        .read_to_string(&mut decoded)
        .unwrap();
    decoded
}

#[tokio::test]
async fn pages_and_api_answers_are_compressed_by_what_the_client_accepts() {
    let server = TestServer::start();
    let plain = fetch(&server, "/", "identity").await;
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    let page = plain.text().await.unwrap();
    assert!(page.contains("<html"), "{page}");

    let offered = fetch(&server, "/", "gzip, deflate, br").await;
    assert_eq!(offered.headers()[CONTENT_ENCODING], "gzip");
    let vary: Vec<String> = offered
        .headers()
        .get_all(VARY)
        .iter()
        .map(|v| v.to_str().unwrap().to_ascii_lowercase())
        .collect();
    assert!(vary.iter().any(|v| v.contains("accept-encoding")), "{vary:?}");
    let compressed = offered.bytes().await.unwrap();
    let decoded = gunzip(&compressed);
    assert_eq!(decoded, page);
    assert!(
        compressed.len() * 5 < page.len() * 3,
        "{} of {} bytes",
        compressed.len(),
        page.len()
    );

    let gzip = fetch(&server, "/api/v1/openapi.json", "gzip").await;
    assert_eq!(gzip.headers()[CONTENT_ENCODING], "gzip");
    let decoded = gunzip(&gzip.bytes().await.unwrap());
    assert!(decoded.contains("\"openapi\""));

    // A few hundred bytes are not worth a compressor.
    let small = fetch(&server, "/api/v1/certificates/HS-0000-0000-00000", "gzip").await;
    assert!(small.headers().get(CONTENT_ENCODING).is_none());
    let body = small.text().await.unwrap();
    assert!(body.len() > 32 && body.len() < 1024, "{body}");
}

/// A signed-in person's pages are made, and gzipped, per request, each by
/// a compressor its thread keeps from the request before: every one reads
/// back whole, as the page sent to a client that takes no compression.
#[tokio::test]
async fn pages_made_per_request_read_back_whole_one_after_another() {
    let server = TestServer::start();
    let (learner, code) = crate::builders::certified_learner(&server, "Ana Lee", "ana@example.org").await;
    let paths = [
        "/me",
        "/courses/demo-course",
        &format!("/verify/{code}"),
        "/courses/demo-course/listening",
    ];
    for path in paths.iter().cycle().take(12) {
        let plain = learner.get(path).await;
        assert_eq!(plain.status, reqwest::StatusCode::OK, "{path}");
        assert!(plain.headers.get(CONTENT_ENCODING).is_none(), "{path}");
        let plain_page = without_nonce(&plain.body, &plain.headers);
        let gzipped = fetch_as(&learner.client, &server, path, "gzip").await;
        assert_eq!(gzipped.headers()[CONTENT_ENCODING], "gzip", "{path}");
        let headers = gzipped.headers().clone();
        let decoded = gunzip(&gzipped.bytes().await.unwrap());
        assert!(decoded.contains("</body></html>"), "{path}: {decoded}");
        assert_eq!(without_nonce(&decoded, &headers), plain_page, "{path}");
    }
}

/// A module's text is deflated once, when its version is first read, and
/// set as it is into the gzip stream of every page that shows it, as is
/// the hydration script every page has (deflated at start); the page
/// around them is deflated per request. Each such page still reads back
/// whole, as the page sent to a client that takes no compression.
#[tokio::test]
async fn a_module_page_carries_its_text_as_deflated_ahead() {
    let server = TestServer::start();
    let (learner, _) = crate::builders::certified_learner(&server, "Ana Lee", "ana@example.org").await;
    // Past its content note, as after "Continue".
    let path = "/courses/demo-course/listening?note=continue";
    for _ in 0..3 {
        let plain = learner.get(path).await;
        assert_eq!(plain.status, reqwest::StatusCode::OK);
        let body = plain
            .body
            .split_once("<article class=\"prose\">")
            .and_then(|(_, rest)| rest.split_once("</article>"))
            .map(|(body, _)| body.to_owned())
            .expect("the module's text is on its page");
        assert!(body.contains("<p>"), "{body}");
        let ahead = holdspace_server::pre_deflated::PreDeflated::new(body);
        // The hydration script's text, the same on every page.
        let script = plain
            .body
            .split_once("<script type=\"module\"")
            .and_then(|(_, rest)| rest.split_once('>'))
            .and_then(|(_, rest)| rest.split_once("</script>"))
            .map(|(script, _)| script.to_owned())
            .expect("the page has its hydration script");
        let script = holdspace_server::pre_deflated::PreDeflated::new(script);
        let gzipped = fetch_as(&learner.client, &server, path, "gzip").await;
        assert_eq!(gzipped.headers()[CONTENT_ENCODING], "gzip");
        let headers = gzipped.headers().clone();
        let compressed = gzipped.bytes().await.unwrap();
        for (part, what) in [(&ahead, "module text"), (&script, "hydration script")] {
            let deflated = part.deflated().unwrap();
            assert!(
                compressed.windows(deflated.len()).any(|w| w == deflated),
                "the {what} goes as it was deflated ahead"
            );
        }
        let decoded = gunzip(&compressed);
        assert!(decoded.contains(ahead.text()));
        assert!(decoded.ends_with("</script>"), "{decoded}");
        assert_eq!(
            without_nonce(&decoded, &headers),
            without_nonce(&plain.body, &plain.headers),
            "the same page but for its script nonce"
        );
    }
}
