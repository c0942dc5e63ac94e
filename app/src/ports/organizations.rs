use crate::dto::*;
use crate::error::AppError;

/// Organizations: site admins set them up; their admins invite and follow
/// members (only ever their own organization); learners join and leave.
#[async_trait::async_trait]
pub trait Organizations: Send + Sync + 'static {
    async fn organizations(&self, actor: UserId) -> Result<Vec<OrganizationRow>, AppError>;
    async fn create_organization(&self, actor: UserId, name: &str, slug: &str) -> Result<(), AppError>;
    /// Makes an existing account an organization's admin.
    async fn add_organization_admin(&self, actor: UserId, organization: &str, email: &str) -> Result<(), AppError>;
    async fn org_roster(&self, actor: UserId) -> Result<OrgRoster, AppError>;
    /// A one-time invitation link for one person, listed on the roster to copy.
    async fn invite(&self, actor: UserId, name: &str, email: &str) -> Result<(), AppError>;
    /// One invitation per line of a CSV roster (name, email).
    async fn import_roster(&self, actor: UserId, csv: Vec<u8>) -> Result<InvitationsMade, AppError>;
    async fn withdraw_invitation(&self, actor: UserId, invitation: InvitationId) -> Result<(), AppError>;
    /// What an invitation link offers; anyone with the link may look.
    async fn invitation(&self, token: &str, viewer: Option<UserId>) -> Result<InvitationPreview, AppError>;
    /// Joins the invitation's organization; returns its name.
    async fn accept_invitation(&self, learner: UserId, token: &str) -> Result<String, AppError>;
    /// The organizations that can see the learner's progress.
    async fn memberships(&self, learner: UserId) -> Result<Vec<Membership>, AppError>;
    async fn leave_organization(&self, learner: UserId, organization: &str) -> Result<(), AppError>;
}
