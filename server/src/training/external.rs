//! Trainings taken elsewhere (a workshop, a conference session, another
//! organization's course): the learner logs one, a trainer of the program
//! approves or declines it with a note, and only approved hours count.

use super::hours::categories;
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction};
use crate::dates::{day, parse_hours, past_day};
use crate::db::DbConnection;
use crate::db::schema::{external_trainings, programs, users};
use crate::error::{ServerResult, invalid};
use crate::programs::Program;
use chrono::{NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use holdspace_app::dto::{
    ExternalTraining, ExternalTrainingForm, ExternalTrainingId, PracticeStatus, ProgramId, QueuedTraining, UserId,
};
use holdspace_app::error::AppError;

const MAX_TEXT_CHARS: usize = 200;

/// A logged training as stored.
#[derive(Queryable, Selectable)]
#[diesel(table_name = external_trainings, check_for_backend(crate::db::MultiBackend))]
struct TrainingRow {
    id: ExternalTrainingId,
    user_id: UserId,
    program_id: ProgramId,
    title: String,
    provider: String,
    taken_on: NaiveDateTime,
    minutes: i32,
    category_key: String,
    status: PracticeStatus,
    reviewer_name: String,
    review_note: String,
    logged_at: NaiveDateTime,
}

fn field<'a>(typed: &'a str, what: &str) -> ServerResult<&'a str> {
    let typed = typed.trim();
    if typed.is_empty() {
        return invalid(format!("Please give {what}."));
    }
    if typed.chars().count() > MAX_TEXT_CHARS {
        return invalid(format!("Please keep {what} under {MAX_TEXT_CHARS} characters."));
    }
    Ok(typed)
}

/// Logs a training for the learner, waiting for a trainer of the program.
pub fn log_training(
    conn: &mut DbConnection,
    learner: UserId,
    form: &ExternalTrainingForm,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = Actor::load(conn, learner)?;
    let program = Program::find(conn, &form.program)?;
    if program.training_minutes == 0 && program.ce_minutes == 0 {
        return invalid("This program doesn't count training hours, so there's nothing to log here.");
    }
    let title = field(&form.title, "the training's title")?;
    let provider = field(&form.provider, "who gave the training")?;
    let taken = past_day(&form.taken_on, "the date of the training", now.date())?;
    let Some(minutes) = parse_hours(&form.hours) else {
        return invalid("Please give the hours as a number in quarter hours, like 2 or 1.5, up to 12 a day.");
    };
    let Some(category) = categories(conn, program.id)?
        .into_iter()
        .find(|c| c.category_key == form.category)
    else {
        return invalid("Please choose what the training counts towards.");
    };
    let id: ExternalTrainingId = diesel::insert_into(external_trainings::table)
        .values((
            external_trainings::user_id.eq(learner),
            external_trainings::program_id.eq(program.id),
            external_trainings::title.eq(title),
            external_trainings::provider.eq(provider),
            external_trainings::taken_on.eq(taken.and_time(NaiveTime::MIN)),
            external_trainings::minutes.eq(minutes),
            external_trainings::category_key.eq(&category.category_key),
            external_trainings::status.eq(PracticeStatus::Pending),
            external_trainings::logged_at.eq(now),
        ))
        .returning(external_trainings::id)
        .get_result(conn)?;
    let subject = format!("training:{id}/program:{}", program.slug);
    audit::record(conn, &actor, AuditAction::TrainingLog, &subject, None, now)?;
    Ok(())
}

fn category_title(conn: &mut DbConnection, program: ProgramId, key: &str) -> ServerResult<String> {
    Ok(categories(conn, program)?
        .into_iter()
        .find(|c| c.category_key == key)
        .map_or_else(|| key.to_owned(), |c| c.title))
}

/// The learner's logged trainings for a program, newest first.
pub fn trainings_of(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
) -> ServerResult<Vec<ExternalTraining>> {
    let rows = external_trainings::table
        .filter(external_trainings::user_id.eq(learner))
        .filter(external_trainings::program_id.eq(program))
        .order((external_trainings::taken_on.desc(), external_trainings::id.desc()))
        .select(TrainingRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            Ok(ExternalTraining {
                id: row.id,
                category: category_title(conn, program, &row.category_key)?,
                title: row.title,
                provider: row.provider,
                taken_on: day(row.taken_on),
                minutes: row.minutes,
                status: row.status,
                reviewer: row.reviewer_name,
                note: row.review_note,
            })
        })
        .collect()
}

/// Trainings waiting for `staff` to decide: of the programs they staff
/// (every program for an admin), never their own; oldest first.
pub fn trainings_waiting(conn: &mut DbConnection, staff: UserId) -> ServerResult<Vec<QueuedTraining>> {
    let actor = access::staff(conn, staff)?;
    let mut query = external_trainings::table
        .inner_join(users::table)
        .inner_join(programs::table)
        .filter(external_trainings::status.eq(PracticeStatus::Pending))
        .filter(external_trainings::user_id.ne(staff))
        .order((external_trainings::logged_at, external_trainings::id))
        .select((TrainingRow::as_select(), users::display_name, programs::title))
        .into_boxed();
    if !actor.is_admin() {
        query = query.filter(external_trainings::program_id.eq_any(access::programs_staffed_by(conn, staff)?));
    }
    let rows: Vec<(TrainingRow, String, String)> = query.load(conn)?;
    rows.into_iter()
        .map(|(row, learner, program)| {
            Ok(QueuedTraining {
                id: row.id,
                learner,
                program,
                category: category_title(conn, row.program_id, &row.category_key)?,
                title: row.title,
                provider: row.provider,
                taken_on: day(row.taken_on),
                minutes: row.minutes,
                logged_on: day(row.logged_at),
            })
        })
        .collect()
}

/// Staff of the program approve or decline a waiting training (a note is
/// needed to decline; nobody decides on their own); returns the learner
/// and program, for issuing the certificate an approval may complete.
pub fn review_training(
    conn: &mut DbConnection,
    staff: UserId,
    training: ExternalTrainingId,
    confirm: bool,
    note: &str,
    now: NaiveDateTime,
) -> ServerResult<(UserId, ProgramId)> {
    let actor = access::staff(conn, staff)?;
    let row = external_trainings::table
        .find(training)
        .select(TrainingRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    access::require_program_staff(conn, &actor, row.program_id)?;
    access::not_own_record(&actor, row.user_id)?;
    if row.status != PracticeStatus::Pending {
        return invalid("This training was already decided.");
    }
    let note = crate::practice::decision_note(confirm, note)?;
    let (status, action) = if confirm {
        (PracticeStatus::Confirmed, AuditAction::TrainingConfirm)
    } else {
        (PracticeStatus::Declined, AuditAction::TrainingDecline)
    };
    diesel::update(external_trainings::table.find(training))
        .set((
            external_trainings::status.eq(status),
            external_trainings::reviewer_name.eq(&actor.name),
            external_trainings::review_note.eq(note),
            external_trainings::reviewed_at.eq(now),
        ))
        .execute(conn)?;
    let subject = format!("training:{training}/user:{}", row.user_id);
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
