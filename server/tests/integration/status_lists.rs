//! Revocation and suspension as published W3C Bitstring Status Lists: a
//! new credential points to its random place in both lists, the lists are
//! signed credentials a JOSE library outside Rust verifies, and revoking,
//! suspending and reinstating flip the bit at once. The holder is named by
//! a salted hash of their email unless the site asks for plain names.

use crate::builders::{UserBuilder, assign_to_program, signed_in};
use crate::certificates::{download_credential, jwcrypto_verify, jwks};
use crate::support::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::Read;

/// The credential's entry for `purpose`: (list URL, index).
fn entry(credential: &Value, purpose: &str) -> (String, usize) {
    let entry = credential["credentialStatus"]
        .as_array()
        .expect("credentialStatus")
        .iter()
        .find(|e| e["statusPurpose"] == purpose)
        .unwrap_or_else(|| panic!("a {purpose} entry in {credential}"));
    assert_eq!(entry["type"], "BitstringStatusListEntry");
    let index = entry["statusListIndex"].as_str().unwrap().parse().unwrap();
    (entry["statusListCredential"].as_str().unwrap().to_owned(), index)
}

/// Fetches the list, checks its signature and shape, and reads the bit at `index`.
async fn bit(server: &TestServer, list_url: &str, index: usize) -> bool {
    let response = reqwest::get(list_url).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/vc+jwt");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let list = jwcrypto_verify(&jwks(server).await, &response.text().await.unwrap()).unwrap();
    assert_eq!(list["type"][1], "BitstringStatusListCredential");
    assert_eq!(list["id"], list_url);
    assert_eq!(list["iss"], server.url("/issuer"));
    let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
    let compressed = B64
        .decode(encoded.strip_prefix('u').expect("multibase base64url"))
        .unwrap();
    let mut bits = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_end(&mut bits)
        .unwrap();
    assert_eq!(bits.len() * 8, 131_072, "at least 131,072 places");
    bits[index / 8] & (0x80 >> (index % 8)) != 0
}

#[tokio::test]
async fn revoking_suspending_and_reinstating_flip_the_published_bits_at_once() {
    let server = TestServer::start();
    let (ana, ana_code) = certified(&server, "Ana María Muñoz", "ana@example.org").await;
    let (ben, ben_code) = certified(&server, "Ben Okafor", "ben@example.org").await;
    let ana_credential = jwcrypto_verify(
        &jwks(&server).await,
        &download_credential(&server, &ana, &ana_code).await,
    )
    .unwrap();
    let ben_credential = jwcrypto_verify(
        &jwks(&server).await,
        &download_credential(&server, &ben, &ben_code).await,
    )
    .unwrap();
    let (revocation, ana_index) = entry(&ana_credential, "revocation");
    let (suspension, ana_again) = entry(&ana_credential, "suspension");
    assert_eq!(revocation, server.url("/status/revocation/1"));
    assert_eq!(suspension, server.url("/status/suspension/1"));
    assert_eq!(ana_index, ana_again, "one place in both lists");
    let (_, ben_index) = entry(&ben_credential, "revocation");
    assert_ne!(ana_index, ben_index);
    assert!(!bit(&server, &revocation, ana_index).await);
    assert!(!bit(&server, &suspension, ana_index).await);

    let trainer = UserBuilder::trainer("sam@example.org").create(&server).await;
    assign_to_program(&server, trainer, "demo-program").await;
    let trainer = signed_in(&server, trainer).await;
    trainer
        .post_api(
            "/api/revoke_certificate",
            &format!("code={ana_code}&reason=Issued+in+error"),
        )
        .await
        .assert_ok();
    trainer
        .post_api(
            "/api/suspend_certificate",
            &format!("code={ben_code}&reason=Being+looked+into"),
        )
        .await
        .assert_ok();
    assert!(bit(&server, &revocation, ana_index).await, "revoked at once");
    assert!(!bit(&server, &suspension, ana_index).await);
    assert!(bit(&server, &suspension, ben_index).await, "suspended at once");
    assert!(!bit(&server, &revocation, ben_index).await);
    trainer
        .post_api("/api/reinstate_certificate", &format!("code={ben_code}"))
        .await
        .assert_ok();
    assert!(!bit(&server, &suspension, ben_index).await, "reinstated at once");
    assert!(bit(&server, &revocation, ana_index).await, "a revocation stays");

    // Lists nobody was placed in, and purposes that don't exist, are not found.
    for path in [
        "/status/revocation/2",
        "/status/revocation/0",
        "/status/refresh/1",
        "/status/revocation/x",
    ] {
        let response = reqwest::get(server.url(path)).await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn the_credential_names_its_holder_by_a_salted_hash_unless_the_site_wants_names() {
    let server = TestServer::start();
    let (ana, code) = certified(&server, "Ana María Muñoz", "ana@example.org").await;
    let jwt = download_credential(&server, &ana, &code).await;
    let credential = jwcrypto_verify(&jwks(&server).await, &jwt).unwrap();
    let identity = &credential["credentialSubject"]["identifier"][0];
    assert_eq!(identity["identityType"], "emailAddress");
    assert_eq!(identity["hashed"], true);
    let salt = identity["salt"].as_str().unwrap();
    let expected = format!(
        "sha256${}",
        hex::encode(Sha256::digest(format!("ana@example.org{salt}").as_bytes()))
    );
    assert_eq!(identity["identityHash"], expected.as_str());
    let payload = String::from_utf8(B64.decode(jwt.split('.').nth(1).unwrap()).unwrap()).unwrap();
    for private in ["Ana", "Muñoz", "ana@example.org"] {
        assert!(!payload.contains(private), "{private} in {payload}");
    }
    // The verify page still shows the name, for whoever holds the code.
    server
        .browser()
        .get(&format!("/verify/{code}"))
        .await
        .assert_contains("Ana María Muñoz");

    let named = TestServer::start_with(&fixture_courses(), &["--credential-names"]);
    let learner = named.browser();
    learner.register("Ana María Muñoz", "ana@example.org").await;
    complete_demo_program(&learner).await;
    let code = codes_in(&learner.get("/me").await.body).remove(0);
    let credential = jwcrypto_verify(&jwks(&named).await, &download_credential(&named, &learner, &code).await).unwrap();
    let identity = &credential["credentialSubject"]["identifier"][0];
    assert_eq!(
        (
            &identity["identityType"],
            &identity["hashed"],
            &identity["identityHash"]
        ),
        (
            &Value::from("name"),
            &Value::from(false),
            &Value::from("Ana María Muñoz")
        )
    );
}
