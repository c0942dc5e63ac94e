//! A graded exam attempt as its learner reads it back: like a quiz's
//! review, with the module each question comes from, so that "what to
//! re-read" is a link rather than a guess.

use super::sittings::{ExamSitting, form_key};
use super::spec::{ExamSpec, attempts_made, passed_exam};
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::{course_versions, courses, exam_answers, exam_attempts, exam_sittings, modules};
use crate::error::ServerResult;
use crate::learning::{self, StoredAnswer};
use crate::programs::Program;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::course_content::ReviewPolicy;
use holdspace_app::dto::{
    ExamAttemptId, ExamReview, ExamSittingId, ModuleId, ProgramId, QuestionId, QuestionSource, Score, UserId,
};
use holdspace_app::error::AppError;
use std::collections::HashMap;

#[derive(Queryable, Selectable)]
#[diesel(table_name = exam_attempts, check_for_backend(crate::db::MultiBackend))]
struct ExamAttemptRow {
    sitting_id: ExamSittingId,
    program_id: ProgramId,
    submitted_at: NaiveDateTime,
    score_basis_points: i32,
    passed: bool,
}

/// Where a module's questions are taught.
#[derive(Queryable, Selectable)]
#[diesel(table_name = modules, check_for_backend(crate::db::MultiBackend))]
struct SourceRow {
    id: ModuleId,
    #[diesel(column_name = slug)]
    module_slug: String,
    #[diesel(column_name = title)]
    module_title: String,
    #[diesel(select_expression = courses::slug)]
    course_slug: String,
    #[diesel(select_expression = course_versions::title)]
    course_title: String,
}

/// The learner's exam attempt with this id; another learner's is not found.
pub fn exam_review(
    conn: &mut DbConnection,
    learner: UserId,
    attempt_id: ExamAttemptId,
    now: NaiveDateTime,
) -> ServerResult<ExamReview> {
    let attempt = exam_attempts::table
        .filter(exam_attempts::id.eq(attempt_id))
        .filter(exam_attempts::user_id.eq(learner))
        .select(ExamAttemptRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let program = Program::by_id(conn, attempt.program_id)?;
    let spec = ExamSpec::of_program(conn, program.id)?.ok_or(AppError::NotFound)?;
    let sitting: ExamSitting = exam_sittings::table
        .find(attempt.sitting_id)
        .select(ExamSitting::as_select())
        .first(conn)?;
    let drawn = sitting.drawn()?;
    let questions = ExamSitting::questions(conn, &drawn)?;
    let shown = learning::shown(&drawn, &questions, form_key)?;
    let answers: HashMap<QuestionId, StoredAnswer> = exam_answers::table
        .filter(exam_answers::attempt_id.eq(attempt_id))
        .select((
            exam_answers::question_id,
            exam_answers::chosen,
            exam_answers::score_basis_points,
        ))
        .load::<(QuestionId, String, i32)>(conn)?
        .into_iter()
        .map(|(question, chosen, score_basis_points)| {
            Ok((
                question,
                StoredAnswer {
                    chosen: serde_json::from_str(&chosen)?,
                    score_basis_points,
                },
            ))
        })
        .collect::<ServerResult<_>>()?;
    let passed = passed_exam(conn, learner, program.id, None)?;
    let full_review = spec.review == ReviewPolicy::Always || passed;
    let module_ids: Vec<ModuleId> = questions.iter().map(|q| q.module_id).collect();
    let sources: HashMap<ModuleId, QuestionSource> = modules::table
        .inner_join(course_versions::table.inner_join(courses::table))
        .filter(modules::id.eq_any(&module_ids))
        .select(SourceRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| {
            let source = QuestionSource {
                course_slug: row.course_slug,
                course_title: row.course_title,
                module_slug: row.module_slug,
                module_title: row.module_title,
            };
            (row.id, source)
        })
        .collect();
    let mut reviewed = learning::reviewed(&shown, &answers, full_review);
    for (question, shown) in reviewed.iter_mut().zip(&shown) {
        question.source = sources.get(&shown.question.module_id).cloned();
    }
    let retake_note = if passed {
        None
    } else {
        let made = attempts_made(conn, learner, program.id)?;
        learning::next_attempt(&spec.attempts(), &made, now)
            .err()
            .map(|not_yet| not_yet.message("exam"))
    };
    Ok(ExamReview {
        attempt_id,
        program_slug: program.slug,
        program_title: program.title,
        submitted_on: day(attempt.submitted_at),
        score: Score::from_basis_points(attempt.score_basis_points),
        pass_mark: spec.pass_mark(),
        passed: attempt.passed,
        full_review,
        retake_note,
        questions: reviewed,
    })
}
