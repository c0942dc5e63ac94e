use crate::dto::{UserId, VerificationPage};
use crate::error::AppError;

/// Checking a certificate's code; revoking, suspending and reinstating one.
#[async_trait::async_trait]
pub trait Certificates: Send + Sync + 'static {
    /// Looks a certificate up by a code as someone typed it. Anyone may ask;
    /// the page also says whether `viewer` may revoke it.
    async fn verify_certificate(&self, code: &str, viewer: Option<UserId>) -> Result<VerificationPage, AppError>;
    /// Revokes a certificate (staff of its program) and writes the audit log.
    async fn revoke_certificate(&self, actor: UserId, code: &str, reason: &str) -> Result<(), AppError>;
    /// Suspends a certificate (staff of its program), reversibly, and writes the audit log.
    async fn suspend_certificate(&self, actor: UserId, code: &str, reason: &str) -> Result<(), AppError>;
    /// Lifts a suspension and writes the audit log.
    async fn reinstate_certificate(&self, actor: UserId, code: &str) -> Result<(), AppError>;
}
