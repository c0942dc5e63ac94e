//! Session tokens and their lifetime.
//!
//! The cookie carries 256 random bits; the database keeps only their
//! SHA-256, so a leaked copy of the sessions table signs nobody in. A session
//! ends after [`IDLE`] without a request or [`ABSOLUTE`] after login,
//! whichever comes first.

use chrono::{Duration, NaiveDateTime};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The session cookie's name. With HTTPS it gets the `__Host-` prefix, which
/// browsers only accept with `Secure`, `Path=/` and no `Domain`.
pub const COOKIE: &str = "holdspace_session";
const SECURE_COOKIE: &str = "__Host-holdspace_session";

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

/// The cookie names this server accepts, the one it sets first.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure { SECURE_COOKIE } else { COOKIE }
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(token: &str, secure: bool) -> String {
    let mut value = format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        cookie_name(secure),
        ABSOLUTE.num_seconds()
    );
    if secure {
        value.push_str("; Secure");
    }
    value
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    let mut value = format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0", cookie_name(secure));
    if secure {
        value.push_str("; Secure");
    }
    value
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

    #[test]
    fn cookies_are_http_only_lax_and_secure_over_https() {
        let plain = set_cookie("abc", false);
        assert!(plain.starts_with("holdspace_session=abc; Path=/; HttpOnly; SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        let secure = set_cookie("abc", true);
        assert!(secure.starts_with("__Host-holdspace_session=abc;"));
        assert!(secure.ends_with("; Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }
}
