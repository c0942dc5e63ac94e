//! What anyone may read before enrolling: the catalog and course outlines.

use super::models::{CurrentCourse, ModuleRow};
use super::progress::course_progress;
use super::published::PublishedVersions;
use crate::db::DbConnection;
use crate::db::schema::program_courses;
use crate::error::ServerResult;
use diesel::prelude::*;
use holdspace_app::dto::{CourseCard, CourseOutline, ModuleSummary, UserId};
use std::collections::HashMap;

/// Courses in the order their programs list them, then by title. Their
/// modules come from the kept published versions: two queries for a
/// visitor however many courses there are.
pub fn catalog(
    conn: &mut DbConnection,
    published: &PublishedVersions,
    viewer: Option<UserId>,
) -> ServerResult<Vec<CourseCard>> {
    let mut courses = CurrentCourse::all(conn)?;
    let order: Vec<(String, i32)> = program_courses::table
        .select((program_courses::course_slug, program_courses::position))
        .load(conn)?;
    let mut rank: HashMap<String, i32> = HashMap::new();
    for (slug, position) in order {
        let entry = rank.entry(slug).or_insert(position);
        *entry = (*entry).min(position);
    }
    courses.sort_by_cached_key(|c| (rank.get(&c.slug).copied().unwrap_or(i32::MAX), c.title.to_lowercase()));
    courses
        .into_iter()
        .map(|course| {
            let version = published.modules(conn, course.version_id)?;
            let modules = &version.modules;
            let progress = course_progress(conn, viewer, &course, modules)?.map(|(progress, _)| progress);
            Ok(CourseCard {
                module_count: u32::try_from(modules.len()).unwrap_or(u32::MAX),
                minutes: modules.iter().map(ModuleRow::minutes).sum(),
                slug: course.slug,
                title: course.title,
                summary: course.summary,
                progress,
            })
        })
        .collect()
}

pub fn course_outline(
    conn: &mut DbConnection,
    published: &PublishedVersions,
    slug: &str,
    viewer: Option<UserId>,
) -> ServerResult<CourseOutline> {
    let course = CurrentCourse::find(conn, slug)?;
    let version = published.modules(conn, course.version_id)?;
    let modules = &version.modules;
    let (progress, done) = course_progress(conn, viewer, &course, modules)?.unzip();
    let summaries = modules
        .iter()
        .map(|m| ModuleSummary {
            slug: m.slug.clone(),
            title: m.title.clone(),
            minutes: m.minutes(),
            has_quiz: m.has_quiz,
            has_content_note: m.content_note.is_some(),
            read: done.as_ref().is_some_and(|d| d.read.contains(&m.slug)),
            quiz_passed: done.as_ref().is_some_and(|d| d.passed.contains(&m.slug)),
        })
        .collect();
    Ok(CourseOutline {
        outcomes: course.outcomes()?,
        pass_mark: u32::try_from(course.pass_mark).unwrap_or(0),
        modules: summaries,
        slug: course.slug,
        title: course.title,
        version: course.version_label,
        summary: course.summary,
        progress,
    })
}
