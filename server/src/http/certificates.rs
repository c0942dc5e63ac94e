//! Certificate endpoints that are not pages: the public verification API,
//! the issuer's keys and profile, and the holder's downloads.

use crate::store::{Store, StoreError};
use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use holdspace_app::dto::{CertificateView, Verification};
use holdspace_app::error::AppError;
use holdspace_app::port::SignedIn;
use serde::Serialize;

/// `GET /api/v1/certificates/{code}` answers in this shape.
#[derive(Debug, Serialize)]
pub struct CertificateJson {
    pub code: String,
    pub status: &'static str,
    pub holder_name: String,
    pub program: ProgramJson,
    pub issued_on: String,
    pub expires_on: String,
    pub revoked_on: Option<String>,
    pub revocation_reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ProgramJson {
    pub slug: String,
    pub title: String,
}

impl From<CertificateView> for CertificateJson {
    fn from(view: CertificateView) -> Self {
        Self {
            code: view.code,
            status: view.status.as_str(),
            holder_name: view.holder_name,
            program: ProgramJson {
                slug: view.program_slug,
                title: view.program_title,
            },
            issued_on: view.issued_on,
            expires_on: view.expires_on,
            revoked_on: view.revoked_on,
            revocation_reason: view.revocation_reason,
        }
    }
}

/// An API error: a stable word for programs, a sentence for people.
pub(super) fn json_error(status: StatusCode, error: &'static str, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": error, "message": message }))).into_response()
}

fn internal(error: StoreError) -> Response {
    tracing::error!(%error, "certificate endpoint failed");
    json_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Something went wrong on our side. Please try again.",
    )
}

/// Anyone may read public certificate data, from any site.
fn public(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

pub async fn lookup(State(store): State<Store>, Path(code): Path<String>) -> Response {
    let response = match store.lookup_certificate(code).await {
        Ok(Verification::Found(view)) => {
            let mut response = Json(CertificateJson::from(*view)).into_response();
            // Status changes (revocation, expiry) must show at once.
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Ok(Verification::Typo) => json_error(
            StatusCode::BAD_REQUEST,
            "typo",
            "This code has a typo: one character is wrong or two are swapped. Please check it against the certificate.",
        ),
        Ok(Verification::Malformed) => json_error(
            StatusCode::BAD_REQUEST,
            "malformed",
            "A certificate code looks like HS-XXXX-XXXX-XXXXX (13 letters and digits after HS).",
        ),
        Ok(Verification::Unknown) => json_error(StatusCode::NOT_FOUND, "not_found", "No certificate has this code."),
        Err(error) => internal(error),
    };
    public(response)
}

pub async fn jwks(State(store): State<Store>) -> Response {
    match store.jwks() {
        Ok(keys) => public(([(header::CONTENT_TYPE, "application/jwk-set+json")], keys.to_string()).into_response()),
        Err(error) => internal(error),
    }
}

pub async fn issuer_profile(State(store): State<Store>) -> Response {
    match store.issuer_profile() {
        Ok(profile) => public(([(header::CONTENT_TYPE, "application/ld+json")], profile.to_string()).into_response()),
        Err(error) => internal(error),
    }
}

/// A download for the holder only; anyone else is sent to log in, or told
/// there is nothing here (never whether someone else's certificate exists).
async fn download<F, Fut, B>(
    signed_in: Option<Extension<SignedIn>>,
    code: String,
    fetch: F,
    content_type: &'static str,
    extension: &str,
) -> Response
where
    F: FnOnce(i64, String) -> Fut,
    Fut: Future<Output = Result<(String, B), StoreError>>,
    B: IntoResponse,
{
    let Some(Extension(signed_in)) = signed_in else {
        return Redirect::to("/login?next=/me").into_response();
    };
    match fetch(signed_in.viewer.user_id, code).await {
        Ok((code, body)) => super::attachment(&format!("holdspace-certificate-{code}.{extension}"), content_type, body),
        Err(StoreError::User(AppError::NotFound)) => (
            StatusCode::NOT_FOUND,
            "There is no certificate with this code in your account.\n",
        )
            .into_response(),
        Err(StoreError::User(AppError::Invalid(message))) => (StatusCode::GONE, format!("{message}\n")).into_response(),
        Err(error) => {
            tracing::error!(%error, "certificate download failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side. Please try again.\n",
            )
                .into_response()
        }
    }
}

pub async fn pdf(
    State(store): State<Store>,
    signed_in: Option<Extension<SignedIn>>,
    Path(code): Path<String>,
) -> Response {
    download(
        signed_in,
        code,
        |user, code| store.certificate_pdf(user, code),
        "application/pdf",
        "pdf",
    )
    .await
}

pub async fn credential(
    State(store): State<Store>,
    signed_in: Option<Extension<SignedIn>>,
    Path(code): Path<String>,
) -> Response {
    download(
        signed_in,
        code,
        |user, code| store.credential(user, code),
        "application/vc+jwt",
        "jwt",
    )
    .await
}
