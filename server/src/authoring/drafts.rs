//! A course's one draft: where every edit goes until it is published.
//! Learners never read it.

use super::versions::version_content;
use crate::access::{Actor, EditableCourse};
use crate::db::DbConnection;
use crate::db::schema::course_drafts;
use crate::error::{ServerError, ServerResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::course_content::CourseContent;
use holdspace_app::dto::CourseId;

/// A draft as stored.
#[derive(Queryable, Selectable)]
#[diesel(table_name = course_drafts, check_for_backend(crate::db::MultiBackend))]
struct DraftRow {
    content: String,
    updated_at: NaiveDateTime,
    updated_by_name: String,
}

/// A draft, read back.
#[derive(Clone, Debug)]
pub struct Draft {
    pub content: CourseContent,
    pub updated_at: NaiveDateTime,
    pub updated_by: String,
}

pub fn draft(conn: &mut DbConnection, course: CourseId) -> ServerResult<Option<Draft>> {
    let row = course_drafts::table
        .find(course)
        .select(DraftRow::as_select())
        .first(conn)
        .optional()?;
    row.map(|row| {
        Ok(Draft {
            content: serde_json::from_str(&row.content)?,
            updated_at: row.updated_at,
            updated_by: row.updated_by_name,
        })
    })
    .transpose()
}

pub fn save_draft(
    conn: &mut DbConnection,
    course: CourseId,
    content: &CourseContent,
    actor: &Actor,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let json = serde_json::to_string(content)?;
    let updated = diesel::update(course_drafts::table.find(course))
        .set((
            course_drafts::content.eq(&json),
            course_drafts::updated_at.eq(now),
            course_drafts::updated_by_name.eq(&actor.name),
            course_drafts::updated_by_user_id.eq(actor.id),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(course_drafts::table)
            .values((
                course_drafts::course_id.eq(course),
                course_drafts::content.eq(&json),
                course_drafts::updated_at.eq(now),
                course_drafts::updated_by_name.eq(&actor.name),
                course_drafts::updated_by_user_id.eq(actor.id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete_draft(conn: &mut DbConnection, course: CourseId) -> ServerResult<bool> {
    Ok(diesel::delete(course_drafts::table.find(course)).execute(conn)? > 0)
}

/// The draft if there is one, else the published version.
pub fn working_content(
    conn: &mut DbConnection,
    course: &EditableCourse,
) -> ServerResult<(CourseContent, Option<Draft>)> {
    match (draft(conn, course.id)?, course.current_version) {
        (Some(draft), _) => Ok((draft.content.clone(), Some(draft))),
        (None, Some(version)) => Ok((version_content(conn, version)?, None)),
        (None, None) => Err(ServerError::Corrupt(format!(
            "course {} has neither a draft nor a version",
            course.id
        ))),
    }
}
