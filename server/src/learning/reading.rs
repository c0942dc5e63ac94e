//! Reading a module. Progress is saved as the learner goes: opening a
//! module makes it where they are, and once its text was shown, it counts
//! as read.

use super::models::{CurrentCourse, Enrollment, ModuleRow};
use super::published::PublishedVersions;
use crate::db::schema::{attempts, courses, enrollments, module_reads};
use crate::db::{DbConnection, unless_already_there};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{ModuleAccess, ModulePage, UserId};
use holdspace_app::error::AppError;

/// Opens a module for an enrolled learner; a module with a content note
/// comes without its body unless `past_note` (the learner chose to read on).
///
/// Two queries on a repeat visit: the course's current version with the
/// learner's enrolment, and what they have done here; the module itself
/// comes from the kept published versions.
pub fn module(
    conn: &mut DbConnection,
    published: &PublishedVersions,
    learner: UserId,
    course_slug: &str,
    module_slug: &str,
    past_note: bool,
    now: NaiveDateTime,
) -> ServerResult<ModuleAccess> {
    let (course, enrollment) = crate::current_courses!()
        .left_join(
            enrollments::table.on(enrollments::course_id
                .eq(courses::id)
                .and(enrollments::user_id.eq(learner))),
        )
        .filter(courses::slug.eq(course_slug))
        .select((CurrentCourse::as_select(), Option::<Enrollment>::as_select()))
        .first::<(CurrentCourse, Option<Enrollment>)>(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let Some(enrollment) = enrollment else {
        return Ok(ModuleAccess::NotEnrolled {
            course_slug: course.slug,
            course_title: course.title,
        });
    };
    let version = published.modules(conn, course.version_id)?;
    let modules = &version.modules;
    let index = modules
        .iter()
        .position(|m| m.slug == module_slug)
        .ok_or(AppError::NotFound)?;
    let this = &modules[index];
    let body_html = (this.content_note.is_none() || past_note).then(|| version.bodies[index].clone());

    let (already_read, quiz_passed) = diesel::select((
        diesel::dsl::exists(
            module_reads::table
                .filter(module_reads::enrollment_id.eq(enrollment.id))
                .filter(module_reads::module_slug.eq(module_slug)),
        ),
        diesel::dsl::exists(
            attempts::table
                .filter(attempts::user_id.eq(learner))
                .filter(attempts::course_id.eq(course.course_id))
                .filter(attempts::module_slug.eq(module_slug))
                .filter(attempts::passed.eq(true)),
        ),
    ))
    .get_result::<(bool, bool)>(conn)?;
    if body_html.is_some() && !already_read {
        unless_already_there(
            diesel::insert_into(module_reads::table)
                .values((
                    module_reads::enrollment_id.eq(enrollment.id),
                    module_reads::module_slug.eq(module_slug),
                    module_reads::first_read_at.eq(now),
                ))
                .execute(conn),
        )?;
    }
    if enrollment.last_module_slug.as_deref() != Some(module_slug) {
        diesel::update(enrollments::table.find(enrollment.id))
            .set(enrollments::last_module_slug.eq(module_slug))
            .execute(conn)?;
    }
    Ok(ModuleAccess::Readable(Box::new(ModulePage {
        course_slug: course.slug,
        course_title: course.title,
        slug: this.slug.clone(),
        title: this.title.clone(),
        minutes: this.minutes(),
        position: u32::try_from(index + 1).unwrap_or(u32::MAX),
        module_count: u32::try_from(modules.len()).unwrap_or(u32::MAX),
        content_note: this.content_note.clone(),
        body_html,
        has_quiz: this.has_quiz,
        quiz_passed: this.has_quiz && quiz_passed,
        previous: index.checked_sub(1).map(|i| modules[i].link()),
        next: modules.get(index + 1).map(ModuleRow::link),
    })))
}
