//! Creating a course, editing its draft, discarding the draft, deleting a
//! course nobody started, and adding editors.

use super::course_rules;
use super::draft_edit;
use super::drafts::{delete_draft, save_draft, working_content};
use crate::access;
use crate::audit::{self, AuditAction};
use crate::db::DbConnection;
use crate::db::schema::{
    attempts, course_editors, course_versions, courses, enrollments, modules, question_options, questions,
    quiz_sittings, users,
};
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::course_content::CourseContent;
use holdspace_app::dto::{CourseId, CourseVersionId, DraftEdit, EditReport, Role, UserId};
use holdspace_app::error::AppError;

const NEW_COURSE_VERSION: &str = "1.0.0";

fn subject(slug: &str) -> String {
    format!("course:{slug}")
}

/// Creates an unpublished course (a draft) edited by its creator.
pub fn create_course(
    conn: &mut DbConnection,
    staff: UserId,
    slug: &str,
    title: &str,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = access::staff(conn, staff)?;
    let slug = slug.trim();
    if !course_rules::is_slug(slug) || slug.len() > 80 {
        return invalid(
            "A course's short name may only use lowercase letters, digits and dashes, like \"grounding-skills\". It becomes part of the course's address.",
        );
    }
    if title.trim().is_empty() {
        return invalid("Please give the course a title.");
    }
    let taken =
        diesel::select(diesel::dsl::exists(courses::table.filter(courses::slug.eq(slug)))).get_result::<bool>(conn)?;
    if taken {
        return invalid(format!(
            "There is already a course called \"{slug}\". Please choose another short name."
        ));
    }
    let course: CourseId = diesel::insert_into(courses::table)
        .values((courses::slug.eq(slug), courses::created_at.eq(now)))
        .returning(courses::id)
        .get_result(conn)?;
    add_editor_row(conn, course, staff, now)?;
    let content = CourseContent {
        slug: slug.to_owned(),
        title: title.trim().to_owned(),
        version: NEW_COURSE_VERSION.to_owned(),
        summary: String::new(),
        outcomes: Vec::new(),
        pass_mark: 80,
        review: Default::default(),
        modules: Vec::new(),
    };
    save_draft(conn, course, &content, &actor, now)?;
    audit::record(conn, &actor, AuditAction::CourseCreate, &subject(slug), None, now)
}

pub(super) fn add_editor_row(
    conn: &mut DbConnection,
    course: CourseId,
    editor: UserId,
    now: NaiveDateTime,
) -> ServerResult<()> {
    diesel::insert_into(course_editors::table)
        .values((
            course_editors::course_id.eq(course),
            course_editors::user_id.eq(editor),
            course_editors::added_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Applies one edit to the draft, starting one from the published version if needed.
pub fn edit(
    conn: &mut DbConnection,
    staff: UserId,
    slug: &str,
    edit: DraftEdit,
    now: NaiveDateTime,
) -> ServerResult<EditReport> {
    let actor = access::staff(conn, staff)?;
    let course = access::editable_course(conn, &actor, slug)?;
    let (mut content, _) = working_content(conn, &course)?;
    let report = draft_edit::apply(&mut content, edit).map_err(|error| AppError::Invalid(error.to_string()))?;
    save_draft(conn, course.id, &content, &actor, now)?;
    Ok(report)
}

pub fn discard_draft(conn: &mut DbConnection, staff: UserId, slug: &str, now: NaiveDateTime) -> ServerResult<()> {
    let actor = access::staff(conn, staff)?;
    let course = access::editable_course(conn, &actor, slug)?;
    if course.current_version.is_none() {
        return invalid(
            "This course has never been published, so its draft is all there is. To remove it, delete the course.",
        );
    }
    if delete_draft(conn, course.id)? {
        audit::record(conn, &actor, AuditAction::CourseDraftDiscard, &subject(slug), None, now)?;
    }
    Ok(())
}

/// Deletes a course nobody has started, with all its versions.
pub fn delete_course(conn: &mut DbConnection, staff: UserId, slug: &str, now: NaiveDateTime) -> ServerResult<()> {
    let actor = access::staff(conn, staff)?;
    let course = access::editable_course(conn, &actor, slug)?;
    let started = diesel::select(diesel::dsl::exists(
        enrollments::table.filter(enrollments::course_id.eq(course.id)),
    ))
    .get_result::<bool>(conn)?
        || diesel::select(diesel::dsl::exists(
            attempts::table.filter(attempts::course_id.eq(course.id)),
        ))
        .get_result::<bool>(conn)?;
    if started {
        return invalid(
            "Learners have started this course, so it can't be deleted: their progress, attempts and certificates point at it. You can publish a new version instead.",
        );
    }
    let version_ids = course_versions::table
        .filter(course_versions::course_id.eq(course.id))
        .select(course_versions::id);
    let module_ids = modules::table
        .filter(modules::course_version_id.eq_any(version_ids))
        .select(modules::id);
    diesel::delete(quiz_sittings::table.filter(quiz_sittings::module_id.eq_any(module_ids))).execute(conn)?;
    let question_ids = questions::table
        .filter(questions::module_id.eq_any(module_ids))
        .select(questions::id);
    diesel::delete(question_options::table.filter(question_options::question_id.eq_any(question_ids))).execute(conn)?;
    diesel::delete(questions::table.filter(questions::module_id.eq_any(module_ids))).execute(conn)?;
    diesel::delete(modules::table.filter(modules::course_version_id.eq_any(version_ids))).execute(conn)?;
    diesel::update(courses::table.find(course.id))
        .set(courses::current_version_id.eq(None::<CourseVersionId>))
        .execute(conn)?;
    diesel::delete(course_versions::table.filter(course_versions::course_id.eq(course.id))).execute(conn)?;
    diesel::delete(courses::table.find(course.id)).execute(conn)?;
    audit::record(conn, &actor, AuditAction::CourseDelete, &subject(slug), None, now)
}

/// Admins only: lets a trainer edit a course.
pub fn add_editor(
    conn: &mut DbConnection,
    admin: UserId,
    slug: &str,
    email: &str,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = access::site_admin(conn, admin)?;
    let course = access::editable_course(conn, &actor, slug)?;
    let found: Option<(UserId, Role)> = users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .select((users::id, users::role))
        .first(conn)
        .optional()?;
    let Some((editor, role)) = found else {
        return invalid("There is no account with that email address.");
    };
    if !matches!(role, Role::Trainer | Role::Admin) {
        return invalid("That account is not a trainer's. Its role needs to change before it can edit courses.");
    }
    let editor_actor = access::Actor::load(conn, editor)?;
    if !access::edits(conn, course.id, &editor_actor)? {
        add_editor_row(conn, course.id, editor, now)?;
        audit::record(
            conn,
            &actor,
            AuditAction::CourseEditorAdd,
            &subject(slug),
            Some(&format!("user:{editor}")),
            now,
        )?;
    }
    Ok(())
}
