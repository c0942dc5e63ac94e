use crate::outcomes;
use crate::site::Site;
use holdspace_app::dto::{Outcomes, UserId};
use holdspace_app::error::AppError;
use holdspace_app::ports::OutcomesPort;

#[async_trait::async_trait]
impl OutcomesPort for Site {
    async fn outcomes(&self, actor: UserId, from: Option<String>, to: Option<String>) -> Result<Outcomes, AppError> {
        Ok(self
            .db
            .run(move |conn, now| outcomes::outcomes(conn, actor, from, to, now))
            .await?)
    }
}
