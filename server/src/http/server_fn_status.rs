//! Gives server-function errors their real HTTP status.
//!
//! The server_fn crate sends every error as a 500. Our errors carry their
//! own status ([`AppError::status`]); a form a caller garbled is their
//! mistake (400), not ours, and monitoring should see it that way.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use holdspace_app::error::AppError;

const ERROR_HEADER: &str = "serverfnerror";
/// Error bodies are small JSON; anything larger is left as it is.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn restore_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !response.headers().contains_key(ERROR_HEADER) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Some(error) = AppError::from_wire(&bytes) {
        parts.status = error.status();
        if let AppError::Throttled { retry_after_secs } = error {
            parts
                .headers
                .insert(axum::http::header::RETRY_AFTER, retry_after_secs.into());
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
