//! Load benchmark: the release server with many learners, measured on the
//! module page, on graded quiz submissions and on the public certificate
//! verification API. Prints requests per second, p50/p99 latency and the
//! server's peak memory.
//!
//! `cargo bench -p holdspace-server --bench load`; with
//! `HOLDSPACE_TEST_POSTGRES_URL` set (see `.ci/with-postgres`), on PostgreSQL.
//! Knobs: `BENCH_LEARNERS` (200), `BENCH_CONCURRENCY` (32), `BENCH_SECONDS` (10).

#[path = "../tests/integration/builders.rs"]
#[allow(dead_code, reason = "the bench needs only the builders support.rs calls")]
mod builders;
#[path = "../tests/integration/support.rs"]
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::{Browser, ShownQuiz, TestServer, certified, shipped_courses};

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Report {
    name: &'static str,
    requests: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Report {
    fn print(mut self) {
        self.latencies.sort_unstable();
        let at = |q: f64| {
            let i = ((self.latencies.len() as f64 * q).ceil() as usize).clamp(1, self.latencies.len()) - 1;
            self.latencies[i].as_secs_f64() * 1000.0
        };
        println!(
            "{:<18} {:>8} requests in {:>5.1} s  {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms",
            self.name,
            self.requests,
            self.elapsed.as_secs_f64(),
            self.requests as f64 / self.elapsed.as_secs_f64(),
            at(0.50),
            at(0.99),
        );
    }
}

fn peak_memory_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Module pages of the shipped courses, as (course, module) paths.
fn module_paths() -> Vec<(String, String)> {
    let loaded = holdspace_server::authoring::course_files::load_dir(&shipped_courses());
    loaded
        .courses
        .iter()
        .flat_map(|c| c.modules.iter().map(|m| (c.slug.clone(), m.slug.clone())))
        .collect()
}

async fn run_workers<F, Fut>(concurrency: usize, work: F) -> (usize, Duration, Vec<Duration>)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Option<Duration>> + Send,
{
    let work = Arc::new(work);
    let counter = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..concurrency {
        let (work, counter) = (work.clone(), counter.clone());
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                match work(n).await {
                    Some(latency) => latencies.push(latency),
                    None => break,
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for handle in handles {
        latencies.extend(handle.await.expect("a worker"));
    }
    (latencies.len(), started.elapsed(), latencies)
}

fn main() {
    let learners = knob("BENCH_LEARNERS", 200);
    let concurrency = knob("BENCH_CONCURRENCY", 32);
    let seconds = knob("BENCH_SECONDS", 10) as u64;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let backend = if std::env::var("HOLDSPACE_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty()) { "PostgreSQL" } else { "SQLite" };
        let server = TestServer::start_with(&shipped_courses(), &[]);
        let modules = Arc::new(module_paths());
        let courses: Vec<String> = {
            let mut c: Vec<String> = modules.iter().map(|(c, _)| c.clone()).collect();
            c.dedup();
            c
        };
        println!("Holdspace load benchmark: {backend}, {learners} learners, {concurrency} concurrent clients, {seconds} s per phase");

        // Set-up (not measured): learners register and enroll in every course.
        let setup = Instant::now();
        let mut browsers = Vec::new();
        let ids: Vec<usize> = (0..learners).collect();
        for chunk in ids.chunks(16) {
            let mut tasks = Vec::new();
            for &i in chunk {
                let browser = server.browser();
                let courses = courses.clone();
                let email = format!("learner{i}@example.org");
                tasks.push(tokio::spawn(async move {
                    browser.register(&format!("Learner {i}"), &email).await;
                    for course in &courses {
                        browser.enroll(course).await;
                    }
                    browser
                }));
            }
            for task in tasks {
                browsers.push(task.await.unwrap());
            }
        }
        let browsers: Arc<Vec<Browser>> = Arc::new(browsers);
        println!("set-up: {learners} learners registered and enrolled in {:.1} s", setup.elapsed().as_secs_f64());

        // Phase 1: module pages.
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let (b, m) = (browsers.clone(), modules.clone());
        let (requests, elapsed, latencies) = run_workers(concurrency, move |n| {
            let (browsers, modules) = (b.clone(), m.clone());
            async move {
                if Instant::now() >= deadline {
                    return None;
                }
                let browser = &browsers[n % browsers.len()];
                let (course, module) = &modules[(n / browsers.len()) % modules.len()];
                let started = Instant::now();
                let page = browser.get(&format!("/courses/{course}/{module}?note=continue")).await;
                assert_eq!(page.status, reqwest::StatusCode::OK);
                Some(started.elapsed())
            }
        })
        .await;
        Report { name: "module page", requests, elapsed, latencies }.print();

        // Phase 2: graded submissions. Sittings are opened first (not measured).
        let opened = Instant::now();
        let mut sittings = Vec::new();
        'open: for (i, browser) in browsers.iter().enumerate() {
            for (course, module) in modules.iter() {
                let page = browser.get(&format!("/courses/{course}/{module}/quiz")).await;
                if page.status != reqwest::StatusCode::OK {
                    continue;
                }
                sittings.push((i, course.clone(), module.clone(), ShownQuiz::parse(&page.body)));
                if opened.elapsed() > Duration::from_secs(seconds * 3) {
                    break 'open;
                }
            }
        }
        println!("set-up: {} quiz sittings opened in {:.1} s", sittings.len(), opened.elapsed().as_secs_f64());
        let sittings = Arc::new(sittings);
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let (b, s) = (browsers.clone(), sittings.clone());
        let (requests, elapsed, latencies) = run_workers(concurrency, move |n| {
            let (browsers, sittings) = (b.clone(), s.clone());
            async move {
                if Instant::now() >= deadline {
                    return None;
                }
                let (learner, course, module, quiz) = sittings.get(n)?;
                // The first option shown for every question: a realistic mix of right and wrong.
                let started = Instant::now();
                let page = support::submit_quiz_fields(&browsers[*learner], course, module, quiz, quiz.first_options()).await;
                assert!(page.location.as_deref().is_some_and(|l| l.contains("/quiz/attempts/")), "graded");
                Some(started.elapsed())
            }
        })
        .await;
        Report { name: "quiz submission", requests, elapsed, latencies }.print();

        match peak_memory_kib(server.pid()) {
            Some(kib) => println!("server peak memory (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
            None => println!("server peak memory: unavailable"),
        }
        drop(server);

        // Phase 3: certificate lookups, as organizations' systems make them,
        // on a server holding a few certified learners (the fixture's demo program).
        let server = TestServer::start();
        let mut codes = Vec::new();
        for i in 0..20 {
            codes.push(certified(&server, &format!("Certified {i}"), &format!("certified{i}@example.org")).await.1);
        }
        let (codes, client) = (Arc::new(codes), reqwest::Client::new());
        let base = server.base.clone();
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let (requests, elapsed, latencies) = run_workers(concurrency, move |n| {
            let (codes, client, base) = (codes.clone(), client.clone(), base.clone());
            async move {
                if Instant::now() >= deadline {
                    return None;
                }
                let started = Instant::now();
                let response = client.get(format!("{base}/api/v1/certificates/{}", codes[n % codes.len()])).send().await.unwrap();
                assert_eq!(response.status(), reqwest::StatusCode::OK);
                response.bytes().await.unwrap();
                Some(started.elapsed())
            }
        })
        .await;
        Report { name: "certificate lookup", requests, elapsed, latencies }.print();
        if let Some(kib) = peak_memory_kib(server.pid()) {
            println!("lookup server peak memory (VmHWM): {:.1} MiB", kib as f64 / 1024.0);
        }
    });
}
