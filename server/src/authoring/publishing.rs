//! Publishing a draft as a new immutable version, comparing versions, and
//! exporting the published course.

use super::course_diff;
use super::course_files::content_hash;
use super::course_rules;
use super::drafts::{delete_draft, draft};
use super::versions::{insert_version, version_content};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction};
use crate::db::DbConnection;
use crate::db::schema::{course_versions, courses};
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::course_content::CourseContent;
use holdspace_app::dto::{CourseId, CourseVersionId, UserId, VersionDiff};
use holdspace_app::error::AppError;

const MAX_CHANGE_SUMMARY_CHARS: usize = 2000;

pub(super) fn label_used(conn: &mut DbConnection, course: CourseId, version: &str) -> ServerResult<bool> {
    let used = course_versions::table
        .filter(course_versions::course_id.eq(course))
        .filter(course_versions::version_label.eq(version));
    Ok(diesel::select(diesel::dsl::exists(used)).get_result(conn)?)
}

/// Publishes the draft as version `version`, if it passes the course rules and changes something.
pub fn publish(
    conn: &mut DbConnection,
    staff: UserId,
    slug: &str,
    version: &str,
    change_summary: &str,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = access::staff(conn, staff)?;
    let course = access::editable_course(conn, &actor, slug)?;
    let Some(draft) = draft(conn, course.id)? else {
        return invalid("There are no unpublished changes to this course.");
    };
    let (version, change_summary) = (version.trim(), change_summary.trim());
    if version.is_empty() || version.len() > 40 {
        return invalid("Please give this version a short label, such as 1.1.0.");
    }
    if change_summary.is_empty() {
        return invalid("Please say in a sentence or two what changed. Other trainers read it in the version history.");
    }
    if change_summary.chars().count() > MAX_CHANGE_SUMMARY_CHARS {
        return invalid(format!(
            "Please keep the summary of changes under {MAX_CHANGE_SUMMARY_CHARS} characters."
        ));
    }
    if label_used(conn, course.id, version)? {
        return invalid(format!(
            "Version {version} has already been published. Please choose a new label."
        ));
    }
    let mut content = draft.content;
    content.version = version.to_owned();
    // Item-writing advice is shown beside its field; only faults (and a
    // course that breaks the balance rules widely) stop a publication.
    let problems = course_rules::refusals(&content);
    if !problems.is_empty() {
        let count = problems.len();
        return invalid(format!(
            "This draft isn't ready to publish yet: {count} thing{} still need{} attention. Each one is marked beside its field.",
            if count == 1 { "" } else { "s" },
            if count == 1 { "s" } else { "" },
        ));
    }
    let hash = content_hash(&content);
    if let Some(current) = course.current_version {
        let current_hash: String = course_versions::table
            .find(current)
            .select(course_versions::content_hash)
            .first(conn)?;
        let mut unchanged = version_content(conn, current)?;
        unchanged.version = content.version.clone();
        if current_hash == hash || content_hash(&unchanged) == hash {
            return invalid(
                "The draft is the same as the published version, so there is nothing to publish. You can discard it.",
            );
        }
    }
    publish_content(conn, course.id, &content, &actor, Some(change_summary), now)?;
    delete_draft(conn, course.id)?;
    audit::record(
        conn,
        &actor,
        AuditAction::CoursePublish,
        &format!("course:{slug}@{version}"),
        Some(change_summary),
        now,
    )
}

/// Makes `content` the course's current version.
pub fn publish_content(
    conn: &mut DbConnection,
    course: CourseId,
    content: &CourseContent,
    actor: &Actor,
    change_summary: Option<&str>,
    now: NaiveDateTime,
) -> ServerResult<CourseVersionId> {
    let version = insert_version(conn, course, content, &content_hash(content), now)?;
    diesel::update(course_versions::table.find(version))
        .set((
            course_versions::change_summary.eq(change_summary),
            course_versions::published_by_name.eq(&actor.name),
            course_versions::published_by_user_id.eq(actor.id),
        ))
        .execute(conn)?;
    diesel::update(courses::table.find(course))
        .set(courses::current_version_id.eq(version))
        .execute(conn)?;
    Ok(version)
}

/// Two versions of one course, module by module and question by question.
pub fn compare(
    conn: &mut DbConnection,
    staff: UserId,
    slug: &str,
    from: CourseVersionId,
    to: CourseVersionId,
) -> ServerResult<VersionDiff> {
    let actor = access::staff(conn, staff)?;
    let course = access::editable_course(conn, &actor, slug)?;
    for version in [from, to] {
        let belongs = course_versions::table
            .find(version)
            .filter(course_versions::course_id.eq(course.id));
        if !diesel::select(diesel::dsl::exists(belongs)).get_result::<bool>(conn)? {
            return Err(AppError::NotFound.into());
        }
    }
    Ok(course_diff::diff(
        &version_content(conn, from)?,
        &version_content(conn, to)?,
    ))
}

/// The published content of a course, for an export.
pub fn export(conn: &mut DbConnection, staff: UserId, slug: &str) -> ServerResult<CourseContent> {
    let actor = access::staff(conn, staff)?;
    let course = access::editable_course(conn, &actor, slug)?;
    let Some(version) = course.current_version else {
        return invalid("This course has not been published yet, so there is nothing to export.");
    };
    version_content(conn, version)
}
