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

/// Everything the dashboard counts, already limited to the audience.
pub struct Facts {
    pub enrollments: Vec<Enrollment>,
    pub certificates: Vec<Certificate>,
    pub attempts: Vec<Attempt>,
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
    let mut per_period = vec![(0u32, 0u32); periods.len()];
    for (_, at) in &cohort {
        if let Some(i) = period_of(*at) {
            per_period[i].0 += 1;
        }
    }
    for certificate in held.filter(|c| range.contains(c.issued_at)) {
        if let Some(i) = period_of(certificate.issued_at) {
            per_period[i].1 += 1;
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
        periods: periods
            .into_iter()
            .zip(per_period)
            .map(|((_, label), (started, certified))| PeriodCounts {
                label,
                started,
                certified,
            })
            .collect(),
        courses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn at(text: &str) -> NaiveDateTime {
        day(text).and_hms_opt(10, 0, 0).unwrap()
    }

    #[test]
    fn a_range_reads_what_a_date_input_sends_and_explains_what_it_changed() {
        let today = day("2026-11-23");
        assert_eq!(
            Range::from_query(None, None, today),
            (
                Range {
                    from: day("2025-11-24"),
                    to: today
                },
                None
            )
        );
        assert_eq!(
            Range::from_query(Some("2026-01-01"), Some(" 2026-03-31 "), today),
            (
                Range {
                    from: day("2026-01-01"),
                    to: day("2026-03-31")
                },
                None
            )
        );
        let (swapped, note) = Range::from_query(Some("2026-03-31"), Some("2026-01-01"), today);
        assert_eq!(
            swapped,
            Range {
                from: day("2026-01-01"),
                to: day("2026-03-31")
            }
        );
        assert_eq!(
            note.unwrap(),
            "The start date was after the end date, so we swapped them."
        );
        let (unread, note) = Range::from_query(Some("next tuesday"), None, today);
        assert_eq!(
            unread,
            Range {
                from: day("2025-11-24"),
                to: today
            }
        );
        assert!(
            note.unwrap()
                .contains("We couldn't read the start date \"next tuesday\"")
        );
        let (long, note) = Range::from_query(Some("1900-01-01"), None, today);
        assert_eq!(long.from, day("2006-11-23"));
        assert!(note.unwrap().contains("at most 20 years"));
    }

    #[test]
    fn periods_are_weeks_months_or_years_and_cover_the_whole_range() {
        let weeks = Range {
            from: day("2026-11-01"),
            to: day("2026-11-23"),
        }
        .periods();
        assert_eq!(
            weeks.iter().map(|p| p.1.as_str()).collect::<Vec<_>>(),
            ["26 Oct", "2 Nov", "9 Nov", "16 Nov", "23 Nov"]
        );
        let months = Range {
            from: day("2025-11-24"),
            to: day("2026-11-23"),
        }
        .periods();
        assert_eq!(months.len(), 13);
        assert_eq!((months[0].1.as_str(), months[12].1.as_str()), ("Nov 2025", "Nov 2026"));
        let years = Range {
            from: day("2020-06-01"),
            to: day("2026-11-23"),
        }
        .periods();
        assert_eq!(
            years.iter().map(|p| p.1.as_str()).collect::<Vec<_>>(),
            ["2020", "2021", "2022", "2023", "2024", "2025", "2026"]
        );
    }

    #[test]
    fn the_median_takes_the_middle_or_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![9, 1, 5]), Some(5.0));
        assert_eq!(median(vec![10, 1, 4, 30]), Some(7.0));
    }

    /// Ana starts in range and is certified 10 days later; Ben starts in
    /// range, is certified 20 days later, then renews; Cy starts in range
    /// and is still learning; Dee started before the range, so counts in no
    /// cohort figure, though her certificate issued in the range shows on
    /// the timeline and her expiry is near; Eve's certificate was revoked.
    #[test]
    fn the_cohort_figures_follow_the_people_who_started_in_the_range() {
        let now = at("2026-11-23");
        let certificate = |person, issued: &str, expires: &str, revoked| Certificate {
            person,
            program: ProgramId(1),
            issued_at: at(issued),
            expires_at: at(expires),
            revoked,
        };
        let facts = Facts {
            enrollments: vec![
                Enrollment {
                    person: UserId(1),
                    at: at("2026-03-01"),
                },
                Enrollment {
                    person: UserId(1),
                    at: at("2026-03-05"),
                },
                Enrollment {
                    person: UserId(2),
                    at: at("2026-04-01"),
                },
                Enrollment {
                    person: UserId(3),
                    at: at("2026-05-01"),
                },
                Enrollment {
                    person: UserId(4),
                    at: at("2025-01-01"),
                },
                Enrollment {
                    person: UserId(4),
                    at: at("2026-06-01"),
                },
                Enrollment {
                    person: UserId(5),
                    at: at("2026-07-01"),
                },
            ],
            certificates: vec![
                certificate(UserId(1), "2026-03-11", "2027-03-11", false),
                certificate(UserId(2), "2026-04-21", "2026-12-01", false),
                certificate(UserId(2), "2026-11-20", "2027-11-20", false),
                certificate(UserId(4), "2026-06-10", "2027-01-10", false),
                certificate(UserId(5), "2026-07-10", "2026-12-10", true),
            ],
            attempts: vec![
                Attempt {
                    person: UserId(1),
                    course: CourseId(7),
                    at: at("2026-03-10"),
                    passed: false,
                },
                Attempt {
                    person: UserId(1),
                    course: CourseId(7),
                    at: at("2026-03-11"),
                    passed: true,
                },
                Attempt {
                    person: UserId(3),
                    course: CourseId(7),
                    at: at("2026-05-02"),
                    passed: true,
                },
                Attempt {
                    person: UserId(3),
                    course: CourseId(7),
                    at: at("2024-05-02"),
                    passed: false,
                },
            ],
            courses: vec![
                (CourseId(7), "Listening".to_owned()),
                (CourseId(8), "Closing".to_owned()),
            ],
        };
        let range = Range {
            from: day("2026-01-01"),
            to: day("2026-11-23"),
        };
        let outcomes = summarize(OutcomeAudience::Everyone, &facts, range, None, now);
        assert_eq!(outcomes.range_label, "1 Jan 2026 to 23 Nov 2026");
        assert_eq!((outcomes.enrolled, outcomes.in_training, outcomes.certified), (4, 2, 2));
        assert_eq!(outcomes.completion_rate(), Some(0.5));
        assert_eq!(outcomes.median_days_to_certify, Some(15.0));
        // Dee's certificate lapses on 10 January; Ben's first (1 December) was renewed; Eve's was revoked.
        assert_eq!(outcomes.expiring_soon, 1);
        assert_eq!(outcomes.period, PeriodLength::Month);
        let started: u32 = outcomes.periods.iter().map(|p| p.started).sum();
        let certified: u32 = outcomes.periods.iter().map(|p| p.certified).sum();
        assert_eq!((started, certified), (4, 4));
        assert_eq!(
            outcomes.periods[2],
            PeriodCounts {
                label: "Mar 2026".into(),
                started: 1,
                certified: 1
            }
        );
        assert_eq!(
            outcomes.courses[0],
            CoursePassRate {
                title: "Listening".into(),
                attempts: 3,
                passed: 2,
                learners: 2
            }
        );
        assert_eq!(outcomes.courses[1].rate(), None);
    }
}
