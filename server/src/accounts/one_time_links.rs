//! One-time links mailed to a person: confirming an address, resetting a
//! password. The link carries 256 random bits; the database keeps only
//! their SHA-256, so a leaked copy of the table opens nothing.

use super::sessions::{new_token, token_hash};
use crate::db::DbConnection;
use crate::db::schema::account_tokens;
use crate::error::{ServerResult, invalid};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::UserId;

holdspace_app::stored_names! {
    /// What a link is for.
    pub enum LinkPurpose {
        ConfirmAddress = "confirm_address",
        ResetPassword = "reset_password",
        /// Moving the account to a new address (the link goes to the new one).
        ChangeAddress = "change_address",
    }
}

impl LinkPurpose {
    fn lifetime(self) -> Duration {
        match self {
            LinkPurpose::ConfirmAddress | LinkPurpose::ChangeAddress => Duration::days(7),
            LinkPurpose::ResetPassword => Duration::hours(1),
        }
    }
}

pub const LINK_USED_OR_EXPIRED: &str =
    "This link has already been used, or it has expired. You can ask for a new one; it only takes a moment.";

/// A new link's token for `user` and the address it goes to. `key` is a
/// short, non-secret name for it (for the outbox's event key).
pub struct NewLink {
    pub token: String,
    pub key: String,
}

pub fn issue(
    conn: &mut DbConnection,
    user: UserId,
    purpose: LinkPurpose,
    email: &str,
    now: NaiveDateTime,
) -> ServerResult<NewLink> {
    let token = new_token();
    let hash = token_hash(&token);
    diesel::insert_into(account_tokens::table)
        .values((
            account_tokens::token_hash.eq(&hash),
            account_tokens::user_id.eq(user),
            account_tokens::purpose.eq(purpose),
            account_tokens::email.eq(email),
            account_tokens::created_at.eq(now),
            account_tokens::expires_at.eq(now + purpose.lifetime()),
        ))
        .execute(conn)?;
    Ok(NewLink {
        key: format!("{}:{}", purpose.as_str(), hex::encode(&hash[..12])),
        token,
    })
}

/// A link that still works.
#[derive(Queryable, Selectable)]
#[diesel(table_name = account_tokens, check_for_backend(crate::db::MultiBackend))]
pub struct Redeemable {
    pub user_id: UserId,
    pub email: String,
}

/// The link's account and address, if it is unused and in time.
pub fn check(
    conn: &mut DbConnection,
    token: &str,
    purpose: LinkPurpose,
    now: NaiveDateTime,
) -> ServerResult<Redeemable> {
    account_tokens::table
        .find(token_hash(token))
        .filter(account_tokens::purpose.eq(purpose))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::expires_at.gt(now))
        .select(Redeemable::as_select())
        .first(conn)
        .optional()?
        .map_or_else(|| invalid(LINK_USED_OR_EXPIRED), Ok)
}

/// What an unused link is for, if it exists (its purpose is not secret).
pub fn purpose_of(conn: &mut DbConnection, token: &str) -> ServerResult<Option<LinkPurpose>> {
    Ok(account_tokens::table
        .find(token_hash(token))
        .select(account_tokens::purpose)
        .first(conn)
        .optional()?)
}

/// Uses the link up: checks it and marks it used, in the caller's transaction.
pub fn redeem(
    conn: &mut DbConnection,
    token: &str,
    purpose: LinkPurpose,
    now: NaiveDateTime,
) -> ServerResult<Redeemable> {
    let link = check(conn, token, purpose, now)?;
    let used = diesel::update(
        account_tokens::table
            .find(token_hash(token))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(now))
    .execute(conn)?;
    if used == 0 {
        return invalid(LINK_USED_OR_EXPIRED);
    }
    Ok(link)
}

/// Whether a link for `purpose` went to `user` since `since`.
pub fn issued_since(
    conn: &mut DbConnection,
    user: UserId,
    purpose: LinkPurpose,
    since: NaiveDateTime,
) -> ServerResult<bool> {
    let recent = account_tokens::table
        .filter(account_tokens::user_id.eq(user))
        .filter(account_tokens::purpose.eq(purpose))
        .filter(account_tokens::created_at.gt(since));
    Ok(diesel::select(diesel::dsl::exists(recent)).get_result(conn)?)
}

/// Deletes links a day past their end.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> ServerResult<()> {
    diesel::delete(account_tokens::table.filter(account_tokens::expires_at.lt(now - Duration::days(1))))
        .execute(conn)?;
    Ok(())
}
