//! Assessment over HTTP: pooled quizzes that draw per sitting, a review that
//! keeps the key until a pass, attempt policies a trainer can lift, and a
//! final exam that opens after the courses and comes before the certificate.

use crate::builders::{self, UserBuilder};
use crate::support::*;
use reqwest::StatusCode;
use std::collections::BTreeSet;

/// Writes a course of `questions` single-choice questions ("Question N?",
/// with "Right N" and two wrong options) in one quiz headed by `settings`.
fn write_course(dir: &std::path::Path, slug: &str, questions: usize, settings: &str) {
    let folder = dir.join(slug);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("course.toml"),
        format!("slug = \"{slug}\"\ntitle = \"Course {slug}\"\nversion = \"1\"\nsummary = \"S\"\noutcomes = [\"O\"]\n"),
    )
    .unwrap();
    std::fs::write(
        folder.join("01-one.md"),
        "+++\ntitle = \"One\"\nminutes = 30\n+++\nText.\n",
    )
    .unwrap();
    let mut quiz = format!("{settings}\n");
    for n in 1..=questions {
        quiz.push_str(&format!(
            "[[question]]\nid = \"{slug}-q{n:02}\"\nkind = \"single\"\nprompt = \"Question {slug} {n:02}?\"\n\
             [[question.option]]\ntext = \"Right {slug} {n:02}\"\ncorrect = true\nwhy = \"WHY-RIGHT {slug} {n:02}\"\n\
             [[question.option]]\ntext = \"Wrong {slug} {n:02} a\"\ncorrect = false\nwhy = \"WHY-WRONG-A {slug} {n:02}\"\n\
             [[question.option]]\ntext = \"Wrong {slug} {n:02} b\"\ncorrect = false\nwhy = \"WHY-WRONG-B {slug} {n:02}\"\n\n"
        ));
    }
    std::fs::write(folder.join("01-one.quiz.toml"), quiz).unwrap();
}

/// Form fields choosing, for every question shown, the right option or a wrong one.
fn answer(quiz: &ShownQuiz, right: bool) -> Vec<(String, String)> {
    quiz.questions
        .iter()
        .map(|(_, options)| {
            let option = options
                .iter()
                .find(|o| o.text.starts_with("Right") == right)
                .expect("an option");
            (option.field.clone(), option.value.clone())
        })
        .collect()
}

/// The numbers of the questions a quiz page shows ("Question a 07?" → "07").
fn prompts(body: &str) -> BTreeSet<String> {
    regex_lite::Regex::new(r"Question [a-z-]+ (\d\d)\?")
        .unwrap()
        .captures_iter(body)
        .map(|c| c[1].to_owned())
        .collect()
}

#[tokio::test]
async fn each_sitting_draws_its_own_questions_and_its_review_shows_those() {
    let courses = tempfile::tempdir().unwrap();
    write_course(courses.path(), "a", 12, "draw = 3\nreview = \"always\"");
    let server = TestServer::start_with(courses.path(), &[]);
    let ana = UserBuilder::learner("ana@example.org").create(&server).await;
    let browser = builders::signed_in(&server, ana).await;
    browser.enroll("a").await;
    let mut draws = BTreeSet::new();
    for _ in 0..5 {
        let page = browser.get("/courses/a/one/quiz").await;
        let quiz = ShownQuiz::parse(&page.assert_ok().body);
        assert_eq!(quiz.questions.len(), 3, "a sitting shows the draw");
        let shown = prompts(&page.body);
        // A reload is the same sitting with the same questions.
        assert_eq!(prompts(&browser.get("/courses/a/one/quiz").await.body), shown);
        let review = browser
            .get(&graded(
                submit_quiz_fields(&browser, "a", "one", &quiz, answer(&quiz, false)).await,
            ))
            .await;
        assert_eq!(
            prompts(&review.body),
            shown,
            "the review shows the questions of its own sitting"
        );
        draws.insert(shown);
    }
    assert!(
        draws.len() > 1,
        "five sittings of 3 from 12 drew the same questions every time"
    );
}

#[tokio::test]
async fn a_failed_review_holds_no_key_and_a_passed_one_shows_every_reason() {
    let courses = tempfile::tempdir().unwrap();
    write_course(courses.path(), "a", 8, "draw = 4");
    let server = TestServer::start_with(courses.path(), &[]);
    let ana = UserBuilder::learner("ana@example.org").create(&server).await;
    let browser = builders::signed_in(&server, ana).await;
    browser.enroll("a").await;

    let quiz = ShownQuiz::parse(&browser.get("/courses/a/one/quiz").await.body);
    let chosen = answer(&quiz, false);
    let failed = browser
        .get(&graded(
            submit_quiz_fields(&browser, "a", "one", &quiz, chosen.clone()).await,
        ))
        .await;
    failed
        .assert_ok()
        .assert_contains("so this quiz isn't passed yet")
        .assert_lacks("Right a")
        .assert_lacks("WHY-RIGHT");
    // Only the reasoning of the options chosen.
    let wrong_shown: Vec<&str> = quiz
        .questions
        .iter()
        .flat_map(|(_, options)| options.iter().filter(|o| o.text.starts_with("Wrong")))
        .map(|o| o.text.as_str())
        .collect();
    let chosen_texts: Vec<&str> = quiz
        .questions
        .iter()
        .flat_map(|(_, options)| options)
        .filter(|o| {
            chosen
                .iter()
                .any(|(field, value)| *field == o.field && *value == o.value)
        })
        .map(|o| o.text.as_str())
        .collect();
    for text in wrong_shown {
        if chosen_texts.contains(&text) {
            failed.assert_contains(text);
        } else {
            failed.assert_lacks(text);
        }
    }

    let retry = ShownQuiz::parse(&browser.get("/courses/a/one/quiz").await.body);
    let passed = browser
        .get(&graded(
            submit_quiz_fields(&browser, "a", "one", &retry, answer(&retry, true)).await,
        ))
        .await;
    passed
        .assert_contains("and passed")
        .assert_contains("WHY-RIGHT")
        .assert_contains("WHY-WRONG-A")
        .assert_contains("WHY-WRONG-B");
}

#[tokio::test]
async fn a_wait_and_a_limit_hold_the_next_attempt_until_its_date_or_a_trainer() {
    let courses = tempfile::tempdir().unwrap();
    write_course(
        courses.path(),
        "a",
        6,
        "draw = 3\nwait_days = 1\nmax_attempts = 2\nattempts_period_days = 30",
    );
    let server = TestServer::start_with(courses.path(), &[]);
    let ana = UserBuilder::learner("ana@example.org")
        .name("Ana")
        .create(&server)
        .await;
    let browser = builders::signed_in(&server, ana).await;
    browser.enroll("a").await;
    let quiz = ShownQuiz::parse(&browser.get("/courses/a/one/quiz").await.body);
    graded(submit_quiz_fields(&browser, "a", "one", &quiz, answer(&quiz, false)).await);

    // The wait: refused with the date, never a countdown.
    let early = browser.get("/courses/a/one/quiz").await;
    assert_eq!(early.status, StatusCode::FORBIDDEN, "{}", early.body);
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .date_naive()
        .to_string();
    early.assert_contains(&format!("You can take this quiz again from {tomorrow}"));

    // Two days later the second attempt opens; after it, the limit holds.
    let server = server.days_later(2);
    let browser = builders::signed_in(&server, ana).await;
    let quiz = ShownQuiz::parse(&browser.get("/courses/a/one/quiz").await.assert_ok().body);
    graded(submit_quiz_fields(&browser, "a", "one", &quiz, answer(&quiz, false)).await);
    let server = server.days_later(4);
    let browser = builders::signed_in(&server, ana).await;
    let held = browser.get("/courses/a/one/quiz").await;
    assert_eq!(held.status, StatusCode::FORBIDDEN, "{}", held.body);
    held.assert_contains("This quiz can be taken 2 times in 30 days, and you have used those attempts.")
        .assert_contains("Your trainer can open another attempt for you");

    // The course's editor sees it on the roster and opens one more; it is audit-logged.
    let sam = UserBuilder::admin("sam@example.org").name("Sam").create(&server).await;
    let sam = builders::signed_in(&server, sam).await;
    sam.get("/teach/a/learners")
        .await
        .assert_ok()
        .assert_contains("Open another attempt at One");
    let learner_id = ana.to_string();
    submit(
        &sam,
        "/teach/a/learners",
        "/api/grant_attempt",
        &[("learner_id", &learner_id), ("course", "a"), ("module", "one")],
    )
    .await;
    sam.get("/teach/a/learners")
        .await
        .assert_lacks("Open another attempt at One");
    let quiz = ShownQuiz::parse(&browser.get("/courses/a/one/quiz").await.assert_ok().body);
    graded(submit_quiz_fields(&browser, "a", "one", &quiz, answer(&quiz, true)).await);
    let entries = audit_log(&server.database.url);
    assert!(
        entries.iter().any(|(actor, action, subject, ..)| actor == "Sam"
            && action == "attempt.grant"
            && subject == &format!("user:{ana}/course:a/one")),
        "{entries:?}"
    );
}

#[tokio::test]
async fn a_learner_cannot_open_attempts_for_themselves_nor_a_trainer_outside_their_course() {
    let courses = tempfile::tempdir().unwrap();
    write_course(courses.path(), "a", 6, "draw = 3\nmax_attempts = 1");
    let server = TestServer::start_with(courses.path(), &[]);
    let ana = UserBuilder::learner("ana@example.org").create(&server).await;
    let trainer = UserBuilder::trainer("tess@example.org").create(&server).await;
    let fields = format!("learner_id={ana}&course=a&module=one");
    let learner = builders::signed_in(&server, ana).await;
    assert_eq!(
        learner.post_api("/api/grant_attempt", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    let stranger = builders::signed_in(&server, trainer).await;
    assert_eq!(
        stranger.post_api("/api/grant_attempt", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        audit_log(&server.database.url)
            .iter()
            .all(|(_, action, ..)| action != "attempt.grant")
    );
}

/// Two courses of 24 questions and a program whose exam draws 20 from each.
fn exam_courses() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_course(dir.path(), "a", 24, "draw = 3");
    write_course(dir.path(), "b", 24, "draw = 3");
    std::fs::write(
        dir.path().join("programs.toml"),
        "[[program]]\nslug = \"p\"\ntitle = \"Program P\"\ncourses = [\"a\", \"b\"]\nvalid_for_months = 12\n\n\
         [program.exam]\npass_mark = 80\nmax_attempts = 2\nattempts_period_days = 90\n\n\
         [program.exam.draw]\na = 20\nb = 20\n",
    )
    .unwrap();
    dir
}

async fn submit_exam(browser: &Browser, exam: &ShownQuiz, answers: Vec<(String, String)>) -> Page {
    let mut fields = vec![
        ("program_slug".to_owned(), "p".to_owned()),
        ("sitting_id".to_owned(), exam.sitting_id.clone()),
    ];
    fields.extend(answers);
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    browser
        .post_form("/programs/p/exam", "/api/submit_exam", &borrowed)
        .await
}

/// A double click sends the same exam twice at once: both answers name the
/// one attempt (on PostgreSQL the loser meets the unique sitting and grades
/// again to read the winner's), and one of the two attempts allowed is used.
#[tokio::test]
async fn the_same_exam_sent_twice_at_once_is_graded_once() {
    let courses = exam_courses();
    let server = TestServer::start_with(courses.path(), &[]);
    for round in 0..10 {
        let learner = UserBuilder::learner(&format!("ana{round}@example.org"))
            .create(&server)
            .await;
        builders::complete_course(&server, learner, "a").await;
        builders::complete_course(&server, learner, "b").await;
        let browser = builders::signed_in(&server, learner).await;
        let exam = ShownQuiz::parse(&browser.get("/programs/p/exam").await.assert_ok().body);
        let (a, b) = tokio::join!(
            submit_exam(&browser, &exam, answer(&exam, false)),
            submit_exam(&browser, &exam, answer(&exam, false)),
        );
        let (a, b) = (a.redirect_path(), b.redirect_path());
        assert!(a.starts_with("/programs/p/exam/attempts/"), "round {round}: {a}");
        assert_eq!(a, b, "round {round}");
        let again = browser.get("/programs/p/exam").await;
        assert_eq!(
            again.assert_ok().body.matches("/programs/p/exam/attempts/").count(),
            1,
            "round {round}: one earlier attempt"
        );
    }
}

#[tokio::test]
async fn the_exam_opens_after_the_courses_and_the_certificate_waits_for_its_pass() {
    let courses = exam_courses();
    let server = TestServer::start_with(courses.path(), &[]);
    let ana = UserBuilder::learner("ana@example.org")
        .name("Ana")
        .create(&server)
        .await;
    let browser = builders::signed_in(&server, ana).await;

    builders::complete_course(&server, ana, "a").await;
    let closed = browser.get("/programs/p/exam").await;
    assert_eq!(closed.status, StatusCode::FORBIDDEN, "{}", closed.body);
    closed.assert_contains("opens once you have completed every course in the program");

    let code = builders::complete_course(&server, ana, "b").await;
    assert_eq!(code, None, "no certificate before the exam");
    browser
        .get("/me")
        .await
        .assert_contains("Final exams")
        .assert_contains("Take the final exam")
        .assert_lacks("Your certificates");

    let page = browser.get("/programs/p/exam").await;
    let exam = ShownQuiz::parse(&page.assert_ok().body);
    assert_eq!(exam.questions.len(), 40);
    page.assert_contains("40 questions, drawn from a set of 48");
    let failed = submit_exam(&browser, &exam, answer(&exam, false)).await.redirect_path();
    assert!(failed.starts_with("/programs/p/exam/attempts/"), "{failed}");
    let review = browser.get(&failed).await;
    review
        .assert_ok()
        .assert_contains("so the exam isn't passed yet")
        .assert_lacks("Right ")
        .assert_contains("Taught in");
    browser.get("/me").await.assert_lacks("Your certificates");
    // The exam attempt is the learner's data: in their download, with what they chose.
    let data: serde_json::Value = browser
        .client
        .get(server.url("/me/data.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let exams = data["exam_attempts"].as_array().expect("exam attempts in the export");
    assert_eq!(
        (exams.len(), &exams[0]["program"], exams[0]["passed"].as_bool()),
        (1, &serde_json::json!("p"), Some(false))
    );
    assert_eq!(exams[0]["answers"].as_array().map(Vec::len), Some(40));

    let exam = ShownQuiz::parse(&browser.get("/programs/p/exam").await.assert_ok().body);
    let passed = browser
        .get(&submit_exam(&browser, &exam, answer(&exam, true)).await.redirect_path())
        .await;
    passed.assert_contains("and passed the final exam");
    let dashboard = browser.get("/me").await;
    dashboard
        .assert_contains("Your certificates")
        .assert_contains("Program P");
    let codes = codes_in(&dashboard.body);
    browser
        .get(&format!("/verify/{}", codes[0]))
        .await
        .assert_contains("Valid");
}

#[tokio::test]
async fn a_used_up_exam_waits_for_its_period_or_for_program_staff() {
    let courses = exam_courses();
    let server = TestServer::start_with(courses.path(), &[]);
    let ana = UserBuilder::learner("ana@example.org")
        .name("Ana")
        .create(&server)
        .await;
    builders::complete_course(&server, ana, "a").await;
    builders::complete_course(&server, ana, "b").await;
    let browser = builders::signed_in(&server, ana).await;
    for _ in 0..2 {
        let exam = ShownQuiz::parse(&browser.get("/programs/p/exam").await.assert_ok().body);
        submit_exam(&browser, &exam, answer(&exam, false)).await.redirect_path();
    }
    let held = browser.get("/programs/p/exam").await;
    assert_eq!(held.status, StatusCode::FORBIDDEN);
    held.assert_contains("This exam can be taken 2 times in 90 days");

    let tess = UserBuilder::trainer("tess@example.org")
        .name("Tess")
        .create(&server)
        .await;
    builders::assign_to_program(&server, tess, "p").await;
    let tess = builders::signed_in(&server, tess).await;
    tess.get("/teach/programs/p")
        .await
        .assert_contains("Final exam: not passed yet (2 attempts)");
    let learner_id = ana.to_string();
    submit(
        &tess,
        "/teach/programs/p",
        "/api/grant_attempt",
        &[("learner_id", &learner_id), ("program", "p")],
    )
    .await;
    browser.get("/programs/p/exam").await.assert_ok();
}

#[tokio::test]
async fn a_trainer_sets_the_draw_and_the_retake_rules_from_the_quiz_settings_form() {
    let courses = tempfile::tempdir().unwrap();
    write_course(courses.path(), "a", 6, "");
    let server = TestServer::start_with(courses.path(), &[]);
    let sam = UserBuilder::admin("sam@example.org").name("Sam").create(&server).await;
    let sam = builders::signed_in(&server, sam).await;
    let page = "/teach/a/modules/one";
    let form = sam.get(page).await.assert_ok().body.clone();
    let names: Vec<String> = labelled_inputs(&form).into_iter().map(|i| i.name).collect();
    for field in ["settings[draw]", "settings[wait_hours]", "settings[max_attempts]"] {
        assert!(names.iter().any(|n| n == field), "{field} in {names:?}");
    }

    let saved = sam
        .post_form(
            page,
            "/api/save_quiz_settings",
            &[
                ("course", "a"),
                ("module", "one"),
                ("settings[draw]", "3"),
                ("settings[groups]", ""),
                ("settings[review]", "always"),
                ("settings[wait_hours]", "12"),
                ("settings[max_attempts]", "4"),
                ("settings[attempts_period_days]", "30"),
            ],
        )
        .await;
    assert!(!saved.has_error_param(), "{}", saved.body);
    let form = sam.get(page).await.assert_ok().body.clone();
    let value = |name: &str| {
        labelled_inputs(&form)
            .into_iter()
            .find(|i| i.name == name)
            .map(|i| i.value)
            .unwrap_or_default()
    };
    assert_eq!(value("settings[draw]"), "3");
    assert_eq!(value("settings[wait_hours]"), "12");
    assert_eq!(value("settings[max_attempts]"), "4");
    assert_eq!(value("settings[attempts_period_days]"), "30");
    assert!(form.contains(r#"<option value="always" selected"#), "review kept");

    let bad_group = sam
        .post_api(
            "/api/save_quiz_settings",
            "course=a&module=one&settings%5Bgroups%5D=listening+two",
        )
        .await;
    assert_eq!(bad_group.status, StatusCode::BAD_REQUEST, "{}", bad_group.body);
    assert!(
        bad_group.body.contains("like \\\"listening 2\\\""),
        "{}",
        bad_group.body
    );
}

#[tokio::test]
async fn a_certificate_lapsed_past_the_set_time_needs_the_exam_again_to_renew() {
    let courses = exam_courses();
    std::fs::write(
        courses.path().join("programs.toml"),
        "[[program]]\nslug = \"p\"\ntitle = \"Program P\"\ncourses = [\"a\", \"b\"]\nvalid_for_months = 12\n\n\
         [program.renewal]\nwindow_days = 30\ngrace_days = 10\nce_hours = 1\nreexam_after_days = 60\n\n\
         [program.training]\nhours = 1\n\n[[program.training.category]]\nid = \"ethics\"\ntitle = \"Ethics\"\n\
         ce_min_hours = 1\n\n[program.training.courses]\na = { category = \"ethics\", hours = 0.5 }\n\
         b = { category = \"ethics\", hours = 0.5 }\n\n\
         [program.exam]\npass_mark = 80\nmax_attempts = 2\nattempts_period_days = 90\n\n\
         [program.exam.draw]\na = 20\nb = 20\n",
    )
    .unwrap();
    let server = TestServer::start_with(courses.path(), &[]);
    let ana = UserBuilder::learner("ana@example.org")
        .name("Ana")
        .create(&server)
        .await;
    builders::complete_course(&server, ana, "a").await;
    builders::complete_course(&server, ana, "b").await;
    let browser = builders::signed_in(&server, ana).await;
    let exam = ShownQuiz::parse(&browser.get("/programs/p/exam").await.assert_ok().body);
    submit_exam(&browser, &exam, answer(&exam, true)).await;
    let first = codes_in(&browser.get("/me").await.body);
    assert_eq!(
        first.len(),
        1,
        "the first certificate: courses, their hour and the exam"
    );
    let ends: serde_json::Value = reqwest::get(server.url(&format!("/api/v1/certificates/{}", first[0])))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ends = chrono::NaiveDate::parse_from_str(ends["expires_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let until_end = u32::try_from((ends - chrono::Utc::now().date_naive()).num_days()).unwrap();

    // Lapsed (past the 10 days of grace) but within 60 days of the end: hours and no exam.
    let server = server.days_later_with(until_end + 20, courses.path());
    let browser = server.browser();
    browser.log_in_ok("ana@example.org").await;
    browser
        .get("/me/record")
        .await
        .assert_contains("Continuing education: 0 minutes of 1 hour")
        .assert_lacks("Final exam");

    // 70 days after the end, renewing needs the exam again.
    let server = server.days_later_with(until_end + 70, courses.path());
    let browser = server.browser();
    browser.log_in_ok("ana@example.org").await;
    browser
        .get("/me/record")
        .await
        .assert_contains("To do: </strong>Final exam");
    let today = (chrono::Utc::now().date_naive() + chrono::Days::new(u64::from(until_end) + 70)).to_string();
    browser
        .post_api(
            "/api/log_training",
            &format!("program=p&title=Workshop&provider=Network&taken_on={today}&hours=1&category=ethics"),
        )
        .await
        .assert_ok();
    let tess = UserBuilder::trainer("tess@example.org")
        .name("Tess")
        .create(&server)
        .await;
    builders::assign_to_program(&server, tess, "p").await;
    let tess = builders::signed_in(&server, tess).await;
    let queue = tess.get("/teach/queue").await;
    let training = regex_lite::Regex::new(r#"name="training" value="(\d+)""#)
        .unwrap()
        .captures(&queue.body)
        .expect("the training to approve")[1]
        .to_owned();
    tess.post_api("/api/review_training", &format!("training={training}&decision=confirm"))
        .await
        .assert_ok();
    assert_eq!(
        codes_in(&browser.get("/me").await.body).len(),
        1,
        "the exam is still to pass"
    );
    let exam = ShownQuiz::parse(&browser.get("/programs/p/exam").await.assert_ok().body);
    submit_exam(&browser, &exam, answer(&exam, true)).await;
    let held = codes_in(&browser.get("/me").await.body);
    assert_eq!(held.len(), 2, "renewed: {held:?}");
    let renewal = held.iter().find(|c| **c != first[0]).unwrap();
    let json: serde_json::Value = reqwest::get(server.url(&format!("/api/v1/certificates/{renewal}")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (json["status"].as_str(), json["valid_from"].as_str()),
        (Some("valid"), Some(today.as_str())),
        "after a lapse, the new one starts the day it is issued"
    );
}
