//! The learning loop over HTTP, against the real server and database:
//! register, log in, enroll, read, take quizzes, see progress.

use crate::builders::{UserBuilder, write};
use crate::support::*;
use chrono::TimeDelta;
use holdspace_server::accounts::sessions;
use holdspace_server::db::schema::sessions as stored;
use reqwest::StatusCode;

const COURSE: &str = "demo-course";

#[tokio::test]
async fn health_check_answers_once_the_database_is_up() {
    let server = TestServer::start();
    let response = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn registration_signs_in_with_a_safe_cookie_and_logout_ends_the_session() {
    let server = TestServer::start();
    let browser = server.browser();
    browser
        .get("/register")
        .await
        .assert_ok()
        .assert_contains(r#"name="password""#);

    let page = browser.register("Zoë Łukasiewicz-Nguyễn", "zoe@example.org").await;
    let cookie = page.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("holdspace_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    browser
        .get("/me")
        .await
        .assert_ok()
        .assert_contains("Welcome back, Zoë Łukasiewicz-Nguyễn.");

    let out = browser.post_form("/me", "/api/log_out", &[]).await;
    assert_eq!(out.redirect_path(), "/");
    let me = browser.get("/me").await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    me.assert_contains("Please log in to continue.");
}

#[tokio::test]
async fn registration_refuses_short_passwords_and_taken_emails_with_a_message() {
    let server = TestServer::start();
    let browser = server.browser();
    let short = browser
        .post_api(
            "/api/register",
            "display_name=Ana&email=ana%40example.org&password=short",
        )
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(short.body.contains("at least 12 characters"), "{}", short.body);

    browser.register("Ana", "ana@example.org").await;
    let again = server
        .browser()
        .post_api(
            "/api/register",
            "display_name=Ana&email=ANA%40example.org&password=another+long+password",
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("already exists"), "{}", again.body);

    // Without JavaScript the error comes back to the form page, which shows it.
    let form = server
        .browser()
        .post_form(
            "/register",
            "/api/register",
            &[
                ("display_name", "Ana"),
                ("email", "x@example.org"),
                ("password", "short"),
            ],
        )
        .await;
    assert!(form.has_error_param());
    let shown = server.browser().get(&form.redirect_path()).await;
    shown
        .assert_ok()
        .assert_contains("Please choose a password of at least 12 characters.");
}

/// Looking a session up only reads; what it leaves to write (marking it
/// seen, deleting it once ended) is written apart, and must still happen.
#[tokio::test]
async fn a_page_marks_its_session_seen_now_and_then_and_ends_an_idle_one() {
    use diesel::prelude::*;
    let server = TestServer::start();
    let ana = UserBuilder::learner("ana@example.org")
        .name("Ana Lee")
        .create(&server)
        .await;
    // Both begun earlier: one ten minutes ago (alive, last seen long enough
    // ago to be written again), one three hours ago and idle since (ended).
    let (recent, idle) = write(&server, move |conn, now| {
        let recent = sessions::start(conn, ana, None, now - TimeDelta::minutes(10))?;
        let idle = sessions::start(conn, ana, None, now - TimeDelta::hours(3))?;
        Ok((recent, idle))
    })
    .await;
    let last_seen = |token: &str| {
        let key = sessions::token_hash(token);
        write(&server, move |conn, _| {
            Ok(stored::table
                .find(key)
                .select(stored::last_seen_at)
                .first::<chrono::NaiveDateTime>(conn)
                .optional()?)
        })
    };

    let browser = server.browser();
    browser.use_session(&recent);
    browser.get("/me").await.assert_ok().assert_contains("Ana Lee");
    let seen = last_seen(&recent).await.expect("the session is kept");
    let now = chrono::Utc::now().naive_utc();
    assert!(now - seen < TimeDelta::minutes(1), "last seen {seen}, now {now}");

    let stale = server.browser();
    stale.use_session(&idle);
    let me = stale.get("/me").await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    me.assert_lacks("Ana Lee");
    assert_eq!(last_seen(&idle).await, None, "an ended session is deleted");
}

#[tokio::test]
async fn login_uses_one_generic_message_and_rotates_the_session() {
    let server = TestServer::start();
    server.browser().register("Ana", "ana@example.org").await;

    let browser = server.browser();
    let wrong_password = browser
        .post_api("/api/log_in", "email=ana%40example.org&password=not+the+password")
        .await;
    let unknown_email = browser
        .post_api("/api/log_in", "email=nobody%40example.org&password=not+the+password")
        .await;
    assert_eq!(wrong_password.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        wrong_password.body, unknown_email.body,
        "the two failures must be indistinguishable"
    );
    assert!(wrong_password.body.contains("don't match an account"));

    let first = browser.log_in("ana@example.org", PASSWORD).await;
    assert_eq!(first.redirect_path(), "/me");
    let first_cookie = first.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    let second = browser.log_in("ANA@example.org", PASSWORD).await;
    let second_cookie = second.headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert_ne!(first_cookie, second_cookie, "a new token at every login");

    // The first token was ended by the second login.
    let stale = reqwest::Client::new()
        .get(server.url("/me"))
        .header("cookie", first_cookie.split(';').next().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::UNAUTHORIZED);
    browser.get("/me").await.assert_ok();
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled_per_account() {
    let server = TestServer::start();
    server.browser().register("Ana", "ana@example.org").await;
    let browser = server.browser();
    for _ in 0..5 {
        let page = browser
            .post_api("/api/log_in", "email=ana%40example.org&password=wrong+password+here")
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
    }
    // Now even the right password waits: the account is paused, kindly.
    let paused = browser
        .post_api(
            "/api/log_in",
            &format!("email=ana%40example.org&password={}", PASSWORD.replace(' ', "+")),
        )
        .await;
    assert_eq!(paused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(paused.body.contains("Too many tries"), "{}", paused.body);
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled_per_address() {
    let server = TestServer::start();
    let browser = server.browser();
    for i in 0..20 {
        let page = browser
            .post_api(
                "/api/log_in",
                &format!("email=someone{i}%40example.org&password=wrong+password+here"),
            )
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
    }
    let paused = browser
        .post_api(
            "/api/log_in",
            "email=someone-else%40example.org&password=wrong+password+here",
        )
        .await;
    assert_eq!(paused.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn cross_origin_posts_are_refused() {
    let server = TestServer::start();
    let browser = server.browser();
    browser.register("Ana", "ana@example.org").await;
    for headers in [
        [("origin", "https://evil.example"), ("x", "y")],
        [("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")],
    ] {
        let mut request = browser
            .client
            .post(server.url("/api/enroll"))
            .form(&[("course_slug", COURSE)]);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(response.text().await.unwrap().contains("came from another website"));
    }
    // Nothing happened: the learner is still not enrolled.
    browser
        .get(&format!("/courses/{COURSE}"))
        .await
        .assert_contains("Enroll in this course");
}

#[tokio::test]
async fn visitors_read_the_catalog_and_outline_but_not_modules() {
    let server = TestServer::start();
    let browser = server.browser();
    browser
        .get("/")
        .await
        .assert_ok()
        .assert_contains("Demo course")
        .assert_contains("2 modules · about 9 minutes");
    browser
        .get(&format!("/courses/{COURSE}"))
        .await
        .assert_ok()
        .assert_contains("Answer three questions")
        .assert_contains("Listening well")
        .assert_contains("has a content note");
    let module = browser.get(&format!("/courses/{COURSE}/listening")).await;
    assert_eq!(module.status, StatusCode::UNAUTHORIZED);
    module
        .assert_lacks("UNIQUE-BODY-MARKER-ONE")
        .assert_contains("/login?next=/courses/demo-course/listening");
    let missing = browser.get("/courses/no-such-course").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_learner_enrolls_reads_past_the_content_note_and_resumes_where_they_stopped() {
    let server = TestServer::start();
    let browser = server.browser();
    browser.register("Ana", "ana@example.org").await;

    let unenrolled = browser.get(&format!("/courses/{COURSE}/closing")).await;
    unenrolled
        .assert_ok()
        .assert_contains("haven't enrolled")
        .assert_lacks("UNIQUE-BODY-MARKER-TWO");

    assert_eq!(browser.enroll(COURSE).await, "/courses/demo-course/listening");
    // The content note comes first, with a choice.
    browser
        .get("/courses/demo-course/listening")
        .await
        .assert_ok()
        .assert_contains("Content note")
        .assert_contains("This module mentions difficult experiences in general terms.")
        .assert_contains(r#"href="?note=continue""#)
        .assert_contains("Go back to the course")
        .assert_contains("Skip to the next module")
        .assert_lacks("UNIQUE-BODY-MARKER-ONE");
    let body = browser.get("/courses/demo-course/listening?note=continue").await;
    body.assert_ok()
        .assert_contains("UNIQUE-BODY-MARKER-ONE")
        .assert_contains("<h2>Why listening matters</h2>");
    body.assert_lacks("alert(\"not allowed\")");
    body.assert_contains("Next: Closing a session");

    browser
        .get("/courses/demo-course/closing")
        .await
        .assert_ok()
        .assert_contains("UNIQUE-BODY-MARKER-TWO");

    // Coming back later resumes at the last module opened.
    browser
        .get("/courses/demo-course")
        .await
        .assert_contains("Continue: Closing a session");
    browser
        .get("/me")
        .await
        .assert_contains("Continue: Closing a session")
        .assert_contains("2 of 2 modules read");
    assert_eq!(
        browser.enroll(COURSE).await,
        "/courses/demo-course/closing",
        "enrolling again resumes"
    );
}

#[tokio::test]
async fn the_quiz_page_reveals_neither_answers_nor_reasoning() {
    let server = TestServer::start();
    let browser = server.browser();
    browser.register("Ana", "ana@example.org").await;
    browser.enroll(COURSE).await;
    let page = browser.get("/courses/demo-course/listening/quiz").await;
    page.assert_ok()
        .assert_contains("Wait quietly and let them choose")
        .assert_contains("A member pauses mid-story");
    for secret in ["WHY-", "correct", "\"why\""] {
        page.assert_lacks(secret);
    }
    let quiz = ShownQuiz::parse(&page.body);
    assert_eq!(quiz.questions.len(), 3);
    assert_eq!(quiz.questions[1].1.len(), 5);
    // True/false keeps its natural order.
    let true_false: Vec<&str> = quiz.questions[2].1.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(true_false, ["True", "False"]);
    // The same sitting (and order) comes back on reload.
    let again = ShownQuiz::parse(&browser.get("/courses/demo-course/listening/quiz").await.body);
    assert_eq!(again.sitting_id, quiz.sitting_id);
    let order = |q: &ShownQuiz| q.questions[1].1.iter().map(|o| o.text.clone()).collect::<Vec<_>>();
    assert_eq!(order(&again), order(&quiz));
}

#[tokio::test]
async fn option_order_is_shuffled_per_attempt() {
    let server = TestServer::start();
    let browser = server.browser();
    browser.register("Ana", "ana@example.org").await;
    browser.enroll(COURSE).await;
    let mut orders = std::collections::HashSet::new();
    for _ in 0..6 {
        let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/listening/quiz").await.body);
        orders.insert(quiz.questions[1].1.iter().map(|o| o.text.clone()).collect::<Vec<_>>());
        let all = ["Wait quietly and let them choose", "Eye contact if welcome", "False"];
        submit_quiz(&browser, COURSE, "listening", &quiz, &all)
            .await
            .redirect_path();
    }
    // Six sittings of a five-option question: the chance of one order every time is 1 in 120^5.
    assert!(orders.len() > 1, "options were never reordered");
}

#[tokio::test]
async fn a_quiz_is_graded_exactly_with_reasons_and_a_resubmission_adds_no_attempt() {
    let server = TestServer::start();
    let browser = server.browser();
    browser.register("Ana", "ana@example.org").await;
    browser.enroll(COURSE).await;
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/listening/quiz").await.body);

    // Q1 right (1), Q2 two right and one wrong of three right ((2-1)/3), Q3 right (1):
    // (1 + 1/3 + 1) / 3 = 77.7...%, shown as 77%, below the 80% pass mark.
    let answers = [
        "Wait quietly and let them choose",
        "Eye contact if welcome",
        "Reflecting back",
        "Checking your phone",
        "False",
    ];
    let submitted = submit_quiz(&browser, COURSE, "listening", &quiz, &answers).await;
    let result_path = submitted.redirect_path();
    assert!(
        result_path.starts_with("/courses/demo-course/listening/quiz/attempts/"),
        "{result_path}"
    );

    let result = browser.get(&result_path).await;
    result
        .assert_ok()
        .assert_contains("You scored 77%. The pass mark is 80%, so this quiz isn't passed yet.")
        .assert_contains("Partial credit: 33%")
        .assert_contains("Full credit")
        .assert_contains("Try the quiz again");
    // Before a pass, the reasoning of the options chosen, and nothing of
    // the others: not their reasoning, not their text, not which is right.
    for why in ["WHY-WAIT", "WHY-EYES", "WHY-REFLECT", "WHY-PHONE", "WHY-FALSE"] {
        result.assert_contains(why);
    }
    for not_chosen in [
        "WHY-DETAILS",
        "WHY-CHANGE",
        "WHY-OPEN",
        "Open questions",
        "WHY-INTERRUPT",
        "WHY-TRUE",
    ] {
        result.assert_lacks(not_chosen);
    }
    result.assert_contains("Which option is right stays hidden until you pass");
    result
        .assert_lacks("Wrong")
        .assert_lacks("Incorrect")
        .assert_lacks("Failed");

    // The same form again (double click, refresh, retry): the same attempt.
    let again = submit_quiz(&browser, COURSE, "listening", &quiz, &answers).await;
    assert_eq!(again.redirect_path(), result_path);
    let dashboard = browser.get("/me").await;
    assert_eq!(
        dashboard.body.matches("/quiz/attempts/").count(),
        1,
        "{}",
        dashboard.body
    );

    // A new sitting can pass; full marks and the next module are offered.
    let retry = ShownQuiz::parse(&browser.get("/courses/demo-course/listening/quiz").await.body);
    assert_ne!(retry.sitting_id, quiz.sitting_id);
    let all_right = [
        "Wait quietly and let them choose",
        "Eye contact if welcome",
        "Reflecting back",
        "Open questions",
        "False",
    ];
    let passed = browser
        .get(
            &submit_quiz(&browser, COURSE, "listening", &retry, &all_right)
                .await
                .redirect_path(),
        )
        .await;
    passed
        .assert_contains("You scored 100% and passed (the pass mark is 80%).")
        .assert_contains("Next module: Closing a session");
    // Once passed, every option's reasoning, in this review and the earlier one.
    let earlier = browser.get(&result_path).await;
    for page in [&passed, &earlier] {
        for why in ["WHY-DETAILS", "WHY-CHANGE", "WHY-OPEN", "WHY-INTERRUPT", "WHY-TRUE"] {
            page.assert_contains(why);
        }
        page.assert_contains("Every question, with the reasoning");
    }
    browser
        .get("/courses/demo-course")
        .await
        .assert_contains("Quiz passed")
        .assert_contains("1 of 2 quizzes passed");
}

#[tokio::test]
async fn passing_every_quiz_completes_the_course() {
    let server = TestServer::start();
    let browser = server.browser();
    browser.register("Ana", "ana@example.org").await;
    browser.enroll(COURSE).await;
    let module = "/courses/demo-course/listening?note=continue";
    browser
        .get(module)
        .await
        .assert_contains("Take the quiz")
        .assert_lacks("You have passed this module's quiz");
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/listening/quiz").await.body);
    let all_right = [
        "Wait quietly and let them choose",
        "Eye contact if welcome",
        "Reflecting back",
        "Open questions",
        "False",
    ];
    submit_quiz(&browser, COURSE, "listening", &quiz, &all_right)
        .await
        .redirect_path();
    browser
        .get(module)
        .await
        .assert_contains("You have passed this module's quiz")
        .assert_contains("Look at the quiz again");
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/closing/quiz").await.body);
    let result = browser
        .get(
            &submit_quiz(&browser, COURSE, "closing", &quiz, &["A short check-out round"])
                .await
                .redirect_path(),
        )
        .await;
    result.assert_contains("You have completed every quiz in Demo course");
    browser.get("/me").await.assert_contains("Completed on ");
}

#[tokio::test]
async fn an_incomplete_quiz_keeps_the_answers_given() {
    let server = TestServer::start();
    let browser = server.browser();
    browser.register("Ana", "ana@example.org").await;
    browser.enroll(COURSE).await;
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/listening/quiz").await.body);
    let partial = submit_quiz(
        &browser,
        COURSE,
        "listening",
        &quiz,
        &["Wait quietly and let them choose"],
    )
    .await;
    assert!(partial.has_error_param(), "the error travels back to the quiz page");
    let back = browser.get(&partial.redirect_path()).await;
    back.assert_contains(
        "There is no answer yet for questions 2 and 3. Your other answers are saved, so take your time.",
    );
    // The saved choice is still ticked.
    let ticked = regex_lite::Regex::new(r#"value="\d+" checked[^>]*><span>Wait quietly and let them choose<"#).unwrap();
    assert!(ticked.is_match(&back.body), "{}", back.body);
    let api = browser
        .post_api(
            "/api/submit_quiz",
            &format!(
                "course_slug={COURSE}&module_slug=listening&sitting_id={}",
                quiz.sitting_id
            ),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn learners_cannot_see_or_submit_each_others_attempts() {
    let server = TestServer::start();
    let ana = server.browser();
    ana.register("Ana", "ana@example.org").await;
    ana.enroll(COURSE).await;
    let quiz = ShownQuiz::parse(&ana.get("/courses/demo-course/closing/quiz").await.body);
    let result_path = submit_quiz(&ana, COURSE, "closing", &quiz, &["A short check-out round"])
        .await
        .redirect_path();

    let ben = server.browser();
    ben.register("Ben", "ben@example.org").await;
    ben.enroll(COURSE).await;
    let peek = ben.get(&result_path).await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    peek.assert_lacks("WHY-CHECKOUT");
    // Submitting into Ana's sitting is refused as if it did not exist.
    let forged = ben
        .post_api(
            "/api/submit_quiz",
            &format!(
                "course_slug={COURSE}&module_slug=closing&sitting_id={}&answers%5Bcloseing%5D=0",
                quiz.sitting_id
            ),
        )
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND, "{}", forged.body);
    let attempt_id = result_path.rsplit('/').next().unwrap();
    let api = ben.post_api("/api/attempt", &format!("attempt_id={attempt_id}")).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn garbage_gets_a_clear_client_error_never_a_server_error() {
    let server = TestServer::start();
    let browser = server.browser();
    browser.register("Ana", "ana@example.org").await;
    browser.enroll(COURSE).await;
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/closing/quiz").await.body);
    let cases = [
        ("/api/submit_quiz", "sitting_id=not-a-number".to_owned()),
        (
            "/api/submit_quiz",
            format!(
                "course_slug={COURSE}&module_slug=closing&sitting_id={}&answers%5Bclosing-check-out%5D=99",
                quiz.sitting_id
            ),
        ),
        (
            "/api/submit_quiz",
            format!(
                "course_slug={COURSE}&module_slug=closing&sitting_id={}&answers%5Bno-such-question%5D=0",
                quiz.sitting_id
            ),
        ),
        (
            "/api/submit_quiz",
            format!(
                "course_slug={COURSE}&module_slug=closing&sitting_id={}&answers%5Bclosing-check-out%5D=zero",
                quiz.sitting_id
            ),
        ),
        ("/api/enroll", String::new()),
        ("/api/log_in", "%%%%".to_owned()),
        ("/api/attempt", "attempt_id=1e99".to_owned()),
    ];
    for (path, body) in cases {
        let page = browser.post_api(path, &body).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path} {body}: {}", page.body);
        assert!(
            page.body.contains("couldn't read that request"),
            "{path}: {}",
            page.body
        );
    }
    let unknown = browser.post_api("/api/enroll", "course_slug=no-such-course").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let anonymous = server
        .browser()
        .post_api(
            "/api/submit_quiz",
            &format!(
                "course_slug={COURSE}&module_slug=closing&sitting_id={}",
                quiz.sitting_id
            ),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_page_has_a_quick_exit_and_a_title() {
    let server = TestServer::start();
    let browser = server.browser();
    browser.register("Ana", "ana@example.org").await;
    browser.enroll(COURSE).await;
    for path in [
        "/",
        "/login",
        "/register",
        "/me",
        "/courses/demo-course",
        "/courses/demo-course/closing",
        "/courses/demo-course/closing/quiz",
        "/nowhere",
    ] {
        let page = browser.get(path).await;
        page.assert_contains(r#"class="quick-exit""#)
            .assert_contains(r#"<html lang="en">"#)
            .assert_contains("<title>");
    }
}

/// A page that shows an error instead of its content still names itself in
/// the tab, which is the first thing a screen reader announces.
#[tokio::test]
async fn a_page_showing_an_error_says_so_in_its_title() {
    let server = TestServer::start();
    let visitor = server.browser();
    for (path, title) in [
        ("/courses/demo-course/closing", "Please log in · Holdspace"),
        ("/courses/demo-course/closing/quiz", "Please log in · Holdspace"),
        ("/courses/no-such-course", "Page not found · Holdspace"),
    ] {
        let page = visitor.get(path).await;
        page.assert_contains(&format!("<title>{title}</title>"));
    }
}

#[tokio::test]
async fn a_changed_course_becomes_a_new_version_and_old_attempts_keep_theirs() {
    let courses = tempfile::tempdir().unwrap();
    copy_dir(&fixture_courses(), courses.path());
    let server = TestServer::start_with(courses.path(), &[]);
    let browser = server.browser();
    browser.register("Ana", "ana@example.org").await;
    browser.enroll(COURSE).await;
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/closing/quiz").await.body);
    let old_result = submit_quiz(&browser, COURSE, "closing", &quiz, &["A short check-out round"])
        .await
        .redirect_path();
    let (data_dir, database) = server.stop();

    let course_toml = courses.path().join("demo-course/course.toml");
    std::fs::write(
        &course_toml,
        std::fs::read_to_string(&course_toml).unwrap().replace("1.0.0", "1.1.0"),
    )
    .unwrap();
    let module = courses.path().join("demo-course/02-closing.md");
    std::fs::write(
        &module,
        std::fs::read_to_string(&module)
            .unwrap()
            .replace("A calm ending helps.", "A calm, unhurried ending helps."),
    )
    .unwrap();
    // A broken quiz elsewhere must not stop the good course from loading... but this course is now
    // fine, so it is imported as version 1.1.0.
    let server = TestServer::start_on(data_dir, database, courses.path(), &[]);
    let browser = server.browser();
    browser.log_in("ana@example.org", PASSWORD).await.redirect_path();
    browser
        .get("/courses/demo-course")
        .await
        .assert_contains("Course version 1.1.0");
    browser
        .get("/courses/demo-course/closing")
        .await
        .assert_contains("A calm, unhurried ending helps.");
    browser
        .get(&old_result)
        .await
        .assert_ok()
        .assert_contains("course version 1.0.0");
    // Progress carried over: the passed quiz still counts.
    browser
        .get("/courses/demo-course")
        .await
        .assert_contains("1 of 2 quizzes passed");
}

#[tokio::test]
async fn a_broken_course_keeps_its_last_good_version() {
    let courses = tempfile::tempdir().unwrap();
    copy_dir(&fixture_courses(), courses.path());
    let server = TestServer::start_with(courses.path(), &[]);
    let (data_dir, database) = server.stop();
    let quiz = courses.path().join("demo-course/02-closing.quiz.toml");
    std::fs::write(
        &quiz,
        std::fs::read_to_string(&quiz)
            .unwrap()
            .replace("correct = false", "correct = true"),
    )
    .unwrap();
    let module = courses.path().join("demo-course/02-closing.md");
    std::fs::write(
        &module,
        std::fs::read_to_string(&module)
            .unwrap()
            .replace("A calm ending helps.", "BROKEN VERSION TEXT"),
    )
    .unwrap();

    let server = TestServer::start_on(data_dir, database, courses.path(), &[]);
    let browser = server.browser();
    browser.register("Ana", "ana@example.org").await;
    browser.enroll(COURSE).await;
    browser
        .get("/courses/demo-course/closing")
        .await
        .assert_ok()
        .assert_contains("A calm ending helps.")
        .assert_lacks("BROKEN");
    assert!(
        server.server_log().contains("02-closing.quiz.toml:"),
        "the problem is logged with its file and line"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn the_local_resources_page_shows_what_the_organization_configured() {
    let server = TestServer::start();
    server
        .browser()
        .get("/resources")
        .await
        .assert_ok()
        .assert_contains("call your local emergency number")
        .assert_contains("hasn't listed its local services here yet");

    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        file.path(),
        "## Crisis line\n\nRiverside Crisis Line, open all night.\n\n<script>x()</script>",
    )
    .unwrap();
    let configured = TestServer::start_with(&fixture_courses(), &["--resources", file.path().to_str().unwrap()]);
    let page = configured.browser().get("/resources").await;
    page.assert_ok()
        .assert_contains("<h2>Crisis line</h2>")
        .assert_contains("Riverside Crisis Line")
        .assert_lacks("x()");
}

#[tokio::test]
async fn the_policies_page_says_to_ask_the_supervisor_until_the_organization_writes_it() {
    let server = TestServer::start();
    server
        .browser()
        .get("/policies")
        .await
        .assert_ok()
        .assert_contains("hasn't put its policies here yet")
        .assert_contains("ask your supervisor first");

    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        file.path(),
        "## Reporting\n\nCall the duty manager the same day.\n\n<img src=x onerror=alert(1)>",
    )
    .unwrap();
    let configured = TestServer::start_with(&fixture_courses(), &["--policies", file.path().to_str().unwrap()]);
    configured
        .browser()
        .get("/policies")
        .await
        .assert_ok()
        .assert_contains("<h2>Reporting</h2>")
        .assert_contains("Call the duty manager the same day.")
        .assert_lacks("onerror")
        .assert_lacks("put its policies here yet");
}

/// A double click sends the same sitting twice at once. One grading wins;
/// the other answers with the same attempt (on PostgreSQL the loser meets
/// the unique sitting and reads the winner's) instead of an error.
#[tokio::test]
async fn the_same_submission_sent_twice_at_once_is_graded_once() {
    let server = TestServer::start();
    for round in 0..20 {
        let browser = server.browser();
        browser
            .register("Ana María Muñoz", &format!("ana{round}@example.org"))
            .await;
        browser.enroll(COURSE).await;
        let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/listening/quiz").await.body);
        let (a, b) = tokio::join!(
            submit_quiz(&browser, COURSE, "listening", &quiz, &LISTENING_RIGHT),
            submit_quiz(&browser, COURSE, "listening", &quiz, &LISTENING_RIGHT),
        );
        assert_eq!(graded(a), graded(b), "round {round}");
        let dashboard = browser.get("/me").await;
        assert_eq!(dashboard.body.matches("/quiz/attempts/").count(), 1, "round {round}");
    }
}
