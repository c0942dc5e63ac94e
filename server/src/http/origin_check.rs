//! Refuses state-changing requests that come from another site.
//!
//! Server functions are ordinary POST endpoints with no CSRF token. Browsers
//! say where a request came from in `Sec-Fetch-Site` (all current ones) or
//! `Origin`; a cross-site form post is refused before it reaches a handler.
//! Requests with neither header come from non-browser clients, which carry
//! no victim's cookies, and are let through.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

#[derive(Debug)]
pub struct Policy {
    public_origin: Option<String>,
}

impl Policy {
    pub fn new(public_origin: Option<String>) -> Self {
        Self {
            public_origin: public_origin.map(|o| o.trim_end_matches('/').to_owned()),
        }
    }

    fn allows(&self, method: &Method, headers: &HeaderMap) -> bool {
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
            return true;
        }
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        if let Some(site) = text("sec-fetch-site") {
            return site == "same-origin" || site == "none";
        }
        let Some(origin) = text(header::ORIGIN.as_str()) else {
            return true;
        };
        if self.public_origin.as_deref() == Some(origin) {
            return true;
        }
        let Some(host) = text(header::HOST.as_str()) else {
            return false;
        };
        origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            == Some(host)
    }
}

pub async fn refuse_cross_origin(State(policy): State<Arc<Policy>>, request: Request, next: Next) -> Response {
    if policy.allows(request.method(), request.headers()) {
        return next.run(request).await;
    }
    (
        StatusCode::FORBIDDEN,
        "This request came from another website, so Holdspace did not act on it. \
         If you meant to do this, please go back to Holdspace and try again there.\n",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn reads_are_always_allowed() {
        let policy = Policy::new(None);
        assert!(policy.allows(&Method::GET, &headers(&[("sec-fetch-site", "cross-site")])));
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        let policy = Policy::new(None);
        assert!(policy.allows(&Method::POST, &headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!policy.allows(&Method::POST, &headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!policy.allows(&Method::POST, &headers(&[("sec-fetch-site", "same-site")])));
    }

    #[test]
    fn origin_must_match_the_host_or_the_public_origin() {
        let policy = Policy::new(Some("https://learn.example.org/".into()));
        let post = |pairs| policy.allows(&Method::POST, &headers(pairs));
        assert!(post(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]));
        assert!(post(&[
            ("origin", "https://learn.example.org"),
            ("host", "10.0.0.5:3000")
        ]));
        assert!(!post(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")]));
        assert!(!post(&[("origin", "null"), ("host", "127.0.0.1:3000")]));
    }

    #[test]
    fn clients_that_are_not_browsers_pass() {
        assert!(Policy::new(None).allows(&Method::POST, &HeaderMap::new()));
    }
}
