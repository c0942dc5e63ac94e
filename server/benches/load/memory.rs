//! The server's memory, from Linux's own accounting of its process.

/// A field of `/proc/<pid>/status` in KiB (`VmHWM` peak, `VmRSS` now).
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The peak resident memory since the last [`reset_peak`], in MiB.
pub fn peak_mib(pid: u32) -> f64 {
    status_kib(pid, "VmHWM").map_or(f64::NAN, |kib| kib as f64 / 1024.0)
}

/// The resident memory now, in MiB.
pub fn resident_mib(pid: u32) -> f64 {
    status_kib(pid, "VmRSS").map_or(f64::NAN, |kib| kib as f64 / 1024.0)
}

/// Starts a new peak from the memory in use now, so each row's peak is its
/// own (Linux's `clear_refs` 5; allowed for our own child processes).
pub fn reset_peak(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}
