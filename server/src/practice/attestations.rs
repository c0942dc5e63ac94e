//! Texts a program asks its learners to sign (a code of ethics, a
//! confidentiality agreement). Each signature keeps the version signed, so
//! a new version of a text asks again, at the next renewal at the latest.

use crate::access::Actor;
use crate::audit::{self, AuditAction};
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::{attestation_signatures, program_attestations};
use crate::error::{ServerResult, invalid};
use crate::programs::Program;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{AttestationState, ProgramId, UserId};
use holdspace_app::error::AppError;

/// A text as the program defines it now.
#[derive(Queryable, Selectable)]
#[diesel(table_name = program_attestations, check_for_backend(crate::db::MultiBackend))]
struct Text {
    attestation_key: String,
    title: String,
    version: i32,
    body: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = attestation_signatures, check_for_backend(crate::db::MultiBackend))]
struct Signature {
    attestation_key: String,
    version: i32,
    signed_at: NaiveDateTime,
}

fn texts(conn: &mut DbConnection, program: ProgramId) -> ServerResult<Vec<Text>> {
    Ok(program_attestations::table
        .filter(program_attestations::program_id.eq(program))
        .order(program_attestations::position)
        .select(Text::as_select())
        .load(conn)?)
}

/// Each of the program's texts, and what the learner signed of it.
pub fn attestation_states(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
) -> ServerResult<Vec<AttestationState>> {
    let signatures: Vec<Signature> = attestation_signatures::table
        .filter(attestation_signatures::user_id.eq(learner))
        .filter(attestation_signatures::program_id.eq(program))
        .select(Signature::as_select())
        .load(conn)?;
    Ok(texts(conn, program)?
        .into_iter()
        .map(|text| {
            let of_this = || signatures.iter().filter(|s| s.attestation_key == text.attestation_key);
            AttestationState {
                signed_on: of_this().find(|s| s.version == text.version).map(|s| day(s.signed_at)),
                signed_before: of_this().any(|s| s.version < text.version),
                key: text.attestation_key,
                title: text.title,
                version: text.version,
                body: text.body,
            }
        })
        .collect())
}

/// Whether the learner signed the current version of every text of the program.
pub fn attestations_signed(conn: &mut DbConnection, learner: UserId, program: ProgramId) -> ServerResult<bool> {
    Ok(attestation_states(conn, learner, program)?
        .iter()
        .all(|s| s.signed_on.is_some()))
}

/// The learner signs `version` of a text; returns the program, for issuing
/// the certificate the signature may complete. A version other than the
/// current one (the page was open while the text changed) is refused, so
/// nobody signs what they did not read.
pub fn sign(
    conn: &mut DbConnection,
    learner: UserId,
    program: &str,
    key: &str,
    version: i32,
    now: NaiveDateTime,
) -> ServerResult<ProgramId> {
    let actor = Actor::load(conn, learner)?;
    let program = Program::find(conn, program)?;
    let text = texts(conn, program.id)?
        .into_iter()
        .find(|t| t.attestation_key == key)
        .ok_or(AppError::NotFound)?;
    if text.version != version {
        return invalid(format!(
            "“{}” has changed since the page was opened. Please read the new version before signing.",
            text.title
        ));
    }
    let signed = attestation_signatures::table
        .filter(attestation_signatures::user_id.eq(learner))
        .filter(attestation_signatures::program_id.eq(program.id))
        .filter(attestation_signatures::attestation_key.eq(key))
        .filter(attestation_signatures::version.eq(version));
    if diesel::select(diesel::dsl::exists(signed)).get_result::<bool>(conn)? {
        return Ok(program.id);
    }
    diesel::insert_into(attestation_signatures::table)
        .values((
            attestation_signatures::user_id.eq(learner),
            attestation_signatures::program_id.eq(program.id),
            attestation_signatures::attestation_key.eq(key),
            attestation_signatures::version.eq(version),
            attestation_signatures::signed_at.eq(now),
        ))
        .execute(conn)?;
    let subject = format!("user:{learner}/program:{}/{key}", program.slug);
    let reason = format!("version {version}");
    audit::record(conn, &actor, AuditAction::AttestationSign, &subject, Some(&reason), now)?;
    Ok(program.id)
}
