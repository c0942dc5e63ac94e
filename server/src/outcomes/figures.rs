//! The outcome dashboard's arithmetic, kept apart from the database so that
//! each figure can be checked against a worked example.
//!
//! The headline figures follow a cohort: the people whose *first* course
//! began in the chosen range. Counting "enrolled in the range" and
//! "certified in the range" separately would mix cohorts (someone certified
//! in March may have started last year) and give completion rates above
//! 100%; following one cohort keeps every share honest.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use holdspace_app::dto::{
    CourseId, CoursePassRate, EXPIRING_SOON_DAYS, OutcomeAudience, Outcomes, PeriodCounts, PeriodLength, ProgramId,
    RangePreset, UserId,
};
use std::collections::{HashMap, HashSet};

/// Days, the first and the last both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// With no range asked for: the last twelve months.
const DEFAULT_DAYS: i64 = 365;
/// The longest range: enough for any history here, and a timeline that stays readable.
const LONGEST_YEARS: u32 = 20;

impl Range {
    pub fn last_days(today: NaiveDate, days: i64) -> Range {
        Range {
            from: today - Duration::days(days - 1),
            to: today,
        }
    }

    /// Reads `from` and `to` as a date input sends them (`2026-11-23`).
    /// Whatever cannot be used falls back to a default, and the note says so.
    pub fn from_query(from: Option<&str>, to: Option<&str>, today: NaiveDate) -> (Range, Option<String>) {
        let mut notes = Vec::new();
        let mut read = |typed: Option<&str>, what: &str| match typed.map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| {
                    notes.push(format!(
                        "We couldn't read the {what} date \"{text}\", so we used the usual one."
                    ))
                })
                .ok(),
        };
        let (typed_from, typed_to) = (read(from, "start"), read(to, "end"));
        let to = typed_to.unwrap_or(today);
        let mut range = Range {
            from: typed_from.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1)),
            to,
        };
        if range.from > range.to {
            range = Range {
                from: range.to,
                to: range.from,
            };
            notes.push("The start date was after the end date, so we swapped them.".to_owned());
        }
        if let Some(earliest) = range.to.checked_sub_months(Months::new(12 * LONGEST_YEARS))
            && range.from < earliest
        {
            range.from = earliest;
            notes.push(format!(
                "A range can cover at most {LONGEST_YEARS} years, so it starts on {earliest}."
            ));
        }
        (range, (!notes.is_empty()).then(|| notes.join(" ")))
    }

    fn contains(&self, at: NaiveDateTime) -> bool {
        (self.from..=self.to).contains(&at.date())
    }

    /// Weeks for up to three months, months for up to three years, else years.
    fn period(&self) -> PeriodLength {
        match (self.to - self.from).num_days() {
            ..=92 => PeriodLength::Week,
            93..=1096 => PeriodLength::Month,
            _ => PeriodLength::Year,
        }
    }

    /// The periods covering the range, each with its label, in order.
    fn periods(&self) -> Vec<(NaiveDate, String)> {
        let length = self.period();
        let start_of = |day: NaiveDate| match length {
            PeriodLength::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            PeriodLength::Month => day.with_day(1).unwrap_or(day),
            PeriodLength::Year => day.with_ordinal(1).unwrap_or(day),
        };
        let mut periods = Vec::new();
        let mut start = start_of(self.from);
        while start <= self.to {
            let label = match length {
                PeriodLength::Week => start.format("%-d %b").to_string(),
                PeriodLength::Month => start.format("%b %Y").to_string(),
                PeriodLength::Year => start.format("%Y").to_string(),
            };
            periods.push((start, label));
            start = match length {
                PeriodLength::Week => start + Duration::weeks(1),
                PeriodLength::Month => start + Months::new(1),
                PeriodLength::Year => start + Months::new(12),
            };
        }
        periods
    }
}

/// The ranges offered as links.
pub fn presets(today: NaiveDate) -> Vec<RangePreset> {
    [
        ("Last 30 days", 30),
        ("Last 90 days", 90),
        ("Last 12 months", DEFAULT_DAYS),
        ("Last 3 years", 3 * 365 + 1),
    ]
    .into_iter()
    .map(|(label, days)| {
        let range = Range::last_days(today, days);
        RangePreset {
            label: label.to_owned(),
            from: range.from.to_string(),
            to: range.to.to_string(),
        }
    })
    .collect()
}

pub struct Enrollment {
    pub person: UserId,
    pub at: NaiveDateTime,
}

pub struct Certificate {
    pub person: UserId,
    pub program: ProgramId,
    pub issued_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked: bool,
}

pub struct Attempt {
    pub person: UserId,
    pub course: CourseId,
    pub at: NaiveDateTime,
    pub passed: bool,
}

/// Hours someone in view put in, on the day they count for.
pub struct Hours {
    pub at: NaiveDateTime,
    pub minutes: i32,
    /// Confirmed supervised practice, rather than training.
    pub supervised: bool,
}

/// Everything the dashboard counts, already limited to the audience.
pub struct Facts {
    pub enrollments: Vec<Enrollment>,
    pub certificates: Vec<Certificate>,
    pub attempts: Vec<Attempt>,
    pub hours: Vec<Hours>,
    /// When each live session someone in view attended began (once per session).
    pub sessions: Vec<NaiveDateTime>,
    /// The courses in view, in the order shown: id and title.
    pub courses: Vec<(CourseId, String)>,
}

/// The median; the mean of the middle two for an even count.
fn median(mut values: Vec<i64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let middle = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[middle] as f64
    } else {
        (values[middle - 1] + values[middle]) as f64 / 2.0
    })
}

/// Earliest time per person.
fn first_per_person(times: impl Iterator<Item = (UserId, NaiveDateTime)>) -> HashMap<UserId, NaiveDateTime> {
    let mut first: HashMap<UserId, NaiveDateTime> = HashMap::new();
    for (person, at) in times {
        first.entry(person).and_modify(|t| *t = (*t).min(at)).or_insert(at);
    }
    first
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub fn summarize(
    audience: OutcomeAudience,
    facts: &Facts,
    range: Range,
    range_note: Option<String>,
    now: NaiveDateTime,
) -> Outcomes {
    let started = first_per_person(facts.enrollments.iter().map(|e| (e.person, e.at)));
    let held = facts.certificates.iter().filter(|c| !c.revoked);
    let first_certificate = first_per_person(held.clone().map(|c| (c.person, c.issued_at)));
    let cohort: Vec<(UserId, NaiveDateTime)> = started
        .iter()
        .filter(|(_, at)| range.contains(**at))
        .map(|(p, at)| (*p, *at))
        .collect();
    let days_to_certify: Vec<i64> = cohort
        .iter()
        .filter_map(|(person, began)| {
            first_certificate
                .get(person)
                .map(|issued| (issued.date() - began.date()).num_days().max(0))
        })
        .collect();
    let certified = days_to_certify.len();

    // A renewed certificate replaces the old one: only the newest per program counts.
    let mut newest: HashMap<(UserId, ProgramId), &Certificate> = HashMap::new();
    for certificate in held.clone() {
        newest
            .entry((certificate.person, certificate.program))
            .and_modify(|c| {
                if certificate.issued_at > c.issued_at {
                    *c = certificate
                }
            })
            .or_insert(certificate);
    }
    let soon = now + Duration::days(EXPIRING_SOON_DAYS);
    let expiring: HashSet<UserId> = newest
        .values()
        .filter(|c| c.expires_at >= now && c.expires_at < soon)
        .map(|c| c.person)
        .collect();

    let periods = range.periods();
    let period_of = |at: NaiveDateTime| periods.iter().rposition(|(start, _)| *start <= at.date());
    let mut per_period: Vec<PeriodCounts> = periods
        .iter()
        .map(|(_, label)| PeriodCounts {
            label: label.clone(),
            started: 0,
            certified: 0,
            training_minutes: 0,
            supervised_minutes: 0,
            sessions_held: 0,
        })
        .collect();
    let period = |at: NaiveDateTime| range.contains(at).then(|| period_of(at)).flatten();
    for (_, at) in &cohort {
        if let Some(i) = period(*at) {
            per_period[i].started += 1;
        }
    }
    for certificate in held {
        if let Some(i) = period(certificate.issued_at) {
            per_period[i].certified += 1;
        }
    }
    for hours in &facts.hours {
        if let Some(i) = period(hours.at) {
            let minutes = i64::from(hours.minutes);
            if hours.supervised {
                per_period[i].supervised_minutes += minutes;
            } else {
                per_period[i].training_minutes += minutes;
            }
        }
    }
    for at in &facts.sessions {
        if let Some(i) = period(*at) {
            per_period[i].sessions_held += 1;
        }
    }

    let courses = facts
        .courses
        .iter()
        .map(|(course, title)| {
            let attempts: Vec<&Attempt> = facts
                .attempts
                .iter()
                .filter(|a| a.course == *course && range.contains(a.at))
                .collect();
            CoursePassRate {
                title: title.clone(),
                attempts: count(attempts.len()),
                passed: count(attempts.iter().filter(|a| a.passed).count()),
                learners: count(attempts.iter().map(|a| a.person).collect::<HashSet<_>>().len()),
            }
        })
        .collect();

    Outcomes {
        audience,
        from: range.from.to_string(),
        to: range.to.to_string(),
        range_label: format!("{} to {}", range.from.format("%-d %b %Y"), range.to.format("%-d %b %Y")),
        range_note,
        presets: presets(now.date()),
        enrolled: count(cohort.len()),
        in_training: count(cohort.len() - certified),
        certified: count(certified),
        median_days_to_certify: median(days_to_certify),
        expiring_soon: count(expiring.len()),
        period: range.period(),
        periods: per_period,
        courses,
    }
}

#[cfg(test)]
mod tests;
