//! Server functions: the UI's only way to reach the server.
//!
//! Each is a public HTTP endpoint, so each decides for itself, from the
//! session, who is asking and what they may touch. State-changing ones are
//! POST (the default) and the server refuses them from another origin.

pub mod account;
pub mod account_admin;
pub mod auth;
pub mod certificates;
pub mod exams;
pub mod following;
pub mod learning;
pub mod organizations;
pub mod outcomes;
pub mod practice;
#[cfg(feature = "ssr")]
pub(crate) mod request;
#[cfg(feature = "ssr")]
pub use request::safe_local_path;
#[cfg(feature = "ssr")]
pub mod session_cookie;
pub mod teaching;
pub mod training;
