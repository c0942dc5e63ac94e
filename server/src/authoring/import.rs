//! Bringing course files into the database as immutable versions: the
//! shipped curriculum at start, and archives or folders imported by a
//! trainer or from the command line.

use super::course_files::{CourseContent, ExamFile, Loaded, ProgramFile, ReflectionsFile, TrainingFile, content_hash};
use super::drafts::draft;
use super::editing::add_editor_row;
use super::publishing::{label_used, publish_content};
use super::versions::{insert_version, version_content};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction};
use crate::db::schema::{
    course_reflection_prompts, course_versions, courses, program_attestations, program_course_hours, program_courses,
    program_exam_draws, program_exams, program_hour_categories, program_practicals, program_roleplays, programs,
};
use crate::db::{DbConnection, write_transaction};
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{CourseId, CourseVersionId, ProgramId};

/// What importing one course did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    Created {
        version: String,
    },
    Updated {
        version: String,
    },
    Unchanged,
    /// The files differ from the published course but carry a version label
    /// it already has: most likely a trainer published a newer version in
    /// the browser. The files do not overwrite it.
    KeptPublished {
        files_version: String,
    },
}

/// A summary of an import, for the log.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub courses: Vec<(String, ImportOutcome)>,
    pub programs: usize,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = courses, check_for_backend(crate::db::MultiBackend))]
struct Existing {
    id: CourseId,
    current_version_id: Option<CourseVersionId>,
}

fn current_hash(conn: &mut DbConnection, version: CourseVersionId) -> ServerResult<String> {
    Ok(course_versions::table
        .find(version)
        .select(course_versions::content_hash)
        .first(conn)?)
}

/// Imports every valid course and program loaded from the courses folder
/// at start, each in its own transaction.
pub fn import_loaded(conn: &mut DbConnection, loaded: &Loaded, now: NaiveDateTime) -> ServerResult<ImportReport> {
    let mut report = ImportReport::default();
    for course in &loaded.courses {
        let outcome = write_transaction(conn, |conn| import_file_course(conn, course, now))?;
        report.courses.push((course.slug.clone(), outcome));
    }
    for program in &loaded.programs {
        write_transaction(conn, |conn| import_program(conn, program, now))?;
        report.programs += 1;
    }
    for reflections in &loaded.reflections {
        write_transaction(conn, |conn| import_reflections(conn, reflections))?;
    }
    Ok(report)
}

/// Replaces a course's reflection prompts. Answers are kept by prompt id,
/// so a reworded prompt keeps what learners wrote.
fn import_reflections(conn: &mut DbConnection, file: &ReflectionsFile) -> ServerResult<()> {
    diesel::delete(
        course_reflection_prompts::table.filter(course_reflection_prompts::course_slug.eq(&file.course_slug)),
    )
    .execute(conn)?;
    for (position, (key, module, text)) in file.prompts.iter().enumerate() {
        diesel::insert_into(course_reflection_prompts::table)
            .values((
                course_reflection_prompts::course_slug.eq(&file.course_slug),
                course_reflection_prompts::prompt_key.eq(key),
                course_reflection_prompts::position.eq(count(position)),
                course_reflection_prompts::module_slug.eq(module),
                course_reflection_prompts::body.eq(text),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A course from the shipped files: never over a version label already
/// published with other content.
fn import_file_course(
    conn: &mut DbConnection,
    course: &CourseContent,
    now: NaiveDateTime,
) -> ServerResult<ImportOutcome> {
    let hash = content_hash(course);
    let existing = courses::table
        .filter(courses::slug.eq(&course.slug))
        .select(Existing::as_select())
        .first(conn)
        .optional()?;
    let (course_id, created) = match existing {
        Some(Existing {
            id,
            current_version_id: Some(version),
        }) => {
            if current_hash(conn, version)? == hash {
                return Ok(ImportOutcome::Unchanged);
            }
            if label_used(conn, id, &course.version)? {
                return Ok(ImportOutcome::KeptPublished {
                    files_version: course.version.clone(),
                });
            }
            (id, false)
        }
        Some(Existing {
            id,
            current_version_id: None,
        }) => (id, true),
        None => {
            let id = diesel::insert_into(courses::table)
                .values((courses::slug.eq(&course.slug), courses::created_at.eq(now)))
                .returning(courses::id)
                .get_result(conn)?;
            (id, true)
        }
    };
    let version_id = insert_version(conn, course_id, course, &hash, now)?;
    diesel::update(courses::table.find(course_id))
        .set(courses::current_version_id.eq(version_id))
        .execute(conn)?;
    let version = course.version.clone();
    Ok(if created {
        ImportOutcome::Created { version }
    } else {
        ImportOutcome::Updated { version }
    })
}

/// Publishes courses read from an archive or a folder, each as a new
/// version (or a new course), in one transaction per course.
pub fn import_courses(
    conn: &mut DbConnection,
    actor: &Actor,
    courses_in: &[CourseContent],
    now: NaiveDateTime,
) -> ServerResult<Vec<(String, ImportOutcome)>> {
    let mut outcomes = Vec::new();
    for content in courses_in {
        let outcome = write_transaction(conn, |conn| import_one(conn, actor, content, now))?;
        outcomes.push((content.slug.clone(), outcome));
    }
    Ok(outcomes)
}

fn import_one(
    conn: &mut DbConnection,
    actor: &Actor,
    content: &CourseContent,
    now: NaiveDateTime,
) -> ServerResult<ImportOutcome> {
    let slug = &content.slug;
    let version = content.version.clone();
    let subject = format!("course:{slug}@{version}");
    let exists =
        diesel::select(diesel::dsl::exists(courses::table.filter(courses::slug.eq(slug)))).get_result::<bool>(conn)?;
    if !exists {
        let course: CourseId = diesel::insert_into(courses::table)
            .values((courses::slug.eq(slug), courses::created_at.eq(now)))
            .returning(courses::id)
            .get_result(conn)?;
        if let Some(user) = actor.id {
            add_editor_row(conn, course, user, now)?;
        }
        publish_content(conn, course, content, actor, Some("Imported."), now)?;
        audit::record(conn, actor, AuditAction::CourseImport, &subject, None, now)?;
        return Ok(ImportOutcome::Created { version });
    }
    let course = access::editable_course(conn, actor, slug)?;
    if let Some(current) = course.current_version
        && (current_hash(conn, current)? == content_hash(content) || version_content(conn, current)? == *content)
    {
        return Ok(ImportOutcome::Unchanged);
    }
    if draft(conn, course.id)?.is_some() {
        return invalid(format!(
            "\"{slug}\" has unpublished changes in the editor. Please publish or discard them first, so that nothing is lost."
        ));
    }
    if label_used(conn, course.id, &version)? {
        return invalid(format!(
            "\"{slug}\" version {version} is already published with different content. Please give the imported course a new version in its course.toml."
        ));
    }
    publish_content(conn, course.id, content, actor, Some("Imported."), now)?;
    audit::record(conn, actor, AuditAction::CourseImport, &subject, None, now)?;
    Ok(ImportOutcome::Updated { version })
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A program's settings as `programs` stores them, written the same way
/// on the first import and on every one after.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = programs, treat_none_as_null = true)]
struct ProgramSettings<'a> {
    title: &'a str,
    valid_for_months: i32,
    supervised_minutes: i32,
    renewal_window_days: i32,
    grace_days: i32,
    training_minutes: i32,
    self_paced_cap_minutes: Option<i32>,
    ce_minutes: i32,
    reexam_after_days: Option<i32>,
    updated_at: NaiveDateTime,
}

fn number(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Writes a program from `programs.toml` (its id stays the same across imports).
fn import_program(conn: &mut DbConnection, program: &ProgramFile, now: NaiveDateTime) -> ServerResult<()> {
    let training = program.training.as_ref();
    let settings = ProgramSettings {
        title: &program.title,
        valid_for_months: number(program.valid_for_months),
        supervised_minutes: number(program.supervised_hours * 60),
        renewal_window_days: number(program.renewal.window_days),
        grace_days: number(program.renewal.grace_days),
        training_minutes: training.map_or(0, |t| number(t.minutes)),
        self_paced_cap_minutes: training.and_then(|t| t.self_paced_cap_minutes).map(number),
        ce_minutes: number(program.renewal.ce_minutes),
        reexam_after_days: program.renewal.reexam_after_days.map(number),
        updated_at: now,
    };
    let existing: Option<ProgramId> = programs::table
        .filter(programs::slug.eq(&program.slug))
        .select(programs::id)
        .first(conn)
        .optional()?;
    let program_id = match existing {
        Some(id) => {
            diesel::update(programs::table.find(id)).set(&settings).execute(conn)?;
            diesel::delete(program_courses::table.filter(program_courses::program_id.eq(id))).execute(conn)?;
            id
        }
        None => diesel::insert_into(programs::table)
            .values((programs::slug.eq(&program.slug), &settings))
            .returning(programs::id)
            .get_result(conn)?,
    };
    import_training(conn, program_id, training)?;
    diesel::delete(program_practicals::table.filter(program_practicals::program_id.eq(program_id))).execute(conn)?;
    for (position, (key, title)) in program.practicals.iter().enumerate() {
        diesel::insert_into(program_practicals::table)
            .values((
                program_practicals::program_id.eq(program_id),
                program_practicals::position.eq(count(position)),
                program_practicals::practical_key.eq(key),
                program_practicals::title.eq(title),
            ))
            .execute(conn)?;
    }
    diesel::delete(program_attestations::table.filter(program_attestations::program_id.eq(program_id)))
        .execute(conn)?;
    for (position, text) in program.attestations.iter().enumerate() {
        diesel::insert_into(program_attestations::table)
            .values((
                program_attestations::program_id.eq(program_id),
                program_attestations::position.eq(count(position)),
                program_attestations::attestation_key.eq(&text.key),
                program_attestations::title.eq(&text.title),
                program_attestations::version.eq(i32::try_from(text.version).unwrap_or(i32::MAX)),
                program_attestations::body.eq(&text.text),
            ))
            .execute(conn)?;
    }
    diesel::delete(program_roleplays::table.filter(program_roleplays::program_id.eq(program_id))).execute(conn)?;
    for (position, roleplay) in program.roleplays.iter().enumerate() {
        diesel::insert_into(program_roleplays::table)
            .values((
                program_roleplays::program_id.eq(program_id),
                program_roleplays::position.eq(count(position)),
                program_roleplays::roleplay_key.eq(&roleplay.key),
                program_roleplays::title.eq(&roleplay.title),
                program_roleplays::minutes.eq(i32::try_from(roleplay.minutes).unwrap_or(i32::MAX)),
                program_roleplays::script.eq(&roleplay.script),
                program_roleplays::items.eq(serde_json::to_string(&roleplay.items)?),
            ))
            .execute(conn)?;
    }
    for (position, course_slug) in program.courses.iter().enumerate() {
        diesel::insert_into(program_courses::table)
            .values((
                program_courses::program_id.eq(program_id),
                program_courses::position.eq(count(position)),
                program_courses::course_slug.eq(course_slug),
            ))
            .execute(conn)?;
    }
    import_exam(conn, program_id, program.exam.as_ref())
}

/// Replaces the program's hour categories and what each course counts for.
fn import_training(conn: &mut DbConnection, program: ProgramId, training: Option<&TrainingFile>) -> ServerResult<()> {
    diesel::delete(program_hour_categories::table.filter(program_hour_categories::program_id.eq(program)))
        .execute(conn)?;
    diesel::delete(program_course_hours::table.filter(program_course_hours::program_id.eq(program))).execute(conn)?;
    let Some(training) = training else { return Ok(()) };
    for (position, category) in training.categories.iter().enumerate() {
        diesel::insert_into(program_hour_categories::table)
            .values((
                program_hour_categories::program_id.eq(program),
                program_hour_categories::category_key.eq(&category.key),
                program_hour_categories::position.eq(count(position)),
                program_hour_categories::title.eq(&category.title),
                program_hour_categories::training_minimum_minutes.eq(number(category.minimum_minutes)),
                program_hour_categories::ce_minimum_minutes.eq(number(category.ce_minimum_minutes)),
            ))
            .execute(conn)?;
    }
    for (course_slug, category, minutes) in &training.courses {
        diesel::insert_into(program_course_hours::table)
            .values((
                program_course_hours::program_id.eq(program),
                program_course_hours::course_slug.eq(course_slug),
                program_course_hours::category_key.eq(category),
                program_course_hours::minutes.eq(number(*minutes)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Replaces the program's exam (or removes it). Sittings already drawn
/// keep their questions: an exam changed mid-way does not change a sitting.
fn import_exam(conn: &mut DbConnection, program: ProgramId, exam: Option<&ExamFile>) -> ServerResult<()> {
    diesel::delete(program_exam_draws::table.filter(program_exam_draws::program_id.eq(program))).execute(conn)?;
    diesel::delete(program_exams::table.filter(program_exams::program_id.eq(program))).execute(conn)?;
    let Some(exam) = exam else { return Ok(()) };
    diesel::insert_into(program_exams::table)
        .values((
            program_exams::program_id.eq(program),
            program_exams::pass_mark.eq(number(exam.pass_mark)),
            program_exams::review.eq(exam.review),
            program_exams::wait_hours.eq(exam.attempts.wait_hours.map(number)),
            program_exams::max_attempts.eq(exam.attempts.max_attempts.map(number)),
            program_exams::period_days.eq(exam.attempts.period_days.map(number)),
        ))
        .execute(conn)?;
    for (course_slug, questions) in &exam.draw {
        diesel::insert_into(program_exam_draws::table)
            .values((
                program_exam_draws::program_id.eq(program),
                program_exam_draws::course_slug.eq(course_slug),
                program_exam_draws::questions.eq(number(*questions)),
            ))
            .execute(conn)?;
    }
    Ok(())
}
