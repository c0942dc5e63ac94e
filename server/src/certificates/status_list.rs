//! Revocation and suspension published as W3C Bitstring Status Lists, the
//! form the verifiers people use (the 1EdTech validator, the Digital
//! Credentials Consortium's verifier) check a credential's status in.
//!
//! Each certificate gets one random position, the same in both lists, so a
//! position says nothing about when or in what order it was issued. A list
//! has 131,072 positions (16 KB before compression), the least the
//! specification allows for that privacy, and takes at most half that many
//! certificates before the next list opens, so a free position is found
//! in a try or two. The lists are read from the certificates table when
//! asked for: revoking, suspending and reinstating show at once.

use super::credential::{self, Issuer, timestamp};
use super::data_integrity;
use super::linked_data::CREDENTIALS_V2;
use super::signing_keys::IssuerKey;
use crate::db::DbConnection;
use crate::db::schema::{certificate_status_slots as slots, certificates};
use crate::error::{ServerError, ServerResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::CertificateId;
use rand::Rng;
use serde_json::{Value, json};
use std::io::Write;

/// Positions in one list.
pub const LIST_SIZE: i32 = 131_072;

/// What a list says about the credentials in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusPurpose {
    Revocation,
    Suspension,
}

impl StatusPurpose {
    pub const ALL: [Self; 2] = [Self::Revocation, Self::Suspension];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Revocation => "revocation",
            Self::Suspension => "suspension",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// Where a certificate sits in the lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusSlot {
    /// Lists are numbered from 1.
    pub list: i32,
    pub index: i32,
}

/// The stable URL of a list credential.
pub fn list_url(issuer: &Issuer, purpose: StatusPurpose, list: i32) -> String {
    format!("{}/status/{}/{list}", issuer.base_url, purpose.as_str())
}

/// The `credentialStatus` entries a credential in `slot` carries.
pub fn entries(issuer: &Issuer, slot: StatusSlot) -> Value {
    StatusPurpose::ALL
        .into_iter()
        .map(|purpose| {
            let list = list_url(issuer, purpose, slot.list);
            json!({
                "id": format!("{list}#{}", slot.index),
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose.as_str(),
                "statusListIndex": slot.index.to_string(),
                "statusListCredential": list,
            })
        })
        .collect()
}

/// Places a new certificate at a free position. Runs in the issuing
/// transaction; the unique index on (list, position) is the last line of
/// defence.
pub fn allocate(conn: &mut DbConnection) -> ServerResult<StatusSlot> {
    let placed: i64 = slots::table.count().get_result(conn)?;
    let list = i32::try_from(placed / i64::from(LIST_SIZE / 2) + 1)
        .map_err(|_| ServerError::Corrupt("status lists overflow".into()))?;
    let mut random = rand::thread_rng();
    for _ in 0..64 {
        let slot = StatusSlot {
            list,
            index: random.gen_range(0..LIST_SIZE),
        };
        let taken = slots::table
            .filter(slots::list_number.eq(slot.list))
            .filter(slots::position.eq(slot.index));
        if !diesel::select(diesel::dsl::exists(taken)).get_result::<bool>(conn)? {
            return Ok(slot);
        }
    }
    // A list at most half full fails 64 tries with odds below 1 in 10^19.
    Err(ServerError::Corrupt(format!("status list {list} has no free position")))
}

/// Records where `certificate` sits.
pub fn place(conn: &mut DbConnection, certificate: CertificateId, slot: StatusSlot) -> ServerResult<()> {
    diesel::insert_into(slots::table)
        .values((
            slots::certificate_id.eq(certificate),
            slots::list_number.eq(slot.list),
            slots::position.eq(slot.index),
        ))
        .execute(conn)?;
    Ok(())
}

/// The positions set in a list: revoked certificates, or suspended ones.
fn set_positions(conn: &mut DbConnection, purpose: StatusPurpose, list: i32) -> ServerResult<Vec<i32>> {
    let in_list = slots::table
        .inner_join(certificates::table)
        .filter(slots::list_number.eq(list));
    Ok(match purpose {
        StatusPurpose::Revocation => in_list
            .filter(certificates::revoked_at.is_not_null())
            .select(slots::position)
            .load(conn)?,
        StatusPurpose::Suspension => in_list
            .filter(certificates::suspended_at.is_not_null())
            .select(slots::position)
            .load(conn)?,
    })
}

/// Whether a list with this number has been opened.
pub fn exists(conn: &mut DbConnection, list: i32) -> ServerResult<bool> {
    let opened = list == 1 || {
        let in_list = slots::table.filter(slots::list_number.eq(list));
        diesel::select(diesel::dsl::exists(in_list)).get_result::<bool>(conn)?
    };
    Ok(opened)
}

/// The bitstring, GZIP-compressed and multibase base64url-encoded, as the
/// specification's `encodedList`. Position 0 is the first byte's highest bit.
pub fn encoded_list(positions: &[i32]) -> String {
    let mut bits = vec![0u8; (LIST_SIZE / 8) as usize];
    for position in positions.iter().filter_map(|p| usize::try_from(*p).ok()) {
        if let Some(byte) = bits.get_mut(position / 8) {
            *byte |= 0x80 >> (position % 8);
        }
    }
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&bits).expect("writing to memory does not fail");
    let compressed = gzip.finish().expect("writing to memory does not fail");
    format!("u{}", B64.encode(compressed))
}

/// How a list credential is secured: the verifier asks for one or the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Securing {
    /// A VC-JWT signed with ES256, as JWT credentials are.
    Jwt,
    /// JSON-LD with a Data Integrity proof, issued by the site's DID, as
    /// JSON-LD credentials are.
    DataIntegrity,
}

/// The signed `BitstringStatusListCredential` for one list. It is made
/// fresh for each request and valid for a day, so a verifier that keeps a
/// copy still asks again.
pub fn signed_list(
    conn: &mut DbConnection,
    issuer: &Issuer,
    key: &IssuerKey,
    purpose: StatusPurpose,
    list: i32,
    securing: Securing,
    now: NaiveDateTime,
) -> ServerResult<String> {
    let positions = set_positions(conn, purpose, list)?;
    let id = list_url(issuer, purpose, list);
    let subject = format!("{id}#list");
    let until = now + chrono::Days::new(1);
    let issuer_id = match securing {
        Securing::Jwt => issuer.id(),
        Securing::DataIntegrity => issuer.did(),
    };
    let list_credential = json!({
        "@context": [CREDENTIALS_V2],
        "id": id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": timestamp(now),
        "validUntil": timestamp(until),
        "credentialSubject": {
            "id": subject,
            "type": "BitstringStatusList",
            "statusPurpose": purpose.as_str(),
            "encodedList": encoded_list(&positions),
        },
    });
    match securing {
        Securing::Jwt => {
            let claims = credential::Claims {
                id: &id,
                subject: &subject,
                valid_from: now,
                valid_until: until,
            };
            Ok(credential::sign_payload(issuer, list_credential, &claims, key))
        }
        Securing::DataIntegrity => data_integrity::sign(issuer, list_credential, key, now)
            .map(|signed| signed.to_string())
            .map_err(|e| ServerError::Corrupt(format!("signing a status list: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn decoded(list: &str) -> Vec<u8> {
        let compressed = B64
            .decode(list.strip_prefix('u').expect("multibase base64url"))
            .unwrap();
        let mut bits = Vec::new();
        flate2::read::GzDecoder::new(&compressed[..])
            .read_to_end(&mut bits)
            .unwrap();
        bits
    }

    #[test]
    fn positions_are_bits_from_the_left_of_a_16_kb_list() {
        let bits = decoded(&encoded_list(&[0, 9, LIST_SIZE - 1]));
        assert_eq!(bits.len(), 16_384);
        assert_eq!(
            (bits[0], bits[1], bits[16_383]),
            (0b1000_0000, 0b0100_0000, 0b0000_0001)
        );
        assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
        // An empty list compresses to almost nothing.
        assert!(encoded_list(&[]).len() < 100);
    }

    #[test]
    fn purposes_round_trip_through_their_names() {
        for purpose in StatusPurpose::ALL {
            assert_eq!(StatusPurpose::parse(purpose.as_str()), Some(purpose));
        }
        assert_eq!(StatusPurpose::parse("refresh"), None);
    }
}
