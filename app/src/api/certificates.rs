//! Looking certificates up, and revoking them.

use crate::dto::VerificationPage;
use crate::error::AppError;
use leptos::prelude::*;

/// Anyone may check a code; staff of its program also learn they may revoke it.
#[server(endpoint = "verify_certificate")]
pub async fn verify_certificate(code: String) -> Result<VerificationPage, AppError> {
    use super::request::*;
    ports()?
        .certificates
        .verify_certificate(&code, viewer().map(|v| v.user_id))
        .await
}

/// Revokes a certificate with a reason, then shows its page again.
#[server(endpoint = "revoke_certificate")]
pub async fn revoke_certificate(code: String, #[server(default)] reason: String) -> Result<(), AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    ports()?
        .certificates
        .revoke_certificate(viewer.user_id, &code, &reason)
        .await?;
    redirect_to(&format!("/verify/{code}"));
    Ok(())
}

/// Suspends a certificate while a concern is looked into (reversible; the
/// reason is kept for staff, never shown publicly).
#[server(endpoint = "suspend_certificate")]
pub async fn suspend_certificate(code: String, #[server(default)] reason: String) -> Result<(), AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    ports()?
        .certificates
        .suspend_certificate(viewer.user_id, &code, &reason)
        .await?;
    redirect_to(&format!("/verify/{code}"));
    Ok(())
}

/// Lifts a suspension.
#[server(endpoint = "reinstate_certificate")]
pub async fn reinstate_certificate(code: String) -> Result<(), AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    ports()?
        .certificates
        .reinstate_certificate(viewer.user_id, &code)
        .await?;
    redirect_to(&format!("/verify/{code}"));
    Ok(())
}
