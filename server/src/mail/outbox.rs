//! The outbox table: writing a message once per event, claiming due ones
//! for a sender, and recording how sending went.

use super::letter::{Letter, LetterClass};
use crate::db::DbConnection;
use crate::db::schema::{outbox, users};
use crate::error::{ServerError, ServerResult};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::{MailPreference, OutboxId, UserId};

/// How long a sender may hold claimed messages before another sender may
/// take them over (a sender that died mid-batch).
const LEASE: Duration = Duration::minutes(5);
/// How long a sent message keeps its address, for admins.
const ADDRESS_KEPT: Duration = Duration::days(30);
/// How long a sent message's event key is kept (with nothing else), so an
/// event is never mailed twice: longer than any certificate's life, whose
/// reminders are keyed by it.
const KEY_KEPT: Duration = Duration::days(1200);
/// A message that has failed this many times is shown to admins as failing
/// (it keeps being retried, at most every six hours).
pub const FAILING_AFTER: i32 = 5;

/// The wait before the next try after `tries` failed ones: 30 s, doubling,
/// at most six hours.
fn backoff(tries: i32) -> Duration {
    let seconds = 30i64.saturating_mul(1i64 << tries.clamp(0, 20));
    Duration::seconds(seconds.min(6 * 3600))
}

/// Writes `letter` for `key` (one key per event: a second write of the
/// same key does nothing), unless the person's mail preference turns it
/// down. Call it inside the event's transaction.
pub fn enqueue(
    conn: &mut DbConnection,
    key: &str,
    user: Option<UserId>,
    to: &str,
    letter: &Letter,
    now: NaiveDateTime,
) -> ServerResult<()> {
    if let Some(user) = user {
        let preference: MailPreference = users::table.find(user).select(users::mail_preference).first(conn)?;
        let wanted = match (preference, letter.class()) {
            (_, LetterClass::Reset) | (MailPreference::All, _) => true,
            (MailPreference::Essential, LetterClass::Account) => true,
            (MailPreference::Essential, LetterClass::Optional) | (MailPreference::ResetsOnly, _) => false,
        };
        if !wanted {
            return Ok(());
        }
    }
    let exists = outbox::table.filter(outbox::event_key.eq(key)).select(outbox::id);
    if diesel::select(diesel::dsl::exists(exists)).get_result::<bool>(conn)? {
        return Ok(());
    }
    let json = serde_json::to_string(letter).map_err(|e| ServerError::Corrupt(e.to_string()))?;
    diesel::insert_into(outbox::table)
        .values((
            outbox::event_key.eq(key),
            outbox::user_id.eq(user),
            outbox::to_address.eq(to),
            outbox::letter.eq(json),
            outbox::created_at.eq(now),
            outbox::next_try_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A message claimed for sending.
#[derive(Queryable)]
pub struct Claimed {
    pub id: OutboxId,
    pub to_address: String,
    pub letter: String,
    pub tries: i32,
}

/// The condition of a message that may be claimed now.
macro_rules! due {
    ($now:expr) => {
        outbox::sent_at
            .is_null()
            .and(outbox::next_try_at.le($now))
            .and(outbox::claimed_until.is_null().or(outbox::claimed_until.lt($now)))
    };
}

/// Whether any message is due: an idle sender asks this, a read, instead
/// of taking the write lock every second for nothing (every commit also
/// makes the kept public pages stale).
pub fn any_due(conn: &mut DbConnection, now: NaiveDateTime) -> ServerResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(outbox::table.filter(due!(now)))).get_result(conn)?)
}

/// Claims up to `limit` due messages for `LEASE`, oldest first.
///
/// The claiming UPDATE repeats the conditions in its own WHERE: under
/// PostgreSQL's read committed, a second sender racing for the same rows
/// waits for the first, re-checks that WHERE on the rows as the first left
/// them, and so skips them (what `FOR UPDATE SKIP LOCKED` would give, on
/// one code path for both databases). SQLite runs writers one at a time.
pub fn claim(conn: &mut DbConnection, limit: i64, now: NaiveDateTime) -> ServerResult<Vec<Claimed>> {
    let due = due!(now);
    let candidates: Vec<OutboxId> = outbox::table
        .filter(due)
        .order(outbox::id)
        .limit(limit)
        .select(outbox::id)
        .load(conn)?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    Ok(
        diesel::update(outbox::table.filter(outbox::id.eq_any(candidates)).filter(due))
            .set((
                outbox::claimed_until.eq(now + LEASE),
                outbox::tries.eq(outbox::tries + 1),
            ))
            .returning((outbox::id, outbox::to_address, outbox::letter, outbox::tries))
            .get_results(conn)?,
    )
}

/// Records a delivery and empties the message (it may hold a one-time link).
pub fn mark_sent(conn: &mut DbConnection, id: OutboxId, now: NaiveDateTime) -> ServerResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::sent_at.eq(now),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::letter.eq("{}"),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed try; the message waits for its backoff.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: OutboxId,
    tries: i32,
    error: &str,
    now: NaiveDateTime,
) -> ServerResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::next_try_at.eq(now + backoff(tries)),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(())
}

/// How mail is doing, for admins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailStatus {
    pub waiting: i64,
    pub failing: i64,
    /// The latest error of a failing message, if any.
    pub last_error: Option<String>,
}

pub fn status(conn: &mut DbConnection) -> ServerResult<MailStatus> {
    let waiting = outbox::table
        .filter(outbox::sent_at.is_null())
        .count()
        .get_result(conn)?;
    let failing = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::tries.ge(FAILING_AFTER));
    let last_error = failing
        .order(outbox::id.desc())
        .select(outbox::last_error)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten();
    Ok(MailStatus {
        waiting,
        failing: failing.count().get_result(conn)?,
        last_error,
    })
}

/// Forgets the address of messages sent a while ago, and deletes their
/// keys once no event could repeat.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> ServerResult<()> {
    diesel::update(
        outbox::table
            .filter(outbox::sent_at.lt(now - ADDRESS_KEPT))
            .filter(outbox::to_address.ne("")),
    )
    .set((outbox::to_address.eq(""), outbox::user_id.eq(None::<UserId>)))
    .execute(conn)?;
    diesel::delete(outbox::table.filter(outbox::sent_at.lt(now - KEY_KEPT))).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_from_thirty_seconds_to_six_hours() {
        assert_eq!(backoff(0), Duration::seconds(30));
        assert_eq!(backoff(1), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(960));
        assert_eq!(backoff(30), Duration::hours(6));
    }
}
