//! Authoring over HTTP against the real server, with forms posted as a
//! browser without JavaScript posts them: a trainer writes, publishes and
//! revises a course; learners only ever see published versions; every
//! authoring endpoint refuses learners and organization admins; a course
//! survives export and import unchanged; Moodle's GIFT questions come in.

use crate::support::*;
use reqwest::StatusCode;
use std::path::Path;

const TRAINER: &str = "trainer@example.org";

async fn trainer(server: &TestServer) -> Browser {
    server.add_user(TRAINER, "Tess Trainer", "trainer");
    let browser = server.browser();
    browser.log_in_ok(TRAINER).await;
    browser
}

const BODY_V1: &str = "## Breathing\n\nBreathe in for four counts, out for six.";

/// Writes the one-module course "grounding" with one question, and publishes it.
pub(crate) async fn write_grounding_course(trainer: &Browser) {
    let teach = "/teach";
    assert_eq!(
        submit(
            trainer,
            teach,
            "/api/create_course",
            &[("slug", "grounding"), ("title", "Grounding skills")]
        )
        .await,
        "/teach/grounding"
    );
    let page = "/teach/grounding";
    submit(
        trainer,
        page,
        "/api/save_course_details",
        &[
            ("course", "grounding"),
            ("title", "Grounding skills"),
            ("summary", "Simple ways to help a group settle."),
            ("outcomes", "Lead a breathing exercise\nNotice when to pause"),
            ("pass_mark", "75"),
        ],
    )
    .await;
    let module_page = submit(
        trainer,
        page,
        "/api/add_module",
        &[("course", "grounding"), ("slug", "breathing"), ("title", "Breathing")],
    )
    .await;
    assert_eq!(module_page, "/teach/grounding/modules/breathing");
    save_body(trainer, BODY_V1).await;
    submit(
        trainer,
        &module_page,
        "/api/add_question",
        &[("course", "grounding"), ("module", "breathing"), ("kind", "single")],
    )
    .await;
    submit(
        trainer,
        &module_page,
        "/api/save_question",
        &[
            ("course", "grounding"),
            ("module", "breathing"),
            ("index", "0"),
            ("id", "out-breath"),
            ("kind", "single"),
            ("scenario", ""),
            ("prompt", "Which breath is longer?"),
            ("options[0][text]", "The out-breath"),
            ("options[0][correct]", "on"),
            ("options[0][why]", "A longer out-breath slows the heart."),
            ("options[1][text]", "The in-breath"),
            ("options[1][why]", "A long in-breath can feel like gasping."),
            ("options[2][text]", ""),
            ("options[2][why]", ""),
        ],
    )
    .await;
    let workspace = trainer.get(page).await;
    workspace
        .assert_ok()
        .assert_lacks("to finish before publishing")
        .assert_contains("Not published yet");
    submit(
        trainer,
        page,
        "/api/publish_course",
        &[
            ("course", "grounding"),
            ("version", "1.0.0"),
            ("change_summary", "First version."),
        ],
    )
    .await;
}

async fn save_body(trainer: &Browser, body: &str) {
    submit(
        trainer,
        "/teach/grounding/modules/breathing",
        "/api/save_module",
        &[
            ("course", "grounding"),
            ("module", "breathing"),
            ("title", "Breathing"),
            ("minutes", "8"),
            ("content_note", ""),
            ("body", body),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_trainer_writes_and_revises_a_course_and_learners_see_only_published_versions() {
    let server = TestServer::start();
    let trainer = trainer(&server).await;
    let learner = server.browser();
    learner.register("Lee Learner", "lee@example.org").await;

    assert_eq!(
        submit(
            &trainer,
            "/teach",
            "/api/create_course",
            &[("slug", "draft-only"), ("title", "Not ready yet")]
        )
        .await,
        "/teach/draft-only"
    );
    learner.get("/").await.assert_ok().assert_lacks("Not ready yet");
    assert_eq!(
        learner.get("/courses/draft-only").await.status,
        StatusCode::NOT_FOUND,
        "a draft-only course does not exist for learners"
    );

    write_grounding_course(&trainer).await;
    learner.get("/").await.assert_contains("Grounding skills");
    learner.enroll("grounding").await;
    learner
        .get("/courses/grounding/breathing")
        .await
        .assert_ok()
        .assert_contains("Breathe in for four counts");
    let quiz = ShownQuiz::parse(&learner.get("/courses/grounding/breathing/quiz").await.body);
    let first_result = submit_quiz(&learner, "grounding", "breathing", &quiz, &["The out-breath"])
        .await
        .redirect_path();
    learner
        .get(&first_result)
        .await
        .assert_contains("version 1.0.0")
        .assert_contains("A longer out-breath slows the heart.");

    // A saved edit is a draft: learners keep seeing version 1.0.0.
    save_body(&trainer, "## Breathing\n\nBreathe in for four counts, out for eight.").await;
    learner
        .get("/courses/grounding/breathing")
        .await
        .assert_contains("out for six")
        .assert_lacks("out for eight");
    trainer
        .get("/teach/grounding")
        .await
        .assert_contains("You have unpublished changes")
        .assert_contains("Module changed: Breathing (body)");
    let reused = trainer
        .post_api(
            "/api/publish_course",
            "course=grounding&version=1.0.0&change_summary=Again",
        )
        .await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);
    assert!(reused.body.contains("already been published"), "{}", reused.body);
    submit(
        &trainer,
        "/teach/grounding",
        "/api/publish_course",
        &[
            ("course", "grounding"),
            ("version", "1.1.0"),
            ("change_summary", "Longer out-breath."),
        ],
    )
    .await;

    learner
        .get("/courses/grounding/breathing")
        .await
        .assert_contains("out for eight");
    learner.get(&first_result).await.assert_contains("version 1.0.0");

    let history = trainer.get("/teach/grounding/history").await;
    history
        .assert_ok()
        .assert_contains("Version 1.1.0")
        .assert_contains("Longer out-breath.")
        .assert_contains("First version.");
    let ids: Vec<String> = regex_lite::Regex::new(r#"<option value="(\d+)""#)
        .unwrap()
        .captures_iter(&history.body)
        .map(|c| c[1].to_owned())
        .collect();
    let (newest, oldest) = (&ids[0], &ids[1]);
    trainer
        .get(&format!("/teach/grounding/history?from={oldest}&to={newest}"))
        .await
        .assert_ok()
        .assert_contains("From version 1.0.0 to version 1.1.0")
        .assert_contains("Module changed: Breathing (body)");

    let actions: Vec<(String, String)> = audit_log(&server.database.url)
        .into_iter()
        .map(|(_, action, subject, _, _)| (action, subject))
        .collect();
    let publishes: Vec<&str> = actions
        .iter()
        .filter(|(a, _)| a == "course.publish")
        .map(|(_, s)| s.as_str())
        .collect();
    assert_eq!(publishes, ["course:grounding@1.0.0", "course:grounding@1.1.0"]);
    assert!(
        actions
            .iter()
            .any(|(a, s)| a == "course.create" && s == "course:draft-only"),
        "{actions:?}"
    );

    // A started course cannot be deleted; an unstarted one can, and that is logged too.
    let refused = trainer
        .post_api("/api/delete_course", "course=grounding&confirm=grounding")
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("Learners have started this course"),
        "{}",
        refused.body
    );
    assert_eq!(
        submit(
            &trainer,
            "/teach/draft-only",
            "/api/delete_course",
            &[("course", "draft-only"), ("confirm", "draft-only")]
        )
        .await,
        "/teach"
    );
    assert_eq!(trainer.get("/teach/draft-only").await.status, StatusCode::NOT_FOUND);
    assert!(
        audit_log(&server.database.url)
            .iter()
            .any(|(_, a, s, _, _)| a == "course.delete" && s == "course:draft-only")
    );
}

#[tokio::test]
async fn rule_breaks_are_shown_beside_their_field_and_stop_publishing() {
    let server = TestServer::start();
    let trainer = trainer(&server).await;
    submit(
        &trainer,
        "/teach",
        "/api/create_course",
        &[("slug", "unfinished"), ("title", "Unfinished")],
    )
    .await;
    submit(
        &trainer,
        "/teach/unfinished",
        "/api/add_module",
        &[("course", "unfinished"), ("slug", "one"), ("title", "One")],
    )
    .await;
    submit(
        &trainer,
        "/teach/unfinished/modules/one",
        "/api/add_question",
        &[("course", "unfinished"), ("module", "one"), ("kind", "multiple")],
    )
    .await;

    let module = trainer.get("/teach/unfinished/modules/one").await;
    module.assert_ok();
    // The same words as the file loader, tied to the field that needs them.
    for (field, message) in [
        ("module-body", "the module has no text"),
        ("q0-prompt", "prompt is empty"),
        (
            "q0-options",
            "question \"one-question\": a multiple-choice question needs at least two options",
        ),
    ] {
        module.assert_contains(&format!(r#"id="{field}-problem" class="field-problem">{message}</p>"#));
    }
    module.assert_contains(r#"aria-describedby="q0-prompt-problem""#);
    trainer
        .get("/teach/unfinished")
        .await
        .assert_contains("to finish before publishing")
        .assert_contains("summary is empty");

    let refused = trainer
        .post_api(
            "/api/publish_course",
            "course=unfinished&version=1.0.0&change_summary=First",
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("isn't ready to publish yet"), "{}", refused.body);
    let no_js = trainer
        .post_form(
            "/teach/unfinished",
            "/api/publish_course",
            &[
                ("course", "unfinished"),
                ("version", "1.0.0"),
                ("change_summary", "First"),
            ],
        )
        .await;
    assert!(
        no_js.has_error_param(),
        "without JavaScript the error comes back to the page"
    );
    let bad_slug = trainer
        .post_api("/api/add_module", "course=unfinished&slug=Two+Words&title=Two")
        .await;
    assert_eq!(bad_slug.status, StatusCode::BAD_REQUEST);
}

/// Every authoring server function, with arguments that would otherwise work.
const AUTHORING_CALLS: [(&str, &str); 19] = [
    ("teach_overview", ""),
    ("create_course", "slug=new-one&title=New"),
    ("course_workspace", "course=demo-course"),
    (
        "save_course_details",
        "course=demo-course&title=T&summary=S&outcomes=O&pass_mark=80",
    ),
    ("add_module", "course=demo-course&slug=extra&title=Extra"),
    ("move_module", "course=demo-course&module=closing&direction=up"),
    ("remove_module", "course=demo-course&module=closing"),
    (
        "save_module",
        "course=demo-course&module=closing&title=T&minutes=5&content_note=&body=B&quiz_pass_mark=",
    ),
    ("preview_markdown", "markdown=%23+Hi"),
    (
        "save_quiz_settings",
        "course=demo-course&module=closing&settings%5Bdraw%5D=1",
    ),
    ("add_question", "course=demo-course&module=closing&kind=single"),
    (
        "save_question",
        "course=demo-course&module=closing&index=0&id=x&kind=single&scenario=&prompt=P",
    ),
    (
        "move_question",
        "course=demo-course&module=listening&index=1&direction=up",
    ),
    ("delete_question", "course=demo-course&module=listening&index=0"),
    ("import_gift", "course=demo-course&module=closing&gift=Q%7B%3DA~B%7D"),
    ("publish_course", "course=demo-course&version=9.9.9&change_summary=S"),
    ("discard_draft", "course=demo-course"),
    ("compare_versions", "course=demo-course&from=1&to=1"),
    ("add_course_editor", "course=demo-course&email=trainer%40example.org"),
];

/// Pages and downloads under /teach.
const AUTHORING_PAGES: [&str; 5] = [
    "/teach",
    "/teach/demo-course",
    "/teach/demo-course/modules/listening",
    "/teach/demo-course/history",
    "/teach/demo-course/export.tar.gz",
];

/// The refusal test below must grow with the API: every server function
/// declared for trainers is in its list (or, for the following ones, in
/// `following.rs`).
#[test]
fn the_refusal_test_names_every_authoring_server_function() {
    let endpoint = regex_lite::Regex::new(r#"endpoint = "(\w+)""#).unwrap();
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/api");
    let declared: Vec<String> = ["teaching.rs", "following.rs"]
        .iter()
        .flat_map(|file| {
            let source = std::fs::read_to_string(api.join(file)).unwrap();
            endpoint
                .captures_iter(&source)
                .map(|c| c[1].to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let following =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/following.rs")).unwrap();
    for name in &declared {
        let tested = AUTHORING_CALLS.iter().any(|(call, _)| call == name)
            || ["delete_course", "import_course"].contains(&name.as_str())
            || following.contains(&format!("(\"{name}\""));
        assert!(tested, "{name} is not in any refusal test");
    }
    assert!(declared.len() >= 23, "{declared:?}");
}

#[tokio::test]
async fn every_authoring_endpoint_refuses_learners_and_organization_admins() {
    let server = TestServer::start();
    server.add_user("orgadmin@example.org", "Olu Org", "org_admin");
    let org_admin = server.browser();
    org_admin.log_in_ok("orgadmin@example.org").await;
    let learner = server.browser();
    learner.register("Lee Learner", "lee@example.org").await;
    let anonymous = server.browser();

    for (who, browser, expected) in [
        ("learner", &learner, StatusCode::FORBIDDEN),
        ("org admin", &org_admin, StatusCode::FORBIDDEN),
        ("visitor", &anonymous, StatusCode::UNAUTHORIZED),
    ] {
        for (endpoint, body) in AUTHORING_CALLS
            .iter()
            .chain([("delete_course", "course=demo-course&confirm=demo-course")].iter())
        {
            let response = browser.post_api(&format!("/api/{endpoint}"), body).await;
            assert_eq!(response.status, expected, "{who} calling {endpoint}: {}", response.body);
        }
        let upload = reqwest::multipart::Form::new().part(
            "archive",
            reqwest::multipart::Part::bytes(b"not an archive".to_vec()).file_name("x.tar.gz"),
        );
        let response = browser
            .client
            .post(server.url("/api/import_course"))
            .multipart(upload)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "{who} uploading an archive");
        for page in AUTHORING_PAGES {
            let response = browser.get(page).await;
            if expected == StatusCode::UNAUTHORIZED && page.ends_with(".tar.gz") {
                assert_eq!(
                    (response.status, response.location.as_deref()),
                    (StatusCode::SEE_OTHER, Some("/login?next=/teach/demo-course")),
                    "a visitor is asked to log in"
                );
            } else {
                assert_eq!(response.status, expected, "{who} opening {page}");
            }
        }
    }

    // A trainer who does not edit the course is refused it, but not /teach itself.
    let outsider = trainer(&server).await;
    outsider.get("/teach").await.assert_ok().assert_lacks("demo-course");
    for page in &AUTHORING_PAGES[1..] {
        assert_eq!(
            outsider.get(page).await.status,
            StatusCode::FORBIDDEN,
            "an outsider trainer opening {page}"
        );
    }
    let refused = outsider
        .post_api(
            "/api/add_course_editor",
            "course=demo-course&email=trainer%40example.org",
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "only admins add editors");

    // An admin adds them; now they edit it.
    server.add_user("admin@example.org", "Ada Admin", "admin");
    let admin = server.browser();
    admin.log_in_ok("admin@example.org").await;
    submit(
        &admin,
        "/teach/demo-course",
        "/api/add_course_editor",
        &[("course", "demo-course"), ("email", TRAINER)],
    )
    .await;
    outsider
        .get("/teach/demo-course")
        .await
        .assert_ok()
        .assert_contains("Tess Trainer");
    // Nothing the refused calls tried reached the course.
    outsider
        .get("/teach/demo-course")
        .await
        .assert_contains("There are no unpublished changes");
    assert!(
        audit_log(&server.database.url)
            .iter()
            .all(|(_, action, ..)| action == "course.editor.add")
    );
}

async fn export(browser: &Browser, course: &str) -> Vec<u8> {
    let response = browser
        .client
        .get(format!("{}/teach/{course}/export.tar.gz", browser.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/gzip");
    response.bytes().await.unwrap().to_vec()
}

async fn upload(browser: &Browser, archive: Vec<u8>) -> Page {
    let form = reqwest::multipart::Form::new().part(
        "archive",
        reqwest::multipart::Part::bytes(archive).file_name("course.tar.gz"),
    );
    let response = browser
        .client
        .post(format!("{}/api/import_course", browser.base))
        .header("accept", "text/html")
        .header("referer", format!("{}/teach", browser.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Page {
        status,
        location,
        headers: Default::default(),
        body: response.text().await.unwrap(),
    }
}

#[tokio::test]
async fn an_exported_course_imports_as_the_same_course() {
    let source = TestServer::start();
    source.add_user("admin@example.org", "Ada Admin", "admin");
    let admin = source.browser();
    admin.log_in_ok("admin@example.org").await;
    let archive = export(&admin, "demo-course").await;

    // Into a server that has never seen the course: by upload...
    let empty = tempfile::tempdir().unwrap();
    let target = TestServer::start_with(empty.path(), &[]);
    let trainer = trainer(&target).await;
    let imported = upload(&trainer, archive.clone()).await;
    assert_eq!(
        imported.redirect_path(),
        "/teach/demo-course",
        "{:?}",
        imported.location
    );
    assert_eq!(
        export(&trainer, "demo-course").await,
        archive,
        "the imported course exports byte for byte the same"
    );
    target
        .browser()
        .get("/courses/demo-course")
        .await
        .assert_ok()
        .assert_contains("Demo course");
    assert!(
        audit_log(&target.database.url)
            .iter()
            .any(|(actor, action, subject, ..)| actor == "Tess Trainer"
                && action == "course.import"
                && subject == "course:demo-course@1.0.0")
    );

    // ...and the same again changes nothing.
    assert_eq!(
        upload(&trainer, archive.clone()).await.redirect_path(),
        "/teach/demo-course"
    );
    trainer
        .get("/teach/demo-course/history")
        .await
        .assert_contains("Version 1.0.0")
        .assert_lacks("Version 1.0.1");

    // Broken archives are refused with a reason, and publish nothing.
    let refused = upload(&trainer, b"plain text".to_vec()).await;
    assert!(refused.has_error_param(), "{:?}", refused.location);

    // By the command line, into a third database.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &archive).unwrap();
    let third = TestServer::start_with(empty.path(), &[]);
    let output = cli_import(&third.database.url, file.path());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "demo-course: new course, version 1.0.0 published"
    );
    third.browser().get("/courses/demo-course").await.assert_ok();
    let again = cli_import(&third.database.url, file.path());
    assert_eq!(String::from_utf8_lossy(&again.stdout).trim(), "demo-course: unchanged");
    assert!(
        audit_log(&third.database.url)
            .iter()
            .any(|(actor, action, ..)| actor == "command line" && action == "course.import")
    );
}

fn cli_import(database_url: &str, path: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_holdspace"))
        .args(["courses", "import"])
        .arg(path)
        .args(["--database-url", database_url])
        .output()
        .unwrap()
}

#[tokio::test]
async fn gift_questions_from_moodles_own_fixture_join_a_quiz() {
    let server = TestServer::start();
    let trainer = trainer(&server).await;
    submit(
        &trainer,
        "/teach",
        "/api/create_course",
        &[("slug", "imported"), ("title", "Imported questions")],
    )
    .await;
    submit(
        &trainer,
        "/teach/imported",
        "/api/add_module",
        &[("course", "imported"), ("slug", "colours"), ("title", "Colours")],
    )
    .await;
    let gift = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gift/moodle-questions.gift.txt"),
    )
    .unwrap();
    let back = submit(
        &trainer,
        "/teach/imported/modules/colours",
        "/api/import_gift",
        &[("course", "imported"), ("module", "colours"), ("gift", &gift)],
    )
    .await;
    assert!(back.starts_with("/teach/imported/modules/colours?imported="), "{back}");
    // Without JavaScript the report arrives in the address, and the page shows it.
    let report = trainer.get(&back).await;
    report
        .assert_ok()
        .assert_contains("<li>Imported 5 questions.</li>")
        .assert_contains("left out");
    let page = report;
    for id in ["q2", "colours", "q1", "2-08-tsl", "2-08-tsl-2"] {
        page.assert_contains(&format!(r#"name="id" value="{id}""#));
    }
    page.assert_contains(">What's between orange and green in the spectrum?</textarea>");
}
