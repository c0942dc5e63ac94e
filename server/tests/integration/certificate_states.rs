//! A certificate's states with the clock moved: renewal opens before the
//! end and a renewal inside the window or the grace starts the day the old
//! one ends; past the grace it lapses and a renewal starts when issued; a
//! suspension (with a reason only staff see) makes it not valid on the
//! verify page and the API until it is lifted. Every action is audit-logged.

use crate::builders::{UserBuilder, assign_to_program, signed_in};
use crate::support::*;
use reqwest::StatusCode;
use serde_json::Value;

const PROGRAMS: &str = "[[program]]\nslug = \"demo-program\"\ntitle = \"Demo Program\"\ncourses = [\"demo-course\"]\n\
                        valid_for_months = 12\n\n[program.renewal]\nwindow_days = 60\ngrace_days = 30\n";

async fn api(server: &TestServer, code: &str) -> Value {
    let response = reqwest::get(server.url(&format!("/api/v1/certificates/{code}")))
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "a found certificate answers 200 in every state"
    );
    response.json().await.unwrap()
}

/// The certificate codes on the learner's dashboard, signed in afresh.
async fn codes(server: &TestServer, email: &str) -> (Browser, Vec<String>) {
    let browser = server.browser();
    browser.log_in_ok(email).await;
    let codes = codes_in(&browser.get("/me").await.body);
    (browser, codes)
}

fn date(offset_days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(offset_days.try_into().unwrap())).to_string()
}

#[tokio::test]
async fn a_renewal_inside_the_window_starts_the_day_the_old_one_ends() {
    let courses = demo_course_with_programs(PROGRAMS);
    let server = TestServer::start_with(courses.path(), &[]);
    let learner = server.browser();
    learner.register("Ana", "ana@example.org").await;
    complete_demo_program(&learner).await;
    let first = codes_in(&learner.get("/me").await.body).remove(0);
    let ends = api(&server, &first).await["expires_on"].as_str().unwrap().to_owned();
    assert_eq!(api(&server, &first).await["status"], "valid");

    // 320 days on, 45 before the end: renewal is open, and it is still valid.
    let server = server.days_later_with(320, courses.path());
    let json = api(&server, &first).await;
    assert_eq!(json["status"], "renewal_due");
    server
        .browser()
        .get(&format!("/verify/{first}"))
        .await
        .assert_contains("Valid, renewal open")
        .assert_says(&format!("valid until {ends}. Its holder may renew it until then"));
    let (learner, _) = codes(&server, "ana@example.org").await;
    learner.get("/me").await.assert_contains("You can renew it now");
    learner
        .get("/me/record")
        .await
        .assert_contains("You hold a current certificate")
        .assert_contains("To do: </strong>Course: Demo course");

    complete_demo_program(&learner).await;
    let held = codes_in(&learner.get("/me").await.body);
    assert_eq!(held.len(), 2, "{held:?}");
    let renewal = held.iter().find(|c| **c != first).unwrap().clone();
    let json = api(&server, &renewal).await;
    assert_eq!(
        (json["status"].as_str(), json["valid_from"].as_str()),
        (Some("upcoming"), Some(ends.as_str())),
        "no gap, no overlap"
    );
    assert_eq!(
        api(&server, &first).await["status"],
        "valid",
        "renewed: valid to its end"
    );
    server
        .browser()
        .get(&format!("/verify/{renewal}"))
        .await
        .assert_contains("Renewal, not started yet")
        .assert_contains("The holder's other certificates of this program")
        .assert_says(&format!("to {ends}: valid"));

    // After the old one ends: replaced, and the renewal is valid.
    let server = server.days_later_with(370, courses.path());
    assert_eq!(api(&server, &first).await["status"], "replaced");
    assert_eq!(api(&server, &renewal).await["status"], "valid");
}

#[tokio::test]
async fn grace_keeps_renewal_without_a_gap_and_then_it_lapses() {
    let courses = demo_course_with_programs(PROGRAMS);
    let server = TestServer::start_with(courses.path(), &[]);
    for (name, email) in [("Ana", "ana@example.org"), ("Ben", "ben@example.org")] {
        let learner = server.browser();
        learner.register(name, email).await;
        complete_demo_program(&learner).await;
    }
    // Ten days after the end: in grace, not valid, renewal still open.
    let server = server.days_later_with(375, courses.path());
    let (ana, held) = codes(&server, "ana@example.org").await;
    let first = held[0].clone();
    let json = api(&server, &first).await;
    assert_eq!(json["status"], "grace");
    let ends = json["expires_on"].as_str().unwrap().to_owned();
    server
        .browser()
        .get(&format!("/verify/{first}"))
        .await
        .assert_contains("is not valid now")
        .assert_contains("without a gap");
    complete_demo_program(&ana).await;
    let renewal = codes_in(&ana.get("/me").await.body)
        .into_iter()
        .find(|c| *c != first)
        .unwrap();
    let json = api(&server, &renewal).await;
    assert_eq!(
        (json["status"].as_str(), json["valid_from"].as_str()),
        (Some("valid"), Some(ends.as_str())),
        "a renewal in grace starts the day the old one ended"
    );

    // Forty days after the end: lapsed; a renewal then starts the day it is issued.
    let server = server.days_later_with(405, courses.path());
    let (ben, held) = codes(&server, "ben@example.org").await;
    assert_eq!(api(&server, &held[0]).await["status"], "expired");
    complete_demo_program(&ben).await;
    let renewal = codes_in(&ben.get("/me").await.body)
        .into_iter()
        .find(|c| *c != held[0])
        .unwrap();
    assert_eq!(api(&server, &renewal).await["valid_from"], date(405).as_str());
}

#[tokio::test]
async fn a_suspension_is_shown_without_its_reason_and_can_be_lifted() {
    let courses = demo_course_with_programs(PROGRAMS);
    let server = TestServer::start_with(courses.path(), &[]);
    let (learner, code) = {
        let learner = server.browser();
        learner.register("Ana", "ana@example.org").await;
        complete_demo_program(&learner).await;
        let code = codes_in(&learner.get("/me").await.body).remove(0);
        (learner, code)
    };
    let trainer = UserBuilder::trainer("sam@example.org")
        .name("Sam Trainer")
        .create(&server)
        .await;
    assign_to_program(&server, trainer, "demo-program").await;
    let trainer = signed_in(&server, trainer).await;
    let outsider = UserBuilder::trainer("ola@example.org").create(&server).await;
    let outsider = signed_in(&server, outsider).await;

    let reason = "A concern was raised and is being looked into";
    let body = format!("code={code}&reason={}", reason.replace(' ', "+"));
    for (who, browser, status) in [
        ("the holder", &learner, StatusCode::FORBIDDEN),
        ("a trainer of no program of it", &outsider, StatusCode::FORBIDDEN),
        ("a visitor", &server.browser(), StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(
            browser.post_api("/api/suspend_certificate", &body).await.status,
            status,
            "{who}"
        );
    }
    let unexplained = trainer
        .post_api("/api/suspend_certificate", &format!("code={code}&reason=+"))
        .await;
    assert_eq!(unexplained.status, StatusCode::BAD_REQUEST);
    submit(
        &trainer,
        &format!("/verify/{code}"),
        "/api/suspend_certificate",
        &[("code", &code), ("reason", reason)],
    )
    .await;

    let json = api(&server, &code).await;
    assert_eq!(json["status"], "suspended");
    assert!(
        !json.to_string().contains("concern"),
        "the reason stays with staff: {json}"
    );
    let page = server.browser().get(&format!("/verify/{code}")).await;
    page.assert_ok()
        .assert_contains("Suspended")
        .assert_contains("not valid at present")
        .assert_lacks("concern");
    trainer
        .get(&format!("/verify/{code}"))
        .await
        .assert_contains("Lift the suspension");
    learner.get("/me").await.assert_contains("On hold for now");
    let pdf = learner.get(&format!("/certificates/{code}/certificate.pdf")).await;
    assert_eq!(pdf.status, StatusCode::FORBIDDEN, "no fresh copy while suspended");
    let again = trainer.post_api("/api/suspend_certificate", &body).await;
    assert!(again.body.contains("already suspended"), "{}", again.body);

    submit(
        &trainer,
        &format!("/verify/{code}"),
        "/api/reinstate_certificate",
        &[("code", &code)],
    )
    .await;
    assert_eq!(api(&server, &code).await["status"], "valid");
    assert_eq!(
        learner
            .get(&format!("/certificates/{code}/certificate.pdf"))
            .await
            .status,
        StatusCode::OK
    );
    let entries = audit_log(&server.database.url);
    let actions: Vec<(&str, Option<&str>)> = entries
        .iter()
        .filter(|e| e.1.starts_with("certificate."))
        .map(|e| (e.1.as_str(), e.3.as_deref()))
        .collect();
    assert_eq!(
        actions,
        [("certificate.suspend", Some(reason)), ("certificate.reinstate", None)]
    );
}
