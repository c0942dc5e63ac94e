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
