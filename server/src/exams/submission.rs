//! Submitting an exam sitting: graded once, inside the caller's write
//! transaction; a pass lets the caller issue the certificate in the same one.

use super::sittings::ExamSitting;
use super::spec::ExamSpec;
use crate::db::DbConnection;
use crate::db::schema::{exam_answers, exam_attempts, exam_sittings};
use crate::error::ServerResult;
use crate::learning::{self, SavedAnswers};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{ExamAttemptId, ExamSittingId, ProgramId, UserId};
use holdspace_app::error::AppError;
use holdspace_app::ports::Answers;

/// What an exam submission came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExamGraded {
    /// Graded (now, or by an earlier submission of the same sitting).
    Attempt {
        id: ExamAttemptId,
        passed: bool,
        program: ProgramId,
    },
    /// These questions (numbered as shown) have no answer; the rest is saved.
    Incomplete(Vec<u32>),
}

pub fn submit_exam(
    conn: &mut DbConnection,
    learner: UserId,
    sitting: ExamSittingId,
    answers: &Answers,
    now: NaiveDateTime,
) -> ServerResult<ExamGraded> {
    let sitting = ExamSitting::of_learner(conn, learner, sitting)?;
    let earlier: Option<(ExamAttemptId, bool)> = exam_attempts::table
        .filter(exam_attempts::sitting_id.eq(sitting.id))
        .select((exam_attempts::id, exam_attempts::passed))
        .first(conn)
        .optional()?;
    if let Some((id, passed)) = earlier {
        return Ok(ExamGraded::Attempt {
            id,
            passed,
            program: sitting.program_id,
        });
    }
    let spec = ExamSpec::of_program(conn, sitting.program_id)?.ok_or(AppError::NotFound)?;
    let drawn = sitting.drawn()?;
    let questions = ExamSitting::questions(conn, &drawn)?;
    let shown = learning::shown(&drawn, &questions, super::sittings::form_key)?;
    let marked = match learning::mark(&shown, answers, spec.pass_mark())? {
        Ok(marked) => marked,
        Err(missing) => {
            let saved: &SavedAnswers = answers;
            diesel::update(exam_sittings::table.find(sitting.id))
                .set(exam_sittings::draft_answers.eq(serde_json::to_string(saved)?))
                .execute(conn)?;
            return Ok(ExamGraded::Incomplete(missing));
        }
    };
    let score = &marked.score;
    let attempt: ExamAttemptId = diesel::insert_into(exam_attempts::table)
        .values((
            exam_attempts::sitting_id.eq(sitting.id),
            exam_attempts::user_id.eq(learner),
            exam_attempts::program_id.eq(sitting.program_id),
            exam_attempts::submitted_at.eq(now),
            exam_attempts::score_basis_points.eq(i32::try_from(score.basis_points).unwrap_or(0)),
            exam_attempts::passed.eq(score.passed),
        ))
        .returning(exam_attempts::id)
        .get_result(conn)?;
    for ((shown, chosen), credit) in shown.iter().zip(&marked.chosen).zip(&score.per_question) {
        diesel::insert_into(exam_answers::table)
            .values((
                exam_answers::attempt_id.eq(attempt),
                exam_answers::question_id.eq(shown.question.id),
                exam_answers::chosen.eq(serde_json::to_string(chosen)?),
                exam_answers::score_basis_points.eq(i32::try_from(credit.basis_points()).unwrap_or(0)),
            ))
            .execute(conn)?;
    }
    Ok(ExamGraded::Attempt {
        id: attempt,
        passed: score.passed,
        program: sitting.program_id,
    })
}
