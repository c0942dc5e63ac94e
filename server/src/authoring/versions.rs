//! Published course versions: writing one (immutable from then on), and
//! reading one back in the course-file shape.

use crate::db::DbConnection;
use crate::db::schema::{course_versions, courses, modules, question_options, questions};
use crate::error::ServerResult;
use crate::learning::QuizRules;
use crate::markdown;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::course_content::{
    CourseContent, ModuleContent, OptionContent, QuestionContent, QuizContent, ReviewPolicy,
};
use holdspace_app::dto::{CourseId, CourseVersionId, ModuleId, QuestionId, QuestionKind};

fn small(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn number(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Writes `course` as a new version of `course_id` (not yet current).
pub fn insert_version(
    conn: &mut DbConnection,
    course_id: CourseId,
    course: &CourseContent,
    hash: &str,
    now: NaiveDateTime,
) -> ServerResult<CourseVersionId> {
    let version: CourseVersionId = diesel::insert_into(course_versions::table)
        .values((
            course_versions::course_id.eq(course_id),
            course_versions::version_label.eq(&course.version),
            course_versions::title.eq(&course.title),
            course_versions::summary.eq(&course.summary),
            course_versions::outcomes.eq(serde_json::to_string(&course.outcomes)?),
            course_versions::pass_mark.eq(number(course.pass_mark)),
            course_versions::review.eq(course.review),
            course_versions::content_hash.eq(hash),
            course_versions::published_at.eq(now),
        ))
        .returning(course_versions::id)
        .get_result(conn)?;
    for (position, module) in course.modules.iter().enumerate() {
        let quiz_pass_mark = module
            .quiz
            .as_ref()
            .and_then(|q| q.pass_mark)
            .unwrap_or(course.pass_mark);
        let module_id: ModuleId = diesel::insert_into(modules::table)
            .values((
                modules::course_version_id.eq(version),
                modules::position.eq(small(position)),
                modules::slug.eq(&module.slug),
                modules::title.eq(&module.title),
                modules::minutes.eq(number(module.minutes)),
                modules::content_note.eq(&module.content_note),
                modules::body_markdown.eq(&module.body_markdown),
                modules::body_html.eq(markdown::render(&module.body_markdown)),
                modules::has_quiz.eq(module.quiz.is_some()),
                modules::quiz_pass_mark.eq(number(quiz_pass_mark)),
                modules::quiz_rules.eq(serde_json::to_string(
                    &module.quiz.as_ref().map(QuizRules::of_quiz).unwrap_or_default(),
                )?),
            ))
            .returning(modules::id)
            .get_result(conn)?;
        for (position, question) in module.quiz.iter().flat_map(|q| &q.questions).enumerate() {
            let question_id: QuestionId = diesel::insert_into(questions::table)
                .values((
                    questions::module_id.eq(module_id),
                    questions::position.eq(small(position)),
                    questions::question_key.eq(&question.id),
                    questions::kind.eq(question.kind),
                    questions::scenario.eq(&question.scenario),
                    questions::prompt.eq(&question.prompt),
                    questions::pool_group.eq(&question.group),
                ))
                .returning(questions::id)
                .get_result(conn)?;
            for (position, option) in question.options.iter().enumerate() {
                diesel::insert_into(question_options::table)
                    .values((
                        question_options::question_id.eq(question_id),
                        question_options::position.eq(small(position)),
                        question_options::text.eq(&option.text),
                        question_options::correct.eq(option.correct),
                        question_options::why.eq(&option.why),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(version)
}

/// A version's course-level fields.
#[derive(Queryable, Selectable)]
#[diesel(table_name = course_versions, check_for_backend(crate::db::MultiBackend))]
struct VersionFields {
    #[diesel(select_expression = courses::slug)]
    slug: String,
    version_label: String,
    title: String,
    summary: String,
    outcomes: String,
    pass_mark: i32,
    review: ReviewPolicy,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = modules, check_for_backend(crate::db::MultiBackend))]
struct ModuleFields {
    id: ModuleId,
    slug: String,
    title: String,
    minutes: i32,
    content_note: Option<String>,
    body_markdown: String,
    has_quiz: bool,
    quiz_pass_mark: i32,
    quiz_rules: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = questions, check_for_backend(crate::db::MultiBackend))]
struct QuestionFields {
    id: QuestionId,
    question_key: String,
    kind: QuestionKind,
    scenario: Option<String>,
    prompt: String,
    pool_group: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = question_options, check_for_backend(crate::db::MultiBackend))]
struct OptionFields {
    text: String,
    correct: bool,
    why: String,
}

fn unsigned(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// A published version, rebuilt in the course-file shape. A quiz whose pass
/// mark equals the course's comes back without one of its own: the two mean the same.
pub fn version_content(conn: &mut DbConnection, version: CourseVersionId) -> ServerResult<CourseContent> {
    let fields = course_versions::table
        .inner_join(courses::table)
        .filter(course_versions::id.eq(version))
        .select(VersionFields::as_select())
        .first(conn)?;
    let module_rows: Vec<ModuleFields> = modules::table
        .filter(modules::course_version_id.eq(version))
        .order(modules::position)
        .select(ModuleFields::as_select())
        .load(conn)?;
    let mut content_modules = Vec::with_capacity(module_rows.len());
    for module in module_rows {
        let quiz = if module.has_quiz {
            let rules = QuizRules::parse(&module.quiz_rules)?;
            Some(QuizContent {
                pass_mark: (module.quiz_pass_mark != fields.pass_mark).then_some(unsigned(module.quiz_pass_mark)),
                draw: rules.draw,
                groups: rules.groups,
                review: rules.review,
                attempts: rules.attempts,
                questions: quiz_questions(conn, module.id)?,
            })
        } else {
            None
        };
        content_modules.push(ModuleContent {
            slug: module.slug,
            title: module.title,
            minutes: unsigned(module.minutes),
            content_note: module.content_note,
            body_markdown: module.body_markdown,
            quiz,
        });
    }
    Ok(CourseContent {
        slug: fields.slug,
        title: fields.title,
        version: fields.version_label,
        summary: fields.summary,
        outcomes: serde_json::from_str(&fields.outcomes)?,
        pass_mark: unsigned(fields.pass_mark),
        review: fields.review,
        modules: content_modules,
    })
}

fn quiz_questions(conn: &mut DbConnection, module: ModuleId) -> ServerResult<Vec<QuestionContent>> {
    let rows: Vec<QuestionFields> = questions::table
        .filter(questions::module_id.eq(module))
        .order(questions::position)
        .select(QuestionFields::as_select())
        .load(conn)?;
    let mut result = Vec::with_capacity(rows.len());
    for question in rows {
        let options = question_options::table
            .filter(question_options::question_id.eq(question.id))
            .order(question_options::position)
            .select(OptionFields::as_select())
            .load(conn)?
            .into_iter()
            .map(|option| OptionContent {
                text: option.text,
                correct: option.correct,
                why: option.why,
            })
            .collect();
        result.push(QuestionContent {
            id: question.question_key,
            kind: question.kind,
            scenario: question.scenario,
            prompt: question.prompt,
            group: question.pool_group,
            options,
        });
    }
    Ok(result)
}
