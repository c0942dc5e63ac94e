//! Live sessions: a trainer of the program schedules one, learners sign
//! up while there is room, and the trainer marks who came. Only attended
//! hours count.

use super::hours::categories;
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction};
use crate::dates::{coming_time, day_and_time, parse_hours};
use crate::db::DbConnection;
use crate::db::schema::{live_sessions, programs, session_seats, users};
use crate::error::{ServerResult, invalid};
use crate::programs::Program;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{
    Attendance, AttendanceForm, AttendanceSheet, LiveSession, LiveSessionId, ProgramId, ProgramSessions, Seat,
    SeatMark, SessionForm, UserId,
};
use holdspace_app::error::AppError;

const MAX_TITLE_CHARS: usize = 120;
const MAX_PLACE_CHARS: usize = 300;
const MAX_CAPACITY: i32 = 500;

/// A session as stored.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = live_sessions, check_for_backend(crate::db::MultiBackend))]
struct SessionRow {
    id: LiveSessionId,
    program_id: ProgramId,
    title: String,
    starts_at: NaiveDateTime,
    minutes: i32,
    place: String,
    category_key: String,
    capacity: i32,
    trainer_name: String,
}

impl SessionRow {
    fn find(conn: &mut DbConnection, id: LiveSessionId) -> ServerResult<SessionRow> {
        Ok(live_sessions::table
            .find(id)
            .select(SessionRow::as_select())
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?)
    }

    fn taken(&self, conn: &mut DbConnection) -> ServerResult<i32> {
        let seats: i64 = session_seats::table
            .filter(session_seats::session_id.eq(self.id))
            .count()
            .get_result(conn)?;
        Ok(i32::try_from(seats).unwrap_or(i32::MAX))
    }

    /// As a page shows it to `viewer`, whose seat (if any) is `seat`.
    fn view(self, conn: &mut DbConnection, seat: Seat, now: NaiveDateTime) -> ServerResult<LiveSession> {
        let category = categories(conn, self.program_id)?
            .into_iter()
            .find(|c| c.category_key == self.category_key)
            .map_or_else(|| self.category_key.clone(), |c| c.title);
        Ok(LiveSession {
            id: self.id,
            taken: self.taken(conn)?,
            title: self.title,
            starts: day_and_time(self.starts_at),
            minutes: self.minutes,
            place: self.place,
            category,
            capacity: self.capacity,
            trainer: self.trainer_name,
            started: self.starts_at <= now,
            seat,
        })
    }
}

fn text<'a>(typed: &'a str, what: &str, most: usize) -> ServerResult<&'a str> {
    let typed = typed.trim();
    if typed.is_empty() {
        return invalid(format!("Please give {what}."));
    }
    if typed.chars().count() > most {
        return invalid(format!("Please keep {what} under {most} characters."));
    }
    Ok(typed)
}

/// Staff of the program schedule a session in one of its hour categories.
pub fn schedule(
    conn: &mut DbConnection,
    staff: UserId,
    form: &SessionForm,
    now: NaiveDateTime,
) -> ServerResult<LiveSessionId> {
    let actor = access::staff(conn, staff)?;
    let program = Program::find(conn, &form.program)?;
    access::require_program_staff(conn, &actor, program.id)?;
    if program.training_minutes == 0 && program.ce_minutes == 0 {
        return invalid("This program doesn't count training hours, so its sessions would count for nothing.");
    }
    let title = text(&form.title, "a title", MAX_TITLE_CHARS)?;
    let place = text(
        &form.place,
        "the place, or the link for an online session",
        MAX_PLACE_CHARS,
    )?;
    let starts_at = coming_time(&form.starts, now)?;
    let Some(minutes) = parse_hours(&form.hours) else {
        return invalid("Please give the hours as a number in quarter hours, like 2 or 1.5, up to 12.");
    };
    let Some(category) = categories(conn, program.id)?
        .into_iter()
        .find(|c| c.category_key == form.category)
    else {
        return invalid("Please choose what the session counts towards.");
    };
    let Some(capacity) = form
        .capacity
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|c| (1..=MAX_CAPACITY).contains(c))
    else {
        return invalid(format!(
            "Please give the number of places as a whole number from 1 to {MAX_CAPACITY}."
        ));
    };
    let id: LiveSessionId = diesel::insert_into(live_sessions::table)
        .values((
            live_sessions::program_id.eq(program.id),
            live_sessions::title.eq(title),
            live_sessions::starts_at.eq(starts_at),
            live_sessions::minutes.eq(minutes),
            live_sessions::place.eq(place),
            live_sessions::category_key.eq(&category.category_key),
            live_sessions::capacity.eq(capacity),
            live_sessions::trainer_id.eq(actor.id),
            live_sessions::trainer_name.eq(&actor.name),
            live_sessions::created_at.eq(now),
        ))
        .returning(live_sessions::id)
        .get_result(conn)?;
    let subject = format!("session:{id}/program:{}", program.slug);
    audit::record(conn, &actor, AuditAction::SessionSchedule, &subject, None, now)?;
    Ok(id)
}

/// The program's sessions, newest first, as its staff see them.
pub fn sessions_of_program(
    conn: &mut DbConnection,
    staff: UserId,
    program: &Program,
    now: NaiveDateTime,
) -> ServerResult<ProgramSessions> {
    let actor = access::staff(conn, staff)?;
    access::require_program_staff(conn, &actor, program.id)?;
    let rows = live_sessions::table
        .filter(live_sessions::program_id.eq(program.id))
        .order((live_sessions::starts_at.desc(), live_sessions::id))
        .select(SessionRow::as_select())
        .load(conn)?;
    let counts_hours = program.training_minutes > 0 || program.ce_minutes > 0;
    Ok(ProgramSessions {
        categories: categories(conn, program.id)?
            .into_iter()
            .filter(|_| counts_hours)
            .map(|c| (c.category_key, c.title))
            .collect(),
        sessions: rows
            .into_iter()
            .map(|row| row.view(conn, Seat::NotSignedUp, now))
            .collect::<ServerResult<_>>()?,
    })
}

/// For the learner's record: the program's sessions still to come, and
/// every past one they signed up for, soonest first.
pub fn sessions_for_learner(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
    now: NaiveDateTime,
) -> ServerResult<Vec<LiveSession>> {
    let seats: Vec<(LiveSessionId, Option<Attendance>)> = session_seats::table
        .inner_join(live_sessions::table)
        .filter(session_seats::user_id.eq(learner))
        .filter(live_sessions::program_id.eq(program))
        .select((session_seats::session_id, session_seats::attendance))
        .load(conn)?;
    let mine: Vec<LiveSessionId> = seats.iter().map(|(id, _)| *id).collect();
    let rows = live_sessions::table
        .filter(live_sessions::program_id.eq(program))
        .filter(live_sessions::starts_at.gt(now).or(live_sessions::id.eq_any(&mine)))
        .order((live_sessions::starts_at, live_sessions::id))
        .select(SessionRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let seat = match seats.iter().find(|(id, _)| *id == row.id) {
                None => Seat::NotSignedUp,
                Some((_, None)) => Seat::SignedUp,
                Some((_, Some(marked))) => Seat::Marked(*marked),
            };
            row.view(conn, seat, now)
        })
        .collect()
}

/// Takes a place in a session still to come, while there is room.
pub fn sign_up(
    conn: &mut DbConnection,
    learner: UserId,
    session: LiveSessionId,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = Actor::load(conn, learner)?;
    let row = SessionRow::find(conn, session)?;
    if row.starts_at <= now {
        return invalid("This session has already started, so sign-up has closed.");
    }
    // A no-op update whose only effect is the row lock: on PostgreSQL two
    // learners taking the last place wait for each other here, so the
    // count below sees the other's seat (SQLite serializes writers already).
    diesel::update(live_sessions::table.find(session))
        .set(live_sessions::capacity.eq(live_sessions::capacity))
        .execute(conn)?;
    let seat = session_seats::table.find((session, learner));
    if diesel::select(diesel::dsl::exists(seat)).get_result::<bool>(conn)? {
        return Ok(());
    }
    if row.taken(conn)? >= row.capacity {
        return invalid("This session is full. Another one may have room: they're all listed on this page.");
    }
    diesel::insert_into(session_seats::table)
        .values((
            session_seats::session_id.eq(session),
            session_seats::user_id.eq(learner),
            session_seats::signed_up_at.eq(now),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        &actor,
        AuditAction::SessionSignUp,
        &format!("session:{session}"),
        None,
        now,
    )?;
    Ok(())
}

/// Gives up a place in a session that hasn't started.
pub fn leave_session(
    conn: &mut DbConnection,
    learner: UserId,
    session: LiveSessionId,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = Actor::load(conn, learner)?;
    let row = SessionRow::find(conn, session)?;
    if row.starts_at <= now {
        return invalid("This session has already started. If you couldn't come, your trainer will mark it.");
    }
    let removed = diesel::delete(session_seats::table.find((session, learner))).execute(conn)?;
    if removed > 0 {
        audit::record(
            conn,
            &actor,
            AuditAction::SessionLeave,
            &format!("session:{session}"),
            None,
            now,
        )?;
    }
    Ok(())
}

fn sheet(
    conn: &mut DbConnection,
    row: SessionRow,
    program: String,
    now: NaiveDateTime,
) -> ServerResult<AttendanceSheet> {
    let seats = session_seats::table
        .inner_join(users::table)
        .filter(session_seats::session_id.eq(row.id))
        .order((users::display_name, users::id))
        .select((users::id, users::display_name, session_seats::attendance))
        .load::<(UserId, String, Option<Attendance>)>(conn)?
        .into_iter()
        .map(|(learner_id, learner, attendance)| SeatMark {
            learner_id,
            learner,
            attendance,
        })
        .collect();
    Ok(AttendanceSheet {
        session: row.view(conn, Seat::NotSignedUp, now)?,
        program,
        seats,
    })
}

/// Sessions of the programs `staff` staffs that have started and have
/// seats not yet marked, oldest first.
pub fn attendance_waiting(
    conn: &mut DbConnection,
    staff: UserId,
    now: NaiveDateTime,
) -> ServerResult<Vec<AttendanceSheet>> {
    let actor = access::staff(conn, staff)?;
    let unmarked = session_seats::table
        .filter(session_seats::session_id.eq(live_sessions::id))
        .filter(session_seats::attendance.is_null());
    let mut query = live_sessions::table
        .inner_join(programs::table)
        .filter(live_sessions::starts_at.le(now))
        .filter(diesel::dsl::exists(unmarked))
        .order((live_sessions::starts_at, live_sessions::id))
        .select((SessionRow::as_select(), programs::title))
        .into_boxed();
    if !actor.is_admin() {
        query = query.filter(live_sessions::program_id.eq_any(access::programs_staffed_by(conn, staff)?));
    }
    let rows: Vec<(SessionRow, String)> = query.load(conn)?;
    rows.into_iter()
        .map(|(row, program)| sheet(conn, row, program, now))
        .collect()
}

/// Staff of the program mark who came to a session that has started (a
/// mark may be corrected); returns the program and the learners marked as
/// attended, for issuing the certificates their hours may complete.
pub fn record_attendance(
    conn: &mut DbConnection,
    staff: UserId,
    form: &AttendanceForm,
    now: NaiveDateTime,
) -> ServerResult<(ProgramId, Vec<UserId>)> {
    let actor = access::staff(conn, staff)?;
    let row = SessionRow::find(conn, form.session)?;
    access::require_program_staff(conn, &actor, row.program_id)?;
    if row.starts_at > now {
        return invalid("Attendance can be taken once the session has started.");
    }
    let seated: Vec<UserId> = session_seats::table
        .filter(session_seats::session_id.eq(row.id))
        .select(session_seats::user_id)
        .load(conn)?;
    let mut attended = Vec::new();
    for (learner, mark) in &form.marks {
        let learner = learner.parse::<UserId>().ok().filter(|l| seated.contains(l));
        let (Some(learner), Some(mark)) = (learner, Attendance::parse(mark)) else {
            return invalid("Please mark each learner who signed up as attended or absent.");
        };
        access::not_own_record(&actor, learner)?;
        diesel::update(session_seats::table.find((row.id, learner)))
            .set((session_seats::attendance.eq(mark), session_seats::marked_at.eq(now)))
            .execute(conn)?;
        if mark == Attendance::Attended {
            attended.push(learner);
        }
    }
    let count = format!("{} attended of {} marked", attended.len(), form.marks.len());
    audit::record(
        conn,
        &actor,
        AuditAction::SessionAttendance,
        &format!("session:{}", row.id),
        Some(&count),
        now,
    )?;
    Ok((row.program_id, attended))
}
