//! Looking certificates up by the code people type, one or many at a time.

use super::code::{CertificateCode, CodeError};
use super::reissue::not_withdrawn;
use super::state::StoredState;
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::{certificate_courses, certificates, programs};
use crate::error::{ServerError, ServerResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{
    CertificateId, CertificateStatus, CertificateView, ChainLink, ProgramId, UserId, Verification,
};
use std::collections::HashMap;

/// A certificate as its public view needs it, from a query that joins `programs`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = certificates, check_for_backend(crate::db::MultiBackend))]
pub struct CertificateRow {
    pub id: CertificateId,
    /// The code's stored key (no dashes, no prefix).
    pub code: String,
    pub user_id: Option<UserId>,
    pub program_id: ProgramId,
    pub holder_name: String,
    pub program_slug: String,
    pub program_title: String,
    pub issued_at: NaiveDateTime,
    #[diesel(embed)]
    pub state: StoredState,
    pub revocation_reason: Option<String>,
}

/// A stored code key as printed on certificates.
pub fn printed(key: &str) -> ServerResult<String> {
    Ok(CertificateCode::parse(key)
        .map_err(|e| ServerError::Corrupt(format!("stored code {key}: {e}")))?
        .to_string())
}

/// Whether the learner holds a valid certificate of the program today.
pub fn certified_now(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
    now: NaiveDateTime,
) -> ServerResult<bool> {
    let valid = certificates::table
        .filter(certificates::user_id.eq(learner))
        .filter(certificates::program_id.eq(program))
        .filter(certificates::revoked_at.is_null())
        .filter(certificates::suspended_at.is_null())
        .filter(certificates::valid_from.le(now))
        .filter(certificates::expires_at.gt(now));
    Ok(diesel::select(diesel::dsl::exists(valid)).get_result(conn)?)
}

impl CertificateRow {
    /// The public view; `with_courses` adds the covered courses and the
    /// chain of renewals (two more queries).
    pub fn view(
        self,
        conn: &mut DbConnection,
        now: NaiveDateTime,
        with_courses: bool,
    ) -> ServerResult<CertificateView> {
        let courses = if with_courses {
            certificate_courses::table
                .filter(certificate_courses::certificate_id.eq(self.id))
                .order(certificate_courses::position)
                .select((certificate_courses::course_title, certificate_courses::version_label))
                .load(conn)?
        } else {
            Vec::new()
        };
        let chain = match self.user_id.filter(|_| with_courses) {
            Some(holder) => certificates::table
                .inner_join(programs::table)
                .filter(certificates::user_id.eq(holder))
                .filter(certificates::program_id.eq(self.program_id))
                .filter(certificates::id.ne(self.id))
                .filter(not_withdrawn())
                .order(certificates::sequence)
                .select(StoredState::as_select())
                .load(conn)?
                .into_iter()
                .map(|other| ChainLink {
                    valid_from: day(other.valid_from),
                    expires_on: day(other.expires_at),
                    status: other.at(now),
                })
                .collect(),
            None => Vec::new(),
        };
        let status = self.state.at(now);
        let renewal_open_until = matches!(status, CertificateStatus::RenewalDue | CertificateStatus::Grace)
            .then(|| day(self.state.renewal().grace_ends(self.state.expires_at)));
        Ok(CertificateView {
            code: printed(&self.code)?,
            status,
            // Only a certificate withdrawn for a reissue is stored without a name.
            holder_name: Some(self.holder_name).filter(|name| !name.is_empty()),
            program_slug: self.program_slug,
            program_title: self.program_title,
            courses,
            issued_on: day(self.issued_at),
            valid_from: day(self.state.valid_from),
            expires_on: day(self.state.expires_at),
            renewal_open_until,
            chain,
            revoked_on: self.state.revoked_at.map(day),
            revocation_reason: self.revocation_reason,
        })
    }
}

/// Looks up a code as typed. `with_courses` adds the covered courses, which
/// the page shows and the JSON API leaves out.
pub fn verify(
    conn: &mut DbConnection,
    typed: &str,
    now: NaiveDateTime,
    with_courses: bool,
) -> ServerResult<Verification> {
    let code = match CertificateCode::parse(typed) {
        Ok(code) => code,
        Err(CodeError::Typo) => return Ok(Verification::Typo),
        Err(CodeError::Malformed) => return Ok(Verification::Malformed),
    };
    let row = certificates::table
        .inner_join(programs::table)
        .filter(certificates::code.eq(code.as_key()))
        .select(CertificateRow::as_select())
        .first(conn)
        .optional()?;
    match row {
        Some(row) => Ok(Verification::Found(Box::new(row.view(conn, now, with_courses)?))),
        None => Ok(Verification::Unknown),
    }
}

/// Looks up many codes as typed, in the order given, with a query per 500
/// codes rather than one per code.
pub fn verify_many(
    conn: &mut DbConnection,
    typed: Vec<String>,
    now: NaiveDateTime,
) -> ServerResult<Vec<(String, Verification)>> {
    let parsed: Vec<Result<CertificateCode, CodeError>> = typed.iter().map(|t| CertificateCode::parse(t)).collect();
    let keys: Vec<&str> = parsed
        .iter()
        .filter_map(|p| p.as_ref().ok().map(CertificateCode::as_key))
        .collect();
    let mut found: HashMap<String, CertificateView> = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(500) {
        let rows: Vec<CertificateRow> = certificates::table
            .inner_join(programs::table)
            .filter(certificates::code.eq_any(chunk))
            .select(CertificateRow::as_select())
            .load(conn)?;
        for row in rows {
            let key = row.code.clone();
            found.insert(key, row.view(conn, now, false)?);
        }
    }
    Ok(typed
        .into_iter()
        .zip(parsed)
        .map(|(typed, parsed)| {
            let verification = match parsed {
                Err(CodeError::Typo) => Verification::Typo,
                Err(CodeError::Malformed) => Verification::Malformed,
                Ok(code) => found.get(code.as_key()).map_or(Verification::Unknown, |view| {
                    Verification::Found(Box::new(view.clone()))
                }),
            };
            (typed, verification)
        })
        .collect())
}
