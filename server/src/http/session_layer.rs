//! Turns the session cookie into a [`SignedIn`] in the request's extensions,
//! where server functions and pages find it.

use crate::session_token;
use crate::store::Store;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use holdspace_app::port::PeerAddress;
use std::net::SocketAddr;

/// Static assets and the public machine endpoints (verification API, keys)
/// need no session; skipping them saves a database read each.
fn needs_session(path: &str) -> bool {
    !(path.starts_with("/pkg/")
        || path.starts_with("/api/v1/")
        || path.starts_with("/.well-known/")
        || path == "/favicon.ico"
        || path == "/healthz")
}

fn session_token(request: &Request) -> Option<String> {
    request
        .headers()
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == session_token::cookie_name(true) || c.name() == session_token::cookie_name(false))
        .map(|c| c.value().to_owned())
}

pub async fn identify(State(store): State<Store>, mut request: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        request.extensions_mut().insert(PeerAddress(peer.ip().to_string()));
    }
    if needs_session(request.uri().path())
        && let Some(token) = session_token(&request)
    {
        match store.resolve_session(&token).await {
            Ok(Some(signed_in)) => {
                request.extensions_mut().insert(signed_in);
            }
            Ok(None) => {}
            // Treated as signed out; the page still renders.
            Err(error) => tracing::error!(%error, "could not look up a session"),
        }
    }
    next.run(request).await
}
