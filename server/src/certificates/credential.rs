//! The signed credential: an Open Badges 3.0 `OpenBadgeCredential` (a W3C
//! Verifiable Credential, data model 2.0) secured as a VC-JWT with EdDSA.
//!
//! Following OB 3.0 §8.2, the JWT payload is the credential itself, with
//! the registered claims that mirror it: `iss` (issuer id), `jti`
//! (credential id), `nbf`/`exp` (validity). The learner has no identifier
//! of their own (no DID, and an email would leak), so the subject is named
//! by an unhashed `name` identity rather than `sub`. Revocation is not in
//! the token: verifiers ask `GET /api/v1/certificates/{code}`.

use super::signing_keys::IssuerKey;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::NaiveDateTime;
use serde_json::{Value, json};

/// Who issues credentials, as published at the issuer profile URL.
#[derive(Clone, Debug)]
pub struct Issuer {
    /// The site's public base URL, without a trailing slash.
    pub base_url: String,
    pub name: String,
}

impl Issuer {
    /// The stable URL of the issuer profile, which is also the issuer's id.
    pub fn id(&self) -> String {
        format!("{}/issuer", self.base_url)
    }

    pub fn verify_url(&self, code: &str) -> String {
        format!("{}/verify/{code}", self.base_url)
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

const CONTEXT: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];

/// What a credential attests.
#[derive(Clone, Debug)]
pub struct Attestation<'a> {
    /// The printed code, `HS-XXXX-XXXX-XXXXX`.
    pub code: &'a str,
    pub holder_name: &'a str,
    pub program_slug: &'a str,
    pub program_title: &'a str,
    /// Course titles and version labels.
    pub courses: &'a [(String, String)],
    /// When it starts: a renewal starts the day the one it renews ends.
    pub valid_from: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

fn timestamp(at: NaiveDateTime) -> String {
    at.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The unsigned credential.
pub fn credential(issuer: &Issuer, facts: &Attestation<'_>) -> Value {
    let courses: Vec<String> = facts
        .courses
        .iter()
        .map(|(title, version)| format!("{title} (version {version})"))
        .collect();
    json!({
        "@context": CONTEXT,
        "id": issuer.verify_url(facts.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.program_title,
        "issuer": { "id": issuer.id(), "type": ["Profile"], "name": issuer.name, "url": issuer.base_url },
        "validFrom": timestamp(facts.valid_from),
        "validUntil": timestamp(facts.expires_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": false,
                "identityHash": facts.holder_name,
            }],
            "achievement": {
                "id": format!("{}#{}", issuer.id(), facts.program_slug),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": facts.program_title,
                "description": format!("Completed every course of the {} program: {}.", facts.program_title, courses.join("; ")),
                "criteria": { "narrative": "Read every module and passed every module's quiz in each course of the program." },
            },
        },
    })
}

/// Signs the credential as a compact JWS (`header.payload.signature`).
pub fn sign(issuer: &Issuer, facts: &Attestation<'_>, key: &IssuerKey) -> String {
    let mut payload = credential(issuer, facts);
    let claims = json!({
        "iss": issuer.id(),
        "jti": issuer.verify_url(facts.code),
        "nbf": facts.valid_from.and_utc().timestamp(),
        "exp": facts.expires_at.and_utc().timestamp(),
    });
    if let (Some(payload), Value::Object(claims)) = (payload.as_object_mut(), claims) {
        payload.extend(claims);
    }
    let header = json!({ "alg": "EdDSA", "typ": "JWT", "kid": key.kid });
    let signing_input = format!("{}.{}", B64.encode(header.to_string()), B64.encode(payload.to_string()));
    let signature = key.sign(signing_input.as_bytes());
    format!("{signing_input}.{}", B64.encode(signature))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificates::signing_keys::SigningKeys;
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};

    fn facts<'a>(courses: &'a [(String, String)]) -> Attestation<'a> {
        let day = |d| {
            chrono::NaiveDate::from_ymd_opt(2026, 11, d)
                .unwrap()
                .and_hms_opt(10, 30, 0)
                .unwrap()
        };
        Attestation {
            code: "HS-7K2M-9QXD-4FTRW",
            holder_name: "Ana María Muñoz",
            program_slug: "peer-support-facilitator",
            program_title: "Peer Support Group Facilitator",
            courses,
            valid_from: day(23),
            expires_at: day(23) + chrono::Months::new(24),
        }
    }

    fn verify(jwt: &str, keys: &SigningKeys) -> Result<Value, &'static str> {
        let (signing_input, signature) = jwt.rsplit_once('.').ok_or("no signature")?;
        let (header, payload) = signing_input.split_once('.').ok_or("no payload")?;
        let header: Value = serde_json::from_slice(&B64.decode(header).map_err(|_| "header")?).map_err(|_| "header")?;
        let jwks = keys.jwks();
        let jwk = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kid"] == header["kid"])
            .ok_or("unknown kid")?;
        let x: [u8; 32] = B64.decode(jwk["x"].as_str().unwrap()).unwrap().try_into().unwrap();
        let signature: [u8; 64] = B64
            .decode(signature)
            .map_err(|_| "signature")?
            .try_into()
            .map_err(|_| "signature")?;
        VerifyingKey::from_bytes(&x)
            .unwrap()
            .verify(signing_input.as_bytes(), &Signature::from_bytes(&signature))
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
        };
        let courses = [("Foundations of peer support".to_owned(), "1.0".to_owned())];
        let jwt = sign(&issuer, &facts(&courses), keys.current());
        let payload = verify(&jwt, &keys).unwrap();
        assert_eq!(payload["type"][1], "OpenBadgeCredential");
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
    }

    #[test]
    fn changing_one_byte_of_the_payload_breaks_the_signature() {
        let dir = tempfile::tempdir().unwrap();
        let keys = SigningKeys::load_or_create(dir.path(), NaiveDateTime::default()).unwrap();
        let issuer = Issuer {
            base_url: "http://127.0.0.1:3000".into(),
            name: "Holdspace".into(),
        };
        let jwt = sign(&issuer, &facts(&[]), keys.current());
        let (header, rest) = jwt.split_once('.').unwrap();
        let (payload, signature) = rest.split_once('.').unwrap();
        let mut bytes = B64.decode(payload).unwrap();
        let at = bytes.iter().position(|b| *b == b'M').unwrap();
        bytes[at] = b'N';
        let forged = format!("{header}.{}.{signature}", B64.encode(bytes));
        assert_eq!(verify(&forged, &keys), Err("bad signature"));
    }
}
