//! When another attempt at a quiz or an exam may start: after an optional
//! wait, and within an optional number per period. A trainer's grant lifts
//! either for one attempt. The refusal is told as a date, never a countdown,
//! and never as a failing: it says what happens next.

use crate::dates::day;
use chrono::{NaiveDateTime, TimeDelta};
use holdspace_app::course_content::AttemptPolicy;

/// Why another attempt cannot start now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotYet {
    /// The wait after the last attempt runs until then.
    Waiting { until: NaiveDateTime },
    /// Every attempt the period allows has been made; another opens at
    /// `until` (without a period: only a trainer can open one).
    UsedUp {
        allowed: u32,
        period_days: Option<u32>,
        until: Option<NaiveDateTime>,
    },
}

/// Whether an attempt may start at `now`, given when earlier ones were made.
pub fn next_attempt(policy: &AttemptPolicy, made: &[NaiveDateTime], now: NaiveDateTime) -> Result<(), NotYet> {
    if let Some(allowed) = policy.max_attempts {
        let period = policy.period_days.map(|d| TimeDelta::days(d.into()));
        let mut counted: Vec<NaiveDateTime> = made
            .iter()
            .copied()
            .filter(|at| period.is_none_or(|p| *at > now - p))
            .collect();
        counted.sort_unstable();
        let allowed_count = allowed as usize;
        if counted.len() >= allowed_count {
            // Another opens when enough of the counted ones leave the period.
            let until = period.map(|p| counted[counted.len() - allowed_count] + p);
            return Err(NotYet::UsedUp {
                allowed,
                period_days: policy.period_days,
                until,
            });
        }
    }
    if let (Some(hours), Some(last)) = (policy.wait_hours, made.iter().max()) {
        let until = *last + TimeDelta::hours(hours.into());
        if now < until {
            return Err(NotYet::Waiting { until });
        }
    }
    Ok(())
}

impl NotYet {
    /// What the learner reads, for a "quiz" or an "exam".
    pub fn message(&self, what: &str) -> String {
        match self {
            NotYet::Waiting { until } => format!(
                "You can take this {what} again from {}. Until then, the review of your last attempt shows what \
                 is worth re-reading.",
                moment(*until)
            ),
            NotYet::UsedUp {
                allowed,
                period_days,
                until,
            } => {
                let times = if *allowed == 1 {
                    "once".to_owned()
                } else {
                    format!("{allowed} times")
                };
                let period = period_days.map_or(String::new(), |d| format!(" in {d} days"));
                let next = until.map_or(String::new(), |at| format!(", or it opens again on {}", day(at)));
                format!(
                    "This {what} can be taken {times}{period}, and you have used those attempts. That's all right: \
                     it often takes more than one go. Your trainer can open another attempt for you{next}."
                )
            }
        }
    }
}

/// A day, with the time when it matters (a wait of hours, not days).
fn moment(at: NaiveDateTime) -> String {
    if at.time() == chrono::NaiveTime::MIN {
        day(at)
    } else {
        format!("{} at {} UTC", day(at), at.format("%H:%M"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    #[test]
    fn no_policy_never_refuses() {
        assert_eq!(
            next_attempt(&AttemptPolicy::default(), &[at(1, 9); 50], at(1, 10)),
            Ok(())
        );
    }

    #[test]
    fn a_wait_runs_from_the_last_attempt() {
        let policy = AttemptPolicy {
            wait_hours: Some(24),
            ..Default::default()
        };
        let refused = next_attempt(&policy, &[at(1, 9), at(2, 9)], at(3, 8)).unwrap_err();
        assert_eq!(refused, NotYet::Waiting { until: at(3, 9) });
        assert!(
            refused
                .message("quiz")
                .starts_with("You can take this quiz again from 2026-12-03 at 09:00 UTC.")
        );
        assert_eq!(next_attempt(&policy, &[at(1, 9), at(2, 9)], at(3, 9)), Ok(()));
    }

    #[test]
    fn a_limit_per_period_opens_again_when_the_oldest_counted_attempt_leaves_it() {
        let policy = AttemptPolicy {
            max_attempts: Some(3),
            period_days: Some(90),
            ..Default::default()
        };
        let made = [at(1, 9), at(2, 9), at(3, 9)];
        assert_eq!(next_attempt(&policy, &made[..2], at(4, 9)), Ok(()));
        let refused = next_attempt(&policy, &made, at(4, 9)).unwrap_err();
        assert_eq!(
            refused,
            NotYet::UsedUp {
                allowed: 3,
                period_days: Some(90),
                until: Some(at(1, 9) + TimeDelta::days(90))
            }
        );
        assert!(refused.message("exam").contains("can be taken 3 times in 90 days"));
        assert!(
            refused
                .message("exam")
                .contains("Your trainer can open another attempt for you, or it opens again on 2027-03-01.")
        );
        assert_eq!(
            next_attempt(&policy, &made, at(1, 9) + TimeDelta::days(90) + TimeDelta::seconds(1)),
            Ok(())
        );
    }
}
