//! Pieces shared by several pages.

pub mod bar_chart;
pub mod day;
pub mod field_problem;
pub mod layout;
pub mod loaded;
pub mod notice;
pub mod period_chart;
pub mod place;
pub mod progress;
pub mod quiz_questions;
pub mod route_param;
pub mod score_chart;
pub mod scroll_table;
pub mod version_diff;
