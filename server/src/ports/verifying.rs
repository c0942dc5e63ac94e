use crate::certificates;
use crate::error::ServerResult;
use crate::organizations::{api_tokens, bulk, code_list};
use crate::site::Site;
use holdspace_app::dto::*;
use holdspace_app::error::AppError;
use holdspace_app::ports::Verifying;

impl Site {
    /// Checks a bulk verification's codes a chunk at a time, counting each
    /// chunk as it is done, for the page's progress bar.
    async fn check_bulk(&self, id: BulkCheckId, codes: Vec<String>) -> ServerResult<()> {
        let mut rows: Vec<BulkRow> = Vec::with_capacity(codes.len());
        let mut codes = codes.into_iter().peekable();
        while codes.peek().is_some() {
            let chunk: Vec<String> = codes.by_ref().take(bulk::CHUNK).collect();
            let checked = rows.len() + chunk.len();
            let found = self
                .db
                .run(move |conn, now| {
                    let found = certificates::verify_many(conn, chunk, now)?;
                    bulk::checked(conn, id, checked)?;
                    Ok(found)
                })
                .await?;
            rows.extend(
                found
                    .into_iter()
                    .map(|(typed, verification)| BulkRow::new(typed, verification)),
            );
        }
        self.db.run(move |conn, now| bulk::finish(conn, id, &rows, now)).await
    }
}

#[async_trait::async_trait]
impl Verifying for Site {
    /// A list no longer than one chunk is checked before the answer; a
    /// longer one in the background, its page showing the progress.
    async fn bulk_verify(&self, actor: UserId, list: Vec<u8>) -> Result<BulkCheckId, AppError> {
        let text = code_list::decode(&list).map_err(|error| AppError::Invalid(error.to_string()))?;
        let codes = code_list::parse(&text).map_err(|error| AppError::Invalid(error.to_string()))?;
        let total = codes.len();
        let id = self
            .db
            .write(move |conn, now| bulk::start(conn, actor, total, now))
            .await?;
        if total <= bulk::CHUNK {
            self.check_bulk(id, codes).await?;
        } else {
            let site = self.clone();
            tokio::spawn(async move {
                if let Err(error) = site.check_bulk(id, codes).await {
                    tracing::error!(%error, %id, "bulk verification stopped");
                }
            });
        }
        Ok(id)
    }

    async fn bulk_results(&self, actor: UserId, id: Option<BulkCheckId>) -> Result<Option<BulkCheck>, AppError> {
        Ok(self
            .db
            .run(move |conn, now| bulk::results(conn, actor, id, now))
            .await?)
    }

    async fn api_tokens(&self, actor: UserId) -> Result<Vec<TokenRow>, AppError> {
        Ok(self.db.run(move |conn, _| api_tokens::tokens(conn, actor)).await?)
    }

    async fn create_api_token(&self, actor: UserId, label: &str) -> Result<NewToken, AppError> {
        let label = label.to_owned();
        Ok(self
            .db
            .write(move |conn, now| api_tokens::create(conn, actor, &label, now))
            .await?)
    }

    async fn revoke_api_token(&self, actor: UserId, token: ApiTokenId) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, now| api_tokens::revoke(conn, actor, token, now))
            .await?)
    }
}
