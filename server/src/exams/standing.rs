//! Where a learner stands with a program's exam: for their progress page
//! and for the staff who may open another attempt.

use super::spec::{ExamSpec, attempts_made, passed_exam};
use crate::db::DbConnection;
use crate::error::ServerResult;
use crate::learning::{self, GrantFor};
use crate::programs::{self, Program};
use chrono::NaiveDateTime;
use holdspace_app::dto::{ExamStanding, UserId};

/// The learner's standing, if the program has an exam.
pub fn standing(
    conn: &mut DbConnection,
    learner: UserId,
    program: &Program,
    now: NaiveDateTime,
) -> ServerResult<Option<ExamStanding>> {
    let Some(spec) = ExamSpec::of_program(conn, program.id)? else {
        return Ok(None);
    };
    let made = attempts_made(conn, learner, program.id)?;
    let route = programs::route(conn, learner, program, now)?;
    let since = route.exam_since().unwrap_or_default();
    let passed = passed_exam(conn, learner, program.id, since)?;
    let held_back = if passed {
        None
    } else {
        match learning::next_attempt(&spec.attempts(), &made, now) {
            Ok(()) => None,
            Err(_) if learning::unused_grant(conn, learner, &GrantFor::Exam { program: program.id })?.is_some() => None,
            Err(not_yet) => Some(not_yet.message("exam")),
        }
    };
    Ok(Some(ExamStanding {
        program_slug: program.slug.clone(),
        program_title: program.title.clone(),
        courses_complete: programs::completed_courses(conn, learner, program.id, route.courses_since().flatten())?
            .is_some(),
        attempts: u32::try_from(made.len()).unwrap_or(u32::MAX),
        passed,
        held_back,
    }))
}

/// The exams of the programs the learner has started (is enrolled in a course of).
pub fn exams_of_learner(
    conn: &mut DbConnection,
    learner: UserId,
    now: NaiveDateTime,
) -> ServerResult<Vec<ExamStanding>> {
    let mut standings = Vec::new();
    for program in programs::programs_started_by(conn, learner)? {
        if let Some(standing) = standing(conn, learner, &program, now)? {
            standings.push(standing);
        }
    }
    Ok(standings)
}
