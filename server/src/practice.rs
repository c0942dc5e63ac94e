//! What a program asks besides courses and the exam that a person has to
//! do or vouch for: supervised practice a supervisor confirms, and texts the
//! learner signs, role plays a trainer observes. (The learner's record of
//! it all is `crate::record`.)

mod attestations;
mod logs;
mod roleplays;

pub use attestations::{attestation_states, attestations_signed, sign};
pub use logs::{decision_note, log, practice_entries, queue, review, supervised_minutes};
pub use roleplays::{checklists, roleplay_states, roleplays_passed, roleplays_waiting, score};
