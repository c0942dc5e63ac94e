//! How a trainer's learners are doing, and practical sign-offs. The store
//! decides who may see a roster: a course's editors, and admins.

use crate::dto::{CourseFollowing, ProgramProgress};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "course_following")]
pub async fn load_course_following(course: String) -> Result<CourseFollowing, AppError> {
    use super::request::*;
    ports()?
        .following
        .course_following(require_viewer()?.user_id, &course)
        .await
}

#[server(endpoint = "program_progress")]
pub async fn load_program_progress(program: String) -> Result<ProgramProgress, AppError> {
    use super::request::*;
    ports()?
        .following
        .program_progress(require_viewer()?.user_id, &program)
        .await
}

#[server(endpoint = "sign_off_practical")]
pub async fn sign_off_practical(
    program: String,
    learner_id: crate::dto::UserId,
    practical: String,
    completed_on: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use super::request::*;
    use crate::dto::SignoffForm;
    let form = SignoffForm {
        program,
        learner_id,
        practical,
        completed_on,
        note,
    };
    ports()?
        .following
        .sign_off_practical(require_viewer()?.user_id, form)
        .await
}

/// Admins assign a trainer to a program by the trainer's email.
#[server(endpoint = "add_program_staff")]
pub async fn add_program_staff(program: String, email: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .following
        .add_program_staff(require_viewer()?.user_id, &program, &email)
        .await
}

/// Opens one more attempt for a learner: at a module's quiz (`course` and
/// `module`) or at a program's exam (`program`).
#[server(endpoint = "grant_attempt")]
pub async fn grant_attempt(
    learner_id: crate::dto::UserId,
    #[server(default)] course: String,
    #[server(default)] module: String,
    #[server(default)] program: String,
) -> Result<(), AppError> {
    use super::request::*;
    use crate::dto::AttemptOn;
    let on = match (course.is_empty(), program.is_empty()) {
        (false, true) if !module.is_empty() => AttemptOn::Quiz { course, module },
        (true, false) => AttemptOn::Exam { program },
        _ => return Err(AppError::BadRequest),
    };
    ports()?
        .following
        .grant_attempt(require_viewer()?.user_id, learner_id, on)
        .await
}
