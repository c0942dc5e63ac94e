//! A holder's own certificates: listed on the dashboard, downloaded as a
//! PDF or a signed credential.

use super::code::CertificateCode;
use super::credential::Issuer;
use super::reissue::not_withdrawn;
use super::verification::CertificateRow;
use crate::db::DbConnection;
use crate::db::schema::{certificates, programs};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{CertificateView, HeldCertificate, UserId};
use holdspace_app::error::AppError;

/// The learner's certificates, newest first.
pub fn held_by(
    conn: &mut DbConnection,
    holder: UserId,
    now: NaiveDateTime,
    issuer: Option<&Issuer>,
) -> ServerResult<Vec<HeldCertificate>> {
    let rows: Vec<CertificateRow> = certificates::table
        .inner_join(programs::table)
        .filter(certificates::user_id.eq(holder))
        .filter(not_withdrawn())
        .order(certificates::issued_at.desc())
        .select(CertificateRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let certificate = row.view(conn, now, true)?;
            let share_url = match issuer {
                Some(issuer) => issuer.verify_url(&certificate.code),
                None => format!("/verify/{}", certificate.code),
            };
            Ok(HeldCertificate { certificate, share_url })
        })
        .collect()
}

/// A certificate its holder downloads.
pub struct Download {
    pub certificate: CertificateView,
    pub credential_jwt: String,
    pub issued_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// One of the holder's own certificates, to download. Someone else's is
/// "not found", not "forbidden"; a revoked one is not handed out again, so
/// no fresh copy of it circulates.
pub fn own(conn: &mut DbConnection, holder: UserId, typed: &str, now: NaiveDateTime) -> ServerResult<Download> {
    let code = CertificateCode::parse(typed).map_err(|_| AppError::NotFound)?;
    let (row, credential_jwt): (CertificateRow, String) = certificates::table
        .inner_join(programs::table)
        .filter(certificates::code.eq(code.as_key()))
        .filter(certificates::user_id.eq(holder))
        .select((CertificateRow::as_select(), certificates::credential_jwt))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let (issued_at, expires_at) = (row.issued_at, row.state.expires_at);
    let certificate = row.view(conn, now, true)?;
    if let Some(on) = certificate.revoked_on.clone() {
        return Err(AppError::Revoked { on }.into());
    }
    // Nor is a suspended one, while the suspension lasts.
    if certificate.status == holdspace_app::dto::CertificateStatus::Suspended {
        return Err(AppError::Forbidden.into());
    }
    Ok(Download {
        certificate,
        credential_jwt,
        issued_at,
        expires_at,
    })
}
