//! How dates are written for people and for the public API.

use chrono::NaiveDateTime;

/// A date as pages and the public API show it: `YYYY-MM-DD` (UTC).
pub fn day(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d").to_string()
}
