use crate::dto::*;
use crate::error::AppError;

/// Checking many certificate codes at once, and the API tokens that let
/// an organization's systems do it.
#[async_trait::async_trait]
pub trait Verifying: Send + Sync + 'static {
    /// Checks a pasted or uploaded list of codes, as sent (organization
    /// admins and staff); returns the id its results are kept under for a day.
    async fn bulk_verify(&self, actor: UserId, list: Vec<u8>) -> Result<BulkCheckId, AppError>;
    /// Results kept under `id`; with none, only checks the actor may verify in bulk.
    async fn bulk_results(&self, actor: UserId, id: Option<BulkCheckId>) -> Result<Option<BulkCheck>, AppError>;
    async fn api_tokens(&self, actor: UserId) -> Result<Vec<TokenRow>, AppError>;
    async fn create_api_token(&self, actor: UserId, label: &str) -> Result<NewToken, AppError>;
    async fn revoke_api_token(&self, actor: UserId, token: ApiTokenId) -> Result<(), AppError>;
}
