//! Authoring: who may edit a course, its draft, publishing, version history
//! and course archives.
//!
//! Every operation starts by asking [`editable_course`] (or [`teacher`]):
//! server functions are public endpoints, so the check lives here and not
//! in the pages.

use super::course_import::{ImportOutcome, insert_version};
use super::{StoreError, day};
use crate::course_files::content_hash;
use crate::db::schema::{
    audit_log, course_drafts, course_editors, course_versions, courses, enrollments, modules, question_options,
    questions, users,
};
use crate::db::{DbConnection, write_transaction};
use crate::{course_diff, course_rules, draft_edit};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::course_content::{CourseContent, ModuleContent, OptionContent, QuestionContent, QuizContent};
use holdspace_app::dto::{
    CourseWorkspace, DraftEdit, EditReport, ProgramLink, QuestionKind, Role, TeachCourseRow, TeachOverview,
    VersionDiff, VersionRow,
};
use holdspace_app::error::AppError;

/// Whoever is acting: a signed-in person, or the command line.
pub(super) struct Actor {
    pub id: Option<i64>,
    pub name: String,
    pub role: Role,
}

impl Actor {
    /// The command line runs with the server's own authority.
    pub fn command_line() -> Self {
        Actor {
            id: None,
            name: "command line".into(),
            role: Role::Admin,
        }
    }
}

/// A trainer or an admin; anyone else is refused.
pub(super) fn teacher(conn: &mut DbConnection, user_id: i64) -> Result<Actor, StoreError> {
    let (name, role): (String, String) = users::table
        .find(user_id)
        .select((users::display_name, users::role))
        .first(conn)?;
    match Role::parse(&role) {
        Some(role @ (Role::Trainer | Role::Admin)) => Ok(Actor {
            id: Some(user_id),
            name,
            role,
        }),
        _ => Err(AppError::Forbidden.into()),
    }
}

/// The course `slug` if `actor` may edit it: admins edit every course,
/// trainers the ones they created or were added to.
pub(super) fn editable_course(
    conn: &mut DbConnection,
    actor: &Actor,
    slug: &str,
) -> Result<(i64, Option<i64>), StoreError> {
    let (course_id, current): (i64, Option<i64>) = courses::table
        .filter(courses::slug.eq(slug))
        .select((courses::id, courses::current_version_id))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if actor.role == Role::Admin || is_editor(conn, course_id, actor.id)? {
        Ok((course_id, current))
    } else {
        Err(AppError::Forbidden.into())
    }
}

fn is_editor(conn: &mut DbConnection, course_id: i64, user_id: Option<i64>) -> Result<bool, StoreError> {
    let Some(user_id) = user_id else { return Ok(false) };
    let count: i64 = course_editors::table
        .filter(course_editors::course_id.eq(course_id))
        .filter(course_editors::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Records who did what to which course, and why.
pub(super) fn audit(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    subject: &str,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_user_id.eq(actor.id),
            audit_log::actor_name.eq(&actor.name),
            audit_log::action.eq(action),
            audit_log::subject.eq(subject),
            audit_log::reason.eq(reason),
            audit_log::at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

// ---- reading content back ------------------------------------------------------

/// A published version, rebuilt in the course-file shape. A quiz whose pass
/// mark equals the course's comes back without one of its own: the two mean the same.
pub(super) fn version_content(conn: &mut DbConnection, version_id: i64) -> Result<CourseContent, StoreError> {
    let (slug, version, title, summary, outcomes, pass_mark): (String, String, String, String, String, i32) =
        course_versions::table
            .inner_join(courses::table)
            .filter(course_versions::id.eq(version_id))
            .select((
                courses::slug,
                course_versions::version_label,
                course_versions::title,
                course_versions::summary,
                course_versions::outcomes,
                course_versions::pass_mark,
            ))
            .first(conn)?;
    type ModuleColumns = (i64, String, String, i32, Option<String>, String, bool, i32);
    let module_rows: Vec<ModuleColumns> = modules::table
        .filter(modules::course_version_id.eq(version_id))
        .order(modules::position)
        .select((
            modules::id,
            modules::slug,
            modules::title,
            modules::minutes,
            modules::content_note,
            modules::body_markdown,
            modules::has_quiz,
            modules::quiz_pass_mark,
        ))
        .load(conn)?;
    let mut content_modules = Vec::with_capacity(module_rows.len());
    for (module_id, slug, title, minutes, content_note, body_markdown, has_quiz, quiz_pass_mark) in module_rows {
        let quiz = if has_quiz {
            Some(QuizContent {
                pass_mark: (quiz_pass_mark != pass_mark).then_some(quiz_pass_mark as u32),
                questions: module_questions(conn, module_id)?,
            })
        } else {
            None
        };
        content_modules.push(ModuleContent {
            slug,
            title,
            minutes: minutes as u32,
            content_note,
            body_markdown,
            quiz,
        });
    }
    Ok(CourseContent {
        slug,
        title,
        version,
        summary,
        outcomes: serde_json::from_str(&outcomes)?,
        pass_mark: pass_mark as u32,
        modules: content_modules,
    })
}

fn module_questions(conn: &mut DbConnection, module_id: i64) -> Result<Vec<QuestionContent>, StoreError> {
    let rows: Vec<(i64, String, String, Option<String>, String)> = questions::table
        .filter(questions::module_id.eq(module_id))
        .order(questions::position)
        .select((
            questions::id,
            questions::question_key,
            questions::kind,
            questions::scenario,
            questions::prompt,
        ))
        .load(conn)?;
    let mut result = Vec::with_capacity(rows.len());
    for (question_id, id, kind, scenario, prompt) in rows {
        let options = question_options::table
            .filter(question_options::question_id.eq(question_id))
            .order(question_options::position)
            .select((question_options::text, question_options::correct, question_options::why))
            .load::<(String, bool, String)>(conn)?
            .into_iter()
            .map(|(text, correct, why)| OptionContent { text, correct, why })
            .collect();
        let kind = QuestionKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("question kind {kind}")))?;
        result.push(QuestionContent {
            id,
            kind,
            scenario,
            prompt,
            options,
        });
    }
    Ok(result)
}

struct Draft {
    content: CourseContent,
    updated_at: NaiveDateTime,
    updated_by: String,
}

fn draft(conn: &mut DbConnection, course_id: i64) -> Result<Option<Draft>, StoreError> {
    let row: Option<(String, NaiveDateTime, String)> = course_drafts::table
        .find(course_id)
        .select((
            course_drafts::content,
            course_drafts::updated_at,
            course_drafts::updated_by_name,
        ))
        .first(conn)
        .optional()?;
    row.map(|(content, updated_at, updated_by)| {
        Ok(Draft {
            content: serde_json::from_str(&content)?,
            updated_at,
            updated_by,
        })
    })
    .transpose()
}

fn save_draft(
    conn: &mut DbConnection,
    course_id: i64,
    content: &CourseContent,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(content)?;
    let updated = diesel::update(course_drafts::table.find(course_id))
        .set((
            course_drafts::content.eq(&json),
            course_drafts::updated_at.eq(now),
            course_drafts::updated_by_name.eq(&actor.name),
            course_drafts::updated_by_user_id.eq(actor.id),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(course_drafts::table)
            .values((
                course_drafts::course_id.eq(course_id),
                course_drafts::content.eq(&json),
                course_drafts::updated_at.eq(now),
                course_drafts::updated_by_name.eq(&actor.name),
                course_drafts::updated_by_user_id.eq(actor.id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The draft if there is one, else the published version.
fn working_content(
    conn: &mut DbConnection,
    course_id: i64,
    current: Option<i64>,
) -> Result<(CourseContent, Option<Draft>), StoreError> {
    match (draft(conn, course_id)?, current) {
        (Some(draft), _) => Ok((draft.content.clone(), Some(draft))),
        (None, Some(version_id)) => Ok((version_content(conn, version_id)?, None)),
        (None, None) => Err(StoreError::Corrupt(format!(
            "course {course_id} has neither a draft nor a version"
        ))),
    }
}

// ---- pages ---------------------------------------------------------------------

pub(super) fn overview(conn: &mut DbConnection, user_id: i64) -> Result<TeachOverview, StoreError> {
    use crate::db::schema::programs;
    let actor = teacher(conn, user_id)?;
    let mut query = courses::table
        .select((courses::id, courses::slug, courses::current_version_id))
        .order(courses::slug)
        .into_boxed();
    if actor.role != Role::Admin {
        let mine = course_editors::table
            .filter(course_editors::user_id.eq(user_id))
            .select(course_editors::course_id);
        query = query.filter(courses::id.eq_any(mine));
    }
    let mut rows = Vec::new();
    for (course_id, slug, current) in query.load::<(i64, String, Option<i64>)>(conn)? {
        let draft = draft(conn, course_id)?;
        let published: Option<(String, String)> = match current {
            Some(id) => Some(
                course_versions::table
                    .find(id)
                    .select((course_versions::version_label, course_versions::title))
                    .first(conn)?,
            ),
            None => None,
        };
        let learners: i64 = enrollments::table
            .filter(enrollments::course_id.eq(course_id))
            .count()
            .get_result(conn)?;
        let title = draft
            .as_ref()
            .map(|d| d.content.title.clone())
            .or_else(|| published.as_ref().map(|p| p.1.clone()))
            .unwrap_or_default();
        rows.push(TeachCourseRow {
            slug,
            title,
            published_version: published.map(|p| p.0),
            has_draft: draft.is_some(),
            learners: learners as u32,
        });
    }
    let mut programs_query = programs::table
        .order(programs::title)
        .select((programs::slug, programs::title))
        .into_boxed();
    if actor.role != Role::Admin {
        use crate::db::schema::program_staff;
        programs_query = programs_query.filter(
            programs::id.eq_any(
                program_staff::table
                    .filter(program_staff::user_id.eq(user_id))
                    .select(program_staff::program_id),
            ),
        );
    }
    let programs = programs_query
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(slug, title)| ProgramLink { slug, title })
        .collect();
    Ok(TeachOverview {
        courses: rows,
        programs,
    })
}

const NEW_COURSE_VERSION: &str = "1.0.0";

pub(super) fn create_course(
    conn: &mut DbConnection,
    user_id: i64,
    slug: &str,
    title: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let actor = teacher(conn, user_id)?;
    let slug = slug.trim();
    if !course_rules::is_slug(slug) || slug.len() > 80 {
        return Err(AppError::invalid("A course's short name may only use lowercase letters, digits and dashes, like \"grounding-skills\". It becomes part of the course's address.").into());
    }
    if title.trim().is_empty() {
        return Err(AppError::invalid("Please give the course a title.").into());
    }
    let taken: i64 = courses::table.filter(courses::slug.eq(slug)).count().get_result(conn)?;
    if taken > 0 {
        return Err(AppError::invalid(format!(
            "There is already a course called \"{slug}\". Please choose another short name."
        ))
        .into());
    }
    let course_id: i64 = diesel::insert_into(courses::table)
        .values((courses::slug.eq(slug), courses::created_at.eq(now)))
        .returning(courses::id)
        .get_result(conn)?;
    diesel::insert_into(course_editors::table)
        .values((
            course_editors::course_id.eq(course_id),
            course_editors::user_id.eq(user_id),
            course_editors::added_at.eq(now),
        ))
        .execute(conn)?;
    let content = CourseContent {
        slug: slug.to_owned(),
        title: title.trim().to_owned(),
        version: NEW_COURSE_VERSION.to_owned(),
        summary: String::new(),
        outcomes: Vec::new(),
        pass_mark: 80,
        modules: Vec::new(),
    };
    save_draft(conn, course_id, &content, &actor, now)?;
    audit(conn, &actor, "course.create", &format!("course:{slug}"), None, now)
}

pub(super) fn workspace(conn: &mut DbConnection, user_id: i64, slug: &str) -> Result<CourseWorkspace, StoreError> {
    let actor = teacher(conn, user_id)?;
    let (course_id, current) = editable_course(conn, &actor, slug)?;
    let (content, draft) = working_content(conn, course_id, current)?;
    let versions = versions(conn, course_id)?;
    let pending = match (&draft, current) {
        (Some(draft), Some(version_id)) => Some(course_diff::diff(&version_content(conn, version_id)?, &draft.content)),
        _ => None,
    };
    let editors = course_editors::table
        .inner_join(users::table)
        .filter(course_editors::course_id.eq(course_id))
        .order(users::display_name)
        .select(users::display_name)
        .load(conn)?;
    let suggested_version = match versions.first() {
        Some(latest) => next_version(&latest.label, versions.iter().map(|v| v.label.as_str())),
        None => content.version.clone(),
    };
    Ok(CourseWorkspace {
        problems: if draft.is_some() {
            course_rules::check(&content)
        } else {
            Vec::new()
        },
        content,
        has_draft: draft.is_some(),
        draft_saved: draft.map(|d| format!("{} by {}", day(d.updated_at), d.updated_by)),
        versions,
        pending,
        editors,
        can_manage_editors: actor.role == Role::Admin,
        suggested_version,
    })
}

fn versions(conn: &mut DbConnection, course_id: i64) -> Result<Vec<VersionRow>, StoreError> {
    Ok(course_versions::table
        .filter(course_versions::course_id.eq(course_id))
        .order(course_versions::id.desc())
        .select((
            course_versions::id,
            course_versions::version_label,
            course_versions::published_at,
            course_versions::change_summary,
            course_versions::published_by_name,
        ))
        .load::<(i64, String, NaiveDateTime, Option<String>, Option<String>)>(conn)?
        .into_iter()
        .map(|(id, label, at, change_summary, published_by)| VersionRow {
            id,
            label,
            published_on: day(at),
            change_summary,
            published_by,
        })
        .collect())
}

/// The label after `latest`: its last number plus one ("1.0.1" → "1.0.2"),
/// skipping labels already used; "latest-2" style when it has no number.
fn next_version<'a>(latest: &str, used: impl Iterator<Item = &'a str> + Clone) -> String {
    let (head, tail) = match latest.rfind(|c: char| !c.is_ascii_digit()) {
        Some(i) => latest.split_at(i + 1),
        None => ("", latest),
    };
    let start: u64 = tail.parse().unwrap_or(1);
    (start + 1..)
        .map(|n| {
            if tail.is_empty() {
                format!("{latest}-{n}")
            } else {
                format!("{head}{n}")
            }
        })
        .find(|label| !used.clone().any(|u| u == label))
        .expect("some number is free")
}

pub(super) fn edit(
    conn: &mut DbConnection,
    user_id: i64,
    slug: &str,
    edit: DraftEdit,
    now: NaiveDateTime,
) -> Result<EditReport, StoreError> {
    let actor = teacher(conn, user_id)?;
    let (course_id, current) = editable_course(conn, &actor, slug)?;
    let (mut content, _) = working_content(conn, course_id, current)?;
    let report = draft_edit::apply(&mut content, edit).map_err(|error| AppError::Invalid(error.to_string()))?;
    save_draft(conn, course_id, &content, &actor, now)?;
    Ok(report)
}

const MAX_CHANGE_SUMMARY_CHARS: usize = 2000;

pub(super) fn publish(
    conn: &mut DbConnection,
    user_id: i64,
    slug: &str,
    version: &str,
    change_summary: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let actor = teacher(conn, user_id)?;
    let (course_id, current) = editable_course(conn, &actor, slug)?;
    let Some(draft) = draft(conn, course_id)? else {
        return Err(AppError::invalid("There are no unpublished changes to this course.").into());
    };
    let (version, change_summary) = (version.trim(), change_summary.trim());
    if version.is_empty() || version.len() > 40 {
        return Err(AppError::invalid("Please give this version a short label, such as 1.1.0.").into());
    }
    if change_summary.is_empty() {
        return Err(AppError::invalid(
            "Please say in a sentence or two what changed. Other trainers read it in the version history.",
        )
        .into());
    }
    if change_summary.chars().count() > MAX_CHANGE_SUMMARY_CHARS {
        return Err(AppError::invalid(format!(
            "Please keep the summary of changes under {MAX_CHANGE_SUMMARY_CHARS} characters."
        ))
        .into());
    }
    let used: i64 = course_versions::table
        .filter(course_versions::course_id.eq(course_id))
        .filter(course_versions::version_label.eq(version))
        .count()
        .get_result(conn)?;
    if used > 0 {
        return Err(AppError::invalid(format!(
            "Version {version} has already been published. Please choose a new label."
        ))
        .into());
    }
    let mut content = draft.content;
    content.version = version.to_owned();
    let problems = course_rules::check(&content);
    if !problems.is_empty() {
        let count = problems.len();
        return Err(AppError::invalid(format!(
            "This draft isn't ready to publish yet: {count} thing{} still need{} attention. Each one is marked beside its field.",
            if count == 1 { "" } else { "s" },
            if count == 1 { "s" } else { "" },
        ))
        .into());
    }
    let hash = content_hash(&content);
    if let Some(version_id) = current {
        let current_hash: String = course_versions::table
            .find(version_id)
            .select(course_versions::content_hash)
            .first(conn)?;
        let mut unchanged = version_content(conn, version_id)?;
        unchanged.version = content.version.clone();
        if current_hash == hash || content_hash(&unchanged) == hash {
            return Err(AppError::invalid(
                "The draft is the same as the published version, so there is nothing to publish. You can discard it.",
            )
            .into());
        }
    }
    publish_content(conn, course_id, &content, &actor, Some(change_summary), now)?;
    diesel::delete(course_drafts::table.find(course_id)).execute(conn)?;
    audit(
        conn,
        &actor,
        "course.publish",
        &format!("course:{slug}@{version}"),
        Some(change_summary),
        now,
    )
}

/// Makes `content` the course's current version.
fn publish_content(
    conn: &mut DbConnection,
    course_id: i64,
    content: &CourseContent,
    actor: &Actor,
    change_summary: Option<&str>,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    let version_id = insert_version(conn, course_id, content, &content_hash(content), now)?;
    diesel::update(course_versions::table.find(version_id))
        .set((
            course_versions::change_summary.eq(change_summary),
            course_versions::published_by_name.eq(&actor.name),
            course_versions::published_by_user_id.eq(actor.id),
        ))
        .execute(conn)?;
    diesel::update(courses::table.find(course_id))
        .set(courses::current_version_id.eq(version_id))
        .execute(conn)?;
    Ok(version_id)
}

pub(super) fn discard_draft(
    conn: &mut DbConnection,
    user_id: i64,
    slug: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let actor = teacher(conn, user_id)?;
    let (course_id, current) = editable_course(conn, &actor, slug)?;
    if current.is_none() {
        return Err(AppError::invalid(
            "This course has never been published, so its draft is all there is. To remove it, delete the course.",
        )
        .into());
    }
    let deleted = diesel::delete(course_drafts::table.find(course_id)).execute(conn)?;
    if deleted > 0 {
        audit(
            conn,
            &actor,
            "course.draft.discard",
            &format!("course:{slug}"),
            None,
            now,
        )?;
    }
    Ok(())
}

pub(super) fn delete_course(
    conn: &mut DbConnection,
    user_id: i64,
    slug: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    use crate::db::schema::{attempts, quiz_sittings};
    let actor = teacher(conn, user_id)?;
    let (course_id, _) = editable_course(conn, &actor, slug)?;
    let learners: i64 = enrollments::table
        .filter(enrollments::course_id.eq(course_id))
        .count()
        .get_result(conn)?;
    let taken: i64 = attempts::table
        .filter(attempts::course_id.eq(course_id))
        .count()
        .get_result(conn)?;
    if learners > 0 || taken > 0 {
        return Err(AppError::invalid(
            "Learners have started this course, so it can't be deleted: their progress, attempts and certificates point at it. You can publish a new version instead.",
        )
        .into());
    }
    let version_ids = course_versions::table
        .filter(course_versions::course_id.eq(course_id))
        .select(course_versions::id);
    let module_ids = modules::table
        .filter(modules::course_version_id.eq_any(version_ids))
        .select(modules::id);
    diesel::delete(quiz_sittings::table.filter(quiz_sittings::module_id.eq_any(module_ids))).execute(conn)?;
    let question_ids = questions::table
        .filter(questions::module_id.eq_any(module_ids))
        .select(questions::id);
    diesel::delete(question_options::table.filter(question_options::question_id.eq_any(question_ids))).execute(conn)?;
    diesel::delete(questions::table.filter(questions::module_id.eq_any(module_ids))).execute(conn)?;
    diesel::delete(modules::table.filter(modules::course_version_id.eq_any(version_ids))).execute(conn)?;
    diesel::update(courses::table.find(course_id))
        .set(courses::current_version_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::delete(course_versions::table.filter(course_versions::course_id.eq(course_id))).execute(conn)?;
    diesel::delete(courses::table.find(course_id)).execute(conn)?;
    audit(conn, &actor, "course.delete", &format!("course:{slug}"), None, now)
}

pub(super) fn compare(
    conn: &mut DbConnection,
    user_id: i64,
    slug: &str,
    from: i64,
    to: i64,
) -> Result<VersionDiff, StoreError> {
    let actor = teacher(conn, user_id)?;
    let (course_id, _) = editable_course(conn, &actor, slug)?;
    let belongs = |conn: &mut DbConnection, id: i64| -> Result<bool, StoreError> {
        let count: i64 = course_versions::table
            .find(id)
            .filter(course_versions::course_id.eq(course_id))
            .count()
            .get_result(conn)?;
        Ok(count > 0)
    };
    if !belongs(conn, from)? || !belongs(conn, to)? {
        return Err(AppError::NotFound.into());
    }
    Ok(course_diff::diff(
        &version_content(conn, from)?,
        &version_content(conn, to)?,
    ))
}

pub(super) fn add_editor(
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
    let (course_id, _) = editable_course(conn, &actor, slug)?;
    let (editor_id, role): (i64, String) = users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .select((users::id, users::role))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::invalid("There is no account with that email address."))?;
    if !matches!(Role::parse(&role), Some(Role::Trainer | Role::Admin)) {
        return Err(AppError::invalid(
            "That account is not a trainer's. Its role needs to change before it can edit courses.",
        )
        .into());
    }
    if !is_editor(conn, course_id, Some(editor_id))? {
        diesel::insert_into(course_editors::table)
            .values((
                course_editors::course_id.eq(course_id),
                course_editors::user_id.eq(editor_id),
                course_editors::added_at.eq(now),
            ))
            .execute(conn)?;
        audit(
            conn,
            &actor,
            "course.editor.add",
            &format!("course:{slug}"),
            Some(&format!("user:{editor_id}")),
            now,
        )?;
    }
    Ok(())
}

/// The published content of a course, for an export.
pub(super) fn export(conn: &mut DbConnection, user_id: i64, slug: &str) -> Result<CourseContent, StoreError> {
    let actor = teacher(conn, user_id)?;
    let (_, current) = editable_course(conn, &actor, slug)?;
    let version_id = current
        .ok_or_else(|| AppError::invalid("This course has not been published yet, so there is nothing to export."))?;
    version_content(conn, version_id)
}

/// Publishes courses read from an archive or a folder, each as a new
/// version (or a new course), in one transaction per course.
pub(super) fn import_courses(
    conn: &mut DbConnection,
    actor: &Actor,
    courses_in: &[CourseContent],
    now: NaiveDateTime,
) -> Result<Vec<(String, ImportOutcome)>, StoreError> {
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
) -> Result<ImportOutcome, StoreError> {
    let slug = &content.slug;
    let exists: i64 = courses::table.filter(courses::slug.eq(slug)).count().get_result(conn)?;
    let version = content.version.clone();
    if exists == 0 {
        let course_id: i64 = diesel::insert_into(courses::table)
            .values((courses::slug.eq(slug), courses::created_at.eq(now)))
            .returning(courses::id)
            .get_result(conn)?;
        if let Some(user_id) = actor.id {
            diesel::insert_into(course_editors::table)
                .values((
                    course_editors::course_id.eq(course_id),
                    course_editors::user_id.eq(user_id),
                    course_editors::added_at.eq(now),
                ))
                .execute(conn)?;
        }
        publish_content(conn, course_id, content, actor, Some("Imported."), now)?;
        audit(
            conn,
            actor,
            "course.import",
            &format!("course:{slug}@{version}"),
            None,
            now,
        )?;
        return Ok(ImportOutcome::Created { version });
    }
    let (course_id, current) = editable_course(conn, actor, slug)?;
    if let Some(version_id) = current {
        let current_hash: String = course_versions::table
            .find(version_id)
            .select(course_versions::content_hash)
            .first(conn)?;
        if current_hash == content_hash(content) || version_content(conn, version_id)? == *content {
            return Ok(ImportOutcome::Unchanged);
        }
    }
    if draft(conn, course_id)?.is_some() {
        return Err(AppError::invalid(format!(
            "\"{slug}\" has unpublished changes in the editor. Please publish or discard them first, so that nothing is lost."
        ))
        .into());
    }
    let used: i64 = course_versions::table
        .filter(course_versions::course_id.eq(course_id))
        .filter(course_versions::version_label.eq(&version))
        .count()
        .get_result(conn)?;
    if used > 0 {
        return Err(AppError::invalid(format!(
            "\"{slug}\" version {version} is already published with different content. Please give the imported course a new version in its course.toml."
        ))
        .into());
    }
    publish_content(conn, course_id, content, actor, Some("Imported."), now)?;
    audit(
        conn,
        actor,
        "course.import",
        &format!("course:{slug}@{version}"),
        None,
        now,
    )?;
    Ok(ImportOutcome::Updated { version })
}

#[cfg(test)]
mod tests {
    use super::next_version;

    #[test]
    fn the_next_version_counts_on_from_the_last_number() {
        assert_eq!(next_version("1.0.1", ["1.0.1"].into_iter()), "1.0.2");
        assert_eq!(next_version("1.0.1", ["1.0.1", "1.0.2"].into_iter()), "1.0.3");
        assert_eq!(next_version("2024", [].into_iter()), "2025");
        assert_eq!(next_version("spring", [].into_iter()), "spring-2");
    }
}
