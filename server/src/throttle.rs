//! Login throttling policy: how many recent failures lock an account or an
//! address out, and for how long. Counting happens in the database so that
//! several app instances share it.

use chrono::{Duration, NaiveDateTime};

/// Failures are counted over this window.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failed logins for one account within the window before it is paused.
pub const PER_ACCOUNT: usize = 5;
/// Failed logins from one address within the window before it is paused
/// (higher: people share addresses behind NAT).
pub const PER_ADDRESS: usize = 20;

pub fn account_subject(email: &str) -> String {
    format!("account:{email}")
}

pub fn address_subject(address: &str) -> String {
    format!("address:{address}")
}

/// Given the recent failure times of one subject (any order), how long until
/// another attempt is allowed, if it is not allowed now.
pub fn retry_after(failures: &[NaiveDateTime], limit: usize, now: NaiveDateTime) -> Option<Duration> {
    let mut recent: Vec<NaiveDateTime> = failures.iter().copied().filter(|t| *t > now - WINDOW).collect();
    if recent.len() < limit {
        return None;
    }
    // Allowed again once enough failures have aged out of the window.
    recent.sort_unstable_by(|a, b| b.cmp(a));
    let gate = recent[limit - 1];
    Some((gate + WINDOW - now).max(Duration::seconds(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap().and_hms_opt(9, minute, 0).unwrap()
    }

    #[test]
    fn under_the_limit_is_allowed() {
        let failures = [at(0), at(1), at(2), at(3)];
        assert_eq!(retry_after(&failures, PER_ACCOUNT, at(4)), None);
    }

    #[test]
    fn at_the_limit_waits_until_the_oldest_counted_failure_ages_out() {
        let failures = [at(0), at(1), at(2), at(3), at(4)];
        assert_eq!(retry_after(&failures, PER_ACCOUNT, at(5)), Some(Duration::minutes(10)));
        assert_eq!(retry_after(&failures, PER_ACCOUNT, at(15)), None);
    }

    #[test]
    fn old_failures_do_not_count() {
        let failures = [at(0), at(1), at(2), at(3), at(30)];
        assert_eq!(retry_after(&failures, PER_ACCOUNT, at(31)), None);
    }
}
