//! A real SMTP server for the mail tests: Python's aiosmtpd, delivering
//! into a Maildir that the test reads.

use crate::support::{Browser, TestServer};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SmtpServer {
    process: Child,
    pub port: u16,
    maildir: tempfile::TempDir,
}

/// A delivered message, its body decoded.
#[derive(Clone, Debug)]
pub struct Mail {
    pub from: String,
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub body: String,
}

impl Mail {
    /// The first link in the body to a path starting with `prefix`, as a path.
    pub fn link(&self, prefix: &str) -> String {
        let start = self
            .body
            .find(prefix)
            .unwrap_or_else(|| panic!("no {prefix} link in:\n{}", self.body));
        self.body[start..].split_whitespace().next().unwrap().to_owned()
    }
}

/// A free port on loopback (free when asked: bound and released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn python() -> &'static str {
    // Debian's python3 has the packaged aiosmtpd; a python3 earlier on
    // PATH (pyenv) may not.
    if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

impl SmtpServer {
    pub fn start() -> Self {
        Self::start_on(free_port())
    }

    pub fn start_on(port: u16) -> Self {
        let maildir = tempfile::tempdir().unwrap();
        let process = Command::new(python())
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir.path().join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts (apt install python3-aiosmtpd)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer { process, port, maildir }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn new_dir(&self) -> PathBuf {
        self.maildir.path().join("box/new")
    }

    /// Every message delivered so far, in no particular order.
    pub fn messages(&self) -> Vec<Mail> {
        let Ok(entries) = std::fs::read_dir(self.new_dir()) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
            .map(|bytes| parse(&String::from_utf8_lossy(&bytes)))
            .collect()
    }

    /// Waits until `n` messages have arrived (and a moment more, to catch
    /// any extra), then returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.messages().len() < n {
            assert!(
                Instant::now() < deadline,
                "only {} of {n} messages arrived",
                self.messages().len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        self.messages()
    }

    /// The one message to `to` with a link starting `prefix`, waiting for it.
    pub async fn message_to(&self, to: &str, prefix: &str) -> Mail {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(mail) = self
                .messages()
                .into_iter()
                .find(|m| m.to.contains(to) && m.body.contains(prefix))
            {
                return mail;
            }
            assert!(Instant::now() < deadline, "no message to {to} with {prefix}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Reads a message as delivered (an RFC 5322 file).
pub fn parse(text: &str) -> Mail {
    let text = text.replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    // Unfold continued header lines.
    let head = head.replace("\n ", " ").replace("\n\t", " ");
    let header = |name: &str| {
        head.lines()
            .find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let body = match header("Content-Transfer-Encoding").to_ascii_lowercase().as_str() {
        "quoted-printable" => quoted_printable(body),
        "base64" => {
            use base64::Engine;
            let joined: String = body.split_whitespace().collect();
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(joined).unwrap()).unwrap()
        }
        _ => body.to_owned(),
    };
    Mail {
        from: header("From"),
        to: header("To"),
        subject: header("Subject"),
        message_id: header("Message-ID"),
        body,
    }
}

fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The messages written as `.eml` files (a server started without an
/// SMTP server writes them under its data directory).
pub fn mail_files(server: &TestServer) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(server.data_dir.path().join("mail")) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "eml").then(|| std::fs::read_to_string(path).ok())?
        })
        .map(|text| parse(&text))
        .collect()
}

/// Confirms `email` from the link mailed to it, in `browser`.
pub async fn confirm_address(server: &TestServer, browser: &Browser, email: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mail = loop {
        if let Some(mail) = mail_files(server)
            .into_iter()
            .find(|m| m.to.contains(email) && m.body.contains("/confirm-email/"))
        {
            break mail;
        }
        assert!(Instant::now() < deadline, "no confirmation mail to {email}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let link = mail.link("/confirm-email/");
    let token = link.trim_start_matches("/confirm-email/");
    let page = browser
        .post_form(&link, "/api/confirm_email", &[("token", token)])
        .await;
    assert_eq!(page.redirect_path(), "/email-confirmed", "{}", page.body);
}
