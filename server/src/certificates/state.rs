//! A certificate's state at a moment, decided in this one place: the
//! verify page, the JSON API, rosters and bulk checks all ask here.

use crate::db::schema::{certificates, programs};
use crate::programs::RenewalRule;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{CertificateId, CertificateStatus};

/// What a certificate's state depends on, as stored.
#[derive(Clone, Copy, Debug)]
pub struct StateFacts {
    pub valid_from: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked: bool,
    pub suspended: bool,
    /// A renewal was issued to follow it.
    pub replaced: bool,
    pub renewal: RenewalRule,
}

/// The columns a state is decided from, for queries that join `programs`.
#[derive(Clone, Copy, Debug, Queryable, Selectable)]
#[diesel(table_name = certificates, check_for_backend(crate::db::MultiBackend))]
pub struct StoredState {
    pub valid_from: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub suspended_at: Option<NaiveDateTime>,
    pub replaced_by_id: Option<CertificateId>,
    #[diesel(select_expression = programs::renewal_window_days)]
    pub window_days: i32,
    #[diesel(select_expression = programs::grace_days)]
    pub grace_days: i32,
}

impl StoredState {
    pub fn renewal(&self) -> RenewalRule {
        RenewalRule {
            window_days: self.window_days,
            grace_days: self.grace_days,
            // How a renewal is earned doesn't change the state.
            ..RenewalRule::default()
        }
    }

    pub fn at(&self, now: NaiveDateTime) -> CertificateStatus {
        state_at(
            StateFacts {
                valid_from: self.valid_from,
                expires_at: self.expires_at,
                revoked: self.revoked_at.is_some(),
                suspended: self.suspended_at.is_some(),
                replaced: self.replaced_by_id.is_some(),
                renewal: self.renewal(),
            },
            now,
        )
    }
}

/// The state at `now`. A person's decision (revoked, suspended) outranks
/// dates; a renewed certificate stays valid to its end, then is replaced.
pub fn state_at(facts: StateFacts, now: NaiveDateTime) -> CertificateStatus {
    let StateFacts {
        valid_from,
        expires_at,
        renewal,
        ..
    } = facts;
    if facts.revoked {
        CertificateStatus::Revoked
    } else if facts.suspended {
        CertificateStatus::Suspended
    } else if now < valid_from {
        CertificateStatus::Upcoming
    } else if now < expires_at {
        if facts.replaced || now < renewal.opens(expires_at) {
            CertificateStatus::Valid
        } else {
            CertificateStatus::RenewalDue
        }
    } else if facts.replaced {
        CertificateStatus::Replaced
    } else if now < renewal.grace_ends(expires_at) {
        CertificateStatus::Grace
    } else {
        CertificateStatus::Expired
    }
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

    fn facts() -> StateFacts {
        StateFacts {
            valid_from: day("2026-01-01"),
            expires_at: day("2028-01-01"),
            revoked: false,
            suspended: false,
            replaced: false,
            renewal: RenewalRule {
                window_days: 90,
                grace_days: 30,
                ..RenewalRule::default()
            },
        }
    }

    #[test]
    fn dates_move_a_certificate_through_window_grace_and_lapse() {
        use CertificateStatus::*;
        let at = |d: &str| state_at(facts(), day(d));
        assert_eq!(at("2025-12-31"), Upcoming);
        assert_eq!(at("2026-01-01"), Valid);
        assert_eq!(at("2027-10-02"), Valid, "91 days before the end");
        assert_eq!(at("2027-10-03"), RenewalDue, "90 days before the end");
        assert_eq!(at("2027-12-31"), RenewalDue);
        assert_eq!(at("2028-01-01"), Grace, "the day it ends");
        assert_eq!(at("2028-01-30"), Grace);
        assert_eq!(at("2028-01-31"), Expired, "30 days after");
    }

    #[test]
    fn decisions_outrank_dates_and_a_renewal_replaces_at_the_end() {
        use CertificateStatus::*;
        let renewed = StateFacts {
            replaced: true,
            ..facts()
        };
        assert_eq!(state_at(renewed, day("2027-12-01")), Valid, "renewed: no reminder");
        assert_eq!(state_at(renewed, day("2028-01-01")), Replaced);
        let suspended = StateFacts {
            suspended: true,
            ..renewed
        };
        assert_eq!(state_at(suspended, day("2026-06-01")), Suspended);
        let revoked = StateFacts {
            revoked: true,
            ..suspended
        };
        assert_eq!(state_at(revoked, day("2026-06-01")), Revoked);
        let no_window = StateFacts {
            renewal: RenewalRule::default(),
            ..facts()
        };
        assert_eq!(state_at(no_window, day("2027-12-31")), Valid);
        assert_eq!(state_at(no_window, day("2028-01-01")), Expired);
    }
}
