//! Practical requirements a trainer signs off for a learner (with the date
//! it was done and a note), which a program may require besides its courses.

use super::Program;
use crate::access;
use crate::audit::{self, AuditAction};
use crate::dates::{day, past_day};
use crate::db::DbConnection;
use crate::db::schema::{practical_signoffs, program_practicals, users};
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{ProgramId, Signoff, SignoffForm, UserId};
use holdspace_app::error::AppError;
use std::collections::HashSet;

const MAX_NOTE_CHARS: usize = 1000;

/// A sign-off as stored.
#[derive(Queryable, Selectable)]
#[diesel(table_name = practical_signoffs, check_for_backend(crate::db::MultiBackend))]
struct SignoffRow {
    practical_key: String,
    completed_on: NaiveDateTime,
    note: String,
    signed_by_name: String,
}

/// Whether every practical requirement of the program is signed off for the learner.
pub fn practicals_signed_off(conn: &mut DbConnection, learner: UserId, program: ProgramId) -> ServerResult<bool> {
    let required: Vec<String> = program_practicals::table
        .filter(program_practicals::program_id.eq(program))
        .select(program_practicals::practical_key)
        .load(conn)?;
    let signed: HashSet<String> = practical_signoffs::table
        .filter(practical_signoffs::user_id.eq(learner))
        .filter(practical_signoffs::program_id.eq(program))
        .select(practical_signoffs::practical_key)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    Ok(required.iter().all(|key| signed.contains(key)))
}

/// The learner's sign-offs, one per requirement key given (in that order).
pub fn signoffs_of(
    conn: &mut DbConnection,
    learner: UserId,
    program: &Program,
    keys: &[String],
) -> ServerResult<Vec<Option<Signoff>>> {
    let signed: Vec<SignoffRow> = practical_signoffs::table
        .filter(practical_signoffs::user_id.eq(learner))
        .filter(practical_signoffs::program_id.eq(program.id))
        .select(SignoffRow::as_select())
        .load(conn)?;
    Ok(keys
        .iter()
        .map(|key| {
            signed.iter().find(|s| &s.practical_key == key).map(|s| Signoff {
                completed_on: day(s.completed_on),
                note: s.note.clone(),
                signed_by: s.signed_by_name.clone(),
            })
        })
        .collect())
}

/// Records a sign-off by staff of the program (never for themselves);
/// returns the program, for issuing the certificate it may complete.
pub fn sign_off(
    conn: &mut DbConnection,
    staff: UserId,
    form: &SignoffForm,
    now: NaiveDateTime,
) -> ServerResult<Program> {
    let actor = access::staff(conn, staff)?;
    let program = Program::find(conn, &form.program)?;
    access::require_program_staff(conn, &actor, program.id)?;
    access::not_own_record(&actor, form.learner_id)?;
    let practicals = program.practicals(conn)?;
    let requirement = practicals
        .iter()
        .find(|p| p.key == form.practical)
        .ok_or(AppError::NotFound)?;
    let learner_exists =
        diesel::select(diesel::dsl::exists(users::table.find(form.learner_id))).get_result::<bool>(conn)?;
    if !learner_exists {
        return Err(AppError::NotFound.into());
    }
    let completed = past_day(&form.completed_on, "the date it was completed", now.date())?;
    let note = form.note.trim();
    if note.is_empty() {
        return invalid("Please add a short note: where or how it was done, and who supervised.");
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return invalid(format!("Please keep the note under {MAX_NOTE_CHARS} characters."));
    }
    let existing: Option<NaiveDateTime> = practical_signoffs::table
        .filter(practical_signoffs::user_id.eq(form.learner_id))
        .filter(practical_signoffs::program_id.eq(program.id))
        .filter(practical_signoffs::practical_key.eq(&form.practical))
        .select(practical_signoffs::completed_on)
        .first(conn)
        .optional()?;
    if let Some(on) = existing {
        return invalid(format!(
            "“{}” was already signed off, as completed on {}.",
            requirement.title,
            day(on)
        ));
    }
    diesel::insert_into(practical_signoffs::table)
        .values((
            practical_signoffs::user_id.eq(form.learner_id),
            practical_signoffs::program_id.eq(program.id),
            practical_signoffs::practical_key.eq(&form.practical),
            practical_signoffs::completed_on.eq(completed.and_time(chrono::NaiveTime::MIN)),
            practical_signoffs::note.eq(note),
            practical_signoffs::signed_by_user_id.eq(actor.id),
            practical_signoffs::signed_by_name.eq(&actor.name),
            practical_signoffs::signed_at.eq(now),
        ))
        .execute(conn)?;
    let subject = format!("user:{}/program:{}/{}", form.learner_id, program.slug, form.practical);
    audit::record(conn, &actor, AuditAction::PracticalSignoff, &subject, Some(note), now)?;
    Ok(program)
}
