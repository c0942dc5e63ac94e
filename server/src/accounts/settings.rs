//! What a person can see and choose about their own account.

use super::fields::check_display_name;
use crate::db::DbConnection;
use crate::db::schema::users;
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{AccountSettings, MailPreference, UserId};
use holdspace_app::error::AppError;

#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(crate::db::MultiBackend))]
struct SettingsRow {
    display_name: String,
    email: String,
    email_confirmed_at: Option<NaiveDateTime>,
    mail_preference: MailPreference,
}

pub fn account_settings(conn: &mut DbConnection, user: UserId) -> ServerResult<AccountSettings> {
    let row: SettingsRow = users::table.find(user).select(SettingsRow::as_select()).first(conn)?;
    Ok(AccountSettings {
        name: row.display_name,
        email: row.email,
        email_confirmed: row.email_confirmed_at.is_some(),
        mail: row.mail_preference,
    })
}

/// Changes the name the account goes by, checked as every typed name is.
pub fn rename(conn: &mut DbConnection, user: UserId, typed: &str) -> ServerResult<()> {
    let name = check_display_name(typed).map_err(AppError::Invalid)?;
    diesel::update(users::table.find(user))
        .set(users::display_name.eq(name))
        .execute(conn)?;
    Ok(())
}

pub fn set_mail_preference(conn: &mut DbConnection, user: UserId, preference: MailPreference) -> ServerResult<()> {
    diesel::update(users::table.find(user))
        .set(users::mail_preference.eq(preference))
        .execute(conn)?;
    Ok(())
}
