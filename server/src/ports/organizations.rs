use crate::organizations;
use crate::site::Site;
use holdspace_app::dto::*;
use holdspace_app::error::AppError;
use holdspace_app::ports::Organizations;

#[async_trait::async_trait]
impl Organizations for Site {
    async fn organizations(&self, actor: UserId) -> Result<Vec<OrganizationRow>, AppError> {
        Ok(self.db.run(move |conn, _| organizations::list(conn, actor)).await?)
    }

    async fn create_organization(&self, actor: UserId, name: &str, slug: &str) -> Result<(), AppError> {
        let (name, slug) = (name.to_owned(), slug.to_owned());
        Ok(self
            .db
            .write(move |conn, now| organizations::create(conn, actor, &name, &slug, now))
            .await?)
    }

    async fn add_organization_admin(&self, actor: UserId, organization: &str, email: &str) -> Result<(), AppError> {
        let (organization, email) = (organization.to_owned(), email.to_owned());
        Ok(self
            .db
            .write(move |conn, now| organizations::add_admin(conn, actor, &organization, &email, now))
            .await?)
    }

    async fn org_roster(&self, actor: UserId) -> Result<OrgRoster, AppError> {
        let base = self.base_url();
        Ok(self
            .db
            .run(move |conn, now| organizations::roster(conn, actor, &base, now))
            .await?)
    }

    async fn invite(&self, actor: UserId, name: &str, email: &str) -> Result<(), AppError> {
        let (name, email) = (name.to_owned(), email.to_owned());
        Ok(self
            .db
            .write(move |conn, now| organizations::invite(conn, actor, &name, &email, now))
            .await?)
    }

    async fn import_roster(&self, actor: UserId, csv: Vec<u8>) -> Result<InvitationsMade, AppError> {
        Ok(self
            .db
            .write(move |conn, now| organizations::import_roster(conn, actor, &csv, now))
            .await?)
    }

    async fn withdraw_invitation(&self, actor: UserId, invitation: InvitationId) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, now| organizations::withdraw_invitation(conn, actor, invitation, now))
            .await?)
    }

    async fn invitation(&self, token: &str, viewer: Option<UserId>) -> Result<InvitationPreview, AppError> {
        let token = token.to_owned();
        Ok(self
            .db
            .run(move |conn, now| organizations::invitation_preview(conn, &token, viewer, now))
            .await?)
    }

    async fn accept_invitation(&self, learner: UserId, token: &str) -> Result<String, AppError> {
        let token = token.to_owned();
        Ok(self
            .db
            .write(move |conn, now| organizations::accept(conn, learner, &token, now))
            .await?)
    }

    async fn memberships(&self, learner: UserId) -> Result<Vec<Membership>, AppError> {
        Ok(self
            .db
            .run(move |conn, _| organizations::memberships_of(conn, learner))
            .await?)
    }

    async fn leave_organization(&self, learner: UserId, organization: &str) -> Result<(), AppError> {
        let organization = organization.to_owned();
        Ok(self
            .db
            .write(move |conn, now| organizations::leave(conn, learner, &organization, now))
            .await?)
    }
}
