//! Sessions: their tokens, their lifetime, starting, finding and ending them.
//!
//! The cookie carries 256 random bits; the database keeps only their
//! SHA-256, so a leaked copy of the sessions table signs nobody in. A session
//! ends after [`IDLE`] without a request or [`ABSOLUTE`] after login,
//! whichever comes first. (The cookie itself is the app's
//! `api::session_cookie`.)

use crate::db::DbConnection;
use crate::db::schema::{sessions, users};
use crate::error::ServerResult;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::{Role, UserId, Viewer};
use holdspace_app::ports::{SessionKey, SignedIn};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How long a session survives without a request.
pub const IDLE: Duration = Duration::hours(2);
/// How long a session survives at most.
pub const ABSOLUTE: Duration = Duration::hours(24);
/// `last_seen_at` is written at most this often, to keep reads read-only.
pub const TOUCH_INTERVAL: Duration = Duration::minutes(5);

/// A new random token, as sent in the cookie (hex).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the database stores for a token.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Whether a session is still alive at `now`.
pub fn is_live(last_seen_at: NaiveDateTime, expires_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    now < expires_at && now < last_seen_at + IDLE
}

/// Whether `last_seen_at` is stale enough to be worth writing.
pub fn needs_touch(last_seen_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    now >= last_seen_at + TOUCH_INTERVAL
}

/// Starts a session for `user`, ending the one the request came with;
/// returns the token for the cookie.
pub fn start(
    conn: &mut DbConnection,
    user: UserId,
    previous: Option<&SessionKey>,
    now: NaiveDateTime,
) -> ServerResult<String> {
    if let Some(previous) = previous {
        diesel::delete(sessions::table.find(&previous.0)).execute(conn)?;
    }
    let token = new_token();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash(&token)),
            sessions::user_id.eq(user),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(now + ABSOLUTE),
        ))
        .execute(conn)?;
    Ok(token)
}

pub fn end(conn: &mut DbConnection, session: &SessionKey) -> ServerResult<()> {
    diesel::delete(sessions::table.find(&session.0)).execute(conn)?;
    Ok(())
}

/// A session with its account, as every request looks it up.
#[derive(Queryable, Selectable)]
#[diesel(table_name = sessions, check_for_backend(crate::db::MultiBackend))]
struct LiveSession {
    last_seen_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    #[diesel(select_expression = users::id)]
    user_id: UserId,
    #[diesel(select_expression = users::display_name)]
    display_name: String,
    #[diesel(select_expression = users::role)]
    role: Role,
}

/// What a look-up leaves to write, done apart so the look-up itself only
/// reads (see [`crate::db::Database::read`]).
#[derive(Debug)]
pub enum Upkeep {
    /// The session is past its end: delete it.
    Ended(SessionKey),
    /// `last_seen_at` is older than [`TOUCH_INTERVAL`]: bring it up to now.
    Seen(SessionKey),
}

/// Who a session (its token's hash, see [`token_hash`]) signs in, if it is
/// alive, and what the look-up leaves to write: an expired session is
/// deleted on sight, and `last_seen_at` is written at most every
/// [`TOUCH_INTERVAL`].
pub fn resolve(
    conn: &mut DbConnection,
    key: SessionKey,
    now: NaiveDateTime,
) -> ServerResult<(Option<SignedIn>, Option<Upkeep>)> {
    let found = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(&key.0))
        .filter(users::disabled_at.is_null())
        .select(LiveSession::as_select())
        .first(conn)
        .optional()?;
    let Some(session) = found else { return Ok((None, None)) };
    if !is_live(session.last_seen_at, session.expires_at, now) {
        return Ok((None, Some(Upkeep::Ended(key))));
    }
    let upkeep = needs_touch(session.last_seen_at, now).then(|| Upkeep::Seen(key.clone()));
    let viewer = Viewer {
        user_id: session.user_id,
        display_name: session.display_name,
        role: session.role,
    };
    Ok((Some(SignedIn { viewer, session: key }), upkeep))
}

/// Writes what [`resolve`] left to write.
pub fn keep_up(conn: &mut DbConnection, upkeep: &Upkeep, now: NaiveDateTime) -> ServerResult<()> {
    match upkeep {
        Upkeep::Ended(key) => end(conn, key),
        Upkeep::Seen(key) => {
            diesel::update(sessions::table.find(&key.0))
                .set(sessions::last_seen_at.eq(now))
                .execute(conn)?;
            Ok(())
        }
    }
}

/// Deletes sessions past their end.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> ServerResult<()> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now).or(sessions::last_seen_at.le(now - IDLE))))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(hour, minute, 0)
            .unwrap()
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_stored() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 32);
        assert_ne!(token_hash(&a), a.as_bytes());
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn a_session_expires_when_idle() {
        let login = at(9, 0);
        let expires = login + ABSOLUTE;
        assert!(is_live(login, expires, at(10, 59)));
        assert!(!is_live(login, expires, at(11, 0)));
        // Activity keeps it alive...
        assert!(is_live(at(12, 30), expires, at(13, 0)));
    }

    #[test]
    fn a_session_expires_absolutely_however_active() {
        let login = at(9, 0);
        let expires = login + ABSOLUTE;
        let just_active = expires - Duration::minutes(1);
        assert!(is_live(just_active, expires, expires - Duration::seconds(1)));
        assert!(!is_live(just_active, expires, expires));
    }

    #[test]
    fn last_seen_is_written_only_every_few_minutes() {
        assert!(!needs_touch(at(9, 0), at(9, 4)));
        assert!(needs_touch(at(9, 0), at(9, 5)));
    }
}
