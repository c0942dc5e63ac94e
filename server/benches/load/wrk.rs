//! Load from `wrk` (Debian's): one thread, keep-alive connections, each
//! request taken in turn from a list, so a run spreads over many learners,
//! modules and certificates instead of hammering one cached row.

use std::io::Write;
use std::process::Command;

/// One request of a run: a path and the cookie it carries, if any.
pub struct Request {
    pub path: String,
    pub cookie: Option<String>,
}

impl Request {
    pub fn anonymous(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            cookie: None,
        }
    }
}

/// What one run measured.
pub struct Measured {
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// Requests `base` + each path in turn for `seconds` over `connections`
/// keep-alive connections, asking for compression as a browser would.
pub fn run(base: &str, requests: &[Request], connections: usize, seconds: u64) -> Measured {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("requests");
    let mut file = std::fs::File::create(&list).unwrap();
    for request in requests {
        writeln!(file, "{}\t{}", request.path, request.cookie.as_deref().unwrap_or("")).unwrap();
    }
    drop(file);
    let script = dir.path().join("requests.lua");
    std::fs::write(&script, SCRIPT).unwrap();
    let output = Command::new("wrk")
        .args([
            "-t1",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
        ])
        .arg("-s")
        .arg(&script)
        .arg(base)
        .arg("--")
        .arg(&list)
        .output()
        .unwrap_or_else(|e| panic!("wrk is needed (bash .ci/bench installs it): {e}"));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "wrk failed: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !text.contains("Non-2xx") && !text.contains("Socket errors"),
        "every request must succeed for the figure to mean anything:\n{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    parse(&text)
}

const SCRIPT: &str = r#"
local requests = {}
local index = 0
init = function(args)
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]*)\t(.*)$")
    local headers = { ["Accept-Encoding"] = "gzip, deflate, br" }
    if cookie ~= "" then headers["Cookie"] = cookie end
    requests[#requests + 1] = wrk.format("GET", path, headers)
  end
end
request = function()
  index = index % #requests + 1
  return requests[index]
end
"#;

fn parse(text: &str) -> Measured {
    let per_second = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Requests/sec in wrk's output:\n{text}"));
    let percentile = |label: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(label))
            .map(|v| milliseconds(v.trim()))
            .unwrap_or_else(|| panic!("no {label} latency in wrk's output:\n{text}"))
    };
    Measured {
        per_second,
        p50_ms: percentile("50%"),
        p99_ms: percentile("99%"),
    }
}

/// wrk's durations: `312.00us`, `2.37ms`, `1.02s`, `2.00m`.
fn milliseconds(value: &str) -> f64 {
    let split = value.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => number / 1000.0,
        "ms" => number,
        "s" => number * 1000.0,
        "m" => number * 60_000.0,
        _ => f64::NAN,
    }
}
