//! A trainer's leave for one more attempt at a quiz or an exam than its
//! policy allows, kept until the attempt it allows is opened.

use crate::access::{self, Actor, GrantOn};
use crate::audit::{self, AuditAction};
use crate::db::DbConnection;
use crate::db::schema::{attempt_grants, courses, programs, users};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{AttemptGrantId, CourseId, ProgramId, UserId};
use holdspace_app::error::AppError;

/// What a grant is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrantFor {
    /// A module's quiz (in any version of the course).
    Quiz {
        course: CourseId,
        module_slug: String,
    },
    Exam {
        program: ProgramId,
    },
}

/// The learner's grant for this that has not been used yet, if any.
pub fn unused(conn: &mut DbConnection, learner: UserId, target: &GrantFor) -> ServerResult<Option<AttemptGrantId>> {
    let mut query = attempt_grants::table
        .filter(attempt_grants::user_id.eq(learner))
        .filter(attempt_grants::used_at.is_null())
        .select(attempt_grants::id)
        .into_boxed();
    query = match target {
        GrantFor::Quiz { course, module_slug } => query
            .filter(attempt_grants::course_id.eq(*course))
            .filter(attempt_grants::module_slug.eq(module_slug.clone())),
        GrantFor::Exam { program } => query.filter(attempt_grants::program_id.eq(*program)),
    };
    Ok(query.first(conn).optional()?)
}

/// Marks a grant used by the attempt it allowed.
pub fn spend(conn: &mut DbConnection, grant: AttemptGrantId, now: NaiveDateTime) -> ServerResult<()> {
    diesel::update(attempt_grants::table.find(grant))
        .set(attempt_grants::used_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Opens one more attempt for `learner`, if `actor` may (see
/// [`access::may_grant_attempt`]); a second grant before the first is used
/// changes nothing. Audit-logged.
pub fn grant(
    conn: &mut DbConnection,
    actor: UserId,
    learner: UserId,
    target: GrantFor,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = Actor::load(conn, actor)?;
    let (on, subject) = match &target {
        GrantFor::Quiz { course, module_slug } => {
            let slug: String = courses::table.find(course).select(courses::slug).first(conn)?;
            (
                GrantOn::Course(*course),
                format!("user:{learner}/course:{slug}/{module_slug}"),
            )
        }
        GrantFor::Exam { program } => {
            let slug: String = programs::table.find(program).select(programs::slug).first(conn)?;
            (
                GrantOn::Program(*program),
                format!("user:{learner}/program:{slug}/exam"),
            )
        }
    };
    access::may_grant_attempt(conn, &actor, learner, on)?;
    let exists = users::table
        .find(learner)
        .select(users::id)
        .first::<UserId>(conn)
        .optional()?;
    if exists.is_none() {
        return Err(AppError::NotFound.into());
    }
    if unused(conn, learner, &target)?.is_some() {
        return Ok(());
    }
    let (course, module_slug, program) = match &target {
        GrantFor::Quiz { course, module_slug } => (Some(*course), Some(module_slug.as_str()), None),
        GrantFor::Exam { program } => (None, None, Some(*program)),
    };
    diesel::insert_into(attempt_grants::table)
        .values((
            attempt_grants::user_id.eq(learner),
            attempt_grants::course_id.eq(course),
            attempt_grants::module_slug.eq(module_slug),
            attempt_grants::program_id.eq(program),
            attempt_grants::granted_by_user_id.eq(actor.id),
            attempt_grants::granted_by_name.eq(&actor.name),
            attempt_grants::granted_at.eq(now),
        ))
        .execute(conn)?;
    audit::record(conn, &actor, AuditAction::AttemptGrant, &subject, None, now)
}
