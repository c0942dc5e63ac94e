//! Observed role plays: a trainer of the program watches a learner run one
//! and marks each checklist item met or not yet, with a note. An
//! observation with every item met passes; one that does not is feedback,
//! and the learner may be observed again.

use crate::access;
use crate::audit::{self, AuditAction};
use crate::dates::{day, past_day};
use crate::db::DbConnection;
use crate::db::schema::{program_roleplays, roleplay_observations, users};
use crate::error::{ServerResult, invalid};
use crate::programs::{self, Program};
use chrono::{NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use holdspace_app::dto::{
    ProgramId, RoleplayChecklist, RoleplayForm, RoleplayMark, RoleplayObservation, RoleplayState, RoleplaysWaiting,
    UserId,
};
use holdspace_app::error::AppError;

const MAX_NOTE_CHARS: usize = 500;

#[derive(Queryable, Selectable)]
#[diesel(table_name = program_roleplays, check_for_backend(crate::db::MultiBackend))]
struct RoleplayRow {
    roleplay_key: String,
    title: String,
    minutes: i32,
    script: String,
    /// JSON `[[id, text], …]`.
    items: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = roleplay_observations, check_for_backend(crate::db::MultiBackend))]
struct ObservationRow {
    roleplay_key: String,
    observed_on: NaiveDateTime,
    observer_name: String,
    /// JSON list of [`RoleplayMark`].
    marks: String,
    passed: bool,
}

/// A role play with its checklist read: (id, text) per item.
struct Roleplay {
    row: RoleplayRow,
    items: Vec<(String, String)>,
}

fn roleplays(conn: &mut DbConnection, program: ProgramId) -> ServerResult<Vec<Roleplay>> {
    let rows: Vec<RoleplayRow> = program_roleplays::table
        .filter(program_roleplays::program_id.eq(program))
        .order(program_roleplays::position)
        .select(RoleplayRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let items = serde_json::from_str(&row.items)?;
            Ok(Roleplay { row, items })
        })
        .collect()
}

/// The program's role plays with their checklists, for the trainers who score them.
pub fn checklists(conn: &mut DbConnection, program: ProgramId) -> ServerResult<Vec<RoleplayChecklist>> {
    Ok(roleplays(conn, program)?
        .into_iter()
        .map(|Roleplay { row, items }| RoleplayChecklist {
            key: row.roleplay_key,
            title: row.title,
            items,
        })
        .collect())
}

fn observations(conn: &mut DbConnection, learner: UserId, program: ProgramId) -> ServerResult<Vec<ObservationRow>> {
    Ok(roleplay_observations::table
        .filter(roleplay_observations::user_id.eq(learner))
        .filter(roleplay_observations::program_id.eq(program))
        .order((roleplay_observations::scored_at, roleplay_observations::id))
        .select(ObservationRow::as_select())
        .load(conn)?)
}

/// Each of the program's role plays, and how the learner's observations went.
pub fn roleplay_states(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
) -> ServerResult<Vec<RoleplayState>> {
    let seen = observations(conn, learner, program)?;
    roleplays(conn, program)?
        .into_iter()
        .map(|Roleplay { row, items }| {
            let of_this: Vec<&ObservationRow> = seen.iter().filter(|o| o.roleplay_key == row.roleplay_key).collect();
            let last = match of_this.last() {
                Some(o) => Some(RoleplayObservation {
                    observed_on: day(o.observed_on),
                    observer: o.observer_name.clone(),
                    passed: o.passed,
                    marks: serde_json::from_str(&o.marks)?,
                }),
                None => None,
            };
            Ok(RoleplayState {
                key: row.roleplay_key,
                title: row.title,
                minutes: row.minutes,
                script_html: crate::markdown::render(&row.script),
                items: items.into_iter().map(|(_, text)| text).collect(),
                passed_on: of_this.iter().find(|o| o.passed).map(|o| day(o.observed_on)),
                last,
            })
        })
        .collect()
}

/// Per role play of the program, in order, whether the learner passed it.
pub fn roleplays_passed(conn: &mut DbConnection, learner: UserId, program: ProgramId) -> ServerResult<Vec<bool>> {
    let seen = observations(conn, learner, program)?;
    Ok(roleplays(conn, program)?
        .iter()
        .map(|r| seen.iter().any(|o| o.passed && o.roleplay_key == r.row.roleplay_key))
        .collect())
}

/// Records an observation by staff of the program (never of themselves);
/// returns the program, for issuing the certificate a pass may complete.
pub fn score(
    conn: &mut DbConnection,
    staff: UserId,
    form: &RoleplayForm,
    now: NaiveDateTime,
) -> ServerResult<ProgramId> {
    let actor = access::staff(conn, staff)?;
    let program = Program::find(conn, &form.program)?;
    access::require_program_staff(conn, &actor, program.id)?;
    access::not_own_record(&actor, form.learner_id)?;
    let learner_exists =
        diesel::select(diesel::dsl::exists(users::table.find(form.learner_id))).get_result::<bool>(conn)?;
    if !learner_exists {
        return Err(AppError::NotFound.into());
    }
    let Roleplay { row: roleplay, items } = roleplays(conn, program.id)?
        .into_iter()
        .find(|r| r.row.roleplay_key == form.roleplay)
        .ok_or(AppError::NotFound)?;
    let observed = past_day(&form.observed_on, "the date you watched it", now.date())?;
    let mut marks = Vec::with_capacity(items.len());
    for (id, text) in items {
        let met = match form.marks.get(&id).map(String::as_str) {
            Some("met") => true,
            Some("not_yet") => false,
            _ => {
                return invalid(format!(
                    "Please mark every item, met or not yet: “{text}” isn't marked."
                ));
            }
        };
        let note = form.notes.get(&id).map(|n| n.trim().to_owned()).unwrap_or_default();
        if note.chars().count() > MAX_NOTE_CHARS {
            return invalid(format!("Please keep each note under {MAX_NOTE_CHARS} characters."));
        }
        marks.push(RoleplayMark {
            item: id,
            text,
            met,
            note,
        });
    }
    let passed = marks.iter().all(|m| m.met);
    diesel::insert_into(roleplay_observations::table)
        .values((
            roleplay_observations::user_id.eq(form.learner_id),
            roleplay_observations::program_id.eq(program.id),
            roleplay_observations::roleplay_key.eq(&roleplay.roleplay_key),
            roleplay_observations::observed_on.eq(observed.and_time(NaiveTime::MIN)),
            roleplay_observations::observer_id.eq(actor.id),
            roleplay_observations::observer_name.eq(&actor.name),
            roleplay_observations::marks.eq(serde_json::to_string(&marks)?),
            roleplay_observations::passed.eq(passed),
            roleplay_observations::scored_at.eq(now),
        ))
        .execute(conn)?;
    let subject = format!(
        "user:{}/program:{}/{}",
        form.learner_id, program.slug, roleplay.roleplay_key
    );
    let outcome = if passed { "every item met" } else { "not yet" };
    audit::record(conn, &actor, AuditAction::RoleplayScore, &subject, Some(outcome), now)?;
    Ok(program.id)
}

/// For each program `staff` staffs (every one for an admin) that has role
/// plays: the learners who completed its courses and have one still to
/// pass, never the trainer themselves.
pub fn roleplays_waiting(conn: &mut DbConnection, staff: UserId) -> ServerResult<Vec<RoleplaysWaiting>> {
    let actor = access::staff(conn, staff)?;
    let mut waiting = Vec::new();
    for program in Program::all(conn)? {
        if !access::staffs_program(conn, &actor, program.id)? || roleplays(conn, program.id)?.is_empty() {
            continue;
        }
        let mut learners = Vec::new();
        for learner in programs::learners_of(conn, program.id)? {
            if actor.is(learner.id) || programs::completed_courses(conn, learner.id, program.id, None)?.is_none() {
                continue;
            }
            if !roleplays_passed(conn, learner.id, program.id)?.iter().all(|p| *p) {
                learners.push(learner.display_name);
            }
        }
        if !learners.is_empty() {
            waiting.push(RoleplaysWaiting {
                program_slug: program.slug,
                program_title: program.title,
                learners,
            });
        }
    }
    Ok(waiting)
}
