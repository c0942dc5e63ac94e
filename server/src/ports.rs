//! The server's side of the app's ports: each area's trait implemented for
//! [`crate::site::Site`], turning the acting account and the form's values
//! into calls of the areas' functions, in a transaction where they write.

mod account_admin;
mod accounts;
mod certificates;
mod exams;
mod following;
mod learning;
mod organizations;
mod outcomes;
mod practice;
mod teaching;
mod training;
mod verifying;
