//! A program's learners: who is certified, who is close, and the practical
//! sign-offs, for the program's staff.

use crate::access;
use crate::certificates::certified_now;
use crate::db::DbConnection;
use crate::db::schema::courses;
use crate::error::ServerResult;
use crate::exams;
use crate::learning::passed_every_quiz;
use crate::practice;
use crate::programs::{self, Program};
use crate::training;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{CourseId, CourseVersionId, ProgramLearner, ProgramProgress, UserId};

#[derive(Queryable, Selectable)]
#[diesel(table_name = courses, check_for_backend(crate::db::MultiBackend))]
struct ProgramCourse {
    id: CourseId,
    current_version_id: Option<CourseVersionId>,
}

pub fn program_progress(
    conn: &mut DbConnection,
    staff: UserId,
    slug: &str,
    now: NaiveDateTime,
) -> ServerResult<ProgramProgress> {
    let actor = access::staff(conn, staff)?;
    let program = Program::find(conn, slug)?;
    access::require_program_staff(conn, &actor, program.id)?;
    let course_slugs = program.course_slugs(conn)?;
    let practicals = program.practicals(conn)?;
    let keys: Vec<String> = practicals.iter().map(|p| p.key.clone()).collect();
    let program_courses: Vec<ProgramCourse> = courses::table
        .filter(courses::slug.eq_any(&course_slugs))
        .select(ProgramCourse::as_select())
        .load(conn)?;
    let people = programs::learners_of(conn, program.id)?;
    let mut learners = Vec::with_capacity(people.len());
    for person in people {
        let mut courses_passed = 0u32;
        for course in &program_courses {
            if let Some(version) = course.current_version_id
                && passed_every_quiz(conn, person.id, course.id, version, None)?
            {
                courses_passed += 1;
            }
        }
        let signoffs = programs::signoffs_of(conn, person.id, &program, &keys)?;
        let open = u32::try_from(signoffs.iter().filter(|s| s.is_none()).count()).unwrap_or(u32::MAX);
        let exam = exams::standing(conn, person.id, &program, now)?;
        let roleplays_passed = practice::roleplays_passed(conn, person.id, program.id)?;
        let supervised_open = practice::supervised_minutes(conn, person.id, program.id)?.0 < program.supervised_minutes;
        let route = programs::route(conn, person.id, &program, now)?;
        let hours_open = training::hours_of(conn, person.id, &program, route)?.is_some_and(|h| !h.met());
        let unsigned = practice::attestation_states(conn, person.id, program.id)?
            .iter()
            .filter(|a| a.signed_on.is_none())
            .count();
        let remaining = u32::try_from(course_slugs.len())
            .unwrap_or(u32::MAX)
            .saturating_sub(courses_passed)
            + open
            + u32::from(exam.as_ref().is_some_and(|e| !e.passed))
            + u32::from(supervised_open)
            + u32::from(hours_open)
            + u32::try_from(unsigned).unwrap_or(u32::MAX)
            + u32::try_from(roleplays_passed.iter().filter(|p| !**p).count()).unwrap_or(u32::MAX);
        learners.push(ProgramLearner {
            user_id: person.id,
            name: person.display_name,
            email: person.email,
            courses_passed,
            signoffs,
            roleplays_passed,
            certified: certified_now(conn, person.id, program.id, now)?,
            remaining,
            exam,
        });
    }
    learners.sort_by_key(|l| (!l.certified, l.remaining));
    Ok(ProgramProgress {
        staff: programs::staff_names(conn, program.id)?,
        slug: program.slug,
        title: program.title,
        courses: course_slugs,
        practicals,
        roleplays: practice::checklists(conn, program.id)?,
        learners,
        may_assign_staff: actor.is_admin(),
        has_exam: exams::ExamSpec::of_program(conn, program.id)?.is_some(),
        guides: Vec::new(),
    })
}
