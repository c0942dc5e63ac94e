//! Reading the request a server function runs in.

use crate::dto::Viewer;
use crate::error::AppError;
use crate::port::{Backend, ClientInfo, PeerAddress, SessionKey, SignedIn, Store};
use http::request::Parts;
use leptos::prelude::*;
use std::sync::Arc;

pub(crate) fn store() -> Result<Arc<dyn Store>, AppError> {
    use_context::<Backend>().map(|backend| backend.0).ok_or_else(|| {
        tracing::error!("no store in the Leptos context");
        AppError::Internal
    })
}

fn signed_in() -> Option<SignedIn> {
    use_context::<Parts>()?.extensions.get::<SignedIn>().cloned()
}

/// The signed-in person, if any.
pub(crate) fn viewer() -> Option<Viewer> {
    signed_in().map(|s| s.viewer)
}

/// The signed-in person, or the error that asks them to log in.
pub(crate) fn require_viewer() -> Result<Viewer, AppError> {
    viewer().ok_or(AppError::NotSignedIn)
}

pub(crate) fn session_key() -> Option<SessionKey> {
    signed_in().map(|s| s.session)
}

pub(crate) fn client_info() -> ClientInfo {
    let address = use_context::<Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<PeerAddress>()
                .map(|peer| peer.0.clone())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    ClientInfo { address, previous_session: session_key() }
}

/// Sends `location` as a redirect (a 302 for plain forms, client-side navigation with JS).
pub(crate) fn redirect_to(location: &str) {
    leptos_axum::redirect(location);
}

/// Sets a `Set-Cookie` header on the response.
pub(crate) fn set_cookie(value: &str) -> Result<(), AppError> {
    let header = http::HeaderValue::from_str(value).map_err(|_| AppError::Internal)?;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(http::header::SET_COOKIE, header);
    }
    Ok(())
}

/// A cookie the request came with.
pub(crate) fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<Parts>()?;
    parts.headers.get_all(http::header::COOKIE).iter().filter_map(|value| value.to_str().ok()).flat_map(|line| line.split(';')).find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then(|| value.to_owned())
    })
}

/// The bytes of the multipart fields named in `fields`, in the order sent,
/// a line break between two (`None` if all are empty or absent); refused
/// with `too_large` past `max` bytes.
pub(crate) async fn read_upload(data: server_fn::codec::MultipartData, fields: &[&str], max: usize, too_large: &str) -> Result<Option<Vec<u8>>, AppError> {
    let mut data = data.into_inner().ok_or(AppError::BadRequest)?;
    let mut bytes = Vec::new();
    while let Ok(Some(mut field)) = data.next_field().await {
        if !field.name().is_some_and(|name| fields.contains(&name)) {
            continue;
        }
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        while let Ok(Some(chunk)) = field.chunk().await {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > max {
                return Err(AppError::invalid(too_large));
            }
        }
    }
    Ok((!bytes.is_empty()).then_some(bytes))
}

/// A same-site path to go to after signing in; anything else becomes `/me`.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path.to_owned(),
        _ => "/me".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_only_stays_on_this_site() {
        assert_eq!(safe_next(Some("/courses/a")), "/courses/a");
        assert_eq!(safe_next(Some("//evil.example/")), "/me");
        assert_eq!(safe_next(Some("https://evil.example/")), "/me");
        assert_eq!(safe_next(Some("/\\evil.example")), "/me");
        assert_eq!(safe_next(None), "/me");
    }
}
