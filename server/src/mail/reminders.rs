//! Mail that falls due with time rather than with an event: reminders
//! before a certificate lapses, and each organization admin's weekly digest
//! of members with something to renew. Each has its own event key, so a
//! pass that runs twice (or on two servers) writes each message once.

use super::letter::Letter;
use super::outbox::enqueue;
use crate::db::DbConnection;
use crate::db::schema::{certificates, memberships, organization_admins, users};
use crate::error::ServerResult;
use chrono::{Datelike, Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::{CertificateId, OrganizationId, ProgramId, UserId};
use std::collections::BTreeMap;

/// Days before the lapse that a reminder goes out; 0 is the day itself.
pub const REMINDER_DAYS: [i64; 4] = [90, 30, 7, 0];
/// The digest counts certificates lapsing within this many days.
const DIGEST_WINDOW: Duration = Duration::days(60);

/// The reminder due for a certificate `days_left` days from its lapse: the
/// nearest threshold reached (so a late first pass sends one message, not
/// three), none more than a week after the lapse.
pub fn reminder_due(days_left: i64) -> Option<i64> {
    if days_left < -7 {
        return None;
    }
    REMINDER_DAYS
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
}

/// Each person's newest certificate of each program: an older one that was
/// renewed needs no reminder.
fn newest_certificates(conn: &mut DbConnection, until: NaiveDateTime) -> ServerResult<Vec<Held>> {
    let held: Vec<Held> = certificates::table
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
        if certificate.revoked_at.is_none() && !diesel::select(diesel::dsl::exists(renewed)).get_result::<bool>(conn)? {
            current.push(certificate);
        }
    }
    Ok(current)
}

/// Writes every reminder and digest due at `now`.
pub fn enqueue_due(conn: &mut DbConnection, now: NaiveDateTime) -> ServerResult<()> {
    for certificate in newest_certificates(conn, now + Duration::days(REMINDER_DAYS[0]))? {
        let days_left = (certificate.expires_at.date() - now.date()).num_days();
        let Some(threshold) = reminder_due(days_left) else {
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
                days: days_left.max(0),
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
        assert_eq!(reminder_due(120), None);
        assert_eq!(reminder_due(90), Some(90));
        assert_eq!(reminder_due(45), Some(90));
        assert_eq!(reminder_due(30), Some(30));
        assert_eq!(reminder_due(8), Some(30));
        assert_eq!(reminder_due(7), Some(7));
        assert_eq!(reminder_due(1), Some(7));
        assert_eq!(reminder_due(0), Some(0));
        assert_eq!(reminder_due(-3), Some(0));
        assert_eq!(reminder_due(-8), None);
    }
}
