//! Refuses a request before its body is read when its sender may not use
//! the endpoint at all, or sends more than the endpoint takes (see
//! [`crate::access`]), and caps what is read of any body.

use crate::access;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use holdspace_app::ports::SignedIn;
use http_body_util::Limited;

pub async fn admit(request: Request, next: Next) -> Response {
    let rule = access::endpoints::rule_for(request.uri().path());
    let viewer = request
        .extensions()
        .get::<SignedIn>()
        .map(|signed_in| &signed_in.viewer);
    if let Err(error) = rule.audience.admits(viewer) {
        return (error.status(), format!("{error}\n")).into_response();
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > rule.max_body) {
        return too_large();
    }
    if rule.multipart && !is_multipart(request.headers()) {
        let error = holdspace_app::error::AppError::BadRequest;
        return (error.status(), format!("{error}\n")).into_response();
    }
    // A body without a length (chunked) is cut off at the limit as it is read.
    let request = request.map(|body| Body::new(Limited::new(body, rule.max_body)));
    next.run(request).await
}

/// `multipart/form-data` with a boundary, as a file upload form sends.
fn is_multipart(headers: &axum::http::HeaderMap) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    content_type.starts_with("multipart/form-data") && content_type.contains("boundary=")
}

fn too_large() -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        "That is more than this part of Holdspace accepts at once. Please send a smaller file or less text.\n",
    )
        .into_response()
}
