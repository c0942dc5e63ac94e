//! A graded attempt with the reasoning for every option, as the learner
//! who made it sees it.

use super::enrollment;
use super::models::{CurrentCourse, ModuleRow};
use super::questions::module_questions;
use super::sittings::Sitting;
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::{attempt_answers, attempts, course_versions, courses, modules, quiz_sittings};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{
    AttemptId, AttemptReview, CourseId, CourseVersionId, ModuleId, QuestionId, ReviewedOption, ReviewedQuestion, Score,
    SittingId, UserId,
};
use holdspace_app::error::AppError;
use std::collections::{HashMap, HashSet};

/// An attempt as stored.
#[derive(Queryable, Selectable)]
#[diesel(table_name = attempts, check_for_backend(crate::db::MultiBackend))]
struct AttemptRow {
    sitting_id: SittingId,
    course_id: CourseId,
    course_version_id: CourseVersionId,
    module_id: ModuleId,
    module_slug: String,
    submitted_at: NaiveDateTime,
    score_basis_points: i32,
    passed: bool,
}

/// One question's answer in an attempt.
#[derive(Queryable, Selectable)]
#[diesel(table_name = attempt_answers, check_for_backend(crate::db::MultiBackend))]
struct AnswerRow {
    question_id: QuestionId,
    /// JSON: the chosen option positions, in file order.
    chosen: String,
    score_basis_points: i32,
}

/// The version an attempt was taken on.
#[derive(Queryable, Selectable)]
#[diesel(table_name = course_versions, check_for_backend(crate::db::MultiBackend))]
struct TakenOn {
    version_label: String,
    title: String,
}

/// The learner's attempt with this id; another learner's is
/// indistinguishable from a missing one.
pub fn attempt_review(conn: &mut DbConnection, learner: UserId, attempt_id: AttemptId) -> ServerResult<AttemptReview> {
    let attempt = attempts::table
        .filter(attempts::id.eq(attempt_id))
        .filter(attempts::user_id.eq(learner))
        .select(AttemptRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let course_slug: String = courses::table
        .find(attempt.course_id)
        .select(courses::slug)
        .first(conn)?;
    let taken_on = course_versions::table
        .find(attempt.course_version_id)
        .select(TakenOn::as_select())
        .first(conn)?;
    let (module_title, pass_mark): (String, i32) = modules::table
        .find(attempt.module_id)
        .select((modules::title, modules::quiz_pass_mark))
        .first(conn)?;
    let sitting: Sitting = quiz_sittings::table
        .find(attempt.sitting_id)
        .select(Sitting::as_select())
        .first(conn)?;
    let order = sitting.order()?;
    let answers: HashMap<QuestionId, AnswerRow> = attempt_answers::table
        .filter(attempt_answers::attempt_id.eq(attempt_id))
        .select(AnswerRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|answer| (answer.question_id, answer))
        .collect();
    let mut questions = Vec::new();
    for (number, q) in (1u32..).zip(module_questions(conn, attempt.module_id)?) {
        let answer = answers.get(&q.id);
        let chosen: HashSet<usize> = match answer {
            Some(answer) => serde_json::from_str::<Vec<usize>>(&answer.chosen)?
                .into_iter()
                .collect(),
            None => HashSet::new(),
        };
        let shown = order
            .get(&q.id)
            .cloned()
            .unwrap_or_else(|| (0..u32::try_from(q.options.len()).unwrap_or(0)).collect());
        let options = shown
            .iter()
            .filter_map(|original| q.options.get(*original as usize).map(|o| (*original as usize, o)))
            .map(|(original, o)| ReviewedOption {
                text: o.text.clone(),
                chosen: chosen.contains(&original),
                correct: o.correct,
                why: o.why.clone(),
            })
            .collect();
        questions.push(ReviewedQuestion {
            number,
            kind: q.kind,
            scenario: q.scenario,
            prompt: q.prompt,
            score: Score::from_basis_points(answer.map_or(0, |a| a.score_basis_points)),
            options,
        });
    }
    let current = CurrentCourse::find(conn, &course_slug)?;
    let modules = ModuleRow::of_version(conn, current.version_id)?;
    let next_module = modules
        .iter()
        .position(|m| m.slug == attempt.module_slug)
        .and_then(|i| modules.get(i + 1))
        .map(ModuleRow::link);
    let course_completed = enrollment(conn, learner, attempt.course_id)?.is_some_and(|e| e.completed_at.is_some());
    Ok(AttemptReview {
        attempt_id,
        course_slug,
        course_title: taken_on.title,
        module_slug: attempt.module_slug,
        module_title,
        course_version: taken_on.version_label,
        submitted_on: day(attempt.submitted_at),
        score: Score::from_basis_points(attempt.score_basis_points),
        pass_mark: u32::try_from(pass_mark).unwrap_or(0),
        passed: attempt.passed,
        course_completed,
        questions,
        next_module,
    })
}
