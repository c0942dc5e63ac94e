//! Which programs a learner has completed the courses of.

use crate::db::DbConnection;
use crate::db::schema::{course_versions, courses, enrollments, program_courses, users};
use crate::error::ServerResult;
use crate::learning::passed_every_quiz;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{CourseId, CourseVersionId, ProgramId, UserId};

/// One course of a program as a certificate records it.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = courses, check_for_backend(crate::db::MultiBackend))]
pub struct CoveredCourse {
    #[diesel(column_name = id)]
    pub course_id: CourseId,
    pub slug: String,
    #[diesel(select_expression = course_versions::id)]
    pub version_id: CourseVersionId,
    #[diesel(select_expression = course_versions::title)]
    pub title: String,
    #[diesel(select_expression = course_versions::version_label)]
    pub version_label: String,
}

/// Someone who started a program: enrolled in one of its courses.
#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(crate::db::MultiBackend))]
pub struct ProgramLearnerRow {
    pub id: UserId,
    pub display_name: String,
    pub email: String,
}

/// Everyone who started the program, by name.
pub fn learners_of(conn: &mut DbConnection, program: ProgramId) -> ServerResult<Vec<ProgramLearnerRow>> {
    let courses = courses::table
        .inner_join(program_courses::table.on(program_courses::course_slug.eq(courses::slug)))
        .filter(program_courses::program_id.eq(program))
        .select(courses::id);
    let enrolled = enrollments::table
        .filter(enrollments::course_id.eq_any(courses))
        .select(enrollments::user_id);
    Ok(users::table
        .filter(users::id.eq_any(enrolled))
        .order((users::display_name, users::id))
        .select(ProgramLearnerRow::as_select())
        .load(conn)?)
}

/// The programs that list the course `slug`.
pub fn programs_with_course(conn: &mut DbConnection, slug: &str) -> ServerResult<Vec<ProgramId>> {
    Ok(program_courses::table
        .filter(program_courses::course_slug.eq(slug))
        .select(program_courses::program_id)
        .distinct()
        .load(conn)?)
}

/// The program's courses, if the learner is enrolled in each and has passed
/// every quiz of its current version (since `since`, for a renewal); else `None`.
pub fn completed_courses(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
    since: Option<NaiveDateTime>,
) -> ServerResult<Option<Vec<CoveredCourse>>> {
    Ok(course_states(conn, learner, program, since)?
        .into_iter()
        .map(|(course, done)| course.filter(|_| done))
        .collect())
}

/// Each of the program's courses in order: its current version (`None` if
/// it has none published) and whether the learner completed it.
pub fn course_states(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
    since: Option<NaiveDateTime>,
) -> ServerResult<Vec<(Option<CoveredCourse>, bool)>> {
    let slugs: Vec<String> = program_courses::table
        .filter(program_courses::program_id.eq(program))
        .order(program_courses::position)
        .select(program_courses::course_slug)
        .load(conn)?;
    let mut states = Vec::with_capacity(slugs.len());
    for slug in slugs {
        let current = crate::current_courses!()
            .filter(courses::slug.eq(&slug))
            .select(CoveredCourse::as_select())
            .first(conn)
            .optional()?;
        let Some(course) = current else {
            states.push((None, false));
            continue;
        };
        let enrolled = enrollments::table
            .filter(enrollments::user_id.eq(learner))
            .filter(enrollments::course_id.eq(course.course_id));
        let done = diesel::select(diesel::dsl::exists(enrolled)).get_result::<bool>(conn)?
            && passed_every_quiz(conn, learner, course.course_id, course.version_id, since)?;
        states.push((Some(course), done));
    }
    Ok(states)
}

/// The programs with a course the learner is enrolled in, by title.
pub fn programs_started_by(conn: &mut DbConnection, learner: UserId) -> ServerResult<Vec<super::Program>> {
    use crate::db::schema::programs;
    let slugs = courses::table
        .inner_join(enrollments::table)
        .filter(enrollments::user_id.eq(learner))
        .select(courses::slug);
    Ok(programs::table
        .filter(
            programs::id.eq_any(
                program_courses::table
                    .filter(program_courses::course_slug.eq_any(slugs))
                    .select(program_courses::program_id),
            ),
        )
        .order(programs::title)
        .select(super::Program::as_select())
        .load(conn)?)
}
