use crate::accounts::{address_change, confirmation, recovery, settings};
use crate::site::Site;
use crate::{accounts, certificates, privacy};
use holdspace_app::dto::{AccountSettings, MailPreference, NameChange, UserId};
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

    async fn change_name(&self, user: UserId, name: &str, reissue: bool) -> Result<NameChange, AppError> {
        let issuing = if reissue { Some(self.issuing()?) } else { None };
        let name = name.to_owned();
        Ok(self
            .db
            .write(move |conn, now| {
                settings::rename(conn, user, &name)?;
                let Some(issuing) = issuing else {
                    return Ok(NameChange::default());
                };
                let (reissued, on_hold) = certificates::reissue_under_current_name(conn, user, now, &issuing)?;
                Ok(NameChange { reissued, on_hold })
            })
            .await?)
    }

    async fn account_settings(&self, user: UserId) -> Result<AccountSettings, AppError> {
        Ok(self
            .db
            .run(move |conn, _| settings::account_settings(conn, user))
            .await?)
    }

    async fn resend_confirmation(&self, user: UserId) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, now| confirmation::send_link(conn, user, now))
            .await?)
    }

    async fn confirm_email(&self, token: &str) -> Result<(), AppError> {
        let token = token.to_owned();
        Ok(self
            .db
            .write(move |conn, now| confirmation::confirm(conn, &token, now))
            .await?)
    }

    async fn request_password_reset(&self, email: &str, client: Client) -> Result<(), AppError> {
        let email = email.to_owned();
        Ok(self
            .db
            .write(move |conn, now| recovery::request_reset(conn, &email, &client, now))
            .await?)
    }

    async fn reset_password(&self, token: &str, password: &str, client: Client) -> Result<NewSession, AppError> {
        let token =
            recovery::reset_password(&self.db, &self.passwords, token.to_owned(), password.to_owned(), client).await?;
        Ok(NewSession { token })
    }

    async fn change_password(
        &self,
        user: UserId,
        current: &str,
        new_password: &str,
        keep: SessionKey,
    ) -> Result<(), AppError> {
        Ok(recovery::change_password(
            &self.db,
            &self.passwords,
            user,
            current.to_owned(),
            new_password.to_owned(),
            keep,
        )
        .await?)
    }

    async fn change_email(&self, user: UserId, new_email: &str, password: &str) -> Result<(), AppError> {
        Ok(address_change::request_change(
            &self.db,
            &self.passwords,
            user,
            new_email.to_owned(),
            password.to_owned(),
        )
        .await?)
    }

    async fn sign_out_everywhere(&self, user: UserId) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, _| recovery::end_sessions(conn, user, None))
            .await?)
    }

    async fn set_mail_preference(&self, user: UserId, preference: MailPreference) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, _| settings::set_mail_preference(conn, user, preference))
            .await?)
    }
}
