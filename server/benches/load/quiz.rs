//! Graded quiz submissions: each needs a sitting of its own, opened
//! beforehand (not measured), so `wrk` cannot replay them; 32 clients in
//! this process post them instead and time each.

use crate::support::{Browser, ShownQuiz, TestServer, submit_quiz_fields};
use crate::wrk::Measured;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A sitting opened for one learner: where to post and what was shown.
struct Sitting {
    learner: usize,
    course: String,
    module: String,
    quiz: ShownQuiz,
}

pub async fn submissions(server: &TestServer, tokens: &[String], seconds: u64) -> Measured {
    let browsers: Vec<Browser> = tokens
        .iter()
        .map(|token| {
            let browser = server.browser();
            browser.use_session(token);
            browser
        })
        .collect();
    let opened = Instant::now();
    let mut sittings = Vec::new();
    'open: for (course, module) in crate::module_paths() {
        for (learner, browser) in browsers.iter().enumerate() {
            let page = browser.get(&format!("/courses/{course}/{module}/quiz")).await;
            if page.status != reqwest::StatusCode::OK {
                continue 'open;
            }
            sittings.push(Sitting {
                learner,
                course: course.clone(),
                module: module.clone(),
                quiz: ShownQuiz::parse(&page.body),
            });
            if opened.elapsed() > Duration::from_secs(seconds * 3) {
                break 'open;
            }
        }
    }
    let (browsers, sittings) = (Arc::new(browsers), Arc::new(sittings));
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut clients = Vec::new();
    for _ in 0..crate::CONNECTIONS {
        let (browsers, sittings, next) = (browsers.clone(), sittings.clone(), next.clone());
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let Some(sitting) = sittings.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    break;
                };
                let sent = Instant::now();
                // The first option of every question: a realistic mix of right and wrong.
                let page = submit_quiz_fields(
                    &browsers[sitting.learner],
                    &sitting.course,
                    &sitting.module,
                    &sitting.quiz,
                    sitting.quiz.first_options(),
                )
                .await;
                assert!(
                    page.location.as_deref().is_some_and(|l| l.contains("/quiz/attempts/")),
                    "graded"
                );
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for client in clients {
        latencies.extend(client.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let at = |q: f64| {
        let i = ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[i].as_secs_f64() * 1000.0
    };
    Measured {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: at(0.50),
        p99_ms: at(0.99),
    }
}
