use crate::dto::{Outcomes, UserId};
use crate::error::AppError;

/// The outcome dashboard.
#[async_trait::async_trait]
pub trait OutcomesPort: Send + Sync + 'static {
    /// The dashboard for the range (ISO dates; defaults when absent), for
    /// whom the actor may see: their organization, their courses, or everyone.
    async fn outcomes(&self, actor: UserId, from: Option<String>, to: Option<String>) -> Result<Outcomes, AppError>;
}
