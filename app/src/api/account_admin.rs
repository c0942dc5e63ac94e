//! Site admins looking after accounts at `/admin/accounts`.

use crate::dto::{AccountRow, MailHealth, UserId};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "admin_accounts")]
pub async fn load_accounts(#[server(default)] query: String) -> Result<Vec<AccountRow>, AppError> {
    use super::request::*;
    ports()?
        .account_admin
        .find_accounts(require_viewer()?.user_id, &query)
        .await
}

#[server(endpoint = "change_role")]
pub async fn change_role(account: UserId, role: String) -> Result<(), AppError> {
    use super::request::*;
    let admin = require_viewer()?.user_id;
    let role = crate::dto::Role::parse(&role).ok_or_else(|| AppError::invalid("Please choose one of the roles."))?;
    ports()?.account_admin.change_role(admin, account, role).await
}

/// Turns an account off (`turn_off` = "yes") or on again.
#[server(endpoint = "set_account_disabled")]
pub async fn set_account_disabled(account: UserId, turn_off: String) -> Result<(), AppError> {
    use super::request::*;
    let admin = require_viewer()?.user_id;
    ports()?
        .account_admin
        .set_disabled(admin, account, turn_off == "yes")
        .await
}

#[server(endpoint = "send_password_reset")]
pub async fn send_password_reset(account: UserId) -> Result<(), AppError> {
    use super::request::*;
    let admin = require_viewer()?.user_id;
    ports()?.account_admin.send_password_reset(admin, account).await
}

#[server(endpoint = "mail_health")]
pub async fn load_mail_health() -> Result<MailHealth, AppError> {
    use super::request::*;
    ports()?.account_admin.mail_health(require_viewer()?.user_id).await
}
