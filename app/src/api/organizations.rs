//! Organizations: setting them up (site admins), their roster, invitations,
//! bulk verification and API tokens (their admins), and joining and
//! leaving (learners).

use crate::dto::{BulkCheck, InvitationPreview, Membership, NewToken, OrgRoster, OrganizationRow, TokenRow};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[server(endpoint = "load_organizations")]
pub async fn load_organizations() -> Result<Vec<OrganizationRow>, AppError> {
    use super::request::*;
    ports()?.organizations.organizations(require_viewer()?.user_id).await
}

#[server(endpoint = "create_organization")]
pub async fn create_organization(name: String, #[server(default)] slug: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .organizations
        .create_organization(require_viewer()?.user_id, &name, &slug)
        .await?;
    redirect_to("/admin/organizations");
    Ok(())
}

#[server(endpoint = "add_organization_admin")]
pub async fn add_organization_admin(organization: String, email: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .organizations
        .add_organization_admin(require_viewer()?.user_id, &organization, &email)
        .await?;
    redirect_to("/admin/organizations");
    Ok(())
}

#[server(endpoint = "load_org_roster")]
pub async fn load_org_roster() -> Result<OrgRoster, AppError> {
    use super::request::*;
    ports()?.organizations.org_roster(require_viewer()?.user_id).await
}

/// Makes an invitation link, then shows it on the roster to copy.
#[server(endpoint = "invite_member")]
pub async fn invite_member(name: String, email: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .organizations
        .invite(require_viewer()?.user_id, &name, &email)
        .await?;
    redirect_to("/org?invited=1#invitations");
    Ok(())
}

/// Uploads a CSV roster; what could not be used comes back in the address.
#[server(endpoint = "import_roster", input = server_fn::codec::MultipartFormData)]
pub async fn import_roster(data: server_fn::codec::MultipartData) -> Result<(), AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    let csv = read_upload(data, &["roster"], 2 * 1024 * 1024, "That file is larger than 2 MiB. A roster of names and emails is much smaller; please check you chose the right file.")
        .await?
        .ok_or_else(|| AppError::invalid("Please choose a CSV file with a name and an email on each line."))?;
    let made = ports()?.organizations.import_roster(viewer.user_id, csv).await?;
    let mut query = vec![("invited", made.invited.to_string())];
    if !made.problems.is_empty() {
        query.push(("problems", made.problems.join("\n")));
    }
    let query = serde_urlencoded::to_string(query).map_err(|_| AppError::Internal)?;
    redirect_to(&format!("/org?{query}#invitations"));
    Ok(())
}

#[server(endpoint = "withdraw_invitation")]
pub async fn withdraw_invitation(invitation: crate::dto::InvitationId) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .organizations
        .withdraw_invitation(require_viewer()?.user_id, invitation)
        .await?;
    redirect_to("/org#invitations");
    Ok(())
}

/// What an invitation offers; the link itself is the permission to look.
#[server(endpoint = "load_invitation")]
pub async fn load_invitation(token: String) -> Result<InvitationPreview, AppError> {
    use super::request::*;
    ports()?
        .organizations
        .invitation(&token, viewer().map(|v| v.user_id))
        .await
}

#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .organizations
        .accept_invitation(require_viewer()?.user_id, &token)
        .await?;
    redirect_to("/me/privacy?joined=1#organizations");
    Ok(())
}

#[server(endpoint = "load_memberships")]
pub async fn load_memberships() -> Result<Vec<Membership>, AppError> {
    use super::request::*;
    ports()?.organizations.memberships(require_viewer()?.user_id).await
}

#[server(endpoint = "leave_organization")]
pub async fn leave_organization(organization: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .organizations
        .leave_organization(require_viewer()?.user_id, &organization)
        .await?;
    redirect_to("/me/privacy?left=1#organizations");
    Ok(())
}

/// Checks pasted codes, an uploaded file of codes, or both, then shows the
/// results (kept for a day, so the page survives a reload and offers CSV).
#[server(endpoint = "bulk_verify", input = server_fn::codec::MultipartFormData)]
pub async fn bulk_verify(data: server_fn::codec::MultipartData) -> Result<(), AppError> {
    use super::request::*;
    /// 10,000 codes with a name and an email beside each fit well within this.
    const MAX_UPLOAD: usize = 4 * 1024 * 1024;
    let viewer = require_viewer()?;
    let too_large = "That list is larger than 4 MiB. Please split it into smaller lists of up to 10,000 codes.";
    // Nothing sent goes on as empty, for the store to say what a list looks like.
    let list = read_upload(data, &["codes", "file"], MAX_UPLOAD, too_large)
        .await?
        .unwrap_or_default();
    let id = ports()?.verifying.bulk_verify(viewer.user_id, list).await?;
    redirect_to(&format!("/org/verify?results={id}#results"));
    Ok(())
}

/// Saved results, if `results` names some; refused to anyone who may not verify in bulk.
#[server(endpoint = "load_bulk_results")]
pub async fn load_bulk_results(
    #[server(default)] results: Option<crate::dto::BulkCheckId>,
) -> Result<Option<BulkCheck>, AppError> {
    use super::request::*;
    ports()?
        .verifying
        .bulk_results(require_viewer()?.user_id, results)
        .await
}

/// The tokens page: every token, and a new one's secret the one time it is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgTokens {
    pub tokens: Vec<TokenRow>,
    pub new_token: Option<NewToken>,
}

/// A new token's secret travels to the page in a short-lived cookie, never
/// stored on the server: the page reads it once and clears it. This is what
/// lets it be shown after a plain form post, without JavaScript.
#[cfg(feature = "ssr")]
const NEW_TOKEN_COOKIE: &str = "holdspace_new_token";

#[server(endpoint = "load_api_tokens")]
pub async fn load_api_tokens() -> Result<OrgTokens, AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    let tokens = ports()?.verifying.api_tokens(viewer.user_id).await?;
    let new_token =
        request_cookie(NEW_TOKEN_COOKIE).and_then(|value| serde_urlencoded::from_str::<NewToken>(&value).ok());
    if new_token.is_some() {
        set_cookie(&format!(
            "{NEW_TOKEN_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
        ))?;
    }
    Ok(OrgTokens { tokens, new_token })
}

#[server(endpoint = "create_api_token")]
pub async fn create_api_token(label: String) -> Result<(), AppError> {
    use super::request::*;
    let token = ports()?
        .verifying
        .create_api_token(require_viewer()?.user_id, &label)
        .await?;
    let value = serde_urlencoded::to_string(&token).map_err(|_| AppError::Internal)?;
    set_cookie(&format!(
        "{NEW_TOKEN_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=300"
    ))?;
    redirect_to("/org/tokens#new-token");
    Ok(())
}

#[server(endpoint = "revoke_api_token")]
pub async fn revoke_api_token(token: crate::dto::ApiTokenId) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .verifying
        .revoke_api_token(require_viewer()?.user_id, token)
        .await?;
    redirect_to("/org/tokens");
    Ok(())
}
