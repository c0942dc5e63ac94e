use crate::site::Site;
use crate::{accounts, privacy};
use holdspace_app::dto::UserId;
use holdspace_app::error::AppError;
use holdspace_app::ports::{Accounts, Client, NewAccount, NewSession, SessionKey};

#[async_trait::async_trait]
impl Accounts for Site {
    async fn register(&self, account: NewAccount, client: Client) -> Result<NewSession, AppError> {
        let token = accounts::register(&self.db, &self.passwords, account, client).await?;
        Ok(NewSession { token })
    }

    async fn log_in(&self, email: &str, password: &str, client: Client) -> Result<NewSession, AppError> {
        let token = accounts::log_in(&self.db, &self.passwords, email, password, client).await?;
        Ok(NewSession { token })
    }

    async fn log_out(&self, session: &SessionKey) -> Result<(), AppError> {
        let session = session.clone();
        Ok(self
            .db
            .run(move |conn, _| accounts::sessions::end(conn, &session))
            .await?)
    }

    async fn delete_account(&self, user: UserId, password: &str) -> Result<(), AppError> {
        Ok(privacy::delete_own_account(&self.db, &self.passwords, user, password.to_owned()).await?)
    }
}
