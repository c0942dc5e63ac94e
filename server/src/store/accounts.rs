//! Accounts and sessions: registration, login with throttling, session
//! lookup for every request, logout, and staff accounts from the CLI.

use super::{Store, StoreError};
use crate::account_fields::{check_display_name, check_password, normalize_email};
use crate::db::schema::{sessions, throttle_events, users};
use crate::db::{DbConnection, is_unique_violation, write_transaction};
use crate::throttle::{self, Subject};
use crate::{password, session_token};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{Role, Viewer};
use holdspace_app::error::AppError;
use holdspace_app::port::{ClientInfo, NewAccount, SessionGrant, SessionKey, SignedIn};

const EMAIL_TAKEN: &str = "An account with this email already exists. You can log in instead.";
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

fn validate(user: &NewUser) -> Result<(String, String), String> {
    let display_name = check_display_name(&user.display_name)?;
    let email = normalize_email(&user.email)?;
    check_password(&user.password)?;
    Ok((display_name, email))
}

fn insert_user(
    conn: &mut DbConnection,
    user: &NewUser,
    display_name: &str,
    email: &str,
    hash: &str,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
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
        Err(error) if is_unique_violation(&error) => Err(AppError::invalid(EMAIL_TAKEN).into()),
        Err(error) => Err(error.into()),
    }
}

fn start_session(
    conn: &mut DbConnection,
    user_id: i64,
    previous: Option<&SessionKey>,
    now: NaiveDateTime,
) -> Result<String, StoreError> {
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

/// Counts one event for each subject, forgetting that subject's events older than the window.
pub(super) fn record(conn: &mut DbConnection, subjects: &[Subject<'_>], now: NaiveDateTime) -> Result<(), StoreError> {
    for subject in subjects {
        let key = subject.key();
        diesel::delete(
            throttle_events::table
                .filter(throttle_events::subject.eq(&key))
                .filter(throttle_events::at.le(now - throttle::WINDOW)),
        )
        .execute(conn)?;
        diesel::insert_into(throttle_events::table)
            .values((throttle_events::subject.eq(&key), throttle_events::at.eq(now)))
            .execute(conn)?;
    }
    Ok(())
}

/// The times of a subject's events within the window.
pub(super) fn recent(
    conn: &mut DbConnection,
    subject: &Subject<'_>,
    now: NaiveDateTime,
) -> Result<Vec<NaiveDateTime>, StoreError> {
    Ok(throttle_events::table
        .filter(throttle_events::subject.eq(subject.key()))
        .filter(throttle_events::at.gt(now - throttle::WINDOW))
        .select(throttle_events::at)
        .load(conn)?)
}

/// Refuses with the wait if `subject` has had its free events.
pub(super) fn check(
    conn: &mut DbConnection,
    subject: &Subject<'_>,
    free: usize,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    match throttle::retry_after(&recent(conn, subject, now)?, free, now) {
        Some(wait) => Err(AppError::Throttled {
            retry_after_secs: throttle::seconds(wait),
        }
        .into()),
        None => Ok(()),
    }
}

impl Store {
    fn grant(&self, token: &str) -> SessionGrant {
        SessionGrant {
            set_cookie: session_token::set_cookie(token, self.config.secure_cookies),
        }
    }

    /// Creates a learner account from the registration form and signs it in.
    ///
    /// Cheap refusals come first (a bad form, too many new accounts from one
    /// address, an email already taken); the password is hashed only then,
    /// on a blocking thread and holding no database connection, so a flood
    /// of registrations can neither burn the CPU unchecked nor starve the pool.
    pub(super) async fn register_learner(
        &self,
        account: NewAccount,
        client: ClientInfo,
    ) -> Result<SessionGrant, StoreError> {
        let user = NewUser {
            display_name: account.display_name,
            email: account.email,
            password: account.password,
            role: Role::Learner,
        };
        let (display_name, email) = validate(&user).map_err(AppError::Invalid)?;
        let address = client.address.clone();
        let taken_email = email.clone();
        self.run(move |conn, now| {
            let subject = Subject::Registration(&address);
            check(conn, &subject, throttle::REGISTRATIONS_FREE, now)?;
            if users::table
                .filter(users::email.eq(&taken_email))
                .select(users::id)
                .first::<i64>(conn)
                .optional()?
                .is_some()
            {
                return Err(AppError::invalid(EMAIL_TAKEN).into());
            }
            write_transaction(conn, |conn| record(conn, &[subject], now))
        })
        .await?;
        let hash = self.hash_password(user.password.clone()).await?;
        let token = self
            .run(move |conn, now| {
                write_transaction(conn, |conn| {
                    let id = insert_user(conn, &user, &display_name, &email, &hash, now)?;
                    start_session(conn, id, client.previous_session.as_ref(), now)
                })
            })
            .await?;
        Ok(self.grant(&token))
    }

    /// Hashes a password on a blocking thread, one per core at a time.
    pub(super) async fn hash_password(&self, password: String) -> Result<String, StoreError> {
        let _turn = self.password_turn().await;
        Ok(tokio::task::spawn_blocking(move || password::hash(&password)).await?)
    }

    /// Checks a password against a stored hash on a blocking thread (`None`:
    /// no account, spend the same time anyway), one per core at a time.
    pub(super) async fn verify_password(&self, password: String, hash: Option<String>) -> Result<bool, StoreError> {
        let _turn = self.password_turn().await;
        Ok(tokio::task::spawn_blocking(move || match hash {
            Some(hash) => password::verify(&password, &hash),
            None => {
                password::verify_against_nothing(&password);
                false
            }
        })
        .await?)
    }

    /// Creates an account of any role (the `user add` command).
    pub async fn add_user(&self, user: NewUser) -> Result<i64, AccountError> {
        let (display_name, email) = validate(&user).map_err(AccountError::Invalid)?;
        let hash = self.hash_password(user.password.clone()).await?;
        let result = self
            .run(move |conn, now| insert_user(conn, &user, &display_name, &email, &hash, now))
            .await;
        match result {
            Err(StoreError::User(error)) => Err(AccountError::Invalid(error.to_string())),
            other => Ok(other?),
        }
    }

    /// Checks the throttles, then the password (off the connection), then
    /// starts a session or counts the failure three ways (see [`throttle`]).
    pub(super) async fn log_in_with_password(
        &self,
        email: &str,
        password_input: &str,
        client: ClientInfo,
    ) -> Result<SessionGrant, StoreError> {
        // Whatever is wrong with the input, the answer is the same generic one.
        let Ok(email) = normalize_email(email) else {
            return Err(AppError::invalid(WRONG_CREDENTIALS).into());
        };
        if password_input.len() > password::MAX_LENGTH {
            return Err(AppError::invalid(WRONG_CREDENTIALS).into());
        }
        let address = client.address.clone();
        let (lookup_email, lookup_address) = (email.clone(), address.clone());
        let user: Option<(i64, String)> = self
            .run(move |conn, now| {
                let (email, address) = (lookup_email.as_str(), lookup_address.as_str());
                let history = throttle::SignInHistory {
                    from_address: recent(conn, &Subject::SignInAddress(address), now)?,
                    to_account: recent(conn, &Subject::SignInAccount(email), now)?,
                    to_account_from_address: recent(conn, &Subject::SignInAccountFromAddress { email, address }, now)?,
                };
                if let Some(wait) = throttle::sign_in_wait(&history, now) {
                    return Err(AppError::Throttled {
                        retry_after_secs: throttle::seconds(wait),
                    }
                    .into());
                }
                Ok(users::table
                    .filter(users::email.eq(email))
                    .select((users::id, users::password_hash))
                    .first(conn)
                    .optional()?)
            })
            .await?;
        let (user_id, hash) = user.map_or((None, None), |(id, hash)| (Some(id), Some(hash)));
        let verified = self.verify_password(password_input.to_owned(), hash).await?;
        let token = self
            .run(move |conn, now| {
                let pair = Subject::SignInAccountFromAddress {
                    email: &email,
                    address: &address,
                };
                match user_id.filter(|_| verified) {
                    Some(user_id) => write_transaction(conn, |conn| {
                        diesel::delete(throttle_events::table.filter(throttle_events::subject.eq(pair.key())))
                            .execute(conn)?;
                        start_session(conn, user_id, client.previous_session.as_ref(), now)
                    }),
                    None => {
                        let subjects = [Subject::SignInAddress(&address), Subject::SignInAccount(&email), pair];
                        write_transaction(conn, |conn| record(conn, &subjects, now))?;
                        Err(AppError::invalid(WRONG_CREDENTIALS).into())
                    }
                }
            })
            .await?;
        Ok(self.grant(&token))
    }

    pub(super) async fn end_session(&self, session: &SessionKey) -> Result<String, StoreError> {
        let key = session.0.clone();
        self.run(move |conn, _| Ok(diesel::delete(sessions::table.find(key)).execute(conn)?))
            .await?;
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
                .select((
                    sessions::last_seen_at,
                    sessions::expires_at,
                    users::id,
                    users::display_name,
                    users::role,
                ))
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
                diesel::update(sessions::table.find(&key))
                    .set(sessions::last_seen_at.eq(now))
                    .execute(conn)?;
            }
            let role = Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("unknown role {role}")))?;
            Ok(Some(SignedIn {
                viewer: Viewer {
                    user_id,
                    display_name,
                    role,
                },
                session: SessionKey(key),
            }))
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
