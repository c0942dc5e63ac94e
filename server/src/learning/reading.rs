//! Reading a module. Progress is saved as the learner goes: opening a
//! module makes it where they are, and once its text was shown, it counts
//! as read.

use super::models::{CurrentCourse, Enrollment, ModuleRow};
use super::published::PublishedVersions;
use crate::db::schema::{attempts, courses, enrollments, module_reads};
use crate::db::{DbConnection, unless_already_there};
use crate::error::ServerResult;
use crate::pre_deflated::PreDeflated;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{EnrollmentId, ModuleAccess, ModulePage, UserId};
use holdspace_app::error::AppError;
use std::sync::Arc;

/// What opening a module changes in the learner's progress. The page is
/// read first and this saved after, in a write of its own, so that the
/// read takes no write lock and a repeat visit writes nothing.
#[derive(Debug)]
pub struct Progress {
    enrollment: EnrollmentId,
    module_slug: String,
    /// Its text was shown for the first time.
    first_read: bool,
    /// It was not where the learner last was.
    moved_here: bool,
}

/// What opening a module gives: the page, what it changes in the
/// learner's progress, and the module's text as deflated ahead if the page
/// shows it (see [`crate::http::answer_carries`]).
#[derive(Debug)]
pub struct ModuleVisit {
    pub access: ModuleAccess,
    pub progress: Option<Progress>,
    pub text_shown: Option<Arc<PreDeflated>>,
}

/// Opens a module for an enrolled learner; a module with a content note
/// comes without its body unless `past_note` (the learner chose to read on).
/// Reads only: what the visit changes comes back as [`Progress`], to be
/// saved with [`save_progress`].
///
/// One query on a repeat visit: the course's current version with the
/// learner's enrolment and what they have done here (read it, passed its
/// quiz); the module itself comes from the kept published versions.
pub fn module(
    conn: &mut DbConnection,
    published: &PublishedVersions,
    learner: UserId,
    course_slug: &str,
    module_slug: &str,
    past_note: bool,
) -> ServerResult<ModuleVisit> {
    let (course, enrollment, already_read, quiz_passed) = crate::on_backend!(conn, |c| {
        crate::current_courses!()
            .left_join(
                enrollments::table.on(enrollments::course_id
                    .eq(courses::id)
                    .and(enrollments::user_id.eq(learner))),
            )
            .filter(courses::slug.eq(course_slug))
            .select((
                CurrentCourse::as_select(),
                Option::<Enrollment>::as_select(),
                diesel::dsl::exists(
                    module_reads::table
                        .filter(module_reads::enrollment_id.eq(enrollments::id))
                        .filter(module_reads::module_slug.eq(module_slug)),
                ),
                diesel::dsl::exists(
                    attempts::table
                        .filter(attempts::user_id.eq(learner))
                        .filter(attempts::course_id.eq(courses::id))
                        .filter(attempts::module_slug.eq(module_slug))
                        .filter(attempts::passed.eq(true)),
                ),
            ))
            .first::<(CurrentCourse, Option<Enrollment>, bool, bool)>(c)
            .optional()
    })?
    .ok_or(AppError::NotFound)?;
    let Some(enrollment) = enrollment else {
        let access = ModuleAccess::NotEnrolled {
            course_slug: course.slug,
            course_title: course.title,
        };
        return Ok(ModuleVisit {
            access,
            progress: None,
            text_shown: None,
        });
    };
    let version = published.modules(conn, course.version_id)?;
    let modules = &version.modules;
    let index = modules
        .iter()
        .position(|m| m.slug == module_slug)
        .ok_or(AppError::NotFound)?;
    let this = &modules[index];
    let text_shown = (this.content_note.is_none() || past_note).then(|| version.bodies[index].clone());
    let body_html = text_shown.as_ref().map(|text| text.text().to_owned());

    let progress = Progress {
        enrollment: enrollment.id,
        module_slug: module_slug.to_owned(),
        first_read: body_html.is_some() && !already_read,
        moved_here: enrollment.last_module_slug.as_deref() != Some(module_slug),
    };
    let page = ModulePage {
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
    };
    let changed = progress.first_read || progress.moved_here;
    Ok(ModuleVisit {
        access: ModuleAccess::Readable(Box::new(page)),
        progress: changed.then_some(progress),
        text_shown,
    })
}

/// Saves what opening a module changed: it counts as read once its text
/// was shown, and it is where the learner is.
pub fn save_progress(conn: &mut DbConnection, progress: &Progress, now: NaiveDateTime) -> ServerResult<()> {
    if progress.first_read {
        unless_already_there(
            diesel::insert_into(module_reads::table)
                .values((
                    module_reads::enrollment_id.eq(progress.enrollment),
                    module_reads::module_slug.eq(&progress.module_slug),
                    module_reads::first_read_at.eq(now),
                ))
                .execute(conn),
        )?;
    }
    if progress.moved_here {
        diesel::update(enrollments::table.find(progress.enrollment))
            .set(enrollments::last_module_slug.eq(&progress.module_slug))
            .execute(conn)?;
    }
    Ok(())
}
