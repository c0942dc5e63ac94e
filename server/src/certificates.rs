//! Certificates: issued when a learner completes a program, looked up by
//! anyone by their code, revoked by the program's staff, and downloaded by
//! their holder as a PDF and a signed credential.

pub mod code;
pub mod credential;
pub mod data_integrity;
pub mod did;
mod holdings;
mod issuing;
pub mod linked_data;
pub mod pdf;
mod reissue;
mod revocation;
pub mod signing_keys;
mod state;
pub mod status_list;
mod suspension;
mod verification;

pub use holdings::{Download, held_by, own, wallet_credential};
pub use issuing::{Issuing, issue_if_complete, issue_if_program_complete};
pub use reissue::{REISSUE_REASON, reissue_under_current_name};
pub use revocation::{revoke, viewer_may_revoke};
pub use state::{StateFacts, StoredState, state_at};
pub use suspension::{reinstate, suspend};
pub use verification::{CertificateRow, certified_now, printed, verify, verify_many};
