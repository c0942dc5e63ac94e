//! The holes of the security review (issue 13), each shown closed over
//! HTTP against the real server: sign-in throttling by the real client
//! address, work refused before it is done, redirects that stay on the
//! site, cookies and caching under HTTPS, and the verification API
//! authenticating first. (Staff scope is in `following.rs`, deletion in
//! `privacy.rs`, hostile text in `hostile_input.rs`.)

use crate::organizations::{new_api_token, two_organizations};
use crate::support::*;
use reqwest::StatusCode;

fn wrong_login(email: &str) -> String {
    format!("email={}&password=wrong+password+here", email.replace('@', "%40"))
}

fn right_login(email: &str) -> String {
    format!(
        "email={}&password={}",
        email.replace('@', "%40"),
        PASSWORD.replace(' ', "+")
    )
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_throttled_on_its_own() {
    let server = TestServer::start();
    let noisy = Browser::at_address(&server.base, "198.51.100.1");
    for i in 0..20 {
        assert_eq!(
            noisy
                .post_api("/api/log_in", &wrong_login(&format!("someone{i}@example.org")))
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
    }
    let paused = noisy
        .post_api("/api/log_in", &wrong_login("someone-else@example.org"))
        .await;
    assert_eq!(paused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(paused.headers.contains_key("retry-after"), "{:?}", paused.headers);
    // Everyone else behind the same proxy is unaffected.
    let quiet = Browser::at_address(&server.base, "198.51.100.2");
    assert_eq!(
        quiet
            .post_api("/api/log_in", &wrong_login("someone-else@example.org"))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn forwarded_addresses_from_an_untrusted_peer_are_ignored() {
    // The proxy named is elsewhere, so the loopback peer is the client,
    // whatever X-Forwarded-For it claims.
    let server = TestServer::start_with(&fixture_courses(), &["--trusted-proxy", "192.0.2.99"]);
    for i in 0..20 {
        let claiming = Browser::at_address(&server.base, &format!("198.51.100.{i}"));
        assert_eq!(
            claiming
                .post_api("/api/log_in", &wrong_login(&format!("someone{i}@example.org")))
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
    }
    let another_claim = Browser::at_address(&server.base, "203.0.113.77");
    assert_eq!(
        another_claim
            .post_api("/api/log_in", &wrong_login("bo@example.org"))
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn guessing_someones_password_never_locks_the_owner_out() {
    let server = TestServer::start();
    server.browser().register("Ana", "ana@example.org").await;
    let attacker = Browser::at_address(&server.base, "203.0.113.5");
    for _ in 0..5 {
        assert_eq!(
            attacker
                .post_api("/api/log_in", &wrong_login("ana@example.org"))
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
    }
    // The guesser now waits, even with the right password...
    let paused = attacker.post_api("/api/log_in", &right_login("ana@example.org")).await;
    assert_eq!(paused.status, StatusCode::TOO_MANY_REQUESTS);
    // ...and so do other guessers' addresses once they have failed for the account...
    let second = Browser::at_address(&server.base, "203.0.113.6");
    assert_eq!(
        second
            .post_api("/api/log_in", &wrong_login("ana@example.org"))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        second
            .post_api("/api/log_in", &right_login("ana@example.org"))
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // ...but Ana, from an address that made no mistake, signs in at once.
    let owner = Browser::at_address(&server.base, "198.51.100.20");
    let page = owner
        .post_form(
            "/login",
            "/api/log_in",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.redirect_path(), "/me", "{:?}", page.location);
    owner.get("/me").await.assert_ok();
}

#[tokio::test]
async fn registrations_from_one_address_are_throttled() {
    let server = TestServer::start();
    let venue = Browser::at_address(&server.base, "198.51.100.30");
    for i in 0..20 {
        let page = venue
            .post_api(
                "/api/register",
                &format!(
                    "display_name=V{i}&email=v{i}%40example.org&password={}",
                    PASSWORD.replace(' ', "+")
                ),
            )
            .await;
        assert!(
            page.status.is_success() || page.status.is_redirection(),
            "{i}: {} {}",
            page.status,
            page.body
        );
        venue.post_api("/api/log_out", "").await;
    }
    let paused = venue
        .post_api(
            "/api/register",
            &format!(
                "display_name=W&email=w%40example.org&password={}",
                PASSWORD.replace(' ', "+")
            ),
        )
        .await;
    assert_eq!(paused.status, StatusCode::TOO_MANY_REQUESTS, "{}", paused.body);
    assert!(paused.body.contains("Too many tries"));
    // Another address registers as usual.
    server.browser().register("X", "x@example.org").await;
}

#[tokio::test]
async fn passwords_typed_to_delete_an_account_are_throttled() {
    let server = TestServer::start();
    let learner = server.browser();
    learner.register("Ana", "ana@example.org").await;
    for _ in 0..3 {
        assert_eq!(
            learner
                .post_api("/api/delete_account", "password=not+it+at+all&understood=yes")
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
    }
    let paused = learner
        .post_api(
            "/api/delete_account",
            &format!("password={}&understood=yes", PASSWORD.replace(' ', "+")),
        )
        .await;
    assert_eq!(paused.status, StatusCode::TOO_MANY_REQUESTS, "{}", paused.body);
    learner.get("/me").await.assert_ok();
}

/// A request that announces `length` bytes but sends only a trickle: a
/// server that read the body before deciding would never answer.
async fn announce_large_upload(browser: &Browser, action: &str, length: u64) -> StatusCode {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(1);
    sender.send(Ok(b"--x\r\n".to_vec())).await.unwrap();
    let stream = tokio_stream_from(receiver);
    let request = browser
        .client
        .post(format!("{}{action}", browser.base))
        .header("content-type", "multipart/form-data; boundary=x")
        .header("content-length", length.to_string())
        .body(reqwest::Body::wrap_stream(stream));
    let response = tokio::time::timeout(std::time::Duration::from_secs(10), request.send())
        .await
        .expect("answered before the body was sent");
    drop(sender);
    response.expect("a response").status()
}

fn tokio_stream_from(
    mut receiver: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx))
}

#[tokio::test]
async fn uploads_are_refused_before_they_are_read() {
    let server = TestServer::start();
    let learner = server.browser();
    learner.register("Lee", "lee@example.org").await;
    assert_eq!(
        announce_large_upload(&learner, "/api/import_course", 50 * 1024 * 1024).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        announce_large_upload(&server.browser(), "/api/import_course", 50 * 1024 * 1024).await,
        StatusCode::UNAUTHORIZED
    );
    server.add_user("trainer@example.org", "Tess", "trainer");
    let trainer = server.browser();
    trainer.log_in_ok("trainer@example.org").await;
    assert_eq!(
        announce_large_upload(&trainer, "/api/import_course", 50 * 1024 * 1024).await,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // An upload endpoint given a plain form says so (it used to drop the connection).
    let plain = trainer.post_api("/api/import_course", "archive=x").await;
    assert_eq!(plain.status, StatusCode::BAD_REQUEST, "{}", plain.body);
    // Small forms are small everywhere.
    let huge_login = format!("email=a%40example.org&password={}", "x".repeat(200 * 1024));
    assert_eq!(
        server.browser().post_api("/api/log_in", &huge_login).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

/// The security review's two (`/%09/…` leaves the site, `/%0A` crashed the
/// request) and the usual bypasses, percent-encoded as in a link.
const NEXT_PAYLOADS: &[&str] = &[
    "/%09/evil.example",
    "/%0A",
    "/%0D%0A/evil.example",
    "//evil.example",
    "/%5Cevil.example",
    "%2F%2Fevil.example",
    "https://evil.example",
];

#[tokio::test]
async fn where_to_go_after_signing_in_stays_on_this_site() {
    let server = TestServer::start();
    server.browser().register("Ana", "ana@example.org").await;
    for payload in NEXT_PAYLOADS {
        let browser = server.browser();
        let body = format!("{}&next={payload}", right_login("ana@example.org"));
        let response = browser
            .client
            .post(server.url("/api/log_in"))
            .header("accept", "text/html")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FOUND, "{payload}");
        assert_eq!(response.headers()["location"], "/me", "{payload}");
    }
    let fresh = server.browser();
    let body = format!(
        "display_name=Bo&email=bo%40example.org&password={}&next=/%09/evil.example",
        PASSWORD.replace(' ', "+")
    );
    let response = fresh
        .client
        .post(server.url("/api/register"))
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/me");
}

/// The session token from a `Set-Cookie` header.
fn session_token(page: &Page) -> String {
    let cookie = page
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.contains("holdspace_session="))
        .expect("a session cookie");
    assert!(
        cookie.starts_with("__Host-holdspace_session=") && cookie.contains("; Secure"),
        "{cookie}"
    );
    cookie.split(['=', ';']).nth(1).unwrap().to_owned()
}

#[tokio::test]
async fn under_https_only_the_host_cookie_counts_and_nothing_personal_is_cached() {
    let server = TestServer::start_with(&fixture_courses(), &["--public-url", "https://holdspace.test"]);
    let home = server.browser().get("/").await;
    assert_eq!(
        home.headers["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
    let page = server
        .browser()
        .post_form(
            "/register",
            "/api/register",
            &[
                ("display_name", "Ana"),
                ("email", "ana@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    let token = session_token(&page);
    let with_cookie = |name: &str| {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        client
            .get(server.url("/me"))
            .header("accept", "text/html")
            .header("cookie", format!("{name}={token}"))
            .send()
    };
    let plain = with_cookie("holdspace_session").await.unwrap();
    assert_ne!(plain.status(), StatusCode::OK, "the unprefixed cookie signs nobody in");
    let host = with_cookie("__Host-holdspace_session").await.unwrap();
    assert_eq!(host.status(), StatusCode::OK);
    assert_eq!(host.headers()["cache-control"], "private, no-store");
    assert!(host.headers().get_all("vary").iter().any(|v| v == "Cookie"));
}

#[tokio::test]
async fn signed_in_pages_and_answers_are_never_stored() {
    let server = TestServer::start();
    let learner = server.browser();
    learner.register("Ana", "ana@example.org").await;
    for path in ["/me", "/", "/courses/demo-course", "/me/privacy"] {
        assert_eq!(
            learner.get(path).await.headers["cache-control"],
            "private, no-store",
            "{path}"
        );
    }
    assert_eq!(
        learner.post_api("/api/dashboard", "").await.headers["cache-control"],
        "private, no-store"
    );
}

#[tokio::test]
async fn the_verification_api_checks_the_token_before_the_body() {
    let server = TestServer::start();
    let post = |token: Option<&str>, body: &'static str| {
        let mut request = reqwest::Client::new()
            .post(server.url("/api/v1/verifications"))
            .header("content-type", "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    assert_eq!(post(None, "not json").await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        post(Some("hsv_not_a_token"), "not json").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let (north, _) = two_organizations(&server).await;
    let token = new_api_token(&north, "Checks").await;
    assert_eq!(
        post(Some(&token), "not json").await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
}
