//! Following learners: a course's roster and question statistics, a
//! program's completions, and practical sign-offs.

use super::authoring::{Actor, audit, editable_course, teacher};
use super::{StoreError, day};
use crate::course_statistics::{AttemptScores, item_analysis};
use crate::db::DbConnection;
use crate::db::schema::{
    attempt_answers, attempts, certificates, course_versions, courses, enrollments, module_reads, modules,
    practical_signoffs, program_courses, program_practicals, program_staff, programs, questions, users,
};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::Role;
use holdspace_app::dto::{
    CourseFollowing, LearnerRow, Practical, ProgramLearner, ProgramProgress, QuestionStats, QuizScores, Signoff,
    SignoffForm,
};
use holdspace_app::error::AppError;
use std::collections::{BTreeMap, HashMap, HashSet};

fn percent(basis_points: i32) -> u32 {
    (basis_points.max(0) as u32 + 50) / 100
}

pub(super) fn course_following(
    conn: &mut DbConnection,
    user_id: i64,
    slug: &str,
) -> Result<CourseFollowing, StoreError> {
    let actor = teacher(conn, user_id)?;
    let (course_id, current) = editable_course(conn, &actor, slug)?;
    let version_id =
        current.ok_or_else(|| AppError::invalid("This course has not been published yet, so nobody is taking it."))?;
    let title: String = course_versions::table
        .find(version_id)
        .select(course_versions::title)
        .first(conn)?;
    let module_rows: Vec<(i64, String, String, bool)> = modules::table
        .filter(modules::course_version_id.eq(version_id))
        .order(modules::position)
        .select((modules::id, modules::slug, modules::title, modules::has_quiz))
        .load(conn)?;
    let quizzes: Vec<(String, String)> = module_rows
        .iter()
        .filter(|m| m.3)
        .map(|m| (m.1.clone(), m.2.clone()))
        .collect();

    type EnrollmentColumns = (i64, i64, String, String, NaiveDateTime, Option<NaiveDateTime>);
    let enrolled: Vec<EnrollmentColumns> = enrollments::table
        .inner_join(users::table)
        .filter(enrollments::course_id.eq(course_id))
        .order((users::display_name, users::id))
        .select((
            enrollments::id,
            users::id,
            users::display_name,
            users::email,
            enrollments::enrolled_at,
            enrollments::completed_at,
        ))
        .load(conn)?;
    let module_slugs: HashSet<&str> = module_rows.iter().map(|m| m.1.as_str()).collect();
    let reads: Vec<(i64, String)> = module_reads::table
        .inner_join(enrollments::table)
        .filter(enrollments::course_id.eq(course_id))
        .select((module_reads::enrollment_id, module_reads::module_slug))
        .load(conn)?;
    let mut read_count: HashMap<i64, u32> = HashMap::new();
    for (enrollment_id, module_slug) in &reads {
        if module_slugs.contains(module_slug.as_str()) {
            *read_count.entry(*enrollment_id).or_default() += 1;
        }
    }
    let taken: Vec<(i64, i64, String, i32, bool)> = attempts::table
        .filter(attempts::course_id.eq(course_id))
        .order((attempts::submitted_at, attempts::id))
        .select((
            attempts::id,
            attempts::user_id,
            attempts::module_slug,
            attempts::score_basis_points,
            attempts::passed,
        ))
        .load(conn)?;

    let learners = enrolled
        .into_iter()
        .map(|(enrollment_id, learner, name, email, enrolled_at, completed_at)| {
            let mine: Vec<&(i64, i64, String, i32, bool)> = taken.iter().filter(|a| a.1 == learner).collect();
            let quiz_scores: Vec<QuizScores> = quizzes
                .iter()
                .map(|(module_slug, _)| {
                    let scores: Vec<&&(i64, i64, String, i32, bool)> =
                        mine.iter().filter(|a| &a.2 == module_slug).collect();
                    QuizScores {
                        attempts: scores.len() as u32,
                        best: scores.iter().map(|a| percent(a.3)).max(),
                        last: scores.last().map(|a| percent(a.3)),
                    }
                })
                .collect();
            let quizzes_passed = quizzes
                .iter()
                .filter(|(module_slug, _)| mine.iter().any(|a| &a.2 == module_slug && a.4))
                .count() as u32;
            LearnerRow {
                name,
                email,
                enrolled_on: day(enrolled_at),
                modules_read: read_count.get(&enrollment_id).copied().unwrap_or(0),
                quizzes_passed,
                attempts: mine.len() as u32,
                quiz_scores,
                completed_on: completed_at.map(day),
            }
        })
        .collect();

    Ok(CourseFollowing {
        slug: slug.to_owned(),
        title,
        module_count: module_rows.len() as u32,
        questions: question_statistics(conn, course_id, &module_rows, &taken)?,
        quizzes,
        learners,
    })
}

/// Item analysis on each learner's first attempt at each quiz, for the
/// questions of the current version (matched by question id across versions).
fn question_statistics(
    conn: &mut DbConnection,
    course_id: i64,
    module_rows: &[(i64, String, String, bool)],
    taken: &[(i64, i64, String, i32, bool)],
) -> Result<Vec<QuestionStats>, StoreError> {
    let mut first: HashMap<(i64, &str), i64> = HashMap::new();
    for (attempt_id, learner, module_slug, ..) in taken {
        first.entry((*learner, module_slug.as_str())).or_insert(*attempt_id);
    }
    let first_ids: Vec<i64> = first.values().copied().collect();
    let answers: Vec<(i64, String, i32)> = attempt_answers::table
        .inner_join(questions::table)
        .inner_join(attempts::table)
        .filter(attempts::course_id.eq(course_id))
        .filter(attempt_answers::attempt_id.eq_any(&first_ids))
        .select((
            attempt_answers::attempt_id,
            questions::question_key,
            attempt_answers::score_basis_points,
        ))
        .load(conn)?;
    let mut by_attempt: BTreeMap<i64, Vec<(String, f64)>> = BTreeMap::new();
    for (attempt_id, key, score) in answers {
        by_attempt
            .entry(attempt_id)
            .or_default()
            .push((key, f64::from(score) / 10_000.0));
    }
    let module_of_attempt: HashMap<i64, &str> = taken.iter().map(|a| (a.0, a.2.as_str())).collect();
    let mut stats = Vec::new();
    for (module_id, module_slug, module_title, has_quiz) in module_rows {
        if !has_quiz {
            continue;
        }
        let sittings: Vec<AttemptScores> = by_attempt
            .iter()
            .filter(|(attempt_id, _)| module_of_attempt.get(attempt_id) == Some(&module_slug.as_str()))
            .map(|(_, items)| AttemptScores { items: items.clone() })
            .collect();
        let analysis = item_analysis(&sittings);
        let current: Vec<(String, String)> = questions::table
            .filter(questions::module_id.eq(module_id))
            .order(questions::position)
            .select((questions::question_key, questions::prompt))
            .load(conn)?;
        for (key, prompt) in current {
            let item = analysis.iter().find(|item| item.question_key == key);
            stats.push(QuestionStats {
                module_title: module_title.clone(),
                question_id: key.clone(),
                prompt,
                answered: item.map_or(0, |i| i.answered),
                facility: item.map_or(0.0, |i| i.facility),
                discrimination: item.and_then(|i| i.discrimination),
                review: item.and_then(|i| i.needs_review()).map(str::to_owned),
            });
        }
    }
    Ok(stats)
}

struct Program {
    id: i64,
    slug: String,
    title: String,
    courses: Vec<String>,
    practicals: Vec<Practical>,
}

fn program(conn: &mut DbConnection, slug: &str) -> Result<Program, StoreError> {
    let (id, title): (i64, String) = programs::table
        .filter(programs::slug.eq(slug))
        .select((programs::id, programs::title))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let courses = program_courses::table
        .filter(program_courses::program_id.eq(id))
        .order(program_courses::position)
        .select(program_courses::course_slug)
        .load(conn)?;
    let practicals = program_practicals::table
        .filter(program_practicals::program_id.eq(id))
        .order(program_practicals::position)
        .select((program_practicals::practical_key, program_practicals::title))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(key, title)| Practical { key, title })
        .collect();
    Ok(Program {
        id,
        slug: slug.to_owned(),
        title,
        courses,
        practicals,
    })
}

/// Whether `actor` may act on the learners of a program: admins on every
/// program, trainers on those an admin assigned them to.
pub(super) fn staffs_program(conn: &mut DbConnection, actor: &Actor, program_id: i64) -> Result<bool, StoreError> {
    if actor.role == Role::Admin {
        return Ok(true);
    }
    let Some(user_id) = actor.id else { return Ok(false) };
    let assigned = program_staff::table
        .filter(program_staff::program_id.eq(program_id))
        .filter(program_staff::user_id.eq(user_id));
    Ok(actor.role == Role::Trainer && diesel::select(diesel::dsl::exists(assigned)).get_result(conn)?)
}

/// Staff never act on their own record: a trainer signing off their own
/// practical would certify themselves.
pub(super) fn not_own_record(actor: &Actor, learner: i64) -> Result<(), StoreError> {
    if actor.id == Some(learner) {
        Err(AppError::Forbidden.into())
    } else {
        Ok(())
    }
}

/// The program `slug`, if `actor` staffs it.
fn staffed_program(conn: &mut DbConnection, actor: &Actor, slug: &str) -> Result<Program, StoreError> {
    let program = program(conn, slug)?;
    if staffs_program(conn, actor, program.id)? {
        Ok(program)
    } else {
        Err(AppError::Forbidden.into())
    }
}

/// Admins only: lets a trainer follow a program's learners and sign off its practicals.
pub(super) fn add_staff(
    conn: &mut DbConnection,
    user_id: i64,
    slug: &str,
    email: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let actor = teacher(conn, user_id)?;
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden.into());
    }
    let program = program(conn, slug)?;
    let (staff_id, role): (i64, String) = users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .select((users::id, users::role))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::invalid("There is no account with that email address."))?;
    if Role::parse(&role) != Some(Role::Trainer) {
        return Err(AppError::invalid(
            "That account is not a trainer's. Its role needs to change before it can follow a program.",
        )
        .into());
    }
    let existing = program_staff::table
        .filter(program_staff::program_id.eq(program.id))
        .filter(program_staff::user_id.eq(staff_id));
    if !diesel::select(diesel::dsl::exists(existing)).get_result::<bool>(conn)? {
        diesel::insert_into(program_staff::table)
            .values((
                program_staff::program_id.eq(program.id),
                program_staff::user_id.eq(staff_id),
                program_staff::added_at.eq(now),
            ))
            .execute(conn)?;
        audit(
            conn,
            &actor,
            "program.staff.add",
            &format!("program:{slug}"),
            Some(&format!("user:{staff_id}")),
            now,
        )?;
    }
    Ok(())
}

/// The names of a program's assigned trainers.
fn staff_names(conn: &mut DbConnection, program_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(program_staff::table
        .inner_join(users::table)
        .filter(program_staff::program_id.eq(program_id))
        .order(users::display_name)
        .select(users::display_name)
        .load(conn)?)
}

pub(super) fn program_progress(
    conn: &mut DbConnection,
    user_id: i64,
    slug: &str,
    now: NaiveDateTime,
) -> Result<ProgramProgress, StoreError> {
    let actor = teacher(conn, user_id)?;
    let program = staffed_program(conn, &actor, slug)?;
    let course_ids: Vec<(i64, String, Option<i64>)> = courses::table
        .filter(courses::slug.eq_any(&program.courses))
        .select((courses::id, courses::slug, courses::current_version_id))
        .load(conn)?;
    let ids: Vec<i64> = course_ids.iter().map(|c| c.0).collect();
    let people: Vec<(i64, String, String)> = users::table
        .filter(
            users::id.eq_any(
                enrollments::table
                    .filter(enrollments::course_id.eq_any(&ids))
                    .select(enrollments::user_id),
            ),
        )
        .order((users::display_name, users::id))
        .select((users::id, users::display_name, users::email))
        .load(conn)?;
    let mut learners = Vec::with_capacity(people.len());
    for (learner, name, email) in people {
        let mut courses_passed = 0;
        for (course_id, _, current) in &course_ids {
            if let Some(version_id) = current
                && super::learning::passed_every_quiz(conn, learner, *course_id, *version_id, None)?
            {
                courses_passed += 1;
            }
        }
        let signed: Vec<(String, NaiveDateTime, String, String)> = practical_signoffs::table
            .filter(practical_signoffs::user_id.eq(learner))
            .filter(practical_signoffs::program_id.eq(program.id))
            .select((
                practical_signoffs::practical_key,
                practical_signoffs::completed_on,
                practical_signoffs::note,
                practical_signoffs::signed_by_name,
            ))
            .load(conn)?;
        let signoffs: Vec<Option<Signoff>> = program
            .practicals
            .iter()
            .map(|p| {
                signed.iter().find(|s| s.0 == p.key).map(|(_, on, note, by)| Signoff {
                    completed_on: day(*on),
                    note: note.clone(),
                    signed_by: by.clone(),
                })
            })
            .collect();
        let certified: i64 = certificates::table
            .filter(certificates::user_id.eq(learner))
            .filter(certificates::program_id.eq(program.id))
            .filter(certificates::revoked_at.is_null())
            .filter(certificates::expires_at.gt(now))
            .count()
            .get_result(conn)?;
        let remaining =
            (program.courses.len() as u32 - courses_passed) + signoffs.iter().filter(|s| s.is_none()).count() as u32;
        learners.push(ProgramLearner {
            user_id: learner,
            name,
            email,
            courses_passed,
            signoffs,
            certified: certified > 0,
            remaining,
        });
    }
    learners.sort_by_key(|l| (!l.certified, l.remaining));
    let staff = staff_names(conn, program.id)?;
    Ok(ProgramProgress {
        slug: program.slug,
        title: program.title,
        courses: program.courses,
        practicals: program.practicals,
        learners,
        staff,
        may_assign_staff: actor.role == Role::Admin,
    })
}

/// Whether every practical requirement of the program is signed off for the learner.
pub(super) fn practicals_signed_off(
    conn: &mut DbConnection,
    user_id: i64,
    program_id: i64,
) -> Result<bool, StoreError> {
    let required: Vec<String> = program_practicals::table
        .filter(program_practicals::program_id.eq(program_id))
        .select(program_practicals::practical_key)
        .load(conn)?;
    if required.is_empty() {
        return Ok(true);
    }
    let signed: HashSet<String> = practical_signoffs::table
        .filter(practical_signoffs::user_id.eq(user_id))
        .filter(practical_signoffs::program_id.eq(program_id))
        .select(practical_signoffs::practical_key)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    Ok(required.iter().all(|key| signed.contains(key)))
}

const MAX_NOTE_CHARS: usize = 1000;

/// Records a trainer's sign-off; returns the program's id, for issuing.
pub(super) fn sign_off(
    conn: &mut DbConnection,
    user_id: i64,
    form: &SignoffForm,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    let SignoffForm {
        program: slug,
        learner_id: learner,
        practical,
        completed_on,
        note,
    } = form;
    let (slug, learner, practical) = (slug.as_str(), *learner, practical.as_str());
    let actor: Actor = teacher(conn, user_id)?;
    let program = staffed_program(conn, &actor, slug)?;
    not_own_record(&actor, learner)?;
    let Some(requirement) = program.practicals.iter().find(|p| p.key == practical) else {
        return Err(AppError::NotFound.into());
    };
    let learner_name: Option<String> = users::table
        .find(learner)
        .select(users::display_name)
        .first(conn)
        .optional()?;
    if learner_name.is_none() {
        return Err(AppError::NotFound.into());
    }
    let completed = NaiveDate::parse_from_str(completed_on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("Please give the date it was completed, like 2026-03-14."))?;
    if completed > now.date() {
        return Err(AppError::invalid("The date it was completed can't be in the future.").into());
    }
    let note = note.trim();
    if note.is_empty() {
        return Err(AppError::invalid("Please add a short note: where or how it was done, and who supervised.").into());
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::invalid(format!("Please keep the note under {MAX_NOTE_CHARS} characters.")).into());
    }
    let existing: Option<NaiveDateTime> = practical_signoffs::table
        .filter(practical_signoffs::user_id.eq(learner))
        .filter(practical_signoffs::program_id.eq(program.id))
        .filter(practical_signoffs::practical_key.eq(practical))
        .select(practical_signoffs::completed_on)
        .first(conn)
        .optional()?;
    if let Some(on) = existing {
        return Err(AppError::invalid(format!(
            "“{}” was already signed off, as completed on {}.",
            requirement.title,
            day(on)
        ))
        .into());
    }
    diesel::insert_into(practical_signoffs::table)
        .values((
            practical_signoffs::user_id.eq(learner),
            practical_signoffs::program_id.eq(program.id),
            practical_signoffs::practical_key.eq(practical),
            practical_signoffs::completed_on.eq(completed.and_time(chrono::NaiveTime::MIN)),
            practical_signoffs::note.eq(note),
            practical_signoffs::signed_by_user_id.eq(actor.id),
            practical_signoffs::signed_by_name.eq(&actor.name),
            practical_signoffs::signed_at.eq(now),
        ))
        .execute(conn)?;
    audit(
        conn,
        &actor,
        "practical.signoff",
        &format!("user:{learner}/program:{slug}/{practical}"),
        Some(note),
        now,
    )?;
    Ok(program.id)
}
