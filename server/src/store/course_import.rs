//! Bringing course files into the database as immutable course versions.
//!
//! A course whose content changed gets a new version row (with its modules,
//! questions and options) and becomes current; older versions stay, because
//! attempts point at them. An unchanged course is left alone.

use super::{Store, StoreError};
use crate::course_files::{CourseContent, Loaded, ProgramFile};
use crate::db::schema::{
    course_versions, courses, modules, program_courses, program_practicals, programs, question_options, questions,
};
use crate::db::{DbConnection, write_transaction};
use crate::markdown;
use chrono::NaiveDateTime;
use diesel::prelude::*;

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

impl Store {
    /// Imports every valid course and program that was loaded.
    pub async fn import(&self, loaded: Loaded) -> Result<ImportReport, StoreError> {
        self.run(move |conn, now| {
            let mut report = ImportReport::default();
            for course in &loaded.courses {
                let outcome = write_transaction(conn, |conn| import_course(conn, course, now))?;
                report.courses.push((course.slug.clone(), outcome));
            }
            for program in &loaded.programs {
                write_transaction(conn, |conn| import_program(conn, program, now))?;
                report.programs += 1;
            }
            Ok(report)
        })
        .await
    }
}

fn import_course(
    conn: &mut DbConnection,
    course: &CourseContent,
    now: NaiveDateTime,
) -> Result<ImportOutcome, StoreError> {
    let hash = crate::course_files::content_hash(course);
    let existing: Option<(i64, Option<i64>)> = courses::table
        .filter(courses::slug.eq(&course.slug))
        .select((courses::id, courses::current_version_id))
        .first(conn)
        .optional()?;
    let (course_id, created) = match existing {
        Some((id, Some(version_id))) => {
            let current_hash: String = course_versions::table
                .find(version_id)
                .select(course_versions::content_hash)
                .first(conn)?;
            if current_hash == hash {
                return Ok(ImportOutcome::Unchanged);
            }
            let label_used: i64 = course_versions::table
                .filter(course_versions::course_id.eq(id))
                .filter(course_versions::version_label.eq(&course.version))
                .count()
                .get_result(conn)?;
            if label_used > 0 {
                return Ok(ImportOutcome::KeptPublished {
                    files_version: course.version.clone(),
                });
            }
            (id, false)
        }
        Some((id, None)) => (id, true),
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

pub(super) fn insert_version(
    conn: &mut DbConnection,
    course_id: i64,
    course: &CourseContent,
    hash: &str,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    let version_id: i64 = diesel::insert_into(course_versions::table)
        .values((
            course_versions::course_id.eq(course_id),
            course_versions::version_label.eq(&course.version),
            course_versions::title.eq(&course.title),
            course_versions::summary.eq(&course.summary),
            course_versions::outcomes.eq(serde_json::to_string(&course.outcomes)?),
            course_versions::pass_mark.eq(course.pass_mark as i32),
            course_versions::content_hash.eq(hash),
            course_versions::published_at.eq(now),
        ))
        .returning(course_versions::id)
        .get_result(conn)?;
    for (position, module) in course.modules.iter().enumerate() {
        let quiz_pass_mark = module
            .quiz
            .as_ref()
            .and_then(|q| q.pass_mark)
            .unwrap_or(course.pass_mark);
        let module_id: i64 = diesel::insert_into(modules::table)
            .values((
                modules::course_version_id.eq(version_id),
                modules::position.eq(position as i32),
                modules::slug.eq(&module.slug),
                modules::title.eq(&module.title),
                modules::minutes.eq(module.minutes as i32),
                modules::content_note.eq(&module.content_note),
                modules::body_markdown.eq(&module.body_markdown),
                modules::body_html.eq(markdown::render(&module.body_markdown)),
                modules::has_quiz.eq(module.quiz.is_some()),
                modules::quiz_pass_mark.eq(quiz_pass_mark as i32),
            ))
            .returning(modules::id)
            .get_result(conn)?;
        for (position, question) in module.quiz.iter().flat_map(|q| &q.questions).enumerate() {
            let question_id: i64 = diesel::insert_into(questions::table)
                .values((
                    questions::module_id.eq(module_id),
                    questions::position.eq(position as i32),
                    questions::question_key.eq(&question.id),
                    questions::kind.eq(question.kind.as_str()),
                    questions::scenario.eq(&question.scenario),
                    questions::prompt.eq(&question.prompt),
                ))
                .returning(questions::id)
                .get_result(conn)?;
            for (position, option) in question.options.iter().enumerate() {
                diesel::insert_into(question_options::table)
                    .values((
                        question_options::question_id.eq(question_id),
                        question_options::position.eq(position as i32),
                        question_options::text.eq(&option.text),
                        question_options::correct.eq(option.correct),
                        question_options::why.eq(&option.why),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(version_id)
}

fn import_program(conn: &mut DbConnection, program: &ProgramFile, now: NaiveDateTime) -> Result<(), StoreError> {
    let existing: Option<i64> = programs::table
        .filter(programs::slug.eq(&program.slug))
        .select(programs::id)
        .first(conn)
        .optional()?;
    let program_id = match existing {
        Some(id) => {
            diesel::update(programs::table.find(id))
                .set((
                    programs::title.eq(&program.title),
                    programs::valid_for_months.eq(program.valid_for_months as i32),
                    programs::updated_at.eq(now),
                ))
                .execute(conn)?;
            diesel::delete(program_courses::table.filter(program_courses::program_id.eq(id))).execute(conn)?;
            id
        }
        None => diesel::insert_into(programs::table)
            .values((
                programs::slug.eq(&program.slug),
                programs::title.eq(&program.title),
                programs::valid_for_months.eq(program.valid_for_months as i32),
                programs::updated_at.eq(now),
            ))
            .returning(programs::id)
            .get_result(conn)?,
    };
    diesel::delete(program_practicals::table.filter(program_practicals::program_id.eq(program_id))).execute(conn)?;
    for (position, (key, title)) in program.practicals.iter().enumerate() {
        diesel::insert_into(program_practicals::table)
            .values((
                program_practicals::program_id.eq(program_id),
                program_practicals::position.eq(position as i32),
                program_practicals::practical_key.eq(key),
                program_practicals::title.eq(title),
            ))
            .execute(conn)?;
    }
    for (position, course_slug) in program.courses.iter().enumerate() {
        diesel::insert_into(program_courses::table)
            .values((
                program_courses::program_id.eq(program_id),
                program_courses::position.eq(position as i32),
                program_courses::course_slug.eq(course_slug),
            ))
            .execute(conn)?;
    }
    Ok(())
}
