//! The ports between the UI and the server (compiled with `ssr` only).
//!
//! The server crate depends on this one, so server functions here cannot
//! call into it directly; instead the server implements one trait per area
//! and hands them to Leptos as context ([`Ports`]). Every method takes the
//! id of the account the session established, where one matters; who may do
//! what with it is decided on the server (its `access` module), never here.
//! Nothing HTTP passes through them: a new session comes back as its token,
//! and the server functions make the cookie (`api::session_cookie`).

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

pub use account_admin::*;
pub use accounts::*;
pub use certificates::*;
pub use exams::*;
pub use following::*;
pub use learning::*;
pub use organizations::*;
pub use outcomes::*;
pub use practice::*;
pub use teaching::*;
pub use training::*;
pub use verifying::*;

use crate::dto::{UserId, Viewer};
use std::sync::Arc;

/// Every port, as Leptos context: one `Arc`, because it is cloned into
/// every request and every server function, and a dozen reference counts
/// that every core increments cost more than a request's own use of them.
#[derive(Clone)]
pub struct Ports(Arc<PortSet>);

impl Ports {
    pub fn new(set: PortSet) -> Self {
        Self(Arc::new(set))
    }
}

impl std::ops::Deref for Ports {
    type Target = PortSet;

    fn deref(&self) -> &PortSet {
        &self.0
    }
}

/// The ports themselves (see [`Ports`]).
pub struct PortSet {
    pub accounts: Arc<dyn Accounts>,
    pub account_admin: Arc<dyn AccountAdmin>,
    pub learning: Arc<dyn Learning>,
    pub exams: Arc<dyn Exams>,
    pub certificates: Arc<dyn Certificates>,
    pub teaching: Arc<dyn Teaching>,
    pub following: Arc<dyn Following>,
    pub practice: Arc<dyn Practice>,
    pub training: Arc<dyn Training>,
    pub organizations: Arc<dyn Organizations>,
    pub verifying: Arc<dyn Verifying>,
    pub outcomes: Arc<dyn OutcomesPort>,
    /// Served over HTTPS: session cookies get `Secure` and the `__Host-` prefix.
    pub https: bool,
}

/// Identifies the session a request came with (the hash of its token, never the token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionKey(pub Vec<u8>);

/// Who sent a request: put into the request's extensions by the server's session layer.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub viewer: Viewer,
    pub session: SessionKey,
}

impl SignedIn {
    pub fn user(&self) -> UserId {
        self.viewer.user_id
    }
}

/// The client's address as the server sees it (behind a trusted proxy, the
/// one it forwarded), in the request's extensions.
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);
