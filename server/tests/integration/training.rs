//! Training hours with the clock moved: hours from courses (capped),
//! attended live sessions and approved trainings add up by category; a
//! full session refuses another learner; attendance waits for the session
//! to start; nobody approves their own training; the certificate is issued
//! when the hours are met; a renewal by continuing education needs hours
//! since the certificate started and a new version of a text, and starts
//! the day the old one ends; every action is audit-logged and in the
//! learner's export.

use crate::builders::{UserBuilder, assign_to_program, signed_in};
use crate::support::*;
use reqwest::StatusCode;

fn programs_toml(ethics_version: u32) -> String {
    format!(
        "[[program]]\nslug = \"demo-program\"\ntitle = \"Demo Program\"\ncourses = [\"demo-course\"]\n\
         valid_for_months = 12\n\n\
         [program.renewal]\nwindow_days = 60\ngrace_days = 30\nce_hours = 2\nreexam_after_days = 100\n\n\
         [program.training]\nhours = 6\nself_paced_cap = 1\n\n\
         [[program.training.category]]\nid = \"safety\"\ntitle = \"Safety\"\nmin_hours = 2\n\n\
         [[program.training.category]]\nid = \"ethics\"\ntitle = \"Ethics\"\nmin_hours = 1\nce_min_hours = 1\n\n\
         [program.training.courses]\ndemo-course = {{ category = \"safety\", hours = 2 }}\n\n\
         [[program.attestation]]\nid = \"code-of-ethics\"\ntitle = \"Code of ethics\"\nversion = {ethics_version}\n\
         text = \"I put the safety and choices of group members first.\"\n"
    )
}

/// The demo course with modules of an hour each, so that the program may
/// count it for the 2 hours `programs_toml` gives it.
fn demo_course_counting_two_hours(programs_toml: &str) -> tempfile::TempDir {
    let dir = demo_course_with_programs(programs_toml);
    let minutes = regex_lite::Regex::new(r"(?m)^minutes = \d+$").unwrap();
    for module in ["01-listening.md", "02-closing.md"] {
        let path = dir.path().join("demo-course").join(module);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, minutes.replace(&text, "minutes = 60").as_ref()).unwrap();
    }
    dir
}

fn day(offset_days: u64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(offset_days)).to_string()
}

/// The first id after `name="FIELD" value=` on a page.
fn first_id(page: &Page, field: &str) -> String {
    let pattern = regex_lite::Regex::new(&format!(r#"name="{field}" value="(\d+)""#)).unwrap();
    pattern
        .captures(&page.body)
        .map(|c| c[1].to_owned())
        .unwrap_or_else(|| {
            panic!("no {field} in {}", page.body);
        })
}

async fn schedule(trainer: &Browser, date: &str, category: &str, hours: &str, capacity: u32) -> Page {
    let body = format!(
        "program=demo-program&title=Safety+planning+practice&starts={date}T10:00&place=Room+2&\
         category={category}&hours={hours}&capacity={capacity}"
    );
    trainer.post_api("/api/schedule_session", &body).await
}

async fn log_training(learner: &Browser, category: &str, hours: &str, on: &str) -> Page {
    let body = format!(
        "program=demo-program&title=Ethics+workshop&provider=County+network&taken_on={on}&hours={hours}&\
         category={category}"
    );
    learner.post_api("/api/log_training", &body).await
}

#[tokio::test]
async fn hours_from_every_source_add_up_by_category_and_complete_the_program() {
    let courses = demo_course_counting_two_hours(&programs_toml(1));
    let server = TestServer::start_with(courses.path(), &[]);
    let learner = server.browser();
    learner.register("Lee Learner", "lee@example.org").await;
    complete_demo_program(&learner).await;
    learner
        .post_api(
            "/api/sign_attestation",
            "program=demo-program&key=code-of-ethics&version=1&agree=yes",
        )
        .await
        .assert_ok();
    learner
        .get("/me/record")
        .await
        .assert_contains("Training hours: 1 hour of 6 hours")
        .assert_contains("1 hour more from courses is past what self-paced reading can count")
        .assert_contains("…of which safety: 1 hour of at least 2 hours")
        .assert_contains("No live sessions are scheduled right now");
    assert!(codes_in(&learner.get("/me").await.body).is_empty(), "hours are short");

    let tess = UserBuilder::trainer("tess@example.org")
        .name("Tess Trainer")
        .create(&server)
        .await;
    assign_to_program(&server, tess, "demo-program").await;
    let tess = signed_in(&server, tess).await;
    let outsider = UserBuilder::trainer("oz@example.org").create(&server).await;
    let outsider = signed_in(&server, outsider).await;

    // Scheduling: staff of the program only, a time to come, a real category.
    assert_eq!(
        schedule(&outsider, &day(1), "safety", "3", 1).await.status,
        StatusCode::FORBIDDEN
    );
    let past = schedule(&tess, &day(0).replace('-', "/"), "safety", "3", 1).await;
    assert_eq!(past.status, StatusCode::BAD_REQUEST);
    let wrong = schedule(&tess, &day(1), "cooking", "3", 1).await;
    assert!(wrong.body.contains("what the session counts towards"), "{}", wrong.body);
    schedule(&tess, &day(1), "safety", "3", 1).await.assert_ok();

    // Signing up, while there is room.
    let record = learner.get("/me/record").await;
    record
        .assert_contains("Safety planning practice")
        .assert_contains("1 of 1 places left");
    let session = first_id(&record, "session");
    learner
        .post_api("/api/session_seat", &format!("session={session}&choice=join"))
        .await
        .assert_ok();
    let other = server.browser();
    other.register("Bo", "bo@example.org").await;
    let full = other
        .post_api("/api/session_seat", &format!("session={session}&choice=join"))
        .await;
    assert_eq!(full.status, StatusCode::BAD_REQUEST);
    assert!(full.body.contains("This session is full"), "{}", full.body);
    learner
        .get("/me/record")
        .await
        .assert_contains("You have a place.")
        .assert_contains("and 3 hours booked or waiting for a trainer");
    let early = tess
        .post_api(
            "/api/record_attendance",
            &format!("session={session}&marks[1]=attended"),
        )
        .await;
    assert!(early.body.contains("once the session has started"), "{}", early.body);

    // A training taken elsewhere: approved by staff of the program, never their own.
    let future = log_training(&learner, "ethics", "2", &day(3)).await;
    assert!(future.body.contains("can't be in the future"), "{}", future.body);
    log_training(&learner, "ethics", "2", &day(0)).await.assert_ok();
    log_training(&tess, "ethics", "1", &day(0)).await.assert_ok();
    let queue = tess.get("/teach/queue").await;
    queue
        .assert_contains("Trainings to approve")
        .assert_contains("Lee Learner · Demo Program · “Ethics workshop” by County network")
        .assert_lacks("Tess Trainer · Demo Program");
    let training = first_id(&queue, "training");
    let declined = tess
        .post_api("/api/review_training", &format!("training={training}&decision=decline"))
        .await;
    assert!(declined.body.contains("short note"), "{}", declined.body);
    let by_outsider = outsider
        .post_api("/api/review_training", &format!("training={training}&decision=confirm"))
        .await;
    assert_eq!(by_outsider.status, StatusCode::FORBIDDEN);
    tess.post_api("/api/review_training", &format!("training={training}&decision=confirm"))
        .await
        .assert_ok();
    learner
        .get("/me/record")
        .await
        .assert_contains("Training hours: 3 hours of 6 hours")
        .assert_contains("approved by Tess Trainer");

    // Two days on, the session has happened: attendance completes the hours.
    let server = server.days_later_with(2, courses.path());
    let tess = server.browser();
    tess.log_in_ok("tess@example.org").await;
    let queue = tess.get("/teach/queue").await;
    queue
        .assert_contains("Attendance to take")
        .assert_contains("Lee Learner");
    let learner_id = crate::builders::user_id(&server, "lee@example.org").await;
    tess.post_api(
        "/api/record_attendance",
        &format!("session={session}&marks[{learner_id}]=attended"),
    )
    .await
    .assert_ok();
    tess.get("/teach/queue").await.assert_lacks("Attendance to take");
    let learner = server.browser();
    learner.log_in_ok("lee@example.org").await;
    learner
        .get("/me/record")
        .await
        .assert_contains("Done: </strong>Training hours: 6 hours of 6 hours")
        .assert_contains("You attended: its hours count.");
    assert_eq!(
        codes_in(&learner.get("/me").await.body).len(),
        1,
        "the hours completed it"
    );

    // The transcript lists the hours and sign-offs, as searchable text.
    let response = learner.client.get(server.url("/me/record.pdf")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("record.pdf");
    std::fs::write(&file, response.bytes().await.unwrap()).unwrap();
    let file = file.to_str().unwrap();
    crate::certificates::tool("qpdf", &["--check", file]);
    let text = crate::certificates::tool("pdftotext", &[file, "-"]);
    for wanted in [
        "Training record",
        "Lee Learner",
        "Done: Training hours: 6 hours of 6 hours",
        "Safety planning practice · 3 hours, safety",
        "Ethics workshop (County network) · 2 hours, ethics",
        "approved by Tess Trainer",
        "Code of ethics (version 1): signed on",
    ] {
        assert!(text.contains(wanted), "{wanted:?} in {text}");
    }
    let anonymous = server.browser().get("/me/record.pdf").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "sign-in first");

    // The outcome dashboard counts the hours and the session.
    let admin = UserBuilder::admin("root@example.org").create(&server).await;
    let body = signed_in(&server, admin).await.get("/outcomes").await.body;
    for (label, wanted) in [
        (r"Training hours \(live sessions and approved trainings\)", "5"),
        ("Supervised practice hours confirmed", "0"),
        ("Live sessions held", "1"),
    ] {
        let pattern = regex_lite::Regex::new(&format!(r"<dt>{label}</dt><dd>(?:<!---->)?([^<]+)")).unwrap();
        let shown = pattern
            .captures(&body)
            .unwrap_or_else(|| panic!("no {label} in {body}"))[1]
            .to_owned();
        assert_eq!(shown, wanted, "{label}");
    }

    // The learner's organization sees the hours and when renewal opens.
    let admin = UserBuilder::learner("noor@example.org").create(&server).await;
    let north = crate::builders::organization(&server, "North", "north", admin).await;
    crate::builders::write(&server, move |conn, now| {
        use diesel::prelude::*;
        use holdspace_server::db::schema::memberships;
        diesel::insert_into(memberships::table)
            .values((
                memberships::organization_id.eq(north),
                memberships::user_id.eq(learner_id),
                memberships::joined_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await;
    let admin = signed_in(&server, admin).await;
    admin
        .get("/org")
        .await
        .assert_contains("Demo Program: Training 6 hours of 6 hours")
        .assert_says("renewal opens ");
    let csv = admin.get("/org/roster.csv").await;
    csv.assert_ok()
        .assert_contains("certificate_renewal_opens_on,hours")
        .assert_contains("Demo Program: Training 6 hours of 6 hours");

    let export = learner.get("/me/data.json").await;
    let data: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    assert_eq!(data["live_sessions"][0]["attendance"], "attended");
    assert_eq!(data["external_trainings"][0]["provider"], "County network");
    assert_eq!(data["external_trainings"][0]["status"], "confirmed");

    let actions: Vec<String> = audit_log(&server.database.url).into_iter().map(|e| e.1).collect();
    for action in [
        "session.schedule",
        "session.sign_up",
        "session.attendance",
        "training.log",
        "training.confirm",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn a_renewal_by_continuing_education_needs_new_hours_and_the_new_text() {
    let courses = demo_course_counting_two_hours(&programs_toml(1));
    let server = TestServer::start_with(courses.path(), &[]);
    let learner = server.browser();
    learner.register("Lee Learner", "lee@example.org").await;
    complete_demo_program(&learner).await;
    learner
        .post_api(
            "/api/sign_attestation",
            "program=demo-program&key=code-of-ethics&version=1&agree=yes",
        )
        .await
        .assert_ok();
    let tess = UserBuilder::trainer("tess@example.org")
        .name("Tess Trainer")
        .create(&server)
        .await;
    assign_to_program(&server, tess, "demo-program").await;
    let tess = signed_in(&server, tess).await;
    for category in ["safety", "ethics"] {
        log_training(&learner, category, "2.5", &day(0)).await.assert_ok();
    }
    for _ in 0..2 {
        let training = first_id(&tess.get("/teach/queue").await, "training");
        tess.post_api("/api/review_training", &format!("training={training}&decision=confirm"))
            .await
            .assert_ok();
    }
    let first = codes_in(&learner.get("/me").await.body);
    assert_eq!(first.len(), 1, "6 hours: 1 from the course, 5 approved");
    let ends = {
        let json: serde_json::Value = reqwest::get(server.url(&format!("/api/v1/certificates/{}", first[0])))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        json["expires_on"].as_str().unwrap().to_owned()
    };

    // 320 days on, renewal is open; the text has a new version meanwhile.
    let courses = demo_course_counting_two_hours(&programs_toml(2));
    let server = server.days_later_with(320, courses.path());
    let learner = server.browser();
    learner.log_in_ok("lee@example.org").await;
    learner
        .get("/me/record")
        .await
        .assert_contains("Your renewal is open")
        .assert_contains("Continuing education: 0 minutes of 2 hours")
        .assert_contains("…of which ethics: 0 minutes of at least 1 hour")
        .assert_lacks("Course: Demo course");
    // Hours from the first certificate's cycle count: those logged before it started do not.
    log_training(&learner, "ethics", "2", &day(320)).await.assert_ok();
    let tess = server.browser();
    tess.log_in_ok("tess@example.org").await;
    let training = first_id(&tess.get("/teach/queue").await, "training");
    tess.post_api("/api/review_training", &format!("training={training}&decision=confirm"))
        .await
        .assert_ok();
    assert_eq!(
        codes_in(&learner.get("/me").await.body).len(),
        1,
        "the new version of the text is still to sign"
    );
    learner
        .get("/me/record")
        .await
        .assert_contains("Done: </strong>Continuing education: 2 hours of 2 hours")
        .assert_contains("This text has changed since you last signed it");
    learner
        .post_api(
            "/api/sign_attestation",
            "program=demo-program&key=code-of-ethics&version=2&agree=yes",
        )
        .await
        .assert_ok();
    let held = codes_in(&learner.get("/me").await.body);
    assert_eq!(held.len(), 2, "{held:?}");
    let renewal = held.iter().find(|c| **c != first[0]).unwrap();
    let json: serde_json::Value = reqwest::get(server.url(&format!("/api/v1/certificates/{renewal}")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (json["status"].as_str(), json["valid_from"].as_str()),
        (Some("upcoming"), Some(ends.as_str())),
        "no gap, no overlap"
    );
}
