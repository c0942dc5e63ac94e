//! The issuer's keys for signing credentials.
//!
//! Keys live as files in a directory of their own (by default inside the
//! data directory), never in the database: a database dump or replica then
//! cannot be used to forge credentials. Each key is one file, `<kid>.key`,
//! holding a base64url seed, mode 0600. The seed is the Ed25519 key (Data
//! Integrity proofs, and VC-JWTs issued before ES256) and, through SHA-256
//! with a fixed label, the P-256 key (ES256 VC-JWTs): one file per
//! generation, so a rotation can never leave the two out of step. The
//! newest key signs; every key stays published, so rotating keeps older
//! credentials verifiable.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ed25519_dalek::{Signer, SigningKey};
use p256::ecdsa::{Signature as P256Signature, SigningKey as P256SigningKey};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One signing key and its id.
pub struct IssuerKey {
    pub kid: String,
    signing: SigningKey,
    p256: P256SigningKey,
}

impl std::fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl IssuerKey {
    /// `None` for the one seed in about 2^32 whose hash is no P-256
    /// scalar, which [`SigningKeys::rotate`] never writes.
    fn from_seed(kid: &str, seed: &[u8; 32]) -> Option<Self> {
        Some(Self {
            kid: kid.to_owned(),
            signing: SigningKey::from_bytes(seed),
            p256: p256_key(seed)?,
        })
    }

    /// An Ed25519 signature.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    /// Whether `signature` is this key's Ed25519 signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        use ed25519_dalek::Verifier;
        self.signing
            .verifying_key()
            .verify(message, &ed25519_dalek::Signature::from_bytes(signature))
            .is_ok()
    }

    /// An ES256 signature (ECDSA on P-256 with SHA-256), as JWS writes it: `r‖s`.
    pub fn sign_es256(&self, message: &[u8]) -> [u8; 64] {
        let signature: P256Signature = self.p256.sign(message);
        signature.to_bytes().into()
    }

    /// The Ed25519 public key's 32 bytes.
    pub fn ed25519_public(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// The Ed25519 public half as a JWK (RFC 8037), under the bare key id
    /// that EdDSA VC-JWTs issued before ES256 name.
    pub fn ed25519_jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "kty": "OKP",
            "crv": "Ed25519",
            "x": B64.encode(self.ed25519_public()),
            "kid": self.kid,
            "alg": "EdDSA",
            "use": "sig",
        })
    }

    /// The P-256 public half as a JWK (RFC 7518), whose id is `kid_url`:
    /// the URL that returns this JWK alone.
    pub fn es256_jwk(&self, kid_url: &str) -> serde_json::Value {
        let point = self.p256.verifying_key().to_encoded_point(false);
        let coordinate = |c: Option<&p256::FieldBytes>| c.map(|bytes| B64.encode(bytes)).unwrap_or_default();
        serde_json::json!({
            "kty": "EC",
            "crv": "P-256",
            "x": coordinate(point.x()),
            "y": coordinate(point.y()),
            "kid": kid_url,
            "alg": "ES256",
            "use": "sig",
        })
    }
}

/// All of the issuer's keys, oldest first.
#[derive(Debug)]
pub struct SigningKeys {
    keys: Vec<IssuerKey>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("could not use the key directory {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the key file {0} is not a base64url 32-byte seed")]
    Malformed(PathBuf),
    #[error("the key file {0} can be read by other users; run `chmod 600` on it")]
    Exposed(PathBuf),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |source| KeyError::Io {
        path: path.to_owned(),
        source,
    }
}

impl SigningKeys {
    /// Loads the keys in `dir`, creating the directory and a first key if there are none.
    pub fn load_or_create(dir: &Path, now: chrono::NaiveDateTime) -> Result<Self, KeyError> {
        let keys = Self::load(dir)?;
        if !keys.keys.is_empty() {
            return Ok(keys);
        }
        Self::create_key(dir, now)?;
        Self::load(dir)
    }

    /// Adds a new key that signs from now on; returns its id.
    pub fn rotate(dir: &Path, now: chrono::NaiveDateTime) -> Result<String, KeyError> {
        Self::create_key(dir, now)
    }

    /// The keys in `dir`, possibly none; creates nothing.
    pub fn load(dir: &Path) -> Result<Self, KeyError> {
        let mut keys = Vec::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Self { keys }),
            Err(error) => return Err(io(dir)(error)),
        };
        for entry in entries {
            let path = entry.map_err(io(dir))?.path();
            let Some(kid) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".key"))
            else {
                continue;
            };
            check_private(&path)?;
            let text = std::fs::read_to_string(&path).map_err(io(&path))?;
            let key = B64
                .decode(text.trim())
                .ok()
                .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                .and_then(|seed| IssuerKey::from_seed(kid, &seed))
                .ok_or_else(|| KeyError::Malformed(path.clone()))?;
            keys.push(key);
        }
        // Key ids start with a sequence number, so name order is age order.
        keys.sort_by(|a, b| a.kid.cmp(&b.kid));
        Ok(Self { keys })
    }

    fn create_key(dir: &Path, now: chrono::NaiveDateTime) -> Result<String, KeyError> {
        let existing = Self::load(dir)?.keys.len();
        create_private_dir(dir)?;
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        while p256_key(&seed).is_none() {
            rand::rngs::OsRng.fill_bytes(&mut seed);
        }
        // A sequence number first, so that name order is creation order
        // even for two keys made in the same second.
        let kid = format!("{:04}-{}", existing + 1, now.format("%Y%m%dT%H%M%SZ"));
        let path = dir.join(format!("{kid}.key"));
        write_private(&path, B64.encode(seed).as_bytes())?;
        Ok(kid)
    }

    /// The key that signs new credentials.
    pub fn current(&self) -> &IssuerKey {
        self.keys.last().expect("load_or_create leaves at least one key")
    }

    /// Every key, oldest first.
    pub fn all(&self) -> &[IssuerKey] {
        &self.keys
    }

    /// The key named `kid`.
    pub fn find(&self, kid: &str) -> Option<&IssuerKey> {
        self.keys.iter().find(|key| key.kid == kid)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

fn p256_key(seed: &[u8; 32]) -> Option<P256SigningKey> {
    let derived = Sha256::new_with_prefix(b"holdspace P-256 signing key from seed")
        .chain_update(seed)
        .finalize();
    P256SigningKey::from_slice(&derived).ok()
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<(), KeyError> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io(dir))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<(), KeyError> {
    std::fs::create_dir_all(dir).map_err(io(dir))
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &[u8]) -> Result<(), KeyError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io(path))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(io(path))
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &[u8]) -> Result<(), KeyError> {
    std::fs::write(path, contents).map_err(io(path))
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), KeyError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).map_err(io(path))?.permissions().mode();
    if mode & 0o077 != 0 {
        Err(KeyError::Exposed(path.to_owned()))
    } else {
        Ok(())
    }
}

#[cfg(not(unix))]
fn check_private(_: &Path) -> Result<(), KeyError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};

    fn at(day: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    fn public_key(jwk: &serde_json::Value) -> VerifyingKey {
        let x: [u8; 32] = B64.decode(jwk["x"].as_str().unwrap()).unwrap().try_into().unwrap();
        VerifyingKey::from_bytes(&x).unwrap()
    }

    fn p256_public_key(jwk: &serde_json::Value) -> p256::ecdsa::VerifyingKey {
        assert_eq!(
            (&jwk["kty"], &jwk["crv"], &jwk["alg"]),
            (&"EC".into(), &"P-256".into(), &"ES256".into())
        );
        let coordinate = |name: &str| {
            let bytes: [u8; 32] = B64.decode(jwk[name].as_str().unwrap()).unwrap().try_into().unwrap();
            p256::FieldBytes::from(bytes)
        };
        let point = p256::EncodedPoint::from_affine_coordinates(&coordinate("x"), &coordinate("y"), false);
        p256::ecdsa::VerifyingKey::from_encoded_point(&point).unwrap()
    }

    #[test]
    fn first_start_creates_one_private_key_and_later_starts_reuse_it() {
        let dir = tempfile::tempdir().unwrap();
        let keys_dir = dir.path().join("signing-keys");
        let first = SigningKeys::load_or_create(&keys_dir, at(1)).unwrap();
        assert_eq!(first.len(), 1);
        let again = SigningKeys::load_or_create(&keys_dir, at(2)).unwrap();
        assert_eq!(again.current().kid, first.current().kid);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = keys_dir.join(format!("{}.key", first.current().kid));
            assert_eq!(std::fs::metadata(file).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(
                std::fs::metadata(&keys_dir).unwrap().permissions().mode() & 0o777,
                0o700
            );
        }
    }

    #[test]
    fn rotation_signs_with_the_new_key_and_keeps_the_old_one_published() {
        let dir = tempfile::tempdir().unwrap();
        let old = SigningKeys::load_or_create(dir.path(), at(1)).unwrap();
        let old_signature = old.current().sign(b"issued before rotation");
        // Made in the same second as the first, it still comes after it.
        let new_kid = SigningKeys::rotate(dir.path(), at(1)).unwrap();
        let keys = SigningKeys::load_or_create(dir.path(), at(21)).unwrap();
        assert_eq!(keys.current().kid, new_kid);
        assert_eq!(keys.all().len(), 2);
        let old_key = keys.find(&old.current().kid).unwrap();
        let ed25519 = public_key(&old_key.ed25519_jwk());
        ed25519
            .verify(b"issued before rotation", &Signature::from_bytes(&old_signature))
            .unwrap();
        assert!(
            ed25519
                .verify(b"issued before rotatioN", &Signature::from_bytes(&old_signature))
                .is_err()
        );
        // The P-256 key comes back from the same file.
        let es256 = p256_public_key(&old_key.es256_jwk("https://example.org/issuer/keys/1"));
        let signature = p256::ecdsa::Signature::from_slice(&old.current().sign_es256(b"signed before")).unwrap();
        es256.verify(b"signed before", &signature).unwrap();
        assert!(es256.verify(b"signed beforE", &signature).is_err());
        assert_ne!(old_key.es256_jwk("k")["x"], keys.current().es256_jwk("k")["x"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let keys = SigningKeys::load_or_create(dir.path(), at(1)).unwrap();
        let file = dir.path().join(format!("{}.key", keys.current().kid));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            SigningKeys::load_or_create(dir.path(), at(2)),
            Err(KeyError::Exposed(_))
        ));
    }
}
