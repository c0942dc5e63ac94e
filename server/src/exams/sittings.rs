//! Exam sittings: opened once every course of the program is complete and
//! the attempt policy (or a trainer's grant) allows; each draws its own
//! questions from the courses' current quizzes.

use super::spec::{ExamSpec, attempts_made};
use crate::db::DbConnection;
use crate::db::schema::{exam_attempts, exam_sittings, modules};
use crate::error::ServerResult;
use crate::learning::{self, CurrentCourse, Drawn, GrantFor, Question, Quota, SavedAnswers};
use crate::programs::{self, Program};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{ExamAttemptSummary, ExamSheet, ExamSittingId, ProgramId, Score, UserId};
use holdspace_app::error::AppError;

/// An exam sitting as stored.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = exam_sittings, check_for_backend(crate::db::MultiBackend))]
pub struct ExamSitting {
    pub id: ExamSittingId,
    pub program_id: ProgramId,
    /// JSON: the [`Drawn`] questions in the order shown.
    pub questions: String,
    /// JSON: the [`SavedAnswers`] of an incomplete submission.
    pub draft_answers: Option<String>,
}

impl ExamSitting {
    pub fn drawn(&self) -> ServerResult<Vec<Drawn>> {
        Ok(serde_json::from_str(&self.questions)?)
    }

    pub fn saved_answers(&self) -> ServerResult<SavedAnswers> {
        learning::saved_answers(self.draft_answers.as_deref())
    }

    /// The learner's sitting with this id (another learner's is not found).
    pub fn of_learner(conn: &mut DbConnection, learner: UserId, sitting: ExamSittingId) -> ServerResult<ExamSitting> {
        exam_sittings::table
            .filter(exam_sittings::id.eq(sitting))
            .filter(exam_sittings::user_id.eq(learner))
            .select(ExamSitting::as_select())
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound.into())
    }

    /// The drawn questions, each loaded, with its form name (by id: keys
    /// are only unique within a course).
    pub fn questions(conn: &mut DbConnection, drawn: &[Drawn]) -> ServerResult<Vec<Question>> {
        let ids: Vec<_> = drawn.iter().map(|d| d.question).collect();
        learning::questions_by_id(conn, &ids)
    }
}

/// The form's name for an exam question.
pub fn form_key(question: &Question) -> String {
    format!("q{}", question.id)
}

/// The pool of one course: every question of its current version's quizzes.
fn course_pool(conn: &mut DbConnection, slug: &str) -> ServerResult<Vec<Question>> {
    let course = CurrentCourse::find(conn, slug)?;
    let quizzes: Vec<holdspace_app::dto::ModuleId> = modules::table
        .filter(modules::course_version_id.eq(course.version_id))
        .filter(modules::has_quiz.eq(true))
        .order(modules::position)
        .select(modules::id)
        .load(conn)?;
    let mut pool = Vec::new();
    for module in quizzes {
        pool.extend(learning::module_questions(conn, module)?);
    }
    Ok(pool)
}

fn draw(conn: &mut DbConnection, spec: &ExamSpec) -> ServerResult<Vec<Drawn>> {
    let mut pools = Vec::new();
    for draw in spec.draws(conn)? {
        pools.push((
            course_pool(conn, &draw.course_slug)?,
            usize::try_from(draw.questions).unwrap_or(0),
        ));
    }
    let quotas: Vec<Quota<'_>> = pools
        .iter()
        .map(|(pool, take)| Quota {
            questions: pool.iter().collect(),
            take: *take,
        })
        .collect();
    Ok(learning::draw(&quotas, &mut rand::thread_rng()))
}

/// The learner's earlier exam attempts, newest first.
pub fn previous_attempts(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
) -> ServerResult<Vec<ExamAttemptSummary>> {
    let rows: Vec<(holdspace_app::dto::ExamAttemptId, NaiveDateTime, i32, bool)> = exam_attempts::table
        .filter(exam_attempts::user_id.eq(learner))
        .filter(exam_attempts::program_id.eq(program))
        .order(exam_attempts::id.desc())
        .select((
            exam_attempts::id,
            exam_attempts::submitted_at,
            exam_attempts::score_basis_points,
            exam_attempts::passed,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(attempt_id, at, score, passed)| ExamAttemptSummary {
            attempt_id,
            submitted_on: crate::dates::day(at),
            score: Score::from_basis_points(score),
            passed,
        })
        .collect())
}

/// The learner's open exam sitting; a new one (a fresh draw) when there is
/// none, the courses are complete and the attempt policy allows it.
pub fn open_exam(
    conn: &mut DbConnection,
    learner: UserId,
    program_slug: &str,
    now: NaiveDateTime,
) -> ServerResult<ExamSheet> {
    let program = Program::find(conn, program_slug)?;
    let spec = ExamSpec::of_program(conn, program.id)?.ok_or(AppError::NotFound)?;
    let route = programs::route(conn, learner, &program, now)?;
    if programs::completed_courses(conn, learner, program.id, route.courses_since().flatten())?.is_none() {
        return Err(AppError::AttemptNotOpen(format!(
            "The final exam of {} opens once you have completed every course in the program. Your progress \
             page shows what is left.",
            program.title
        ))
        .into());
    }
    let open: Option<ExamSitting> = exam_sittings::table
        .left_join(exam_attempts::table)
        .filter(exam_sittings::user_id.eq(learner))
        .filter(exam_sittings::program_id.eq(program.id))
        .filter(exam_attempts::id.nullable().is_null())
        .order(exam_sittings::id.desc())
        .select(ExamSitting::as_select())
        .first(conn)
        .optional()?;
    let (sitting, drawn, saved) = match open {
        Some(sitting) => (sitting.id, sitting.drawn()?, sitting.saved_answers()?),
        None => {
            let made = attempts_made(conn, learner, program.id)?;
            if let Err(not_yet) = learning::next_attempt(&spec.attempts(), &made, now) {
                let grant = learning::unused_grant(conn, learner, &GrantFor::Exam { program: program.id })?
                    .ok_or_else(|| AppError::AttemptNotOpen(not_yet.message("exam")))?;
                learning::spend_grant(conn, grant, now)?;
            }
            let drawn = draw(conn, &spec)?;
            let id = diesel::insert_into(exam_sittings::table)
                .values((
                    exam_sittings::user_id.eq(learner),
                    exam_sittings::program_id.eq(program.id),
                    exam_sittings::questions.eq(serde_json::to_string(&drawn)?),
                    exam_sittings::opened_at.eq(now),
                ))
                .returning(exam_sittings::id)
                .get_result(conn)?;
            (id, drawn, SavedAnswers::new())
        }
    };
    let questions = ExamSitting::questions(conn, &drawn)?;
    let shown = learning::shown(&drawn, &questions, form_key)?;
    let mut pool = 0;
    for draw in spec.draws(conn)? {
        pool += course_pool(conn, &draw.course_slug)?.len();
    }
    let about = learning::about(
        "exam",
        shown.len(),
        pool,
        spec.pass_mark(),
        &spec.attempts(),
        spec.review,
    );
    Ok(ExamSheet {
        program_slug: program.slug,
        program_title: program.title,
        sitting_id: sitting,
        pass_mark: spec.pass_mark(),
        about,
        questions: learning::form_questions(&shown, &saved)?,
        previous_attempts: previous_attempts(conn, learner, program.id)?,
    })
}
