//! Program staff: the trainers an admin assigned to follow a program's
//! learners and sign off its practicals.

use super::Program;
use crate::access;
use crate::audit::{self, AuditAction};
use crate::db::DbConnection;
use crate::db::schema::{program_staff, users};
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{ProgramId, Role, UserId};

/// Admins only: assigns the trainer with this email to the program.
pub fn add_staff(
    conn: &mut DbConnection,
    admin: UserId,
    slug: &str,
    email: &str,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = access::site_admin(conn, admin)?;
    let program = Program::find(conn, slug)?;
    let found: Option<(UserId, Role)> = users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .select((users::id, users::role))
        .first(conn)
        .optional()?;
    let Some((trainer, role)) = found else {
        return invalid("There is no account with that email address.");
    };
    if role != Role::Trainer {
        return invalid("That account is not a trainer's. Its role needs to change before it can follow a program.");
    }
    let existing = program_staff::table
        .filter(program_staff::program_id.eq(program.id))
        .filter(program_staff::user_id.eq(trainer));
    if !diesel::select(diesel::dsl::exists(existing)).get_result::<bool>(conn)? {
        diesel::insert_into(program_staff::table)
            .values((
                program_staff::program_id.eq(program.id),
                program_staff::user_id.eq(trainer),
                program_staff::added_at.eq(now),
            ))
            .execute(conn)?;
        let subject = format!("program:{slug}");
        audit::record(
            conn,
            &actor,
            AuditAction::ProgramStaffAdd,
            &subject,
            Some(&format!("user:{trainer}")),
            now,
        )?;
    }
    Ok(())
}

/// The names of a program's assigned trainers.
pub fn staff_names(conn: &mut DbConnection, program: ProgramId) -> ServerResult<Vec<String>> {
    Ok(program_staff::table
        .inner_join(users::table)
        .filter(program_staff::program_id.eq(program))
        .order(users::display_name)
        .select(users::display_name)
        .load(conn)?)
}
