//! Reading the request a server function runs in.

use crate::dto::Viewer;
use crate::error::AppError;
use crate::ports::{Client, ClientAddress, Ports, SessionKey, SignedIn};
use http::request::Parts;
use leptos::prelude::*;

/// The server's ports, as context.
pub(crate) fn ports() -> Result<Ports, AppError> {
    use_context::<Ports>().ok_or_else(|| {
        tracing::error!("no ports in the Leptos context");
        AppError::Internal
    })
}

/// Reads from the request in place: `use_context::<Parts>()` would clone the
/// whole request, every header and extension, each time a page asks.
fn from_request<T>(read: impl FnOnce(&Parts) -> Option<T>) -> Option<T> {
    with_context::<Parts, _>(read).flatten()
}

fn signed_in() -> Option<SignedIn> {
    from_request(|parts| parts.extensions.get::<SignedIn>().cloned())
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

/// The request's client address and session, for account policies.
pub(crate) fn client() -> Client {
    let address = from_request(|parts| parts.extensions.get::<ClientAddress>().map(|client| client.0.clone()))
        .unwrap_or_else(|| "unknown".to_owned());
    Client {
        address,
        previous_session: session_key(),
    }
}

/// Sends `location` as a redirect: a 302 for a form post, a client-side navigation for a call made from an island.
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
    from_request(|parts| {
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|line| line.split(';'))
            .find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                (key == name).then(|| value.to_owned())
            })
    })
}

/// The bytes of the multipart fields named in `fields`, in the order sent,
/// a line break between two (`None` if all are empty or absent); refused
/// with `too_large` past `max` bytes.
pub(crate) async fn read_upload(
    data: server_fn::codec::MultipartData,
    fields: &[&str],
    max: usize,
    too_large: &str,
) -> Result<Option<Vec<u8>>, AppError> {
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
    next.and_then(safe_local_path).unwrap_or("/me").to_owned()
}

/// `path` if it is a plain path on this site, else `None`.
///
/// A `next=` address comes from a link anyone can craft, and a browser
/// reads more into a URL than its text shows: it drops tabs and line
/// breaks (`/%09/evil.example` is `//evil.example`), reads `\` as `/`, and
/// a line break in a `Location` header cannot even be sent. So only printable
/// ASCII without backslashes is accepted, starting with exactly one `/`.
pub fn safe_local_path(path: &str) -> Option<&str> {
    const MAX_LENGTH: usize = 2_048;
    let printable = path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    let rooted = path.starts_with('/') && !path.starts_with("//");
    (printable && rooted && path.len() <= MAX_LENGTH).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::{safe_local_path, safe_next};

    /// Open-redirect payloads: PayloadsAllTheThings' "Open Redirect"
    /// filter-bypass list, OWASP's unvalidated-redirects cheat sheet, and the
    /// two of the security review (`/%09/…`, `/%0A`), here as the form
    /// decoder hands them over.
    const OPEN_REDIRECTS: &[&str] = &[
        "//evil.example",
        "///evil.example",
        "////evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "/\n",
        "\t//evil.example",
        " //evil.example",
        "/ /evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "\\/evil.example",
        "https://evil.example",
        "https:evil.example",
        "https:/evil.example",
        "//evil.example@holdspace.example",
        "evil.example",
        "@evil.example",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "/\u{3031}evil.example",
        "/\u{ff0f}evil.example",
        "\u{ff0f}\u{ff0f}evil.example",
        "/\u{0}/evil.example",
        "/\u{7f}/evil.example",
        "",
    ];

    #[test]
    fn open_redirect_payloads_stay_on_this_site() {
        for payload in OPEN_REDIRECTS {
            assert_eq!(safe_local_path(payload), None, "{payload:?}");
            assert_eq!(safe_next(Some(payload)), "/me", "{payload:?}");
        }
    }

    #[test]
    fn plain_local_paths_are_kept() {
        assert_eq!(safe_next(Some("/courses/a")), "/courses/a");
        assert_eq!(safe_next(Some("/join/abc?x=1&y=%2F%2Fz")), "/join/abc?x=1&y=%2F%2Fz");
        assert_eq!(safe_next(None), "/me");
    }

    proptest::proptest! {
        /// Whatever `next` says, the redirect stays a plain path on this site.
        #[test]
        fn every_next_is_a_local_path(next in "[ \t\n\r/\\\\a-z.:@%?#=\u{3000}-\u{3031}\u{ff0f}]{0,30}") {
            let path = safe_next(Some(&next));
            proptest::prop_assert!(path.starts_with('/') && !path.starts_with("//"), "{:?} -> {:?}", next, path);
            proptest::prop_assert!(path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\'), "{:?}", path);
            proptest::prop_assert!(http::HeaderValue::from_str(&path).is_ok(), "a Location header can carry {:?}", path);
        }
    }
}
