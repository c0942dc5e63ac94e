//! Who a session token belongs to, remembered for [`FRESH`], so that a page,
//! its server functions and the next page do not each read the sessions
//! table.
//!
//! What could change the answer (signing out or in, a password reset, an
//! administrator changing a role or closing an account, deleting one) is
//! always a state-changing request, and any such request makes this
//! instance forget everything it remembered (see
//! [`crate::http`]'s session layer). Another instance on the same
//! database, and `holdspace user` run beside the site, are seen within
//! [`FRESH`]: at most that long, a session ended elsewhere still opens
//! pages here.

use holdspace_app::ports::SignedIn;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an answer is used before the database is asked again.
pub const FRESH: Duration = Duration::from_secs(5);

/// Entries past which stale ones are swept out before adding another.
const SWEEP_AT: usize = 10_000;

/// When an answer was read, and who it was (`None`: no live session).
type Answer = (Instant, Option<SignedIn>);

#[derive(Default)]
pub struct SessionCache {
    /// By the token's hash, as the sessions table keys them.
    known: Mutex<HashMap<Vec<u8>, Answer>>,
}

impl SessionCache {
    /// The remembered answer for this token hash, if still fresh (`Some(None)`:
    /// known to open no session).
    pub fn get(&self, key: &[u8], now: Instant) -> Option<Option<SignedIn>> {
        let known = self.known();
        let (at, found) = known.get(key)?;
        (now.duration_since(*at) < FRESH).then(|| found.clone())
    }

    pub fn remember(&self, key: Vec<u8>, found: Option<SignedIn>, now: Instant) {
        let mut known = self.known();
        if known.len() >= SWEEP_AT {
            known.retain(|_, (at, _)| now.duration_since(*at) < FRESH);
        }
        if known.len() < SWEEP_AT {
            known.insert(key, (now, found));
        }
    }

    /// Forgets every answer: something may have changed who is signed in.
    pub fn forget_all(&self) {
        self.known().clear();
    }

    fn known(&self) -> std::sync::MutexGuard<'_, HashMap<Vec<u8>, Answer>> {
        // A panic elsewhere cannot leave the map half-written: keep using it.
        self.known.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use holdspace_app::dto::{Role, UserId, Viewer};
    use holdspace_app::ports::SessionKey;

    fn ana() -> SignedIn {
        SignedIn {
            viewer: Viewer {
                user_id: UserId(1),
                display_name: "Ana".into(),
                role: Role::Learner,
            },
            session: SessionKey(vec![1]),
        }
    }

    #[test]
    fn an_answer_is_used_while_fresh_and_never_after() {
        let cache = SessionCache::default();
        let start = Instant::now();
        cache.remember(vec![1], Some(ana()), start);
        cache.remember(vec![2], None, start);
        assert!(cache.get(&[1], start + FRESH / 2).unwrap().is_some());
        assert!(cache.get(&[2], start).unwrap().is_none(), "known to be no session");
        assert!(cache.get(&[1], start + FRESH).is_none(), "stale: ask the database");
        assert!(cache.get(&[3], start).is_none());
    }

    #[test]
    fn forgetting_drops_every_answer() {
        let cache = SessionCache::default();
        let start = Instant::now();
        cache.remember(vec![1], Some(ana()), start);
        cache.forget_all();
        assert!(cache.get(&[1], start).is_none());
    }
}
