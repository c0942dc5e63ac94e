//! Suspending a certificate while a concern is looked into, and lifting
//! the suspension. Unlike a revocation it is reversible, and its reason is
//! for the audit log only: anyone checking the code sees that the certificate
//! is not valid at present, never why.

use super::code::CertificateCode;
use super::revocation::stated_reason;
use crate::access;
use crate::audit::{self, AuditAction};
use crate::db::DbConnection;
use crate::db::schema::certificates;
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{CertificateId, UserId};
use holdspace_app::error::AppError;

#[derive(Queryable, Selectable)]
#[diesel(table_name = certificates, check_for_backend(crate::db::MultiBackend))]
struct Target {
    id: CertificateId,
    revoked_at: Option<NaiveDateTime>,
    suspended_at: Option<NaiveDateTime>,
}

/// The certificate `typed` names, if staff of its program (never its holder) is acting.
fn target(conn: &mut DbConnection, staff: UserId, typed: &str) -> ServerResult<(access::Actor, Target, String)> {
    let actor = access::staff(conn, staff)?;
    let code = CertificateCode::parse(typed).map_err(|_| AppError::NotFound)?;
    let found = certificates::table
        .filter(certificates::code.eq(code.as_key()))
        .select(Target::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if !access::may_revoke(conn, &actor, found.id)? {
        return Err(AppError::Forbidden.into());
    }
    if found.revoked_at.is_some() {
        return invalid("This certificate was revoked, which can't be changed.");
    }
    Ok((actor, found, code.to_string()))
}

/// Suspends the certificate; the reason goes to the audit log, for staff only.
pub fn suspend(
    conn: &mut DbConnection,
    staff: UserId,
    typed: &str,
    reason: &str,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let (actor, found, printed) = target(conn, staff, typed)?;
    let reason = stated_reason(
        reason,
        "Please write down why it is suspended. Only staff see this; the public page doesn't show it.",
    )?;
    if found.suspended_at.is_some() {
        return invalid("This certificate is already suspended.");
    }
    diesel::update(certificates::table.find(found.id))
        .set(certificates::suspended_at.eq(now))
        .execute(conn)?;
    let subject = format!("certificate:{printed}");
    audit::record(
        conn,
        &actor,
        AuditAction::CertificateSuspend,
        &subject,
        Some(reason),
        now,
    )?;
    Ok(())
}

/// Lifts a suspension: the certificate is valid again until its end.
pub fn reinstate(conn: &mut DbConnection, staff: UserId, typed: &str, now: NaiveDateTime) -> ServerResult<()> {
    let (actor, found, printed) = target(conn, staff, typed)?;
    if found.suspended_at.is_none() {
        return invalid("This certificate isn't suspended.");
    }
    diesel::update(certificates::table.find(found.id))
        .set(certificates::suspended_at.eq(None::<NaiveDateTime>))
        .execute(conn)?;
    let subject = format!("certificate:{printed}");
    audit::record(conn, &actor, AuditAction::CertificateReinstate, &subject, None, now)?;
    Ok(())
}
