//! Mail. A message is written to the outbox in the same transaction as the
//! event that causes it (so a rolled-back event sends nothing, and a
//! committed one is never forgotten), and a background sender delivers it
//! later, retrying with backoff.
//!
//! A survivor's mailbox may be read by someone who harms them: every message
//! has the same neutral sender name and subject (both configurable), plain
//! text only, and nothing about courses, scores or trauma in its first lines.

mod letter;
mod outbox;
pub mod reminders;
mod sender;
mod transport;

pub use letter::{Letter, LetterClass};
pub use outbox::{FAILING_AFTER, MailStatus, enqueue, status, sweep};
pub use sender::{deliver_due, run_sender};
pub use transport::{MailSettings, Transport};
