//! Registration, logging in and out, and who is signed in.

use crate::dto::Viewer;
use crate::error::AppError;
use leptos::prelude::*;

/// Who is signed in, for the header. The header is rendered only on the
/// server (it is not an island), so it reads the request the page is
/// rendered for: no server function, nothing to wait for.
pub fn viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    return super::request::viewer();
    #[cfg(not(feature = "ssr"))]
    None
}

/// Creates a learner account, signs it in and goes to `next` (or the dashboard).
#[server(endpoint = "register")]
pub async fn register(
    display_name: String,
    email: String,
    password: String,
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    use super::request::*;
    use crate::ports::NewAccount;

    let ports = ports()?;
    let session = ports
        .accounts
        .register(
            NewAccount {
                display_name,
                email,
                password,
            },
            client(),
        )
        .await?;
    set_cookie(&super::session_cookie::set(&session.token, ports.https))?;
    redirect_to(&safe_next(next.as_deref()));
    Ok(())
}

/// Signs in with email and password and goes to `next` (or the dashboard).
#[server(endpoint = "log_in")]
pub async fn log_in(email: String, password: String, #[server(default)] next: Option<String>) -> Result<(), AppError> {
    use super::request::*;

    let ports = ports()?;
    let session = ports.accounts.log_in(&email, &password, client()).await?;
    set_cookie(&super::session_cookie::set(&session.token, ports.https))?;
    redirect_to(&safe_next(next.as_deref()));
    Ok(())
}

/// Ends the session and returns to the catalog.
#[server(endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    use super::request::*;

    if let Some(session) = session_key() {
        let ports = ports()?;
        ports.accounts.log_out(&session).await?;
        set_cookie(&super::session_cookie::clear(ports.https))?;
    }
    redirect_to("/");
    Ok(())
}

/// Deletes the signed-in person's account for good, after they type their
/// password and tick that they understand.
#[server(endpoint = "delete_account")]
pub async fn delete_account(password: String, #[server(default)] understood: Option<String>) -> Result<(), AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    if understood.is_none() {
        return Err(AppError::invalid(
            "Please tick the box to confirm that you want your account deleted.",
        ));
    }
    let ports = ports()?;
    ports.accounts.delete_account(viewer.user_id, &password).await?;
    set_cookie(&super::session_cookie::clear(ports.https))?;
    redirect_to("/?account=deleted");
    Ok(())
}
