//! What a person can see and choose about their own account.

use crate::db::DbConnection;
use crate::db::schema::users;
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{AccountSettings, MailPreference, UserId};

#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(crate::db::MultiBackend))]
struct SettingsRow {
    email: String,
    email_confirmed_at: Option<NaiveDateTime>,
    mail_preference: MailPreference,
}

pub fn account_settings(conn: &mut DbConnection, user: UserId) -> ServerResult<AccountSettings> {
    let row: SettingsRow = users::table.find(user).select(SettingsRow::as_select()).first(conn)?;
    Ok(AccountSettings {
        email: row.email,
        email_confirmed: row.email_confirmed_at.is_some(),
        mail: row.mail_preference,
    })
}

pub fn set_mail_preference(conn: &mut DbConnection, user: UserId, preference: MailPreference) -> ServerResult<()> {
    diesel::update(users::table.find(user))
        .set(users::mail_preference.eq(preference))
        .execute(conn)?;
    Ok(())
}
