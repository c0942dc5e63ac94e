//! Reports a request's database queries in `x-query-count` (only under
//! the hidden `serve --count-queries`, for the query budget tests; see
//! [`crate::db::query_count`]).

use crate::db::query_count::QueryCount;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

pub async fn report(mut request: Request, next: Next) -> Response {
    let count = QueryCount::default();
    request.extensions_mut().insert(count.clone());
    let mut response = count.clone().scope(next.run(request)).await;
    response
        .headers_mut()
        .insert("x-query-count", HeaderValue::from(count.get()));
    response
}
