//! Every page a learner or a visitor reaches often is held to a budget of
//! database queries (counted by the server under `--count-queries`), so a
//! later change cannot quietly add ten.

use crate::builders::certified_learner;
use crate::support::*;
use std::time::{Duration, Instant};

/// Queries of one request, as the server counted them.
fn queries(page: &Page) -> usize {
    page.headers["x-query-count"].to_str().unwrap().parse().unwrap()
}

/// Any state-changing request makes the server forget the sessions it
/// remembered (here a refused one, so nothing changes), so the next page
/// pays for its session lookup.
async fn forget_sessions(server: &TestServer) {
    let refused = reqwest::Client::new()
        .post(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), reqwest::StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn each_page_stays_within_its_query_budget() {
    let server = TestServer::start_with(&fixture_courses(), &["--count-queries"]);
    let (learner, code) = certified_learner(&server, "Ana Lee", "ana@example.org").await;
    let visitor = server.browser();
    let verify = format!("/verify/{code}");
    let lookup = format!("/api/v1/certificates/{code}");
    let pdf = format!("/certificates/{code}/certificate.pdf");
    // A repeat visit (the first also records progress or opens a sitting,
    // or fills what is kept in memory), its session looked up afresh. A
    // visitor's public page is kept once rendered (see `public_pages`): the
    // first visit is to another address of it, which is rendered apart.
    let pages: [(&Browser, &str, usize); 9] = [
        (&visitor, "/", 2),
        (&visitor, "/courses/demo-course", 1),
        (&visitor, &verify, 3),
        (&visitor, &lookup, 1),
        (&learner, "/me", 11),
        (&learner, "/courses/demo-course", 5),
        (&learner, "/courses/demo-course/listening", 2),
        (&learner, "/courses/demo-course/listening/quiz", 8),
        (&learner, &pdf, 4),
    ];
    let mut over = Vec::new();
    for (browser, path, budget) in pages {
        browser.get(&format!("{path}?first")).await;
        forget_sessions(&server).await;
        let page = browser.get(path).await;
        assert_eq!(page.status, reqwest::StatusCode::OK, "{path}");
        let made = queries(&page);
        if made > budget {
            over.push(format!("{path}: {made} queries, budget {budget}"));
        }
        assert!(
            made > 0,
            "{path}: every page reads something; a count of 0 means nothing was counted"
        );
    }
    assert!(over.is_empty(), "over budget:\n{}", over.join("\n"));
}

#[tokio::test]
async fn the_catalog_costs_the_same_however_many_courses_it_lists() {
    let server = TestServer::start_with(&shipped_courses(), &["--count-queries"]);
    let visitor = server.browser();
    visitor.get("/?first").await;
    let page = visitor.get("/").await;
    page.assert_ok().assert_contains("Safety planning and crisis response");
    assert_eq!(
        queries(&page),
        2,
        "the courses and their order; modules come from memory"
    );
}

#[tokio::test]
async fn a_session_is_looked_up_once_for_a_page_and_the_requests_right_after_it() {
    let server = TestServer::start_with(&fixture_courses(), &["--count-queries"]);
    let (learner, _) = certified_learner(&server, "Ana Lee", "ana@example.org").await;
    let path = "/courses/demo-course/listening";
    learner.get(path).await;
    // Two visits well inside the few seconds a lookup is kept (retried if
    // this machine is too busy to make them so).
    for _ in 0..5 {
        forget_sessions(&server).await;
        let started = Instant::now();
        let first = queries(&learner.get(path).await);
        let second = queries(&learner.get(path).await);
        if started.elapsed() < Duration::from_secs(2) {
            assert_eq!(second, first - 1, "the second visit reuses the session lookup");
            // Signing out forgets at once: the next page is a visitor's.
            learner.post_form("/me", "/api/log_out", &[]).await;
            learner.get("/me").await.assert_contains("Please log in");
            return;
        }
    }
    panic!("this machine never made two page requests within 2 s");
}
