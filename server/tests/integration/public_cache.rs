//! Public pages and the certificate lookup are made once for everyone not
//! signed in; pages carry validators, so a repeat visit on a slow link is a
//! `304 Not Modified`. Anything a reader would see change gives a new page
//! (and tag) and a new lookup, on this instance at once and on another
//! within a second.

use crate::builders::{UserBuilder, certified_learner, signed_in};
use crate::organizations::revoke;
use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::HeaderValue;

async fn fetch(server: &TestServer, path: &str, tag: Option<&HeaderValue>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(server.url(path));
    if let Some(tag) = tag {
        request = request.header("if-none-match", tag);
    }
    request.send().await.unwrap()
}

/// Asks again until the answer is the kept one (made without a query): a
/// write of the server's own (the reminders pass it makes as it starts) may
/// have made the first one stale.
async fn kept(server: &TestServer, path: &str) -> reqwest::Response {
    for _ in 0..5 {
        let answer = fetch(server, path, None).await;
        if answer.headers()["x-query-count"] == "0" {
            return answer;
        }
    }
    panic!("{path} was made anew every time: nothing was kept");
}

#[tokio::test]
async fn a_repeat_visit_to_a_public_page_is_not_modified() {
    let server = TestServer::start();
    for path in ["/", "/courses/demo-course"] {
        let first = fetch(&server, path, None).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        assert_eq!(first.headers()["cache-control"], "no-cache", "{path}");
        let tag = first.headers()["etag"].clone();

        let again = fetch(&server, path, Some(&tag)).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(again.headers()["etag"], tag);
        assert!(
            again.headers().get("content-security-policy").is_none(),
            "the copy keeps the policy its scripts' nonce belongs to"
        );
        assert!(again.bytes().await.unwrap().is_empty());

        let other = fetch(&server, path, Some(&HeaderValue::from_static("W/\"0\""))).await;
        assert_eq!(other.status(), StatusCode::OK, "{path}");
        assert!(!other.text().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_revocation_changes_the_verify_pages_tag() {
    let server = TestServer::start();
    let (_, code) = certified_learner(&server, "Ana Lee", "ana@example.org").await;
    let path = format!("/verify/{code}");
    let tag = fetch(&server, &path, None).await.headers()["etag"].clone();
    assert_eq!(
        fetch(&server, &path, Some(&tag)).await.status(),
        StatusCode::NOT_MODIFIED
    );
    revoke(&server, &code).await;
    let after = fetch(&server, &path, Some(&tag)).await;
    assert_eq!(after.status(), StatusCode::OK);
    assert_ne!(after.headers()["etag"], tag);
    assert!(after.text().await.unwrap().contains("Issued in error"));
}

#[tokio::test]
async fn a_signed_in_persons_pages_are_never_kept() {
    let server = TestServer::start();
    let learner = UserBuilder::learner("ana@example.org").create(&server).await;
    let browser = signed_in(&server, learner).await;
    let page = browser.get("/courses/demo-course").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers.get("etag").is_none());
    assert_eq!(page.headers["cache-control"], "private, no-store");
}

#[tokio::test]
async fn a_public_page_is_rendered_once_and_names_its_scripts_by_digest() {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let server = TestServer::start_with(&fixture_courses(), &["--count-queries"]);
    let first = fetch(&server, "/", None).await;
    assert!(
        first.headers()["x-query-count"] != "0",
        "the first visit renders the page"
    );
    let again = kept(&server, "/").await;
    let policy = again.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let page = again.text().await.unwrap();
    assert!(!policy.contains("'nonce-"), "{policy}");
    assert!(!page.contains("nonce="), "{page}");
    let scripts = regex_lite::Regex::new(r"(?s)<script[^>]*>(.*?)</script>").unwrap();
    let mut named = 0;
    for script in scripts.captures_iter(&page) {
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script[1].as_bytes()));
        assert!(
            policy.contains(&format!("'sha256-{digest}'")),
            "{policy}\n{}",
            &script[0]
        );
        named += 1;
    }
    assert!(named >= 2, "the hydration bootstrap and its data: {page}");
    assert_eq!(
        policy.matches("'sha256-").count(),
        scripts
            .captures_iter(&page)
            .map(|s| s[1].to_owned())
            .collect::<std::collections::HashSet<_>>()
            .len(),
        "no digest of a script the page does not have"
    );
}

#[tokio::test]
async fn another_instances_revocation_shows_within_a_second() {
    let first = TestServer::start();
    let second = first.beside();
    let (_, code) = certified_learner(&first, "Ana Lee", "ana@example.org").await;
    let path = format!("/verify/{code}");
    let before = fetch(&second, &path, None).await.text().await.unwrap();
    assert!(!before.contains("Issued in error"));
    revoke(&first, &code).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let after = fetch(&second, &path, None).await.text().await.unwrap();
    assert!(after.contains("Issued in error"), "{after}");
}

#[tokio::test]
async fn a_kept_lookup_answers_a_revocation_at_once() {
    let server = TestServer::start_with(&fixture_courses(), &["--count-queries"]);
    let (_, code) = certified_learner(&server, "Ana Lee", "ana@example.org").await;
    let path = format!("/api/v1/certificates/{code}");
    let lookup = || async {
        let answer = fetch(&server, &path, None).await;
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(answer.headers()["access-control-allow-origin"], "*");
        let queries: usize = answer.headers()["x-query-count"].to_str().unwrap().parse().unwrap();
        let json: serde_json::Value = answer.json().await.unwrap();
        (queries, json["status"].as_str().unwrap().to_owned())
    };
    let (made, status) = lookup().await;
    assert!(made > 0);
    assert_eq!(status, "valid");
    let again: serde_json::Value = kept(&server, &path).await.json().await.unwrap();
    assert_eq!(again["status"], "valid");
    revoke(&server, &code).await;
    let (made, status) = lookup().await;
    assert!(made > 0, "looked up again after the revocation");
    assert_eq!(status, "revoked");
}
