//! The signed credential: an Open Badges 3.0 `OpenBadgeCredential` (a W3C
//! Verifiable Credential, data model 2.0) secured as a VC-JWT with ES256.
//!
//! Following OB 3.0 §8.2, the JWT payload is the credential itself, with
//! the registered claims that mirror it: `iss` (issuer id), `jti`
//! (credential id), `sub` (the subject's id), `nbf`/`exp` (validity); the
//! header's `kid` is a URL that returns the one JWK that verifies it. The
//! holder is named by a
//! salted hash of their email address (an `IdentityHash`), which a
//! verifier who knows the address can check and which tells nobody else
//! anything; the name is printed on the PDF and shown by the verify page
//! only, unless the site chooses plain names. Revocation and suspension
//! are in the W3C Bitstring Status Lists the credential points to.

use super::signing_keys::{IssuerKey, SigningKeys};
use super::status_list::{self, StatusSlot};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::NaiveDateTime;
use rand::RngCore;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Who issues credentials, as published at the issuer profile URL.
#[derive(Clone, Debug)]
pub struct Issuer {
    /// The site's public base URL, without a trailing slash.
    pub base_url: String,
    pub name: String,
    /// Name holders in plain text instead of by a hash of their email
    /// (`serve --credential-names`), for organizations whose verifiers
    /// need the name in the credential itself.
    pub plain_names: bool,
}

impl Issuer {
    /// The stable URL of the issuer profile, which is also the issuer's id.
    pub fn id(&self) -> String {
        format!("{}/issuer", self.base_url)
    }

    pub fn verify_url(&self, code: &str) -> String {
        format!("{}/verify/{code}", self.base_url)
    }

    /// The URL that returns the one ES256 JWK of the key `kid`, which is
    /// also that JWK's id and the `kid` of every VC-JWT it signs.
    pub fn key_url(&self, kid: &str) -> String {
        format!("{}/issuer/keys/{kid}", self.base_url)
    }

    /// Every public key ever used, for `/.well-known/jwks.json`: the
    /// ES256 keys under their URLs and the Ed25519 keys under the bare ids
    /// that EdDSA VC-JWTs issued before ES256 name.
    pub fn jwks(&self, keys: &SigningKeys) -> Value {
        let es256 = keys.all().iter().map(|key| key.es256_jwk(&self.key_url(&key.kid)));
        let ed25519 = keys.all().iter().map(IssuerKey::ed25519_jwk);
        json!({ "keys": es256.chain(ed25519).collect::<Vec<_>>() })
    }

    /// The OB 3.0 `Profile` served at [`Issuer::id`].
    pub fn profile(&self) -> Value {
        json!({
            "@context": CONTEXT,
            "id": self.id(),
            "type": ["Profile"],
            "name": self.name,
            "url": self.base_url,
            "description": "Trains and certifies volunteers who facilitate peer support groups.",
            "jwks": format!("{}/.well-known/jwks.json", self.base_url),
        })
    }
}

const CONTEXT: [&str; 2] = [super::linked_data::CREDENTIALS_V2, super::linked_data::OPEN_BADGES_V3];

/// How a credential names its holder (an OB 3.0 `IdentityObject`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HolderIdentity {
    /// The email address, salted and hashed.
    EmailHash { hash: String, salt: String },
    /// The name as printed.
    Name(String),
}

impl HolderIdentity {
    /// A fresh salt for each credential, so that two credentials of one
    /// holder cannot be linked by their hashes.
    pub fn hashed_email(email: &str) -> Self {
        let mut salt = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        let salt = hex::encode(salt);
        Self::EmailHash {
            hash: identity_hash(email, &salt),
            salt,
        }
    }

    fn object(&self) -> Value {
        match self {
            Self::EmailHash { hash, salt } => json!({
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": true,
                "identityHash": hash,
                "salt": salt,
            }),
            Self::Name(name) => json!({
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": false,
                "identityHash": name,
            }),
        }
    }
}

/// An OB 3.0 `IdentityHash`: `sha256$` and the hex SHA-256 of the
/// identity followed by the salt.
pub fn identity_hash(identity: &str, salt: &str) -> String {
    format!("sha256${}", hex::encode(Sha256::digest(format!("{identity}{salt}"))))
}

/// A random `urn:uuid:` for the subject of one credential: the JWT's
/// `sub` must name `credentialSubject.id`, and a fresh id per credential
/// links nothing to the holder or to their other credentials.
pub fn new_subject_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    // Version 4 (random), variant RFC 9562.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// What a credential attests.
#[derive(Clone, Debug)]
pub struct Attestation<'a> {
    /// The printed code, `HS-XXXX-XXXX-XXXXX`.
    pub code: &'a str,
    /// `credentialSubject.id`, from [`new_subject_id`].
    pub subject_id: &'a str,
    pub holder: &'a HolderIdentity,
    pub program_slug: &'a str,
    pub program_title: &'a str,
    /// Course titles and version labels.
    pub courses: &'a [(String, String)],
    /// When it starts: a renewal starts the day the one it renews ends.
    pub valid_from: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    /// Its place in the status lists (none in tests of the content alone).
    pub status: Option<StatusSlot>,
}

pub(super) fn timestamp(at: NaiveDateTime) -> String {
    at.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The unsigned credential, issued by `issuer_id`: the issuer profile's
/// URL in a VC-JWT, the site's DID under a Data Integrity proof.
pub fn credential(issuer: &Issuer, facts: &Attestation<'_>, issuer_id: &str) -> Value {
    let courses: Vec<String> = facts
        .courses
        .iter()
        .map(|(title, version)| format!("{title} (version {version})"))
        .collect();
    let mut credential = json!({
        "@context": CONTEXT,
        "id": issuer.verify_url(facts.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.program_title,
        "issuer": { "id": issuer_id, "type": ["Profile"], "name": issuer.name, "url": issuer.base_url },
        "validFrom": timestamp(facts.valid_from),
        "validUntil": timestamp(facts.expires_at),
        "credentialSubject": {
            "id": facts.subject_id,
            "type": ["AchievementSubject"],
            "identifier": [facts.holder.object()],
            "achievement": {
                "id": format!("{}#{}", issuer.id(), facts.program_slug),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": facts.program_title,
                "description": format!("Completed every course of the {} program: {}.", facts.program_title, courses.join("; ")),
                "criteria": { "narrative": "Read every module and passed every module's quiz in each course of the program." },
            },
        },
    });
    if let (Some(slot), Some(fields)) = (facts.status, credential.as_object_mut()) {
        fields.insert("credentialStatus".into(), status_list::entries(issuer, slot));
    }
    credential
}

/// Signs the credential as a compact JWS (`header.payload.signature`).
pub fn sign(issuer: &Issuer, facts: &Attestation<'_>, key: &IssuerKey) -> String {
    let claims = Claims {
        id: &issuer.verify_url(facts.code),
        subject: facts.subject_id,
        valid_from: facts.valid_from,
        valid_until: facts.expires_at,
    };
    sign_payload(issuer, credential(issuer, facts, &issuer.id()), &claims, key)
}

/// The credential as JSON-LD with a Data Integrity proof, issued by the
/// site's DID and signed at `now`.
pub fn sign_linked_data(
    issuer: &Issuer,
    facts: &Attestation<'_>,
    key: &IssuerKey,
    now: NaiveDateTime,
) -> Result<Value, super::linked_data::LinkedDataError> {
    super::data_integrity::sign(issuer, credential(issuer, facts, &issuer.did()), key, now)
}

/// The registered JWT claims that mirror a credential's own fields.
pub(super) struct Claims<'a> {
    /// The credential's `id`, as `jti`.
    pub id: &'a str,
    /// Its `credentialSubject.id`, as `sub`.
    pub subject: &'a str,
    pub valid_from: NaiveDateTime,
    pub valid_until: NaiveDateTime,
}

/// Signs a credential `payload` as a compact ES256 JWS with the claims that mirror it.
pub(super) fn sign_payload(issuer: &Issuer, mut payload: Value, claims: &Claims<'_>, key: &IssuerKey) -> String {
    let registered = json!({
        "iss": issuer.id(),
        "jti": claims.id,
        "sub": claims.subject,
        "nbf": claims.valid_from.and_utc().timestamp(),
        "exp": claims.valid_until.and_utc().timestamp(),
    });
    if let (Some(payload), Value::Object(registered)) = (payload.as_object_mut(), registered) {
        payload.extend(registered);
    }
    let header = json!({ "alg": "ES256", "typ": "JWT", "kid": issuer.key_url(&key.kid) });
    let signing_input = format!("{}.{}", B64.encode(header.to_string()), B64.encode(payload.to_string()));
    let signature = key.sign_es256(signing_input.as_bytes());
    format!("{signing_input}.{}", B64.encode(signature))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificates::signing_keys::SigningKeys;
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::{Signature, VerifyingKey};

    fn facts<'a>(courses: &'a [(String, String)], holder: &'a HolderIdentity) -> Attestation<'a> {
        let day = |d| {
            chrono::NaiveDate::from_ymd_opt(2026, 11, d)
                .unwrap()
                .and_hms_opt(10, 30, 0)
                .unwrap()
        };
        Attestation {
            code: "HS-7K2M-9QXD-4FTRW",
            subject_id: "urn:uuid:2f1d7c8e-6a3b-4c9d-8e7f-0a1b2c3d4e5f",
            holder,
            program_slug: "peer-support-facilitator",
            program_title: "Peer Support Group Facilitator",
            courses,
            valid_from: day(23),
            expires_at: day(23) + chrono::Months::new(24),
            status: Some(StatusSlot { list: 1, index: 4_711 }),
        }
    }

    /// Verifies an ES256 JWT with the one key its `kid` URL names.
    fn verify(jwt: &str, issuer: &Issuer, keys: &SigningKeys) -> Result<Value, &'static str> {
        let (signing_input, signature) = jwt.rsplit_once('.').ok_or("no signature")?;
        let (header, payload) = signing_input.split_once('.').ok_or("no payload")?;
        let header: Value = serde_json::from_slice(&B64.decode(header).map_err(|_| "header")?).map_err(|_| "header")?;
        assert_eq!(header["alg"], "ES256");
        let jwks = issuer.jwks(keys);
        let jwk = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kid"] == header["kid"])
            .ok_or("unknown kid")?;
        let coordinate = |name: &str| {
            let bytes: [u8; 32] = B64.decode(jwk[name].as_str().unwrap()).unwrap().try_into().unwrap();
            p256::FieldBytes::from(bytes)
        };
        let point = p256::EncodedPoint::from_affine_coordinates(&coordinate("x"), &coordinate("y"), false);
        let signature =
            Signature::from_slice(&B64.decode(signature).map_err(|_| "signature")?).map_err(|_| "signature")?;
        VerifyingKey::from_encoded_point(&point)
            .unwrap()
            .verify(signing_input.as_bytes(), &signature)
            .map_err(|_| "bad signature")?;
        serde_json::from_slice(&B64.decode(payload).map_err(|_| "payload")?).map_err(|_| "payload")
    }

    #[test]
    fn a_signed_credential_verifies_and_carries_the_facts() {
        let dir = tempfile::tempdir().unwrap();
        let keys = SigningKeys::load_or_create(dir.path(), NaiveDateTime::default()).unwrap();
        let issuer = Issuer {
            base_url: "https://learn.example.org".into(),
            name: "Example Peer Network".into(),
            plain_names: true,
        };
        let courses = [("Foundations of peer support".to_owned(), "1.0".to_owned())];
        let holder = HolderIdentity::Name("Ana María Muñoz".into());
        let jwt = sign(&issuer, &facts(&courses, &holder), keys.current());
        let payload = verify(&jwt, &issuer, &keys).unwrap();
        assert_eq!(payload["type"][1], "OpenBadgeCredential");
        assert_eq!(payload["sub"], payload["credentialSubject"]["id"]);
        assert!(payload["sub"].as_str().unwrap().starts_with("urn:uuid:"));
        assert_eq!(payload["iss"], "https://learn.example.org/issuer");
        assert_eq!(payload["issuer"]["id"], payload["iss"]);
        assert_eq!(payload["jti"], "https://learn.example.org/verify/HS-7K2M-9QXD-4FTRW");
        assert_eq!(payload["validFrom"], "2026-11-23T10:30:00Z");
        assert_eq!(payload["validUntil"], "2028-11-23T10:30:00Z");
        assert_eq!(
            payload["credentialSubject"]["identifier"][0]["identityHash"],
            "Ana María Muñoz"
        );
        assert_eq!(
            payload["exp"].as_i64().unwrap() - payload["nbf"].as_i64().unwrap(),
            731 * 86_400
        );
        // One place in both lists: revocation and suspension.
        let status = payload["credentialStatus"].as_array().unwrap();
        assert_eq!(status.len(), 2);
        assert_eq!(status[0]["type"], "BitstringStatusListEntry");
        assert_eq!(status[0]["statusPurpose"], "revocation");
        assert_eq!(status[1]["statusPurpose"], "suspension");
        assert!(status.iter().all(|entry| entry["statusListIndex"] == "4711"));
        assert_eq!(
            status[1]["statusListCredential"],
            "https://learn.example.org/status/suspension/1"
        );
    }

    #[test]
    fn every_subject_id_is_a_fresh_version_4_uuid() {
        let (first, second) = (new_subject_id(), new_subject_id());
        assert_ne!(first, second);
        let uuid = first.strip_prefix("urn:uuid:").unwrap();
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&uuid[14..15], "4", "{uuid}");
        assert!("89ab".contains(&uuid[19..20]), "{uuid}");
    }

    #[test]
    fn by_default_the_holder_is_a_salted_hash_of_their_email() {
        let holder = HolderIdentity::hashed_email("ana@example.org");
        let HolderIdentity::EmailHash { hash, salt } = &holder else {
            panic!("a hash")
        };
        // The OB 3.0 IdentityHash: sha256$ and the hex digest of identity then salt.
        let expected = format!(
            "sha256${}",
            hex::encode(Sha256::digest(format!("ana@example.org{salt}").as_bytes()))
        );
        assert_eq!(hash, &expected);
        assert_eq!(salt.len(), 32);
        assert_ne!(
            holder,
            HolderIdentity::hashed_email("ana@example.org"),
            "a new salt each time"
        );
        let object = holder.object();
        assert_eq!(
            (&object["identityType"], &object["hashed"], &object["salt"]),
            (&json!("emailAddress"), &json!(true), &json!(salt))
        );
        assert!(!object.to_string().contains("ana@"), "{object}");
    }

    #[test]
    fn changing_one_byte_of_the_payload_breaks_the_signature() {
        let dir = tempfile::tempdir().unwrap();
        let keys = SigningKeys::load_or_create(dir.path(), NaiveDateTime::default()).unwrap();
        let issuer = Issuer {
            base_url: "http://127.0.0.1:3000".into(),
            name: "Holdspace".into(),
            plain_names: true,
        };
        let holder = HolderIdentity::Name("Ana María Muñoz".into());
        let jwt = sign(&issuer, &facts(&[], &holder), keys.current());
        let (header, rest) = jwt.split_once('.').unwrap();
        let (payload, signature) = rest.split_once('.').unwrap();
        let mut bytes = B64.decode(payload).unwrap();
        let at = bytes.iter().position(|b| *b == b'M').unwrap();
        bytes[at] = b'N';
        let forged = format!("{header}.{}.{signature}", B64.encode(bytes));
        assert_eq!(verify(&forged, &issuer, &keys), Err("bad signature"));
    }
}
