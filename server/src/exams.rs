//! A program's final exam: questions drawn from every course of the
//! program (a number from each, as `programs.toml` says), opened once the
//! learner has completed the courses, under its own pass mark and attempt
//! policy. The certificate waits for a pass (see `certificates::issuing`).
//!
//! Sittings, grading and reviews are the learning area's, shared with
//! module quizzes; only where the exam is kept differs.

mod review;
mod sittings;
mod spec;
mod standing;
mod submission;

pub use review::exam_review;
pub use sittings::open_exam;
pub use spec::{ExamSpec, passed_exam};
pub use standing::{exams_of_learner, standing};
pub use submission::{ExamGraded, submit_exam};
