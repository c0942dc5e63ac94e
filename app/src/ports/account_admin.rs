use crate::dto::{AccountRow, MailHealth, Role, UserId};
use crate::error::AppError;

/// Site admins looking after accounts: finding them, changing a role,
/// turning an account off and on, sending a reset link. Every change is
/// audit-logged with who made it.
#[async_trait::async_trait]
pub trait AccountAdmin: Send + Sync + 'static {
    /// Accounts whose name or email contains `query` (all, when empty), at most 100.
    async fn find_accounts(&self, admin: UserId, query: &str) -> Result<Vec<AccountRow>, AppError>;
    async fn change_role(&self, admin: UserId, account: UserId, role: Role) -> Result<(), AppError>;
    /// Turns the account off (`disabled`: it cannot sign in; its sessions end) or on again.
    async fn set_disabled(&self, admin: UserId, account: UserId, disabled: bool) -> Result<(), AppError>;
    async fn send_password_reset(&self, admin: UserId, account: UserId) -> Result<(), AppError>;
    async fn mail_health(&self, admin: UserId) -> Result<MailHealth, AppError>;
}
