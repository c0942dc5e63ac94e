//! The outcome dashboard, for organization admins, trainers and site admins.

use crate::dto::Outcomes;
use crate::error::AppError;
use leptos::prelude::*;

/// `from` and `to` are ISO dates as a date input sends them; either may be
/// missing or unreadable, and the answer says which range it used.
#[server(endpoint = "load_outcomes")]
pub async fn load_outcomes(from: Option<String>, to: Option<String>) -> Result<Outcomes, AppError> {
    use super::request::*;
    ports()?.outcomes.outcomes(require_viewer()?.user_id, from, to).await
}
