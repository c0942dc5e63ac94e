//! Joining (see invitations) and leaving organizations; what a learner shares.

use super::subject;
use crate::access::Actor;
use crate::audit::{self, AuditAction};
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::{memberships, organizations};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{Membership, OrganizationId, UserId};
use holdspace_app::error::AppError;

#[derive(Queryable, Selectable)]
#[diesel(table_name = memberships, check_for_backend(crate::db::MultiBackend))]
struct Joined {
    #[diesel(select_expression = organizations::slug)]
    slug: String,
    #[diesel(select_expression = organizations::name)]
    name: String,
    joined_at: NaiveDateTime,
}

pub fn is_member(conn: &mut DbConnection, organization: OrganizationId, person: UserId) -> ServerResult<bool> {
    let row = memberships::table
        .filter(memberships::organization_id.eq(organization))
        .filter(memberships::user_id.eq(person));
    Ok(diesel::select(diesel::dsl::exists(row)).get_result(conn)?)
}

/// The organizations that can see the learner's progress.
pub fn memberships_of(conn: &mut DbConnection, learner: UserId) -> ServerResult<Vec<Membership>> {
    Ok(memberships::table
        .inner_join(organizations::table)
        .filter(memberships::user_id.eq(learner))
        .order(organizations::name)
        .select(Joined::as_select())
        .load(conn)?
        .into_iter()
        .map(|joined| Membership {
            slug: joined.slug,
            name: joined.name,
            joined_on: day(joined.joined_at),
        })
        .collect())
}

/// Leaves an organization: it stops seeing the learner at once.
pub fn leave(conn: &mut DbConnection, learner: UserId, slug: &str, now: NaiveDateTime) -> ServerResult<()> {
    let organization: OrganizationId = organizations::table
        .filter(organizations::slug.eq(slug))
        .select(organizations::id)
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let removed = diesel::delete(
        memberships::table
            .filter(memberships::organization_id.eq(organization))
            .filter(memberships::user_id.eq(learner)),
    )
    .execute(conn)?;
    if removed == 0 {
        return Err(AppError::NotFound.into());
    }
    let actor = Actor::load(conn, learner)?;
    audit::record(conn, &actor, AuditAction::OrganizationLeave, &subject(slug), None, now)
}
