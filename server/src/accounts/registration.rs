//! Creating accounts: learners from the registration form, anyone from the
//! command line.

use super::confirmation;
use super::fields::{check_display_name, check_password, normalize_email};
use super::password::Passwords;
use super::sessions;
use super::throttle::{self, Subject};
use crate::db::schema::users;
use crate::db::{Database, DbConnection, is_unique_violation};
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{Role, UserId};
use holdspace_app::error::AppError;
use holdspace_app::ports::{Client, NewAccount};

const EMAIL_TAKEN: &str = "An account with this email already exists. You can log in instead.";

/// An account to create, with its role (the command line's way to make staff).
pub struct NewUser {
    pub display_name: String,
    pub email: String,
    pub password: String,
    pub role: Role,
}

/// The row written for a new account.
#[derive(Insertable)]
#[diesel(table_name = users)]
struct UserRow<'a> {
    email: &'a str,
    display_name: &'a str,
    password_hash: &'a str,
    role: Role,
    created_at: NaiveDateTime,
    email_confirmed_at: Option<NaiveDateTime>,
}

/// A checked new account: clean name and email, an acceptable password.
struct Checked {
    display_name: String,
    email: String,
    password: String,
    role: Role,
}

fn check(user: NewUser) -> ServerResult<Checked> {
    let display_name = check_display_name(&user.display_name).map_err(AppError::Invalid)?;
    let email = normalize_email(&user.email).map_err(AppError::Invalid)?;
    check_password(&user.password).map_err(AppError::Invalid)?;
    Ok(Checked {
        display_name,
        email,
        password: user.password,
        role: user.role,
    })
}

/// Writes the account; `confirmed` when someone already vouches for the
/// address (the operator, on the command line).
fn insert(
    conn: &mut DbConnection,
    user: &Checked,
    hash: &str,
    confirmed: bool,
    now: NaiveDateTime,
) -> ServerResult<UserId> {
    let row = UserRow {
        email: &user.email,
        display_name: &user.display_name,
        password_hash: hash,
        role: user.role,
        created_at: now,
        email_confirmed_at: confirmed.then_some(now),
    };
    match diesel::insert_into(users::table)
        .values(&row)
        .returning(users::id)
        .get_result(conn)
    {
        Ok(id) => Ok(id),
        Err(error) if is_unique_violation(&error) => invalid(EMAIL_TAKEN),
        Err(error) => Err(error.into()),
    }
}

/// Creates a learner account from the registration form and starts its
/// session; returns the session's token.
///
/// Cheap refusals come first (a bad form, too many new accounts from one
/// address, an email already taken); the password is hashed only then, on
/// a blocking thread and holding no database connection, so a flood of
/// registrations can neither burn the CPU unchecked nor starve the pool.
pub async fn register(
    db: &Database,
    passwords: &Passwords,
    account: NewAccount,
    client: Client,
) -> ServerResult<String> {
    let user = check(NewUser {
        display_name: account.display_name,
        email: account.email,
        password: account.password,
        role: Role::Learner,
    })?;
    let (address, email) = (client.address.clone(), user.email.clone());
    db.run(move |conn, now| {
        let subject = Subject::Registration(&address);
        throttle::check(conn, &subject, throttle::REGISTRATIONS_FREE, now)?;
        if users::table
            .filter(users::email.eq(&email))
            .select(users::id)
            .first::<UserId>(conn)
            .optional()?
            .is_some()
        {
            return invalid(EMAIL_TAKEN);
        }
        crate::db::write_transaction(conn, |conn| throttle::record(conn, &[subject], now))
    })
    .await?;
    let hash = passwords.hash(user.password.clone()).await?;
    db.write(move |conn, now| {
        let id = insert(conn, &user, &hash, false, now)?;
        confirmation::send_link(conn, id, now)?;
        sessions::start(conn, id, client.previous_session.as_ref(), now)
    })
    .await
}

/// Creates an account of any role (the `user add` command); the operator
/// vouches for its address.
pub async fn add_user(db: &Database, passwords: &Passwords, user: NewUser) -> ServerResult<UserId> {
    let user = check(user)?;
    let hash = passwords.hash(user.password.clone()).await?;
    db.run(move |conn, now| insert(conn, &user, &hash, true, now)).await
}
