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
    /// Whether renewing is by continuing education rather than completing
    /// the program again.
    pub by_ce: bool,
    /// Days after the end when renewing needs the exam again.
    pub reexam_after_days: Option<i32>,
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
            by_ce: program.ce_minutes > 0,
            reexam_after_days: program.reexam_after_days,
        }
    }
}

/// The learner's newest certificate of a program.
#[derive(Queryable, Selectable)]
#[diesel(table_name = certificates, check_for_backend(crate::db::MultiBackend))]
pub struct Latest {
    pub id: CertificateId,
    pub sequence: i32,
    pub valid_from: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub suspended_at: Option<NaiveDateTime>,
}

/// Where a learner stands with a program's certificate, which decides
/// whether meeting its requirements issues one and what counts towards it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Holds a current certificate whose renewal has not opened: nothing to issue.
    Current,
    /// The newest was revoked or is suspended: passing quizzes does not
    /// undo what a person decided.
    Closed,
    /// May be certified by following `route`; the new certificate starts at
    /// `starts` (the day the current one ends, inside its window or grace),
    /// or when issued.
    Open {
        route: Route,
        starts: Option<NaiveDateTime>,
    },
}

/// What a learner meets for the next certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// Completing the program: courses, exam, hours and practice, counting
    /// passes and hours since `since` (for a first certificate: ever; for a
    /// renewal: since its window opened, or since the lapsed one ended).
    Complete { since: Option<NaiveDateTime> },
    /// Renewing by continuing education: hours dated from `ce_from` (the
    /// start of the current certificate), the texts' current versions, and,
    /// for a certificate that lapsed too long ago, the exam passed since
    /// `exam_since`.
    Continuing {
        ce_from: NaiveDateTime,
        exam_since: Option<NaiveDateTime>,
    },
}

impl Route {
    /// Since when course passes count; `None` when the route doesn't ask for
    /// courses again (they stand from the first certificate).
    pub fn courses_since(self) -> Option<Option<NaiveDateTime>> {
        match self {
            Route::Complete { since } => Some(since),
            Route::Continuing { .. } => None,
        }
    }

    /// Since when an exam pass counts; `None` when the route doesn't ask for the exam.
    pub fn exam_since(self) -> Option<Option<NaiveDateTime>> {
        match self {
            Route::Complete { since } => Some(since),
            Route::Continuing { exam_since, .. } => exam_since.map(Some),
        }
    }
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
            route: Route::Complete { since: None },
            starts: None,
        };
    };
    let ends = latest.expires_at;
    if latest.revoked_at.is_some() || latest.suspended_at.is_some() {
        return Standing::Closed;
    }
    if now < rule.opens(ends) {
        return Standing::Current;
    }
    let in_time = now < rule.grace_ends(ends);
    let route = if rule.by_ce {
        let reexam_from = rule
            .reexam_after_days
            .map(|days| ends + TimeDelta::days(i64::from(days.max(0))));
        Route::Continuing {
            ce_from: latest.valid_from,
            exam_since: reexam_from.filter(|from| now >= *from).map(|_| ends),
        }
    } else if in_time {
        Route::Complete {
            since: Some(rule.opens(ends)),
        }
    } else {
        Route::Complete { since: Some(ends) }
    };
    Standing::Open {
        route,
        starts: in_time.then_some(ends),
    }
}

/// What the learner meets now for the program's next certificate; for a
/// current or closed certificate, the first route (so the record shows
/// everything they did).
pub fn route(conn: &mut DbConnection, learner: UserId, program: &Program, now: NaiveDateTime) -> ServerResult<Route> {
    Ok(match standing(conn, learner, program, now)? {
        Standing::Open { route, .. } => route,
        Standing::Current | Standing::Closed => Route::Complete { since: None },
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
            by_ce: false,
            reexam_after_days: None,
        };
        let latest = Latest {
            id: CertificateId(1),
            sequence: 1,
            valid_from: day("2026-01-01"),
            expires_at: day("2028-01-01"),
            revoked_at: None,
            suspended_at: None,
        };
        let at = |d: &str| standing_of(Some(&latest), rule, day(d));
        assert_eq!(
            standing_of(None, rule, day("2026-01-01")),
            Standing::Open {
                route: Route::Complete { since: None },
                starts: None
            }
        );
        assert_eq!(at("2027-10-02"), Standing::Current);
        let continuous = Standing::Open {
            route: Route::Complete {
                since: Some(day("2027-10-03")),
            },
            starts: Some(day("2028-01-01")),
        };
        assert_eq!(at("2027-10-03"), continuous, "the window opens 90 days before");
        assert_eq!(at("2028-01-30"), continuous, "still in grace");
        assert_eq!(
            at("2028-01-31"),
            Standing::Open {
                route: Route::Complete {
                    since: Some(day("2028-01-01"))
                },
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

    #[test]
    fn renewal_by_continuing_education_asks_the_exam_again_only_long_after_a_lapse() {
        let rule = RenewalRule {
            window_days: 90,
            grace_days: 30,
            by_ce: true,
            reexam_after_days: Some(180),
        };
        let latest = Latest {
            id: CertificateId(1),
            sequence: 1,
            valid_from: day("2026-01-01"),
            expires_at: day("2028-01-01"),
            revoked_at: None,
            suspended_at: None,
        };
        let at = |d: &str| standing_of(Some(&latest), rule, day(d));
        let ce = |exam_since: Option<NaiveDateTime>| Route::Continuing {
            ce_from: day("2026-01-01"),
            exam_since,
        };
        assert_eq!(
            at("2027-11-01"),
            Standing::Open {
                route: ce(None),
                starts: Some(day("2028-01-01"))
            }
        );
        assert_eq!(
            at("2028-03-01"),
            Standing::Open {
                route: ce(None),
                starts: None
            },
            "lapsed: renewing starts when issued, still without the exam"
        );
        assert_eq!(
            at("2028-06-29"),
            Standing::Open {
                route: ce(Some(day("2028-01-01"))),
                starts: None
            },
            "180 days after the end, the exam is needed again"
        );
        assert_eq!(ce(None).exam_since(), None);
        assert_eq!(ce(None).courses_since(), None);
    }
}
