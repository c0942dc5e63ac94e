//! A program's exam as stored, and whether a learner has passed it.

use crate::db::DbConnection;
use crate::db::schema::{exam_attempts, program_exam_draws, program_exams};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::course_content::{AttemptPolicy, ReviewPolicy};
use holdspace_app::dto::{ProgramId, UserId};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = program_exams, check_for_backend(crate::db::MultiBackend))]
pub struct ExamSpec {
    pub program_id: ProgramId,
    pub pass_mark: i32,
    pub review: ReviewPolicy,
    wait_hours: Option<i32>,
    max_attempts: Option<i32>,
    period_days: Option<i32>,
}

/// How many questions a sitting draws from one course.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = program_exam_draws, check_for_backend(crate::db::MultiBackend))]
pub struct ExamDraw {
    pub course_slug: String,
    pub questions: i32,
}

fn unsigned(n: Option<i32>) -> Option<u32> {
    n.and_then(|n| u32::try_from(n).ok())
}

impl ExamSpec {
    /// The program's exam, if it has one.
    pub fn of_program(conn: &mut DbConnection, program: ProgramId) -> ServerResult<Option<ExamSpec>> {
        Ok(program_exams::table
            .find(program)
            .select(ExamSpec::as_select())
            .first(conn)
            .optional()?)
    }

    pub fn draws(&self, conn: &mut DbConnection) -> ServerResult<Vec<ExamDraw>> {
        Ok(program_exam_draws::table
            .filter(program_exam_draws::program_id.eq(self.program_id))
            .select(ExamDraw::as_select())
            .load(conn)?)
    }

    pub fn pass_mark(&self) -> u32 {
        u32::try_from(self.pass_mark).unwrap_or(100)
    }

    pub fn attempts(&self) -> AttemptPolicy {
        AttemptPolicy {
            wait_hours: unsigned(self.wait_hours),
            max_attempts: unsigned(self.max_attempts),
            period_days: unsigned(self.period_days),
        }
    }
}

/// Whether the learner has what the exam asks of a certificate: a pass
/// (from `since` on, for a renewal), or a program without an exam.
pub fn passed_exam(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
    since: Option<NaiveDateTime>,
) -> ServerResult<bool> {
    if ExamSpec::of_program(conn, program)?.is_none() {
        return Ok(true);
    }
    let mut passes = exam_attempts::table
        .filter(exam_attempts::user_id.eq(learner))
        .filter(exam_attempts::program_id.eq(program))
        .filter(exam_attempts::passed.eq(true))
        .select(exam_attempts::id)
        .into_boxed();
    if let Some(since) = since {
        passes = passes.filter(exam_attempts::submitted_at.ge(since));
    }
    Ok(passes
        .first::<holdspace_app::dto::ExamAttemptId>(conn)
        .optional()?
        .is_some())
}

/// When the learner's earlier attempts at the exam were made.
pub fn attempts_made(conn: &mut DbConnection, learner: UserId, program: ProgramId) -> ServerResult<Vec<NaiveDateTime>> {
    Ok(exam_attempts::table
        .filter(exam_attempts::user_id.eq(learner))
        .filter(exam_attempts::program_id.eq(program))
        .select(exam_attempts::submitted_at)
        .load(conn)?)
}
