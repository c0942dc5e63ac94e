//! Everything stored about a person, as they download it.

use crate::certificates::printed;
use crate::db::DbConnection;
use crate::db::schema::{
    attempt_answers, attempts, attestation_signatures, certificates, course_versions, courses, enrollments,
    exam_answers, exam_attempts, external_trainings, live_sessions, module_reads, practical_signoffs, practice_logs,
    programs, question_options, questions, reflections, roleplay_observations, session_seats, users,
};
use crate::error::ServerResult;
use crate::organizations::memberships_of;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{AttemptId, EnrollmentId, ExamAttemptId, QuestionId, Role, UserId};
use serde::Serialize;

#[derive(Serialize)]
struct PersonalData {
    exported_at: NaiveDateTime,
    account: Account,
    enrollments: Vec<EnrollmentOut>,
    attempts: Vec<AttemptOut>,
    exam_attempts: Vec<ExamAttemptOut>,
    certificates: Vec<CertificateOut>,
    practical_signoffs: Vec<SignoffOut>,
    supervised_practice: Vec<PracticeOut>,
    signed_texts: Vec<SignedTextOut>,
    observed_roleplays: Vec<RoleplayOut>,
    live_sessions: Vec<SeatOut>,
    external_trainings: Vec<TrainingOut>,
    /// Private answers to courses' reflection prompts.
    reflections: Vec<ReflectionOut>,
    /// The organizations that can see the learner's progress.
    organizations: Vec<holdspace_app::dto::Membership>,
}

#[derive(Serialize, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(crate::db::MultiBackend))]
struct Account {
    display_name: String,
    email: String,
    role: Role,
    created_at: NaiveDateTime,
    email_confirmed_at: Option<NaiveDateTime>,
    mail_preference: holdspace_app::dto::MailPreference,
    last_sign_in_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = enrollments, check_for_backend(crate::db::MultiBackend))]
struct EnrollmentRow {
    id: EnrollmentId,
    #[diesel(select_expression = courses::slug)]
    course: String,
    enrolled_at: NaiveDateTime,
    completed_at: Option<NaiveDateTime>,
    last_module_slug: Option<String>,
}

#[derive(Serialize)]
struct EnrollmentOut {
    course: String,
    enrolled_at: NaiveDateTime,
    completed_at: Option<NaiveDateTime>,
    last_module: Option<String>,
    modules_read: Vec<(String, NaiveDateTime)>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = attempts, check_for_backend(crate::db::MultiBackend))]
struct AttemptRow {
    id: AttemptId,
    #[diesel(select_expression = courses::slug)]
    course: String,
    #[diesel(select_expression = course_versions::version_label)]
    course_version: String,
    module_slug: String,
    submitted_at: NaiveDateTime,
    score_basis_points: i32,
    passed: bool,
}

#[derive(Serialize)]
struct AttemptOut {
    course: String,
    course_version: String,
    module: String,
    submitted_at: NaiveDateTime,
    score_percent: f64,
    passed: bool,
    answers: Vec<AnswerOut>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = exam_attempts, check_for_backend(crate::db::MultiBackend))]
struct ExamAttemptRow {
    id: ExamAttemptId,
    #[diesel(select_expression = programs::slug)]
    program: String,
    submitted_at: NaiveDateTime,
    score_basis_points: i32,
    passed: bool,
}

#[derive(Serialize)]
struct ExamAttemptOut {
    program: String,
    submitted_at: NaiveDateTime,
    score_percent: f64,
    passed: bool,
    answers: Vec<AnswerOut>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = attempt_answers, check_for_backend(crate::db::MultiBackend))]
struct AnswerRow {
    question_id: QuestionId,
    #[diesel(select_expression = questions::question_key)]
    question_key: String,
    #[diesel(select_expression = questions::prompt)]
    prompt: String,
    chosen: String,
    score_basis_points: i32,
}

#[derive(Serialize)]
struct AnswerOut {
    question: String,
    prompt: String,
    chosen: Vec<String>,
    score_percent: f64,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = certificates, check_for_backend(crate::db::MultiBackend))]
struct CertificateRow {
    code: String,
    program_slug: String,
    holder_name: String,
    issued_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
    revocation_reason: Option<String>,
}

#[derive(Serialize)]
struct CertificateOut {
    code: String,
    program: String,
    holder_name: String,
    issued_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
    revocation_reason: Option<String>,
}

#[derive(Serialize, Queryable, Selectable)]
#[diesel(table_name = practical_signoffs, check_for_backend(crate::db::MultiBackend))]
struct SignoffOut {
    #[diesel(select_expression = programs::slug)]
    program: String,
    #[diesel(column_name = practical_key)]
    practical: String,
    completed_on: NaiveDateTime,
    note: String,
    #[diesel(column_name = signed_by_name)]
    signed_by: String,
}

#[derive(Serialize, Queryable, Selectable)]
#[diesel(table_name = practice_logs, check_for_backend(crate::db::MultiBackend))]
struct PracticeOut {
    #[diesel(select_expression = programs::slug)]
    program: String,
    practiced_on: NaiveDateTime,
    minutes: i32,
    role: holdspace_app::dto::PracticeRole,
    supervisor_name: String,
    status: holdspace_app::dto::PracticeStatus,
    review_note: String,
    logged_at: NaiveDateTime,
    reviewed_at: Option<NaiveDateTime>,
}

#[derive(Serialize, Queryable, Selectable)]
#[diesel(table_name = attestation_signatures, check_for_backend(crate::db::MultiBackend))]
struct SignedTextOut {
    #[diesel(select_expression = programs::slug)]
    program: String,
    #[diesel(column_name = attestation_key)]
    text: String,
    version: i32,
    signed_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = roleplay_observations, check_for_backend(crate::db::MultiBackend))]
struct RoleplayRow {
    #[diesel(select_expression = programs::slug)]
    program: String,
    roleplay_key: String,
    observed_on: NaiveDateTime,
    observer_name: String,
    marks: String,
    passed: bool,
}

#[derive(Serialize)]
struct RoleplayOut {
    program: String,
    roleplay: String,
    observed_on: NaiveDateTime,
    observer: String,
    passed: bool,
    marks: Vec<holdspace_app::dto::RoleplayMark>,
}

#[derive(Serialize, Queryable, Selectable)]
#[diesel(table_name = session_seats, check_for_backend(crate::db::MultiBackend))]
struct SeatOut {
    #[diesel(select_expression = live_sessions::title)]
    session: String,
    #[diesel(select_expression = live_sessions::starts_at)]
    starts_at: NaiveDateTime,
    #[diesel(select_expression = live_sessions::minutes)]
    minutes: i32,
    signed_up_at: NaiveDateTime,
    attendance: Option<holdspace_app::dto::Attendance>,
}

#[derive(Serialize, Queryable, Selectable)]
#[diesel(table_name = external_trainings, check_for_backend(crate::db::MultiBackend))]
struct TrainingOut {
    #[diesel(select_expression = programs::slug)]
    program: String,
    title: String,
    provider: String,
    taken_on: NaiveDateTime,
    minutes: i32,
    category_key: String,
    status: holdspace_app::dto::PracticeStatus,
    reviewer_name: String,
    review_note: String,
    logged_at: NaiveDateTime,
}

#[derive(Serialize, Queryable, Selectable)]
#[diesel(table_name = reflections, check_for_backend(crate::db::MultiBackend))]
struct ReflectionOut {
    course_slug: String,
    prompt_key: String,
    answer: String,
    updated_at: NaiveDateTime,
}

/// An answer with its chosen options as their text (positions are stored
/// in the question's own order).
fn answer_out(conn: &mut DbConnection, answer: AnswerRow) -> ServerResult<AnswerOut> {
    let positions: Vec<i32> = serde_json::from_str(&answer.chosen)?;
    let chosen = question_options::table
        .filter(question_options::question_id.eq(answer.question_id))
        .filter(question_options::position.eq_any(&positions))
        .order(question_options::position)
        .select(question_options::text)
        .load(conn)?;
    Ok(AnswerOut {
        question: answer.question_key,
        prompt: answer.prompt,
        chosen,
        score_percent: percent(answer.score_basis_points),
    })
}

/// Exact percent, as stored (the export is data, not a page).
fn percent(basis_points: i32) -> f64 {
    f64::from(basis_points) / 100.0
}

fn collect(conn: &mut DbConnection, person: UserId, now: NaiveDateTime) -> ServerResult<PersonalData> {
    let account = users::table.find(person).select(Account::as_select()).first(conn)?;
    let mut enrolled = Vec::new();
    let rows: Vec<EnrollmentRow> = enrollments::table
        .inner_join(courses::table)
        .filter(enrollments::user_id.eq(person))
        .order(enrollments::enrolled_at)
        .select(EnrollmentRow::as_select())
        .load(conn)?;
    for row in rows {
        let modules_read = module_reads::table
            .filter(module_reads::enrollment_id.eq(row.id))
            .order(module_reads::first_read_at)
            .select((module_reads::module_slug, module_reads::first_read_at))
            .load(conn)?;
        enrolled.push(EnrollmentOut {
            course: row.course,
            enrolled_at: row.enrolled_at,
            completed_at: row.completed_at,
            last_module: row.last_module_slug,
            modules_read,
        });
    }
    let rows: Vec<AttemptRow> = attempts::table
        .inner_join(courses::table)
        .inner_join(course_versions::table.on(course_versions::id.eq(attempts::course_version_id)))
        .filter(attempts::user_id.eq(person))
        .order((attempts::submitted_at, attempts::id))
        .select(AttemptRow::as_select())
        .load(conn)?;
    let mut taken = Vec::with_capacity(rows.len());
    for attempt in rows {
        let answer_rows: Vec<AnswerRow> = attempt_answers::table
            .inner_join(questions::table)
            .filter(attempt_answers::attempt_id.eq(attempt.id))
            .order(questions::position)
            .select(AnswerRow::as_select())
            .load(conn)?;
        let answers = answer_rows
            .into_iter()
            .map(|row| answer_out(conn, row))
            .collect::<ServerResult<_>>()?;
        taken.push(AttemptOut {
            course: attempt.course,
            course_version: attempt.course_version,
            module: attempt.module_slug,
            submitted_at: attempt.submitted_at,
            score_percent: percent(attempt.score_basis_points),
            passed: attempt.passed,
            answers,
        });
    }
    let exam_rows: Vec<ExamAttemptRow> = exam_attempts::table
        .inner_join(programs::table)
        .filter(exam_attempts::user_id.eq(person))
        .order((exam_attempts::submitted_at, exam_attempts::id))
        .select(ExamAttemptRow::as_select())
        .load(conn)?;
    let mut exams = Vec::with_capacity(exam_rows.len());
    for attempt in exam_rows {
        let answer_rows: Vec<(QuestionId, String, String, String, i32)> = exam_answers::table
            .inner_join(questions::table)
            .filter(exam_answers::attempt_id.eq(attempt.id))
            .order(questions::id)
            .select((
                exam_answers::question_id,
                questions::question_key,
                questions::prompt,
                exam_answers::chosen,
                exam_answers::score_basis_points,
            ))
            .load(conn)?;
        let answers = answer_rows
            .into_iter()
            .map(|(question_id, question_key, prompt, chosen, score_basis_points)| {
                answer_out(
                    conn,
                    AnswerRow {
                        question_id,
                        question_key,
                        prompt,
                        chosen,
                        score_basis_points,
                    },
                )
            })
            .collect::<ServerResult<_>>()?;
        exams.push(ExamAttemptOut {
            program: attempt.program,
            submitted_at: attempt.submitted_at,
            score_percent: percent(attempt.score_basis_points),
            passed: attempt.passed,
            answers,
        });
    }
    let certificates = certificates::table
        .filter(certificates::user_id.eq(person))
        .order(certificates::issued_at)
        .select(CertificateRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| CertificateOut {
            code: printed(&row.code).unwrap_or(row.code),
            program: row.program_slug,
            holder_name: row.holder_name,
            issued_at: row.issued_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
            revocation_reason: row.revocation_reason,
        })
        .collect();
    let practical_signoffs = practical_signoffs::table
        .inner_join(programs::table)
        .filter(practical_signoffs::user_id.eq(person))
        .order(practical_signoffs::signed_at)
        .select(SignoffOut::as_select())
        .load(conn)?;
    let supervised_practice = practice_logs::table
        .inner_join(programs::table)
        .filter(practice_logs::user_id.eq(person))
        .order(practice_logs::logged_at)
        .select(PracticeOut::as_select())
        .load(conn)?;
    let signed_texts = attestation_signatures::table
        .inner_join(programs::table)
        .filter(attestation_signatures::user_id.eq(person))
        .order(attestation_signatures::signed_at)
        .select(SignedTextOut::as_select())
        .load(conn)?;
    let observed_roleplays = roleplay_observations::table
        .inner_join(programs::table)
        .filter(roleplay_observations::user_id.eq(person))
        .order(roleplay_observations::scored_at)
        .select(RoleplayRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| {
            Ok(RoleplayOut {
                marks: serde_json::from_str(&row.marks)?,
                program: row.program,
                roleplay: row.roleplay_key,
                observed_on: row.observed_on,
                observer: row.observer_name,
                passed: row.passed,
            })
        })
        .collect::<ServerResult<Vec<_>>>()?;
    let live_sessions = session_seats::table
        .inner_join(live_sessions::table)
        .filter(session_seats::user_id.eq(person))
        .order(session_seats::signed_up_at)
        .select(SeatOut::as_select())
        .load(conn)?;
    let external_trainings = external_trainings::table
        .inner_join(programs::table)
        .filter(external_trainings::user_id.eq(person))
        .order(external_trainings::logged_at)
        .select(TrainingOut::as_select())
        .load(conn)?;
    let reflections = reflections::table
        .filter(reflections::user_id.eq(person))
        .order((reflections::course_slug, reflections::prompt_key))
        .select(ReflectionOut::as_select())
        .load(conn)?;
    Ok(PersonalData {
        exported_at: now,
        account,
        enrollments: enrolled,
        attempts: taken,
        exam_attempts: exams,
        certificates,
        practical_signoffs,
        supervised_practice,
        signed_texts,
        observed_roleplays,
        live_sessions,
        external_trainings,
        reflections,
        organizations: memberships_of(conn, person)?,
    })
}

/// Everything stored about the person, as pretty JSON.
pub fn personal_data(conn: &mut DbConnection, person: UserId, now: NaiveDateTime) -> ServerResult<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(&collect(conn, person, now)?)?)
}
