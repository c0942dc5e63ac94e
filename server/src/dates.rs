//! How dates are written for people and for the public API.

use crate::error::{ServerResult, invalid};
use chrono::{NaiveDate, NaiveDateTime};

/// A date as pages and the public API show it: `YYYY-MM-DD` (UTC).
pub fn day(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// A day someone typed (`YYYY-MM-DD`) for something that already happened;
/// `what` names it in the message, e.g. "the date of the session".
pub fn past_day(typed: &str, what: &str, today: NaiveDate) -> ServerResult<NaiveDate> {
    let Ok(day) = NaiveDate::parse_from_str(typed.trim(), "%Y-%m-%d") else {
        return invalid(format!("Please give {what}, like 2026-03-14."));
    };
    if day > today {
        let mut what = what.to_owned();
        if let Some(first) = what.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        return invalid(format!("{what} can't be in the future."));
    }
    Ok(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_past_day_is_read_and_a_future_or_unreadable_one_is_explained() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(past_day(" 2026-12-03 ", "the date", today).ok(), Some(today));
        let message = |typed| {
            past_day(typed, "the date of the session", today)
                .unwrap_err()
                .to_string()
        };
        assert!(message("2026-12-04").contains("The date of the session can't be in the future."));
        assert!(message("3/12/2026").contains("Please give the date of the session, like 2026-03-14."));
    }
}
