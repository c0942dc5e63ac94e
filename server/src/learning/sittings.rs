//! Quiz sittings: the options of each question in the order one learner
//! was shown them, kept so that a resubmission, a review and the answer
//! saved so far all see the same thing.

use super::enrollment;
use super::models::CurrentCourse;
use super::progress::recent_attempts;
use super::questions::{Question, module_questions};
use crate::db::DbConnection;
use crate::db::schema::{attempts, modules, quiz_sittings};
use crate::error::{ServerError, ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{ModuleId, QuestionId, QuestionKind, QuizOption, QuizQuestion, QuizSheet, SittingId, UserId};
use holdspace_app::error::AppError;
use rand::seq::SliceRandom;
use std::collections::BTreeMap;

/// Per question: the original option positions, in the order shown.
pub type OptionOrder = BTreeMap<QuestionId, Vec<u32>>;
/// Per question key: the shown positions saved before submission.
pub type SavedAnswers = BTreeMap<String, Vec<u32>>;

/// A sitting as stored.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = quiz_sittings, check_for_backend(crate::db::MultiBackend))]
pub struct Sitting {
    pub id: SittingId,
    pub module_id: ModuleId,
    /// JSON: an [`OptionOrder`].
    pub option_order: String,
    /// JSON: the [`SavedAnswers`] of an incomplete submission.
    pub draft_answers: Option<String>,
}

impl Sitting {
    pub fn order(&self) -> ServerResult<OptionOrder> {
        Ok(serde_json::from_str(&self.option_order)?)
    }

    pub fn saved_answers(&self) -> ServerResult<SavedAnswers> {
        Ok(self
            .draft_answers
            .as_deref()
            .map(serde_json::from_str)
            .transpose()?
            .unwrap_or_default())
    }

    /// The learner's sitting with this id (another learner's is not found).
    pub fn of_learner(conn: &mut DbConnection, learner: UserId, sitting: SittingId) -> ServerResult<Sitting> {
        quiz_sittings::table
            .filter(quiz_sittings::id.eq(sitting))
            .filter(quiz_sittings::user_id.eq(learner))
            .select(Sitting::as_select())
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound.into())
    }
}

/// The module of a quiz, as the quiz page needs it.
#[derive(Queryable, Selectable)]
#[diesel(table_name = modules, check_for_backend(crate::db::MultiBackend))]
struct QuizModule {
    id: ModuleId,
    title: String,
    has_quiz: bool,
    quiz_pass_mark: i32,
}

/// A fresh order for a sitting. True/false keeps "True" first: a shuffled
/// pair reads oddly and hides nothing.
fn shuffled_order(questions: &[Question]) -> OptionOrder {
    let mut rng = rand::thread_rng();
    questions
        .iter()
        .map(|q| {
            let mut order: Vec<u32> = (0..u32::try_from(q.options.len()).unwrap_or(0)).collect();
            if q.kind != QuestionKind::TrueFalse {
                order.shuffle(&mut rng);
            }
            (q.id, order)
        })
        .collect()
}

/// The learner's open sitting of a module's quiz, created on first visit.
pub fn open_quiz(
    conn: &mut DbConnection,
    learner: UserId,
    course_slug: &str,
    module_slug: &str,
    now: NaiveDateTime,
) -> ServerResult<QuizSheet> {
    let course = CurrentCourse::find(conn, course_slug)?;
    let module = modules::table
        .filter(modules::course_version_id.eq(course.version_id))
        .filter(modules::slug.eq(module_slug))
        .select(QuizModule::as_select())
        .first(conn)
        .optional()?
        .filter(|module| module.has_quiz)
        .ok_or(AppError::NotFound)?;
    if enrollment(conn, learner, course.course_id)?.is_none() {
        return invalid("Please enroll in this course first: its quizzes open once you have enrolled.");
    }
    let questions = module_questions(conn, module.id)?;
    let open: Option<Sitting> = quiz_sittings::table
        .left_join(attempts::table)
        .filter(quiz_sittings::user_id.eq(learner))
        .filter(quiz_sittings::module_id.eq(module.id))
        .filter(attempts::id.nullable().is_null())
        .order(quiz_sittings::id.desc())
        .select(Sitting::as_select())
        .first(conn)
        .optional()?;
    let (sitting, order, saved) = match open {
        Some(sitting) => (sitting.id, sitting.order()?, sitting.saved_answers()?),
        None => {
            let order = shuffled_order(&questions);
            let id = diesel::insert_into(quiz_sittings::table)
                .values((
                    quiz_sittings::user_id.eq(learner),
                    quiz_sittings::module_id.eq(module.id),
                    quiz_sittings::option_order.eq(serde_json::to_string(&order)?),
                    quiz_sittings::opened_at.eq(now),
                ))
                .returning(quiz_sittings::id)
                .get_result(conn)?;
            (id, order, SavedAnswers::new())
        }
    };
    let questions = questions
        .into_iter()
        .enumerate()
        .map(|(index, q)| {
            let shown = order
                .get(&q.id)
                .ok_or_else(|| ServerError::Corrupt(format!("sitting {sitting} lacks question {}", q.id)))?;
            let saved = saved.get(&q.key);
            let options = shown
                .iter()
                .zip(0u32..)
                .map(|(original, position)| {
                    let option = q
                        .options
                        .get(*original as usize)
                        .ok_or_else(|| ServerError::Corrupt("option order".into()))?;
                    Ok(QuizOption {
                        position,
                        text: option.text.clone(),
                        saved_choice: saved.is_some_and(|s| s.contains(&position)),
                    })
                })
                .collect::<ServerResult<_>>()?;
            Ok(QuizQuestion {
                number: u32::try_from(index + 1).unwrap_or(u32::MAX),
                id: q.key,
                kind: q.kind,
                scenario: q.scenario,
                prompt: q.prompt,
                options,
            })
        })
        .collect::<ServerResult<_>>()?;
    let previous_attempts = recent_attempts(conn, learner, course.course_id, Some(module_slug), 20)?
        .into_iter()
        .map(|(_, a)| a)
        .collect();
    Ok(QuizSheet {
        course_slug: course.slug,
        course_title: course.title,
        module_slug: module_slug.to_owned(),
        module_title: module.title,
        sitting_id: sitting,
        pass_mark: u32::try_from(module.quiz_pass_mark).unwrap_or(0),
        questions,
        previous_attempts,
    })
}
