//! Site admins set organizations up and name their admins.

use super::subject;
use crate::access;
use crate::accounts::confirmation;
use crate::accounts::fields::normalize_email;
use crate::audit::{self, AuditAction};
use crate::db::schema::{memberships, organization_admins, organizations, users};
use crate::db::{DbConnection, is_unique_violation};
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{OrganizationId, OrganizationRow, Role, UserId};
use holdspace_app::error::AppError;

#[derive(Queryable, Selectable)]
#[diesel(table_name = organizations, check_for_backend(crate::db::MultiBackend))]
struct Listed {
    id: OrganizationId,
    slug: String,
    name: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(crate::db::MultiBackend))]
struct Named {
    display_name: String,
    email: String,
}

pub fn list(conn: &mut DbConnection, admin: UserId) -> ServerResult<Vec<OrganizationRow>> {
    access::site_admin(conn, admin)?;
    let listed: Vec<Listed> = organizations::table
        .order(organizations::name)
        .select(Listed::as_select())
        .load(conn)?;
    let mut rows = Vec::with_capacity(listed.len());
    for organization in listed {
        let members: i64 = memberships::table
            .filter(memberships::organization_id.eq(organization.id))
            .count()
            .get_result(conn)?;
        let admins = organization_admins::table
            .inner_join(users::table)
            .filter(organization_admins::organization_id.eq(organization.id))
            .order(users::display_name)
            .select(Named::as_select())
            .load(conn)?
            .into_iter()
            .map(|person| format!("{} <{}>", person.display_name, person.email))
            .collect();
        rows.push(OrganizationRow {
            slug: organization.slug,
            name: organization.name,
            members: u32::try_from(members).unwrap_or(u32::MAX),
            admins,
        });
    }
    Ok(rows)
}

/// A short name for addresses, from what was typed or from the name.
fn slug_for(name: &str, typed: &str) -> ServerResult<String> {
    let source = if typed.trim().is_empty() { name } else { typed };
    let mut slug = String::new();
    for c in source.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').chars().take(60).collect::<String>();
    if slug.is_empty() {
        return invalid("Please give a short name of letters and digits for addresses, like riverside-peer-support.");
    }
    Ok(slug)
}

pub fn create(conn: &mut DbConnection, admin: UserId, name: &str, slug: &str, now: NaiveDateTime) -> ServerResult<()> {
    let actor = access::site_admin(conn, admin)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return invalid("Please give the organization's name, up to 120 characters.");
    }
    let slug = slug_for(name, slug)?;
    let inserted = diesel::insert_into(organizations::table)
        .values((
            organizations::slug.eq(&slug),
            organizations::name.eq(name),
            organizations::created_at.eq(now),
        ))
        .execute(conn);
    match inserted {
        Err(error) if is_unique_violation(&error) => {
            return invalid(format!(
                "There is already an organization with the short name \"{slug}\". Please choose another."
            ));
        }
        other => other?,
    };
    audit::record(
        conn,
        &actor,
        AuditAction::OrganizationCreate,
        &subject(&slug),
        None,
        now,
    )
}

/// Makes an existing account the admin of an organization. A learner
/// account becomes an organization admin account; staff keep their role.
pub fn add_admin(
    conn: &mut DbConnection,
    admin: UserId,
    slug: &str,
    email: &str,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = access::site_admin(conn, admin)?;
    let organization: OrganizationId = organizations::table
        .filter(organizations::slug.eq(slug))
        .select(organizations::id)
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let email = normalize_email(email).map_err(AppError::Invalid)?;
    let found: Option<(UserId, Role)> = users::table
        .filter(users::email.eq(&email))
        .select((users::id, users::role))
        .first(conn)
        .optional()?;
    let Some((person, role)) = found else {
        return invalid("No account uses that email yet. Please ask them to register first, then add them here.");
    };
    if !confirmation::is_confirmed(conn, person)? {
        return invalid(
            "That account's email address isn't confirmed yet. Please ask them to open the link we mailed them \
             (or send a new one from their privacy page), then add them here.",
        );
    }
    let runs: Option<OrganizationId> = organization_admins::table
        .filter(organization_admins::user_id.eq(person))
        .select(organization_admins::organization_id)
        .first(conn)
        .optional()?;
    match runs {
        Some(id) if id == organization => return Ok(()),
        Some(_) => {
            return invalid("This person already runs another organization. An account can run one organization.");
        }
        None => {}
    }
    diesel::insert_into(organization_admins::table)
        .values((
            organization_admins::user_id.eq(person),
            organization_admins::organization_id.eq(organization),
            organization_admins::added_at.eq(now),
        ))
        .execute(conn)?;
    if role == Role::Learner {
        diesel::update(users::table.find(person))
            .set(users::role.eq(Role::OrgAdmin))
            .execute(conn)?;
    }
    audit::record(
        conn,
        &actor,
        AuditAction::OrganizationAdminAdd,
        &subject(slug),
        None,
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_come_from_the_name_when_none_is_typed() {
        assert_eq!(
            slug_for("Riverside Peer Support (North)", "").unwrap(),
            "riverside-peer-support-north"
        );
        assert_eq!(slug_for("Anything", "  My-Group ").unwrap(), "my-group");
        assert!(slug_for("¿¡!", "").is_err());
    }
}
