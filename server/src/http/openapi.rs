//! `GET /api/v1/openapi.json`: the public API described for machines.
//!
//! Written by hand rather than derived (utoipa and friends): the public API
//! is four small endpoints, a derive would add a macro dependency tree to
//! every build and annotations to every handler and type, and the document
//! is held to the real responses anyway by the contract test
//! (`server/tests/integration/api_contract.rs`, schemathesis against a live
//! server).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The document, as served: relative `servers`, so it is right on any host.
pub const DOCUMENT: &str = include_str!("openapi.json");

pub async fn document() -> Response {
    let mut response = ([(header::CONTENT_TYPE, "application/json")], DOCUMENT).into_response();
    response
        .headers_mut()
        .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

#[cfg(test)]
mod tests {
    use super::DOCUMENT;

    /// Every public route is documented, and nothing else is.
    #[test]
    fn the_document_lists_the_public_routes() {
        let document: serde_json::Value = serde_json::from_str(DOCUMENT).expect("openapi.json is JSON");
        let paths: Vec<&str> = document["paths"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let router = include_str!("mod.rs");
        for path in &paths {
            assert!(
                router.contains(&format!(".route(\"{path}\"")),
                "{path} is documented but not routed"
            );
        }
        for public in ["/api/v1/", "/.well-known/", "/issuer", "/status/"] {
            for line in router
                .lines()
                .filter(|line| line.contains(&format!(".route(\"{public}")))
            {
                let path = line.split('"').nth(1).unwrap();
                assert!(paths.contains(&path), "{path} is routed but not documented");
            }
        }
    }
}
