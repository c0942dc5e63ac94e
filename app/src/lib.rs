//! Holdspace's user interface: server-rendered Leptos pages that work fully
//! without JavaScript, with a few islands that come alive in the browser.
//!
//! This crate never touches the database. It describes what it needs from
//! the server as one trait per area in [`ports`] (compiled with `ssr` only) and the
//! DTOs in [`dto`]; the server crate implements the trait.

pub mod api;
pub mod app;
pub mod components;
pub mod course_content;
pub mod dto;
pub mod error;
pub mod ids;
pub mod kinds;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
pub mod raw_text;

#[cfg(feature = "ssr")]
pub use app::unchanging_markup;
pub use app::{App, shell};

/// Where the quick-exit control goes: an ordinary, neutral page.
pub const QUICK_EXIT_URL: &str = "https://www.bbc.com/weather";

/// The browser entry point. Pages are plain HTML and forms; only the
/// islands (`#[island]`: the quick exit, the module editor's live preview)
/// come alive, so only their code is in the bundle.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
