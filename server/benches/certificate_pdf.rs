//! How fast certificates are drawn: criterion's statistics (certificates
//! per second), then a plain run for latency percentiles and peak memory.
//!
//! `cargo bench -p holdspace-server --bench certificate_pdf`

use criterion::{Criterion, Throughput};
use holdspace_server::certificates::pdf::{CertificateDocument, render};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn document(i: usize) -> CertificateDocument {
    CertificateDocument {
        issuer_name: "Holdspace".into(),
        holder_name: format!("Zoë Łukasiewicz-Nguyễn {i}"),
        program_title: "Peer Support Group Facilitator".into(),
        courses: [
            "Foundations of peer support",
            "Trauma-informed facilitation",
            "Stigma and safe spaces",
            "Safety planning and crisis response",
            "Sustaining yourself and the group",
        ]
        .iter()
        .map(|title| ((*title).to_owned(), "1.0.0".to_owned()))
        .collect(),
        issued_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        expires_on: chrono::NaiveDate::from_ymd_opt(2028, 11, 23).unwrap(),
        code: "HS-7K2M-9QXD-4FTRW".into(),
        verify_url: "https://learn.example.org/verify/HS-7K2M-9QXD-4FTRW".into(),
        credential: None,
    }
}

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("certificate");
    group.throughput(Throughput::Elements(1));
    let doc = document(0);
    group.bench_function("render PDF", |b| b.iter(|| render(black_box(&doc)).unwrap()));
    group.finish();
    criterion.final_summary();

    let runs = 2_000;
    let mut latencies: Vec<Duration> = Vec::with_capacity(runs);
    let mut bytes = 0;
    let started = Instant::now();
    for i in 0..runs {
        let doc = document(i);
        let one = Instant::now();
        bytes += render(&doc).unwrap().len();
        latencies.push(one.elapsed());
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let ms = |q: f64| latencies[((runs as f64 * q) as usize).min(runs - 1)].as_secs_f64() * 1000.0;
    println!(
        "certificate PDFs, one thread: {runs} in {:.2} s = {:.0}/s; p50 {:.2} ms, p99 {:.2} ms; {:.0} KiB each; peak memory {}",
        elapsed.as_secs_f64(),
        runs as f64 / elapsed.as_secs_f64(),
        ms(0.50),
        ms(0.99),
        bytes as f64 / runs as f64 / 1024.0,
        peak_memory_mib().map_or("unavailable".to_owned(), |m| format!("{m:.1} MiB")),
    );
}
