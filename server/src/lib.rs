//! The Holdspace server: HTTP wiring, sessions, the Diesel store, grading,
//! course files and the command line. It implements the app crate's port
//! and never builds HTML itself: pages come from the app crate.

pub mod access;
pub mod account_fields;
pub mod certificate_code;
pub mod certificate_pdf;
pub mod cli;
pub mod clock;
pub mod code_list;
pub mod course_archive;
pub mod course_diff;
pub mod course_files;
pub mod course_rules;
pub mod course_statistics;
pub mod credential;
pub mod db;
pub mod draft_edit;
pub mod gift;
pub mod grading;
pub mod http;
pub mod markdown;
pub mod outcomes;
pub mod password;
pub mod roster_csv;
pub mod roster_import;
pub mod session_token;
pub mod signing_keys;
pub mod store;
pub mod throttle;
