use crate::certificates;
use crate::site::Site;
use holdspace_app::dto::{UserId, VerificationPage};
use holdspace_app::error::AppError;
use holdspace_app::ports::Certificates;

#[async_trait::async_trait]
impl Certificates for Site {
    async fn verify_certificate(&self, code: &str, viewer: Option<UserId>) -> Result<VerificationPage, AppError> {
        let code = code.to_owned();
        Ok(self
            .db
            .run(move |conn, now| {
                let verification = certificates::verify(conn, &code, now, true)?;
                let can_revoke = certificates::viewer_may_revoke(conn, viewer, &code)?;
                Ok(VerificationPage {
                    verification,
                    can_revoke,
                })
            })
            .await?)
    }

    async fn revoke_certificate(&self, actor: UserId, code: &str, reason: &str) -> Result<(), AppError> {
        let (code, reason) = (code.to_owned(), reason.to_owned());
        Ok(self
            .db
            .write(move |conn, now| certificates::revoke(conn, actor, &code, &reason, now))
            .await?)
    }

    async fn suspend_certificate(&self, actor: UserId, code: &str, reason: &str) -> Result<(), AppError> {
        let (code, reason) = (code.to_owned(), reason.to_owned());
        Ok(self
            .db
            .write(move |conn, now| certificates::suspend(conn, actor, &code, &reason, now))
            .await?)
    }

    async fn reinstate_certificate(&self, actor: UserId, code: &str) -> Result<(), AppError> {
        let code = code.to_owned();
        Ok(self
            .db
            .write(move |conn, now| certificates::reinstate(conn, actor, &code, now))
            .await?)
    }
}
