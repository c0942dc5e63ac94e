//! The Holdspace server: HTTP wiring, the areas of the site (accounts,
//! learning, programs, exams, certificates, authoring, following,
//! organizations, outcomes, privacy), each with its logic and its Diesel queries side by
//! side, the ports that hand them to the app crate, and the command line.
//! It never builds HTML itself: pages come from the app crate.
//!
//! Areas depend downwards only: accounts and learning know nothing of
//! certificates; programs reads learning; exams read programs and share
//! learning's sittings; certificates read programs and exams;
//! following, organizations, outcomes and privacy read the rest; the ports
//! compose them (a passed quiz that completes a program issues its
//! certificate in the same transaction). Who may do what is `access`.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod authoring;
pub mod certificates;
pub mod cli;
pub mod clock;
pub mod dates;
pub mod db;
pub mod error;
pub mod exams;
pub mod following;
pub mod http;
pub mod learning;
pub mod mail;
pub mod markdown;
pub mod organizations;
pub mod outcomes;
pub mod ports;
pub mod practice;
pub mod pre_deflated;
pub mod printables;
pub mod privacy;
pub mod programs;
pub mod record;
pub mod site;
pub mod training;
