//! HTTP wiring: the Leptos app and its server functions, the plain routes
//! (files and the JSON API), and the layers every request passes through.

mod accept_encoding;
mod api;
pub mod assets;
pub mod client_address;
mod compression;
mod csv;
mod downloads;
mod errors;
mod openapi;
mod origin_check;
pub mod per_core;
mod public_cache;
mod query_count_header;
mod request_gate;
mod security_headers;
mod server_fn_status;
mod session_layer;

pub use compression::answer_carries;
pub use downloads::attachment;

use crate::site::Site;
use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use holdspace_app::{App, shell};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::Arc;

/// What the router needs besides the site.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    pub leptos: LeptosOptions,
    /// The site's public origin (`https://holdspace.example.org`), if known,
    /// accepted as the `Origin` of state-changing requests.
    pub public_origin: Option<String>,
    /// Reverse proxies whose `Forwarded`/`X-Forwarded-For` headers are believed.
    pub trusted_proxies: client_address::TrustedProxies,
    /// The browser bundle and stylesheet, read at start.
    pub assets: Arc<assets::Assets>,
    /// Report each request's database queries (`x-query-count`), for tests.
    pub count_queries: bool,
}

/// The whole site.
pub fn router(site: Site, config: HttpConfig) -> Router {
    let common_parts = Arc::new(compression::CommonParts::new(holdspace_app::unchanging_markup(
        config.leptos.clone(),
    )));
    let pages_state = PagesState(Arc::new(config.leptos));
    let routes = generate_route_list(App);
    let ports = site.ports();
    let provide = move || {
        provide_context(ports.clone());
        security_headers::provide_page_policy();
    };
    let pages = Router::new()
        .leptos_routes_with_context(&pages_state, routes, provide.clone(), {
            let options = pages_state.0.clone();
            move || shell(LeptosOptions::clone(&options))
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<PagesState, _>(
            provide, shell,
        ))
        .with_state(pages_state);
    let https = site.settings.https;

    let mut site_routes = Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/certificates/{code}", get(api::lookup))
        .route("/.well-known/jwks.json", get(api::jwks))
        .route("/.well-known/did.json", get(api::did_document))
        .route("/issuer", get(api::issuer_profile))
        .route("/issuer/keys/{kid}", get(api::issuer_key))
        .route("/status/{purpose}/{list}", get(api::status_list))
        .route("/api/v1/verifications", post(api::verifications))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/certificates/{code}/certificate.pdf", get(downloads::certificate_pdf))
        .route("/me/record.pdf", get(downloads::record_pdf))
        .route("/toolkit/{file}", get(downloads::toolkit_pdf))
        .route("/teach/guides/{file}", get(downloads::trainer_guide_pdf))
        .route("/certificates/{code}/credential.jwt", get(downloads::credential))
        .route(
            "/certificates/{code}/credential.json",
            get(downloads::linked_data_credential),
        )
        .route("/verify/{code}/credential.json", get(api::wallet_credential))
        .route("/org/roster.csv", get(downloads::roster_csv))
        .route("/org/verify/{id}/results.csv", get(downloads::bulk_csv))
        .route("/me/data.json", get(downloads::personal_data))
        .route("/teach/{course}/export.tar.gz", get(downloads::course_export))
        .route("/teach/{course}/learners.csv", get(downloads::learners_csv))
        .route("/teach/{course}/questions.csv", get(downloads::questions_csv))
        .route("/teach/programs/{program}/progress.csv", get(downloads::program_csv))
        .with_state(site.clone())
        .merge(pages)
        .layer(axum::middleware::from_fn(server_fn_status::restore_status))
        .layer(axum::middleware::from_fn(request_gate::admit))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(public_cache::PublicCache::default()),
            public_cache::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(session_layer::Sessions::new(site, config.trusted_proxies, https)),
            session_layer::identify,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(origin_check::Policy::new(config.public_origin)),
            origin_check::refuse_cross_origin,
        ));
    if config.count_queries {
        site_routes = site_routes.layer(axum::middleware::from_fn(query_count_header::report));
    }
    site_routes
        // Added after the layers above, so the bundle never meets sessions,
        // throttles or the database; those below still apply.
        .merge(
            Router::new()
                .route("/pkg/{file}", get(assets::serve))
                .with_state(config.assets),
        )
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(security_headers::SecurityHeaders::new(https)),
            security_headers::add,
        ))
        // Outermost, so every answer is compressed once (see `compression`).
        .layer(axum::middleware::from_fn_with_state(common_parts, compression::compress))
}

/// The pages' state: Leptos's options behind one `Arc`. axum clones a
/// route's state with its handler for every request, and Leptos clones it
/// again into each page's context; `LeptosOptions` itself is half a dozen
/// reference counts, which both cores then increment and decrement on every
/// page (3.7% of a module page's time, measured with perf).
#[derive(Clone)]
struct PagesState(Arc<LeptosOptions>);

impl FromRef<PagesState> for LeptosOptions {
    fn from_ref(state: &PagesState) -> Self {
        LeptosOptions::clone(&state.0)
    }
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

/// 200 once the database answers.
async fn healthz(State(site): State<Site>) -> (StatusCode, &'static str) {
    match site.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}
