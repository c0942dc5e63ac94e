//! Following learners: a course's roster and question statistics for its
//! editors, and a program's progress for its staff.

mod course_roster;
mod program_progress;
pub mod statistics;

pub use course_roster::course_following;
pub use program_progress::program_progress;
