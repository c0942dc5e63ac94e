//! Reflection prompts and the learner's private answers: nobody else reads
//! them, not staff, not their organization; they are in the learner's data
//! export and the learner deletes them whenever they like.

use super::CurrentCourse;
use crate::db::DbConnection;
use crate::db::schema::{course_reflection_prompts, modules, reflections};
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{Reflection, Reflections, UserId};
use holdspace_app::error::AppError;

/// An answer is private notes, not a diary: room for a few paragraphs.
const MAX_ANSWER_CHARS: usize = 5000;

#[derive(Queryable, Selectable)]
#[diesel(table_name = course_reflection_prompts, check_for_backend(crate::db::MultiBackend))]
struct PromptRow {
    prompt_key: String,
    module_slug: String,
    body: String,
}

/// The course's prompts in order, each with the learner's answer if they wrote one.
pub fn reflections_of(conn: &mut DbConnection, learner: UserId, course_slug: &str) -> ServerResult<Reflections> {
    let course = CurrentCourse::find(conn, course_slug)?;
    let prompts = course_reflection_prompts::table
        .filter(course_reflection_prompts::course_slug.eq(&course.slug))
        .order(course_reflection_prompts::position)
        .select(PromptRow::as_select())
        .load(conn)?;
    let titles: Vec<(String, String)> = modules::table
        .filter(modules::course_version_id.eq(course.version_id))
        .select((modules::slug, modules::title))
        .load(conn)?;
    let answers: Vec<(String, String, NaiveDateTime)> = reflections::table
        .filter(reflections::user_id.eq(learner))
        .filter(reflections::course_slug.eq(&course.slug))
        .select((reflections::prompt_key, reflections::answer, reflections::updated_at))
        .load(conn)?;
    Ok(Reflections {
        course_slug: course.slug,
        course_title: course.title,
        prompts: prompts
            .into_iter()
            .filter_map(|p| {
                // A prompt whose module left the course is not shown.
                let (_, module_title) = titles.iter().find(|(slug, _)| *slug == p.module_slug)?;
                let answer = answers.iter().find(|(key, ..)| *key == p.prompt_key);
                Some(Reflection {
                    module_title: module_title.clone(),
                    answer: answer.map(|(_, text, _)| text.clone()).unwrap_or_default(),
                    saved_on: answer.map(|(.., at)| crate::dates::day(*at)),
                    key: p.prompt_key,
                    module_slug: p.module_slug,
                    text: p.body,
                })
            })
            .collect(),
    })
}

/// Saves the learner's answer to one prompt; an empty answer deletes it.
pub fn save_reflection(
    conn: &mut DbConnection,
    learner: UserId,
    course_slug: &str,
    prompt: &str,
    answer: &str,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let known = course_reflection_prompts::table
        .filter(course_reflection_prompts::course_slug.eq(course_slug))
        .filter(course_reflection_prompts::prompt_key.eq(prompt));
    if !diesel::select(diesel::dsl::exists(known)).get_result::<bool>(conn)? {
        return Err(AppError::NotFound.into());
    }
    let answer = answer.trim();
    if answer.chars().count() > MAX_ANSWER_CHARS {
        return invalid(format!("Please keep each answer under {MAX_ANSWER_CHARS} characters."));
    }
    let mine = reflections::table.find((learner, course_slug, prompt));
    diesel::delete(mine).execute(conn)?;
    if !answer.is_empty() {
        diesel::insert_into(reflections::table)
            .values((
                reflections::user_id.eq(learner),
                reflections::course_slug.eq(course_slug),
                reflections::prompt_key.eq(prompt),
                reflections::answer.eq(answer),
                reflections::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Deletes every answer the learner wrote in a course.
pub fn delete_reflections(conn: &mut DbConnection, learner: UserId, course_slug: &str) -> ServerResult<()> {
    diesel::delete(
        reflections::table
            .filter(reflections::user_id.eq(learner))
            .filter(reflections::course_slug.eq(course_slug)),
    )
    .execute(conn)?;
    Ok(())
}
