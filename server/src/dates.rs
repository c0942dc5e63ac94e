//! How dates and hours are written for people and the public API, and
//! read from what people type.

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

/// A session is at most a long day; more is a typing slip.
const MAX_MINUTES: i32 = 12 * 60;

/// "2", "1.5", "1,5" or "1:30" as minutes, on the quarter hour, up to 12 hours.
pub fn parse_hours(text: &str) -> Option<i32> {
    let text = text.trim();
    let minutes = if let Some((h, m)) = text.split_once(':') {
        h.trim().parse::<i32>().ok()? * 60 + m.trim().parse::<i32>().ok().filter(|m| (0..60).contains(m))?
    } else {
        let hours: f64 = text.replace(',', ".").parse().ok().filter(|h: &f64| h.is_finite())?;
        (hours * 60.0).round() as i32
    };
    (minutes > 0 && minutes % 15 == 0 && minutes <= MAX_MINUTES).then_some(minutes)
}

/// A date and time someone typed (`YYYY-MM-DDTHH:MM` as a browser sends
/// it, or with a space) for something still to come, at most a year ahead.
pub fn coming_time(typed: &str, now: NaiveDateTime) -> ServerResult<NaiveDateTime> {
    let typed = typed.trim().replacen(' ', "T", 1);
    let Ok(when) = NaiveDateTime::parse_from_str(&typed, "%Y-%m-%dT%H:%M") else {
        return invalid("Please give the date and time it starts, like 2026-03-14 18:30.");
    };
    if when <= now {
        return invalid("That time has already passed: please choose one still to come.");
    }
    if when > now + chrono::TimeDelta::days(366) {
        return invalid("Please schedule sessions at most a year ahead.");
    }
    Ok(when)
}

/// When something happened or happens, as pages show it: `YYYY-MM-DD HH:MM`.
pub fn day_and_time(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
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

    #[test]
    fn hours_are_read_as_people_write_them() {
        assert_eq!(parse_hours("2"), Some(120));
        assert_eq!(parse_hours(" 1.5 "), Some(90));
        assert_eq!(parse_hours("1,25"), Some(75));
        assert_eq!(parse_hours("1:30"), Some(90));
        assert_eq!(parse_hours("12"), Some(720));
        for wrong in ["", "0", "-1", "1.1", "13", "1:75", "two", "NaN", "inf", "1e9"] {
            assert_eq!(parse_hours(wrong), None, "{wrong:?}");
        }
    }

    #[test]
    fn a_coming_time_is_read_and_a_past_one_refused() {
        let now = NaiveDate::from_ymd_opt(2026, 12, 3)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let when = coming_time("2026-12-10T18:30", now).unwrap();
        assert_eq!(day_and_time(when), "2026-12-10 18:30");
        assert_eq!(coming_time(" 2026-12-10 18:30 ", now).ok(), Some(when));
        for typed in ["2026-12-03T11:59", "2026-12-10 6pm", "2028-01-01T10:00", ""] {
            assert!(coming_time(typed, now).is_err(), "{typed}");
        }
    }
}
