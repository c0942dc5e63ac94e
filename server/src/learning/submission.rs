//! Submitting a quiz: graded once per sitting, before the caller's write
//! transaction, recorded inside it, answered only after it commits.

use super::enrollment::mark_complete_if_done;
use super::published::PublishedVersions;
use super::sheet;
use super::sittings::{SavedAnswers, Sitting};
use crate::db::DbConnection;
use crate::db::schema::{attempt_answers, attempts, course_versions, modules, quiz_sittings};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{AttemptId, CourseId, CourseVersionId, ModuleId, QuestionId, SittingId, UserId};
use holdspace_app::ports::Answers;

/// What a submission came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Graded {
    /// Graded (now, or by an earlier submission of the same sitting).
    Attempt {
        id: AttemptId,
        passed: bool,
        course: CourseId,
    },
    /// These questions (numbered as shown) have no answer; the rest is saved.
    Incomplete(Vec<u32>),
}

/// The attempt a sitting was already graded as, if any.
pub fn existing_attempt(
    conn: &mut DbConnection,
    sitting: SittingId,
) -> ServerResult<Option<(AttemptId, bool, CourseId)>> {
    Ok(attempts::table
        .filter(attempts::sitting_id.eq(sitting))
        .select((attempts::id, attempts::passed, attempts::course_id))
        .first(conn)
        .optional()?)
}

/// The module a sitting belongs to, as grading needs it.
#[derive(Queryable, Selectable)]
#[diesel(table_name = modules, check_for_backend(crate::db::MultiBackend))]
struct GradedModule {
    course_version_id: CourseVersionId,
    slug: String,
    quiz_pass_mark: i32,
}

/// A sitting marked but not yet recorded. Grading only reads, so it runs
/// before the write transaction: the write lock is held for the inserts
/// alone, which keeps a burst of submissions from queueing behind grading.
pub struct Grading {
    learner: UserId,
    sitting: SittingId,
    module: ModuleId,
    graded: GradedModule,
    course: CourseId,
    basis_points: i32,
    passed: bool,
    answers: Vec<GradedAnswer>,
}

/// One shown question's answer as it is stored.
struct GradedAnswer {
    question: QuestionId,
    chosen: String,
    basis_points: i32,
}

/// Grades the learner's sitting. A resubmitted form (double click,
/// refresh, retry) gets the first result (`Err`); with a question
/// unanswered the answers given are saved and nothing is graded (`Err`).
/// Otherwise the marked sitting is returned for [`Grading::record`].
pub fn grade_quiz(
    conn: &mut DbConnection,
    published: &PublishedVersions,
    learner: UserId,
    sitting: SittingId,
    answers: &Answers,
) -> ServerResult<Result<Grading, Graded>> {
    let sitting = Sitting::of_learner(conn, learner, sitting)?;
    if let Some((id, passed, course)) = existing_attempt(conn, sitting.id)? {
        return Ok(Err(Graded::Attempt { id, passed, course }));
    }
    let drawn = sitting.drawn()?;
    let questions = published.questions(conn, sitting.module_id)?;
    let shown = Sitting::shown(&drawn, &questions)?;
    let module = modules::table
        .find(sitting.module_id)
        .select(GradedModule::as_select())
        .first(conn)?;
    let marked = match sheet::mark(&shown, answers, u32::try_from(module.quiz_pass_mark).unwrap_or(100))? {
        Ok(marked) => marked,
        Err(missing) => {
            let saved: &SavedAnswers = answers;
            diesel::update(quiz_sittings::table.find(sitting.id))
                .set(quiz_sittings::draft_answers.eq(serde_json::to_string(saved)?))
                .execute(conn)?;
            return Ok(Err(Graded::Incomplete(missing)));
        }
    };
    let course: CourseId = course_versions::table
        .find(module.course_version_id)
        .select(course_versions::course_id)
        .first(conn)?;
    let score = &marked.score;
    let answers = shown
        .iter()
        .zip(&marked.chosen)
        .zip(&score.per_question)
        .map(|((shown, chosen), credit)| {
            Ok(GradedAnswer {
                question: shown.question.id,
                chosen: serde_json::to_string(chosen)?,
                basis_points: i32::try_from(credit.basis_points()).unwrap_or(0),
            })
        })
        .collect::<ServerResult<_>>()?;
    Ok(Ok(Grading {
        learner,
        sitting: sitting.id,
        module: sitting.module_id,
        graded: module,
        course,
        basis_points: i32::try_from(score.basis_points).unwrap_or(0),
        passed: score.passed,
        answers,
    }))
}

impl Grading {
    /// Records the attempt, inside the caller's write transaction. A
    /// submission of the same sitting that committed since grading wins.
    /// A pass marks the course complete when it completes it; issuing
    /// certificates is the caller's.
    pub fn record(self, conn: &mut DbConnection, now: NaiveDateTime) -> ServerResult<Graded> {
        if let Some((id, passed, course)) = existing_attempt(conn, self.sitting)? {
            return Ok(Graded::Attempt { id, passed, course });
        }
        let attempt: AttemptId = diesel::insert_into(attempts::table)
            .values((
                attempts::sitting_id.eq(self.sitting),
                attempts::user_id.eq(self.learner),
                attempts::course_id.eq(self.course),
                attempts::course_version_id.eq(self.graded.course_version_id),
                attempts::module_id.eq(self.module),
                attempts::module_slug.eq(&self.graded.slug),
                attempts::submitted_at.eq(now),
                attempts::score_basis_points.eq(self.basis_points),
                attempts::passed.eq(self.passed),
            ))
            .returning(attempts::id)
            .get_result(conn)?;
        // One statement per answer: Diesel's two-backend connection has no
        // multi-row insert.
        for answer in &self.answers {
            diesel::insert_into(attempt_answers::table)
                .values((
                    attempt_answers::attempt_id.eq(attempt),
                    attempt_answers::question_id.eq(answer.question),
                    attempt_answers::chosen.eq(&answer.chosen),
                    attempt_answers::score_basis_points.eq(answer.basis_points),
                ))
                .execute(conn)?;
        }
        if self.passed {
            mark_complete_if_done(conn, self.learner, self.course, now)?;
        }
        Ok(Graded::Attempt {
            id: attempt,
            passed: self.passed,
            course: self.course,
        })
    }
}
