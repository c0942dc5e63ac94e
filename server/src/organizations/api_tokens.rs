//! API tokens: what lets an organization's systems verify codes over
//! `POST /api/v1/verifications`, each limited to a number of requests a minute.
//!
//! A token is shown once and stored as a SHA-256 hash; it starts with
//! `hsv_`, so that a leaked one is recognizable in a log or a scanner.

use super::subject;
use crate::access;
use crate::accounts::sessions::{new_token, token_hash};
use crate::audit::{self, AuditAction};
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::api_tokens;
use crate::error::{ServerResult, invalid};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::{ApiTokenId, NewToken, TokenRow, UserId};
use holdspace_app::error::AppError;

/// Requests one API token may make per window.
pub const REQUESTS_PER_WINDOW: i32 = 60;
pub const WINDOW: Duration = Duration::minutes(1);
const PREFIX: &str = "hsv_";

holdspace_app::stored_names! {
    /// What a token may do; stored so that new scopes need no migration.
    pub enum Scope {
        Verify = "verify",
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = api_tokens, check_for_backend(crate::db::MultiBackend))]
struct Listed {
    id: ApiTokenId,
    label: String,
    prefix: String,
    created_at: NaiveDateTime,
    created_by_name: String,
    last_used_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
}

/// The organization's tokens, live ones first.
pub fn tokens(conn: &mut DbConnection, admin: UserId) -> ServerResult<Vec<TokenRow>> {
    let (_, organization) = access::org_admin(conn, admin)?;
    Ok(api_tokens::table
        .filter(api_tokens::organization_id.eq(organization.id))
        .order((
            api_tokens::revoked_at.is_not_null(),
            api_tokens::created_at.desc(),
            api_tokens::id.desc(),
        ))
        .select(Listed::as_select())
        .load(conn)?
        .into_iter()
        .map(|token| TokenRow {
            id: token.id,
            label: token.label,
            prefix: token.prefix,
            created_on: day(token.created_at),
            created_by: token.created_by_name,
            last_used_on: token.last_used_at.map(day),
            revoked_on: token.revoked_at.map(day),
        })
        .collect())
}

pub fn create(conn: &mut DbConnection, admin: UserId, label: &str, now: NaiveDateTime) -> ServerResult<NewToken> {
    let (actor, organization) = access::org_admin(conn, admin)?;
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 80 || label.chars().any(char::is_control) {
        return invalid(
            "Please name the token after what will use it, like \"Volunteer database\" (up to 80 characters).",
        );
    }
    let token = format!("{PREFIX}{}", new_token());
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::organization_id.eq(organization.id),
            api_tokens::token_hash.eq(token_hash(&token)),
            api_tokens::prefix.eq(&token[..PREFIX.len() + 8]),
            api_tokens::label.eq(label),
            api_tokens::scope.eq(Scope::Verify),
            api_tokens::created_by_name.eq(&actor.name),
            api_tokens::created_by_user_id.eq(actor.id),
            api_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        &actor,
        AuditAction::ApiTokenCreate,
        &subject(&organization.slug),
        Some(label),
        now,
    )?;
    Ok(NewToken {
        label: label.to_owned(),
        token,
    })
}

pub fn revoke(conn: &mut DbConnection, admin: UserId, token: ApiTokenId, now: NaiveDateTime) -> ServerResult<()> {
    let (actor, organization) = access::org_admin(conn, admin)?;
    let changed = diesel::update(
        api_tokens::table
            .filter(api_tokens::id.eq(token))
            .filter(api_tokens::organization_id.eq(organization.id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)?;
    if changed == 0 {
        return Err(AppError::NotFound.into());
    }
    audit::record(
        conn,
        &actor,
        AuditAction::ApiTokenRevoke,
        &subject(&organization.slug),
        None,
        now,
    )
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

/// Whether `token` is a live token with this scope: a read, so an
/// anonymous caller never makes the server take a write lock.
pub fn is_live(conn: &mut DbConnection, token: &str, scope: Scope) -> ServerResult<bool> {
    let live = api_tokens::table
        .filter(api_tokens::token_hash.eq(token_hash(token)))
        .filter(api_tokens::revoked_at.is_null())
        .filter(api_tokens::scope.eq(scope));
    Ok(diesel::select(diesel::dsl::exists(live)).get_result(conn)?)
}

/// Counts the request against the token's window. Each step is one
/// conditional UPDATE, so concurrent requests (or app instances) cannot
/// both take the last place in a window.
pub fn admit(
    conn: &mut DbConnection,
    token: &str,
    scope: Scope,
    now: NaiveDateTime,
) -> ServerResult<Result<(), Refusal>> {
    let hash = token_hash(token);
    let live = || {
        api_tokens::table
            .filter(api_tokens::token_hash.eq(hash.clone()))
            .filter(api_tokens::revoked_at.is_null())
            .filter(api_tokens::scope.eq(scope))
    };
    let window_open = now - WINDOW;
    let counted = diesel::update(
        live()
            .filter(api_tokens::window_started_at.gt(window_open))
            .filter(api_tokens::window_requests.lt(REQUESTS_PER_WINDOW)),
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
            let wait = started.map_or(Duration::zero(), |started| started + WINDOW - now);
            Ok(Err(Refusal::RateLimited {
                retry_after_secs: u64::try_from(wait.num_seconds()).unwrap_or(0).max(1),
            }))
        }
    }
}
