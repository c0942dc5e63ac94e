//! The outcome dashboard and the roster's expiry filters over HTTP, with
//! certificates earned on three different days: the server is restarted
//! with its clock moved forward (60, then 400 days), never by sleeping.
//!
//! North's members, seen on day 400: Dee (certified on day 0: expired),
//! Ben (enrolled on day 0, failed a quiz: in training), Ana (certified on
//! day 60: lapses on day 425, so expiring) and Eve (certified on day 400).
//! Cy (certified on day 0) belongs to South.

use crate::builders::{self, UserBuilder};
use crate::organizations::{join_links, two_organizations};
use crate::support::*;
use chrono::{Duration, Utc};
use reqwest::StatusCode;

/// Invites a new learner to the organization and has them join it.
async fn join(admin: &Browser, learner: &Browser, name: &str, email: &str) {
    submit(admin, "/org", "/api/invite_member", &[("name", name), ("email", email)]).await;
    let link = join_links(&admin.get("/org").await.body)
        .pop()
        .expect("one waiting invitation");
    submit(learner, &link, "/api/accept_invitation", &[("token", &link[6..])]).await;
}

/// The figure shown under `label` in the dashboard's list of figures.
fn figure(body: &str, label: &str) -> String {
    let pattern = regex_lite::Regex::new(&format!(r"<dt>{label}</dt><dd>(?:<!---->)?([^<]+)")).unwrap();
    pattern
        .captures(body)
        .unwrap_or_else(|| panic!("no figure {label:?} in:\n{body}"))[1]
        .to_owned()
}

/// The dashboard's headline figures, in page order.
fn figures(body: &str) -> [String; 6] {
    [
        "Enrolled",
        "Still in training",
        "Certified",
        "Completion rate",
        "Median time to certify",
        "Certificates expiring in the next 90 days",
    ]
    .map(|label| figure(body, label))
}

/// The members a roster filter shows: the names in its first table, in order.
fn members(body: &str) -> Vec<String> {
    let table = body.split("</table>").next().unwrap();
    let row = regex_lite::Regex::new(r#"<tr><th scope="row">(?:<!---->)?([^<]+)<br"#).unwrap();
    row.captures_iter(table).map(|c| c[1].to_owned()).collect()
}

#[tokio::test]
async fn the_dashboard_and_the_roster_follow_certificates_over_time() {
    let day_zero = Utc::now().date_naive();
    let server = TestServer::start();
    let (north, south) = two_organizations(&server).await;
    let (dee, _) = certified(&server, "Dee Ramos", "dee@example.org").await;
    join(&north, &dee, "Dee Ramos", "dee@example.org").await;
    let ben = server.browser();
    ben.register("Ben Okafor", "ben@example.org").await;
    crate::smtp::confirm_address(&server, &ben, "ben@example.org").await;
    ben.enroll("demo-course").await;
    let quiz = ShownQuiz::parse(&ben.get("/courses/demo-course/closing/quiz").await.body);
    graded(submit_quiz(&ben, "demo-course", "closing", &quiz, &["Stopping mid-sentence"]).await);
    join(&north, &ben, "Ben Okafor", "ben@example.org").await;
    let (cy, _) = certified(&server, "Cy Lee", "cy@example.org").await;
    join(&south, &cy, "Cy Lee", "cy@example.org").await;

    let server = server.days_later(60);
    let north = server.browser();
    north.log_in_ok("north@example.org").await;
    let (ana, _) = certified(&server, "Ana María Muñoz", "ana@example.org").await;
    join(&north, &ana, "Ana María Muñoz", "ana@example.org").await;

    let server = server.days_later(400);
    let north = server.browser();
    north.log_in_ok("north@example.org").await;
    let (eve, _) = certified(&server, "Eve Adeyemi", "eve@example.org").await;
    join(&north, &eve, "Eve Adeyemi", "eve@example.org").await;

    // The roster's filters, each with a member in it.
    for (show, expected) in [
        ("certified", vec!["Ana María Muñoz", "Eve Adeyemi"]),
        ("in-training", vec!["Ben Okafor", "Dee Ramos"]),
        ("expiring", vec!["Ana María Muñoz"]),
        ("expired", vec!["Dee Ramos"]),
    ] {
        let page = north.get(&format!("/org?show={show}")).await;
        assert_eq!(members(&unescape_html(&page.assert_ok().body)), expected, "{show}");
        let csv = north.get(&format!("/org/roster.csv?show={show}")).await;
        let names: Vec<&str> = csv
            .body
            .lines()
            .skip(1)
            .map(|line| line.split(',').next().unwrap())
            .collect();
        assert_eq!(names, expected, "{show} as CSV");
    }

    // Everything since day zero: the four who joined North.
    let all = format!(
        "/outcomes?from={}&to={}",
        day_zero - Duration::days(1),
        day_zero + Duration::days(400)
    );
    let page = north.get(&all).await;
    page.assert_ok().assert_contains("Members of North Peer Support");
    // Dee, Ana and Eve each certified on the day they started; Dee's lapsed, Ana's lapses in 25 days.
    assert_eq!(
        figures(&page.body),
        ["4", "1", "3", "75%", "Under a day", "1"].map(String::from)
    );
    // Seven quiz attempts by four people, one of them (Ben's) not passed.
    assert!(page.body.contains(r#"<th scope="row">Demo course</th><td class="number">4</td><td class="number">7</td><td class="number">6</td><td class="number">86%</td>"#), "{}", page.body);
    assert!(page.body.contains(
        r#"role="img" aria-label="Of 4 volunteers who started, 1 are still in training and 3 are certified (75%)."#
    ));
    assert!(page.body.contains("Per month"));

    // South sees only Cy; a narrower range only the latest start.
    let south = server.browser();
    south.log_in_ok("south@example.org").await;
    let page = south.get(&all).await;
    assert_eq!(figures(&page.body)[..3], ["1", "0", "1"].map(String::from));
    let recent = north
        .get(&format!(
            "/outcomes?from={}&to={}",
            day_zero + Duration::days(400),
            day_zero + Duration::days(390)
        ))
        .await;
    recent
        .assert_contains("The start date was after the end date, so we swapped them.")
        .assert_contains("Per week");
    assert_eq!(figures(&recent.body)[..3], ["1", "0", "1"].map(String::from));
    let empty = north
        .get(&format!(
            "/outcomes?from={}&to={}",
            day_zero + Duration::days(500),
            day_zero + Duration::days(501)
        ))
        .await;
    empty
        .assert_contains("Nobody in this group started a course in this range.")
        .assert_contains("No quiz was submitted in this range.");

    // A trainer sees the learners of the courses they edit, an admin everyone.
    server.add_user("trainer@example.org", "Sam Trainer", "trainer");
    let trainer = server.browser();
    trainer.log_in_ok("trainer@example.org").await;
    assert_eq!(
        figure(
            &trainer
                .get(&all)
                .await
                .assert_contains("Learners in the courses you teach")
                .body,
            "Enrolled"
        ),
        "0"
    );
    let admin = UserBuilder::admin("admin@example.org").create(&server).await;
    let admin = builders::signed_in(&server, admin).await;
    submit(
        &admin,
        "/teach/demo-course",
        "/api/add_course_editor",
        &[("course", "demo-course"), ("email", "trainer@example.org")],
    )
    .await;
    assert_eq!(
        figures(&trainer.get(&all).await.body)[..3],
        ["5", "1", "4"].map(String::from)
    );
    assert_eq!(
        figures(&admin.get(&all).await.assert_contains("Everyone on Holdspace").body)[..3],
        ["5", "1", "4"].map(String::from)
    );

    // A learner has no dashboard.
    assert_eq!(
        eve.post_api("/api/load_outcomes", "").await.status,
        StatusCode::FORBIDDEN
    );
    let refused = eve.get("/outcomes").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    refused.assert_contains("isn't open to your account");
}
