//! Headers every response carries.
//!
//! The content security policy allows images from this site only, so that
//! even a sanitizer slip cannot load a tracking pixel, and no inline script
//! at all except the ones Leptos writes into a page (its hydration
//! bootstrap and resolved data), which carry that response's nonce (or, on
//! a public page kept for reuse, are named by their digest): a script that
//! someone's text smuggled into a page has neither and does not run.
//! Inline `style` attributes stay allowed (progress bars and charts are
//! drawn with them); they cannot run code.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The policy without the script part, which differs between pages and the rest.
const POLICY_REST: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
                           frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

/// Responses that are not pages (files, JSON, errors) run no inline script at all.
fn policy_without_inline_scripts() -> String {
    format!("{POLICY_REST}; script-src 'self' 'wasm-unsafe-eval'")
}

/// A page's policy: its own inline scripts, marked with `nonce`, may run.
pub fn page_policy(nonce: &str) -> String {
    policy_allowing(&format!("'nonce-{nonce}'"))
}

/// A kept page's policy: the inline scripts with these SHA-256 digests
/// (base64) may run, and no other (see [`super::public_cache`]).
pub fn page_policy_for_digests<'a>(digests: impl IntoIterator<Item = &'a str>) -> String {
    let sources: Vec<String> = digests.into_iter().map(|d| format!("'sha256-{d}'")).collect();
    policy_allowing(&sources.join(" "))
}

fn policy_allowing(scripts: &str) -> String {
    format!("{POLICY_REST}; script-src 'self' {scripts} 'wasm-unsafe-eval'")
}

/// Gives the page being rendered its policy, with the nonce Leptos put on
/// its inline scripts. Called from the Leptos context of every page.
pub fn provide_page_policy() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

const FIXED: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    // Same-origin referrers only: a plain form post needs one to come back to
    // the page it was sent from, and no other site should learn where a
    // learner was.
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
    (
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    ),
];

/// What the site's address makes necessary.
#[derive(Debug)]
pub struct SecurityHeaders {
    /// Served over HTTPS: browsers are told to never use plain HTTP again.
    pub https: bool,
    default_policy: HeaderValue,
}

impl SecurityHeaders {
    pub fn new(https: bool) -> Self {
        let default_policy =
            HeaderValue::from_str(&policy_without_inline_scripts()).expect("the policy is a valid header value");
        Self { https, default_policy }
    }
}

pub async fn add(State(config): State<Arc<SecurityHeaders>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let not_modified = response.status() == StatusCode::NOT_MODIFIED;
    let headers = response.headers_mut();
    // A 304's headers replace those of the browser's copy: a policy here
    // would replace the one whose nonce that copy's scripts carry.
    if !not_modified {
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(config.default_policy.clone());
    }
    for (name, value) in FIXED {
        headers
            .entry(HeaderName::from_static(name))
            .or_insert(HeaderValue::from_static(value));
    }
    if config.https {
        // Two years, the length browsers' preload lists ask for.
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_policy_allows_inline_scripts_without_a_nonce() {
        for policy in [
            policy_without_inline_scripts(),
            page_policy("abc123"),
            page_policy_for_digests(["ZGlnZXN0"]),
        ] {
            let scripts = policy.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
            assert!(!scripts.contains("unsafe-inline"), "{policy}");
        }
        assert!(page_policy("abc123").contains("'nonce-abc123'"));
        assert!(page_policy_for_digests(["ZGlnZXN0"]).contains("'sha256-ZGlnZXN0'"));
    }
}
