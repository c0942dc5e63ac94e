//! Enrolling in a course, and finding a learner's enrolment.

use super::models::{CurrentCourse, Enrollment, ModuleRow};
use crate::db::schema::enrollments;
use crate::db::{DbConnection, unless_already_there};
use crate::error::{ServerError, ServerResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{CourseId, ModuleLink, UserId};

pub fn enrollment(conn: &mut DbConnection, learner: UserId, course: CourseId) -> ServerResult<Option<Enrollment>> {
    Ok(enrollments::table
        .filter(enrollments::user_id.eq(learner))
        .filter(enrollments::course_id.eq(course))
        .select(Enrollment::as_select())
        .first(conn)
        .optional()?)
}

/// Enrolls (idempotently) and returns the module to open: where the
/// learner stopped, or the first.
pub fn enroll(conn: &mut DbConnection, learner: UserId, slug: &str, now: NaiveDateTime) -> ServerResult<ModuleLink> {
    let course = CurrentCourse::find(conn, slug)?;
    let modules = ModuleRow::of_version(conn, course.version_id)?;
    let existing = enrollment(conn, learner, course.course_id)?;
    if existing.is_none() {
        // A concurrent enrolment of the same learner may get there first: same result.
        unless_already_there(
            diesel::insert_into(enrollments::table)
                .values((
                    enrollments::user_id.eq(learner),
                    enrollments::course_id.eq(course.course_id),
                    enrollments::enrolled_at.eq(now),
                ))
                .execute(conn),
        )?;
    }
    let resume = existing
        .and_then(|e| e.last_module_slug)
        .and_then(|slug| modules.iter().find(|m| m.slug == slug));
    resume
        .or(modules.first())
        .map(ModuleRow::link)
        .ok_or(ServerError::Corrupt(format!("course {slug} has no modules")))
}

/// Marks the enrolment complete once every quiz of the current version is passed.
pub fn mark_complete_if_done(
    conn: &mut DbConnection,
    learner: UserId,
    course: CourseId,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let Some(course) = CurrentCourse::by_id(conn, course)? else {
        return Ok(());
    };
    let Some(enrollment) = enrollment(conn, learner, course.course_id)? else {
        return Ok(());
    };
    if enrollment.completed_at.is_none()
        && super::passed_every_quiz(conn, learner, course.course_id, course.version_id, None)?
    {
        diesel::update(enrollments::table.find(enrollment.id))
            .set(enrollments::completed_at.eq(now))
            .execute(conn)?;
    }
    Ok(())
}
