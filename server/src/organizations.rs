//! Organizations: who runs them, who joined them, and what they may see.
//!
//! An organization sees a learner only through a `memberships` row, which
//! only the learner creates (by accepting an invitation) and which leaving
//! deletes. Every operation of an organization admin starts from
//! [`crate::access::org_admin`], which finds the organization from the
//! acting account: no organization id ever comes from a request.

pub mod api_tokens;
pub mod bulk;
pub mod code_list;
mod invitations;
mod memberships;
mod roster;
pub mod roster_import;
mod setup;

pub use invitations::{accept, import_roster, invitation_preview, invite, withdraw_invitation};
pub use memberships::{leave, memberships_of};
pub use roster::roster;
pub use setup::{add_admin, create, list};

use crate::db::DbConnection;
use crate::error::ServerResult;
use chrono::NaiveDateTime;

/// Deletes bulk results past their day and invitations nobody will use.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> ServerResult<()> {
    bulk::sweep(conn, now)?;
    invitations::sweep(conn, now)
}

fn subject(slug: &str) -> String {
    format!("organization:{slug}")
}
