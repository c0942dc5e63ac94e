//! HTTP wiring: the Leptos app, server functions, health check, and the
//! layers every request passes through.

mod certificates;
pub mod client_address;
mod openapi;
mod organizations;
mod origin_check;
mod request_gate;
mod security_headers;
mod server_fn_status;
mod session_layer;
mod teaching;

use crate::store::Store;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use holdspace_app::port::Backend;
use holdspace_app::{App, shell};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::Arc;

/// What the router needs besides the store.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    pub leptos: LeptosOptions,
    /// The site's public origin (`https://holdspace.example.org`), if known,
    /// accepted as the `Origin` of state-changing requests.
    pub public_origin: Option<String>,
    /// Reverse proxies whose `Forwarded`/`X-Forwarded-For` headers are believed.
    pub trusted_proxies: client_address::TrustedProxies,
}

/// The whole site.
pub fn router(store: Store, config: HttpConfig) -> Router {
    let leptos_options = config.leptos.clone();
    let routes = generate_route_list(App);
    let backend = Backend(Arc::new(store.clone()));
    let provide = move || {
        provide_context(backend.clone());
        security_headers::provide_page_policy();
    };
    let pages = Router::new()
        .leptos_routes_with_context(&leptos_options, routes, provide.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(provide, shell))
        .with_state(leptos_options);
    let https = config
        .public_origin
        .as_deref()
        .is_some_and(|origin| origin.starts_with("https://"));

    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/certificates/{code}", get(certificates::lookup))
        .route("/.well-known/jwks.json", get(certificates::jwks))
        .route("/issuer", get(certificates::issuer_profile))
        .route("/certificates/{code}/certificate.pdf", get(certificates::pdf))
        .route("/certificates/{code}/credential.jwt", get(certificates::credential))
        .route("/api/v1/verifications", post(organizations::verifications))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/org/roster.csv", get(organizations::roster_csv))
        .route("/org/verify/{id}/results.csv", get(organizations::bulk_csv))
        .route("/me/data.json", get(personal_data))
        .route("/teach/{course}/export.tar.gz", get(teaching::export))
        .route("/teach/{course}/learners.csv", get(teaching::learners_csv))
        .route("/teach/{course}/questions.csv", get(teaching::questions_csv))
        .route("/teach/programs/{program}/progress.csv", get(teaching::program_csv))
        .with_state(store.clone())
        .merge(pages)
        .layer(axum::middleware::from_fn(server_fn_status::restore_status))
        .layer(axum::middleware::from_fn(request_gate::admit))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(session_layer::Sessions {
                store,
                proxies: config.trusted_proxies,
                secure: https,
            }),
            session_layer::identify,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(origin_check::Policy::new(config.public_origin)),
            origin_check::refuse_cross_origin,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(security_headers::SecurityHeaders::new(https)),
            security_headers::add,
        ))
}

/// A handler that panicked (a bug, or a library's) still answers, with the
/// generic sentence; the panic itself is in the log.
fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("{}\n", holdspace_app::error::AppError::Internal),
    )
        .into_response()
}

/// A file for the browser to save, never to be cached by anyone else.
fn attachment(file_name: &str, content_type: &'static str, body: impl IntoResponse) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
    ];
    (headers, body).into_response()
}

/// `GET /me/data.json`: everything stored about the signed-in person.
async fn personal_data(
    State(store): State<Store>,
    signed_in: Option<axum::Extension<holdspace_app::port::SignedIn>>,
) -> Response {
    let Some(axum::Extension(signed_in)) = signed_in else {
        return axum::response::Redirect::to("/login?next=/me/privacy").into_response();
    };
    match store.personal_data(signed_in.viewer.user_id).await {
        Ok(json) => attachment("holdspace-my-data.json", "application/json", json),
        Err(error) => {
            tracing::error!(%error, "personal data export failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("{}\n", holdspace_app::error::AppError::Internal),
            )
                .into_response()
        }
    }
}

/// 200 once the database answers.
async fn healthz(State(store): State<Store>) -> (StatusCode, &'static str) {
    match store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}
