//! Supervised practice and signed texts over HTTP: hours count only once the
//! supervisor the learner named confirms them, nobody confirms their own, a
//! declined session does not count, a text is signed by version and a new
//! version asks again; the certificate waits for all of it; the record page
//! shows where each requirement stands; everything is audit-logged, in the
//! learner's export, and nobody else's to see.

use crate::builders::{UserBuilder, signed_in};
use crate::support::*;
use reqwest::StatusCode;

fn programs_toml(ethics_version: u32) -> String {
    format!(
        "[[program]]\nslug = \"demo-program\"\ntitle = \"Demo Program\"\ncourses = [\"demo-course\"]\n\
         valid_for_months = 12\n\n[program.supervised_practice]\nhours = 2\n\n\
         [[program.attestation]]\nid = \"code-of-ethics\"\ntitle = \"Code of ethics\"\nversion = {ethics_version}\n\
         text = \"\"\"\nI put the safety and choices of group members first.\n\nI keep what members share private, \
         within the limits our policy sets.\n\"\"\"\n"
    )
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

async fn log_practice(browser: &Browser, hours: &str, supervisor: &str) -> Page {
    let body = format!(
        "program=demo-program&practiced_on={}&hours={hours}&role=co_facilitator&supervisor_email={supervisor}",
        today()
    );
    browser.post_api("/api/log_practice", &body).await
}

/// The ids of the sessions waiting for the signed-in supervisor, oldest first.
async fn queued(supervisor: &Browser) -> Vec<String> {
    let page = supervisor.get("/teach/queue").await;
    page.assert_ok();
    regex_lite::Regex::new(r#"name="log" value="(\d+)""#)
        .unwrap()
        .captures_iter(&page.body)
        .map(|c| c[1].to_owned())
        .fold(Vec::new(), |mut ids, id| {
            if !ids.contains(&id) {
                ids.push(id);
            }
            ids
        })
}

async fn review(supervisor: &Browser, log: &str, decision: &str, note: &str) -> Page {
    supervisor
        .post_api(
            "/api/review_practice",
            &format!("log={log}&decision={decision}&note={note}"),
        )
        .await
}

#[tokio::test]
async fn confirmed_practice_and_a_signed_code_complete_the_program() {
    let courses = demo_course_with_programs(&programs_toml(1));
    let server = TestServer::start_with(courses.path(), &[]);
    let learner = server.browser();
    learner.register("Lee Learner", "lee@example.org").await;
    complete_demo_program(&learner).await;
    learner
        .get("/me/record")
        .await
        .assert_ok()
        .assert_contains("Done: </strong>Course: Demo course")
        .assert_contains("Supervised practice: 0 minutes of 2 hours confirmed")
        .assert_contains("Code of ethics: please read and sign it below");
    assert!(
        codes_in(&learner.get("/me").await.body).is_empty(),
        "courses alone don't certify"
    );

    let sam = UserBuilder::trainer("sam@example.org")
        .name("Sam Supervisor")
        .create(&server)
        .await;
    let sam = signed_in(&server, sam).await;
    let other = UserBuilder::trainer("ola@example.org")
        .name("Ola Other")
        .create(&server)
        .await;
    let other = signed_in(&server, other).await;

    // Only a staff account is a supervisor; the answer doesn't tell who has an account.
    for address in ["nobody@example.org", "lee@example.org"] {
        let refused = log_practice(&learner, "1.5", address).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{address}");
        assert!(refused.body.contains("couldn't find a supervisor"), "{}", refused.body);
    }
    for hours in ["0", "1.1", "13", "lots"] {
        let refused = log_practice(&learner, hours, "sam@example.org").await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{hours}");
        assert!(refused.body.contains("quarter hours"), "{}", refused.body);
    }
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let future = learner
        .post_api(
            "/api/log_practice",
            &format!("program=demo-program&practiced_on={tomorrow}&hours=1&role=co_facilitator&supervisor_email=sam@example.org"),
        )
        .await;
    assert!(future.body.contains("can't be in the future"), "{}", future.body);

    // A trainer's own practice needs someone else.
    let own = log_practice(&sam, "1", "sam@example.org").await;
    assert!(own.body.contains("Someone else needs to confirm"), "{}", own.body);

    // Without JavaScript: the form posts and comes back to the record.
    let logged = learner
        .post_form(
            "/me/record",
            "/api/log_practice",
            &[
                ("program", "demo-program"),
                ("practiced_on", &today()),
                ("hours", "1.5"),
                ("role", "co_facilitator"),
                ("supervisor_email", "Sam@Example.org "),
            ],
        )
        .await;
    assert!(!logged.has_error_param(), "{:?}", logged.location);
    log_practice(&learner, "1", "sam@example.org").await.assert_ok();
    learner
        .get("/me/record")
        .await
        .assert_contains("and 2 hours 30 minutes waiting for your supervisor")
        .assert_contains("waiting for Sam Supervisor");

    assert!(queued(&other).await.is_empty(), "only the named supervisor sees them");
    let waiting = queued(&sam).await;
    assert_eq!(waiting.len(), 2, "{waiting:?}");
    sam.get("/teach/queue")
        .await
        .assert_contains("Lee Learner · Demo Program");
    let (first, second) = (&waiting[0], &waiting[1]);

    // Another supervisor, a learner and a visitor may not decide.
    for (who, browser, status) in [
        ("another trainer", &other, StatusCode::FORBIDDEN),
        ("the learner", &learner, StatusCode::FORBIDDEN),
        ("a visitor", &server.browser(), StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(review(browser, first, "confirm", "").await.status, status, "{who}");
    }
    let unexplained = review(&sam, second, "decline", "").await;
    assert_eq!(unexplained.status, StatusCode::BAD_REQUEST);
    assert!(unexplained.body.contains("add a short note"), "{}", unexplained.body);
    review(&sam, second, "decline", "I+wasn't+at+that+session")
        .await
        .assert_ok();
    review(&sam, first, "confirm", "").await.assert_ok();
    let again = review(&sam, first, "decline", "changed+my+mind").await;
    assert!(again.body.contains("already decided"), "{}", again.body);
    learner
        .get("/me/record")
        .await
        .assert_contains("Supervised practice: 1 hour 30 minutes of 2 hours confirmed")
        .assert_contains("not confirmed by Sam Supervisor: “I wasn't at that session”");
    assert!(codes_in(&learner.get("/me").await.body).is_empty(), "90 of 120 minutes");

    log_practice(&learner, "0.5", "sam@example.org").await.assert_ok();
    let last = queued(&sam).await;
    review(&sam, &last[0], "confirm", "").await.assert_ok();
    assert!(
        codes_in(&learner.get("/me").await.body).is_empty(),
        "the code of ethics is still unsigned"
    );

    let unticked = learner
        .post_api(
            "/api/sign_attestation",
            "program=demo-program&key=code-of-ethics&version=1",
        )
        .await;
    assert_eq!(unticked.status, StatusCode::BAD_REQUEST);
    assert!(unticked.body.contains("tick the box"), "{}", unticked.body);
    let signed = learner
        .post_form(
            "/me/record",
            "/api/sign_attestation",
            &[
                ("program", "demo-program"),
                ("key", "code-of-ethics"),
                ("version", "1"),
                ("agree", "yes"),
            ],
        )
        .await;
    assert!(!signed.has_error_param(), "{:?}", signed.location);
    assert_eq!(codes_in(&learner.get("/me").await.body).len(), 1, "now certified");
    let record = learner.get("/me/record").await;
    record
        .assert_contains("You hold a current certificate for this program")
        .assert_says(&format!("Code of ethics: signed on {}", today()));

    // Everything is in the learner's export, and in the audit log.
    let export = learner.get("/me/data.json").await;
    export.assert_ok();
    let data: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    assert_eq!(data["supervised_practice"].as_array().unwrap().len(), 3);
    assert_eq!(data["supervised_practice"][0]["status"], "confirmed");
    assert_eq!(data["signed_texts"][0]["text"], "code-of-ethics");
    assert_eq!(data["signed_texts"][0]["version"], 1);
    let actions: Vec<String> = audit_log(&server.database.url).into_iter().map(|e| e.1).collect();
    for action in [
        "practice.log",
        "practice.confirm",
        "practice.decline",
        "attestation.sign",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} in {actions:?}");
    }

    // A new version of the text asks again; the old version can't be signed.
    let (data_dir, database) = server.stop();
    std::fs::write(courses.path().join("programs.toml"), programs_toml(2)).unwrap();
    let server = TestServer::start_on(data_dir, database, courses.path(), &[]);
    let learner = server.browser();
    learner.log_in_ok("lee@example.org").await;
    learner
        .get("/me/record")
        .await
        .assert_contains("This text has changed since you last signed it")
        .assert_contains("Code of ethics (version 2)");
    let stale = learner
        .post_api(
            "/api/sign_attestation",
            "program=demo-program&key=code-of-ethics&version=1&agree=yes",
        )
        .await;
    assert!(
        stale.body.contains("has changed since the page was opened"),
        "{}",
        stale.body
    );

    // Another learner's record shows none of it.
    let someone = server.browser();
    someone.register("Mo Member", "mo@example.org").await;
    someone.enroll("demo-course").await;
    someone
        .get("/me/record")
        .await
        .assert_contains("0 minutes of 2 hours confirmed")
        .assert_lacks("Sam Supervisor");
}

const ROLEPLAY: &str = "title = \"Opening a group\"\nminutes = 30\nscript = \"\"\"\n### The situation\n\nA first session.\n\"\"\"\n\n\
                        [[item]]\nid = \"welcome\"\ntext = \"Welcomes everyone and says what the group is for.\"\n\n\
                        [[item]]\nid = \"limits\"\ntext = \"Explains the limits of privacy before anyone shares.\"\n";

fn courses_with_roleplay() -> tempfile::TempDir {
    let courses = demo_course_with_programs(
        "[[program]]\nslug = \"demo-program\"\ntitle = \"Demo Program\"\ncourses = [\"demo-course\"]\n\
         valid_for_months = 12\nroleplays = [\"opening\"]\n",
    );
    std::fs::create_dir(courses.path().join("roleplays")).unwrap();
    std::fs::write(courses.path().join("roleplays/opening.toml"), ROLEPLAY).unwrap();
    courses
}

#[tokio::test]
async fn an_observed_role_play_passes_only_with_every_item_met() {
    let courses = courses_with_roleplay();
    let server = TestServer::start_with(courses.path(), &[]);
    let learner = server.browser();
    learner.register("Lee Learner", "lee@example.org").await;
    complete_demo_program(&learner).await;
    learner
        .get("/me/record")
        .await
        .assert_contains("Role play “Opening a group”: waiting for a trainer to watch it")
        .assert_contains("A first session.");
    assert!(codes_in(&learner.get("/me").await.body).is_empty());

    let trainer = demo_program_trainer(&server, "tess@example.org", "Tess Trainer").await;
    trainer
        .get("/teach/queue")
        .await
        .assert_contains("Role plays to watch")
        .assert_contains("Demo Program</a>: Lee Learner");
    let page = trainer.get("/teach/programs/demo-program").await;
    page.assert_contains("Opening a group: not yet passed")
        .assert_contains("Explains the limits of privacy before anyone shares.");
    let learner_id = regex_lite::Regex::new(r#"name="learner_id" value="(\d+)""#)
        .unwrap()
        .captures(&page.body)
        .unwrap()[1]
        .to_owned();
    let score = |marks: &str| {
        format!(
            "program=demo-program&learner_id={learner_id}&roleplay=opening&observed_on={}&{marks}",
            today()
        )
    };
    let outsider = UserBuilder::trainer("ola@example.org").create(&server).await;
    let outsider = signed_in(&server, outsider).await;
    let all_met = score("marks[welcome]=met&marks[limits]=met");
    for (who, browser, status) in [
        ("the learner", &learner, StatusCode::FORBIDDEN),
        ("a trainer not on the program", &outsider, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(
            browser.post_api("/api/score_roleplay", &all_met).await.status,
            status,
            "{who}"
        );
    }
    let unmarked = trainer
        .post_api("/api/score_roleplay", &score("marks[welcome]=met"))
        .await;
    assert_eq!(unmarked.status, StatusCode::BAD_REQUEST);
    assert!(unmarked.body.contains("Please mark every item"), "{}", unmarked.body);

    // One item not yet: feedback, not a pass.
    let not_yet = trainer
        .post_form(
            "/teach/programs/demo-program",
            "/api/score_roleplay",
            &[
                ("program", "demo-program"),
                ("learner_id", &learner_id),
                ("roleplay", "opening"),
                ("observed_on", &today()),
                ("marks[welcome]", "met"),
                ("marks[limits]", "not_yet"),
                ("notes[limits]", "Say it before the first share, not after"),
            ],
        )
        .await;
    assert!(!not_yet.has_error_param(), "{:?}", not_yet.location);
    learner
        .get("/me/record")
        .await
        .assert_contains("Role play “Opening a group”: not yet. Tess Trainer watched it on")
        .assert_contains("Not yet: Explains the limits of privacy before anyone shares.")
        .assert_contains("Say it before the first share, not after");
    assert!(codes_in(&learner.get("/me").await.body).is_empty(), "one item not yet");

    trainer.post_api("/api/score_roleplay", &all_met).await.assert_ok();
    assert_eq!(
        codes_in(&learner.get("/me").await.body).len(),
        1,
        "every item met completes the program"
    );
    learner
        .get("/me/record")
        .await
        .assert_says("Role play “Opening a group”: passed, watched on");
    trainer
        .get("/teach/programs/demo-program")
        .await
        .assert_contains("Opening a group: passed");
    trainer
        .get("/teach/queue")
        .await
        .assert_contains("Nothing is waiting for you.");
    let export: serde_json::Value = serde_json::from_str(&learner.get("/me/data.json").await.body).unwrap();
    let observed = &export["observed_roleplays"];
    assert_eq!(observed.as_array().map(Vec::len), Some(2), "{export}");
    assert_eq!(
        (
            observed[0]["passed"].as_bool(),
            observed[0]["marks"][1]["note"].as_str()
        ),
        (Some(false), Some("Say it before the first share, not after"))
    );
    let scored: Vec<Option<String>> = audit_log(&server.database.url)
        .into_iter()
        .filter(|e| e.1 == "roleplay.score")
        .map(|e| e.3)
        .collect();
    assert_eq!(scored, [Some("not yet".to_owned()), Some("every item met".to_owned())]);
}

#[test]
fn a_role_play_file_with_a_problem_is_reported_at_its_line() {
    let courses = courses_with_roleplay();
    std::fs::write(
        courses.path().join("roleplays/opening.toml"),
        ROLEPLAY.replace("id = \"limits\"", "id = \"welcome\""),
    )
    .unwrap();
    let loaded = holdspace_server::authoring::course_files::load_dir(courses.path());
    let problems: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("roleplays/opening.toml:14") && p.contains("listed twice")),
        "{problems:#?}"
    );
    assert!(
        loaded.programs.is_empty(),
        "the program doesn't load with a broken role play"
    );
}
