//! A graded attempt as the learner who made it sees it: after a pass (or
//! on a practice quiz) the reasoning for every option; before, which
//! questions were missed and the reasoning for the options they chose.

use super::attempt_policy::next_attempt;
use super::enrollment;
use super::models::{CurrentCourse, ModuleRow, QuizRules};
use super::questions::module_questions;
use super::sheet::{self, StoredAnswer};
use super::sittings::{Sitting, attempts_made};
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::{attempt_answers, attempts, course_versions, courses, modules, quiz_sittings};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::course_content::ReviewPolicy;
use holdspace_app::dto::{
    AttemptId, AttemptReview, CourseId, CourseVersionId, ModuleId, QuestionId, Score, SittingId, UserId,
};
use holdspace_app::error::AppError;
use std::collections::HashMap;

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

/// Whether the learner has passed this module's quiz (in any version).
pub fn passed_module(
    conn: &mut DbConnection,
    learner: UserId,
    course: CourseId,
    module_slug: &str,
) -> ServerResult<bool> {
    let passed = attempts::table
        .filter(attempts::user_id.eq(learner))
        .filter(attempts::course_id.eq(course))
        .filter(attempts::module_slug.eq(module_slug))
        .filter(attempts::passed.eq(true));
    Ok(diesel::select(diesel::dsl::exists(passed)).get_result(conn)?)
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
    review: ReviewPolicy,
}

/// The learner's attempt with this id; another learner's is
/// indistinguishable from a missing one.
pub fn attempt_review(
    conn: &mut DbConnection,
    learner: UserId,
    attempt_id: AttemptId,
    now: NaiveDateTime,
) -> ServerResult<AttemptReview> {
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
    let answers: HashMap<QuestionId, StoredAnswer> = attempt_answers::table
        .filter(attempt_answers::attempt_id.eq(attempt_id))
        .select(AnswerRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|answer| {
            let chosen = serde_json::from_str(&answer.chosen)?;
            Ok((
                answer.question_id,
                StoredAnswer {
                    chosen,
                    score_basis_points: answer.score_basis_points,
                },
            ))
        })
        .collect::<ServerResult<_>>()?;
    let drawn = sitting.drawn()?;
    let module_questions = module_questions(conn, attempt.module_id)?;
    let shown = Sitting::shown(&drawn, &module_questions)?;
    let rules = QuizRules::of_module(conn, attempt.module_id)?;
    let policy = rules.review.unwrap_or(taken_on.review);
    let passed_quiz = passed_module(conn, learner, attempt.course_id, &attempt.module_slug)?;
    let full_review = policy == ReviewPolicy::Always || passed_quiz;
    let questions = sheet::reviewed(&shown, &answers, full_review);
    let retake_note = if passed_quiz {
        None
    } else {
        let made = attempts_made(conn, learner, attempt.course_id, &attempt.module_slug)?;
        next_attempt(&rules.attempts, &made, now)
            .err()
            .map(|not_yet| not_yet.message("quiz"))
    };
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
        full_review,
        retake_note,
        questions,
        next_module,
    })
}
