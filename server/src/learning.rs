//! The learning loop: the catalog and outlines, enrolling, reading, quiz
//! sittings, grading and reviews, and a learner's progress. Every function
//! takes the learner's id and touches only that learner's records.
//!
//! Nothing here issues certificates: a passed quiz reports what it
//! completed, and the caller (the learning port) asks the certificates area
//! in the same transaction, so that neither area depends on the other.

mod attempt_policy;
mod catalog;
mod draw;
mod enrollment;
mod grants;
mod models;
mod progress;
mod published;
mod questions;
mod reading;
mod reflections;
mod review;
pub mod scoring;
mod sheet;
mod sittings;
mod submission;

pub use attempt_policy::{NotYet, next_attempt};
pub use catalog::{catalog, course_outline};
pub use draw::{Drawn, Quota, draw};
pub use enrollment::{enroll, enrollment, mark_complete_if_done};
pub use grants::{GrantFor, grant, spend as spend_grant, unused as unused_grant};
pub use models::{CurrentCourse, ModuleRow, QuizRules};
pub use progress::{course_progress, enrolled_courses, passed_every_quiz};
pub use published::{PublishedModules, PublishedVersions};
pub use questions::{AnswerOption, Question, module_questions, questions_by_id};
pub use reading::{ModuleVisit, Progress, module, save_progress};
pub use reflections::{delete_reflections, reflections_of, save_reflection};
pub use review::{attempt_review, passed_module};
pub use sheet::{Marked, Shown, StoredAnswer, about, form_questions, mark, reviewed, shown};
pub use sittings::{SavedAnswers, open_quiz, saved_answers};
pub use submission::{Graded, existing_attempt, submit_quiz};
