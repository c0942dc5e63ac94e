//! Downloads for trainers: a course as a `.tar.gz`, rosters and statistics
//! as CSV. Plain routes, not pages, so that a browser saves them as files;
//! the store decides who may have them, as for the pages.

use crate::store::{Store, StoreError};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use holdspace_app::error::AppError;
use holdspace_app::port::SignedIn;

/// Sends `body` as a file download, or the error as a short plain message.
pub(super) fn file(
    result: Result<(String, Vec<u8>), StoreError>,
    content_type: &'static str,
    signed_in: bool,
    back_to: &str,
) -> Response {
    if !signed_in {
        return Redirect::to(&format!("/login?next={back_to}")).into_response();
    }
    match result {
        Ok((name, body)) => super::attachment(&name, content_type, body),
        Err(StoreError::User(error)) => (error.status(), format!("{error}\n")).into_response(),
        Err(error) => {
            tracing::error!(%error, "download failed");
            (StatusCode::INTERNAL_SERVER_ERROR, format!("{}\n", AppError::Internal)).into_response()
        }
    }
}

/// `GET /teach/{course}/export.tar.gz`: the published course, in the `courses/` format.
pub async fn export(
    State(store): State<Store>,
    signed_in: Option<Extension<SignedIn>>,
    Path(course): Path<String>,
) -> Response {
    let back_to = format!("/teach/{course}");
    let Some(Extension(signed_in)) = signed_in else {
        return file(Err(AppError::NotSignedIn.into()), "", false, &back_to);
    };
    let result = store.export_course(signed_in.viewer.user_id, course).await;
    file(result, "application/gzip", true, &back_to)
}

pub(super) const CSV: &str = "text/csv; charset=utf-8";

/// `GET /teach/{course}/learners.csv`.
pub async fn learners_csv(
    State(store): State<Store>,
    signed_in: Option<Extension<SignedIn>>,
    Path(course): Path<String>,
) -> Response {
    following_csv(store, signed_in, course, "learners", crate::roster_csv::learners).await
}

/// `GET /teach/{course}/questions.csv`.
pub async fn questions_csv(
    State(store): State<Store>,
    signed_in: Option<Extension<SignedIn>>,
    Path(course): Path<String>,
) -> Response {
    following_csv(store, signed_in, course, "questions", crate::roster_csv::questions).await
}

async fn following_csv(
    store: Store,
    signed_in: Option<Extension<SignedIn>>,
    course: String,
    what: &str,
    render: fn(&holdspace_app::dto::CourseFollowing) -> Vec<u8>,
) -> Response {
    use holdspace_app::port::Store as _;
    let back_to = format!("/teach/{course}/learners");
    let Some(Extension(signed_in)) = signed_in else {
        return file(Err(AppError::NotSignedIn.into()), CSV, false, &back_to);
    };
    let result = store
        .course_following(signed_in.viewer.user_id, &course)
        .await
        .map(|f| (format!("{course}-{what}.csv"), render(&f)));
    file(result.map_err(StoreError::User), CSV, true, &back_to)
}

/// `GET /teach/programs/{program}/progress.csv`.
pub async fn program_csv(
    State(store): State<Store>,
    signed_in: Option<Extension<SignedIn>>,
    Path(program): Path<String>,
) -> Response {
    use holdspace_app::port::Store as _;
    let back_to = format!("/teach/programs/{program}");
    let Some(Extension(signed_in)) = signed_in else {
        return file(Err(AppError::NotSignedIn.into()), CSV, false, &back_to);
    };
    let result = store
        .program_progress(signed_in.viewer.user_id, &program)
        .await
        .map(|p| (format!("{program}-progress.csv"), crate::roster_csv::program(&p)));
    file(result.map_err(StoreError::User), CSV, true, &back_to)
}
