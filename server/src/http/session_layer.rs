//! Turns the session cookie into a [`SignedIn`] in the request's extensions,
//! where server functions and pages find it, and records the client's
//! address (see [`super::client_address`]).
//!
//! Whatever is sent back to a signed-in person depends on who they are, so
//! it is marked `no-store`: no shared cache, and no browser's back button on
//! a shared computer, keeps a copy.

use super::client_address::TrustedProxies;
use crate::accounts::session_cache::SessionCache;
use crate::accounts::sessions;
use crate::site::Site;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use holdspace_app::api::session_cookie;
use holdspace_app::ports::{ClientAddress, SessionKey, SignedIn};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

/// What identifying a request needs.
pub struct Sessions {
    site: Site,
    proxies: TrustedProxies,
    /// Served over HTTPS: only the `__Host-` cookie is accepted, which a
    /// plain-HTTP page or a sibling domain cannot set.
    secure: bool,
    cache: SessionCache,
}

impl Sessions {
    pub fn new(site: Site, proxies: TrustedProxies, secure: bool) -> Self {
        Self {
            site,
            proxies,
            secure,
            cache: SessionCache::default(),
        }
    }

    /// Who the token signs in, from the cache while its answer is fresh.
    async fn look_up(&self, token: &str) -> Option<SignedIn> {
        let key = SessionKey(sessions::token_hash(token));
        let now = Instant::now();
        if let Some(known) = self.cache.get(&key.0, now) {
            return known;
        }
        let db = &self.site.db;
        let looked_up = db
            .read({
                let key = key.clone();
                move |conn, now| sessions::resolve(conn, key, now)
            })
            .await;
        match looked_up {
            Ok((found, upkeep)) => {
                if let Some(upkeep) = upkeep
                    && let Err(error) = db.write(move |conn, now| sessions::keep_up(conn, &upkeep, now)).await
                {
                    // The answer stands; the write is tried again next time.
                    tracing::warn!(%error, "could not update a session");
                }
                self.cache.remember(key.0, found.clone(), now);
                found
            }
            // Treated as signed out; the page still renders.
            Err(error) => {
                tracing::error!(%error, "could not look up a session");
                None
            }
        }
    }
}

/// Static assets and the public machine endpoints (verification API, keys)
/// need no session; skipping them saves a database read each.
fn needs_session(path: &str) -> bool {
    !(path.starts_with("/pkg/")
        || path.starts_with("/api/v1/")
        || path.starts_with("/.well-known/")
        || path == "/favicon.ico"
        || path == "/healthz")
}

fn session_token(request: &Request, secure: bool) -> Option<String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == session_cookie::name(secure))
        .map(|c| c.value().to_owned())
}

pub async fn identify(State(layer): State<Arc<Sessions>>, mut request: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let client = layer.proxies.client_address(peer.ip(), request.headers());
        request.extensions_mut().insert(ClientAddress(client.to_string()));
    }
    let mut signed_in = false;
    if needs_session(request.uri().path())
        && let Some(token) = session_token(&request, layer.secure)
        && let Some(found) = layer.look_up(&token).await
    {
        request.extensions_mut().insert::<SignedIn>(found);
        signed_in = true;
    }
    let changes_state = !request.method().is_safe();
    let mut response = next.run(request).await;
    if changes_state {
        layer.cache.forget_all();
    }
    let headers = response.headers_mut();
    if signed_in {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    if is_page(headers) {
        headers.append(header::VARY, HeaderValue::from_static("Cookie"));
    }
    response
}

/// Pages differ by who is signed in, so a cache must key them by cookie too.
fn is_page(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"))
}
