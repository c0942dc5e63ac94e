//! One page per file.

pub mod admin_organizations;
pub mod attempt;
pub mod catalog;
pub mod course;
pub mod dashboard;
pub mod exam;
pub mod exam_attempt;
pub mod join;
pub mod login;
pub mod module;
pub mod not_found;
pub mod org_roster;
pub mod org_tokens;
pub mod org_verify;
pub mod outcomes;
pub mod privacy;
pub mod quiz;
pub mod register;
pub mod resources;
pub mod teach;
pub mod teach_course;
pub mod teach_history;
pub mod teach_learners;
pub mod teach_module;
pub mod teach_program;
pub mod verify;
