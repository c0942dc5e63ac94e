//! The issuer's Ed25519 keys for signing credentials.
//!
//! Keys live as files in a directory of their own (by default inside the
//! data directory), never in the database: a database dump or replica then
//! cannot be used to forge credentials. Each key is one file, `<kid>.key`,
//! holding the base64url seed, mode 0600. The newest key signs; every key
//! stays published in the JWKS, so rotating keeps older credentials
//! verifiable.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ed25519_dalek::{Signer, SigningKey};
use rand::RngCore;
use std::path::{Path, PathBuf};

/// One signing key and its id.
pub struct IssuerKey {
    pub kid: String,
    signing: SigningKey,
}

impl std::fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl IssuerKey {
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    /// The public half as a JWK (RFC 8037).
    pub fn public_jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "kty": "OKP",
            "crv": "Ed25519",
            "x": B64.encode(self.signing.verifying_key().as_bytes()),
            "kid": self.kid,
            "alg": "EdDSA",
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
    #[error("the key file {0} is not a base64url Ed25519 seed")]
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
            let seed: [u8; 32] = B64
                .decode(text.trim())
                .ok()
                .and_then(|bytes| bytes.try_into().ok())
                .ok_or_else(|| KeyError::Malformed(path.clone()))?;
            keys.push(IssuerKey {
                kid: kid.to_owned(),
                signing: SigningKey::from_bytes(&seed),
            });
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

    /// Every public key, for `/.well-known/jwks.json`.
    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({ "keys": self.keys.iter().map(IssuerKey::public_jwk).collect::<Vec<_>>() })
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
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
        let jwks = keys.jwks();
        let published: Vec<&serde_json::Value> = jwks["keys"].as_array().unwrap().iter().collect();
        assert_eq!(published.len(), 2);
        let old_jwk = published
            .iter()
            .find(|k| k["kid"] == old.current().kid.as_str())
            .unwrap();
        public_key(old_jwk)
            .verify(b"issued before rotation", &Signature::from_bytes(&old_signature))
            .unwrap();
        assert!(
            public_key(old_jwk)
                .verify(b"issued before rotatioN", &Signature::from_bytes(&old_signature))
                .is_err()
        );
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
