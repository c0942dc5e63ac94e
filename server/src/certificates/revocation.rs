//! Revoking a certificate, for a stated reason that everyone checking the
//! code sees.

use super::code::CertificateCode;
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction};
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::certificates;
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{CertificateId, UserId};
use holdspace_app::error::AppError;

const MAX_REASON_CHARS: usize = 500;

/// The reason staff gave for revoking or suspending, trimmed; `missing`
/// says what to write when there is none.
pub(super) fn stated_reason<'a>(reason: &'a str, missing: &str) -> ServerResult<&'a str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return invalid(missing);
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return invalid(format!("Please keep the reason under {MAX_REASON_CHARS} characters."));
    }
    Ok(reason)
}

fn find(conn: &mut DbConnection, typed: &str) -> ServerResult<Option<(CertificateId, Option<NaiveDateTime>)>> {
    let Ok(code) = CertificateCode::parse(typed) else {
        return Ok(None);
    };
    Ok(certificates::table
        .filter(certificates::code.eq(code.as_key()))
        .select((certificates::id, certificates::revoked_at))
        .first(conn)
        .optional()?)
}

/// Whether the signed-in `viewer` may revoke the certificate `typed` names (for the verify page).
pub fn viewer_may_revoke(conn: &mut DbConnection, viewer: Option<UserId>, typed: &str) -> ServerResult<bool> {
    let Some(viewer) = viewer else { return Ok(false) };
    let actor = Actor::load(conn, viewer)?;
    match find(conn, typed)? {
        Some((certificate, _)) => access::may_revoke(conn, &actor, certificate),
        None => Ok(false),
    }
}

/// Revokes the certificate and records who did it and why.
pub fn revoke(
    conn: &mut DbConnection,
    staff: UserId,
    typed: &str,
    reason: &str,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = access::staff(conn, staff)?;
    let (certificate, revoked_at) = find(conn, typed)?.ok_or(AppError::NotFound)?;
    if !access::may_revoke(conn, &actor, certificate)? {
        return Err(AppError::Forbidden.into());
    }
    let reason = stated_reason(
        reason,
        "Please write down why this certificate is being revoked. The holder and anyone who checks the code will see it.",
    )?;
    if let Some(at) = revoked_at {
        return invalid(format!("This certificate was already revoked on {}.", day(at)));
    }
    diesel::update(certificates::table.find(certificate))
        .set((
            certificates::revoked_at.eq(now),
            certificates::revocation_reason.eq(reason),
        ))
        .execute(conn)?;
    let printed = CertificateCode::parse(typed)
        .map(|code| code.to_string())
        .unwrap_or_default();
    audit::record(
        conn,
        &actor,
        AuditAction::CertificateRevoke,
        &format!("certificate:{printed}"),
        Some(reason),
        now,
    )?;
    tracing::info!(%certificate, %staff, "certificate revoked");
    Ok(())
}
