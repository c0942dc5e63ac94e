//! Invitations: one-time links an organization admin makes for a person
//! (one at a time or from a roster file), which the person opens to join.

use super::memberships::is_member;
use super::roster_import;
use super::subject;
use crate::access::{self, Actor, OrganizationRef};
use crate::accounts::confirmation;
use crate::accounts::fields::{check_display_name, normalize_email};
use crate::accounts::sessions::new_token;
use crate::audit::{self, AuditAction};
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::{invitations, memberships, organizations, users};
use crate::error::{ServerResult, invalid};
use crate::mail::{self, Letter};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::{
    InvitationId, InvitationPreview, InvitationRow, InvitationState, InvitationsMade, OrganizationId, UserId,
};
use holdspace_app::error::AppError;

/// How long an invitation link works.
pub const INVITATION_LIFETIME: Duration = Duration::days(30);
/// How long an invitation nobody used (expired or withdrawn) is kept,
/// with the name and address it was sent to, before it is deleted.
const UNUSED_INVITATIONS_KEPT: Duration = Duration::days(30);

/// An invitation as stored.
#[derive(Queryable, Selectable)]
#[diesel(table_name = invitations, check_for_backend(crate::db::MultiBackend))]
struct Invitation {
    id: InvitationId,
    organization_id: OrganizationId,
    token: String,
    name: String,
    email: String,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    accepted_at: Option<NaiveDateTime>,
    withdrawn_at: Option<NaiveDateTime>,
}

impl Invitation {
    fn state(&self, now: NaiveDateTime) -> InvitationState {
        match (self.accepted_at, self.withdrawn_at) {
            (Some(_), _) => InvitationState::Accepted,
            (None, Some(_)) => InvitationState::Withdrawn,
            (None, None) if now >= self.expires_at => InvitationState::Expired,
            (None, None) => InvitationState::Waiting,
        }
    }
}

/// The organization's invitations, newest first, with links to copy while waiting.
pub fn invitation_rows(
    conn: &mut DbConnection,
    organization: OrganizationId,
    base_url: &str,
    now: NaiveDateTime,
) -> ServerResult<Vec<InvitationRow>> {
    Ok(invitations::table
        .filter(invitations::organization_id.eq(organization))
        .order((invitations::created_at.desc(), invitations::id.desc()))
        .select(Invitation::as_select())
        .load(conn)?
        .into_iter()
        .map(|invitation| {
            let state = invitation.state(now);
            InvitationRow {
                id: invitation.id,
                link: (state == InvitationState::Waiting).then(|| format!("{base_url}/join/{}", invitation.token)),
                name: invitation.name,
                email: invitation.email,
                created_on: day(invitation.created_at),
                expires_on: day(invitation.expires_at),
                state,
            }
        })
        .collect())
}

fn insert(
    conn: &mut DbConnection,
    organization: &OrganizationRef,
    name: &str,
    email: &str,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let token = new_token();
    let id: InvitationId = diesel::insert_into(invitations::table)
        .values((
            invitations::organization_id.eq(organization.id),
            invitations::token.eq(&token),
            invitations::name.eq(name),
            invitations::email.eq(email),
            invitations::created_at.eq(now),
            invitations::expires_at.eq(now + INVITATION_LIFETIME),
        ))
        .returning(invitations::id)
        .get_result(conn)?;
    // The link is also on the organization's page to copy, for people
    // who would rather not get mail.
    mail::enqueue(
        conn,
        &format!("invitation:{id}"),
        None,
        email,
        &Letter::Invitation {
            name: name.to_owned(),
            organization: organization.name.clone(),
            path: format!("/join/{token}"),
        },
        now,
    )
}

pub fn invite(conn: &mut DbConnection, admin: UserId, name: &str, email: &str, now: NaiveDateTime) -> ServerResult<()> {
    let (actor, organization) = access::org_admin(conn, admin)?;
    let name = check_display_name(name).map_err(AppError::Invalid)?;
    let email = normalize_email(email).map_err(AppError::Invalid)?;
    insert(conn, &organization, &name, &email, now)?;
    audit::record(
        conn,
        &actor,
        AuditAction::OrganizationInvite,
        &subject(&organization.slug),
        None,
        now,
    )
}

/// Invites everyone on a CSV roster (see [`roster_import`]).
pub fn import_roster(
    conn: &mut DbConnection,
    admin: UserId,
    csv_bytes: &[u8],
    now: NaiveDateTime,
) -> ServerResult<InvitationsMade> {
    let (actor, organization) = access::org_admin(conn, admin)?;
    let text = super::code_list::decode(csv_bytes).map_err(|error| AppError::Invalid(error.to_string()))?;
    let roster = roster_import::parse(&text);
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
            insert(conn, &organization, &person.name, &person.email, now)?;
            made.invited += 1;
        }
    }
    if made.invited == 0 && made.problems.is_empty() {
        return invalid("That file has no one in it. A roster is a CSV file with a name and an email on each line.");
    }
    let reason = format!("{} invited from a roster file", made.invited);
    audit::record(
        conn,
        &actor,
        AuditAction::OrganizationInvite,
        &subject(&organization.slug),
        Some(&reason),
        now,
    )?;
    Ok(made)
}

pub fn withdraw_invitation(
    conn: &mut DbConnection,
    admin: UserId,
    invitation: InvitationId,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let (actor, organization) = access::org_admin(conn, admin)?;
    let changed = diesel::update(
        invitations::table
            .filter(invitations::id.eq(invitation))
            .filter(invitations::organization_id.eq(organization.id))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::withdrawn_at.is_null()),
    )
    .set(invitations::withdrawn_at.eq(now))
    .execute(conn)?;
    if changed == 0 {
        return Err(AppError::NotFound.into());
    }
    audit::record(
        conn,
        &actor,
        AuditAction::OrganizationInvitationWithdraw,
        &subject(&organization.slug),
        None,
        now,
    )
}

fn find(conn: &mut DbConnection, token: &str) -> ServerResult<(Invitation, OrganizationRef)> {
    Ok(invitations::table
        .inner_join(organizations::table)
        .filter(invitations::token.eq(token))
        .select((Invitation::as_select(), OrganizationRef::as_select()))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?)
}

/// What an invitation link offers; anyone with the link may look.
pub fn invitation_preview(
    conn: &mut DbConnection,
    token: &str,
    viewer: Option<UserId>,
    now: NaiveDateTime,
) -> ServerResult<InvitationPreview> {
    let (invitation, organization) = find(conn, token)?;
    let already_member = match viewer {
        Some(person) => is_member(conn, organization.id, person)?,
        None => false,
    };
    Ok(InvitationPreview {
        state: invitation.state(now),
        organization: organization.name,
        invited_name: invitation.name,
        signed_in: viewer.is_some(),
        already_member,
    })
}

/// Joins the organization of a waiting invitation; returns its name.
pub fn accept(conn: &mut DbConnection, learner: UserId, token: &str, now: NaiveDateTime) -> ServerResult<String> {
    let (invitation, organization) = find(conn, token)?;
    if let Some(reason) = invitation.state(now).unusable_because() {
        return invalid(reason);
    }
    // An organization sees a member's progress: it should reach the person
    // whose address it is, not someone who registered it first.
    if !confirmation::is_confirmed(conn, learner)? {
        return invalid(
            "Please confirm your email address first: open the link we mailed you (or send a new one from \
             your privacy page), then come back to this invitation.",
        );
    }
    diesel::update(invitations::table.find(invitation.id))
        .set(invitations::accepted_at.eq(now))
        .execute(conn)?;
    if !is_member(conn, invitation.organization_id, learner)? {
        diesel::insert_into(memberships::table)
            .values((
                memberships::organization_id.eq(invitation.organization_id),
                memberships::user_id.eq(learner),
                memberships::joined_at.eq(now),
            ))
            .execute(conn)?;
    }
    let actor = Actor::load(conn, learner)?;
    audit::record(
        conn,
        &actor,
        AuditAction::OrganizationJoin,
        &subject(&organization.slug),
        None,
        now,
    )?;
    Ok(organization.name)
}

/// Deletes invitations nobody used, 30 days after they expired or were withdrawn.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> ServerResult<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn invitation(
        accepted_at: Option<NaiveDateTime>,
        withdrawn_at: Option<NaiveDateTime>,
        expires_at: NaiveDateTime,
    ) -> Invitation {
        Invitation {
            id: InvitationId(1),
            organization_id: OrganizationId(1),
            token: String::new(),
            name: String::new(),
            email: String::new(),
            created_at: expires_at,
            expires_at,
            accepted_at,
            withdrawn_at,
        }
    }

    #[test]
    fn an_invitation_is_waiting_until_used_withdrawn_or_expired() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let later = now + Duration::days(1);
        assert_eq!(invitation(None, None, later).state(now), InvitationState::Waiting);
        assert_eq!(invitation(None, None, now).state(now), InvitationState::Expired);
        assert_eq!(invitation(Some(now), None, now).state(later), InvitationState::Accepted);
        assert_eq!(
            invitation(None, Some(now), later).state(now),
            InvitationState::Withdrawn
        );
    }
}
