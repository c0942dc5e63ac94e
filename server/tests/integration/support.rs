//! Starts the real `holdspace serve` on a random port against a fresh
//! database, and talks to it as a browser without JavaScript would: form
//! posts with a cookie jar, `Accept: text/html` and a same-origin `Referer`.
//!
//! With `HOLDSPACE_TEST_POSTGRES_URL` set (to a server's maintenance
//! database, e.g. `postgres://postgres@127.0.0.1:5433/postgres`), each
//! server gets a new PostgreSQL database; otherwise a temp SQLite file.

#![allow(
    dead_code,
    reason = "the tests and the load benchmark (benches/load/) use different parts"
)]

use regex_lite::Regex;
use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, REFERER};
use reqwest::{Client, Response, StatusCode, redirect};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

pub const PASSWORD: &str = "a long enough password";

pub fn fixture_courses() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/courses")
}

/// A courses directory with the fixtures' demo course and this `programs.toml`.
pub fn demo_course_with_programs(programs_toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = fixture_courses().join("demo-course");
    std::fs::create_dir(dir.path().join("demo-course")).unwrap();
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join("demo-course").join(entry.file_name())).unwrap();
    }
    std::fs::write(dir.path().join("programs.toml"), programs_toml).unwrap();
    dir
}

pub fn shipped_courses() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../courses")
}

/// A running server, stopped when dropped.
pub struct TestServer {
    pub base: String,
    process: Child,
    pub data_dir: tempfile::TempDir,
    pub database: Database,
    /// How many days ahead the server's clock runs (see [`TestServer::days_later`]).
    pub clock_offset_days: u32,
    /// The URL credentials name: `--public-url` if given, else `base`.
    pub public_url: String,
    /// Whether credentials carry the plain name (`--credential-names`).
    pub credential_names: bool,
    /// The course files it loaded (a second instance loads the same).
    courses: PathBuf,
}

static NEXT_DATABASE: AtomicU32 = AtomicU32::new(0);

/// A test's database, shared by every server started on it (a restart, a
/// second instance). A PostgreSQL database is dropped when the last of them
/// is done with it: kept, 140 of them filled a CI machine's disk. A SQLite
/// file goes with its server's temp folder.
#[derive(Clone)]
pub struct Database {
    pub url: String,
    _dropped_when_unused: Option<Arc<PostgresDatabase>>,
}

struct PostgresDatabase {
    admin_url: String,
    name: String,
}

impl Database {
    /// A new PostgreSQL database, or a SQLite file in `data_dir`.
    fn fresh(data_dir: &Path) -> Database {
        match std::env::var("HOLDSPACE_TEST_POSTGRES_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                use diesel::{Connection, RunQueryDsl};
                let name = format!(
                    "holdspace_test_{}_{}",
                    std::process::id(),
                    NEXT_DATABASE.fetch_add(1, Ordering::SeqCst)
                );
                let mut admin =
                    diesel::PgConnection::establish(&admin_url).expect("the test PostgreSQL cluster is reachable");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create a test database");
                let (base, _) = admin_url.rsplit_once('/').expect("URL ends in /database");
                Database {
                    url: format!("{base}/{name}"),
                    _dropped_when_unused: Some(Arc::new(PostgresDatabase { admin_url, name })),
                }
            }
            _ => Database {
                url: data_dir.join("holdspace.db").display().to_string(),
                _dropped_when_unused: None,
            },
        }
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        use diesel::{Connection, RunQueryDsl};
        // Best effort: the cluster itself is thrown away after the run.
        if let Ok(mut admin) = diesel::PgConnection::establish(&self.admin_url) {
            let _ =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut admin);
        }
    }
}

impl TestServer {
    pub fn start() -> Self {
        Self::start_with(&fixture_courses(), &[])
    }

    pub fn start_with(courses: &Path, extra_args: &[&str]) -> Self {
        let data_dir = tempfile::tempdir().expect("a temp dir");
        let database = Database::fresh(data_dir.path());
        Self::start_on(data_dir, database, courses, extra_args)
    }

    /// Starts a server on an existing data directory and database (a restart).
    pub fn start_on(data_dir: tempfile::TempDir, database: Database, courses: &Path, extra_args: &[&str]) -> Self {
        let log = std::fs::File::create(data_dir.path().join("server.log")).expect("a log file");
        // Test browsers stand for different people on different machines:
        // each sends its own address in X-Forwarded-For, which the server
        // believes from loopback unless a test names another proxy.
        let proxy: &[&str] = if extra_args.contains(&"--trusted-proxy") {
            &[]
        } else {
            &["--trusted-proxy", "127.0.0.1"]
        };
        // Any free port, unless a restart must keep the URLs it published.
        let addr: &[&str] = if extra_args.contains(&"--addr") {
            &[]
        } else {
            &["--addr", "127.0.0.1:0"]
        };
        // Its own data folder, unless it shares another instance's.
        let own_data: Vec<&std::ffi::OsStr> = if extra_args.contains(&"--data-dir") {
            Vec::new()
        } else {
            vec!["--data-dir".as_ref(), data_dir.path().as_os_str()]
        };
        let mut process = Command::new(env!("CARGO_BIN_EXE_holdspace"))
            .arg("serve")
            .args(proxy)
            .args(addr)
            .args(own_data)
            .args(["--database-url", &database.url])
            .arg("--courses")
            .arg(courses)
            .args(extra_args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("holdspace starts");
        let stdout = process.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(url) = line.strip_prefix("Holdspace is listening on ") {
                        break url.trim().to_owned();
                    }
                }
                _ => {
                    let log = std::fs::read_to_string(data_dir.path().join("server.log")).unwrap_or_default();
                    panic!("holdspace exited before listening:\n{log}");
                }
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let value_of = |flag: &str| {
            let at = extra_args.iter().position(|a| *a == flag)?;
            extra_args.get(at + 1).copied()
        };
        let clock_offset_days = value_of("--clock-offset-days")
            .and_then(|days| days.parse().ok())
            .unwrap_or(0);
        TestServer {
            public_url: value_of("--public-url").map_or_else(|| base.clone(), str::to_owned),
            credential_names: extra_args.contains(&"--credential-names"),
            courses: courses.to_owned(),
            base,
            process,
            data_dir,
            database,
            clock_offset_days,
        }
    }

    /// A second instance on this one's database and data folder (its keys),
    /// as a second machine behind the same proxy would run.
    pub fn beside(&self) -> TestServer {
        let data_dir = self.data_dir.path().to_str().expect("a UTF-8 temp path").to_owned();
        Self::start_on(
            tempfile::tempdir().expect("a temp dir for its log"),
            self.database.clone(),
            &self.courses,
            &["--data-dir", &data_dir],
        )
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A new browser with an empty cookie jar.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    pub fn pid(&self) -> u32 {
        self.process.id()
    }

    pub fn server_log(&self) -> String {
        std::fs::read_to_string(self.data_dir.path().join("server.log")).unwrap_or_default()
    }

    /// Creates an account with `holdspace user add`, as an operator would.
    pub fn add_user(&self, email: &str, name: &str, role: &str) {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_holdspace"))
            .args(["user", "add", "--email", email, "--name", name, "--role", role])
            .args(["--database-url", &self.database.url])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("holdspace user add starts");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{PASSWORD}\n").as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "user add failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Restarts the server on the same data with its clock moved `days`
    /// ahead, as that later day would find it (the fixture courses, as `start`).
    pub fn days_later(self, days: u32) -> TestServer {
        self.days_later_with(days, &fixture_courses())
    }

    /// As [`TestServer::days_later`], with these course files.
    pub fn days_later_with(self, days: u32, courses: &Path) -> TestServer {
        let (data_dir, database) = self.stop();
        Self::start_on(data_dir, database, courses, &["--clock-offset-days", &days.to_string()])
    }

    /// Stops the server, keeping its data for a restart.
    pub fn stop(mut self) -> (tempfile::TempDir, Database) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        let data_dir = std::mem::replace(&mut self.data_dir, tempfile::tempdir().unwrap());
        (data_dir, self.database.clone())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// A browser without JavaScript: follows no redirects on its own, so tests
/// can see them, and keeps cookies.
pub struct Browser {
    pub base: String,
    pub client: Client,
    jar: Arc<reqwest::cookie::Jar>,
}

/// A response read in full.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    async fn read(response: Response) -> Page {
        let status = response.status();
        let headers = response.headers().clone();
        let location = headers.get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = response.text().await.expect("a body");
        Page {
            status,
            location,
            headers,
            body,
        }
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(self.status, StatusCode::OK, "body: {}", self.body);
        self
    }

    #[track_caller]
    pub fn assert_contains(&self, text: &str) -> &Self {
        assert!(self.body.contains(text), "expected {text:?} in:\n{}", self.body);
        self
    }

    /// What a reader sees: the body without its tags, so a sentence reads
    /// whole across the elements inside it (a date is a `<time>`).
    pub fn text(&self) -> String {
        Regex::new(r"<[^>]*>").unwrap().replace_all(&self.body, "").into_owned()
    }

    #[track_caller]
    pub fn assert_says(&self, text: &str) -> &Self {
        let shown = self.text();
        assert!(shown.contains(text), "expected {text:?} in the text:\n{shown}");
        self
    }

    #[track_caller]
    pub fn assert_lacks(&self, text: &str) -> &Self {
        assert!(!self.body.contains(text), "did not expect {text:?} in:\n{}", self.body);
        self
    }

    /// The redirect target's path (302 expected).
    #[track_caller]
    pub fn redirect_path(&self) -> String {
        assert_eq!(
            self.status,
            StatusCode::FOUND,
            "expected a redirect, body: {}",
            self.body
        );
        let location = self.location.clone().expect("a Location header");
        match location.find("://") {
            Some(i) => location[i + 3..]
                .find('/')
                .map(|j| location[i + 3 + j..].to_owned())
                .unwrap_or_else(|| "/".into()),
            None => location,
        }
    }

    /// The error message a no-JavaScript form post carries back in its redirect.
    pub fn has_error_param(&self) -> bool {
        self.location.as_deref().is_some_and(|l| l.contains("__err="))
    }
}

impl Browser {
    /// A browser on a machine of its own (a fresh client address).
    pub fn new(base: &str) -> Self {
        static NEXT_ADDRESS: AtomicU32 = AtomicU32::new(1);
        let n = NEXT_ADDRESS.fetch_add(1, Ordering::SeqCst);
        Self::at_address(
            base,
            &format!("10.{}.{}.{}", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff),
        )
    }

    /// A browser whose requests come from `address` (through the trusted proxy).
    pub fn at_address(base: &str, address: &str) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_str(address).expect("an address"));
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = Client::builder()
            .default_headers(headers)
            .cookie_provider(jar.clone())
            .redirect(redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .expect("a client");
        Browser {
            base: base.to_owned(),
            client,
            jar,
        }
    }

    /// The same browser (its cookies, its address) speaking to `base`.
    pub fn at(&self, base: &str) -> Browser {
        Browser {
            base: base.to_owned(),
            client: self.client.clone(),
            jar: self.jar.clone(),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header(ACCEPT, "text/html")
            .send()
            .await
            .expect("GET succeeds");
        Page::read(response).await
    }

    /// Posts a form as a browser does after showing `from`.
    pub async fn post_form(&self, from: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("text/html,application/xhtml+xml"));
        headers.insert(REFERER, HeaderValue::from_str(&format!("{}{from}", self.base)).unwrap());
        headers.insert("origin", HeaderValue::from_str(&self.base).unwrap());
        let response = self
            .client
            .post(format!("{}{action}", self.base))
            .headers(headers)
            .form(fields)
            .send()
            .await
            .expect("POST succeeds");
        Page::read(response).await
    }

    /// Posts to a server function as a script would (no `Accept: text/html`),
    /// to see its status and error body directly.
    pub async fn post_api(&self, action: &str, body: &str) -> Page {
        let response = self
            .client
            .post(format!("{}{action}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
            .await
            .expect("POST succeeds");
        Page::read(response).await
    }

    /// Registers a learner and follows the redirect to the dashboard.
    pub async fn register(&self, name: &str, email: &str) -> Page {
        let page = self
            .post_form(
                "/register",
                "/api/register",
                &[("display_name", name), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(page.redirect_path(), "/me", "registration should land on the dashboard");
        page
    }

    pub async fn log_in(&self, email: &str, password: &str) -> Page {
        self.post_form("/login", "/api/log_in", &[("email", email), ("password", password)])
            .await
    }

    /// Logs in and asserts it worked.
    /// Carries a session token as its cookie, as a browser does after signing in.
    pub fn use_session(&self, token: &str) {
        let url: reqwest::Url = self.base.parse().expect("the server's address");
        self.jar
            .add_cookie_str(&format!("holdspace_session={token}; Path=/"), &url);
    }

    pub async fn log_in_ok(&self, email: &str) {
        let page = self.log_in(email, PASSWORD).await;
        assert_eq!(page.status, StatusCode::FOUND, "log in as {email}: {}", page.body);
        assert!(!page.has_error_param(), "log in as {email} failed: {:?}", page.location);
    }

    pub async fn enroll(&self, course: &str) -> String {
        let page = self
            .post_form(&format!("/courses/{course}"), "/api/enroll", &[("course_slug", course)])
            .await;
        page.redirect_path()
    }
}

/// One option of a quiz question as the page shows it.
#[derive(Clone, Debug)]
pub struct ShownOption {
    pub field: String,
    pub value: String,
    pub text: String,
}

/// A quiz page, read the way a person sees it.
pub struct ShownQuiz {
    pub sitting_id: String,
    /// Question id → options in the order shown.
    pub questions: Vec<(String, Vec<ShownOption>)>,
}

impl ShownQuiz {
    /// Reads the quiz form as a person does: each option is a labelled
    /// radio button or checkbox, named after its question, with the
    /// label's text; the sitting is the form's hidden field.
    pub fn parse(html: &str) -> ShownQuiz {
        let fields = labelled_inputs(html);
        let sitting_id = fields
            .iter()
            .find(|f| f.name == "sitting_id")
            .map(|f| f.value.clone())
            .expect("a sitting id in the quiz form");
        let mut questions: Vec<(String, Vec<ShownOption>)> = Vec::new();
        for field in fields
            .into_iter()
            .filter(|f| matches!(f.kind.as_str(), "radio" | "checkbox"))
        {
            let id = field
                .name
                .trim_start_matches("answers[")
                .trim_end_matches(']')
                .split('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            let shown = ShownOption {
                field: field.name,
                value: field.value,
                text: field.label,
            };
            match questions.last_mut() {
                Some((last, options)) if *last == id => options.push(shown),
                _ => questions.push((id, vec![shown])),
            }
        }
        ShownQuiz { sitting_id, questions }
    }

    /// Form fields choosing the first option shown for every question.
    pub fn first_options(&self) -> Vec<(String, String)> {
        self.questions
            .iter()
            .map(|(_, options)| (options[0].field.clone(), options[0].value.clone()))
            .collect()
    }

    /// Form fields choosing, for each question id, the option with this text.
    /// Questions of the key that this sitting did not draw are skipped.
    pub fn choose_in(&self, answers: &[(String, String)]) -> Vec<(String, String)> {
        answers
            .iter()
            .filter(|(question, _)| self.questions.iter().any(|(id, _)| id == question))
            .map(|(question, text)| {
                let (_, options) = self
                    .questions
                    .iter()
                    .find(|(id, _)| id == question)
                    .unwrap_or_else(|| panic!("no question {question} shown"));
                let option = options
                    .iter()
                    .find(|o| o.text == *text)
                    .unwrap_or_else(|| panic!("{question}: no option {text:?} shown"));
                (option.field.clone(), option.value.clone())
            })
            .collect()
    }

    /// Form fields choosing the options with these texts.
    pub fn choose(&self, texts: &[&str]) -> Vec<(String, String)> {
        let mut fields = Vec::new();
        for text in texts {
            let option = self
                .questions
                .iter()
                .flat_map(|(_, options)| options)
                .find(|o| o.text == *text)
                .unwrap_or_else(|| panic!("no option {text:?} on the quiz page"));
            fields.push((option.field.clone(), option.value.clone()));
        }
        fields
    }
}

/// An input of a form, with the text of the label around it.
pub struct LabelledInput {
    pub kind: String,
    pub name: String,
    pub value: String,
    pub label: String,
}

/// Every input of a page with the text of its `<label>` (empty if none),
/// read with html5ever's tokenizer as a browser reads the page.
pub fn labelled_inputs(html: &str) -> Vec<LabelledInput> {
    use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
    use std::cell::RefCell;

    #[derive(Default)]
    struct Sink {
        found: RefCell<Vec<LabelledInput>>,
        /// Inputs inside the open label, and its text so far.
        open_label: RefCell<Option<(Vec<usize>, String)>>,
    }
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            match token {
                Token::TagToken(tag) if &*tag.name == "label" => {
                    if tag.kind == TagKind::StartTag {
                        *self.open_label.borrow_mut() = Some((Vec::new(), String::new()));
                    } else if let Some((inputs, text)) = self.open_label.borrow_mut().take() {
                        for index in inputs {
                            self.found.borrow_mut()[index].label = text.trim().to_owned();
                        }
                    }
                }
                Token::TagToken(tag) if &*tag.name == "input" && tag.kind == TagKind::StartTag => {
                    let attribute = |name: &str| {
                        tag.attrs
                            .iter()
                            .find(|a| &*a.name.local == name)
                            .map(|a| a.value.to_string())
                            .unwrap_or_default()
                    };
                    let mut found = self.found.borrow_mut();
                    found.push(LabelledInput {
                        kind: attribute("type"),
                        name: attribute("name"),
                        value: attribute("value"),
                        label: String::new(),
                    });
                    if let Some((inputs, _)) = self.open_label.borrow_mut().as_mut() {
                        inputs.push(found.len() - 1);
                    }
                }
                Token::CharacterTokens(text) => {
                    if let Some((_, label)) = self.open_label.borrow_mut().as_mut() {
                        label.push_str(&text);
                    }
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.found.take()
}

/// Text as a page shows it in HTML.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Text as it was before HTML escaping.
pub fn unescape_html(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Posts a quiz with the chosen option texts; returns the response.
pub async fn submit_quiz(browser: &Browser, course: &str, module: &str, quiz: &ShownQuiz, texts: &[&str]) -> Page {
    submit_quiz_fields(browser, course, module, quiz, quiz.choose(texts)).await
}

/// Posts a quiz with these answer fields.
pub async fn submit_quiz_fields(
    browser: &Browser,
    course: &str,
    module: &str,
    quiz: &ShownQuiz,
    answers: Vec<(String, String)>,
) -> Page {
    let mut fields: Vec<(String, String)> = vec![
        ("course_slug".into(), course.into()),
        ("module_slug".into(), module.into()),
        ("sitting_id".into(), quiz.sitting_id.clone()),
    ];
    fields.extend(answers);
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    browser
        .post_form(
            &format!("/courses/{course}/{module}/quiz"),
            "/api/submit_quiz",
            &borrowed,
        )
        .await
}

/// The right answers of the fixture's demo course, by module.
pub const LISTENING_RIGHT: [&str; 5] = [
    "Wait quietly and let them choose",
    "Eye contact if welcome",
    "Reflecting back",
    "Open questions",
    "False",
];
pub const CLOSING_RIGHT: [&str; 1] = ["A short check-out round"];

/// Asserts a quiz submission was graded (not sent back with an error) and
/// returns the attempt's path.
#[track_caller]
pub fn graded(page: Page) -> String {
    let path = page.redirect_path();
    assert!(path.contains("/quiz/attempts/"), "not graded: {:?}", page.location);
    path
}

/// Posts a form as a browser without JavaScript and expects it to succeed;
/// returns where it redirects to.
pub async fn submit(browser: &Browser, page: &str, action: &str, fields: &[(&str, &str)]) -> String {
    let response = browser.post_form(page, action, fields).await;
    assert_eq!(response.status, StatusCode::FOUND, "{action}: {}", response.body);
    assert!(
        !response.has_error_param(),
        "{action} was refused: {}",
        unescape_html(&response.location.clone().unwrap_or_default())
    );
    response.redirect_path()
}

/// Enrolls in the demo course and passes both its quizzes, which completes
/// the fixture's demo program.
pub async fn complete_demo_program(browser: &Browser) {
    browser.enroll("demo-course").await;
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/listening/quiz").await.body);
    graded(submit_quiz(browser, "demo-course", "listening", &quiz, &LISTENING_RIGHT).await);
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/closing/quiz").await.body);
    graded(submit_quiz(browser, "demo-course", "closing", &quiz, &CLOSING_RIGHT).await);
}

/// The certificate codes a page shows, in order, without repeats.
pub fn codes_in(body: &str) -> Vec<String> {
    let pattern = Regex::new(r"HS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}").unwrap();
    let mut codes: Vec<String> = Vec::new();
    for found in pattern.find_iter(body) {
        if !codes.iter().any(|c| c == found.as_str()) {
            codes.push(found.as_str().to_owned());
        }
    }
    codes
}

/// A trainer, signed in, whom an admin assigned to the fixtures' demo program.
pub async fn demo_program_trainer(server: &TestServer, email: &str, name: &str) -> Browser {
    use crate::builders::{UserBuilder, assign_to_program, signed_in};
    let trainer = UserBuilder::trainer(email).name(name).create(server).await;
    assign_to_program(server, trainer, "demo-program").await;
    signed_in(server, trainer).await
}

/// An admin assigns the account `email` to the demo program.
pub async fn assign_to_demo_program(server: &TestServer, email: &str) {
    static ADMINS: AtomicU32 = AtomicU32::new(0);
    let admin_email = format!("assigning-admin-{}@example.org", ADMINS.fetch_add(1, Ordering::SeqCst));
    server.add_user(&admin_email, "Ada Admin", "admin");
    let admin = server.browser();
    admin.log_in_ok(&admin_email).await;
    submit(
        &admin,
        "/teach/programs/demo-program",
        "/api/add_program_staff",
        &[("program", "demo-program"), ("email", email)],
    )
    .await;
}

/// A new learner who completed the demo program, signed in, and their certificate's code.
pub async fn certified(server: &TestServer, name: &str, email: &str) -> (Browser, String) {
    crate::builders::certified_learner(server, name, email).await
}

pub type AuditEntry = (String, String, String, Option<String>, chrono::NaiveDateTime);

/// The audit log, oldest first: actor name, action, subject, reason, time.
pub fn audit_log(database_url: &str) -> Vec<AuditEntry> {
    use diesel::prelude::*;
    use holdspace_server::db::schema::audit_log;
    let pool = holdspace_server::db::Pool::open(database_url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    audit_log::table
        .order(audit_log::id)
        .select((
            audit_log::actor_name,
            audit_log::action,
            audit_log::subject,
            audit_log::reason,
            audit_log::at,
        ))
        .load(&mut *conn)
        .unwrap()
}

/// Every `table.column` of text, anywhere in the schema, that holds
/// `needle`: read from `schema.rs`, so a table added later is searched too.
pub fn columns_holding(database_url: &str, needle: &str) -> Vec<String> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let schema = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/db/schema.rs")).unwrap();
    let table = Regex::new(r"(?s)table!\s*\{\s*(\w+)\s*\([^)]*\)\s*\{([^}]*)\}").unwrap();
    let column = Regex::new(r"(\w+)\s*->\s*(?:Nullable<)?Text\b").unwrap();
    let pool = holdspace_server::db::Pool::open(database_url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let mut found = Vec::new();
    for t in table.captures_iter(&schema) {
        for c in column.captures_iter(&t[2]) {
            let sql = format!(
                "SELECT COUNT(*) AS n FROM {} WHERE {} LIKE '%{}%'",
                &t[1],
                &c[1],
                needle.replace('\'', "''")
            );
            let counts: Vec<Count> = diesel::sql_query(sql).load(&mut *conn).unwrap();
            if counts.first().is_some_and(|count| count.n > 0) {
                found.push(format!("{}.{}", &t[1], &c[1]));
            }
        }
    }
    found
}
