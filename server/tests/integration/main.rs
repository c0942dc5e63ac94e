//! The integration tests: the real `holdspace` binary on a random port
//! against a real database, spoken to over HTTP with a cookie jar.
//!
//! One test binary, not one per file: each binary links the whole server,
//! and seven of them cost minutes of linking and gigabytes of disk.

mod builders;
mod nginx;
mod smtp;
mod support;

mod account_admin;
mod address_change;
mod api_contract;
mod assessment;
mod assets;
mod authoring;
mod certificate_states;
mod certificates;
mod cli;
mod compression;
mod curriculum;
mod following;
mod hostile_input;
mod instances;
mod item_strategies;
mod learning_loop;
mod mail;
mod mail_reminders;
mod name_change;
mod organizations;
mod outcomes;
mod practice;
mod printables;
mod privacy;
mod public_cache;
mod query_budget;
mod reflections;
mod security;
mod site_header;
mod status_lists;
mod training;
mod wallets;
