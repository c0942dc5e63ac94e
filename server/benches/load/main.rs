//! The load benchmark: the release server on this machine's database of
//! choice, each page of the performance table measured with `wrk` (one
//! thread, 32 keep-alive connections, compression asked for as a browser does)
//! and, in the same run, nginx serving the very bytes Holdspace sent, so
//! the ratio between the two is read from one run on whatever machine it
//! runs on. Prints a Markdown table: req/s, p50, p99 and the server's peak
//! memory per row; then two instances behind nginx against one, memory
//! with 1,000 idle keep-alive connections, and what a browser downloads.
//!
//! `bash .ci/bench` builds the site and runs this on SQLite and on
//! PostgreSQL. Alone: `cargo bench -p holdspace-server --bench load`
//! (with `HOLDSPACE_TEST_POSTGRES_URL` set, as `.ci/with-postgres` does,
//! on PostgreSQL). Knobs: `BENCH_SECONDS` (8 per run), `BENCH_LEARNERS`
//! (200), `BENCH_SITE_ROOT` (the site build, `target/site`), `BENCH_ONLY`
//! (only the rows whose name contains it, e.g. `quiz`, and nothing after
//! the table: for trying one change quickly).

#[path = "../../tests/integration/builders.rs"]
#[allow(dead_code, reason = "the benchmark needs only a few builders")]
mod builders;
mod memory;
#[path = "../../tests/integration/nginx.rs"]
mod nginx;
mod quiz;
#[path = "../../tests/integration/support.rs"]
mod support;
mod wrk;

use builders::{UserBuilder, complete_course, write};
use holdspace_server::accounts::sessions;
use holdspace_server::learning;
use nginx::{Nginx, Served};
use std::path::{Path, PathBuf};
use support::{TestServer, shipped_courses};
use wrk::{Measured, Request};

const CONNECTIONS: usize = 32;
const CERTIFIED: usize = 20;

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A learner as the load sees them: the cookie their browser sends.
struct Learner {
    cookie: String,
    token: String,
}

/// One line of the table.
struct Row {
    what: String,
    holdspace: Measured,
    peak_mib: f64,
    nginx: Option<Measured>,
}

fn main() {
    let seconds = knob("BENCH_SECONDS", 8) as u64;
    let learners = knob("BENCH_LEARNERS", 200);
    let site_root = std::env::var_os("BENCH_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site"));
    assert!(
        site_root.join("pkg/hash.txt").is_file(),
        "no site build in {}: run bash .ci/bench, which builds it first",
        site_root.display()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(seconds, learners, &site_root));
}

async fn run(seconds: u64, learners: usize, site_root: &Path) {
    let backend = if std::env::var("HOLDSPACE_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty()) {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let site_root = site_root.to_str().expect("a UTF-8 path");
    let server = TestServer::start_with(&shipped_courses(), &["--site-root", site_root]);
    let pid = server.pid();

    // Set-up, not measured: learners enrolled in every course, each with a
    // session, and a few who hold certificates.
    let started = std::time::Instant::now();
    let courses: Vec<String> = module_paths()
        .iter()
        .map(|(c, _)| c.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut enrolled = Vec::new();
    for i in 0..learners {
        let id = UserBuilder::learner(&format!("learner{i}@example.org"))
            .name(&format!("Learner {i}"))
            .create(&server)
            .await;
        let courses = courses.clone();
        let token = write(&server, move |conn, now| {
            for course in &courses {
                learning::enroll(conn, id, course, now)?;
            }
            sessions::start(conn, id, None, now)
        })
        .await;
        enrolled.push(learner(token));
    }
    // Certificates come from the test fixtures' demo program (the shipped
    // programs also ask for practice hours and live sessions), on a server
    // of their own.
    let issuer = TestServer::start_with(&support::fixture_courses(), &[]);
    let mut certified = Vec::new();
    for i in 0..CERTIFIED {
        let id = UserBuilder::learner(&format!("certified{i}@example.org"))
            .name(&format!("Certified Learner {i}"))
            .create(&issuer)
            .await;
        let code = complete_course(&issuer, id, "demo-course")
            .await
            .expect("the demo program certifies a learner who completes its course");
        let token = write(&issuer, move |conn, now| sessions::start(conn, id, None, now)).await;
        certified.push((learner(token), code));
    }
    println!(
        "Holdspace load benchmark on {backend}: release build, {} cores, wrk -t1 -c{CONNECTIONS} -d{seconds}s, Accept-Encoding: gzip, deflate, br; \
         {learners} learners enrolled in {} courses, {CERTIFIED} certified (set up in {:.0} s)\n",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        courses.len(),
        started.elapsed().as_secs_f64()
    );

    // A module with a content note first shows the note alone; the page
    // measured is the one with the module's text, as after "Continue".
    let modules: Vec<Request> = module_paths()
        .iter()
        .enumerate()
        .map(|(i, (course, module))| Request {
            path: format!("/courses/{course}/{module}?note=continue"),
            cookie: Some(enrolled[i % enrolled.len()].cookie.clone()),
        })
        .collect();
    let module_requests: Vec<Request> = (0..enrolled.len() * 4)
        .map(|i| {
            let module = &modules[i % modules.len()];
            Request {
                path: module.path.clone(),
                cookie: Some(enrolled[i % enrolled.len()].cookie.clone()),
            }
        })
        .collect();
    let catalog = server.browser().get("/").await;
    let stylesheet = regex_lite::Regex::new(r#"/pkg/holdspace\.[0-9a-f]+\.css"#)
        .unwrap()
        .find(&catalog.body)
        .expect("the catalog links its stylesheet")
        .as_str()
        .to_owned();
    let verify: Vec<Request> = certified
        .iter()
        .map(|(_, code)| Request::anonymous(format!("/verify/{code}")))
        .collect();
    let lookup: Vec<Request> = certified
        .iter()
        .map(|(_, code)| Request::anonymous(format!("/api/v1/certificates/{code}")))
        .collect();
    let pdfs: Vec<Request> = certified
        .iter()
        .map(|(learner, code)| Request {
            path: format!("/certificates/{code}/certificate.pdf"),
            cookie: Some(learner.cookie.clone()),
        })
        .collect();

    let mut rows = Vec::new();
    let pages: [(&TestServer, &str, &[Request]); 6] = [
        (&server, "module page with its text, signed in", &module_requests),
        (&server, "catalog, anonymous", &[Request::anonymous("/")]),
        (&server, "stylesheet", &[Request::anonymous(stylesheet.clone())]),
        (&issuer, "verify page", &verify),
        (&issuer, "`GET /api/v1/certificates/{code}`", &lookup),
        (&issuer, "certificate PDF", &pdfs),
    ];
    let only = std::env::var("BENCH_ONLY").ok().filter(|o| !o.is_empty());
    let wanted = |what: &str| only.as_deref().is_none_or(|o| what.contains(o));
    for (target, what, requests) in pages.into_iter().filter(|(_, what, _)| wanted(what)) {
        let sample = fetch(&target.base, &requests[0]).await;
        memory::reset_peak(target.pid());
        let holdspace = wrk::run(&target.base, requests, CONNECTIONS, seconds);
        let peak_mib = memory::peak_mib(target.pid());
        let nginx = Nginx::serving(&[Served {
            path: requests[0].path.split('?').next().unwrap(),
            content_type: &sample.content_type,
            content_encoding: sample.content_encoding.as_deref(),
            body: &sample.body,
        }]);
        let baseline = wrk::run(&nginx.base, &requests[..1], CONNECTIONS, seconds);
        let size = match &sample.content_encoding {
            Some(encoding) => format!("{} B {encoding}", sample.body.len()),
            None => format!("{} B", sample.body.len()),
        };
        rows.push(Row {
            what: format!("{what} ({size})"),
            holdspace,
            peak_mib,
            nginx: Some(baseline),
        });
    }
    drop(issuer);
    let quiz = "graded quiz submission (POST, no nginx equivalent)";
    if wanted(quiz) {
        memory::reset_peak(pid);
        let graded = quiz::submissions(
            &server,
            &enrolled.iter().map(|l| l.token.clone()).collect::<Vec<_>>(),
            seconds,
        )
        .await;
        rows.push(Row {
            what: quiz.into(),
            holdspace: graded,
            peak_mib: memory::peak_mib(pid),
            nginx: None,
        });
    }
    print_table(&rows);
    if only.is_some() {
        return;
    }

    // Two instances on one database behind nginx, against one behind the same proxy.
    let second = server.beside();
    let one = Nginx::proxy(&[&server.base]);
    let alone = wrk::run(&one.base, &module_requests, CONNECTIONS, seconds);
    drop(one);
    let both = Nginx::proxy(&[&server.base, &second.base]);
    let together = wrk::run(&both.base, &module_requests, CONNECTIONS, seconds);
    drop((both, second));
    println!(
        "\nModule pages through nginx: one instance {:.0} req/s (p99 {:.2} ms), two instances {:.0} req/s (p99 {:.2} ms), ratio {:.2}",
        alone.per_second,
        alone.p99_ms,
        together.per_second,
        together.p99_ms,
        together.per_second / alone.per_second
    );

    memory::reset_peak(pid);
    let idle = idle_connections(&server.base, 1000);
    std::thread::sleep(std::time::Duration::from_secs(1));
    println!(
        "{} idle keep-alive connections (each served the catalog once): server resident {:.1} MiB, peak {:.1} MiB",
        idle.len(),
        memory::resident_mib(pid),
        memory::peak_mib(pid)
    );
    drop(idle);
    print_bundle(Path::new(site_root));
}

fn learner(token: String) -> Learner {
    Learner {
        cookie: format!("{}={token}", holdspace_app::api::session_cookie::name(false)),
        token,
    }
}

/// Module pages of the shipped courses, as (course, module) slugs.
fn module_paths() -> Vec<(String, String)> {
    let loaded = holdspace_server::authoring::course_files::load_dir(&shipped_courses());
    loaded
        .courses
        .iter()
        .flat_map(|c| c.modules.iter().map(|m| (c.slug.clone(), m.slug.clone())))
        .collect()
}

/// A response as sent, still compressed: what nginx is given to serve.
struct Sample {
    content_type: String,
    content_encoding: Option<String>,
    body: Vec<u8>,
}

async fn fetch(base: &str, request: &Request) -> Sample {
    let client = reqwest::Client::builder().no_brotli().no_gzip().build().unwrap();
    let mut get = client
        .get(format!("{base}{}", request.path))
        .header("accept-encoding", "gzip, deflate, br");
    if let Some(cookie) = &request.cookie {
        get = get.header("cookie", cookie);
    }
    let response = get.send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK, "{}", request.path);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Sample {
        content_type: header("content-type").unwrap_or_default(),
        content_encoding: header("content-encoding"),
        body: response.bytes().await.unwrap().to_vec(),
    }
}

fn print_table(rows: &[Row]) {
    println!(
        "| what | Holdspace req/s | p50 | p99 | peak RSS | nginx, same bytes: req/s | p50 | p99 | Holdspace ÷ nginx |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in rows {
        let baseline = match &row.nginx {
            Some(n) => format!(
                "{:.0} | {:.2} ms | {:.2} ms | {:.2}",
                n.per_second,
                n.p50_ms,
                n.p99_ms,
                row.holdspace.per_second / n.per_second
            ),
            None => "— | — | — | —".into(),
        };
        println!(
            "| {} | {:.0} | {:.2} ms | {:.2} ms | {:.0} MiB | {baseline} |",
            row.what, row.holdspace.per_second, row.holdspace.p50_ms, row.holdspace.p99_ms, row.peak_mib
        );
    }
}

/// Opens `count` keep-alive connections, each served one catalog page and
/// then left idle, as phones that went quiet leave theirs.
fn idle_connections(base: &str, count: usize) -> Vec<std::net::TcpStream> {
    use std::io::{Read, Write};
    let address = base.trim_start_matches("http://");
    let mut open = Vec::new();
    for _ in 0..count {
        let Ok(mut stream) = std::net::TcpStream::connect(address) else {
            break;
        };
        let request = format!("GET / HTTP/1.1\r\nHost: {address}\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n");
        if stream.write_all(request.as_bytes()).is_err() {
            break;
        }
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        let mut first = [0u8; 512];
        if stream.read(&mut first).is_err() {
            break;
        }
        open.push(stream);
    }
    open
}

/// What a first visit downloads besides the page: the bundle, as sent with brotli.
fn print_bundle(site_root: &Path) {
    let pkg = site_root.join("pkg");
    let mut total = 0;
    let mut parts = Vec::new();
    for entry in std::fs::read_dir(&pkg).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(plain) = name.strip_suffix(".br") {
            let raw = std::fs::metadata(pkg.join(plain)).map_or(0, |m| m.len());
            let sent = entry.metadata().map_or(0, |m| m.len());
            total += sent;
            parts.push(format!("{plain}: {raw} B, {sent} B brotli"));
        }
    }
    parts.sort();
    println!(
        "Browser bundle over the wire: {total} B with brotli ({})",
        parts.join("; ")
    );
}
