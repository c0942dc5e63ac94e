//! Throttling policy: what is counted, how many events are free, and how
//! long to wait after that. Counting happens in the database
//! (`throttle_events`) so that several app instances share it.
//!
//! Past its free allowance a counter asks for a growing wait after its
//! latest event: 30 seconds, then a minute, two, four… up to fifteen
//! minutes. Failed sign-ins are counted three ways:
//!
//! - per address, so one machine cannot try many accounts;
//! - per account, so many machines cannot share the guessing of one;
//! - per account *and* address, which decides whom the account's count
//!   applies to: only addresses that have themselves failed for that
//!   account. Someone guessing a person's password from elsewhere can
//!   therefore never lock the real owner out: from an address that has
//!   made no mistake for the account, the right password always works.
//!
//! Behind a reverse proxy the address is the client's, not the proxy's
//! (see `http::client_address`).

use crate::db::DbConnection;
use crate::db::schema::throttle_events;
use crate::error::ServerResult;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::UserId;
use holdspace_app::error::AppError;

/// What a counter counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject<'a> {
    /// Failed sign-ins from an address.
    SignInAddress(&'a str),
    /// Failed sign-ins to an account (by normalized email).
    SignInAccount(&'a str),
    /// Failed sign-ins to an account from one address.
    SignInAccountFromAddress { email: &'a str, address: &'a str },
    /// Accounts created from an address.
    Registration(&'a str),
    /// Wrong passwords when deleting an account.
    AccountDeletion(UserId),
    /// Wrong current passwords when changing the password.
    PasswordChange(UserId),
    /// Password reset links asked for from an address.
    ResetRequest(&'a str),
}

impl Subject<'_> {
    /// The key stored in `throttle_events.subject`.
    pub fn key(&self) -> String {
        match self {
            Subject::SignInAddress(address) => format!("sign-in-address:{address}"),
            Subject::SignInAccount(email) => format!("sign-in-account:{email}"),
            Subject::SignInAccountFromAddress { email, address } => format!("sign-in-pair:{email}|{address}"),
            Subject::Registration(address) => format!("registration:{address}"),
            Subject::AccountDeletion(user_id) => format!("account-deletion:{user_id}"),
            Subject::PasswordChange(user_id) => format!("password-change:{user_id}"),
            Subject::ResetRequest(address) => format!("reset-request:{address}"),
        }
    }

    /// The key prefixes that name a person, for deleting their account.
    pub fn keys_naming(email: &str, user_id: UserId) -> [String; 4] {
        [
            Subject::SignInAccount(email).key(),
            format!("sign-in-pair:{email}|"),
            Subject::AccountDeletion(user_id).key(),
            Subject::PasswordChange(user_id).key(),
        ]
    }
}

/// Failed sign-ins from one address before it waits (high: people share
/// addresses behind NAT and in libraries).
pub const SIGN_IN_FREE_PER_ADDRESS: usize = 20;
/// Failed sign-ins to one account before the addresses that failed wait.
pub const SIGN_IN_FREE_PER_ACCOUNT: usize = 5;
/// Accounts created from one address in an hour before it waits: enough
/// for a training evening where a group registers on one venue's network.
pub const REGISTRATIONS_FREE: usize = 20;
/// Wrong passwords when deleting an account before it waits.
pub const DELETIONS_FREE: usize = 3;
/// Wrong current passwords when changing it before it waits.
pub const PASSWORD_CHANGES_FREE: usize = 5;
/// Reset links asked for from one address in an hour before it waits, so
/// nobody can fill someone's mailbox with them.
pub const RESET_REQUESTS_FREE: usize = 10;

/// The recent failed sign-ins that bear on one attempt.
#[derive(Debug, Default)]
pub struct SignInHistory {
    pub from_address: Vec<NaiveDateTime>,
    pub to_account: Vec<NaiveDateTime>,
    pub to_account_from_address: Vec<NaiveDateTime>,
}

/// How long this attempt must wait, if at all: the address's own wait, and
/// the account's, which applies only if this address has failed for it.
pub fn sign_in_wait(history: &SignInHistory, now: NaiveDateTime) -> Option<Duration> {
    let address = retry_after(&history.from_address, SIGN_IN_FREE_PER_ADDRESS, now);
    let failed_here = history.to_account_from_address.iter().any(|t| *t > now - WINDOW);
    let account = if failed_here {
        retry_after(&history.to_account, SIGN_IN_FREE_PER_ACCOUNT, now)
    } else {
        None
    };
    address.max(account)
}

/// Events are counted over this window; older ones are swept away.
pub const WINDOW: Duration = Duration::hours(1);
/// The first wait past the free allowance; each further event doubles it.
const FIRST_WAIT: Duration = Duration::seconds(30);
/// The longest wait.
pub const MAX_WAIT: Duration = Duration::minutes(15);

/// Given the times of one counter's recent events (any order) and how many
/// are free, how long until the next is allowed, if it is not allowed now.
pub fn retry_after(events: &[NaiveDateTime], free: usize, now: NaiveDateTime) -> Option<Duration> {
    let recent: Vec<NaiveDateTime> = events.iter().copied().filter(|t| *t > now - WINDOW).collect();
    let over = recent.len().checked_sub(free)?;
    let latest = *recent.iter().max()?;
    let doublings = u32::try_from(over).unwrap_or(u32::MAX).min(10);
    let wait = (FIRST_WAIT * 2_i32.pow(doublings)).min(MAX_WAIT);
    let remaining = latest + wait - now;
    (remaining > Duration::zero()).then_some(remaining.max(Duration::seconds(1)))
}

/// Whole seconds to wait, at least one, for a `Retry-After` header.
pub fn seconds(wait: Duration) -> u64 {
    u64::try_from(wait.num_seconds()).unwrap_or(0).max(1)
}

/// Counts one event for each subject, forgetting that subject's events older than the window.
pub fn record(conn: &mut DbConnection, subjects: &[Subject<'_>], now: NaiveDateTime) -> ServerResult<()> {
    for subject in subjects {
        let key = subject.key();
        diesel::delete(
            throttle_events::table
                .filter(throttle_events::subject.eq(&key))
                .filter(throttle_events::at.le(now - WINDOW)),
        )
        .execute(conn)?;
        diesel::insert_into(throttle_events::table)
            .values((throttle_events::subject.eq(&key), throttle_events::at.eq(now)))
            .execute(conn)?;
    }
    Ok(())
}

/// The times of a subject's events within the window.
pub fn recent(conn: &mut DbConnection, subject: &Subject<'_>, now: NaiveDateTime) -> ServerResult<Vec<NaiveDateTime>> {
    Ok(throttle_events::table
        .filter(throttle_events::subject.eq(subject.key()))
        .filter(throttle_events::at.gt(now - WINDOW))
        .select(throttle_events::at)
        .load(conn)?)
}

/// Refuses with the wait if `subject` has had its `free` events.
pub fn check(conn: &mut DbConnection, subject: &Subject<'_>, free: usize, now: NaiveDateTime) -> ServerResult<()> {
    match retry_after(&recent(conn, subject, now)?, free, now) {
        Some(wait) => Err(throttled(wait)),
        None => Ok(()),
    }
}

/// The error that asks for patience.
pub fn throttled(wait: Duration) -> crate::error::ServerError {
    AppError::Throttled {
        retry_after_secs: seconds(wait),
    }
    .into()
}

/// Deletes every counter past its window.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> ServerResult<()> {
    diesel::delete(throttle_events::table.filter(throttle_events::at.le(now - WINDOW))).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(minute: u32, second: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(9, minute, second)
            .unwrap()
    }

    #[test]
    fn under_the_allowance_is_allowed() {
        let events = [at(0, 0), at(1, 0), at(2, 0), at(3, 0)];
        assert_eq!(retry_after(&events, 5, at(4, 0)), None);
    }

    #[test]
    fn past_the_allowance_the_wait_grows_from_the_latest_event() {
        let five = [at(0, 0), at(1, 0), at(2, 0), at(3, 0), at(4, 0)];
        assert_eq!(retry_after(&five, 5, at(4, 10)), Some(Duration::seconds(20)));
        assert_eq!(retry_after(&five, 5, at(4, 30)), None);
        let seven = [at(0, 0), at(1, 0), at(2, 0), at(3, 0), at(4, 0), at(5, 0), at(6, 0)];
        assert_eq!(retry_after(&seven, 5, at(6, 0)), Some(Duration::minutes(2)));
        let many: Vec<NaiveDateTime> = (0..40).map(|s| at(10, s)).collect();
        assert_eq!(retry_after(&many, 5, at(10, 39)), Some(MAX_WAIT));
    }

    #[test]
    fn old_events_do_not_count() {
        let events = [at(0, 0), at(1, 0), at(2, 0), at(3, 0), at(4, 0)];
        assert_eq!(retry_after(&events, 5, at(4, 0) + WINDOW), None);
    }

    #[test]
    fn a_guessed_account_waits_only_where_the_guessing_happens() {
        let guesses: Vec<NaiveDateTime> = (0..8).map(|s| at(5, s)).collect();
        let attacker = SignInHistory {
            from_address: guesses.clone(),
            to_account: guesses.clone(),
            to_account_from_address: guesses.clone(),
        };
        assert!(sign_in_wait(&attacker, at(5, 10)).is_some());
        let owner_elsewhere = SignInHistory {
            to_account: guesses,
            ..SignInHistory::default()
        };
        assert_eq!(sign_in_wait(&owner_elsewhere, at(5, 10)), None);
    }

    #[test]
    fn keys_that_name_a_person_cover_their_counters() {
        let keys = Subject::keys_naming("ana@example.org", UserId(7));
        assert!(keys.contains(&Subject::SignInAccount("ana@example.org").key()));
        let pair = Subject::SignInAccountFromAddress {
            email: "ana@example.org",
            address: "192.0.2.1",
        }
        .key();
        assert!(pair.starts_with(&keys[1]));
        assert!(keys.contains(&Subject::AccountDeletion(UserId(7)).key()));
    }
}
