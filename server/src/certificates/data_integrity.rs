//! Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite, the form
//! the Digital Credentials Consortium's wallet and verifier accept.
//!
//! The proof signs SHA-256 of the canonical proof options followed by
//! SHA-256 of the canonical document (both RDFC-1.0 N-Quads), with the
//! Ed25519 key the site's DID document lists under `verificationMethod`.

use super::credential::{Issuer, timestamp};
use super::linked_data::{LinkedDataError, canonical_nquads};
use super::signing_keys::{IssuerKey, SigningKeys};
use chrono::NaiveDateTime;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// `document` with a `proof` made by `key` at `created`.
pub fn sign(
    issuer: &Issuer,
    mut document: Value,
    key: &IssuerKey,
    created: NaiveDateTime,
) -> Result<Value, LinkedDataError> {
    let mut proof = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": timestamp(created),
        "verificationMethod": issuer.verification_method(&key.kid),
        "proofPurpose": "assertionMethod",
    });
    let signature = key.sign(&hash_data(&document, &proof)?);
    proof["proofValue"] = format!("z{}", bs58::encode(signature).into_string()).into();
    document["proof"] = proof;
    Ok(document)
}

/// What is signed: the hashes of the canonical proof options (in the
/// document's contexts) and of the canonical document without its proof.
fn hash_data(document: &Value, proof: &Value) -> Result<Vec<u8>, LinkedDataError> {
    let mut options = proof.clone();
    options["@context"] = document["@context"].clone();
    let mut unsigned = document.clone();
    if let Some(fields) = unsigned.as_object_mut() {
        fields.remove("proof");
    }
    let mut hash = Sha256::digest(canonical_nquads(&options)?.as_bytes()).to_vec();
    hash.extend_from_slice(&Sha256::digest(canonical_nquads(&unsigned)?.as_bytes()));
    Ok(hash)
}

/// Whether `document`'s proof was made by one of `keys` over exactly this
/// document: the check a verifier makes, for tests and for `holdspace`
/// itself to refuse to hand out a credential it could not verify.
pub fn verify(issuer: &Issuer, document: &Value, keys: &SigningKeys) -> bool {
    let mut proof = document["proof"].clone();
    let Some(proof_value) = proof.as_object_mut().and_then(|fields| fields.remove("proofValue")) else {
        return false;
    };
    let Some(signature) = proof_value
        .as_str()
        .and_then(|value| value.strip_prefix('z'))
        .and_then(|value| bs58::decode(value).into_vec().ok())
        .and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
    else {
        return false;
    };
    let Some(key) = keys
        .all()
        .iter()
        .find(|key| proof["verificationMethod"] == issuer.verification_method(&key.kid).as_str())
    else {
        return false;
    };
    hash_data(document, &proof).is_ok_and(|hash| key.verify(&hash, &signature))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificates::linked_data::CREDENTIALS_V2;

    fn setup() -> (tempfile::TempDir, Issuer, SigningKeys) {
        let dir = tempfile::tempdir().unwrap();
        let keys = SigningKeys::load_or_create(dir.path(), NaiveDateTime::default()).unwrap();
        let issuer = Issuer {
            base_url: "https://learn.example.org".into(),
            name: "Example".into(),
            plain_names: false,
        };
        (dir, issuer, keys)
    }

    fn document(issuer: &Issuer) -> Value {
        json!({
            "@context": [CREDENTIALS_V2],
            "id": "https://learn.example.org/verify/HS-1",
            "type": ["VerifiableCredential"],
            "issuer": issuer.did(),
            "validFrom": "2026-11-23T10:30:00Z",
            "credentialSubject": { "id": "urn:uuid:2f1d7c8e-6a3b-4c9d-8e7f-0a1b2c3d4e5f", "name": "Ana María" },
        })
    }

    #[test]
    fn a_signed_document_verifies_and_one_changed_character_does_not() {
        let (_dir, issuer, keys) = setup();
        let signed = sign(&issuer, document(&issuer), keys.current(), NaiveDateTime::default()).unwrap();
        assert_eq!(signed["proof"]["cryptosuite"], "eddsa-rdfc-2022");
        assert_eq!(
            signed["proof"]["verificationMethod"],
            format!("did:web:learn.example.org#{}", keys.current().kid)
        );
        assert!(verify(&issuer, &signed, &keys));
        let mut changed = signed.clone();
        changed["credentialSubject"]["name"] = "Ana Maria".into();
        assert!(!verify(&issuer, &changed, &keys));
        let mut unsigned = signed;
        unsigned["proof"]["created"] = "2026-11-24T10:30:00Z".into();
        assert!(!verify(&issuer, &unsigned, &keys), "the proof options are signed too");
    }

    #[test]
    fn a_proof_made_before_a_rotation_still_verifies_after_it() {
        let (dir, issuer, keys) = setup();
        let signed = sign(&issuer, document(&issuer), keys.current(), NaiveDateTime::default()).unwrap();
        SigningKeys::rotate(dir.path(), NaiveDateTime::default()).unwrap();
        let rotated = SigningKeys::load(dir.path()).unwrap();
        assert_ne!(rotated.current().kid, keys.current().kid);
        assert!(verify(&issuer, &signed, &rotated));
    }
}
