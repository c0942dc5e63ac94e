//! Security review, hole 1: text that people type must never become markup,
//! a header or a spreadsheet formula, wherever it lands.
//!
//! Every text field that a trainer (course files and the editor), an
//! organization admin, a site admin or a learner controls is filled with
//! known attack strings; then every page, file and header the server makes
//! for them is read back the way a browser's parser reads it (html5ever's
//! tokenizer, switching to raw text inside `<script>`, `<style>`, `<title>`
//! and `<textarea>` as browsers do) and must hold none of them as markup.

use crate::support::*;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use reqwest::StatusCode;
use std::cell::RefCell;

/// Attack strings, each carrying a marker (`hsxN`) that must never end up
/// as a tag, an attribute, an inline script without the page's nonce, a URL
/// or a formula. From OWASP's XSS Filter Evasion Cheat Sheet, PortSwigger's
/// Cross-site scripting cheat sheet (event handlers, `srcdoc`, mutation
/// via `<noscript>` and `<math>`), OWASP's CSV Injection page, header
/// injection, and the review's own `</title>` breakout.
const PAYLOADS: &[&str] = &[
    "</title><script>hsx1()</script>",
    "<script>hsx2()</script>",
    "\"><img src=x onerror=hsx3()>",
    "'><svg onload=hsx4()>",
    "<img src=x onerror=\"hsx5()\">",
    "<a href=\"javascript:hsx6()\">hsx6</a>",
    "<iframe srcdoc=\"<script>hsx7()</script>\"></iframe>",
    "</textarea><script>hsx8()</script>",
    "</script><script>hsx9()</script>",
    "<details open ontoggle=hsx10()>",
    "<math><mtext></p><script>hsx11()</script>",
    "<noscript><p title=\"</noscript><img src=x onerror=hsx12()>\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=//evil.example/hsx13\">",
    "<base href=\"//evil.example/hsx14/\">",
    "<input autofocus onfocus=hsx15()>",
    "<style>*{background:url(//evil.example/hsx16)}</style>",
    "javascript:hsx17()",
    "=HYPERLINK(\"//evil.example/hsx18\",\"x\")",
    "+hsx19+cmd|' /C calc'!A0",
    "-hsx20+cmd|' /C calc'!A0",
    "@hsx21(1+1)",
    "{{constructor.constructor('hsx22()')()}}",
    "\r\nX-Injected: hsx23",
];

/// Short ones, for names (at most 80 characters, no control characters):
/// each learner's name is one, so that one starts every CSV cell kind.
const NAMES: &[&str] = &[
    "</title><script>hsx31()</script>",
    "\"><img src=x onerror=hsx32()>",
    "=HYPERLINK(\"//evil.example/hsx33\")",
    "+hsx34+cmd|' /C calc'!A0",
    "-hsx35+1",
    "@hsx36(1)",
];

fn all_payloads() -> String {
    PAYLOADS.join(" ")
}

/// As many payloads as fit in `limit` characters.
fn payloads_within(limit: usize) -> String {
    let mut text = String::new();
    for payload in PAYLOADS.iter().filter(|p| !p.contains('\r')) {
        if text.chars().count() + payload.chars().count() + 1 > limit {
            break;
        }
        text.push_str(payload);
        text.push(' ');
    }
    text.trim_end().to_owned()
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// A course and a program whose every text field is hostile, in the file
/// format (the same path an imported archive takes).
fn hostile_courses() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let all = toml_string(&all_payloads());
    std::fs::write(
        dir.path().join("programs.toml"),
        format!(
            "[[program]]\nslug = \"hostile-program\"\ntitle = {all}\ncourses = [\"hostile-course\"]\nvalid_for_months = 12\n\n\
             [[program.practical]]\nid = \"practice\"\ntitle = {all}\n"
        ),
    )
    .unwrap();
    let course = dir.path().join("hostile-course");
    std::fs::create_dir(&course).unwrap();
    std::fs::write(
        course.join("course.toml"),
        format!("slug = \"hostile-course\"\ntitle = {all}\nversion = \"1.0.0\"\nsummary = {all}\noutcomes = [{all}, {all}]\npass_mark = 80\n"),
    )
    .unwrap();
    let body: String = PAYLOADS.iter().map(|p| format!("{p}\n\n")).collect();
    std::fs::write(
        course.join("01-module.md"),
        format!("+++\ntitle = {all}\nminutes = 5\ncontent_note = {all}\n+++\n\n{body}"),
    )
    .unwrap();
    let right = toml_string(&format!("Right {}", all_payloads()));
    let wrong = toml_string(&format!("Wrong {}", all_payloads()));
    std::fs::write(
        course.join("01-module.quiz.toml"),
        format!(
            "[[question]]\nid = \"only\"\nkind = \"single\"\nscenario = {all}\nprompt = {all}\n\n\
             [[question.option]]\ntext = {right}\ncorrect = true\nwhy = {all}\n\n\
             [[question.option]]\ntext = {wrong}\ncorrect = false\nwhy = {all}\n"
        ),
    )
    .unwrap();
    dir
}

/// What a browser's parser would make into live markup from a page.
#[derive(Default)]
struct Findings {
    /// The page's Content-Security-Policy, which says which scripts run.
    policy: String,
    problems: RefCell<Vec<String>>,
    /// Inside a script, its text so far, unless it carried the policy's nonce.
    in_script: RefCell<Option<String>>,
}

impl Findings {
    fn flag(&self, what: String) {
        self.problems.borrow_mut().push(what);
    }

    fn check_tag(&self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        if tag.kind == TagKind::EndTag {
            if name == "script"
                && let Some(text) = self.in_script.borrow_mut().take()
            {
                use base64::Engine;
                use sha2::{Digest, Sha256};
                let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()));
                if !self.policy.contains(&format!("'sha256-{digest}'")) {
                    self.flag(format!("a <script> the page's policy does not name: {text:?}"));
                }
            }
            return TokenSinkResult::Continue;
        }
        let attribute = |wanted: &str| {
            tag.attrs
                .iter()
                .find(|a| &*a.name.local == wanted)
                .map(|a| a.value.to_string())
        };
        if name.contains("hsx") {
            self.flag(format!("a <{name}> element"));
        }
        for attr in &tag.attrs {
            let (key, value): (&str, &str) = (&attr.name.local, &attr.value);
            if key.contains("hsx") || key.starts_with("on") {
                self.flag(format!("<{name} {key}={value:?}>"));
            }
            if ["href", "src", "action", "formaction", "srcdoc", "poster", "data"].contains(&key)
                && (value.contains("hsx") || value.trim().to_lowercase().starts_with("javascript:"))
            {
                self.flag(format!("<{name} {key}={value:?}>"));
            }
        }
        match name {
            "script" => {
                let nonce = attribute("nonce").unwrap_or_default();
                let by_nonce = !nonce.is_empty() && self.policy.contains(&format!("'nonce-{nonce}'"));
                *self.in_script.borrow_mut() = (!by_nonce).then(String::new);
                TokenSinkResult::RawData(RawKind::ScriptData)
            }
            "iframe" | "frame" | "frameset" | "object" | "embed" | "base" | "style" => {
                self.flag(format!("a <{name}> element"));
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "meta" if attribute("http-equiv").is_some() => {
                self.flag("a <meta http-equiv>".into());
                TokenSinkResult::Continue
            }
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            "noscript" | "xmp" | "noembed" | "noframes" => TokenSinkResult::RawData(RawKind::Rawtext),
            _ => TokenSinkResult::Continue,
        }
    }
}

impl TokenSink for Findings {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => self.check_tag(&tag),
            Token::CharacterTokens(text) => {
                if let Some(script) = self.in_script.borrow_mut().as_mut() {
                    script.push_str(&text);
                }
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Everything live in `html` that someone's text made.
fn live_markup(html: &str, policy: &str) -> Vec<String> {
    let findings = Findings {
        policy: policy.to_owned(),
        ..Findings::default()
    };
    let tokenizer = Tokenizer::new(findings, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.problems.take()
}

/// Reads one response as what it is and returns what is wrong with it.
async fn inspect(browser: &Browser, path: &str) -> Vec<String> {
    let response = browser
        .client
        .get(format!("{}{path}", browser.base))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.unwrap();
    let mut problems = Vec::new();
    assert!(status != StatusCode::INTERNAL_SERVER_ERROR, "{path} answered 500");
    for (name, value) in &headers {
        if name.as_str().contains("hsx") || name.as_str().contains("injected") {
            problems.push(format!("header {name}"));
        }
        if value.as_bytes().iter().any(|b| *b == b'\r' || *b == b'\n') {
            problems.push(format!("header {name} holds a line break"));
        }
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if content_type.starts_with("text/html") {
        let html = String::from_utf8_lossy(&body);
        let policy = headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        problems.extend(live_markup(&html, policy));
    } else if content_type.starts_with("text/csv") {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&body[..]);
        for record in reader.records() {
            for cell in record.expect("a readable CSV row").iter() {
                if cell.contains("hsx") && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    problems.push(format!("CSV cell that a spreadsheet would run: {cell:?}"));
                }
            }
        }
    } else if content_type.starts_with("application/json") {
        if serde_json::from_slice::<serde_json::Value>(&body).is_err() {
            problems.push("JSON that does not parse".into());
        }
    } else if content_type.starts_with("application/pdf") {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &body).unwrap();
        let check = std::process::Command::new("qpdf")
            .arg("--check")
            .arg(file.path())
            .output()
            .expect("qpdf runs");
        if !check.status.success() {
            problems.push(format!(
                "a PDF qpdf rejects: {}",
                String::from_utf8_lossy(&check.stdout)
            ));
        }
    }
    problems.into_iter().map(|p| format!("{path}: {p}")).collect()
}

#[tokio::test]
async fn hostile_text_never_becomes_markup_a_header_or_a_formula() {
    let courses = hostile_courses();
    let server = TestServer::start_with(courses.path(), &[]);
    let all = all_payloads();

    // Staff: a site admin, an organization, its admin, a trainer who edits
    // the course and staffs the program.
    server.add_user("admin@example.org", "Ada Admin", "admin");
    let admin = server.browser();
    admin.log_in_ok("admin@example.org").await;
    submit(
        &admin,
        "/admin/organizations",
        "/api/create_organization",
        &[("name", &payloads_within(120)), ("slug", "hostile-org")],
    )
    .await;
    let org_admin = server.browser();
    org_admin.register(NAMES[1], "org@example.org").await;
    crate::smtp::confirm_address(&server, &org_admin, "org@example.org").await;
    submit(
        &admin,
        "/admin/organizations",
        "/api/add_organization_admin",
        &[("organization", "hostile-org"), ("email", "org@example.org")],
    )
    .await;
    org_admin.log_in_ok("org@example.org").await;
    server.add_user("trainer@example.org", "Tess Trainer", "trainer");
    submit(
        &admin,
        "/teach/hostile-course",
        "/api/add_course_editor",
        &[("course", "hostile-course"), ("email", "trainer@example.org")],
    )
    .await;
    submit(
        &admin,
        "/teach/programs/hostile-program",
        "/api/add_program_staff",
        &[("program", "hostile-program"), ("email", "trainer@example.org")],
    )
    .await;
    let trainer = server.browser();
    trainer.log_in_ok("trainer@example.org").await;
    let token_label = payloads_within(80);
    submit(
        &org_admin,
        "/org/tokens",
        "/api/create_api_token",
        &[("label", &token_label)],
    )
    .await;

    // Learners with hostile names pass the quiz, join the organization
    // (invited under hostile names) and have the practical signed off.
    let mut learners: Vec<(Browser, String, String)> = Vec::new();
    for (i, name) in NAMES.iter().enumerate() {
        let email = format!("learner{i}@example.org");
        let learner = server.browser();
        learner.register(name, &email).await;
        crate::smtp::confirm_address(&server, &learner, &email).await;
        learner.enroll("hostile-course").await;
        learner
            .get("/courses/hostile-course/module?note=continue")
            .await
            .assert_ok();
        let quiz = ShownQuiz::parse(&learner.get("/courses/hostile-course/module/quiz").await.body);
        let right = quiz.questions[0]
            .1
            .iter()
            .find(|o| o.text.starts_with("Right "))
            .expect("the right option is shown");
        graded(
            submit_quiz_fields(
                &learner,
                "hostile-course",
                "module",
                &quiz,
                vec![(right.field.clone(), right.value.clone())],
            )
            .await,
        );
        submit(
            &org_admin,
            "/org",
            "/api/invite_member",
            &[("name", NAMES[(i + 1) % NAMES.len()]), ("email", &email)],
        )
        .await;
        let link = crate::organizations::join_links(&org_admin.get("/org").await.body)
            .into_iter()
            .find(|link| !learners.iter().any(|(_, _, joined)| joined == link))
            .expect("a new invitation link");
        submit(
            &learner,
            &link,
            "/api/accept_invitation",
            &[("token", link.trim_start_matches("/join/"))],
        )
        .await;
        learners.push((learner, email, link));
    }
    let page = trainer.get("/teach/programs/hostile-program").await;
    let ids: Vec<String> = regex_lite::Regex::new(r#"name="learner_id" value="(\d+)""#)
        .unwrap()
        .captures_iter(&page.body)
        .map(|c| c[1].to_owned())
        .collect();
    assert_eq!(ids.len(), NAMES.len(), "every learner waits for the practical");
    let today = chrono::Utc::now().date_naive().to_string();
    for id in &ids {
        let note = payloads_within(1000);
        submit(
            &trainer,
            "/teach/programs/hostile-program",
            "/api/sign_off_practical",
            &[
                ("program", "hostile-program"),
                ("learner_id", id),
                ("practical", "practice"),
                ("completed_on", &today),
                ("note", &note),
            ],
        )
        .await;
    }
    let mut codes = Vec::new();
    for (learner, _, _) in &learners {
        codes.push(codes_in(&learner.get("/me").await.body).pop().expect("a certificate"));
    }
    let reason = payloads_within(500);
    submit(
        &trainer,
        &format!("/verify/{}", codes[0]),
        "/api/revoke_certificate",
        &[("code", &codes[0]), ("reason", &reason)],
    )
    .await;

    // The editor path: new details and a published version with a hostile summary.
    let outcomes = PAYLOADS
        .iter()
        .filter(|p| !p.contains('\r'))
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    submit(
        &trainer,
        "/teach/hostile-course",
        "/api/save_course_details",
        &[
            ("course", "hostile-course"),
            ("title", &all.replace("\r\n", " ")),
            ("summary", &all),
            ("outcomes", &outcomes),
            ("pass_mark", "80"),
        ],
    )
    .await;
    let summary = payloads_within(2000);
    submit(
        &trainer,
        "/teach/hostile-course",
        "/api/publish_course",
        &[
            ("course", "hostile-course"),
            ("version", "1.0.1"),
            ("change_summary", &summary),
        ],
    )
    .await;
    let form = reqwest::multipart::Form::new().text("codes", codes.join("\n"));
    let bulk = org_admin
        .client
        .post(server.url("/api/bulk_verify"))
        .header("accept", "text/html")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let results = bulk.headers()["location"].to_str().unwrap().to_owned();

    let (learner, _, join_link) = &learners[1];
    let attempt_path = regex_lite::Regex::new(r"/courses/hostile-course/module/quiz/attempts/\d+")
        .unwrap()
        .find(&learner.get("/courses/hostile-course/module/quiz").await.body)
        .map(|m| m.as_str().to_owned())
        .expect("a link to the attempt");
    let anonymous = server.browser();
    let typed = "%3C%2Ftitle%3E%3Cscript%3Ehsx90()%3C%2Fscript%3E";
    let visits: Vec<(&Browser, String)> = vec![
        (&anonymous, "/".into()),
        (&anonymous, "/courses/hostile-course".into()),
        (&anonymous, format!("/verify/{}", codes[0])),
        (&anonymous, format!("/verify/{}", codes[1])),
        (&anonymous, format!("/verify?code={typed}")),
        (&anonymous, format!("/courses/{typed}")),
        (&anonymous, format!("/api/v1/certificates/{}", codes[0])),
        (&anonymous, "/issuer".into()),
        (&anonymous, join_link.clone()),
        (learner, "/me".into()),
        (learner, "/me/privacy".into()),
        (learner, "/courses/hostile-course/module".into()),
        (learner, "/courses/hostile-course/module?note=continue".into()),
        (learner, "/courses/hostile-course/module/quiz".into()),
        (learner, attempt_path.clone()),
        (learner, "/me/data.json".into()),
        (learner, format!("/certificates/{}/certificate.pdf", codes[1])),
        (learner, format!("/certificates/{}/credential.jwt", codes[1])),
        (&trainer, "/teach".into()),
        (&trainer, "/teach/hostile-course".into()),
        (&trainer, "/teach/hostile-course/modules/module".into()),
        (&trainer, "/teach/hostile-course/history".into()),
        (&trainer, "/teach/hostile-course/learners".into()),
        (&trainer, "/teach/hostile-course/learners.csv".into()),
        (&trainer, "/teach/hostile-course/questions.csv".into()),
        (&trainer, "/teach/programs/hostile-program".into()),
        (&trainer, "/teach/programs/hostile-program/progress.csv".into()),
        (&trainer, "/outcomes".into()),
        (&org_admin, "/org".into()),
        (&org_admin, "/org/roster.csv".into()),
        (&org_admin, "/org/tokens".into()),
        (&org_admin, results.clone()),
        (&org_admin, format!("{}/results.csv", results.replace("?results=", "/"))),
        (&org_admin, "/outcomes".into()),
        (&admin, "/admin/organizations".into()),
    ];
    let mut problems = Vec::new();
    let mut shown = 0;
    for (browser, path) in &visits {
        let found = inspect(browser, path).await;
        problems.extend(found);
        let body = browser.get(path).await.body;
        if body.contains("hsx") {
            shown += 1;
        }
    }
    assert_eq!(problems, Vec::<String>::new());
    assert!(
        shown >= visits.len() - 8,
        "the hostile text reached only {shown} of {} pages and files",
        visits.len()
    );
}
