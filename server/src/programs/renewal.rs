//! Renewal: when a program's certificate may be renewed, and where a
//! learner stands with it, which decides what counts towards the next one
//! (for issuing it, for the exam, for the learner's record).

use super::Program;
use crate::db::DbConnection;
use crate::db::schema::certificates;
use crate::error::ServerResult;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use holdspace_app::dto::{CertificateId, ProgramId, UserId};

/// When a program's certificates may be renewed without a gap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenewalRule {
    /// Days before the end when renewal opens (0: only after it ends).
    pub window_days: i32,
    /// Days after the end when a renewal still starts the day it ended.
    pub grace_days: i32,
}

impl RenewalRule {
    /// When renewal opens for a certificate ending at `expires_at`.
    pub fn opens(self, expires_at: NaiveDateTime) -> NaiveDateTime {
        expires_at - TimeDelta::days(i64::from(self.window_days.max(0)))
    }

    /// Until when a renewal still starts the day the certificate ended.
    pub fn grace_ends(self, expires_at: NaiveDateTime) -> NaiveDateTime {
        expires_at + TimeDelta::days(i64::from(self.grace_days.max(0)))
    }

    pub fn of(program: &Program) -> Self {
        RenewalRule {
            window_days: program.renewal_window_days,
            grace_days: program.grace_days,
        }
    }
}

/// The learner's newest certificate of a program.
#[derive(Queryable, Selectable)]
#[diesel(table_name = certificates, check_for_backend(crate::db::MultiBackend))]
pub struct Latest {
    pub id: CertificateId,
    pub sequence: i32,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub suspended_at: Option<NaiveDateTime>,
}

/// Where a learner stands with a program's certificate, which decides
/// whether completing it again issues one and what counts towards it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Holds a current certificate whose renewal has not opened: nothing to issue.
    Current,
    /// The newest was revoked or is suspended: passing quizzes does not
    /// undo what a person decided.
    Closed,
    /// May be certified by completing the program, counting what was done
    /// since `since` (for a renewal: since its window opened, or since the
    /// lapsed certificate ended); the new certificate starts at `starts`
    /// (the day the current one ends, inside its window or grace), or when issued.
    Open {
        since: Option<NaiveDateTime>,
        starts: Option<NaiveDateTime>,
    },
}

pub fn latest_certificate(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
) -> ServerResult<Option<Latest>> {
    Ok(certificates::table
        .filter(certificates::user_id.eq(learner))
        .filter(certificates::program_id.eq(program))
        .order(certificates::sequence.desc())
        .select(Latest::as_select())
        .first(conn)
        .optional()?)
}

/// The learner's standing with the program's certificate at `now`.
pub fn standing(
    conn: &mut DbConnection,
    learner: UserId,
    program: &Program,
    now: NaiveDateTime,
) -> ServerResult<Standing> {
    Ok(standing_of(
        latest_certificate(conn, learner, program.id)?.as_ref(),
        RenewalRule::of(program),
        now,
    ))
}

pub fn standing_of(latest: Option<&Latest>, rule: RenewalRule, now: NaiveDateTime) -> Standing {
    let Some(latest) = latest else {
        return Standing::Open {
            since: None,
            starts: None,
        };
    };
    if latest.revoked_at.is_some() || latest.suspended_at.is_some() {
        Standing::Closed
    } else if now < rule.opens(latest.expires_at) {
        Standing::Current
    } else if now < rule.grace_ends(latest.expires_at) {
        Standing::Open {
            since: Some(rule.opens(latest.expires_at)),
            starts: Some(latest.expires_at),
        }
    } else {
        Standing::Open {
            since: Some(latest.expires_at),
            starts: None,
        }
    }
}

/// What counts towards the program now: everything for a first
/// certificate, what was done since renewal opened for a renewal.
pub fn renewal_since(
    conn: &mut DbConnection,
    learner: UserId,
    program: &Program,
    now: NaiveDateTime,
) -> ServerResult<Option<NaiveDateTime>> {
    Ok(match standing(conn, learner, program, now)? {
        Standing::Open { since, .. } => since,
        Standing::Current | Standing::Closed => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(d: &str) -> NaiveDateTime {
        NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    }

    #[test]
    fn renewal_counts_from_the_window_and_starts_when_the_old_one_ends() {
        let rule = RenewalRule {
            window_days: 90,
            grace_days: 30,
        };
        let latest = Latest {
            id: CertificateId(1),
            sequence: 1,
            expires_at: day("2028-01-01"),
            revoked_at: None,
            suspended_at: None,
        };
        let at = |d: &str| standing_of(Some(&latest), rule, day(d));
        assert_eq!(
            standing_of(None, rule, day("2026-01-01")),
            Standing::Open {
                since: None,
                starts: None
            }
        );
        assert_eq!(at("2027-10-02"), Standing::Current);
        let continuous = Standing::Open {
            since: Some(day("2027-10-03")),
            starts: Some(day("2028-01-01")),
        };
        assert_eq!(at("2027-10-03"), continuous, "the window opens 90 days before");
        assert_eq!(at("2028-01-30"), continuous, "still in grace");
        assert_eq!(
            at("2028-01-31"),
            Standing::Open {
                since: Some(day("2028-01-01")),
                starts: None
            },
            "lapsed: everything again, from the day it is issued"
        );
        let suspended = Latest {
            suspended_at: Some(day("2027-01-01")),
            ..latest
        };
        assert_eq!(standing_of(Some(&suspended), rule, day("2027-12-01")), Standing::Closed);
    }
}
