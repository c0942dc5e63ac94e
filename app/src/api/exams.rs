//! A program's final exam.

use crate::dto::{ExamAttemptId, ExamReview, ExamSheet, ExamSittingId};
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[server(endpoint = "open_exam")]
pub async fn load_exam(program_slug: String) -> Result<ExamSheet, AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    ports()?.exams.open_exam(viewer.user_id, &program_slug).await
}

/// Grades the exam and shows the result; the form is the quiz's.
#[server(endpoint = "submit_exam")]
pub async fn submit_exam(
    program_slug: String,
    sitting_id: ExamSittingId,
    #[server(default)] answers: BTreeMap<String, String>,
) -> Result<(), AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    let answers = super::learning::parse_answers(&answers)?;
    let attempt = ports()?.exams.submit_exam(viewer.user_id, sitting_id, answers).await?;
    redirect_to(&format!("/programs/{program_slug}/exam/attempts/{attempt}"));
    Ok(())
}

#[server(endpoint = "exam_attempt")]
pub async fn load_exam_review(attempt_id: ExamAttemptId) -> Result<ExamReview, AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    ports()?.exams.exam_attempt(viewer.user_id, attempt_id).await
}
