//! Getting back in and locking others out: a password reset by mailed
//! link, a password change, and signing out everywhere. Each ends every
//! other session, so whoever else held one is out.

use super::confirmation;
use super::fields::{check_password, normalize_email};
use super::one_time_links::{self, LinkPurpose};
use super::password::{self, Passwords};
use super::sessions;
use super::throttle::{self, Subject};
use crate::db::schema::{sessions as sessions_table, users};
use crate::db::{Database, DbConnection};
use crate::error::{ServerResult, invalid};
use crate::mail::{self, Letter};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::UserId;
use holdspace_app::error::AppError;
use holdspace_app::ports::{Client, SessionKey};

/// A second reset link for one account within this time is not sent, so
/// a flood of requests cannot fill a mailbox.
const RESET_QUIET: Duration = Duration::minutes(2);

const WRONG_CURRENT: &str = "That isn't your current password, so it was not changed. Please try again.";

/// Mails a reset link if an account has this address. The answer is the
/// same either way, so the form tells nobody who has an account.
pub fn request_reset(conn: &mut DbConnection, email: &str, client: &Client, now: NaiveDateTime) -> ServerResult<()> {
    let subject = Subject::ResetRequest(&client.address);
    throttle::check(conn, &subject, throttle::RESET_REQUESTS_FREE, now)?;
    throttle::record(conn, &[subject], now)?;
    let Ok(email) = normalize_email(email) else {
        return Ok(());
    };
    let found: Option<UserId> = users::table
        .filter(users::email.eq(&email))
        .filter(users::disabled_at.is_null())
        .select(users::id)
        .first(conn)
        .optional()?;
    let Some(user) = found else {
        return Ok(());
    };
    if one_time_links::issued_since(conn, user, LinkPurpose::ResetPassword, now - RESET_QUIET)? {
        return Ok(());
    }
    send_reset_link(conn, user, now)
}

/// Mails `user` a reset link (also what a site admin sends on request).
pub fn send_reset_link(conn: &mut DbConnection, user: UserId, now: NaiveDateTime) -> ServerResult<()> {
    let (email, name): (String, String) = users::table
        .find(user)
        .select((users::email, users::display_name))
        .first(conn)?;
    let link = one_time_links::issue(conn, user, LinkPurpose::ResetPassword, &email, now)?;
    mail::enqueue(
        conn,
        &link.key,
        Some(user),
        &email,
        &Letter::ResetPassword {
            name,
            path: format!("/reset-password/{}", link.token),
        },
        now,
    )
}

/// Sets a new password from a reset link, ends every session of the
/// account and starts a new one; returns its token. Opening the link also
/// shows the address is the holder's, so it confirms it.
pub async fn reset_password(
    db: &Database,
    passwords: &Passwords,
    token: String,
    new_password: String,
    client: Client,
) -> ServerResult<String> {
    check_password(&new_password).map_err(AppError::Invalid)?;
    let peek = token.clone();
    db.run(move |conn, now| one_time_links::check(conn, &peek, LinkPurpose::ResetPassword, now).map(|_| ()))
        .await?;
    let hash = passwords.hash(new_password).await?;
    db.write(move |conn, now| {
        let link = one_time_links::redeem(conn, &token, LinkPurpose::ResetPassword, now)?;
        diesel::update(users::table.find(link.user_id))
            .set(users::password_hash.eq(&hash))
            .execute(conn)?;
        confirmation::mark_confirmed(conn, &link, now)?;
        end_sessions(conn, link.user_id, None)?;
        sessions::start(conn, link.user_id, client.previous_session.as_ref(), now)
    })
    .await
}

/// Changes the password after checking the current one; ends every other session.
pub async fn change_password(
    db: &Database,
    passwords: &Passwords,
    user: UserId,
    current: String,
    new_password: String,
    keep: SessionKey,
) -> ServerResult<()> {
    check_password(&new_password).map_err(AppError::Invalid)?;
    check_current_password(db, passwords, user, current, WRONG_CURRENT).await?;
    let hash = passwords.hash(new_password).await?;
    db.write(move |conn, _| {
        diesel::update(users::table.find(user))
            .set(users::password_hash.eq(&hash))
            .execute(conn)?;
        end_sessions(conn, user, Some(&keep))
    })
    .await
}

/// Refuses with `wrong` unless `input` is the account's password; wrong
/// tries are throttled per account, so a taken-over session cannot guess it.
pub async fn check_current_password(
    db: &Database,
    passwords: &Passwords,
    user: UserId,
    input: String,
    wrong: &'static str,
) -> ServerResult<()> {
    if input.len() > password::MAX_LENGTH {
        return invalid(wrong);
    }
    let stored: String = db
        .run(move |conn, now| {
            throttle::check(
                conn,
                &Subject::PasswordChange(user),
                throttle::PASSWORD_CHANGES_FREE,
                now,
            )?;
            Ok(users::table.find(user).select(users::password_hash).first(conn)?)
        })
        .await?;
    if passwords.verify(input, Some(stored)).await? {
        return Ok(());
    }
    db.write(move |conn, now| throttle::record(conn, &[Subject::PasswordChange(user)], now))
        .await?;
    invalid(wrong)
}

/// Ends every session of `user`, except `keep`.
pub fn end_sessions(conn: &mut DbConnection, user: UserId, keep: Option<&SessionKey>) -> ServerResult<()> {
    let mine = sessions_table::table.filter(sessions_table::user_id.eq(user));
    match keep {
        Some(keep) => diesel::delete(mine.filter(sessions_table::token_hash.ne(&keep.0))).execute(conn)?,
        None => diesel::delete(mine).execute(conn)?,
    };
    Ok(())
}
