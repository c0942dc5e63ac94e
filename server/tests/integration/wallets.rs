//! The JSON-LD credential as the wallets and verifiers people use see it:
//! the Digital Credentials Consortium's verifier-core (behind VerifierPlus
//! and the Learner Credential Wallet) checks the Data Integrity proof
//! against the site's did:web document, fetched over TLS, and reads the
//! status lists; revoking, suspending and one changed character all show,
//! and a key rotation leaves older credentials verifying.

use crate::builders::{UserBuilder, assign_to_program, write};
use crate::support::*;
use holdspace_server::certificates;
use reqwest::StatusCode;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn tools() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/tools")
}

/// A self-signed certificate for `localhost` that Node is told to trust.
fn tls_certificate(dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ])
        .args([
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl is needed for this test (apt-get install openssl)");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    (cert, key)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The TLS proxy in front of the server, stopped when dropped.
struct TlsProxy(Child);

impl TlsProxy {
    fn start(cert: &Path, key: &Path, port: u16, server: &TestServer) -> Self {
        let server_port = server.base.rsplit(':').next().unwrap().to_owned();
        let mut child = Command::new("node")
            .arg(tools().join("tls-proxy.mjs"))
            .arg(cert)
            .arg(key)
            .arg(port.to_string())
            .arg(server_port)
            .stdout(Stdio::piped())
            .spawn()
            .expect("node runs");
        let mut ready = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut ready).unwrap();
        assert_eq!(ready.trim(), "listening");
        Self(child)
    }
}

impl Drop for TlsProxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// verifier-core's result for the credential in `file`.
fn verify(file: &Path, cert: &Path) -> Value {
    let output = Command::new("node")
        .arg(tools().join("verify-credential.mjs"))
        .arg(file)
        .env("NODE_EXTRA_CA_CERTS", cert)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "verifier-core is needed for this test (npm ci in .ci/tools): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The result is the last line: the library may log before it.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|_| panic!("verifier-core said:\n{stdout}"))
}

/// Whether the log's step `id` passed; `None` if it is not in the log.
fn step(result: &Value, id: &str) -> Option<bool> {
    result["log"].as_array()?.iter().find(|entry| entry["id"] == id)?["valid"].as_bool()
}

#[tokio::test]
async fn verifier_core_accepts_the_proof_sees_revocation_suspension_and_tampering_and_survives_key_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = tls_certificate(dir.path());
    let port = free_port();
    let public_url = format!("https://localhost:{port}");
    let server = TestServer::start_with(&fixture_courses(), &["--public-url", &public_url, "--credential-names"]);
    let _proxy = TlsProxy::start(&cert, &key, port, &server);

    let did: Value = reqwest::get(server.url("/.well-known/did.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(did["id"], format!("did:web:localhost%3A{port}"));

    let (_ana, ana_code) = certified(&server, "Ana María Muñoz", "ana@example.org").await;
    let (_ben, ben_code) = certified(&server, "Ben Okafor", "ben@example.org").await;
    let mut files = Vec::new();
    for code in [&ana_code, &ben_code] {
        let response = reqwest::get(server.url(&format!("/verify/{code}/credential.json")))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/ld+json");
        let credential: Value = response.json().await.unwrap();
        assert_eq!(credential["issuer"]["id"], did["id"]);
        assert_eq!(credential["proof"]["cryptosuite"], "eddsa-rdfc-2022");
        let file = dir.path().join(format!("{code}.json"));
        std::fs::write(&file, credential.to_string()).unwrap();
        files.push((file, credential));
    }
    let (ana_file, ana_credential) = &files[0];
    let (ben_file, _) = &files[1];

    let fresh = verify(ana_file, &cert);
    assert!(fresh["errors"].is_null(), "{fresh}");
    assert_eq!(step(&fresh, "valid_signature"), Some(true), "{fresh}");
    assert_eq!(step(&fresh, "expiration"), Some(true), "{fresh}");
    assert_eq!(step(&fresh, "revocation_status"), Some(true), "{fresh}");
    assert_eq!(step(&fresh, "suspension_status"), Some(true), "{fresh}");

    // One character of the name changed: the proof no longer holds.
    let mut forged = ana_credential.clone();
    let identifier = &mut forged["credentialSubject"]["identifier"][0]["identityHash"];
    assert_eq!(identifier, "Ana María Muñoz");
    *identifier = "Ana Maria Muñoz".into();
    let forged_file = dir.path().join("forged.json");
    std::fs::write(&forged_file, forged.to_string()).unwrap();
    let refused = verify(&forged_file, &cert);
    assert_eq!(refused["errors"][0]["name"], "invalid_signature", "{refused}");

    // Session cookies are Secure behind an https public URL, and this test's
    // HTTP client speaks plain HTTP to the server: the trainer acts through
    // the same functions the revoke and suspend actions call.
    let trainer = UserBuilder::trainer("sam@example.org").create(&server).await;
    assign_to_program(&server, trainer, "demo-program").await;
    let (ana, ben) = (ana_code.clone(), ben_code.clone());
    write(&server, move |conn, now| {
        certificates::revoke(conn, trainer, &ana, "Issued in error", now)?;
        certificates::suspend(conn, trainer, &ben, "Being looked into", now)
    })
    .await;
    let revoked = verify(ana_file, &cert);
    assert_eq!(step(&revoked, "valid_signature"), Some(true), "{revoked}");
    assert_eq!(step(&revoked, "revocation_status"), Some(false), "{revoked}");
    let suspended = verify(ben_file, &cert);
    assert_eq!(step(&suspended, "revocation_status"), Some(true), "{suspended}");
    assert_eq!(step(&suspended, "suspension_status"), Some(false), "{suspended}");

    write(&server, move |conn, now| {
        certificates::reinstate(conn, trainer, &ben_code, now)
    })
    .await;
    let reinstated = verify(ben_file, &cert);
    assert_eq!(step(&reinstated, "suspension_status"), Some(true), "{reinstated}");
}

#[tokio::test]
async fn the_dashboard_offers_the_wallet_file_and_link_until_the_certificate_is_revoked() {
    let server = TestServer::start();
    let (holder, code) = certified(&server, "Ana María Muñoz", "ana@example.org").await;
    let wallet_url = server.url(&format!("/verify/{code}/credential.json"));
    holder
        .get("/me")
        .await
        .assert_contains("save the wallet file")
        .assert_contains(&format!("/certificates/{code}/credential.json"))
        .assert_contains(&wallet_url);

    // The file the holder saves is the credential a wallet fetches by link.
    let file = holder.get(&format!("/certificates/{code}/credential.json")).await;
    file.assert_ok();
    assert_eq!(file.headers["content-type"], "application/ld+json");
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let saved: Value = serde_json::from_str(&file.body).unwrap();
    let fetched: Value = reqwest::get(&wallet_url).await.unwrap().json().await.unwrap();
    assert_eq!(saved, fetched);
    assert_eq!(saved["proof"]["type"], "DataIntegrityProof");
    // Someone else cannot download it as a file; nor can nobody.
    let other = server.browser();
    other.register("Bo", "bo@example.org").await;
    assert_eq!(
        other.get(&format!("/certificates/{code}/credential.json")).await.status,
        StatusCode::NOT_FOUND
    );

    let trainer = UserBuilder::trainer("sam@example.org").create(&server).await;
    assign_to_program(&server, trainer, "demo-program").await;
    let revoked = code.clone();
    write(&server, move |conn, now| {
        certificates::revoke(conn, trainer, &revoked, "Issued in error", now)
    })
    .await;
    // A revoked certificate is not handed out again, by file or by link.
    holder.get("/me").await.assert_lacks("save the wallet file");
    assert_eq!(reqwest::get(&wallet_url).await.unwrap().status(), StatusCode::GONE);
}
