//! A person's own data: all of it as JSON on request, and deleting the
//! account.
//!
//! Deleting removes the account and everything that hangs off it (the
//! foreign keys cascade: sessions, enrollments, reading, sittings, attempts
//! and answers, sign-offs, course editing rights). Issued certificates stay,
//! with the holder's name as printed, so that a code already handed to an
//! organization still verifies; only the link to the account goes.

use super::accounts::{check, record};
use super::{Store, StoreError};
use crate::db::schema::{
    api_tokens, attempt_answers, attempts, audit_log, certificates, course_drafts, course_versions, courses,
    enrollments, invitations, module_reads, practical_signoffs, programs, question_options, questions, throttle_events,
    users,
};
use crate::db::{DbConnection, write_transaction};
use crate::password;
use crate::throttle::{self, Subject};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::error::AppError;
use serde::Serialize;

#[derive(Serialize)]
struct PersonalData {
    exported_at: NaiveDateTime,
    account: Account,
    enrollments: Vec<Enrollment>,
    attempts: Vec<Attempt>,
    certificates: Vec<Certificate>,
    practical_signoffs: Vec<PracticalSignoff>,
    /// The organizations that can see the learner's progress.
    organizations: Vec<holdspace_app::dto::Membership>,
}

#[derive(Serialize)]
struct Account {
    display_name: String,
    email: String,
    role: String,
    created_at: NaiveDateTime,
}

#[derive(Serialize)]
struct Enrollment {
    course: String,
    enrolled_at: NaiveDateTime,
    completed_at: Option<NaiveDateTime>,
    last_module: Option<String>,
    modules_read: Vec<(String, NaiveDateTime)>,
}

#[derive(Serialize)]
struct Attempt {
    course: String,
    course_version: String,
    module: String,
    submitted_at: NaiveDateTime,
    score_percent: f64,
    passed: bool,
    answers: Vec<Answer>,
}

#[derive(Serialize)]
struct Answer {
    question: String,
    prompt: String,
    chosen: Vec<String>,
    score_percent: f64,
}

#[derive(Serialize)]
struct Certificate {
    code: String,
    program: String,
    holder_name: String,
    issued_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
    revocation_reason: Option<String>,
}

#[derive(Serialize)]
struct PracticalSignoff {
    program: String,
    practical: String,
    completed_on: NaiveDateTime,
    note: String,
    signed_by: String,
}

fn percent(basis_points: i32) -> f64 {
    f64::from(basis_points) / 100.0
}

fn personal_data(conn: &mut DbConnection, user_id: i64, now: NaiveDateTime) -> Result<PersonalData, StoreError> {
    let (display_name, email, role, created_at) = users::table
        .find(user_id)
        .select((users::display_name, users::email, users::role, users::created_at))
        .first(conn)?;
    let mut enrolled = Vec::new();
    type EnrollmentColumns = (i64, String, NaiveDateTime, Option<NaiveDateTime>, Option<String>);
    let rows: Vec<EnrollmentColumns> = enrollments::table
        .inner_join(courses::table)
        .filter(enrollments::user_id.eq(user_id))
        .order(enrollments::enrolled_at)
        .select((
            enrollments::id,
            courses::slug,
            enrollments::enrolled_at,
            enrollments::completed_at,
            enrollments::last_module_slug,
        ))
        .load(conn)?;
    for (enrollment_id, course, enrolled_at, completed_at, last_module) in rows {
        let modules_read = module_reads::table
            .filter(module_reads::enrollment_id.eq(enrollment_id))
            .order(module_reads::first_read_at)
            .select((module_reads::module_slug, module_reads::first_read_at))
            .load(conn)?;
        enrolled.push(Enrollment {
            course,
            enrolled_at,
            completed_at,
            last_module,
            modules_read,
        });
    }

    type AttemptColumns = (i64, String, String, String, NaiveDateTime, i32, bool);
    let rows: Vec<AttemptColumns> = attempts::table
        .inner_join(courses::table)
        .inner_join(course_versions::table.on(course_versions::id.eq(attempts::course_version_id)))
        .filter(attempts::user_id.eq(user_id))
        .order((attempts::submitted_at, attempts::id))
        .select((
            attempts::id,
            courses::slug,
            course_versions::version_label,
            attempts::module_slug,
            attempts::submitted_at,
            attempts::score_basis_points,
            attempts::passed,
        ))
        .load(conn)?;
    let mut taken = Vec::with_capacity(rows.len());
    for (attempt_id, course, course_version, module, submitted_at, score, passed) in rows {
        let answer_rows: Vec<(i64, String, String, String, i32)> = attempt_answers::table
            .inner_join(questions::table)
            .filter(attempt_answers::attempt_id.eq(attempt_id))
            .order(questions::position)
            .select((
                questions::id,
                questions::question_key,
                questions::prompt,
                attempt_answers::chosen,
                attempt_answers::score_basis_points,
            ))
            .load(conn)?;
        let mut answers = Vec::with_capacity(answer_rows.len());
        for (question_id, question, prompt, chosen, score) in answer_rows {
            // Positions in the question's own order, as stored; shown as the options' text.
            let positions: Vec<i32> = chosen.split(',').filter_map(|p| p.parse().ok()).collect();
            let chosen = question_options::table
                .filter(question_options::question_id.eq(question_id))
                .filter(question_options::position.eq_any(&positions))
                .order(question_options::position)
                .select(question_options::text)
                .load(conn)?;
            answers.push(Answer {
                question,
                prompt,
                chosen,
                score_percent: percent(score),
            });
        }
        taken.push(Attempt {
            course,
            course_version,
            module,
            submitted_at,
            score_percent: percent(score),
            passed,
            answers,
        });
    }

    let certificates = certificates::table
        .filter(certificates::user_id.eq(user_id))
        .order(certificates::issued_at)
        .select((
            certificates::code,
            certificates::program_slug,
            certificates::holder_name,
            certificates::issued_at,
            certificates::expires_at,
            certificates::revoked_at,
            certificates::revocation_reason,
        ))
        .load::<(
            String,
            String,
            String,
            NaiveDateTime,
            NaiveDateTime,
            Option<NaiveDateTime>,
            Option<String>,
        )>(conn)?
        .into_iter()
        .map(
            |(code, program, holder_name, issued_at, expires_at, revoked_at, revocation_reason)| Certificate {
                code: crate::certificate_code::CertificateCode::parse(&code)
                    .map(|c| c.to_string())
                    .unwrap_or(code),
                program,
                holder_name,
                issued_at,
                expires_at,
                revoked_at,
                revocation_reason,
            },
        )
        .collect();

    let practical_signoffs = practical_signoffs::table
        .inner_join(programs::table)
        .filter(practical_signoffs::user_id.eq(user_id))
        .order(practical_signoffs::signed_at)
        .select((
            programs::slug,
            practical_signoffs::practical_key,
            practical_signoffs::completed_on,
            practical_signoffs::note,
            practical_signoffs::signed_by_name,
        ))
        .load::<(String, String, NaiveDateTime, String, String)>(conn)?
        .into_iter()
        .map(|(program, practical, completed_on, note, signed_by)| PracticalSignoff {
            program,
            practical,
            completed_on,
            note,
            signed_by,
        })
        .collect();

    Ok(PersonalData {
        exported_at: now,
        account: Account {
            display_name,
            email,
            role,
            created_at,
        },
        enrollments: enrolled,
        attempts: taken,
        certificates,
        practical_signoffs,
        organizations: super::organizations::memberships_of(conn, user_id)?,
    })
}

impl Store {
    /// Everything stored about the person, as pretty JSON.
    pub async fn personal_data(&self, user_id: i64) -> Result<Vec<u8>, StoreError> {
        let data = self.run(move |conn, now| personal_data(conn, user_id, now)).await?;
        Ok(serde_json::to_vec_pretty(&data)?)
    }

    /// Deletes the account after checking its password once more (off the
    /// connection, and throttled like a sign-in, since it is one).
    pub(super) async fn delete_own_account(&self, user_id: i64, password_input: String) -> Result<(), StoreError> {
        if password_input.len() > password::MAX_LENGTH {
            return Err(AppError::invalid(WRONG_PASSWORD).into());
        }
        let hash: String = self
            .run(move |conn, now| {
                check(conn, &Subject::AccountDeletion(user_id), throttle::DELETIONS_FREE, now)?;
                Ok(users::table.find(user_id).select(users::password_hash).first(conn)?)
            })
            .await?;
        if !self.verify_password(password_input, Some(hash)).await? {
            self.run(move |conn, now| {
                write_transaction(conn, |conn| record(conn, &[Subject::AccountDeletion(user_id)], now))
            })
            .await?;
            return Err(AppError::invalid(WRONG_PASSWORD).into());
        }
        self.run(move |conn, _| write_transaction(conn, |conn| delete_account(conn, user_id)))
            .await?;
        tracing::info!(user_id, "account deleted at its owner's request");
        Ok(())
    }
}

/// What stands in for a deleted person's name where a record of what they
/// did must stay (the audit log, a published course version).
pub const DELETED_ACCOUNT: &str = "A deleted account";

/// Deletes an account and every trace of the person: the rows that hang off
/// it go with the foreign keys; copies of their name elsewhere are replaced,
/// free text written about them in the audit log is cleared, invitations
/// sent to their address and throttle counters naming them are deleted.
fn delete_account(conn: &mut DbConnection, user_id: i64) -> Result<(), StoreError> {
    let email: String = users::table.find(user_id).select(users::email).first(conn)?;
    diesel::update(audit_log::table.filter(audit_log::actor_user_id.eq(user_id)))
        .set((
            audit_log::actor_user_id.eq(None::<i64>),
            audit_log::actor_name.eq(DELETED_ACCOUNT),
        ))
        .execute(conn)?;
    let about_them = format!("user:{user_id}/");
    diesel::update(audit_log::table.filter(audit_log::subject.like(format!("{about_them}%"))))
        .set(audit_log::reason.eq(None::<String>))
        .execute(conn)?;
    diesel::update(course_versions::table.filter(course_versions::published_by_user_id.eq(user_id)))
        .set(course_versions::published_by_name.eq(DELETED_ACCOUNT))
        .execute(conn)?;
    diesel::update(course_drafts::table.filter(course_drafts::updated_by_user_id.eq(user_id)))
        .set(course_drafts::updated_by_name.eq(DELETED_ACCOUNT))
        .execute(conn)?;
    diesel::update(api_tokens::table.filter(api_tokens::created_by_user_id.eq(user_id)))
        .set(api_tokens::created_by_name.eq(DELETED_ACCOUNT))
        .execute(conn)?;
    diesel::update(practical_signoffs::table.filter(practical_signoffs::signed_by_user_id.eq(user_id)))
        .set(practical_signoffs::signed_by_name.eq(DELETED_ACCOUNT))
        .execute(conn)?;
    diesel::delete(invitations::table.filter(invitations::email.eq(&email))).execute(conn)?;
    for key in Subject::keys_naming(&email, user_id) {
        diesel::delete(
            throttle_events::table.filter(
                throttle_events::subject
                    .like(format!("{}%", escape_like(&key)))
                    .escape('\\'),
            ),
        )
        .execute(conn)?;
    }
    diesel::delete(users::table.find(user_id)).execute(conn)?;
    Ok(())
}

/// `text` as a literal inside a LIKE pattern (escape character `\`).
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

const WRONG_PASSWORD: &str = "That isn't the password of this account, so nothing was deleted. Please try again.";
