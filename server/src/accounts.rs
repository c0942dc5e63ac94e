//! Accounts: who people are, how they sign in, and how guessing is slowed down.

pub mod fields;
pub mod password;
mod registration;
pub mod sessions;
mod sign_in;
pub mod throttle;

pub use password::Passwords;
pub use registration::{NewUser, add_user, register};
pub use sign_in::log_in;
