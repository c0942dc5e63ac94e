//! Accounts and sessions: registration, login with throttling, session
//! lookup for every request, logout, and staff accounts from the CLI.

use super::{Store, StoreError};
use crate::db::schema::{login_failures, sessions, users};
use crate::db::{DbConnection, is_unique_violation, write_transaction};
use crate::{password, session_token, throttle};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{Role, Viewer};
use holdspace_app::error::AppError;
use holdspace_app::port::{ClientInfo, NewAccount, SessionGrant, SessionKey, SignedIn};

const WRONG_CREDENTIALS: &str = "That email and password don't match an account. Please check them and try again.";

/// Why an account could not be created from the command line.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An account to create, with its role (the CLI path for staff).
pub struct NewUser {
    pub display_name: String,
    pub email: String,
    pub password: String,
    pub role: Role,
}

/// Lowercased, trimmed email, or a message saying what is wrong with it.
pub(super) fn normalize_email(email: &str) -> Result<String, String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'));
    if valid { Ok(email) } else { Err("Please enter an email address like name@example.org.".into()) }
}

pub(super) fn check_display_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Please enter a name. It can be any name you like to be called.".into());
    }
    if name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err("Please use a name of at most 80 characters.".into());
    }
    Ok(name.to_owned())
}

fn check_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < password::MIN_LENGTH {
        return Err(format!("Please choose a password of at least {} characters.", password::MIN_LENGTH));
    }
    if password.len() > password::MAX_LENGTH {
        return Err(format!("Please choose a password of at most {} characters.", password::MAX_LENGTH));
    }
    Ok(())
}

fn validate(user: &NewUser) -> Result<(String, String), String> {
    let display_name = check_display_name(&user.display_name)?;
    let email = normalize_email(&user.email)?;
    check_password(&user.password)?;
    Ok((display_name, email))
}

fn insert_user(conn: &mut DbConnection, user: &NewUser, display_name: &str, email: &str, hash: &str, now: NaiveDateTime) -> Result<i64, StoreError> {
    let inserted = diesel::insert_into(users::table)
        .values((
            users::email.eq(email),
            users::display_name.eq(display_name),
            users::password_hash.eq(hash),
            users::role.eq(user.role.as_str()),
            users::created_at.eq(now),
        ))
        .returning(users::id)
        .get_result(conn);
    match inserted {
        Ok(id) => Ok(id),
        Err(error) if is_unique_violation(&error) => {
            Err(AppError::invalid("An account with this email already exists. You can log in instead.").into())
        }
        Err(error) => Err(error.into()),
    }
}

fn start_session(conn: &mut DbConnection, user_id: i64, previous: Option<&SessionKey>, now: NaiveDateTime) -> Result<String, StoreError> {
    if let Some(previous) = previous {
        diesel::delete(sessions::table.find(&previous.0)).execute(conn)?;
    }
    let token = session_token::new_token();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(session_token::token_hash(&token)),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(now + session_token::ABSOLUTE),
        ))
        .execute(conn)?;
    Ok(token)
}

fn record_failure(conn: &mut DbConnection, subjects: &[String], now: NaiveDateTime) -> Result<(), StoreError> {
    for subject in subjects {
        diesel::delete(login_failures::table.filter(login_failures::subject.eq(subject)).filter(login_failures::failed_at.le(now - throttle::WINDOW)))
            .execute(conn)?;
        diesel::insert_into(login_failures::table)
            .values((login_failures::subject.eq(subject), login_failures::failed_at.eq(now)))
            .execute(conn)?;
    }
    Ok(())
}

fn throttled_for(conn: &mut DbConnection, subject: &str, limit: usize, now: NaiveDateTime) -> Result<Option<u64>, StoreError> {
    let failures: Vec<NaiveDateTime> = login_failures::table
        .filter(login_failures::subject.eq(subject))
        .filter(login_failures::failed_at.gt(now - throttle::WINDOW))
        .select(login_failures::failed_at)
        .load(conn)?;
    Ok(throttle::retry_after(&failures, limit, now).map(|wait| wait.num_seconds().max(1) as u64))
}

impl Store {
    fn grant(&self, token: &str) -> SessionGrant {
        SessionGrant { set_cookie: session_token::set_cookie(token, self.config.secure_cookies) }
    }

    /// Creates a learner account from the registration form and signs it in.
    pub(super) async fn register_learner(&self, account: NewAccount, client: ClientInfo) -> Result<SessionGrant, StoreError> {
        let user = NewUser { display_name: account.display_name, email: account.email, password: account.password, role: Role::Learner };
        let (display_name, email) = validate(&user).map_err(AppError::Invalid)?;
        let _turn = self.password_turn().await;
        let token = self
            .run(move |conn, now| {
                let hash = password::hash(&user.password);
                write_transaction(conn, |conn| {
                    let id = insert_user(conn, &user, &display_name, &email, &hash, now)?;
                    start_session(conn, id, client.previous_session.as_ref(), now)
                })
            })
            .await?;
        Ok(self.grant(&token))
    }

    /// Creates an account of any role (the `user add` command).
    pub async fn add_user(&self, user: NewUser) -> Result<i64, AccountError> {
        let (display_name, email) = validate(&user).map_err(AccountError::Invalid)?;
        let _turn = self.password_turn().await;
        let result = self
            .run(move |conn, now| {
                let hash = password::hash(&user.password);
                insert_user(conn, &user, &display_name, &email, &hash, now)
            })
            .await;
        match result {
            Err(StoreError::User(error)) => Err(AccountError::Invalid(error.to_string())),
            other => Ok(other?),
        }
    }

    pub(super) async fn log_in_with_password(&self, email: &str, password_input: &str, client: ClientInfo) -> Result<SessionGrant, StoreError> {
        // Whatever is wrong with the input, the answer is the same generic one.
        let Ok(email) = normalize_email(email) else {
            return Err(AppError::invalid(WRONG_CREDENTIALS).into());
        };
        if password_input.len() > password::MAX_LENGTH {
            return Err(AppError::invalid(WRONG_CREDENTIALS).into());
        }
        let password_input = password_input.to_owned();
        let account = throttle::account_subject(&email);
        let address = throttle::address_subject(&client.address);
        let _turn = self.password_turn().await;
        let token = self
            .run(move |conn, now| {
                let waits = [
                    throttled_for(conn, &account, throttle::PER_ACCOUNT, now)?,
                    throttled_for(conn, &address, throttle::PER_ADDRESS, now)?,
                ];
                if let Some(retry_after_secs) = waits.into_iter().flatten().max() {
                    return Err(AppError::Throttled { retry_after_secs }.into());
                }
                let user: Option<(i64, String)> =
                    users::table.filter(users::email.eq(&email)).select((users::id, users::password_hash)).first(conn).optional()?;
                let verified = match &user {
                    Some((id, hash)) => password::verify(&password_input, hash).then_some(*id),
                    None => {
                        password::verify_against_nothing(&password_input);
                        None
                    }
                };
                match verified {
                    Some(user_id) => write_transaction(conn, |conn| {
                        diesel::delete(login_failures::table.filter(login_failures::subject.eq(&account))).execute(conn)?;
                        start_session(conn, user_id, client.previous_session.as_ref(), now)
                    }),
                    None => {
                        write_transaction(conn, |conn| record_failure(conn, &[account, address], now))?;
                        Err(AppError::invalid(WRONG_CREDENTIALS).into())
                    }
                }
            })
            .await?;
        Ok(self.grant(&token))
    }

    pub(super) async fn end_session(&self, session: &SessionKey) -> Result<String, StoreError> {
        let key = session.0.clone();
        self.run(move |conn, _| Ok(diesel::delete(sessions::table.find(key)).execute(conn)?)).await?;
        Ok(session_token::clear_cookie(self.config.secure_cookies))
    }

    /// Who a session cookie's token belongs to, if the session is alive.
    /// Expired sessions are deleted on sight.
    pub async fn resolve_session(&self, token: &str) -> Result<Option<SignedIn>, StoreError> {
        let key = session_token::token_hash(token);
        self.run(move |conn, now| {
            let found: Option<(NaiveDateTime, NaiveDateTime, i64, String, String)> = sessions::table
                .inner_join(users::table)
                .filter(sessions::token_hash.eq(&key))
                .select((sessions::last_seen_at, sessions::expires_at, users::id, users::display_name, users::role))
                .first(conn)
                .optional()?;
            let Some((last_seen_at, expires_at, user_id, display_name, role)) = found else {
                return Ok(None);
            };
            if !session_token::is_live(last_seen_at, expires_at, now) {
                diesel::delete(sessions::table.find(&key)).execute(conn)?;
                return Ok(None);
            }
            if session_token::needs_touch(last_seen_at, now) {
                diesel::update(sessions::table.find(&key)).set(sessions::last_seen_at.eq(now)).execute(conn)?;
            }
            let role = Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("unknown role {role}")))?;
            Ok(Some(SignedIn { viewer: Viewer { user_id, display_name, role }, session: SessionKey(key) }))
        })
        .await
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.run(|conn, _| {
            diesel::sql_query("SELECT 1").execute(conn)?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(normalize_email("  Ana@Example.ORG "), Ok("ana@example.org".into()));
        assert!(normalize_email("ana").is_err());
        assert!(normalize_email("ana@localhost").is_err());
        assert!(normalize_email("a na@example.org").is_err());
    }

    #[test]
    fn passwords_are_counted_in_characters() {
        assert!(check_password("short").is_err());
        // Twelve characters, more bytes.
        assert!(check_password("ñññññññññññ").is_err());
        assert!(check_password("ññññññññññññ").is_ok());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_display_name("  Zoë Łukasiewicz-Nguyễn "), Ok("Zoë Łukasiewicz-Nguyễn".into()));
        assert!(check_display_name("   ").is_err());
        assert!(check_display_name(&"x".repeat(81)).is_err());
    }
}
