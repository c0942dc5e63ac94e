//! The site as a `did:web` DID, the issuer of Data Integrity credentials.
//!
//! The DID is read from the public URL (`https://learn.example.org:8443/x`
//! is `did:web:learn.example.org%3A8443:x`), and its document lists every
//! key the site has ever signed with, so credentials signed before a
//! rotation keep verifying.

use super::credential::Issuer;
use super::signing_keys::{IssuerKey, SigningKeys};
use serde_json::{Value, json};

impl Issuer {
    /// The site's `did:web` DID.
    pub fn did(&self) -> String {
        let without_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        let mut parts = without_scheme.split('/').filter(|part| !part.is_empty());
        let host = parts.next().unwrap_or_default().replace(':', "%3A");
        std::iter::once(format!("did:web:{host}"))
            .chain(parts.map(str::to_owned))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// The id of the key `kid` in the DID document: what a proof names as
    /// its `verificationMethod`.
    pub fn verification_method(&self, kid: &str) -> String {
        format!("{}#{kid}", self.did())
    }

    /// The DID document served at `/.well-known/did.json`.
    pub fn did_document(&self, keys: &SigningKeys) -> Value {
        let did = self.did();
        let methods: Vec<Value> = keys
            .all()
            .iter()
            .map(|key| {
                json!({
                    "id": self.verification_method(&key.kid),
                    "type": "Multikey",
                    "controller": did,
                    "publicKeyMultibase": ed25519_multikey(key),
                })
            })
            .collect();
        let ids: Vec<&Value> = methods.iter().map(|method| &method["id"]).collect();
        json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": did,
            "verificationMethod": methods,
            "assertionMethod": ids,
        })
    }
}

/// An Ed25519 public key as a Multikey: multibase base58btc (`z`) of the
/// multicodec prefix `0xed01` and the key's 32 bytes.
pub fn ed25519_multikey(key: &IssuerKey) -> String {
    let mut bytes = vec![0xed, 0x01];
    bytes.extend_from_slice(&key.ed25519_public());
    format!("z{}", bs58::encode(bytes).into_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer(base_url: &str) -> Issuer {
        Issuer {
            base_url: base_url.into(),
            name: "Example".into(),
            plain_names: false,
        }
    }

    #[test]
    fn the_did_is_read_from_the_public_url() {
        assert_eq!(issuer("https://learn.example.org").did(), "did:web:learn.example.org");
        assert_eq!(issuer("https://localhost:8443").did(), "did:web:localhost%3A8443");
        assert_eq!(
            issuer("https://example.org/peer-support").did(),
            "did:web:example.org:peer-support"
        );
    }

    #[test]
    fn the_document_lists_every_key_as_an_ed25519_multikey() {
        let dir = tempfile::tempdir().unwrap();
        SigningKeys::load_or_create(dir.path(), chrono::NaiveDateTime::default()).unwrap();
        SigningKeys::rotate(dir.path(), chrono::NaiveDateTime::default()).unwrap();
        let keys = SigningKeys::load(dir.path()).unwrap();
        let document = issuer("https://learn.example.org").did_document(&keys);
        let methods = document["verificationMethod"].as_array().unwrap();
        assert_eq!(methods.len(), 2);
        assert_eq!(document["assertionMethod"].as_array().unwrap().len(), 2);
        for (method, key) in methods.iter().zip(keys.all()) {
            assert_eq!(method["id"], format!("did:web:learn.example.org#{}", key.kid));
            let multikey = method["publicKeyMultibase"].as_str().unwrap();
            // Every Ed25519 Multikey starts so.
            assert!(multikey.starts_with("z6Mk"), "{multikey}");
            let decoded = bs58::decode(&multikey[1..]).into_vec().unwrap();
            assert_eq!(decoded[2..], key.ed25519_public());
        }
    }
}
