//! A learner's record, the practice they log and the texts they sign; a
//! supervisor's queue. Who may confirm what is decided on the server.

use crate::dto::{LearnerRecord, PracticeLogId, TrainerQueue};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "learner_record")]
pub async fn load_record() -> Result<LearnerRecord, AppError> {
    use super::request::*;
    ports()?.practice.record(require_viewer()?.user_id).await
}

#[server(endpoint = "log_practice")]
pub async fn log_practice(
    program: String,
    practiced_on: String,
    hours: String,
    role: String,
    supervisor_email: String,
) -> Result<(), AppError> {
    use super::request::*;
    use crate::dto::PracticeLogForm;
    let actor = require_viewer()?.user_id;
    let form = PracticeLogForm {
        program,
        practiced_on,
        hours,
        role,
        supervisor_email,
    };
    ports()?.practice.log_practice(actor, form).await
}

/// Signing needs the box ticked: a signature is a choice, never a default.
#[server(endpoint = "sign_attestation")]
pub async fn sign_attestation(
    program: String,
    key: String,
    version: i32,
    #[server(default)] agree: String,
) -> Result<(), AppError> {
    use super::request::*;
    let actor = require_viewer()?.user_id;
    if agree != "yes" {
        return Err(AppError::Invalid(
            "To sign, please tick the box that says you have read it and agree.".into(),
        ));
    }
    ports()?.practice.sign_attestation(actor, &program, &key, version).await
}

#[server(endpoint = "trainer_queue")]
pub async fn load_trainer_queue() -> Result<TrainerQueue, AppError> {
    use super::request::*;
    ports()?.practice.trainer_queue(require_viewer()?.user_id).await
}

/// A reviewer's "confirm" or "decline".
#[cfg(feature = "ssr")]
pub(crate) fn confirms(decision: &str) -> Result<bool, AppError> {
    match decision {
        "confirm" => Ok(true),
        "decline" => Ok(false),
        _ => Err(AppError::BadRequest),
    }
}

/// `decision` is "confirm" or "decline".
#[server(endpoint = "review_practice")]
pub async fn review_practice(
    log: PracticeLogId,
    decision: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use super::request::*;
    let actor = require_viewer()?.user_id;
    ports()?
        .practice
        .review_practice(actor, log, confirms(&decision)?, &note)
        .await
}

/// A trainer's marks for an observed role play: `marks[ITEM]` is "met" or
/// "not_yet", `notes[ITEM]` an optional note.
#[server(endpoint = "score_roleplay")]
pub async fn score_roleplay(
    program: String,
    learner_id: crate::dto::UserId,
    roleplay: String,
    observed_on: String,
    #[server(default)] marks: std::collections::BTreeMap<String, String>,
    #[server(default)] notes: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    use super::request::*;
    use crate::dto::RoleplayForm;
    let actor = require_viewer()?.user_id;
    let form = RoleplayForm {
        program,
        learner_id,
        roleplay,
        observed_on,
        marks,
        notes,
    };
    ports()?.practice.score_roleplay(actor, form).await
}

#[server(endpoint = "load_reflections")]
pub async fn load_reflections(course: String) -> Result<crate::dto::Reflections, AppError> {
    use super::request::*;
    ports()?.practice.reflections(require_viewer()?.user_id, &course).await
}

#[server(endpoint = "save_reflection")]
pub async fn save_reflection(
    course: String,
    prompt: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    use super::request::*;
    let actor = require_viewer()?.user_id;
    ports()?
        .practice
        .save_reflection(actor, &course, &prompt, &answer)
        .await
}

/// Deleting needs the box ticked: it can't be undone.
#[server(endpoint = "delete_reflections")]
pub async fn delete_reflections(course: String, #[server(default)] sure: String) -> Result<(), AppError> {
    use super::request::*;
    let actor = require_viewer()?.user_id;
    if sure != "yes" {
        return Err(AppError::Invalid(
            "To delete your answers, please tick the box first. Nothing was deleted.".into(),
        ));
    }
    ports()?.practice.delete_reflections(actor, &course).await
}
