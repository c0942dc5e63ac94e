use crate::dto::{AccountSettings, MailPreference, NameChange, UserId};
use crate::error::AppError;
use crate::ports::SessionKey;

/// A new account, as typed into the registration form.
#[derive(Debug)]
pub struct NewAccount {
    pub display_name: String,
    pub email: String,
    pub password: String,
}

/// Facts about the request that account policies need.
#[derive(Clone, Debug)]
pub struct Client {
    /// The client's address, for throttling.
    pub address: String,
    /// The session the request came with, ended when a new one starts.
    pub previous_session: Option<SessionKey>,
}

/// A session just started: its token, for the cookie (sent once, never stored).
#[derive(Debug)]
pub struct NewSession {
    pub token: String,
}

/// Registration, signing in and out, deleting one's account.
#[async_trait::async_trait]
pub trait Accounts: Send + Sync + 'static {
    /// Creates a learner account and signs it in.
    async fn register(&self, account: NewAccount, client: Client) -> Result<NewSession, AppError>;
    /// Checks credentials (throttled) and starts a new session.
    async fn log_in(&self, email: &str, password: &str, client: Client) -> Result<NewSession, AppError>;
    /// Ends a session.
    async fn log_out(&self, session: &SessionKey) -> Result<(), AppError>;
    /// Deletes the account once its owner types the password again.
    async fn delete_account(&self, user: UserId, password: &str) -> Result<(), AppError>;
    /// Changes the account's name; with `reissue`, also reissues the
    /// holder's certificates under it (new codes; the old ones answer only
    /// that they were replaced at the holder's request).
    async fn change_name(&self, user: UserId, name: &str, reissue: bool) -> Result<NameChange, AppError>;
    /// The account's address, whether it is confirmed, and which mail it accepts.
    async fn account_settings(&self, user: UserId) -> Result<AccountSettings, AppError>;
    /// Mails a new confirmation link (nothing if already confirmed).
    async fn resend_confirmation(&self, user: UserId) -> Result<(), AppError>;
    /// Confirms an address from its mailed link.
    async fn confirm_email(&self, token: &str) -> Result<(), AppError>;
    /// Mails a reset link if an account has this address; the same answer either way.
    async fn request_password_reset(&self, email: &str, client: Client) -> Result<(), AppError>;
    /// Sets a new password from a reset link, ends every session, and signs in.
    async fn reset_password(&self, token: &str, password: &str, client: Client) -> Result<NewSession, AppError>;
    /// Changes the password (the current one required); ends every other session.
    async fn change_password(
        &self,
        user: UserId,
        current: &str,
        new_password: &str,
        keep: SessionKey,
    ) -> Result<(), AppError>;
    /// Mails a link to `new_email` that moves the account there (the
    /// password required), and a notice to the current address.
    async fn change_email(&self, user: UserId, new_email: &str, password: &str) -> Result<(), AppError>;
    /// Ends every session of the account, this one included.
    async fn sign_out_everywhere(&self, user: UserId) -> Result<(), AppError>;
    async fn set_mail_preference(&self, user: UserId, preference: MailPreference) -> Result<(), AppError>;
}
