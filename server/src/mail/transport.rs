//! Where messages go: an SMTP server, or (with none configured) `.eml`
//! files under the data directory, which an operator can open or forward.

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// How long one SMTP exchange may take before it counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl Transport {
    /// An SMTP transport from a URL: `smtps://` (TLS), `smtp+starttls://`
    /// (STARTTLS required) or `smtp://` (plain, for a relay on the same
    /// host), each with optional `user:password@`.
    pub fn smtp(url: &str) -> Result<Transport, String> {
        let url = match url.strip_prefix("smtp+starttls://") {
            Some(rest) => {
                let joiner = if rest.contains('?') { '&' } else { '?' };
                format!("smtp://{rest}{joiner}tls=required")
            }
            None if url.starts_with("smtps://") || url.starts_with("smtp://") => url.to_owned(),
            None => return Err("the SMTP URL must start with smtps://, smtp+starttls:// or smtp://".into()),
        };
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| format!("the SMTP URL cannot be used: {e}"))?;
        Ok(Transport::Smtp(builder.timeout(Some(SMTP_TIMEOUT)).build()))
    }

    /// Delivers one message; `id` names its file when writing files, so a
    /// second write after a restart replaces the first instead of adding one.
    pub async fn deliver(&self, id: i64, message: Message) -> Result<(), String> {
        match self {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Transport::Files(dir) => {
                let dir = dir.clone();
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || {
                    std::fs::create_dir_all(&dir)?;
                    let path = dir.join(format!("{id:010}.eml"));
                    let partial = dir.join(format!("{id:010}.eml.partial"));
                    std::fs::write(&partial, bytes)?;
                    std::fs::rename(partial, path)
                })
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())
            }
        }
    }
}

/// How the site sends mail.
pub struct MailSettings {
    pub transport: Transport,
    /// The sender, with its neutral display name.
    pub from: Mailbox,
    /// The one subject every message has.
    pub subject: String,
    /// The site's public address, put in front of every link.
    pub base_url: String,
}

impl MailSettings {
    pub fn new(
        transport: Transport,
        from_address: &str,
        sender_name: &str,
        subject: &str,
        base_url: &str,
    ) -> Result<Self, String> {
        let address: Address = from_address
            .parse()
            .map_err(|e| format!("--mail-from {from_address:?} is not an email address: {e}"))?;
        Ok(MailSettings {
            transport,
            from: Mailbox::new(Some(sender_name.to_owned()), address),
            subject: subject.to_owned(),
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The message for `body`, to `to`. Its Message-ID names the outbox row,
    /// so a copy delivered twice can be recognised.
    pub fn message(&self, id: i64, to: &str, body: String) -> Result<Message, String> {
        let to: Address = to.parse().map_err(|e| format!("bad recipient address: {e}"))?;
        Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(self.subject.clone())
            .message_id(Some(format!("<outbox-{id}@{}>", self.from.email.domain())))
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_schemes_are_understood_and_others_refused() {
        for url in [
            "smtps://u:p@mail.example.org",
            "smtp+starttls://mail.example.org:587",
            "smtp://127.0.0.1:2525",
        ] {
            assert!(Transport::smtp(url).is_ok(), "{url}");
        }
        assert!(Transport::smtp("http://mail.example.org").is_err());
    }

    #[test]
    fn a_hostile_name_cannot_add_headers() {
        let settings = MailSettings::new(
            Transport::Files(PathBuf::from("/nonexistent")),
            "learn@example.org",
            "Learning account",
            "Your learning account",
            "https://learn.example.org/",
        )
        .unwrap();
        let message = settings
            .message(7, "ana@example.org", "Hello Ana\r\nBcc: eve@example.org\r\n".into())
            .unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        let headers = text.split("\r\n\r\n").next().unwrap();
        assert!(!headers.contains("Bcc"), "{headers}");
        assert!(headers.contains("Subject: Your learning account"), "{headers}");
        assert!(headers.contains("Message-ID: <outbox-7@example.org>"), "{headers}");
        assert_eq!(settings.base_url, "https://learn.example.org");
    }
}
