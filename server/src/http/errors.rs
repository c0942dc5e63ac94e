//! How a failure becomes an HTTP response on the plain routes (files and
//! downloads): the person's sentence, with its status (and `Retry-After`
//! when they should wait). Server functions get the same statuses through
//! `server_fn_status`; the JSON API answers in its own documented shape
//! (`api.rs`). Signing in is asked for by a redirect, as on pages.

use crate::error::ServerError;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use holdspace_app::dto::UserId;
use holdspace_app::error::AppError;
use holdspace_app::ports::SignedIn;

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let error = AppError::from(self);
        let mut response = (error.status(), format!("{error}\n")).into_response();
        if let AppError::Throttled { retry_after_secs } = error {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

/// The page a file is downloaded from: where to come back to after signing
/// in (not the file itself, which would download on arrival).
fn page_of(file: &str) -> String {
    let Some(file) = holdspace_app::api::safe_local_path(file) else {
        return "/me".to_owned();
    };
    let parent = file.rsplit_once('/').map_or("", |(parent, _)| parent);
    match file {
        _ if file.starts_with("/certificates/") => "/me".to_owned(),
        "/me/data.json" => "/me/privacy".to_owned(),
        _ if file.ends_with("/learners.csv") || file.ends_with("/questions.csv") => format!("{parent}/learners"),
        _ if file.ends_with("/results.csv") => "/org/verify".to_owned(),
        _ if parent.is_empty() => "/me".to_owned(),
        _ => parent.to_owned(),
    }
}

/// The signed-in account of a plain route; without one, the route answers
/// with a redirect to the sign-in page, coming back afterwards to the page
/// the file is downloaded from.
pub struct SignedInUser(pub UserId);

impl<S: Send + Sync> FromRequestParts<S> for SignedInUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<SignedIn>() {
            Some(signed_in) => Ok(SignedInUser(signed_in.user())),
            None => {
                let back = page_of(parts.uri.path());
                Err(Redirect::to(&format!("/login?next={back}")).into_response())
            }
        }
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for SignedInUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<SignedIn>()
            .map(|signed_in| SignedInUser(signed_in.user())))
    }
}

#[cfg(test)]
mod tests {
    use super::page_of;

    #[test]
    fn signing_in_for_a_file_comes_back_to_its_page() {
        assert_eq!(page_of("/certificates/HS-1/certificate.pdf"), "/me");
        assert_eq!(page_of("/me/data.json"), "/me/privacy");
        assert_eq!(page_of("/teach/grounding/export.tar.gz"), "/teach/grounding");
        assert_eq!(page_of("/teach/grounding/learners.csv"), "/teach/grounding/learners");
        assert_eq!(page_of("/teach/programs/p/progress.csv"), "/teach/programs/p");
        assert_eq!(page_of("/org/roster.csv"), "/org");
        assert_eq!(page_of("/org/verify/4/results.csv"), "/org/verify");
    }
}
