//! Issuing certificates, exactly once per completion.

use super::code::CertificateCode;
use super::credential::{self, Attestation, HolderIdentity, Issuer};
use super::signing_keys::SigningKeys;
use super::status_list;
use crate::db::DbConnection;
use crate::db::schema::{certificate_courses, certificate_linked_data, certificates, courses, users};
use crate::error::{ServerError, ServerResult};
use crate::exams;
use crate::mail::{self, Letter};
use crate::practice;
use crate::programs::{self, CoveredCourse, Program, RenewalRule, Route, Standing};
use crate::training;
use chrono::{Months, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::{CertificateId, CourseId, CourseVersionId, ProgramId, UserId};
use std::sync::Arc;

/// What issuing needs besides the database: who signs, and with which keys.
#[derive(Debug)]
pub struct Issuing {
    pub issuer: Issuer,
    pub keys: Arc<SigningKeys>,
}

/// A no-op update whose only effect is the row lock on the learner: on
/// PostgreSQL a second submission of the same learner waits here and then
/// sees the first one's attempt and certificate (SQLite's `BEGIN IMMEDIATE`
/// already serializes writers). The unique `(user_id, program_id,
/// sequence)` key is the last line of defence.
pub(super) fn lock_learner(conn: &mut DbConnection, learner: UserId) -> ServerResult<()> {
    diesel::update(users::table.find(learner))
        .set(users::display_name.eq(users::display_name))
        .execute(conn)?;
    Ok(())
}

/// After a passed quiz in `course`: issues a certificate for every program
/// this completes. Runs inside the submission's write transaction.
pub fn issue_if_complete(
    conn: &mut DbConnection,
    learner: UserId,
    course: CourseId,
    now: NaiveDateTime,
    issuing: &Issuing,
) -> ServerResult<()> {
    let slug: String = courses::table.find(course).select(courses::slug).first(conn)?;
    let programs = programs::programs_with_course(conn, &slug)?;
    if programs.is_empty() {
        return Ok(());
    }
    lock_learner(conn, learner)?;
    for program in programs {
        issue_for_program(conn, learner, program, now, issuing)?;
    }
    Ok(())
}

/// After a practical sign-off or a passed exam: issues the program's
/// certificate if that was the last thing missing.
pub fn issue_if_program_complete(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
    now: NaiveDateTime,
    issuing: &Issuing,
) -> ServerResult<()> {
    lock_learner(conn, learner)?;
    issue_for_program(conn, learner, program, now, issuing)
}

/// Whether the learner meets everything `route` asks of the program; if
/// so, the courses the certificate covers.
fn requirements_met(
    conn: &mut DbConnection,
    learner: UserId,
    program: &Program,
    route: Route,
) -> ServerResult<Option<Vec<CoveredCourse>>> {
    let Some(covered) = programs::completed_courses(conn, learner, program.id, route.courses_since().flatten())? else {
        return Ok(None);
    };
    let exam_passed = match route.exam_since() {
        Some(since) => exams::passed_exam(conn, learner, program.id, since)?,
        None => true,
    };
    if !exam_passed
        || !practice::attestations_signed(conn, learner, program.id)?
        || !training::hours_of(conn, learner, program, route)?.is_none_or(|hours| hours.met())
    {
        return Ok(None);
    }
    if let Route::Complete { .. } = route {
        let practice_done = programs::practicals_signed_off(conn, learner, program.id)?
            && practice::roleplays_passed(conn, learner, program.id)?
                .iter()
                .all(|p| *p)
            && practice::supervised_minutes(conn, learner, program.id)?.0 >= program.supervised_minutes;
        if !practice_done {
            return Ok(None);
        }
    }
    Ok(Some(covered))
}

fn issue_for_program(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
    now: NaiveDateTime,
    issuing: &Issuing,
) -> ServerResult<()> {
    let latest = programs::latest_certificate(conn, learner, program)?;
    let program = Program::by_id(conn, program)?;
    let Standing::Open { route, starts } = programs::standing_of(latest.as_ref(), RenewalRule::of(&program), now)
    else {
        return Ok(());
    };
    let Some(covered) = requirements_met(conn, learner, &program, route)? else {
        return Ok(());
    };
    let (holder_name, email): (String, String) = users::table
        .find(learner)
        .select((users::display_name, users::email))
        .first(conn)?;
    let valid_from = starts.unwrap_or(now);
    let expires_at = valid_from
        .checked_add_months(Months::new(u32::try_from(program.valid_for_months.max(1)).unwrap_or(1)))
        .ok_or_else(|| ServerError::Corrupt(format!("program {} validity", program.slug)))?;
    let courses: Vec<CourseOnCertificate> = covered
        .into_iter()
        .map(|c| CourseOnCertificate {
            version_id: c.version_id,
            title: c.title,
            version_label: c.version_label,
        })
        .collect();
    let certificate = write_certificate(
        conn,
        &NewCertificate {
            learner,
            program_id: program.id,
            program_slug: &program.slug,
            program_title: &program.title,
            sequence: latest.as_ref().map_or(1, |l| l.sequence + 1),
            holder_name: &holder_name,
            email: &email,
            courses: &courses,
            valid_from,
            expires_at,
        },
        now,
        issuing,
    )?;
    if let Some(renewed) = &latest {
        diesel::update(certificates::table.find(renewed.id))
            .set(certificates::replaced_by_id.eq(certificate))
            .execute(conn)?;
    }
    mail::enqueue(
        conn,
        &format!("certificate:{certificate}"),
        Some(learner),
        &email,
        &Letter::CertificateReady {
            name: holder_name,
            path: "/me".into(),
        },
        now,
    )?;
    tracing::info!(%certificate, program = %program.slug, "certificate issued");
    Ok(())
}

/// A course a certificate covers, in the version the holder completed.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = certificate_courses, check_for_backend(crate::db::MultiBackend))]
pub(super) struct CourseOnCertificate {
    #[diesel(column_name = course_version_id)]
    pub version_id: CourseVersionId,
    #[diesel(column_name = course_title)]
    pub title: String,
    pub version_label: String,
}

/// A certificate about to be written: everything but its code, its place
/// in the status lists and its signature, which [`write_certificate`] makes.
pub(super) struct NewCertificate<'a> {
    pub learner: UserId,
    pub program_id: ProgramId,
    pub program_slug: &'a str,
    pub program_title: &'a str,
    pub sequence: i32,
    pub holder_name: &'a str,
    /// For the holder's identity hash.
    pub email: &'a str,
    pub courses: &'a [CourseOnCertificate],
    pub valid_from: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Writes a certificate with a new code, a random place in the status
/// lists and its signed credential; returns its id.
pub(super) fn write_certificate(
    conn: &mut DbConnection,
    new: &NewCertificate<'_>,
    now: NaiveDateTime,
    issuing: &Issuing,
) -> ServerResult<CertificateId> {
    let code = CertificateCode::generate();
    let printed_code = code.to_string();
    let course_list: Vec<(String, String)> = new
        .courses
        .iter()
        .map(|c| (c.title.clone(), c.version_label.clone()))
        .collect();
    let holder = if issuing.issuer.plain_names {
        HolderIdentity::Name(new.holder_name.to_owned())
    } else {
        HolderIdentity::hashed_email(new.email)
    };
    let status = status_list::allocate(conn)?;
    let subject_id = credential::new_subject_id();
    let facts = Attestation {
        code: &printed_code,
        subject_id: &subject_id,
        holder: &holder,
        program_slug: new.program_slug,
        program_title: new.program_title,
        courses: &course_list,
        valid_from: new.valid_from,
        expires_at: new.expires_at,
        status: Some(status),
    };
    let jwt = credential::sign(&issuing.issuer, &facts, issuing.keys.current());
    let linked_data = credential::sign_linked_data(&issuing.issuer, &facts, issuing.keys.current(), now)
        .map_err(|e| ServerError::Corrupt(format!("signing the JSON-LD credential: {e}")))?;
    let certificate: CertificateId = diesel::insert_into(certificates::table)
        .values((
            certificates::code.eq(code.as_key()),
            certificates::user_id.eq(new.learner),
            certificates::program_id.eq(new.program_id),
            certificates::sequence.eq(new.sequence),
            certificates::holder_name.eq(new.holder_name),
            certificates::program_slug.eq(new.program_slug),
            certificates::program_title.eq(new.program_title),
            certificates::issued_at.eq(now),
            certificates::valid_from.eq(new.valid_from),
            certificates::expires_at.eq(new.expires_at),
            certificates::credential_jwt.eq(&jwt),
        ))
        .returning(certificates::id)
        .get_result(conn)?;
    status_list::place(conn, certificate, status)?;
    diesel::insert_into(certificate_linked_data::table)
        .values((
            certificate_linked_data::certificate_id.eq(certificate),
            certificate_linked_data::credential.eq(linked_data.to_string()),
        ))
        .execute(conn)?;
    for (position, course) in (0i32..).zip(new.courses) {
        diesel::insert_into(certificate_courses::table)
            .values((
                certificate_courses::certificate_id.eq(certificate),
                certificate_courses::position.eq(position),
                certificate_courses::course_version_id.eq(course.version_id),
                certificate_courses::course_title.eq(&course.title),
                certificate_courses::version_label.eq(&course.version_label),
            ))
            .execute(conn)?;
    }
    Ok(certificate)
}
