//! Submitting a quiz: graded once per sitting, inside the caller's write
//! transaction, answered only after it commits.

use super::enrollment::mark_complete_if_done;
use super::published::PublishedVersions;
use super::sheet;
use super::sittings::{SavedAnswers, Sitting};
use crate::db::DbConnection;
use crate::db::schema::{attempt_answers, attempts, course_versions, modules, quiz_sittings};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{AttemptId, CourseId, CourseVersionId, SittingId, UserId};
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

/// Grades the learner's sitting. A resubmitted form (double click,
/// refresh, retry) gets the first result; with a question unanswered the
/// answers given are saved and nothing is graded. A pass marks the course
/// complete when it completes it; issuing certificates is the caller's.
pub fn submit_quiz(
    conn: &mut DbConnection,
    published: &PublishedVersions,
    learner: UserId,
    sitting: SittingId,
    answers: &Answers,
    now: NaiveDateTime,
) -> ServerResult<Graded> {
    let sitting = Sitting::of_learner(conn, learner, sitting)?;
    if let Some((id, passed, course)) = existing_attempt(conn, sitting.id)? {
        return Ok(Graded::Attempt { id, passed, course });
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
            return Ok(Graded::Incomplete(missing));
        }
    };
    let score = &marked.score;
    let course: CourseId = course_versions::table
        .find(module.course_version_id)
        .select(course_versions::course_id)
        .first(conn)?;
    let attempt: AttemptId = diesel::insert_into(attempts::table)
        .values((
            attempts::sitting_id.eq(sitting.id),
            attempts::user_id.eq(learner),
            attempts::course_id.eq(course),
            attempts::course_version_id.eq(module.course_version_id),
            attempts::module_id.eq(sitting.module_id),
            attempts::module_slug.eq(&module.slug),
            attempts::submitted_at.eq(now),
            attempts::score_basis_points.eq(i32::try_from(score.basis_points).unwrap_or(0)),
            attempts::passed.eq(score.passed),
        ))
        .returning(attempts::id)
        .get_result(conn)?;
    // One statement per answer: Diesel's two-backend connection has no
    // multi-row insert.
    for ((shown, chosen), credit) in shown.iter().zip(&marked.chosen).zip(&score.per_question) {
        diesel::insert_into(attempt_answers::table)
            .values((
                attempt_answers::attempt_id.eq(attempt),
                attempt_answers::question_id.eq(shown.question.id),
                attempt_answers::chosen.eq(serde_json::to_string(chosen)?),
                attempt_answers::score_basis_points.eq(i32::try_from(credit.basis_points()).unwrap_or(0)),
            ))
            .execute(conn)?;
    }
    if score.passed {
        mark_complete_if_done(conn, learner, course, now)?;
    }
    Ok(Graded::Attempt {
        id: attempt,
        passed: score.passed,
        course,
    })
}
