//! Accounts: who people are, how they sign in, and how guessing is slowed down.

pub mod address_change;
pub mod admin;
pub mod confirmation;
pub mod fields;
pub mod one_time_links;
pub mod password;
pub mod recovery;
mod registration;
pub mod session_cache;
pub mod sessions;
pub mod settings;
mod sign_in;
pub mod throttle;

pub use password::Passwords;
pub use registration::{NewUser, add_user, register};
pub use sign_in::log_in;
