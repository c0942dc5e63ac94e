//! Mail that falls due with time rather than with an event: reminders
//! when a certificate's renewal opens, as its end nears, when it ends and
//! when its grace runs out, and each organization admin's weekly digest
//! of members with something to renew. Each has its own event key, so a
//! pass that runs twice (or on two servers) writes each message once.

use super::letter::Letter;
use super::outbox::enqueue;
use crate::db::DbConnection;
use crate::db::schema::{certificates, memberships, organization_admins, programs, users};
use crate::error::ServerResult;
use crate::programs::RenewalRule;
use chrono::{Datelike, Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::{CertificateId, OrganizationId, ProgramId, UserId};
use std::collections::BTreeMap;

/// The digest counts certificates lapsing within this many days.
const DIGEST_WINDOW: Duration = Duration::days(60);
/// Reminders go out no earlier than this before the end (the longest window).
const EARLIEST: Duration = Duration::days(366);

/// The days before a certificate's end (negative: after) when reminders go
/// out under `rule`: when renewal opens (90 days before without a window),
/// 30 and 7 days before, the day it ends, and the day its grace runs out.
pub fn reminder_days(rule: RenewalRule) -> Vec<i64> {
    let opens = if rule.window_days > 0 {
        i64::from(rule.window_days)
    } else {
        90
    };
    let mut days: Vec<i64> = [opens, 30, 7, 0].into_iter().filter(|d| *d <= opens).collect();
    if rule.grace_days > 0 {
        days.push(-i64::from(rule.grace_days));
    }
    days.dedup();
    days
}

/// The reminder due `days_left` days from a certificate's end: the nearest
/// threshold reached (so a late first pass sends one message, not three),
/// none more than a week after the last.
pub fn reminder_due(days_left: i64, thresholds: &[i64]) -> Option<i64> {
    let last = *thresholds.last()?;
    if days_left < last - 7 {
        return None;
    }
    thresholds
        .iter()
        .rev()
        .copied()
        .find(|&threshold| days_left <= threshold)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = certificates, check_for_backend(crate::db::MultiBackend))]
struct Held {
    id: CertificateId,
    user_id: Option<UserId>,
    program_id: ProgramId,
    sequence: i32,
    expires_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
    suspended_at: Option<NaiveDateTime>,
    #[diesel(select_expression = programs::renewal_window_days)]
    window_days: i32,
    #[diesel(select_expression = programs::grace_days)]
    grace_days: i32,
}

impl Held {
    fn rule(&self) -> RenewalRule {
        RenewalRule {
            window_days: self.window_days,
            grace_days: self.grace_days,
            ..RenewalRule::default()
        }
    }
}

/// Each person's newest certificate of each program: an older one that was
/// renewed needs no reminder.
fn newest_certificates(conn: &mut DbConnection, until: NaiveDateTime) -> ServerResult<Vec<Held>> {
    let held: Vec<Held> = certificates::table
        .inner_join(programs::table)
        .filter(certificates::user_id.is_not_null())
        .filter(certificates::expires_at.le(until))
        .select(Held::as_select())
        .load(conn)?;
    let mut newest: BTreeMap<(UserId, ProgramId), Held> = BTreeMap::new();
    for certificate in held {
        let Some(user) = certificate.user_id else { continue };
        let newer = newest
            .get(&(user, certificate.program_id))
            .is_none_or(|kept| kept.sequence < certificate.sequence);
        if newer {
            newest.insert((user, certificate.program_id), certificate);
        }
    }
    // A renewal issued later (further out than `until`) also counts.
    let mut current = Vec::new();
    for ((user, program), certificate) in newest {
        let renewed = certificates::table
            .filter(certificates::user_id.eq(user))
            .filter(certificates::program_id.eq(program))
            .filter(certificates::sequence.gt(certificate.sequence));
        let closed = certificate.revoked_at.is_some() || certificate.suspended_at.is_some();
        if !closed && !diesel::select(diesel::dsl::exists(renewed)).get_result::<bool>(conn)? {
            current.push(certificate);
        }
    }
    Ok(current)
}

/// Writes every reminder and digest due at `now`.
pub fn enqueue_due(conn: &mut DbConnection, now: NaiveDateTime) -> ServerResult<()> {
    for certificate in newest_certificates(conn, now + EARLIEST)? {
        let days_left = (certificate.expires_at.date() - now.date()).num_days();
        let Some(threshold) = reminder_due(days_left, &reminder_days(certificate.rule())) else {
            continue;
        };
        let Some(user) = certificate.user_id else { continue };
        let (email, name): (String, String) = users::table
            .find(user)
            .select((users::email, users::display_name))
            .first(conn)?;
        enqueue(
            conn,
            &format!("renewal:{}:{threshold}", certificate.id),
            Some(user),
            &email,
            &Letter::RenewalReminder {
                name,
                days: days_left,
                grace_days: i64::from(certificate.grace_days),
                path: "/me".into(),
            },
            now,
        )?;
    }
    enqueue_digests(conn, now)
}

fn enqueue_digests(conn: &mut DbConnection, now: NaiveDateTime) -> ServerResult<()> {
    let lapsing: Vec<UserId> = newest_certificates(conn, now + DIGEST_WINDOW)?
        .into_iter()
        .filter(|c| c.expires_at > now - Duration::days(7))
        .filter_map(|c| c.user_id)
        .collect();
    if lapsing.is_empty() {
        return Ok(());
    }
    let members: Vec<(OrganizationId, UserId)> = memberships::table
        .filter(memberships::user_id.eq_any(&lapsing))
        .select((memberships::organization_id, memberships::user_id))
        .load(conn)?;
    let mut counts: BTreeMap<OrganizationId, i64> = BTreeMap::new();
    for (organization, _) in members {
        *counts.entry(organization).or_default() += 1;
    }
    let week = now.date().iso_week();
    for (organization, count) in counts {
        let admins: Vec<(UserId, String, String)> = organization_admins::table
            .inner_join(users::table)
            .filter(organization_admins::organization_id.eq(organization))
            .select((users::id, users::email, users::display_name))
            .load(conn)?;
        for (admin, email, name) in admins {
            enqueue(
                conn,
                &format!("digest:{organization}:{admin}:{}-{}", week.year(), week.week()),
                Some(admin),
                &email,
                &Letter::RenewalDigest {
                    name,
                    members: count,
                    path: "/org".into(),
                },
                now,
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_threshold_reached_is_the_one_sent() {
        let plain = reminder_days(RenewalRule::default());
        assert_eq!(plain, [90, 30, 7, 0]);
        let due = |days| reminder_due(days, &plain);
        assert_eq!(due(120), None);
        assert_eq!(due(90), Some(90));
        assert_eq!(due(45), Some(90));
        assert_eq!(due(30), Some(30));
        assert_eq!(due(8), Some(30));
        assert_eq!(due(7), Some(7));
        assert_eq!(due(1), Some(7));
        assert_eq!(due(0), Some(0));
        assert_eq!(due(-3), Some(0));
        assert_eq!(due(-8), None);
    }

    #[test]
    fn a_window_and_a_grace_move_the_first_and_add_a_last_reminder() {
        let rule = RenewalRule {
            window_days: 60,
            grace_days: 30,
            ..RenewalRule::default()
        };
        let days = reminder_days(rule);
        assert_eq!(days, [60, 30, 7, 0, -30]);
        assert_eq!(reminder_due(61, &days), None);
        assert_eq!(reminder_due(60, &days), Some(60), "when the window opens");
        assert_eq!(reminder_due(-10, &days), Some(0));
        assert_eq!(reminder_due(-30, &days), Some(-30), "when the grace runs out");
        assert_eq!(reminder_due(-38, &days), None);
        let short = RenewalRule {
            window_days: 14,
            ..RenewalRule::default()
        };
        assert_eq!(reminder_days(short), [14, 7, 0]);
    }
}
