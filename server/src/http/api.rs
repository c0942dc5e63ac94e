//! The public JSON API for machines: looking a certificate up, verifying
//! many with an API token, the issuer's keys and profile, and the signed
//! status lists credentials point to. Errors answer in
//! the documented shape, `{"error": word, "message": sentence}`, made in one
//! place ([`ApiError`]).

use crate::certificates;
use crate::certificates::status_list::{self, Securing, StatusPurpose};
use crate::error::{ServerError, ServerResult};
use crate::organizations::api_tokens::{self, Refusal, Scope};
use crate::site::Site;
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use holdspace_app::dto::{CertificateView, MAX_BULK_CODES, Verification};
use serde::{Deserialize, Serialize};

/// Everything the API can refuse with.
#[derive(Debug)]
pub enum ApiError {
    Typo,
    Malformed,
    NotFound,
    Unauthorized,
    BadBody,
    TooManyCodes,
    TooLarge,
    RateLimited { retry_after_secs: u64 },
    Internal,
}

impl From<ServerError> for ApiError {
    fn from(error: ServerError) -> Self {
        tracing::error!(%error, "an API request failed");
        ApiError::Internal
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, word, message) = match &self {
            ApiError::Typo => (
                StatusCode::BAD_REQUEST,
                "typo",
                "This code has a typo: one character is wrong or two are swapped. Please check it against the certificate.",
            ),
            ApiError::Malformed => (
                StatusCode::BAD_REQUEST,
                "malformed",
                "A certificate code looks like HS-XXXX-XXXX-XXXXX (13 letters and digits after HS).",
            ),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", "No certificate has this code."),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "This needs a valid API token: send it as \"Authorization: Bearer <token>\".",
            ),
            ApiError::BadBody => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                "Please send JSON like {\"codes\": [\"HS-7K2M-9QXD-4FTRW\"]}.",
            ),
            ApiError::TooManyCodes => (
                StatusCode::BAD_REQUEST,
                "too_many_codes",
                "Please send at most 10,000 codes in one request.",
            ),
            ApiError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "Please send at most 10,000 codes in one request.",
            ),
            ApiError::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "This token has made its 60 requests for this minute. Please wait for the time in Retry-After, or send more codes in each request.",
            ),
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on our side. Please try again.",
            ),
        };
        let mut response = (status, Json(serde_json::json!({ "error": word, "message": message }))).into_response();
        let headers = response.headers_mut();
        match self {
            ApiError::Unauthorized => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"holdspace\""),
                );
            }
            ApiError::RateLimited { retry_after_secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            }
            _ => {}
        }
        response
    }
}

/// `GET /api/v1/certificates/{code}` answers in this shape.
#[derive(Debug, Serialize)]
pub struct CertificateJson {
    pub code: String,
    pub status: &'static str,
    /// Null for a certificate replaced at its holder's request.
    pub holder_name: Option<String>,
    pub program: ProgramJson,
    pub issued_on: String,
    pub valid_from: String,
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
            valid_from: view.valid_from,
            expires_on: view.expires_on,
            revoked_on: view.revoked_on,
            revocation_reason: view.revocation_reason,
        }
    }
}

/// Anyone may read public certificate data, from any site.
fn public(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// Status changes (revocation, expiry) must show at once.
fn fresh(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /api/v1/certificates/{code}`.
pub async fn lookup(State(site): State<Site>, Path(code): Path<String>) -> Response {
    let answer = match site
        .db
        .run(move |conn, now| certificates::verify(conn, &code, now, false))
        .await
    {
        Ok(Verification::Found(view)) => Ok(fresh(Json(CertificateJson::from(*view)).into_response())),
        Ok(Verification::Typo) => Err(ApiError::Typo),
        Ok(Verification::Malformed) => Err(ApiError::Malformed),
        Ok(Verification::Unknown) => Err(ApiError::NotFound),
        Err(error) => Err(error.into()),
    };
    public(answer.unwrap_or_else(IntoResponse::into_response))
}

/// `GET /.well-known/jwks.json`: every key that ever signed.
pub async fn jwks(State(site): State<Site>) -> Response {
    match site.issuing() {
        Ok(issuing) => public(
            (
                [(header::CONTENT_TYPE, "application/jwk-set+json")],
                issuing.issuer.jwks(&issuing.keys).to_string(),
            )
                .into_response(),
        ),
        Err(error) => public(ApiError::from(error).into_response()),
    }
}

/// `GET /issuer/keys/{kid}`: the one ES256 JWK of a key, the URL that
/// VC-JWTs name as their `kid`.
pub async fn issuer_key(State(site): State<Site>, Path(kid): Path<String>) -> Response {
    let answer = match site.issuing() {
        Ok(issuing) => match issuing.keys.find(&kid) {
            Some(key) => (
                [(header::CONTENT_TYPE, "application/jwk+json")],
                key.es256_jwk(&issuing.issuer.key_url(&kid)).to_string(),
            )
                .into_response(),
            None => ApiError::NotFound.into_response(),
        },
        Err(error) => ApiError::from(error).into_response(),
    };
    public(answer)
}

/// `GET /status/{purpose}/{list}`: a signed Bitstring Status List
/// credential, made fresh for each request: JSON-LD with a Data Integrity
/// proof for a verifier that asks for JSON (as JSON-LD verifiers do), a
/// VC-JWT otherwise.
pub async fn status_list(
    State(site): State<Site>,
    Path((purpose, list)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (Some(purpose), Ok(list)) = (StatusPurpose::parse(&purpose), list.parse::<i32>()) else {
        return public(ApiError::NotFound.into_response());
    };
    let issuing = match site.issuing() {
        Ok(issuing) => issuing,
        Err(error) => return public(ApiError::from(error).into_response()),
    };
    let securing = status_list_securing(&headers);
    let signed = site
        .db
        .run(move |conn, now| {
            if list < 1 || !status_list::exists(conn, list)? {
                return Ok(None);
            }
            let key = issuing.keys.current();
            status_list::signed_list(conn, &issuing.issuer, key, purpose, list, securing, now).map(Some)
        })
        .await;
    let content_type = match securing {
        Securing::Jwt => "application/vc+jwt",
        Securing::DataIntegrity => "application/ld+json",
    };
    let mut answer = match signed {
        Ok(Some(body)) => fresh(([(header::CONTENT_TYPE, content_type)], body).into_response()),
        Ok(None) => ApiError::NotFound.into_response(),
        Err(error) => ApiError::from(error).into_response(),
    };
    answer
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    public(answer)
}

/// JSON-LD when the `Accept` header names JSON and not a JWT; a VC-JWT
/// otherwise, which is what the lists were first published as.
fn status_list_securing(headers: &HeaderMap) -> Securing {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if accept.contains("json") && !accept.contains("jwt") {
        Securing::DataIntegrity
    } else {
        Securing::Jwt
    }
}

/// `GET /.well-known/did.json`: the site's `did:web` DID document, listing
/// every key that ever signed a Data Integrity proof.
pub async fn did_document(State(site): State<Site>) -> Response {
    match site.issuing() {
        Ok(issuing) => public(
            (
                [(header::CONTENT_TYPE, "application/did+json")],
                issuing.issuer.did_document(&issuing.keys).to_string(),
            )
                .into_response(),
        ),
        Err(error) => public(ApiError::from(error).into_response()),
    }
}

/// `GET /verify/{code}/credential.json`: the JSON-LD credential, for a
/// wallet to fetch from the link its holder gives it.
pub async fn wallet_credential(State(site): State<Site>, Path(code): Path<String>) -> ServerResult<Response> {
    let credential = site
        .db
        .run(move |conn, now| certificates::wallet_credential(conn, &code, now))
        .await?;
    Ok(public(fresh(
        ([(header::CONTENT_TYPE, "application/ld+json")], credential).into_response(),
    )))
}

/// `GET /issuer`: the issuer profile (OB 3.0 `Profile`).
pub async fn issuer_profile(State(site): State<Site>) -> Response {
    match site.issuing() {
        Ok(issuing) => public(
            (
                [(header::CONTENT_TYPE, "application/ld+json")],
                issuing.issuer.profile().to_string(),
            )
                .into_response(),
        ),
        Err(error) => public(ApiError::from(error).into_response()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerificationRequest {
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
pub async fn verifications(State(site): State<Site>, request: Request) -> Result<Response, ApiError> {
    let token = bearer(request.headers()).ok_or(ApiError::Unauthorized)?;
    let checked = token.clone();
    if !site
        .db
        .run(move |conn, _| api_tokens::is_live(conn, &checked, Scope::Verify))
        .await?
    {
        return Err(ApiError::Unauthorized);
    }
    // The body is already capped (see access::endpoints); past the cap, reading fails.
    let body = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .map_err(|_| ApiError::TooLarge)?;
    let request: VerificationRequest = serde_json::from_slice(&body).map_err(|_| ApiError::BadBody)?;
    if request.codes.len() > MAX_BULK_CODES {
        return Err(ApiError::TooManyCodes);
    }
    let codes = request.codes;
    let answer = site
        .db
        .run(move |conn, now| {
            match crate::db::write_transaction(conn, |conn| api_tokens::admit(conn, &token, Scope::Verify, now))? {
                Ok(()) => Ok(Ok(certificates::verify_many(conn, codes, now)?)),
                Err(refusal) => Ok(Err(refusal)),
            }
        })
        .await?;
    match answer {
        Ok(results) => {
            let results: Vec<VerificationResult> = results
                .into_iter()
                .map(|(typed, v)| VerificationResult::new(typed, v))
                .collect();
            Ok(fresh(Json(serde_json::json!({ "results": results })).into_response()))
        }
        Err(Refusal::Unauthorized) => Err(ApiError::Unauthorized),
        Err(Refusal::RateLimited { retry_after_secs }) => Err(ApiError::RateLimited { retry_after_secs }),
    }
}
