//! Two `holdspace serve` processes on one database (and one data folder,
//! where the signing keys live) behind nginx, as an organization grows from
//! one small server to two: sessions, throttles and bulk checks behave as
//! with one.

use crate::builders::{UserBuilder, organization, signed_in, write};
use crate::nginx::Nginx;
use crate::organizations::submit_codes;
use crate::support::*;
use holdspace_server::db::schema::bulk_verifications;
use reqwest::StatusCode;

#[tokio::test]
async fn a_session_begun_on_one_instance_holds_on_both() {
    let first = TestServer::start();
    let second = first.beside();
    let proxy = Nginx::proxy(&[&first.base, &second.base]);
    let browser = Browser::new(&proxy.base);
    browser.register("Ana Lee", "ana@example.org").await;
    for _ in 0..4 {
        browser.get("/me").await.assert_ok().assert_contains("Ana Lee");
    }
    // The cookie is the same one for each instance on its own.
    for server in [&first, &second] {
        let direct = browser.at(&server.base);
        direct.get("/me").await.assert_ok().assert_contains("Ana Lee");
    }
}

#[tokio::test]
async fn a_throttle_counts_attempts_on_both_instances() {
    let first = TestServer::start();
    let second = first.beside();
    let proxy = Nginx::proxy(&[&first.base, &second.base]);
    let noisy = Browser::at_address(&proxy.base, "198.51.100.1");
    // Twenty wrong passwords, ten on each instance, as with one instance...
    for i in 0..20 {
        let answer = noisy
            .post_api(
                "/api/log_in",
                &format!("email=someone{i}%40example.org&password=wrong+guess"),
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    }
    // ...and the next is paused on whichever instance it reaches.
    for _ in 0..2 {
        let paused = noisy
            .post_api("/api/log_in", "email=someone-else%40example.org&password=wrong+guess")
            .await;
        assert_eq!(paused.status, StatusCode::TOO_MANY_REQUESTS);
    }
}

#[tokio::test]
async fn a_bulk_verification_runs_once() {
    let first = TestServer::start();
    let second = first.beside();
    let proxy = Nginx::proxy(&[&first.base, &second.base]);
    let admin = UserBuilder::learner("coordinator@example.org").create(&first).await;
    organization(&first, "North Peer Support", "north", admin).await;
    let browser = signed_in(&first, admin).await.at(&proxy.base);
    // More codes than one chunk: checked in the background.
    let codes: Vec<String> = (0..600)
        .map(|_| holdspace_server::certificates::code::CertificateCode::generate().to_string())
        .collect();
    let results = submit_codes(&browser, &format!("code\n{}\n", codes.join("\n"))).await;
    let mut finished = false;
    for _ in 0..100 {
        if browser.get(&results).await.body.contains("Results for 600 codes") {
            finished = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(finished, "the check finishes");
    let checks: Vec<(i32, i32)> = write(&first, |conn, _| {
        use diesel::prelude::*;
        Ok(bulk_verifications::table
            .select((bulk_verifications::total, bulk_verifications::checked))
            .load(conn)?)
    })
    .await;
    assert_eq!(checks, [(600, 600)], "one check, of every code once");
}

/// Tests and the benchmark start nginx again and again: once stopped, it
/// must leave nothing running (its worker used to outlive it, port and all).
#[test]
fn a_stopped_nginx_leaves_nothing_listening() {
    let proxy = Nginx::proxy(&["http://127.0.0.1:9"]);
    let address = proxy.base.trim_start_matches("http://").to_owned();
    assert!(std::net::TcpStream::connect(&address).is_ok());
    drop(proxy);
    assert!(
        std::net::TcpStream::connect(&address).is_err(),
        "something still listens on {address}"
    );
}
