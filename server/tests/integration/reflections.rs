//! Reflection prompts: a course's files offer them per module; a learner's
//! answers are theirs alone (another learner, a trainer, an admin and an
//! organization's admin never see them; a visitor is refused), saved
//! without JavaScript, in their data download, deleted when they ask (only
//! with the box ticked) and with their account. A prompt naming a module
//! the course doesn't have is reported at its line.

use crate::builders::{UserBuilder, signed_in};
use crate::support::*;
use holdspace_server::authoring::course_files::load_dir;
use reqwest::StatusCode;

const PAGE: &str = "/me/reflections/demo-course";

#[tokio::test]
async fn answers_are_private_saved_exported_and_deleted_on_request() {
    let server = TestServer::start_with(&fixture_courses(), &[]);
    let ana = server.browser();
    ana.register("Ana", "ana@example.org").await;
    ana.get(PAGE)
        .await
        .assert_ok()
        .assert_contains("Only you can read what you write here")
        .assert_contains("What words could you use to show someone you are listening")
        .assert_contains("How would you like to close a session");
    ana.enroll("demo-course").await;
    ana.get("/courses/demo-course/listening?note=continue")
        .await
        .assert_contains("/me/reflections/demo-course#listening");

    let saved = ana
        .post_form(
            PAGE,
            "/api/save_reflection",
            &[
                ("course", "demo-course"),
                ("prompt", "listening-words"),
                (
                    "answer",
                    "  I hear how hard that was. </textarea><script>alert(1)</script>  ",
                ),
            ],
        )
        .await;
    assert!(!saved.has_error_param(), "{:?}", saved.location);
    ana.get(PAGE)
        .await
        .assert_contains("I hear how hard that was. &lt;/textarea&gt;&lt;script&gt;")
        .assert_lacks("<script>alert(1)")
        .assert_contains("Saved ");

    // Nobody else reads it: another learner, a trainer, an admin or an
    // organization's admin each see only their own (empty) answers, and
    // the pages staff use don't carry it.
    let bo = server.browser();
    bo.register("Bo", "bo@example.org").await;
    bo.get(PAGE).await.assert_ok().assert_lacks("I hear how hard that was");
    let trainer = UserBuilder::trainer("tess@example.org").create(&server).await;
    let admin = UserBuilder::admin("root@example.org").create(&server).await;
    let org_admin = UserBuilder::learner("noor@example.org").create(&server).await;
    crate::builders::organization(&server, "North", "north", org_admin).await;
    for (who, id, pages) in [
        ("a trainer", trainer, &[PAGE, "/teach/queue"][..]),
        ("an admin", admin, &[PAGE, "/teach/demo-course/learners"][..]),
        (
            "an organization's admin",
            org_admin,
            &[PAGE, "/org", "/org/roster.csv"][..],
        ),
    ] {
        let browser = signed_in(&server, id).await;
        for page in pages {
            let body = browser.get(page).await.body;
            assert!(!body.contains("I hear how hard that was"), "{who} sees it on {page}");
        }
    }
    let visitor = server.browser().get(PAGE).await;
    assert_eq!(visitor.status, StatusCode::UNAUTHORIZED);

    let unknown = ana
        .post_api("/api/save_reflection", "course=demo-course&prompt=nope&answer=hi")
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let long = format!("course=demo-course&prompt=closing-ritual&answer={}", "a".repeat(5001));
    let refused = ana.post_api("/api/save_reflection", &long).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("under 5000 characters"), "{}", refused.body);

    let data: serde_json::Value = serde_json::from_str(&ana.get("/me/data.json").await.body).unwrap();
    assert_eq!(data["reflections"][0]["prompt_key"], "listening-words");
    assert_eq!(
        data["reflections"][0]["answer"],
        "I hear how hard that was. </textarea><script>alert(1)</script>"
    );

    let unsure = ana.post_api("/api/delete_reflections", "course=demo-course").await;
    assert_eq!(unsure.status, StatusCode::BAD_REQUEST);
    ana.get(PAGE).await.assert_contains("I hear how hard that was");
    ana.post_api("/api/delete_reflections", "course=demo-course&sure=yes")
        .await
        .assert_ok();
    ana.get(PAGE).await.assert_lacks("I hear how hard that was");
    let data: serde_json::Value = serde_json::from_str(&ana.get("/me/data.json").await.body).unwrap();
    assert_eq!(data["reflections"], serde_json::json!([]));

    // Deleting the account deletes the answers.
    ana.post_api(
        "/api/save_reflection",
        "course=demo-course&prompt=closing-ritual&answer=A+calm+round",
    )
    .await
    .assert_ok();
    assert_eq!(stored_answers(&server), 1);
    ana.post_form(
        "/me/privacy",
        "/api/delete_account",
        &[("password", PASSWORD), ("understood", "yes")],
    )
    .await;
    assert_eq!(stored_answers(&server), 0);
}

fn stored_answers(server: &TestServer) -> i64 {
    use diesel::prelude::*;
    use holdspace_server::db::schema::reflections;
    let pool = holdspace_server::db::Pool::open(&server.database.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    reflections::table.count().get_result(&mut conn).unwrap()
}

#[test]
fn a_prompt_for_a_module_the_course_lacks_is_reported_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("demo-course");
    std::fs::create_dir(&course).unwrap();
    for entry in std::fs::read_dir(fixture_courses().join("demo-course")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), course.join(entry.file_name())).unwrap();
    }
    std::fs::write(
        course.join("reflections.toml"),
        "[[prompt]]\nid = \"a\"\nmodule = \"01-listening\"\ntext = \"Fine?\"\n\n\
         [[prompt]]\nid = \"b\"\nmodule = \"03-missing\"\ntext = \"Where?\"\n",
    )
    .unwrap();
    let loaded = load_dir(dir.path());
    let problems: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("reflections.toml:8") && problems[0].contains("\"03-missing\" is not a module"),
        "{problems:?}"
    );
}
