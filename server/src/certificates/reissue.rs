//! Reissuing a holder's certificates under a new name, at their request. A
//! survivor who changes their name must be able to show a certificate that
//! neither carries the old name nor leads to it. The new certificates have
//! new codes and new places in the status lists; the old ones are revoked
//! with a neutral reason, keep neither name nor credential, and drop out of
//! every chain of renewals, so nothing public links old to new.

use super::issuing::{self, CourseOnCertificate, Issuing, NewCertificate};
use super::verification::printed;
use crate::access::Actor;
use crate::audit::{self, AuditAction};
use crate::db::DbConnection;
use crate::db::schema::{certificate_courses, certificate_linked_data, certificate_withdrawals, certificates, users};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{CertificateId, ProgramId, UserId};
use std::collections::BTreeMap;

/// What the old code answers with, naming nobody.
pub const REISSUE_REASON: &str = "Replaced at the holder's request";

/// A certificate the holder still has, as reissuing needs it.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = certificates, check_for_backend(crate::db::MultiBackend))]
struct Unrevoked {
    id: CertificateId,
    code: String,
    program_id: ProgramId,
    sequence: i32,
    program_slug: String,
    program_title: String,
    valid_from: NaiveDateTime,
    expires_at: NaiveDateTime,
    suspended_at: Option<NaiveDateTime>,
}

/// Certificates not withdrawn for a reissue: only these are listed to
/// their holder or shown in a chain of renewals.
#[diesel::dsl::auto_type]
pub fn not_withdrawn() -> _ {
    let withdrawal =
        certificate_withdrawals::table.filter(certificate_withdrawals::certificate_id.eq(certificates::id));
    diesel::dsl::not(diesel::dsl::exists(withdrawal))
}

/// Reissues, under the holder's current name, the newest unrevoked
/// certificate of each program they hold one of, and withdraws every
/// unrevoked one it replaces. A program whose certificate is suspended is
/// left as it is: a reissue is no way around a suspension. Returns how many
/// were reissued and how many were left because they are suspended.
pub fn reissue_under_current_name(
    conn: &mut DbConnection,
    holder: UserId,
    now: NaiveDateTime,
    issuing: &Issuing,
) -> ServerResult<(u32, u32)> {
    issuing::lock_learner(conn, holder)?;
    let actor = Actor::load(conn, holder)?;
    let email: String = users::table.find(holder).select(users::email).first(conn)?;
    let held: Vec<Unrevoked> = certificates::table
        .filter(certificates::user_id.eq(holder))
        .filter(certificates::revoked_at.is_null())
        .order((certificates::program_id, certificates::sequence))
        .select(Unrevoked::as_select())
        .load(conn)?;
    let mut by_program: BTreeMap<ProgramId, Vec<Unrevoked>> = BTreeMap::new();
    for certificate in held {
        by_program.entry(certificate.program_id).or_default().push(certificate);
    }
    let (mut reissued, mut on_hold) = (0, 0);
    for (program, chain) in by_program {
        if chain.iter().any(|c| c.suspended_at.is_some()) {
            on_hold += 1;
            continue;
        }
        let Some(newest) = chain.last() else { continue };
        let last_sequence: i32 = certificates::table
            .filter(certificates::user_id.eq(holder))
            .filter(certificates::program_id.eq(program))
            .select(diesel::dsl::max(certificates::sequence))
            .first::<Option<i32>>(conn)?
            .unwrap_or(newest.sequence);
        let courses: Vec<CourseOnCertificate> = certificate_courses::table
            .filter(certificate_courses::certificate_id.eq(newest.id))
            .order(certificate_courses::position)
            .select(CourseOnCertificate::as_select())
            .load(conn)?;
        issuing::write_certificate(
            conn,
            &NewCertificate {
                learner: holder,
                program_id: program,
                program_slug: &newest.program_slug,
                program_title: &newest.program_title,
                sequence: last_sequence + 1,
                holder_name: &actor.name,
                email: &email,
                courses: &courses,
                valid_from: newest.valid_from,
                expires_at: newest.expires_at,
            },
            now,
            issuing,
        )?;
        for old in &chain {
            withdraw(conn, &actor, old, now)?;
        }
        reissued += 1;
    }
    Ok((reissued, on_hold))
}

/// Revokes `old` with the neutral reason and forgets its name and credential.
fn withdraw(conn: &mut DbConnection, actor: &Actor, old: &Unrevoked, now: NaiveDateTime) -> ServerResult<()> {
    diesel::update(certificates::table.find(old.id))
        .set((
            certificates::revoked_at.eq(now),
            certificates::revocation_reason.eq(REISSUE_REASON),
            certificates::holder_name.eq(""),
            certificates::credential_jwt.eq(""),
        ))
        .execute(conn)?;
    diesel::delete(certificate_linked_data::table.find(old.id)).execute(conn)?;
    diesel::insert_into(certificate_withdrawals::table)
        .values((
            certificate_withdrawals::certificate_id.eq(old.id),
            certificate_withdrawals::withdrawn_at.eq(now),
        ))
        .execute(conn)?;
    let subject = format!("certificate:{}", printed(&old.code)?);
    audit::record(conn, actor, AuditAction::CertificateReissue, &subject, None, now)
}
