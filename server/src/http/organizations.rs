//! Organization routes that are not pages: the roster and bulk results as
//! CSV, and the verification API for machines holding an API token.

use super::certificates::{CertificateJson, json_error};
use super::teaching::{CSV, file};
use crate::store::organizations::Refusal;
use crate::store::{Store, StoreError};
use axum::Extension;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use holdspace_app::dto::{BulkCheck, MAX_BULK_CODES, RosterFilter, Verification};
use holdspace_app::error::AppError;
use holdspace_app::port::{SignedIn, Store as _};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct RosterQuery {
    show: Option<String>,
}

/// `GET /org/roster.csv?show=FILTER`: the members the roster page shows.
pub async fn roster_csv(
    State(store): State<Store>,
    signed_in: Option<Extension<SignedIn>>,
    Query(query): Query<RosterQuery>,
) -> Response {
    let Some(Extension(signed_in)) = signed_in else {
        return file(Err(AppError::NotSignedIn.into()), CSV, false, "/org");
    };
    let filter = query.show.as_deref().and_then(RosterFilter::parse).unwrap_or_default();
    let result = store
        .org_roster(signed_in.viewer.user_id)
        .await
        .map_err(StoreError::User)
        .map(|roster| {
            (
                format!("holdspace-members-{}.csv", filter.as_str()),
                crate::roster_csv::organization(&roster, filter),
            )
        });
    file(result, CSV, true, "/org")
}

/// `GET /org/verify/{id}/results.csv`: a bulk verification's results.
pub async fn bulk_csv(
    State(store): State<Store>,
    signed_in: Option<Extension<SignedIn>>,
    Path(id): Path<i64>,
) -> Response {
    let Some(Extension(signed_in)) = signed_in else {
        return file(Err(AppError::NotSignedIn.into()), CSV, false, "/org/verify");
    };
    let result = match store.bulk_results(signed_in.viewer.user_id, Some(id)).await {
        Ok(Some(BulkCheck::Done(rows))) => {
            Ok(("holdspace-verification.csv".to_owned(), crate::roster_csv::bulk(&rows)))
        }
        Ok(Some(BulkCheck::Checking { .. })) => Err(AppError::Invalid(
            "These codes are still being checked. Please download the results once the page shows them.".into(),
        )),
        Ok(Some(BulkCheck::Interrupted)) => Err(AppError::Invalid(
            "This check stopped before the end. Please send the list again.".into(),
        )),
        Ok(None) => Err(AppError::NotFound),
        Err(error) => Err(error),
    }
    .map_err(StoreError::User);
    file(result, CSV, true, "/org/verify")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerificationRequest {
    codes: Vec<String>,
}

/// One result: a certificate as `GET /api/v1/certificates/{code}` gives it,
/// or, for a code that finds none, the code as given and why.
#[derive(Serialize)]
#[serde(untagged)]
enum VerificationResult {
    Found(CertificateJson),
    NotFound {
        code: String,
        status: &'static str,
        message: &'static str,
    },
}

impl VerificationResult {
    fn new(typed: String, verification: Verification) -> Self {
        match verification {
            Verification::Found(view) => VerificationResult::Found(CertificateJson::from(*view)),
            Verification::Typo => VerificationResult::NotFound {
                code: typed,
                status: "typo",
                message: "This code has a typo: one character is wrong or two are swapped.",
            },
            Verification::Malformed | Verification::Unknown => VerificationResult::NotFound {
                code: typed,
                status: "unknown",
                message: "No certificate has this code.",
            },
        }
    }
}

fn unauthorized() -> Response {
    let mut response = json_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "This needs a valid API token: send it as \"Authorization: Bearer <token>\".",
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"holdspace\""),
    );
    response
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

/// `POST /api/v1/verifications`: `{"codes": [...]}` in, `{"results": [...]}`
/// out, one result per code in the order given.
///
/// The token is checked (with a read) before the body is even read: a
/// caller without one learns nothing about what a good body looks like and
/// cannot make the server do more than that one read.
pub async fn verifications(State(store): State<Store>, request: Request) -> Response {
    let Some(token) = bearer(request.headers()) else {
        return unauthorized();
    };
    match store.api_token_is_live(token.clone()).await {
        Ok(true) => {}
        Ok(false) => return unauthorized(),
        Err(error) => {
            tracing::error!(%error, "verification API failed");
            return json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on our side. Please try again.",
            );
        }
    }
    // The body is already capped (see access::ROUTES); past the cap, reading fails.
    let Ok(body) = axum::body::to_bytes(request.into_body(), usize::MAX).await else {
        return json_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "Please send at most 10,000 codes in one request.",
        );
    };
    let request: VerificationRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(_) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "Please send JSON like {\"codes\": [\"HS-7K2M-9QXD-4FTRW\"]}.",
            );
        }
    };
    if request.codes.len() > MAX_BULK_CODES {
        return json_error(
            StatusCode::BAD_REQUEST,
            "too_many_codes",
            "Please send at most 10,000 codes in one request.",
        );
    }
    match store.api_verifications(token, request.codes).await {
        Ok(Ok(results)) => {
            let results: Vec<VerificationResult> = results
                .into_iter()
                .map(|(typed, verification)| VerificationResult::new(typed, verification))
                .collect();
            let mut response = axum::Json(serde_json::json!({ "results": results })).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Ok(Err(Refusal::Unauthorized)) => unauthorized(),
        Ok(Err(Refusal::RateLimited { retry_after_secs })) => {
            let mut response = json_error(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "This token has made its 60 requests for this minute. Please wait for the time in Retry-After, or send more codes in each request.",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            response
        }
        Err(error) => {
            tracing::error!(%error, "verification API failed");
            json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on our side. Please try again.",
            )
        }
    }
}
