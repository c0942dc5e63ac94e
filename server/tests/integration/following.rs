//! Following learners over HTTP: the roster and question statistics of a
//! course (checked against figures worked out by hand), a program's
//! completions, and practical sign-offs that complete a program.

use crate::builders;
use crate::support::*;
use diesel::prelude::*;
use reqwest::StatusCode;

const COURSE: &str = "demo-course";

async fn admin(server: &TestServer) -> Browser {
    server.add_user("admin@example.org", "Ada Admin", "admin");
    let admin = server.browser();
    admin.log_in_ok("admin@example.org").await;
    admin
}

async fn csv(browser: &Browser, path: &str) -> Vec<Vec<String>> {
    let response = browser
        .client
        .get(format!("{}{path}", browser.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let text = response.text().await.unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// A learner who takes the listening quiz once with these answers.
async fn learner_answers(server: &TestServer, name: &str, answers: &[&str]) -> Browser {
    let browser = server.browser();
    browser
        .register(name, &format!("{}@example.org", name.to_lowercase().replace(' ', ".")))
        .await;
    browser.enroll(COURSE).await;
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/listening/quiz").await.body);
    graded(submit_quiz(&browser, COURSE, "listening", &quiz, answers).await);
    browser
}

/// Four learners' first attempts at the listening quiz, scored per question
/// (f = first-response, single; h = helpful-habits, three of five boxes
/// right, partial credit; s = silence-ok, true/false):
///
/// | learner | f | h   | s |
/// |---------|---|-----|---|
/// | Ana     | 1 | 1   | 1 |
/// | Ben     | 1 | 1/3 | 0 |
/// | Cai     | 0 | 2/3 | 1 |
/// | Dee     | 0 | 0   | 0 |
///
/// Facility (mean): f = 2/4 = 0.5; h = 2/4 = 0.5 (0.499975 as stored in
/// basis points, 0.3333 and 0.6666); s = 2/4 = 0.5.
///
/// Discrimination, r(item, rest of the attempt):
/// - f: x = (1,1,0,0), rest = h+s = (2, 1/3, 5/3, 0), mean 1, deviations
///   (1, -2/3, 2/3, -1); Σxy = ½(1 - 2/3 - 2/3 + 1) = 1/3; Σx² = 1;
///   Σy² = 1 + 4/9 + 4/9 + 1 = 26/9; r = (1/3)/(√26/3) = 1/√26 ≈ 0.196.
/// - h: x = (1, 1/3, 2/3, 0), deviations (½, -1/6, 1/6, -½), Σx² = 5/9;
///   rest = f+s = (2,1,1,0), deviations (1,0,0,-1), Σy² = 2; Σxy = 1;
///   r = 1/√(10/9) = 3/√10 ≈ 0.949.
/// - s: x = (1,0,1,0), rest = f+h = (2, 4/3, 2/3, 0), deviations
///   (1, 1/3, -1/3, -1), Σy² = 20/9; Σxy = ½ + ... = 2/3;
///   r = (2/3)/(2√5/3) = 1/√5 ≈ 0.447.
#[tokio::test]
async fn roster_and_question_statistics_match_a_hand_computed_example() {
    let server = TestServer::start();
    learner_answers(&server, "Ana", &LISTENING_RIGHT).await;
    learner_answers(
        &server,
        "Ben",
        &["Wait quietly and let them choose", "Eye contact if welcome", "True"],
    )
    .await;
    learner_answers(
        &server,
        "Cai",
        &[
            "Change the subject",
            "Eye contact if welcome",
            "Reflecting back",
            "False",
        ],
    )
    .await;
    let dee = learner_answers(
        &server,
        "Dee",
        &["Ask for more details", "Interrupting to help", "True"],
    )
    .await;
    // A second try counts in the roster, not in the statistics.
    let quiz = ShownQuiz::parse(&dee.get("/courses/demo-course/listening/quiz").await.body);
    graded(submit_quiz(&dee, COURSE, "listening", &quiz, &LISTENING_RIGHT).await);

    let admin = admin(&server).await;
    let page = admin.get("/teach/demo-course/learners").await;
    page.assert_ok()
        .assert_contains("Learners and statistics")
        .assert_contains(r#"<svg role="img" aria-label="Share of marks on first attempts, per question: first-response 50%, helpful-habits 50%, silence-ok 50%.""#);
    assert_eq!(page.body.matches("<rect ").count(), 3, "one bar per answered question");
    // Wider than a phone: each table scrolls in a box the keyboard reaches,
    // named for screen readers.
    for name in ["Learners", "Question statistics"] {
        page.assert_contains(&format!(
            r#"<div tabindex="0" role="region" aria-label="{name}" class="table-scroll">"#
        ));
    }

    let questions = csv(&admin, "/teach/demo-course/questions.csv").await;
    let figures: Vec<(&str, &str, &str, &str)> = questions
        .iter()
        .skip(1)
        .map(|row| (row[1].as_str(), row[3].as_str(), row[4].as_str(), row[5].as_str()))
        .collect();
    assert_eq!(
        &figures[..3],
        [
            ("first-response", "4", "0.500", "0.196"),
            ("helpful-habits", "4", "0.500", "0.949"),
            ("silence-ok", "4", "0.500", "0.447")
        ]
    );
    assert_eq!(
        figures[3],
        ("closing-check-out", "0", "", ""),
        "a question nobody answered has no figures"
    );

    let roster = csv(&admin, "/teach/demo-course/learners.csv").await;
    assert_eq!(roster[0][..3], ["name", "email", "enrolled_on"]);
    let row = |name: &str| roster.iter().find(|r| r[0] == name).unwrap().clone();
    // attempts, listening best, last, tries
    assert_eq!(
        (row("Dee")[7].as_str(), &row("Dee")[9..12]),
        ("2", &["100".to_owned(), "100".to_owned(), "2".to_owned()][..])
    );
    assert_eq!(&row("Ben")[9..12], ["44", "44", "1"], "(1 + 1/3 + 0) / 3 of the marks");
    assert_eq!(row("Ana")[5], "1", "Ana passed one of the two quizzes");
}

fn courses_with_practical() -> tempfile::TempDir {
    demo_course_with_programs(
        "[[program]]\nslug = \"demo-program\"\ntitle = \"Demo Program\"\ncourses = [\"demo-course\"]\nvalid_for_months = 12\n\n\
         [[program.practical]]\nid = \"co-facilitated\"\ntitle = \"Co-facilitated two sessions under supervision\"\n",
    )
}

#[tokio::test]
async fn a_program_with_a_practical_completes_only_once_a_trainer_signs_it_off() {
    let courses = courses_with_practical();
    let server = TestServer::start_with(courses.path(), &[]);
    let learner = server.browser();
    learner.register("Lee Learner", "lee@example.org").await;
    complete_demo_program(&learner).await;
    assert!(
        codes_in(&learner.get("/me").await.body).is_empty(),
        "passing every quiz is not enough while the practical is open"
    );

    let trainer = demo_program_trainer(&server, "trainer@example.org", "Tess Trainer").await;
    let page = trainer.get("/teach/programs/demo-program").await;
    page.assert_ok()
        .assert_contains("Lee Learner")
        .assert_contains("Close: one thing left")
        .assert_contains("not yet signed off");
    let learner_id = regex_lite::Regex::new(r#"name="learner_id" value="(\d+)""#)
        .unwrap()
        .captures(&page.body)
        .unwrap()[1]
        .to_owned();

    let sign_off = |date: &str, note: &str| {
        format!("program=demo-program&learner_id={learner_id}&practical=co-facilitated&completed_on={date}&note={note}")
    };
    let today = chrono::Utc::now().date_naive();
    for (who, browser) in [("learner", &learner), ("visitor", &server.browser())] {
        let refused = browser
            .post_api("/api/sign_off_practical", &sign_off(&today.to_string(), "x"))
            .await;
        assert!(
            matches!(refused.status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED),
            "{who}: {}",
            refused.status
        );
        assert!(
            !browser.get("/teach/programs/demo-program").await.status.is_success(),
            "{who} sees no program progress"
        );
    }
    let tomorrow = today.succ_opt().unwrap().to_string();
    let future = trainer
        .post_api("/api/sign_off_practical", &sign_off(&tomorrow, "Ran+two+sessions"))
        .await;
    assert_eq!(future.status, StatusCode::BAD_REQUEST);
    assert!(future.body.contains("can't be in the future"), "{}", future.body);

    let done = trainer
        .post_form(
            "/teach/programs/demo-program",
            "/api/sign_off_practical",
            &[
                ("program", "demo-program"),
                ("learner_id", &learner_id),
                ("practical", "co-facilitated"),
                ("completed_on", &today.to_string()),
                ("note", "Two Tuesday groups with Sam supervising"),
            ],
        )
        .await;
    assert!(!done.has_error_param(), "{:?}", done.location);
    assert_eq!(
        codes_in(&learner.get("/me").await.body).len(),
        1,
        "the sign-off completes the program and issues the certificate"
    );
    trainer
        .get("/teach/programs/demo-program")
        .await
        .assert_contains("Certified")
        .assert_contains("signed off by Tess Trainer")
        .assert_contains("Two Tuesday groups with Sam supervising");
    let again = trainer
        .post_api("/api/sign_off_practical", &sign_off(&today.to_string(), "Again"))
        .await;
    assert!(again.body.contains("already signed off"), "{}", again.body);

    let progress = csv(&trainer, "/teach/programs/demo-program/progress.csv").await;
    assert_eq!(
        progress[0],
        [
            "name",
            "email",
            "certified",
            "courses_passed",
            "courses",
            "remaining",
            "co-facilitated_signed_off_on"
        ]
    );
    assert_eq!(
        progress[1],
        [
            "Lee Learner",
            "lee@example.org",
            "yes",
            "1",
            "1",
            "0",
            today.to_string().as_str()
        ]
    );
    assert!(
        audit_log(&server.database.url)
            .iter()
            .any(|(actor, action, _, reason, _)| actor == "Tess Trainer"
                && action == "practical.signoff"
                && reason.as_deref() == Some("Two Tuesday groups with Sam supervising"))
    );
}

#[tokio::test]
async fn rosters_are_for_trainers_and_admins_only() {
    let server = TestServer::start();
    let learner = server.browser();
    learner.register("Lee Learner", "lee@example.org").await;
    server.add_user("orgadmin@example.org", "Olu Org", "org_admin");
    let org_admin = server.browser();
    org_admin.log_in_ok("orgadmin@example.org").await;
    for browser in [&learner, &org_admin] {
        for page in ["/teach/demo-course/learners", "/teach/programs/demo-program"] {
            assert_eq!(browser.get(page).await.status, StatusCode::FORBIDDEN, "{page}");
        }
        for download in [
            "/teach/demo-course/learners.csv",
            "/teach/demo-course/questions.csv",
            "/teach/programs/demo-program/progress.csv",
        ] {
            assert_eq!(browser.get(download).await.status, StatusCode::FORBIDDEN, "{download}");
        }
        let sign_off = "program=demo-program&learner_id=1&practical=any&completed_on=2026-01-01&note=n";
        for (endpoint, body) in [
            ("course_following", "course=demo-course"),
            ("program_progress", "program=demo-program"),
            ("sign_off_practical", sign_off),
            ("add_program_staff", "program=demo-program&email=lee%40example.org"),
            ("grant_attempt", "learner_id=1&course=demo-course&module=listening"),
        ] {
            assert_eq!(
                browser.post_api(&format!("/api/{endpoint}"), body).await.status,
                StatusCode::FORBIDDEN,
                "{endpoint}"
            );
        }
    }
}

/// Security review, hole 7: a trainer could sign off their own practical
/// (issuing their own certificate) and read the learners of every program.
#[tokio::test]
async fn staff_act_only_on_programs_they_are_assigned_and_never_on_themselves() {
    let courses = courses_with_practical();
    let server = TestServer::start_with(courses.path(), &[]);
    let learner = server.browser();
    learner.register("Lee Learner", "lee@example.org").await;
    complete_demo_program(&learner).await;

    // A trainer nobody assigned sees neither the program nor its learners.
    server.add_user("other@example.org", "Otto Other", "trainer");
    let unassigned = server.browser();
    unassigned.log_in_ok("other@example.org").await;
    assert_eq!(
        unassigned.get("/teach/programs/demo-program").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        unassigned.get("/teach/programs/demo-program/progress.csv").await.status,
        StatusCode::FORBIDDEN
    );
    unassigned
        .get("/teach")
        .await
        .assert_ok()
        .assert_lacks("/teach/programs/demo-program");

    // A trainer who completed the program's courses cannot sign off their own practical.
    server.add_user("tess@example.org", "Tess Trainer", "trainer");
    assign_to_demo_program(&server, "tess@example.org").await;
    let trainer = server.browser();
    trainer.log_in_ok("tess@example.org").await;
    complete_demo_program(&trainer).await;
    trainer
        .get("/teach")
        .await
        .assert_contains("/teach/programs/demo-program");
    let page = trainer.get("/teach/programs/demo-program").await;
    page.assert_ok()
        .assert_contains("Trainers of this program")
        .assert_contains("Tess Trainer");
    let learner_id_in = |form: &str| {
        regex_lite::Regex::new(r#"name="learner_id" value="(\d+)""#)
            .unwrap()
            .captures(form)
            .map(|c| c[1].to_owned())
    };
    let own_id = page
        .body
        .split("<form")
        .find(|form| form.contains("Sign off for Tess Trainer"))
        .and_then(learner_id_in)
        .expect("the trainer is listed among the learners");
    let today = chrono::Utc::now().date_naive().to_string();
    let body = |id: &str| {
        format!("program=demo-program&learner_id={id}&practical=co-facilitated&completed_on={today}&note=Mine")
    };
    let refused = trainer.post_api("/api/sign_off_practical", &body(&own_id)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(
        codes_in(&trainer.get("/me").await.body).is_empty(),
        "no certificate for the trainer"
    );

    // The unassigned trainer cannot sign off the learner either, nor assign themselves.
    let learner_id = page
        .body
        .split("<form")
        .find(|form| form.contains("Sign off for Lee Learner"))
        .and_then(learner_id_in)
        .unwrap();
    assert_eq!(
        unassigned
            .post_api("/api/sign_off_practical", &body(&learner_id))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        unassigned
            .post_api(
                "/api/add_program_staff",
                "program=demo-program&email=other%40example.org"
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert!(codes_in(&learner.get("/me").await.body).is_empty());

    // The assigned one can, and the admin's assignment is in the audit log.
    let done = trainer.post_api("/api/sign_off_practical", &body(&learner_id)).await;
    assert!(done.status.is_success(), "{}", done.body);
    assert_eq!(codes_in(&learner.get("/me").await.body).len(), 1);
    assert!(
        audit_log(&server.database.url)
            .iter()
            .any(|(actor, action, subject, _, _)| actor == "Ada Admin"
                && action == "program.staff.add"
                && subject == "program:demo-program")
    );
}

/// One rule for showing a score: 79.50% of the marks is not the 80% pass
/// mark anywhere, so the learner's attempt, the trainer's roster and its CSV
/// all read 79%.
#[tokio::test]
async fn a_score_just_under_the_pass_mark_reads_the_same_everywhere() {
    let server = TestServer::start();
    let ana = builders::UserBuilder::learner("ana@example.org")
        .name("Ana")
        .create(&server)
        .await;
    let browser = builders::signed_in(&server, ana).await;
    browser.enroll(COURSE).await;
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/listening/quiz").await.body);
    let attempt = graded(
        submit_quiz(
            &browser,
            COURSE,
            "listening",
            &quiz,
            &["Change the subject", "Interrupting to help", "True"],
        )
        .await,
    );
    // No fixture question gives exactly 79.5%, so the stored grade is set to it.
    builders::write(&server, move |conn, _| {
        use holdspace_server::db::schema::attempts;
        Ok(diesel::update(attempts::table.filter(attempts::user_id.eq(ana)))
            .set((attempts::score_basis_points.eq(7_950), attempts::passed.eq(false)))
            .execute(conn)?)
    })
    .await;

    browser
        .get(&attempt)
        .await
        .assert_ok()
        .assert_contains("You scored 79%. The pass mark is 80%");
    let admin = admin(&server).await;
    admin
        .get("/teach/demo-course/learners")
        .await
        .assert_ok()
        .assert_contains("79% / 79% (1 try)");
    let roster = csv(&admin, "/teach/demo-course/learners.csv").await;
    let row = roster.iter().find(|r| r[0] == "Ana").unwrap();
    assert_eq!(&row[9..11], ["79", "79"], "best and last, in percent");
}
