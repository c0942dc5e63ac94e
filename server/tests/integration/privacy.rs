//! A learner's own data over HTTP: a copy of everything as JSON, and
//! deleting the account, after which the certificate still verifies.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn the_data_export_holds_the_attempts_and_certificates() {
    let server = TestServer::start();
    let (learner, code) = certified(&server, "Ana María Muñoz", "ana@example.org").await;
    let response = learner.client.get(server.url("/me/data.json")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let data: Value = response.json().await.unwrap();
    assert_eq!(data["account"]["email"], "ana@example.org");
    assert_eq!(data["account"]["display_name"], "Ana María Muñoz");
    assert_eq!(
        data["account"]["mail_preference"], "all",
        "what mail they accept is theirs to see"
    );
    assert!(
        data["account"]["email_confirmed_at"].is_string(),
        "when the address was confirmed"
    );
    assert_eq!(data["enrollments"][0]["course"], "demo-course");
    let attempts = data["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2, "{attempts:#?}");
    let listening = attempts.iter().find(|a| a["module"] == "listening").unwrap();
    assert_eq!(
        (listening["score_percent"].as_f64(), listening["passed"].as_bool()),
        (Some(100.0), Some(true))
    );
    let habits = listening["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question"] == "helpful-habits")
        .unwrap();
    assert_eq!(
        habits["chosen"],
        serde_json::json!(["Eye contact if welcome", "Reflecting back", "Open questions"])
    );
    assert_eq!(data["certificates"][0]["code"], code.as_str());

    let anonymous = server.browser().get("/me/data.json").await;
    assert_eq!(
        (anonymous.status, anonymous.location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/login?next=/me/privacy"))
    );
}

#[tokio::test]
async fn deleting_the_account_removes_personal_data_but_the_certificate_still_verifies() {
    let server = TestServer::start();
    let (learner, code) = certified(&server, "Ana María Muñoz", "ana@example.org").await;
    learner
        .get("/me/privacy")
        .await
        .assert_ok()
        .assert_contains("Delete my account");

    let wrong = learner
        .post_api("/api/delete_account", "password=not+my+password&understood=yes")
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("nothing was deleted"), "{}", wrong.body);
    let unticked = learner
        .post_api(
            "/api/delete_account",
            &format!("password={}", PASSWORD.replace(' ', "+")),
        )
        .await;
    assert_eq!(unticked.status, StatusCode::BAD_REQUEST);
    learner.get("/me").await.assert_ok();

    let done = learner
        .post_form(
            "/me/privacy",
            "/api/delete_account",
            &[("password", PASSWORD), ("understood", "yes")],
        )
        .await;
    assert_eq!(done.redirect_path(), "/?account=deleted", "{:?}", done.location);
    assert!(
        done.headers
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().contains("Max-Age=0")),
        "the session cookie is cleared"
    );
    server
        .browser()
        .get("/?account=deleted")
        .await
        .assert_contains("Your account and progress have been deleted");
    assert_ne!(
        learner.get("/me").await.status,
        StatusCode::OK,
        "the old session is gone"
    );
    assert!(
        learner.log_in("ana@example.org", PASSWORD).await.has_error_param(),
        "the account cannot log in"
    );

    // Nothing personal is left in the database but the name printed on the certificate.
    use diesel::prelude::*;
    use holdspace_server::db::schema::{attempts, certificates, enrollments, sessions, users};
    let pool = holdspace_server::db::Pool::open(&server.database.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    assert_eq!(
        users::table
            .filter(users::email.eq("ana@example.org"))
            .count()
            .get_result::<i64>(&mut *conn)
            .unwrap(),
        0
    );
    for (table, rows) in [
        (
            "sessions",
            sessions::table.count().get_result::<i64>(&mut *conn).unwrap(),
        ),
        (
            "enrollments",
            enrollments::table.count().get_result::<i64>(&mut *conn).unwrap(),
        ),
        (
            "attempts",
            attempts::table.count().get_result::<i64>(&mut *conn).unwrap(),
        ),
    ] {
        assert_eq!(rows, 0, "{table} left behind");
    }
    let holders: Vec<(Option<i64>, String)> = certificates::table
        .select((certificates::user_id, certificates::holder_name))
        .load(&mut *conn)
        .unwrap();
    assert_eq!(holders, [(None, "Ana María Muñoz".to_owned())]);

    let verify = server.browser().get(&format!("/verify/{code}")).await;
    verify
        .assert_ok()
        .assert_contains("Valid")
        .assert_contains("Ana María Muñoz");
}

/// Security review, hole 8: deleting an account left the person's name in
/// the audit log, their name and address in invitations, and their address
/// in the failed-login counters. Every text column of the schema is
/// searched afterwards; only the certificate keeps the printed name.
#[tokio::test]
async fn deleting_an_account_leaves_no_name_or_address_anywhere() {
    let server = TestServer::start();
    let (north, _) = crate::organizations::two_organizations(&server).await;
    // A learner who was invited, joined, failed a sign-in once and is certified.
    let (learner, _code) = certified(&server, "Anastasia Quixote", "anastasia@example.org").await;
    submit(
        &north,
        "/org",
        "/api/invite_member",
        &[("name", "Anastasia Quixote"), ("email", "anastasia@example.org")],
    )
    .await;
    let link = crate::organizations::join_links(&north.get("/org").await.body)
        .pop()
        .expect("an invitation link");
    submit(
        &learner,
        &link,
        "/api/accept_invitation",
        &[("token", link.trim_start_matches("/join/"))],
    )
    .await;
    server
        .browser()
        .post_api("/api/log_in", "email=anastasia%40example.org&password=not+the+password")
        .await;
    // A trainer who published a course through the editor.
    server.add_user("tamsin@example.org", "Tamsin Zedd", "trainer");
    let trainer = server.browser();
    trainer.log_in_ok("tamsin@example.org").await;
    crate::authoring::write_grounding_course(&trainer).await;
    assert!(
        !columns_holding(&server.database.url, "Tamsin Zedd").is_empty(),
        "the test has something to remove"
    );

    for (browser, name, email) in [
        (&learner, "Anastasia Quixote", "anastasia@example.org"),
        (&trainer, "Tamsin Zedd", "tamsin@example.org"),
    ] {
        submit(
            browser,
            "/me/privacy",
            "/api/delete_account",
            &[("password", PASSWORD), ("understood", "yes")],
        )
        .await;
        assert_eq!(
            columns_holding(&server.database.url, email),
            Vec::<String>::new(),
            "{email} left behind"
        );
        let expected: &[&str] = if name == "Anastasia Quixote" {
            &["certificates.holder_name"]
        } else {
            &[]
        };
        assert_eq!(
            columns_holding(&server.database.url, name),
            expected,
            "{name} left behind"
        );
    }
    // What they did stays on record, under a neutral name.
    let entries = audit_log(&server.database.url);
    assert!(
        entries
            .iter()
            .any(|(actor, action, _, _, _)| actor == "A deleted account" && action == "organization.join"),
        "{entries:?}"
    );
    assert!(
        entries
            .iter()
            .any(|(actor, action, _, _, _)| actor == "A deleted account" && action == "course.publish"),
        "{entries:?}"
    );
}

/// Throttle counters name people (an email) and machines (an address):
/// they are swept once their hour is over, and never kept 30 days.
#[tokio::test]
async fn failed_sign_ins_are_forgotten() {
    let server = TestServer::start();
    server
        .browser()
        .post_api("/api/log_in", "email=someone%40example.org&password=not+the+password")
        .await;
    assert!(!columns_holding(&server.database.url, "someone@example.org").is_empty());
    let later = server.days_later(1);
    assert_eq!(
        columns_holding(&later.database.url, "someone@example.org"),
        Vec::<String>::new()
    );
    use diesel::prelude::*;
    let pool = holdspace_server::db::Pool::open(&later.database.url, 1).unwrap();
    let left: i64 = holdspace_server::db::schema::throttle_events::table
        .count()
        .get_result(&mut *pool.get().unwrap())
        .unwrap();
    assert_eq!(left, 0, "no client address is kept");
}
