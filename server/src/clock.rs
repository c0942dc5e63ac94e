//! The time, injectable so tests can move it instead of sleeping.

use chrono::{NaiveDateTime, Utc};

/// Where "now" comes from. All stored times are UTC.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> NaiveDateTime;
}

/// The real time.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        Utc::now().naive_utc()
    }
}

/// The real time moved by a fixed offset: lets a test (or a rehearsal of
/// expiry) see the site as it will be, without waiting.
#[derive(Clone, Copy, Debug)]
pub struct OffsetClock(pub chrono::TimeDelta);

impl Clock for OffsetClock {
    fn now(&self) -> NaiveDateTime {
        SystemClock.now() + self.0
    }
}
