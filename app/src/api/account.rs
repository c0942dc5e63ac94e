//! The account itself: confirming its address, getting back in with a
//! mailed link, changing the password, signing out everywhere, and which
//! mail it accepts.

use crate::dto::AccountSettings;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "account_settings")]
pub async fn load_account_settings() -> Result<AccountSettings, AppError> {
    use super::request::*;
    ports()?.accounts.account_settings(require_viewer()?.user_id).await
}

#[server(endpoint = "resend_confirmation")]
pub async fn resend_confirmation() -> Result<(), AppError> {
    use super::request::*;
    ports()?.accounts.resend_confirmation(require_viewer()?.user_id).await?;
    redirect_to("/me/privacy?sent=confirmation");
    Ok(())
}

#[server(endpoint = "confirm_email")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?.accounts.confirm_email(&token).await?;
    redirect_to("/email-confirmed");
    Ok(())
}

#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?.accounts.request_password_reset(&email, client()).await?;
    redirect_to("/forgot-password/sent");
    Ok(())
}

#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use super::request::*;
    let ports = ports()?;
    let session = ports.accounts.reset_password(&token, &password, client()).await?;
    set_cookie(&super::session_cookie::set(&session.token, ports.https))?;
    redirect_to("/me?password=reset");
    Ok(())
}

#[server(endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    let keep = session_key().ok_or(AppError::NotSignedIn)?;
    ports()?
        .accounts
        .change_password(viewer.user_id, &current_password, &new_password, keep)
        .await?;
    redirect_to("/me/privacy?changed=password");
    Ok(())
}

#[server(endpoint = "change_name")]
pub async fn change_name(name: String, reissue: Option<String>) -> Result<(), AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    let done = ports()?
        .accounts
        .change_name(viewer.user_id, &name, reissue.is_some())
        .await?;
    redirect_to(&format!(
        "/me/privacy?changed=name&reissued={}&on_hold={}",
        done.reissued, done.on_hold
    ));
    Ok(())
}

#[server(endpoint = "change_email")]
pub async fn change_email(new_email: String, password: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .accounts
        .change_email(require_viewer()?.user_id, &new_email, &password)
        .await?;
    redirect_to("/me/privacy?sent=address");
    Ok(())
}

#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use super::request::*;
    let ports = ports()?;
    ports.accounts.sign_out_everywhere(require_viewer()?.user_id).await?;
    set_cookie(&super::session_cookie::clear(ports.https))?;
    redirect_to("/login?signed_out=everywhere");
    Ok(())
}

#[server(endpoint = "set_mail_preference")]
pub async fn set_mail_preference(mail: String) -> Result<(), AppError> {
    use super::request::*;
    let preference = crate::dto::MailPreference::parse(&mail)
        .ok_or_else(|| AppError::invalid("Please choose one of the options."))?;
    ports()?
        .accounts
        .set_mail_preference(require_viewer()?.user_id, preference)
        .await?;
    redirect_to("/me/privacy?changed=mail");
    Ok(())
}
