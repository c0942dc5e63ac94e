//! A learner's record: per program they have started, every requirement
//! with what is done, what waits on someone, and what is left.

mod transcript;

pub use transcript::transcript;

use crate::certificates;
use crate::db::DbConnection;
use crate::error::ServerResult;
use crate::exams::{self, ExamSpec};
use crate::practice;
use crate::programs::{self, Program, Route};
use crate::training;
use chrono::NaiveDateTime;
use holdspace_app::dto::{HoursProgress, LearnerRecord, ProgramRecord, UserId};

/// The learner's record at `now`.
pub fn record(conn: &mut DbConnection, learner: UserId, now: NaiveDateTime) -> ServerResult<LearnerRecord> {
    let programs = programs::programs_started_by(conn, learner)?;
    let mut records = Vec::with_capacity(programs.len());
    for program in programs {
        records.push(program_record(conn, learner, &program, now)?);
    }
    Ok(LearnerRecord {
        programs: records,
        toolkit: Vec::new(),
    })
}

fn program_record(
    conn: &mut DbConnection,
    learner: UserId,
    program: &Program,
    now: NaiveDateTime,
) -> ServerResult<ProgramRecord> {
    let route = programs::route(conn, learner, program, now)?;
    let renewing = matches!(route, Route::Continuing { .. });
    let courses = match route.courses_since() {
        Some(since) => programs::course_states(conn, learner, program.id, since)?
            .into_iter()
            .zip(program.course_slugs(conn)?)
            .map(|((course, done), slug)| (course.map_or(slug, |c| c.title), done))
            .collect(),
        None => Vec::new(),
    };
    let exam_passed = match (ExamSpec::of_program(conn, program.id)?, route.exam_since()) {
        (Some(_), Some(since)) => Some(exams::passed_exam(conn, learner, program.id, since)?),
        _ => None,
    };
    let supervised = if program.supervised_minutes > 0 && !renewing {
        let (confirmed, waiting) = practice::supervised_minutes(conn, learner, program.id)?;
        Some(HoursProgress {
            required_minutes: program.supervised_minutes,
            confirmed_minutes: confirmed,
            waiting_minutes: waiting,
        })
    } else {
        None
    };
    let practicals = if renewing {
        Vec::new()
    } else {
        program.practicals(conn)?
    };
    let keys: Vec<String> = practicals.iter().map(|p| p.key.clone()).collect();
    let signoffs = programs::signoffs_of(conn, learner, program, &keys)?;
    Ok(ProgramRecord {
        slug: program.slug.clone(),
        title: program.title.clone(),
        courses,
        exam_passed,
        supervised,
        practice: practice::practice_entries(conn, learner, program.id)?,
        attestations: practice::attestation_states(conn, learner, program.id)?,
        roleplays: if renewing {
            Vec::new()
        } else {
            practice::roleplay_states(conn, learner, program.id)?
        },
        practicals: practicals
            .into_iter()
            .zip(signoffs)
            .map(|(p, signed)| (p.title, signed.is_some()))
            .collect(),
        hours: training::hours_of(conn, learner, program, route)?,
        categories: training::categories(conn, program.id)?
            .into_iter()
            .map(|c| (c.category_key, c.title))
            .collect(),
        sessions: training::sessions_for_learner(conn, learner, program.id, now)?,
        trainings: training::trainings_of(conn, learner, program.id)?,
        renewing,
        certified: certificates::certified_now(conn, learner, program.id, now)?,
    })
}
