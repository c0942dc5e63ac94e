//! Signing in with an email and a password.

use super::fields::normalize_email;
use super::password::{self, Passwords};
use super::sessions;
use super::throttle::{self, SignInHistory, Subject};
use crate::db::Database;
use crate::db::schema::{throttle_events, users};
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::UserId;
use holdspace_app::ports::Client;

/// What a sign-in checks against.
#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(crate::db::MultiBackend))]
struct Credentials {
    id: UserId,
    password_hash: String,
    disabled_at: Option<NaiveDateTime>,
}

const WRONG_CREDENTIALS: &str = "That email and password don't match an account. Please check them and try again.";
/// Said only after the right password, so it tells a guesser nothing.
const TURNED_OFF: &str =
    "This account is turned off for now. If you think that is a mistake, please contact the people who run this site.";

/// Checks the throttles, then the password (off the connection), then
/// starts a session (returning its token) or counts the failure three ways
/// (see [`throttle`]). Whatever is wrong, the answer is the same sentence.
pub async fn log_in(
    db: &Database,
    passwords: &Passwords,
    email: &str,
    password_input: &str,
    client: Client,
) -> ServerResult<String> {
    let Ok(email) = normalize_email(email) else {
        return invalid(WRONG_CREDENTIALS);
    };
    if password_input.len() > password::MAX_LENGTH {
        return invalid(WRONG_CREDENTIALS);
    }
    let address = client.address.clone();
    let (lookup_email, lookup_address) = (email.clone(), address.clone());
    let account: Option<Credentials> = db
        .run(move |conn, now| {
            let (email, address) = (lookup_email.as_str(), lookup_address.as_str());
            let history = SignInHistory {
                from_address: throttle::recent(conn, &Subject::SignInAddress(address), now)?,
                to_account: throttle::recent(conn, &Subject::SignInAccount(email), now)?,
                to_account_from_address: throttle::recent(
                    conn,
                    &Subject::SignInAccountFromAddress { email, address },
                    now,
                )?,
            };
            if let Some(wait) = throttle::sign_in_wait(&history, now) {
                return Err(throttle::throttled(wait));
            }
            Ok(users::table
                .filter(users::email.eq(email))
                .select(Credentials::as_select())
                .first(conn)
                .optional()?)
        })
        .await?;
    let disabled = account.as_ref().is_some_and(|found| found.disabled_at.is_some());
    let (user, stored) = account.map(|found| (found.id, found.password_hash)).unzip();
    let verified = passwords.verify(password_input.to_owned(), stored).await?;
    if verified && disabled {
        return invalid(TURNED_OFF);
    }
    db.run(move |conn, now| {
        let pair = Subject::SignInAccountFromAddress {
            email: &email,
            address: &address,
        };
        match user.filter(|_| verified) {
            Some(user) => crate::db::write_transaction(conn, |conn| {
                diesel::delete(throttle_events::table.filter(throttle_events::subject.eq(pair.key()))).execute(conn)?;
                diesel::update(users::table.find(user))
                    .set(users::last_sign_in_at.eq(now))
                    .execute(conn)?;
                sessions::start(conn, user, client.previous_session.as_ref(), now)
            }),
            None => {
                let subjects = [Subject::SignInAddress(&address), Subject::SignInAccount(&email), pair];
                crate::db::write_transaction(conn, |conn| throttle::record(conn, &subjects, now))?;
                invalid(WRONG_CREDENTIALS)
            }
        }
    })
    .await
}
