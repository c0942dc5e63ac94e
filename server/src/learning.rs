//! The learning loop: the catalog and outlines, enrolling, reading, quiz
//! sittings, grading and reviews, and a learner's progress. Every function
//! takes the learner's id and touches only that learner's records.
//!
//! Nothing here issues certificates: a passed quiz reports what it
//! completed, and the caller (the learning port) asks the certificates area
//! in the same transaction, so that neither area depends on the other.

mod catalog;
mod enrollment;
mod models;
mod progress;
mod questions;
mod reading;
mod review;
pub mod scoring;
mod sittings;
mod submission;

pub use catalog::{catalog, course_outline};
pub use enrollment::{enroll, enrollment, mark_complete_if_done};
pub use models::{CurrentCourse, ModuleRow};
pub use progress::{course_progress, enrolled_courses, passed_every_quiz};
pub use questions::{Question, module_questions};
pub use reading::module;
pub use review::attempt_review;
pub use sittings::open_quiz;
pub use submission::{Graded, existing_attempt, submit_quiz};
