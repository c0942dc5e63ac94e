//! Organizations: who runs them, who joined them, and what they may see.
//!
//! An organization sees a learner only through a `memberships` row, which
//! only the learner creates (by accepting an invitation) and which leaving
//! deletes. Every operation for organization admins starts from
//! [`org_admin`], which finds the organization from the session's user:
//! no organization id ever comes from the request, so another
//! organization's rows are out of reach by construction, and ids of
//! invitations or tokens are always matched together with it.

use super::authoring::{Actor, audit};
use super::certificates::{printed, status_of};
use super::{StoreError, day};
use crate::account_fields::{check_display_name, normalize_email};
use crate::db::schema::{
    api_tokens, bulk_verifications, certificates, course_versions, courses, enrollments, invitations, memberships,
    module_reads, modules, organization_admins, organizations, users,
};
use crate::db::{DbConnection, is_unique_violation};
use crate::session_token::{new_token, token_hash};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::{
    BulkCheck, BulkRow, CertificateStatus, CourseStanding, EXPIRING_WITHIN_DAYS, InvitationPreview, InvitationRow,
    InvitationState, InvitationsMade, MemberCertificate, Membership, NewToken, OrgRoster, OrganizationRow, Role,
    RosterCourse, RosterMember, TokenRow,
};
use holdspace_app::error::AppError;
use std::collections::{BTreeMap, HashMap};

/// How long an invitation link works.
pub const INVITATION_LIFETIME: Duration = Duration::days(30);
/// Requests one API token may make per window.
pub const API_REQUESTS_PER_WINDOW: i32 = 60;
pub const API_WINDOW: Duration = Duration::minutes(1);
/// API tokens start with this, so a leaked one is recognizable in a log or a scanner.
const API_TOKEN_PREFIX: &str = "hsv_";
/// The only scope there is today; stored so that new scopes need no migration.
pub const SCOPE_VERIFY: &str = "verify";

/// The organization an admin runs.
pub(super) struct Organization {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

fn actor(conn: &mut DbConnection, user_id: i64) -> Result<Actor, StoreError> {
    let (name, role): (String, String) = users::table
        .find(user_id)
        .select((users::display_name, users::role))
        .first(conn)?;
    Ok(Actor {
        id: Some(user_id),
        name,
        role: Role::parse(&role).unwrap_or(Role::Learner),
    })
}

/// A site admin; anyone else is refused.
fn site_admin(conn: &mut DbConnection, user_id: i64) -> Result<Actor, StoreError> {
    let actor = actor(conn, user_id)?;
    if actor.role == Role::Admin {
        Ok(actor)
    } else {
        Err(AppError::Forbidden.into())
    }
}

/// The admin of an organization, and that organization; anyone else is refused.
pub(super) fn org_admin(conn: &mut DbConnection, user_id: i64) -> Result<(Actor, Organization), StoreError> {
    let actor = actor(conn, user_id)?;
    let (id, slug, name) = organization_admins::table
        .inner_join(organizations::table)
        .filter(organization_admins::user_id.eq(user_id))
        .select((organizations::id, organizations::slug, organizations::name))
        .first::<(i64, String, String)>(conn)
        .optional()?
        .ok_or(AppError::Forbidden)?;
    Ok((actor, Organization { id, slug, name }))
}

fn subject(organization: &Organization) -> String {
    format!("organization:{}", organization.slug)
}

// ---- site admins -----------------------------------------------------------------

pub(super) fn list(conn: &mut DbConnection, user_id: i64) -> Result<Vec<OrganizationRow>, StoreError> {
    site_admin(conn, user_id)?;
    let rows: Vec<(i64, String, String)> = organizations::table
        .order(organizations::name)
        .select((organizations::id, organizations::slug, organizations::name))
        .load(conn)?;
    let mut list = Vec::with_capacity(rows.len());
    for (id, slug, name) in rows {
        let members: i64 = memberships::table
            .filter(memberships::organization_id.eq(id))
            .count()
            .get_result(conn)?;
        let admins = organization_admins::table
            .inner_join(users::table)
            .filter(organization_admins::organization_id.eq(id))
            .order(users::display_name)
            .select((users::display_name, users::email))
            .load::<(String, String)>(conn)?
            .into_iter()
            .map(|(name, email)| format!("{name} <{email}>"))
            .collect();
        list.push(OrganizationRow {
            slug,
            name,
            members: u32::try_from(members).unwrap_or(u32::MAX),
            admins,
        });
    }
    Ok(list)
}

/// A short name for addresses, from what was typed or from the name.
fn slug_for(name: &str, typed: &str) -> Result<String, StoreError> {
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
        return Err(AppError::invalid(
            "Please give a short name of letters and digits for addresses, like riverside-peer-support.",
        )
        .into());
    }
    Ok(slug)
}

pub(super) fn create(
    conn: &mut DbConnection,
    user_id: i64,
    name: &str,
    slug: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let actor = site_admin(conn, user_id)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(AppError::invalid("Please give the organization's name, up to 120 characters.").into());
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
            return Err(AppError::Invalid(format!(
                "There is already an organization with the short name \"{slug}\". Please choose another."
            ))
            .into());
        }
        other => other?,
    };
    audit(
        conn,
        &actor,
        "organization.create",
        &format!("organization:{slug}"),
        None,
        now,
    )
}

/// Makes an existing account the admin of an organization. A learner
/// account becomes an organization admin account; staff keep their role.
pub(super) fn add_admin(
    conn: &mut DbConnection,
    user_id: i64,
    slug: &str,
    email: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let actor = site_admin(conn, user_id)?;
    let organization_id: i64 = organizations::table
        .filter(organizations::slug.eq(slug))
        .select(organizations::id)
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let email = normalize_email(email).map_err(AppError::Invalid)?;
    let (admin_id, role): (i64, String) = users::table
        .filter(users::email.eq(&email))
        .select((users::id, users::role))
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            AppError::invalid("No account uses that email yet. Please ask them to register first, then add them here.")
        })?;
    let current: Option<i64> = organization_admins::table
        .filter(organization_admins::user_id.eq(admin_id))
        .select(organization_admins::organization_id)
        .first(conn)
        .optional()?;
    match current {
        Some(id) if id == organization_id => return Ok(()),
        Some(_) => {
            return Err(AppError::invalid(
                "This person already runs another organization. An account can run one organization.",
            )
            .into());
        }
        None => {}
    }
    diesel::insert_into(organization_admins::table)
        .values((
            organization_admins::user_id.eq(admin_id),
            organization_admins::organization_id.eq(organization_id),
            organization_admins::added_at.eq(now),
        ))
        .execute(conn)?;
    if role == Role::Learner.as_str() {
        diesel::update(users::table.find(admin_id))
            .set(users::role.eq(Role::OrgAdmin.as_str()))
            .execute(conn)?;
    }
    audit(
        conn,
        &actor,
        "organization.admin.add",
        &format!("organization:{slug}"),
        None,
        now,
    )
}

// ---- the roster --------------------------------------------------------------------

pub(super) fn roster(
    conn: &mut DbConnection,
    user_id: i64,
    base_url: &str,
    now: NaiveDateTime,
) -> Result<OrgRoster, StoreError> {
    let (_, organization) = org_admin(conn, user_id)?;
    let published: Vec<(i64, String, String, i64)> = current_courses!()
        .order(course_versions::title)
        .select((courses::id, courses::slug, course_versions::title, course_versions::id))
        .load(conn)?;
    let mut module_counts = HashMap::new();
    for (course_id, _, _, version_id) in &published {
        let count: i64 = modules::table
            .filter(modules::course_version_id.eq(version_id))
            .count()
            .get_result(conn)?;
        module_counts.insert(*course_id, u32::try_from(count).unwrap_or(0));
    }

    let people: Vec<(i64, String, String, NaiveDateTime)> = memberships::table
        .inner_join(users::table)
        .filter(memberships::organization_id.eq(organization.id))
        .order((users::display_name, users::id))
        .select((users::id, users::display_name, users::email, memberships::joined_at))
        .load(conn)?;
    let ids: Vec<i64> = people.iter().map(|p| p.0).collect();

    let mut standing: HashMap<(i64, i64), CourseStanding> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, i64, i64, Option<NaiveDateTime>)> = enrollments::table
            .filter(enrollments::user_id.eq_any(chunk))
            .select((
                enrollments::id,
                enrollments::user_id,
                enrollments::course_id,
                enrollments::completed_at,
            ))
            .load(conn)?;
        let enrollment_ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let reads: HashMap<i64, i64> = module_reads::table
            .filter(module_reads::enrollment_id.eq_any(&enrollment_ids))
            .group_by(module_reads::enrollment_id)
            .select((module_reads::enrollment_id, diesel::dsl::count_star()))
            .load::<(i64, i64)>(conn)?
            .into_iter()
            .collect();
        for (enrollment, learner, course, completed_at) in rows {
            let modules = module_counts.get(&course).copied().unwrap_or(0);
            let entry = match completed_at {
                Some(on) => CourseStanding::Completed { on: day(on) },
                None => {
                    let read = u32::try_from(reads.get(&enrollment).copied().unwrap_or(0)).unwrap_or(0);
                    CourseStanding::InProgress {
                        modules_read: read.min(modules),
                        modules,
                    }
                }
            };
            standing.insert((learner, course), entry);
        }
    }

    let mut held: HashMap<i64, BTreeMap<String, MemberCertificate>> = HashMap::new();
    for chunk in ids.chunks(500) {
        type Row = (i64, String, String, NaiveDateTime, Option<NaiveDateTime>);
        let rows: Vec<Row> = certificates::table
            .filter(certificates::user_id.eq_any(chunk))
            .order(certificates::issued_at)
            .select((
                certificates::user_id.assume_not_null(),
                certificates::program_title,
                certificates::code,
                certificates::expires_at,
                certificates::revoked_at,
            ))
            .load(conn)?;
        for (learner, program_title, code, expires_at, revoked_at) in rows {
            let status = status_of(revoked_at, expires_at, now);
            let certificate = MemberCertificate {
                program_title: program_title.clone(),
                code: printed(&code)?,
                status,
                expires_on: day(expires_at),
                expiring_soon: status == CertificateStatus::Valid
                    && expires_at <= now + Duration::days(EXPIRING_WITHIN_DAYS),
            };
            // Oldest first, so the newest of each program stays.
            held.entry(learner).or_default().insert(program_title, certificate);
        }
    }

    let members = people
        .into_iter()
        .map(|(id, name, email, joined_at)| RosterMember {
            user_id: id,
            name,
            email,
            joined_on: day(joined_at),
            courses: published
                .iter()
                .map(|(course, ..)| standing.remove(&(id, *course)).unwrap_or(CourseStanding::NotStarted))
                .collect(),
            certificates: held
                .remove(&id)
                .map(|by_program| by_program.into_values().collect())
                .unwrap_or_default(),
        })
        .collect();
    Ok(OrgRoster {
        name: organization.name,
        courses: published
            .into_iter()
            .map(|(_, slug, title, _)| RosterCourse { slug, title })
            .collect(),
        members,
        invitations: invitation_rows(conn, organization.id, base_url, now)?,
    })
}

// ---- invitations -------------------------------------------------------------------

fn invitation_state(
    accepted_at: Option<NaiveDateTime>,
    withdrawn_at: Option<NaiveDateTime>,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> InvitationState {
    match (accepted_at, withdrawn_at) {
        (Some(_), _) => InvitationState::Accepted,
        (None, Some(_)) => InvitationState::Withdrawn,
        (None, None) if now >= expires_at => InvitationState::Expired,
        (None, None) => InvitationState::Waiting,
    }
}

fn invitation_rows(
    conn: &mut DbConnection,
    organization_id: i64,
    base_url: &str,
    now: NaiveDateTime,
) -> Result<Vec<InvitationRow>, StoreError> {
    type Row = (
        i64,
        String,
        String,
        String,
        NaiveDateTime,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = invitations::table
        .filter(invitations::organization_id.eq(organization_id))
        .order((invitations::created_at.desc(), invitations::id.desc()))
        .select((
            invitations::id,
            invitations::token,
            invitations::name,
            invitations::email,
            invitations::created_at,
            invitations::expires_at,
            invitations::accepted_at,
            invitations::withdrawn_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, token, name, email, created_at, expires_at, accepted_at, withdrawn_at)| {
                let state = invitation_state(accepted_at, withdrawn_at, expires_at, now);
                InvitationRow {
                    id,
                    name,
                    email,
                    created_on: day(created_at),
                    expires_on: day(expires_at),
                    link: (state == InvitationState::Waiting).then(|| format!("{base_url}/join/{token}")),
                    state,
                }
            },
        )
        .collect())
}

fn insert_invitation(
    conn: &mut DbConnection,
    organization: &Organization,
    name: &str,
    email: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(invitations::table)
        .values((
            invitations::organization_id.eq(organization.id),
            invitations::token.eq(new_token()),
            invitations::name.eq(name),
            invitations::email.eq(email),
            invitations::created_at.eq(now),
            invitations::expires_at.eq(now + INVITATION_LIFETIME),
        ))
        .execute(conn)?;
    Ok(())
}

pub(super) fn invite(
    conn: &mut DbConnection,
    user_id: i64,
    name: &str,
    email: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let (actor, organization) = org_admin(conn, user_id)?;
    let name = check_display_name(name).map_err(AppError::Invalid)?;
    let email = normalize_email(email).map_err(AppError::Invalid)?;
    insert_invitation(conn, &organization, &name, &email, now)?;
    audit(conn, &actor, "organization.invite", &subject(&organization), None, now)
}

/// Invites everyone on a CSV roster (columns `name` and `email`, found by
/// their header, or the first two columns if there is no header).
pub(super) fn import_roster(
    conn: &mut DbConnection,
    user_id: i64,
    csv_bytes: &[u8],
    now: NaiveDateTime,
) -> Result<InvitationsMade, StoreError> {
    let (actor, organization) = org_admin(conn, user_id)?;
    let text = crate::code_list::decode(csv_bytes).map_err(|error| AppError::Invalid(error.to_string()))?;
    let roster = crate::roster_import::parse(&text);
    let members: Vec<String> = memberships::table
        .inner_join(users::table)
        .filter(memberships::organization_id.eq(organization.id))
        .select(users::email)
        .load(conn)?;
    let mut made = InvitationsMade {
        invited: 0,
        problems: roster.problems,
    };
    for person in roster.people {
        if members.contains(&person.email) {
            made.problems
                .push(format!("Line {}: this person is already a member.", person.line));
        } else {
            insert_invitation(conn, &organization, &person.name, &person.email, now)?;
            made.invited += 1;
        }
    }
    if made.invited == 0 && made.problems.is_empty() {
        return Err(AppError::invalid(
            "That file has no one in it. A roster is a CSV file with a name and an email on each line.",
        )
        .into());
    }
    audit(
        conn,
        &actor,
        "organization.invite",
        &subject(&organization),
        Some(&format!("{} invited from a roster file", made.invited)),
        now,
    )?;
    Ok(made)
}

pub(super) fn withdraw_invitation(
    conn: &mut DbConnection,
    user_id: i64,
    invitation_id: i64,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let (actor, organization) = org_admin(conn, user_id)?;
    let changed = diesel::update(
        invitations::table
            .filter(invitations::id.eq(invitation_id))
            .filter(invitations::organization_id.eq(organization.id))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::withdrawn_at.is_null()),
    )
    .set(invitations::withdrawn_at.eq(now))
    .execute(conn)?;
    if changed == 0 {
        return Err(AppError::NotFound.into());
    }
    audit(
        conn,
        &actor,
        "organization.invitation.withdraw",
        &subject(&organization),
        None,
        now,
    )
}

type InvitationFound = (
    i64,
    i64,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

fn find_invitation(conn: &mut DbConnection, token: &str) -> Result<InvitationFound, StoreError> {
    Ok(invitations::table
        .inner_join(organizations::table)
        .filter(invitations::token.eq(token))
        .select((
            invitations::id,
            organizations::id,
            organizations::name,
            invitations::name,
            invitations::expires_at,
            invitations::accepted_at,
            invitations::withdrawn_at,
        ))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?)
}

fn is_member(conn: &mut DbConnection, organization_id: i64, user_id: i64) -> Result<bool, StoreError> {
    let count: i64 = memberships::table
        .filter(memberships::organization_id.eq(organization_id))
        .filter(memberships::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

pub(super) fn preview(
    conn: &mut DbConnection,
    token: &str,
    viewer: Option<i64>,
    now: NaiveDateTime,
) -> Result<InvitationPreview, StoreError> {
    let (_, organization_id, organization, invited_name, expires_at, accepted_at, withdrawn_at) =
        find_invitation(conn, token)?;
    let already_member = match viewer {
        Some(user_id) => is_member(conn, organization_id, user_id)?,
        None => false,
    };
    Ok(InvitationPreview {
        organization,
        invited_name,
        state: invitation_state(accepted_at, withdrawn_at, expires_at, now),
        signed_in: viewer.is_some(),
        already_member,
    })
}

/// Joins the organization of a waiting invitation; returns its name.
pub(super) fn accept(
    conn: &mut DbConnection,
    user_id: i64,
    token: &str,
    now: NaiveDateTime,
) -> Result<String, StoreError> {
    let (invitation_id, organization_id, name, _, expires_at, accepted_at, withdrawn_at) =
        find_invitation(conn, token)?;
    if let Some(reason) = invitation_state(accepted_at, withdrawn_at, expires_at, now).unusable_because() {
        return Err(AppError::invalid(reason).into());
    }
    diesel::update(invitations::table.find(invitation_id))
        .set(invitations::accepted_at.eq(now))
        .execute(conn)?;
    if !is_member(conn, organization_id, user_id)? {
        diesel::insert_into(memberships::table)
            .values((
                memberships::organization_id.eq(organization_id),
                memberships::user_id.eq(user_id),
                memberships::joined_at.eq(now),
            ))
            .execute(conn)?;
    }
    let slug: String = organizations::table
        .find(organization_id)
        .select(organizations::slug)
        .first(conn)?;
    let learner = actor(conn, user_id)?;
    audit(
        conn,
        &learner,
        "organization.join",
        &format!("organization:{slug}"),
        None,
        now,
    )?;
    Ok(name)
}

pub(super) fn memberships_of(conn: &mut DbConnection, user_id: i64) -> Result<Vec<Membership>, StoreError> {
    Ok(memberships::table
        .inner_join(organizations::table)
        .filter(memberships::user_id.eq(user_id))
        .order(organizations::name)
        .select((organizations::slug, organizations::name, memberships::joined_at))
        .load::<(String, String, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(slug, name, joined_at)| Membership {
            slug,
            name,
            joined_on: day(joined_at),
        })
        .collect())
}

pub(super) fn leave(conn: &mut DbConnection, user_id: i64, slug: &str, now: NaiveDateTime) -> Result<(), StoreError> {
    let organization_id: i64 = organizations::table
        .filter(organizations::slug.eq(slug))
        .select(organizations::id)
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let removed = diesel::delete(
        memberships::table
            .filter(memberships::organization_id.eq(organization_id))
            .filter(memberships::user_id.eq(user_id)),
    )
    .execute(conn)?;
    if removed == 0 {
        return Err(AppError::NotFound.into());
    }
    let learner = actor(conn, user_id)?;
    audit(
        conn,
        &learner,
        "organization.leave",
        &format!("organization:{slug}"),
        None,
        now,
    )
}

// ---- verification ------------------------------------------------------------------

/// Who may verify many codes at once: organization admins and site staff.
pub(super) fn bulk_verifier(conn: &mut DbConnection, user_id: i64) -> Result<(), StoreError> {
    let actor = actor(conn, user_id)?;
    match actor.role {
        Role::Admin | Role::Trainer => Ok(()),
        _ => org_admin(conn, user_id).map(drop),
    }
}

/// How long bulk results stay to be looked at again or downloaded.
const BULK_RESULTS_KEPT: Duration = Duration::days(1);
/// A check unfinished after this long was cut off (10,000 codes take seconds).
const BULK_GIVEN_UP: Duration = Duration::minutes(10);

/// How long an invitation nobody used (expired or withdrawn) is kept,
/// with the name and address it was sent to, before it is deleted.
const UNUSED_INVITATIONS_KEPT: Duration = Duration::days(30);

/// Deletes bulk results past their day and invitations nobody will use.
pub(super) fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> Result<(), StoreError> {
    diesel::delete(bulk_verifications::table.filter(bulk_verifications::created_at.le(now - BULK_RESULTS_KEPT)))
        .execute(conn)?;
    let long_ago = now - UNUSED_INVITATIONS_KEPT;
    diesel::delete(
        invitations::table.filter(invitations::accepted_at.is_null()).filter(
            invitations::expires_at
                .le(long_ago)
                .or(invitations::withdrawn_at.le(long_ago)),
        ),
    )
    .execute(conn)?;
    Ok(())
}

/// Starts a bulk verification of `total` codes; returns its id.
pub(super) fn start_bulk(
    conn: &mut DbConnection,
    user_id: i64,
    total: usize,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    diesel::delete(bulk_verifications::table.filter(bulk_verifications::created_at.le(now - BULK_RESULTS_KEPT)))
        .execute(conn)?;
    Ok(diesel::insert_into(bulk_verifications::table)
        .values((
            bulk_verifications::user_id.eq(user_id),
            bulk_verifications::results.eq("[]"),
            bulk_verifications::total.eq(i32::try_from(total).unwrap_or(i32::MAX)),
            bulk_verifications::checked.eq(0),
            bulk_verifications::created_at.eq(now),
        ))
        .returning(bulk_verifications::id)
        .get_result(conn)?)
}

pub(super) fn bulk_checked(conn: &mut DbConnection, id: i64, checked: usize) -> Result<(), StoreError> {
    diesel::update(bulk_verifications::table.find(id))
        .set(bulk_verifications::checked.eq(i32::try_from(checked).unwrap_or(i32::MAX)))
        .execute(conn)?;
    Ok(())
}

pub(super) fn finish_bulk(
    conn: &mut DbConnection,
    id: i64,
    rows: &[BulkRow],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(bulk_verifications::table.find(id))
        .set((
            bulk_verifications::results.eq(serde_json::to_string(rows)?),
            bulk_verifications::finished_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A bulk verification saved by the same person, and only them.
pub(super) fn bulk_results(
    conn: &mut DbConnection,
    user_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> Result<BulkCheck, StoreError> {
    bulk_verifier(conn, user_id)?;
    let (results, checked, total, created_at, finished_at): (String, i32, i32, NaiveDateTime, Option<NaiveDateTime>) =
        bulk_verifications::table
            .filter(bulk_verifications::id.eq(id))
            .filter(bulk_verifications::user_id.eq(user_id))
            .filter(bulk_verifications::created_at.gt(now - BULK_RESULTS_KEPT))
            .select((
                bulk_verifications::results,
                bulk_verifications::checked,
                bulk_verifications::total,
                bulk_verifications::created_at,
                bulk_verifications::finished_at,
            ))
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
    Ok(match finished_at {
        Some(_) => BulkCheck::Done(serde_json::from_str(&results)?),
        None if created_at <= now - BULK_GIVEN_UP => BulkCheck::Interrupted,
        None => BulkCheck::Checking {
            checked: u32::try_from(checked).unwrap_or(0),
            total: u32::try_from(total).unwrap_or(0),
        },
    })
}

// ---- API tokens --------------------------------------------------------------------

pub(super) fn tokens(conn: &mut DbConnection, user_id: i64) -> Result<Vec<TokenRow>, StoreError> {
    let (_, organization) = org_admin(conn, user_id)?;
    type Row = (
        i64,
        String,
        String,
        NaiveDateTime,
        String,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = api_tokens::table
        .filter(api_tokens::organization_id.eq(organization.id))
        .order((
            api_tokens::revoked_at.is_not_null(),
            api_tokens::created_at.desc(),
            api_tokens::id.desc(),
        ))
        .select((
            api_tokens::id,
            api_tokens::label,
            api_tokens::prefix,
            api_tokens::created_at,
            api_tokens::created_by_name,
            api_tokens::last_used_at,
            api_tokens::revoked_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, label, prefix, created_at, created_by, last_used_at, revoked_at)| TokenRow {
                id,
                label,
                prefix,
                created_on: day(created_at),
                created_by,
                last_used_on: last_used_at.map(day),
                revoked_on: revoked_at.map(day),
            },
        )
        .collect())
}

pub(super) fn create_token(
    conn: &mut DbConnection,
    user_id: i64,
    label: &str,
    now: NaiveDateTime,
) -> Result<NewToken, StoreError> {
    let (actor, organization) = org_admin(conn, user_id)?;
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 80 || label.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Please name the token after what will use it, like \"Volunteer database\" (up to 80 characters).",
        )
        .into());
    }
    let token = format!("{API_TOKEN_PREFIX}{}", new_token());
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::organization_id.eq(organization.id),
            api_tokens::token_hash.eq(token_hash(&token)),
            api_tokens::prefix.eq(&token[..API_TOKEN_PREFIX.len() + 8]),
            api_tokens::label.eq(label),
            api_tokens::scope.eq(SCOPE_VERIFY),
            api_tokens::created_by_name.eq(&actor.name),
            api_tokens::created_by_user_id.eq(actor.id),
            api_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    audit(
        conn,
        &actor,
        "api_token.create",
        &subject(&organization),
        Some(label),
        now,
    )?;
    Ok(NewToken {
        label: label.to_owned(),
        token,
    })
}

pub(super) fn revoke_token(
    conn: &mut DbConnection,
    user_id: i64,
    token_id: i64,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let (actor, organization) = org_admin(conn, user_id)?;
    let changed = diesel::update(
        api_tokens::table
            .filter(api_tokens::id.eq(token_id))
            .filter(api_tokens::organization_id.eq(organization.id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)?;
    if changed == 0 {
        return Err(AppError::NotFound.into());
    }
    audit(conn, &actor, "api_token.revoke", &subject(&organization), None, now)
}

/// Why a request with an API token may not go ahead.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No such token, or it was revoked.
    Unauthorized,
    RateLimited {
        retry_after_secs: u64,
    },
}

/// Checks a token and counts the request against its window. Each step is
/// one conditional UPDATE, so concurrent requests (or app instances) cannot
/// both take the last place in a window.
pub(super) fn token_is_live(conn: &mut DbConnection, token: &str, scope: &str) -> Result<bool, StoreError> {
    let live = api_tokens::table
        .filter(api_tokens::token_hash.eq(token_hash(token)))
        .filter(api_tokens::revoked_at.is_null())
        .filter(api_tokens::scope.eq(scope));
    Ok(diesel::select(diesel::dsl::exists(live)).get_result(conn)?)
}

pub(super) fn admit(
    conn: &mut DbConnection,
    token: &str,
    scope: &str,
    now: NaiveDateTime,
) -> Result<Result<(), Refusal>, StoreError> {
    let hash = token_hash(token);
    let live = || {
        api_tokens::table
            .filter(api_tokens::token_hash.eq(hash.clone()))
            .filter(api_tokens::revoked_at.is_null())
            .filter(api_tokens::scope.eq(scope))
    };
    let window_open = now - API_WINDOW;
    let counted = diesel::update(
        live()
            .filter(api_tokens::window_started_at.gt(window_open))
            .filter(api_tokens::window_requests.lt(API_REQUESTS_PER_WINDOW)),
    )
    .set((
        api_tokens::window_requests.eq(api_tokens::window_requests + 1),
        api_tokens::last_used_at.eq(now),
    ))
    .execute(conn)?;
    if counted == 1 {
        return Ok(Ok(()));
    }
    let restarted = diesel::update(
        live().filter(
            api_tokens::window_started_at
                .is_null()
                .or(api_tokens::window_started_at.le(window_open)),
        ),
    )
    .set((
        api_tokens::window_started_at.eq(now),
        api_tokens::window_requests.eq(1),
        api_tokens::last_used_at.eq(now),
    ))
    .execute(conn)?;
    if restarted == 1 {
        return Ok(Ok(()));
    }
    match live()
        .select(api_tokens::window_started_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
    {
        None => Ok(Err(Refusal::Unauthorized)),
        Some(started) => {
            let wait = started.map_or(Duration::zero(), |started| started + API_WINDOW - now);
            Ok(Err(Refusal::RateLimited {
                retry_after_secs: u64::try_from(wait.num_seconds()).unwrap_or(0).max(1),
            }))
        }
    }
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

    #[test]
    fn an_invitation_is_waiting_until_used_withdrawn_or_expired() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let later = now + Duration::days(1);
        assert_eq!(invitation_state(None, None, later, now), InvitationState::Waiting);
        assert_eq!(invitation_state(None, None, now, now), InvitationState::Expired);
        assert_eq!(invitation_state(Some(now), None, now, later), InvitationState::Accepted);
        assert_eq!(
            invitation_state(None, Some(now), later, now),
            InvitationState::Withdrawn
        );
    }
}
