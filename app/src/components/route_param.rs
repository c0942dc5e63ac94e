//! Reading route parameters.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A reactive getter for one route parameter (empty when absent).
pub fn route_param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}
