//! The background sender: claims due messages, delivers them, records how
//! it went. Several server instances may run one each on a shared database.

use super::letter::Letter;
use super::outbox::{self, Claimed};
use super::transport::MailSettings;
use crate::db::Database;
use crate::error::ServerResult;
use std::sync::Arc;

/// Messages claimed at a time.
const BATCH: i64 = 20;
/// How often an idle sender looks for due messages.
const IDLE_POLL: std::time::Duration = std::time::Duration::from_secs(1);

/// Delivers what is due now; returns how many were tried.
pub async fn deliver_due(db: &Database, mail: &MailSettings) -> ServerResult<usize> {
    if !db.run(outbox::any_due).await? {
        return Ok(0);
    }
    let claimed = db.write(|conn, now| outbox::claim(conn, BATCH, now)).await?;
    let tried = claimed.len();
    for message in claimed {
        let result = deliver(mail, &message).await;
        let id = message.id;
        match result {
            Ok(()) => db.write(move |conn, now| outbox::mark_sent(conn, id, now)).await?,
            Err(error) => {
                tracing::warn!(outbox = %id, tries = message.tries, %error, "a message could not be sent; it will be retried");
                let tries = message.tries;
                db.write(move |conn, now| outbox::mark_failed(conn, id, tries, &error, now))
                    .await?;
            }
        }
    }
    Ok(tried)
}

async fn deliver(mail: &MailSettings, message: &Claimed) -> Result<(), String> {
    let letter: Letter = serde_json::from_str(&message.letter).map_err(|e| format!("unreadable message: {e}"))?;
    let email = mail.message(message.id.0, &message.to_address, letter.body(&mail.base_url))?;
    mail.transport.deliver(message.id.0, email).await
}

/// How often reminders and digests are looked for.
const REMINDER_PASS: std::time::Duration = std::time::Duration::from_secs(600);

/// Runs until the process ends: writes the reminders that fell due (at
/// start, then every ten minutes), and sends what is waiting.
pub async fn run_sender(db: Database, mail: Arc<MailSettings>) {
    let mut last_pass: Option<tokio::time::Instant> = None;
    loop {
        if last_pass.is_none_or(|at| at.elapsed() >= REMINDER_PASS) {
            if let Err(error) = db.write(super::reminders::enqueue_due).await {
                tracing::warn!(%error, "could not write the reminders that are due");
            }
            last_pass = Some(tokio::time::Instant::now());
        }
        match deliver_due(&db, &mail).await {
            Ok(0) => tokio::time::sleep(IDLE_POLL).await,
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, "the mail sender could not reach the database");
                tokio::time::sleep(IDLE_POLL * 5).await;
            }
        }
    }
}
