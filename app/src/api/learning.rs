//! Courses, modules, quizzes and progress.

use crate::dto::{AttemptReview, CourseCard, CourseOutline, Dashboard, ModuleAccess, QuizSheet};
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[server(endpoint = "catalog")]
pub async fn load_catalog() -> Result<Vec<CourseCard>, AppError> {
    use super::request::*;
    ports()?.learning.catalog(viewer().map(|v| v.user_id)).await
}

#[server(endpoint = "course_outline")]
pub async fn load_course_outline(slug: String) -> Result<CourseOutline, AppError> {
    use super::request::*;
    ports()?
        .learning
        .course_outline(&slug, viewer().map(|v| v.user_id))
        .await
}

/// Enrolls the learner and opens the module where they stopped (or the first).
#[server(endpoint = "enroll")]
pub async fn enroll(course_slug: String) -> Result<(), AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    let module = ports()?.learning.enroll(viewer.user_id, &course_slug).await?;
    redirect_to(&format!("/courses/{course_slug}/{}", module.slug));
    Ok(())
}

/// A module for reading; opening it records it as where the learner is.
#[server(endpoint = "module")]
pub async fn load_module(course_slug: String, module_slug: String, past_note: bool) -> Result<ModuleAccess, AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    ports()?
        .learning
        .module(viewer.user_id, &course_slug, &module_slug, past_note)
        .await
}

#[server(endpoint = "open_quiz")]
pub async fn load_quiz(course_slug: String, module_slug: String) -> Result<QuizSheet, AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    ports()?
        .learning
        .open_quiz(viewer.user_id, &course_slug, &module_slug)
        .await
}

/// Grades a quiz and shows the result.
///
/// Form fields: `answers[QUESTION_ID]=POSITION` for a single choice and
/// `answers[QUESTION_ID/POSITION]=POSITION` for each ticked box of a
/// multiple choice (a checkbox needs a name of its own).
#[server(endpoint = "submit_quiz")]
pub async fn submit_quiz(
    course_slug: String,
    module_slug: String,
    sitting_id: crate::dto::SittingId,
    #[server(default)] answers: BTreeMap<String, String>,
) -> Result<(), AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    let answers = parse_answers(&answers)?;
    let attempt_id = ports()?
        .learning
        .submit_quiz(viewer.user_id, sitting_id, answers)
        .await?;
    redirect_to(&format!(
        "/courses/{course_slug}/{module_slug}/quiz/attempts/{attempt_id}"
    ));
    Ok(())
}

/// Turns posted form fields into question id → chosen positions.
#[cfg(feature = "ssr")]
pub(crate) fn parse_answers(fields: &BTreeMap<String, String>) -> Result<crate::ports::Answers, AppError> {
    let mut answers = crate::ports::Answers::new();
    for (key, value) in fields {
        let question = key.split('/').next().unwrap_or(key);
        let position: u32 = value.trim().parse().map_err(|_| AppError::BadRequest)?;
        answers.entry(question.to_owned()).or_default().push(position);
    }
    for positions in answers.values_mut() {
        positions.sort_unstable();
        positions.dedup();
    }
    Ok(answers)
}

#[server(endpoint = "attempt")]
pub async fn load_attempt_review(attempt_id: crate::dto::AttemptId) -> Result<AttemptReview, AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    ports()?.learning.attempt(viewer.user_id, attempt_id).await
}

#[server(endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    ports()?.learning.dashboard(viewer.user_id).await
}

/// One of the organization's own pages (sanitized HTML), for everyone.
#[server(endpoint = "local_page")]
pub async fn load_local_page(page: crate::dto::LocalPage) -> Result<Option<String>, AppError> {
    super::request::ports()?.learning.local_page(page).await
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn checkbox_and_radio_fields_become_positions_per_question() {
        let fields = BTreeMap::from([
            ("q1".to_owned(), "2".to_owned()),
            ("q2/0".to_owned(), "0".to_owned()),
            ("q2/3".to_owned(), "3".to_owned()),
        ]);
        let answers = parse_answers(&fields).unwrap();
        assert_eq!(answers["q1"], vec![2]);
        assert_eq!(answers["q2"], vec![0, 3]);
    }

    #[test]
    fn a_non_numeric_choice_is_a_bad_request() {
        let fields = BTreeMap::from([("q1".to_owned(), "all of them".to_owned())]);
        assert_eq!(parse_answers(&fields), Err(AppError::BadRequest));
    }
}
