//! Sessions of supervised practice: the learner logs date, hours and role
//! (never anything about the group's members) and names a supervisor, who
//! confirms or declines. Only confirmed minutes count.

use crate::access::{self, Actor};
use crate::audit::{self, AuditAction};
use crate::dates::{day, parse_hours, past_day};
use crate::db::DbConnection;
use crate::db::schema::{practice_logs, programs, users};
use crate::error::{ServerResult, invalid};
use crate::programs::Program;
use chrono::{NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use holdspace_app::dto::{
    PracticeEntry, PracticeLogForm, PracticeLogId, PracticeRole, PracticeStatus, ProgramId, QueuedPractice, Role,
    UserId,
};
use holdspace_app::error::AppError;

const MAX_NOTE_CHARS: usize = 1000;

/// A logged session as stored.
#[derive(Queryable, Selectable)]
#[diesel(table_name = practice_logs, check_for_backend(crate::db::MultiBackend))]
pub(super) struct LogRow {
    pub id: PracticeLogId,
    pub user_id: UserId,
    pub program_id: ProgramId,
    pub practiced_on: NaiveDateTime,
    pub minutes: i32,
    pub role: PracticeRole,
    pub supervisor_id: Option<UserId>,
    pub supervisor_name: String,
    pub status: PracticeStatus,
    pub review_note: String,
    pub logged_at: NaiveDateTime,
}

impl From<LogRow> for PracticeEntry {
    fn from(row: LogRow) -> Self {
        PracticeEntry {
            id: row.id,
            practiced_on: day(row.practiced_on),
            minutes: row.minutes,
            role: row.role,
            supervisor: row.supervisor_name,
            status: row.status,
            note: row.review_note,
        }
    }
}

/// The note with a decision on something a learner logged: needed to
/// decline, so the learner knows what to do next.
pub fn decision_note(confirm: bool, note: &str) -> ServerResult<&str> {
    let note = note.trim();
    if !confirm && note.is_empty() {
        return invalid("Please add a short note saying why, so the learner knows what to do next.");
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return invalid(format!("Please keep the note under {MAX_NOTE_CHARS} characters."));
    }
    Ok(note)
}

/// Logs a session for the learner, waiting for the supervisor they named.
pub fn log(conn: &mut DbConnection, learner: UserId, form: &PracticeLogForm, now: NaiveDateTime) -> ServerResult<()> {
    let actor = Actor::load(conn, learner)?;
    let program = Program::find(conn, &form.program)?;
    if program.supervised_minutes == 0 {
        return invalid("This program doesn't ask for supervised practice, so there's nothing to log here.");
    }
    let on = past_day(&form.practiced_on, "the date of the session", now.date())?;
    let Some(minutes) = parse_hours(&form.hours) else {
        return invalid("Please give the hours as a number in quarter hours, like 2 or 1.5, up to 12.");
    };
    let Some(role) = PracticeRole::parse(&form.role) else {
        return invalid("Please choose your role in the session.");
    };
    let supervisor: Option<(UserId, String, Role)> = users::table
        .filter(users::email.eq(form.supervisor_email.trim().to_lowercase()))
        .filter(users::disabled_at.is_null())
        .select((users::id, users::display_name, users::role))
        .first(conn)
        .optional()?;
    // One answer for "no such account" and "not a supervisor", so the form
    // can't be used to find out who has an account here.
    let Some((supervisor, supervisor_name, _)) =
        supervisor.filter(|(_, _, role)| matches!(role, Role::Trainer | Role::Admin))
    else {
        return invalid(
            "We couldn't find a supervisor with that email address. Please check it with your supervisor: \
             it's the address of their trainer account here.",
        );
    };
    if supervisor == learner {
        return invalid("Someone else needs to confirm your practice: please name the supervisor who was there.");
    }
    let id: PracticeLogId = diesel::insert_into(practice_logs::table)
        .values((
            practice_logs::user_id.eq(learner),
            practice_logs::program_id.eq(program.id),
            practice_logs::practiced_on.eq(on.and_time(NaiveTime::MIN)),
            practice_logs::minutes.eq(minutes),
            practice_logs::role.eq(role),
            practice_logs::supervisor_id.eq(supervisor),
            practice_logs::supervisor_name.eq(&supervisor_name),
            practice_logs::status.eq(PracticeStatus::Pending),
            practice_logs::logged_at.eq(now),
        ))
        .returning(practice_logs::id)
        .get_result(conn)?;
    let subject = format!("practice:{id}/program:{}", program.slug);
    audit::record(conn, &actor, AuditAction::PracticeLog, &subject, None, now)?;
    Ok(())
}

/// The minutes of the learner's confirmed practice for the program, and of
/// practice still waiting for a supervisor.
pub fn supervised_minutes(conn: &mut DbConnection, learner: UserId, program: ProgramId) -> ServerResult<(i32, i32)> {
    let rows: Vec<(PracticeStatus, i32)> = practice_logs::table
        .filter(practice_logs::user_id.eq(learner))
        .filter(practice_logs::program_id.eq(program))
        .select((practice_logs::status, practice_logs::minutes))
        .load(conn)?;
    let sum = |wanted: PracticeStatus| -> i32 {
        rows.iter()
            .filter(|(status, _)| *status == wanted)
            .map(|(_, minutes)| minutes)
            .sum()
    };
    Ok((sum(PracticeStatus::Confirmed), sum(PracticeStatus::Pending)))
}

/// The learner's logged sessions for a program, newest first.
pub fn practice_entries(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
) -> ServerResult<Vec<PracticeEntry>> {
    Ok(practice_logs::table
        .filter(practice_logs::user_id.eq(learner))
        .filter(practice_logs::program_id.eq(program))
        .order((practice_logs::practiced_on.desc(), practice_logs::id.desc()))
        .select(LogRow::as_select())
        .load(conn)?
        .into_iter()
        .map(PracticeEntry::from)
        .collect())
}

/// What waits for the supervisor, oldest first.
pub fn queue(conn: &mut DbConnection, supervisor: UserId) -> ServerResult<Vec<QueuedPractice>> {
    let actor = access::staff(conn, supervisor)?;
    let rows: Vec<(LogRow, String, String)> = practice_logs::table
        .inner_join(users::table.on(users::id.eq(practice_logs::user_id)))
        .inner_join(programs::table)
        .filter(practice_logs::supervisor_id.eq(actor.id))
        .filter(practice_logs::status.eq(PracticeStatus::Pending))
        .order(practice_logs::logged_at)
        .select((LogRow::as_select(), users::display_name, programs::title))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(row, learner, program)| QueuedPractice {
            id: row.id,
            learner,
            program,
            practiced_on: day(row.practiced_on),
            minutes: row.minutes,
            role: row.role,
            logged_on: day(row.logged_at),
        })
        .collect())
}

/// The named supervisor confirms or declines a pending session; returns
/// the learner and program, for issuing the certificate a confirmation may complete.
pub fn review(
    conn: &mut DbConnection,
    supervisor: UserId,
    log: PracticeLogId,
    confirm: bool,
    note: &str,
    now: NaiveDateTime,
) -> ServerResult<(UserId, ProgramId)> {
    let actor = Actor::load(conn, supervisor)?;
    let row = practice_logs::table
        .find(log)
        .select(LogRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    access::require_named_supervisor(&actor, row.supervisor_id, row.user_id)?;
    if row.status != PracticeStatus::Pending {
        return invalid("This session was already decided.");
    }
    let note = decision_note(confirm, note)?;
    let (status, action) = if confirm {
        (PracticeStatus::Confirmed, AuditAction::PracticeConfirm)
    } else {
        (PracticeStatus::Declined, AuditAction::PracticeDecline)
    };
    diesel::update(practice_logs::table.find(log))
        .set((
            practice_logs::status.eq(status),
            practice_logs::review_note.eq(note),
            practice_logs::reviewed_at.eq(now),
        ))
        .execute(conn)?;
    let subject = format!("practice:{log}/user:{}", row.user_id);
    audit::record(
        conn,
        &actor,
        action,
        &subject,
        Some(note).filter(|n| !n.is_empty()),
        now,
    )?;
    Ok((row.user_id, row.program_id))
}
