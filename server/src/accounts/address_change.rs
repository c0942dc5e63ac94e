//! Moving an account to a new email address: the current password, then a
//! link to the new address (it changes only when that link is opened) and a
//! notice to the old one, so someone who took over a session cannot quietly
//! take the account too.

use super::fields::normalize_email;
use super::one_time_links::{self, LinkPurpose};
use super::password::Passwords;
use super::recovery;
use crate::db::schema::users;
use crate::db::{Database, DbConnection};
use crate::error::{ServerResult, invalid};
use crate::mail::{self, Letter};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::UserId;
use holdspace_app::error::AppError;

const WRONG_PASSWORD: &str = "That isn't your current password, so nothing was changed. Please try again.";
const TAKEN: &str = "Another account already uses that email address.";

fn taken(conn: &mut DbConnection, email: &str) -> ServerResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(users::table.filter(users::email.eq(email)))).get_result(conn)?)
}

pub async fn request_change(
    db: &Database,
    passwords: &Passwords,
    user: UserId,
    new_email: String,
    password_input: String,
) -> ServerResult<()> {
    let new_email = normalize_email(&new_email).map_err(AppError::Invalid)?;
    recovery::check_current_password(db, passwords, user, password_input, WRONG_PASSWORD).await?;
    db.write(move |conn, now| send_links(conn, user, &new_email, now)).await
}

fn send_links(conn: &mut DbConnection, user: UserId, new_email: &str, now: NaiveDateTime) -> ServerResult<()> {
    let (old_email, name): (String, String) = users::table
        .find(user)
        .select((users::email, users::display_name))
        .first(conn)?;
    if old_email == new_email {
        return invalid("That is already your email address.");
    }
    if taken(conn, new_email)? {
        return invalid(TAKEN);
    }
    let link = one_time_links::issue(conn, user, LinkPurpose::ChangeAddress, new_email, now)?;
    mail::enqueue(
        conn,
        &link.key,
        Some(user),
        new_email,
        &Letter::ConfirmNewAddress {
            name: name.clone(),
            path: format!("/confirm-email/{}", link.token),
        },
        now,
    )?;
    mail::enqueue(
        conn,
        &format!("{}:notice", link.key),
        Some(user),
        &old_email,
        &Letter::AddressChangeNotice { name },
        now,
    )
}

/// Moves the account to the address the link was sent to.
pub fn confirm_change(conn: &mut DbConnection, token: &str, now: NaiveDateTime) -> ServerResult<()> {
    let link = one_time_links::redeem(conn, token, LinkPurpose::ChangeAddress, now)?;
    if taken(conn, &link.email)? {
        return invalid(TAKEN);
    }
    diesel::update(users::table.find(link.user_id))
        .set((users::email.eq(&link.email), users::email_confirmed_at.eq(now)))
        .execute(conn)?;
    Ok(())
}
