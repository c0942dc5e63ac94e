//! How far a learner is: modules read, quizzes passed, attempts made.

use super::models::{CurrentCourse, Enrollment, ModuleRow};
use super::published::PublishedVersions;
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::{attempts, module_reads, modules};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{AttemptId, AttemptSummary, CourseId, CourseVersionId, EnrollmentId, Progress, Score, UserId};
use std::collections::HashSet;

/// Slugs of the modules a learner has read, and of those whose quiz they
/// passed (in any version: a module keeps its slug across versions).
pub struct ReadAndPassed {
    pub read: HashSet<String>,
    pub passed: HashSet<String>,
}

pub fn read_and_passed(
    conn: &mut DbConnection,
    learner: UserId,
    course: CourseId,
    enrollment: EnrollmentId,
) -> ServerResult<ReadAndPassed> {
    let read: Vec<String> = module_reads::table
        .filter(module_reads::enrollment_id.eq(enrollment))
        .select(module_reads::module_slug)
        .load(conn)?;
    let passed: Vec<String> = attempts::table
        .filter(attempts::user_id.eq(learner))
        .filter(attempts::course_id.eq(course))
        .filter(attempts::passed.eq(true))
        .select(attempts::module_slug)
        .distinct()
        .load(conn)?;
    Ok(ReadAndPassed {
        read: read.into_iter().collect(),
        passed: passed.into_iter().collect(),
    })
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub fn progress_of(modules: &[ModuleRow], enrollment: &Enrollment, done: &ReadAndPassed) -> Progress {
    let quizzes = modules.iter().filter(|m| m.has_quiz);
    Progress {
        modules_read: count(modules.iter().filter(|m| done.read.contains(&m.slug)).count()),
        modules_total: count(modules.len()),
        quizzes_passed: count(quizzes.clone().filter(|m| done.passed.contains(&m.slug)).count()),
        quizzes_total: count(quizzes.count()),
        completed_on: enrollment.completed_at.map(day),
        resume: enrollment
            .last_module_slug
            .as_ref()
            .and_then(|slug| modules.iter().find(|m| &m.slug == slug))
            .map(ModuleRow::link),
    }
}

/// The learner's progress in a course, if they are enrolled.
pub fn course_progress(
    conn: &mut DbConnection,
    learner: Option<UserId>,
    course: &CurrentCourse,
    modules: &[ModuleRow],
) -> ServerResult<Option<(Progress, ReadAndPassed)>> {
    let Some(learner) = learner else { return Ok(None) };
    let Some(enrollment) = super::enrollment(conn, learner, course.course_id)? else {
        return Ok(None);
    };
    let done = read_and_passed(conn, learner, course.course_id, enrollment.id)?;
    Ok(Some((progress_of(modules, &enrollment, &done), done)))
}

/// Whether the learner has passed the quiz of every module of this version
/// (a pass in an earlier version counts for a module with the same slug),
/// counting only passes from `since` on when given.
pub fn passed_every_quiz(
    conn: &mut DbConnection,
    learner: UserId,
    course: CourseId,
    version: CourseVersionId,
    since: Option<NaiveDateTime>,
) -> ServerResult<bool> {
    let quizzes: Vec<String> = modules::table
        .filter(modules::course_version_id.eq(version))
        .filter(modules::has_quiz.eq(true))
        .select(modules::slug)
        .load(conn)?;
    let mut passes = attempts::table
        .filter(attempts::user_id.eq(learner))
        .filter(attempts::course_id.eq(course))
        .filter(attempts::passed.eq(true))
        .select(attempts::module_slug)
        .into_boxed();
    if let Some(since) = since {
        passes = passes.filter(attempts::submitted_at.ge(since));
    }
    let passed: HashSet<String> = passes.load::<String>(conn)?.into_iter().collect();
    Ok(quizzes.iter().all(|slug| passed.contains(slug)))
}

/// An attempt as lists show it.
#[derive(Queryable, Selectable)]
#[diesel(table_name = attempts, check_for_backend(crate::db::MultiBackend))]
struct AttemptLine {
    id: AttemptId,
    module_slug: String,
    submitted_at: NaiveDateTime,
    score_basis_points: i32,
    passed: bool,
}

/// The learner's newest attempts in a course (of one module's quiz when
/// given), newest first, each with its module's slug.
pub fn recent_attempts(
    conn: &mut DbConnection,
    learner: UserId,
    course: CourseId,
    module: Option<&str>,
    limit: i64,
) -> ServerResult<Vec<(String, AttemptSummary)>> {
    let mut query = attempts::table
        .filter(attempts::user_id.eq(learner))
        .filter(attempts::course_id.eq(course))
        .order(attempts::id.desc())
        .limit(limit)
        .select(AttemptLine::as_select())
        .into_boxed();
    if let Some(slug) = module {
        query = query.filter(attempts::module_slug.eq(slug.to_owned()));
    }
    Ok(query
        .load(conn)?
        .into_iter()
        .map(|line| {
            let summary = AttemptSummary {
                attempt_id: line.id,
                submitted_on: day(line.submitted_at),
                score: Score::from_basis_points(line.score_basis_points),
                passed: line.passed,
            };
            (line.module_slug, summary)
        })
        .collect())
}

/// The learner's enrolled courses (oldest enrolment first) with progress
/// and their newest attempts, for the dashboard.
pub fn enrolled_courses(
    conn: &mut DbConnection,
    published: &PublishedVersions,
    learner: UserId,
) -> ServerResult<Vec<holdspace_app::dto::DashboardCourse>> {
    use crate::db::schema::{courses, enrollments};
    // A course deleted or not yet republished has no current version, so
    // the join leaves it out: nothing to show.
    let enrolled: Vec<(CurrentCourse, Enrollment)> = crate::current_courses!()
        .inner_join(enrollments::table.on(enrollments::course_id.eq(courses::id)))
        .filter(enrollments::user_id.eq(learner))
        .order(enrollments::enrolled_at)
        .select((CurrentCourse::as_select(), Enrollment::as_select()))
        .load(conn)?;
    let mut result = Vec::new();
    for (course, enrollment) in enrolled {
        let version = published.modules(conn, course.version_id)?;
        let done = read_and_passed(conn, learner, course.course_id, enrollment.id)?;
        let progress = progress_of(&version.modules, &enrollment, &done);
        let recent_attempts = recent_attempts(conn, learner, course.course_id, None, 5)?;
        result.push(holdspace_app::dto::DashboardCourse {
            slug: course.slug,
            title: course.title,
            progress,
            recent_attempts,
        });
    }
    Ok(result)
}
