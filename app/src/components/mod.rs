//! Pieces shared by several pages.

pub mod layout;
pub mod notice;
pub mod progress;
pub mod route_param;
