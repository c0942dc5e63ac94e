//! Downloads for course editors: a course as a `.tar.gz`, and (in
//! [`super::teaching`]'s CSV routes) the roster and statistics. Plain routes,
//! not pages, so that a browser saves them as files.

use crate::store::{Store, StoreError};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use holdspace_app::error::AppError;
use holdspace_app::port::SignedIn;

/// Sends `body` as a file download, or the error as a short plain message.
pub(super) fn file(result: Result<(String, Vec<u8>), StoreError>, content_type: &'static str, signed_in: bool, back_to: &str) -> Response {
    if !signed_in {
        return Redirect::to(&format!("/login?next={back_to}")).into_response();
    }
    match result {
        Ok((name, body)) => {
            let disposition = format!("attachment; filename=\"{name}\"");
            let headers = [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment"))),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
            ];
            (headers, body).into_response()
        }
        Err(StoreError::User(error)) => (error.status(), format!("{error}\n")).into_response(),
        Err(error) => {
            tracing::error!(%error, "download failed");
            (StatusCode::INTERNAL_SERVER_ERROR, format!("{}\n", AppError::Internal)).into_response()
        }
    }
}

/// `GET /teach/{course}/export.tar.gz`: the published course, in the `courses/` format.
pub async fn export(State(store): State<Store>, signed_in: Option<Extension<SignedIn>>, Path(course): Path<String>) -> Response {
    let back_to = format!("/teach/{course}");
    let Some(Extension(signed_in)) = signed_in else { return file(Err(AppError::NotSignedIn.into()), "", false, &back_to) };
    let result = store.export_course(signed_in.viewer.user_id, course).await;
    file(result, "application/gzip", true, &back_to)
}
