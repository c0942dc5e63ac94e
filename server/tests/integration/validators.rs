//! Public pages carry validators, so a repeat visit on a slow link is a
//! `304 Not Modified`; anything a reader would see change gives a new tag.

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
