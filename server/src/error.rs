//! The server's one error type, and the one place it becomes what a person
//! is told.
//!
//! Only [`ServerError::User`] carries a sentence meant for a person (an
//! [`AppError`]: not found, forbidden, throttled, invalid input…); every
//! other failure is logged here, once, and shown as the generic
//! [`AppError::Internal`]: a database error's text never reaches anyone.
//! `AppError` itself becomes an HTTP status in one place too
//! ([`AppError::status`], used by the server-function layer and by
//! [`crate::http::error_response`] for the plain routes).

use holdspace_app::error::AppError;

/// A failure inside the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("no database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("a blocking task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
    #[error("database work panicked")]
    Panicked,
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("could not draw a document: {0}")]
    Render(String),
    /// Something the person asking can act on; shown to them as it is.
    #[error("{0}")]
    User(#[from] AppError),
}

/// What server code returns.
pub type ServerResult<T> = Result<T, ServerError>;

impl From<ServerError> for AppError {
    fn from(error: ServerError) -> Self {
        match error {
            ServerError::User(error) => error,
            other => {
                tracing::error!(error = %other, "a request failed");
                AppError::Internal
            }
        }
    }
}

impl From<serde_json::Error> for ServerError {
    fn from(error: serde_json::Error) -> Self {
        ServerError::Corrupt(error.to_string())
    }
}

/// Shorthand for refusing with a sentence the person can act on.
pub fn invalid<T>(message: impl Into<String>) -> ServerResult<T> {
    Err(AppError::Invalid(message.into()).into())
}
