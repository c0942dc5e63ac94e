//! A learner's record: per program they have started, every requirement
//! with what is done, what waits on someone, and what is left.

use crate::certificates;
use crate::db::DbConnection;
use crate::error::ServerResult;
use crate::exams::{self, ExamSpec};
use crate::practice;
use crate::programs::{self, Program};
use chrono::NaiveDateTime;
use holdspace_app::dto::{HoursProgress, LearnerRecord, ProgramRecord, UserId};

/// The learner's record at `now`.
pub fn record(conn: &mut DbConnection, learner: UserId, now: NaiveDateTime) -> ServerResult<LearnerRecord> {
    let programs = programs::programs_started_by(conn, learner)?;
    let mut records = Vec::with_capacity(programs.len());
    for program in programs {
        records.push(program_record(conn, learner, &program, now)?);
    }
    Ok(LearnerRecord { programs: records })
}

fn program_record(
    conn: &mut DbConnection,
    learner: UserId,
    program: &Program,
    now: NaiveDateTime,
) -> ServerResult<ProgramRecord> {
    let since = programs::renewal_since(conn, learner, program, now)?;
    let slugs = program.course_slugs(conn)?;
    let courses = programs::course_states(conn, learner, program.id, since)?
        .into_iter()
        .zip(slugs)
        .map(|((course, done), slug)| (course.map_or(slug, |c| c.title), done))
        .collect();
    let exam_passed = match ExamSpec::of_program(conn, program.id)? {
        Some(_) => Some(exams::passed_exam(conn, learner, program.id, since)?),
        None => None,
    };
    let supervised = if program.supervised_minutes > 0 {
        let (confirmed, waiting) = practice::supervised_minutes(conn, learner, program.id)?;
        Some(HoursProgress {
            required_minutes: program.supervised_minutes,
            confirmed_minutes: confirmed,
            waiting_minutes: waiting,
        })
    } else {
        None
    };
    let practicals = program.practicals(conn)?;
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
        roleplays: practice::roleplay_states(conn, learner, program.id)?,
        practicals: practicals
            .into_iter()
            .zip(signoffs)
            .map(|(p, signed)| (p.title, signed.is_some()))
            .collect(),
        certified: certificates::certified_now(conn, learner, program.id, now)?,
    })
}
