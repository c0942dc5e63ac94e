//! Certificates: issued when a learner completes a program, looked up by
//! anyone, revoked by trainers and admins.

use super::authoring::{Actor, teacher};
use super::following::staffs_program;
use super::{StoreError, day};
use crate::certificate_code::{CertificateCode, CodeError};
use crate::credential::{self, Attestation, Issuer};
use crate::db::DbConnection;
use crate::db::schema::{
    audit_log, certificate_courses, certificates, course_versions, courses, enrollments, program_courses, programs,
    users,
};
use crate::signing_keys::SigningKeys;
use chrono::{Months, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::{CertificateStatus, CertificateView, HeldCertificate, Verification};
use holdspace_app::error::AppError;
use std::sync::Arc;

/// What issuing needs besides the database: who signs, and with which keys.
#[derive(Debug)]
pub struct Issuing {
    pub issuer: Issuer,
    pub keys: Arc<SigningKeys>,
}

/// After a passed quiz in `course_id`: issues a certificate for every
/// program this completes.
///
/// Runs inside the submission's write transaction. Two submissions of the
/// same learner can race; on SQLite `BEGIN IMMEDIATE` already serializes
/// them, and on PostgreSQL the row lock taken below makes the second wait
/// and then see the first one's attempt and certificate. The unique
/// `(user_id, program_id, sequence)` key is the last line of defence.
pub(super) fn issue_if_complete(
    conn: &mut DbConnection,
    user_id: i64,
    course_id: i64,
    now: NaiveDateTime,
    issuing: &Issuing,
) -> Result<(), StoreError> {
    let course_slug: String = courses::table.find(course_id).select(courses::slug).first(conn)?;
    let program_ids: Vec<i64> = program_courses::table
        .filter(program_courses::course_slug.eq(&course_slug))
        .select(program_courses::program_id)
        .distinct()
        .load(conn)?;
    if program_ids.is_empty() {
        return Ok(());
    }
    // A no-op update: its only effect is the row lock on the learner.
    diesel::update(users::table.find(user_id))
        .set(users::display_name.eq(users::display_name))
        .execute(conn)?;
    for program_id in program_ids {
        issue_for_program(conn, user_id, program_id, now, issuing)?;
    }
    Ok(())
}

/// After a practical sign-off: issues the program's certificate if that was the last thing missing.
pub(super) fn issue_after_signoff(
    conn: &mut DbConnection,
    user_id: i64,
    program_id: i64,
    now: NaiveDateTime,
    issuing: &Issuing,
) -> Result<(), StoreError> {
    // The same row lock as a quiz submission takes, so the two cannot both issue.
    diesel::update(users::table.find(user_id))
        .set(users::display_name.eq(users::display_name))
        .execute(conn)?;
    issue_for_program(conn, user_id, program_id, now, issuing)
}

struct Latest {
    sequence: i32,
    expires_at: NaiveDateTime,
    revoked: bool,
}

/// One course of a program as the certificate records it.
struct Covered {
    version_id: i64,
    title: String,
    version_label: String,
}

fn issue_for_program(
    conn: &mut DbConnection,
    user_id: i64,
    program_id: i64,
    now: NaiveDateTime,
    issuing: &Issuing,
) -> Result<(), StoreError> {
    let latest = certificates::table
        .filter(certificates::user_id.eq(user_id))
        .filter(certificates::program_id.eq(program_id))
        .order(certificates::sequence.desc())
        .select((
            certificates::sequence,
            certificates::expires_at,
            certificates::revoked_at.is_not_null(),
        ))
        .first::<(i32, NaiveDateTime, bool)>(conn)
        .optional()?
        .map(|(sequence, expires_at, revoked)| Latest {
            sequence,
            expires_at,
            revoked,
        });
    // A current certificate needs no second one. A revoked one is not
    // renewed by passing quizzes: that was a person's decision.
    let passes_since = match &latest {
        None => None,
        Some(latest) if latest.revoked || now < latest.expires_at => return Ok(()),
        // A renewal: the program is completed again after the expiry.
        Some(latest) => Some(latest.expires_at),
    };
    let Some(covered) = completed_courses(conn, user_id, program_id, passes_since)? else {
        return Ok(());
    };
    if !super::following::practicals_signed_off(conn, user_id, program_id)? {
        return Ok(());
    }

    let (slug, title, valid_for_months): (String, String, i32) = programs::table
        .find(program_id)
        .select((programs::slug, programs::title, programs::valid_for_months))
        .first(conn)?;
    let holder_name: String = users::table.find(user_id).select(users::display_name).first(conn)?;
    let expires_at = now
        .checked_add_months(Months::new(valid_for_months.max(1) as u32))
        .ok_or_else(|| StoreError::Corrupt(format!("program {slug} validity")))?;
    let code = CertificateCode::generate();
    let printed_code = code.to_string();
    let course_list: Vec<(String, String)> = covered
        .iter()
        .map(|c| (c.title.clone(), c.version_label.clone()))
        .collect();
    let facts = Attestation {
        code: &printed_code,
        holder_name: &holder_name,
        program_slug: &slug,
        program_title: &title,
        courses: &course_list,
        issued_at: now,
        expires_at,
    };
    let jwt = credential::sign(&issuing.issuer, &facts, issuing.keys.current());
    let certificate_id: i64 = diesel::insert_into(certificates::table)
        .values((
            certificates::code.eq(code.as_key()),
            certificates::user_id.eq(user_id),
            certificates::program_id.eq(program_id),
            certificates::sequence.eq(latest.map_or(1, |l| l.sequence + 1)),
            certificates::holder_name.eq(&holder_name),
            certificates::program_slug.eq(&slug),
            certificates::program_title.eq(&title),
            certificates::issued_at.eq(now),
            certificates::expires_at.eq(expires_at),
            certificates::credential_jwt.eq(&jwt),
        ))
        .returning(certificates::id)
        .get_result(conn)?;
    for (position, course) in covered.iter().enumerate() {
        diesel::insert_into(certificate_courses::table)
            .values((
                certificate_courses::certificate_id.eq(certificate_id),
                certificate_courses::position.eq(position as i32),
                certificate_courses::course_version_id.eq(course.version_id),
                certificate_courses::course_title.eq(&course.title),
                certificate_courses::version_label.eq(&course.version_label),
            ))
            .execute(conn)?;
    }
    tracing::info!(certificate_id, program = %slug, "certificate issued");
    Ok(())
}

/// The program's courses, if the learner has passed every quiz of each
/// course's current version (since `since`, for a renewal); else `None`.
fn completed_courses(
    conn: &mut DbConnection,
    user_id: i64,
    program_id: i64,
    since: Option<NaiveDateTime>,
) -> Result<Option<Vec<Covered>>, StoreError> {
    let slugs: Vec<String> = program_courses::table
        .filter(program_courses::program_id.eq(program_id))
        .order(program_courses::position)
        .select(program_courses::course_slug)
        .load(conn)?;
    let mut covered = Vec::with_capacity(slugs.len());
    for slug in slugs {
        let current = current_courses!()
            .filter(courses::slug.eq(&slug))
            .select((
                courses::id,
                course_versions::id,
                course_versions::title,
                course_versions::version_label,
            ))
            .first::<(i64, i64, String, String)>(conn)
            .optional()?;
        let Some((course_id, version_id, title, version_label)) = current else {
            return Ok(None);
        };
        let enrolled: i64 = enrollments::table
            .filter(enrollments::user_id.eq(user_id))
            .filter(enrollments::course_id.eq(course_id))
            .count()
            .get_result(conn)?;
        if enrolled == 0 {
            return Ok(None);
        }
        if !super::learning::passed_every_quiz(conn, user_id, course_id, version_id, since)? {
            return Ok(None);
        }
        covered.push(Covered {
            version_id,
            title,
            version_label,
        });
    }
    Ok(Some(covered))
}

type CertificateRow = (
    i64,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<String>,
);

macro_rules! certificate_columns {
    () => {
        (
            certificates::id,
            certificates::code,
            certificates::holder_name,
            certificates::program_slug,
            certificates::program_title,
            certificates::issued_at,
            certificates::expires_at,
            certificates::revoked_at,
            certificates::revocation_reason,
        )
    };
}

/// A stored code key as printed on certificates.
pub(super) fn printed(key: &str) -> Result<String, StoreError> {
    Ok(CertificateCode::parse(key)
        .map_err(|e| StoreError::Corrupt(format!("stored code {key}: {e}")))?
        .to_string())
}

/// A certificate's standing at `now`: revocation outranks expiry.
pub(super) fn status_of(
    revoked_at: Option<NaiveDateTime>,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> CertificateStatus {
    match revoked_at {
        Some(_) => CertificateStatus::Revoked,
        None if now >= expires_at => CertificateStatus::Expired,
        None => CertificateStatus::Valid,
    }
}

fn view(
    conn: &mut DbConnection,
    row: CertificateRow,
    now: NaiveDateTime,
    with_courses: bool,
) -> Result<CertificateView, StoreError> {
    let (id, code, holder_name, program_slug, program_title, issued_at, expires_at, revoked_at, revocation_reason) =
        row;
    let status = status_of(revoked_at, expires_at, now);
    let courses = if with_courses {
        certificate_courses::table
            .filter(certificate_courses::certificate_id.eq(id))
            .order(certificate_courses::position)
            .select((certificate_courses::course_title, certificate_courses::version_label))
            .load(conn)?
    } else {
        Vec::new()
    };
    Ok(CertificateView {
        code: printed(&code)?,
        status,
        holder_name,
        program_slug,
        program_title,
        courses,
        issued_on: day(issued_at),
        expires_on: day(expires_at),
        revoked_on: revoked_at.map(day),
        revocation_reason,
    })
}

/// Looks up a code as typed. `with_courses` adds the covered courses (one
/// more query), which the page shows and the JSON API leaves out.
pub(super) fn verify(
    conn: &mut DbConnection,
    typed: &str,
    now: NaiveDateTime,
    with_courses: bool,
) -> Result<Verification, StoreError> {
    let code = match CertificateCode::parse(typed) {
        Ok(code) => code,
        Err(CodeError::Typo) => return Ok(Verification::Typo),
        Err(CodeError::Malformed) => return Ok(Verification::Malformed),
    };
    let row = certificates::table
        .filter(certificates::code.eq(code.as_key()))
        .select(certificate_columns!())
        .first::<CertificateRow>(conn)
        .optional()?;
    match row {
        Some(row) => Ok(Verification::Found(Box::new(view(conn, row, now, with_courses)?))),
        None => Ok(Verification::Unknown),
    }
}

/// Looks up many codes as typed, in the order given, with a query per 500
/// codes rather than one per code.
pub(super) fn verify_many(
    conn: &mut DbConnection,
    typed: Vec<String>,
    now: NaiveDateTime,
) -> Result<Vec<(String, Verification)>, StoreError> {
    let parsed: Vec<Result<CertificateCode, CodeError>> = typed.iter().map(|t| CertificateCode::parse(t)).collect();
    let keys: Vec<&str> = parsed
        .iter()
        .filter_map(|p| p.as_ref().ok().map(CertificateCode::as_key))
        .collect();
    let mut found: std::collections::HashMap<String, CertificateView> =
        std::collections::HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(500) {
        let rows: Vec<CertificateRow> = certificates::table
            .filter(certificates::code.eq_any(chunk))
            .select(certificate_columns!())
            .load(conn)?;
        for row in rows {
            let key = row.1.clone();
            found.insert(key, view(conn, row, now, false)?);
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

/// The learner's certificates, newest first.
pub(super) fn held_by(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
    issuer: Option<&Issuer>,
) -> Result<Vec<HeldCertificate>, StoreError> {
    let rows: Vec<CertificateRow> = certificates::table
        .filter(certificates::user_id.eq(user_id))
        .order(certificates::issued_at.desc())
        .select(certificate_columns!())
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let certificate = view(conn, row, now, true)?;
            let share_url = match issuer {
                Some(issuer) => issuer.verify_url(&certificate.code),
                None => format!("/verify/{}", certificate.code),
            };
            Ok(HeldCertificate { certificate, share_url })
        })
        .collect()
}

/// A certificate its holder downloads.
struct Owned {
    certificate: CertificateView,
    jwt: String,
    issued_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

/// One of the learner's own certificates with its signed credential, to
/// download. Someone else's is "not found", not "forbidden"; a revoked one
/// is not handed out again, so no fresh copy of it circulates.
fn own(conn: &mut DbConnection, user_id: i64, typed: &str, now: NaiveDateTime) -> Result<Owned, StoreError> {
    let code = CertificateCode::parse(typed).map_err(|_| AppError::NotFound)?;
    let (row, jwt): (CertificateRow, String) = certificates::table
        .filter(certificates::code.eq(code.as_key()))
        .filter(certificates::user_id.eq(user_id))
        .select((certificate_columns!(), certificates::credential_jwt))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let (issued_at, expires_at) = (row.5, row.6);
    let certificate = view(conn, row, now, true)?;
    if let Some(revoked_on) = &certificate.revoked_on {
        return Err(AppError::Invalid(format!(
            "This certificate was revoked on {revoked_on}, so it can no longer be downloaded. Its verify page shows the reason."
        ))
        .into());
    }
    Ok(Owned {
        certificate,
        jwt,
        issued_at,
        expires_at,
    })
}

const MAX_REASON_CHARS: usize = 500;

/// Revokes a certificate for a stated reason and records who did it.
/// Whether `actor` may revoke the certificate with this id: staff of its
/// program, and never the holder.
fn may_revoke(conn: &mut DbConnection, actor: &Actor, certificate_id: i64) -> Result<bool, StoreError> {
    let (program_id, holder): (i64, Option<i64>) = certificates::table
        .find(certificate_id)
        .select((certificates::program_id, certificates::user_id))
        .first(conn)?;
    Ok(holder.is_none_or(|holder| actor.id != Some(holder)) && staffs_program(conn, actor, program_id)?)
}

/// Whether the signed-in `viewer` may revoke the certificate `typed` names (for the verify page).
pub(super) fn viewer_may_revoke(conn: &mut DbConnection, viewer: Option<i64>, typed: &str) -> Result<bool, StoreError> {
    let Some(viewer) = viewer else { return Ok(false) };
    let Ok(actor) = teacher(conn, viewer) else {
        return Ok(false);
    };
    let Ok(code) = CertificateCode::parse(typed) else {
        return Ok(false);
    };
    let id: Option<i64> = certificates::table
        .filter(certificates::code.eq(code.as_key()))
        .select(certificates::id)
        .first(conn)
        .optional()?;
    match id {
        Some(id) => may_revoke(conn, &actor, id),
        None => Ok(false),
    }
}

pub(super) fn revoke(
    conn: &mut DbConnection,
    actor_id: i64,
    typed: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let actor = teacher(conn, actor_id)?;
    let code = CertificateCode::parse(typed).map_err(|_| AppError::NotFound)?;
    let (id, revoked_at): (i64, Option<NaiveDateTime>) = certificates::table
        .filter(certificates::code.eq(code.as_key()))
        .select((certificates::id, certificates::revoked_at))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if !may_revoke(conn, &actor, id)? {
        return Err(AppError::Forbidden.into());
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::Invalid("Please write down why this certificate is being revoked. The holder and anyone who checks the code will see it.".into()).into());
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::Invalid(format!("Please keep the reason under {MAX_REASON_CHARS} characters.")).into());
    }
    if let Some(at) = revoked_at {
        return Err(AppError::Invalid(format!("This certificate was already revoked on {}.", day(at))).into());
    }
    diesel::update(certificates::table.find(id))
        .set((
            certificates::revoked_at.eq(now),
            certificates::revocation_reason.eq(reason),
        ))
        .execute(conn)?;
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_user_id.eq(actor_id),
            audit_log::actor_name.eq(&actor.name),
            audit_log::action.eq("certificate.revoke"),
            audit_log::subject.eq(format!("certificate:{code}")),
            audit_log::reason.eq(reason),
            audit_log::at.eq(now),
        ))
        .execute(conn)?;
    tracing::info!(certificate_id = id, actor_id, "certificate revoked");
    Ok(())
}

impl super::Store {
    /// A lookup for the public JSON API (without the course list).
    pub async fn lookup_certificate(&self, typed: String) -> Result<Verification, StoreError> {
        self.run(move |conn, now| verify(conn, &typed, now, false)).await
    }

    /// The holder's certificate as a PDF, drawn on request from what was recorded at issue.
    pub async fn certificate_pdf(&self, user_id: i64, typed: String) -> Result<(String, Vec<u8>), StoreError> {
        let issuer = self.issuing()?.issuer.clone();
        self.run(move |conn, now| {
            let Owned {
                certificate,
                issued_at,
                expires_at,
                ..
            } = own(conn, user_id, &typed, now)?;
            let document = crate::certificate_pdf::CertificateDocument {
                issuer_name: issuer.name.clone(),
                holder_name: certificate.holder_name,
                program_title: certificate.program_title,
                courses: certificate.courses,
                issued_on: issued_at.date(),
                expires_on: expires_at.date(),
                verify_url: issuer.verify_url(&certificate.code),
                code: certificate.code,
            };
            Ok((document.code.clone(), crate::certificate_pdf::render(&document)?))
        })
        .await
    }

    /// The holder's signed credential (VC-JWT), as issued.
    pub async fn credential(&self, user_id: i64, typed: String) -> Result<(String, String), StoreError> {
        self.run(move |conn, now| {
            let Owned { certificate, jwt, .. } = own(conn, user_id, &typed, now)?;
            Ok((certificate.code, jwt))
        })
        .await
    }

    /// Every public signing key, for `/.well-known/jwks.json`.
    pub fn jwks(&self) -> Result<serde_json::Value, StoreError> {
        Ok(self.issuing()?.keys.jwks())
    }

    /// The issuer profile (OB 3.0 `Profile`).
    pub fn issuer_profile(&self) -> Result<serde_json::Value, StoreError> {
        Ok(self.issuing()?.issuer.profile())
    }

    fn issuing(&self) -> Result<&Issuing, StoreError> {
        self.config
            .issuing
            .as_deref()
            .ok_or_else(|| StoreError::Corrupt("the store was opened without signing keys".into()))
    }
}
