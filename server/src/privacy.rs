//! A person's own data: all of it as JSON on request, and deleting the
//! account.
//!
//! Deleting removes the account and everything that hangs off it (the
//! foreign keys cascade: sessions, enrollments, reading, sittings, attempts
//! and answers, sign-offs, course editing rights). Issued certificates stay,
//! with the holder's name as printed, so that a code already handed to an
//! organization still verifies; only the link to the account goes.

mod deletion;
mod export;

pub use deletion::{DELETED_ACCOUNT, delete_own_account};
pub use export::personal_data;
