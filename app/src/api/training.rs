//! Live sessions and trainings taken elsewhere. Who may schedule, mark
//! and approve is decided on the server.

use crate::dto::{ExternalTrainingId, LiveSessionId, ProgramSessions};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "schedule_session")]
pub async fn schedule_session(
    program: String,
    title: String,
    starts: String,
    place: String,
    category: String,
    hours: String,
    capacity: String,
) -> Result<LiveSessionId, AppError> {
    use super::request::*;
    use crate::dto::SessionForm;
    let actor = require_viewer()?.user_id;
    let form = SessionForm {
        program,
        title,
        starts,
        place,
        category,
        hours,
        capacity,
    };
    ports()?.training.schedule_session(actor, form).await
}

#[server(endpoint = "program_sessions")]
pub async fn load_program_sessions(program: String) -> Result<ProgramSessions, AppError> {
    use super::request::*;
    ports()?
        .training
        .program_sessions(require_viewer()?.user_id, &program)
        .await
}

/// `choice` is "join" or "leave".
#[server(endpoint = "session_seat")]
pub async fn session_seat(session: LiveSessionId, choice: String) -> Result<(), AppError> {
    use super::request::*;
    let actor = require_viewer()?.user_id;
    let ports = ports()?;
    let training = &ports.training;
    match choice.as_str() {
        "join" => training.sign_up(actor, session).await,
        "leave" => training.leave_session(actor, session).await,
        _ => Err(AppError::BadRequest),
    }
}

/// `marks[LEARNER_ID]` is "attended" or "absent".
#[server(endpoint = "record_attendance")]
pub async fn record_attendance(
    session: LiveSessionId,
    #[server(default)] marks: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    use super::request::*;
    use crate::dto::AttendanceForm;
    let actor = require_viewer()?.user_id;
    ports()?
        .training
        .record_attendance(actor, AttendanceForm { session, marks })
        .await
}

#[server(endpoint = "log_training")]
pub async fn log_training(
    program: String,
    title: String,
    provider: String,
    taken_on: String,
    hours: String,
    category: String,
) -> Result<(), AppError> {
    use super::request::*;
    use crate::dto::ExternalTrainingForm;
    let actor = require_viewer()?.user_id;
    let form = ExternalTrainingForm {
        program,
        title,
        provider,
        taken_on,
        hours,
        category,
    };
    ports()?.training.log_training(actor, form).await
}

/// `decision` is "confirm" or "decline".
#[server(endpoint = "review_training")]
pub async fn review_training(
    training: ExternalTrainingId,
    decision: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use super::practice::confirms;
    use super::request::*;
    let actor = require_viewer()?.user_id;
    ports()?
        .training
        .review_training(actor, training, confirms(&decision)?, &note)
        .await
}
