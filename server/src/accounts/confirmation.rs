//! Confirming that an email address is its account holder's: a link mailed
//! at registration (and again on request). Until then the account can
//! learn, but nobody can make it staff or an organization's admin, so an
//! address typed in first by someone else gains them nothing.

use super::one_time_links::{self, LinkPurpose, Redeemable};
use crate::db::DbConnection;
use crate::db::schema::users;
use crate::error::ServerResult;
use crate::mail::{self, Letter};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::UserId;

#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(crate::db::MultiBackend))]
struct Holder {
    email: String,
    display_name: String,
    email_confirmed_at: Option<NaiveDateTime>,
}

/// Mails a confirmation link, unless the address is already confirmed.
pub fn send_link(conn: &mut DbConnection, user: UserId, now: NaiveDateTime) -> ServerResult<()> {
    let holder: Holder = users::table.find(user).select(Holder::as_select()).first(conn)?;
    if holder.email_confirmed_at.is_some() {
        return Ok(());
    }
    let link = one_time_links::issue(conn, user, LinkPurpose::ConfirmAddress, &holder.email, now)?;
    mail::enqueue(
        conn,
        &link.key,
        Some(user),
        &holder.email,
        &Letter::ConfirmAddress {
            name: holder.display_name,
            path: format!("/confirm-email/{}", link.token),
        },
        now,
    )
}

/// Confirms the address the link was sent to: the account's own, or the
/// new one it moves to.
pub fn confirm(conn: &mut DbConnection, token: &str, now: NaiveDateTime) -> ServerResult<()> {
    if one_time_links::purpose_of(conn, token)? == Some(LinkPurpose::ChangeAddress) {
        return super::address_change::confirm_change(conn, token, now);
    }
    let link = one_time_links::redeem(conn, token, LinkPurpose::ConfirmAddress, now)?;
    mark_confirmed(conn, &link, now)
}

/// Marks the address a link went to as confirmed, if it is still the
/// account's (it may have moved since) and not confirmed already.
pub fn mark_confirmed(conn: &mut DbConnection, link: &Redeemable, now: NaiveDateTime) -> ServerResult<()> {
    diesel::update(
        users::table
            .find(link.user_id)
            .filter(users::email.eq(&link.email))
            .filter(users::email_confirmed_at.is_null()),
    )
    .set(users::email_confirmed_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// Whether the account's address is confirmed.
pub fn is_confirmed(conn: &mut DbConnection, user: UserId) -> ServerResult<bool> {
    Ok(users::table
        .find(user)
        .select(users::email_confirmed_at)
        .first::<Option<NaiveDateTime>>(conn)?
        .is_some())
}
