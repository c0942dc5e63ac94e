//! What a program asks besides courses and the exam that a person has to
//! do or vouch for: supervised practice a supervisor confirms, and texts the
//! learner signs. (The learner's record of it all is `crate::record`.)

mod attestations;
mod logs;

pub use attestations::{attestation_states, attestations_signed, sign};
pub use logs::{log, practice_entries, queue, review, supervised_minutes};
