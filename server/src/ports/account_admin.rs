use crate::accounts::admin;
use crate::site::Site;
use holdspace_app::dto::{AccountRow, MailHealth, Role, UserId};
use holdspace_app::error::AppError;
use holdspace_app::ports::AccountAdmin;

#[async_trait::async_trait]
impl AccountAdmin for Site {
    async fn find_accounts(&self, actor: UserId, query: &str) -> Result<Vec<AccountRow>, AppError> {
        let query = query.to_owned();
        Ok(self
            .db
            .run(move |conn, _| admin::find_accounts(conn, actor, &query))
            .await?)
    }

    async fn change_role(&self, actor: UserId, account: UserId, role: Role) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, now| admin::change_role(conn, actor, account, role, now))
            .await?)
    }

    async fn set_disabled(&self, actor: UserId, account: UserId, disabled: bool) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, now| admin::set_disabled(conn, actor, account, disabled, now))
            .await?)
    }

    async fn send_password_reset(&self, actor: UserId, account: UserId) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, now| admin::send_password_reset(conn, actor, account, now))
            .await?)
    }

    async fn mail_health(&self, actor: UserId) -> Result<MailHealth, AppError> {
        Ok(self.db.run(move |conn, _| admin::mail_health(conn, actor)).await?)
    }
}
