//! Quiz sittings: the questions a learner drew and the order of their
//! options, kept so that a resubmission, a review and the answer saved so
//! far all see the same thing. A new sitting opens only when the quiz's
//! attempt policy (or a trainer's grant) allows it.

use super::attempt_policy::next_attempt;
use super::draw::{self, Drawn, Quota};
use super::enrollment;
use super::grants::{self, GrantFor};
use super::models::{CurrentCourse, QuizRules};
use super::progress::recent_attempts;
use super::published::PublishedVersions;
use super::questions::Question;
use super::sheet;
use crate::db::DbConnection;
use crate::db::schema::{attempts, course_versions, modules, quiz_sittings};
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::course_content::ReviewPolicy;
use holdspace_app::dto::{CourseId, ModuleId, QuestionId, QuizSheet, SittingId, UserId};
use holdspace_app::error::AppError;
use std::collections::BTreeMap;

/// Per drawn question: the original option positions, in the order shown.
/// Questions are shown in id order, which is the quiz's own order.
pub type OptionOrder = BTreeMap<QuestionId, Vec<u32>>;
/// Per question key: the shown positions saved before submission.
pub type SavedAnswers = BTreeMap<String, Vec<u32>>;

/// A sitting's saved answers from its stored draft (none yet: empty). One
/// reading for quiz and exam sittings.
pub fn saved_answers(draft: Option<&str>) -> ServerResult<SavedAnswers> {
    Ok(draft.map(serde_json::from_str).transpose()?.unwrap_or_default())
}

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
    /// The questions drawn, in the order shown.
    pub fn drawn(&self) -> ServerResult<Vec<Drawn>> {
        let order: OptionOrder = serde_json::from_str(&self.option_order)?;
        Ok(order
            .into_iter()
            .map(|(question, order)| Drawn { question, order })
            .collect())
    }

    pub fn saved_answers(&self) -> ServerResult<SavedAnswers> {
        saved_answers(self.draft_answers.as_deref())
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

    /// The sitting's questions as the form names them (by question key).
    pub fn shown<'a>(drawn: &'a [Drawn], questions: &'a [Question]) -> ServerResult<Vec<sheet::Shown<'a>>> {
        sheet::shown(drawn, questions, |q| q.key.clone())
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
    /// JSON: the [`QuizRules`].
    quiz_rules: String,
    #[diesel(select_expression = course_versions::review)]
    course_review: ReviewPolicy,
}

/// When the learner's earlier attempts at a module's quiz (any version) were made.
pub fn attempts_made(
    conn: &mut DbConnection,
    learner: UserId,
    course: CourseId,
    module_slug: &str,
) -> ServerResult<Vec<NaiveDateTime>> {
    Ok(attempts::table
        .filter(attempts::user_id.eq(learner))
        .filter(attempts::course_id.eq(course))
        .filter(attempts::module_slug.eq(module_slug))
        .select(attempts::submitted_at)
        .load(conn)?)
}

/// A fresh draw from the module's pool: by group when the quiz has groups,
/// else `draw` questions (or all of them).
fn draw_from(questions: &[Question], rules: &QuizRules) -> Vec<Drawn> {
    let quotas: Vec<Quota<'_>> = if rules.groups.is_empty() {
        vec![Quota {
            questions: questions.iter().collect(),
            take: rules.draw.map_or(questions.len(), |d| d as usize),
        }]
    } else {
        rules
            .groups
            .iter()
            .map(|g| Quota {
                questions: questions.iter().filter(|q| q.group.as_deref() == Some(&g.id)).collect(),
                take: g.draw as usize,
            })
            .collect()
    };
    let mut drawn = draw::draw(&quotas, &mut rand::thread_rng());
    drawn.sort_by_key(|d| d.question);
    drawn
}

/// The learner's open sitting of a module's quiz; a new one (a fresh draw)
/// when there is none and the attempt policy allows another attempt.
pub fn open_quiz(
    conn: &mut DbConnection,
    published: &PublishedVersions,
    learner: UserId,
    course_slug: &str,
    module_slug: &str,
    now: NaiveDateTime,
) -> ServerResult<QuizSheet> {
    let course = CurrentCourse::find(conn, course_slug)?;
    let module = modules::table
        .inner_join(course_versions::table)
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
    let questions = published.questions(conn, module.id)?;
    let rules = QuizRules::parse(&module.quiz_rules)?;
    let open: Option<Sitting> = quiz_sittings::table
        .left_join(attempts::table)
        .filter(quiz_sittings::user_id.eq(learner))
        .filter(quiz_sittings::module_id.eq(module.id))
        .filter(attempts::id.nullable().is_null())
        .order(quiz_sittings::id.desc())
        .select(Sitting::as_select())
        .first(conn)
        .optional()?;
    let (sitting, drawn, saved) = match open {
        Some(sitting) => (sitting.id, sitting.drawn()?, sitting.saved_answers()?),
        None => {
            let made = attempts_made(conn, learner, course.course_id, module_slug)?;
            if let Err(not_yet) = next_attempt(&rules.attempts, &made, now) {
                let target = GrantFor::Quiz {
                    course: course.course_id,
                    module_slug: module_slug.to_owned(),
                };
                let grant = grants::unused(conn, learner, &target)?
                    .ok_or_else(|| AppError::AttemptNotOpen(not_yet.message("quiz")))?;
                grants::spend(conn, grant, now)?;
            }
            let drawn = draw_from(&questions, &rules);
            let order: OptionOrder = drawn.iter().map(|d| (d.question, d.order.clone())).collect();
            let id = diesel::insert_into(quiz_sittings::table)
                .values((
                    quiz_sittings::user_id.eq(learner),
                    quiz_sittings::module_id.eq(module.id),
                    quiz_sittings::option_order.eq(serde_json::to_string(&order)?),
                    quiz_sittings::opened_at.eq(now),
                ))
                .returning(quiz_sittings::id)
                .get_result(conn)?;
            (id, drawn, SavedAnswers::new())
        }
    };
    let shown = Sitting::shown(&drawn, &questions)?;
    let pass_mark = u32::try_from(module.quiz_pass_mark).unwrap_or(0);
    let review = rules.review.unwrap_or(module.course_review);
    let about = sheet::about("quiz", shown.len(), questions.len(), pass_mark, &rules.attempts, review);
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
        pass_mark,
        about,
        questions: sheet::form_questions(&shown, &saved)?,
        previous_attempts,
    })
}
