//! The session cookie: its name and flags. It carries the session's token,
//! which the server stores only as a hash.
//!
//! With HTTPS the name gets the `__Host-` prefix, which browsers accept
//! only with `Secure`, `Path=/` and no `Domain`, so that neither a plain
//! HTTP page nor a sibling domain can plant one; the server then accepts
//! only that name.

/// The cookie's name.
pub fn name(https: bool) -> &'static str {
    if https {
        "__Host-holdspace_session"
    } else {
        "holdspace_session"
    }
}

/// How long the cookie lives in the browser; the server ends a session
/// sooner if it is idle (see the server's session rules).
pub const MAX_AGE_SECONDS: i64 = 24 * 60 * 60;

/// `Set-Cookie` for a new session.
pub fn set(token: &str, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={MAX_AGE_SECONDS}{secure}",
        name(https)
    )
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear(https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}", name(https))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_lax_and_secure_over_https() {
        let plain = set("abc", false);
        assert!(plain.starts_with("holdspace_session=abc; Path=/; HttpOnly; SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        let secure = set("abc", true);
        assert!(secure.starts_with("__Host-holdspace_session=abc;"));
        assert!(secure.ends_with("; Secure"));
        assert!(clear(false).contains("Max-Age=0"));
    }
}
