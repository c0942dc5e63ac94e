//! Training hours: what a program counts by category for a first
//! certificate (its courses' estimates, live sessions attended, trainings
//! taken elsewhere that a trainer approved) and for a renewal (continuing
//! education: sessions and trainings since the certificate started).

mod external;
mod hours;
mod sessions;

pub use external::{log_training, review_training, trainings_of, trainings_waiting};
pub use hours::{categories, hours_of};
pub use sessions::{
    attendance_waiting, leave_session, record_attendance, schedule, sessions_for_learner, sessions_of_program, sign_up,
};
