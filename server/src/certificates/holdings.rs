//! A holder's own certificates: listed on the dashboard, downloaded as a
//! PDF or a signed credential, or fetched by a wallet.

use super::code::CertificateCode;
use super::credential::Issuer;
use super::reissue::not_withdrawn;
use super::verification::CertificateRow;
use crate::db::DbConnection;
use crate::db::schema::{certificate_linked_data, certificates, programs};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{CertificateId, CertificateView, HeldCertificate, UserId};
use holdspace_app::error::AppError;

/// The learner's certificates, newest first.
pub fn held_by(
    conn: &mut DbConnection,
    holder: UserId,
    now: NaiveDateTime,
    issuer: Option<&Issuer>,
) -> ServerResult<Vec<HeldCertificate>> {
    let rows: Vec<(CertificateRow, Option<CertificateId>)> = certificates::table
        .inner_join(programs::table)
        .left_join(certificate_linked_data::table)
        .filter(certificates::user_id.eq(holder))
        .filter(not_withdrawn())
        .order(certificates::issued_at.desc())
        .select((
            CertificateRow::as_select(),
            certificate_linked_data::certificate_id.nullable(),
        ))
        .load(conn)?;
    let base = issuer.map_or("", |issuer| issuer.base_url.as_str());
    rows.into_iter()
        .map(|(row, linked_data)| {
            let certificate = row.view(conn, now, true)?;
            let share_url = format!("{base}/verify/{}", certificate.code);
            let wallet_url = linked_data.map(|_| format!("{share_url}/credential.json"));
            Ok(HeldCertificate {
                certificate,
                share_url,
                wallet_url,
            })
        })
        .collect()
}

/// A certificate its holder downloads.
pub struct Download {
    pub certificate: CertificateView,
    pub credential_jwt: String,
    /// The JSON-LD credential with its Data Integrity proof; none for
    /// certificates issued before those were made.
    pub linked_data: Option<String>,
    pub issued_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// One of the holder's own certificates, to download. Someone else's is
/// "not found", not "forbidden"; a revoked one is not handed out again, so
/// no fresh copy of it circulates.
pub fn own(conn: &mut DbConnection, holder: UserId, typed: &str, now: NaiveDateTime) -> ServerResult<Download> {
    downloadable(conn, typed, Some(holder), now)
}

/// The JSON-LD credential of the certificate with this code, for a wallet
/// to fetch by the link the holder gives it: wallets cannot sign in, and
/// the code already opens the verify page. The same refusals as [`own`].
pub fn wallet_credential(conn: &mut DbConnection, typed: &str, now: NaiveDateTime) -> ServerResult<String> {
    downloadable(conn, typed, None, now)?
        .linked_data
        .ok_or_else(|| AppError::NotFound.into())
}

fn downloadable(
    conn: &mut DbConnection,
    typed: &str,
    holder: Option<UserId>,
    now: NaiveDateTime,
) -> ServerResult<Download> {
    let code = CertificateCode::parse(typed).map_err(|_| AppError::NotFound)?;
    let mut query = certificates::table
        .inner_join(programs::table)
        .left_join(certificate_linked_data::table)
        .filter(certificates::code.eq(code.as_key()))
        .select((
            CertificateRow::as_select(),
            certificates::credential_jwt,
            certificate_linked_data::credential.nullable(),
        ))
        .into_boxed();
    if let Some(holder) = holder {
        query = query.filter(certificates::user_id.eq(holder));
    }
    let (row, credential_jwt, linked_data): (CertificateRow, String, Option<String>) =
        query.first(conn).optional()?.ok_or(AppError::NotFound)?;
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
        linked_data,
        issued_at,
        expires_at,
    })
}
