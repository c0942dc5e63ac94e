//! What an editor sees: their courses, and one course's workspace.

use super::course_diff;
use super::course_rules;
use super::drafts::{draft, working_content};
use super::versions::version_content;
use crate::access;
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::{course_editors, course_versions, courses, enrollments, users};
use crate::error::ServerResult;
use crate::programs::Program;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{
    CourseId, CourseVersionId, CourseWorkspace, ProgramLink, TeachCourseRow, TeachOverview, UserId, VersionRow,
};

#[derive(Queryable, Selectable)]
#[diesel(table_name = courses, check_for_backend(crate::db::MultiBackend))]
struct CourseListed {
    id: CourseId,
    slug: String,
    current_version_id: Option<CourseVersionId>,
}

/// The courses an editor may edit and the programs they staff.
pub fn overview(conn: &mut DbConnection, staff: UserId) -> ServerResult<TeachOverview> {
    let actor = access::staff(conn, staff)?;
    let mut query = courses::table
        .select(CourseListed::as_select())
        .order(courses::slug)
        .into_boxed();
    if !actor.is_admin() {
        query = query.filter(courses::id.eq_any(access::courses_edited_by(conn, staff)?));
    }
    let mut rows = Vec::new();
    for course in query.load(conn)? {
        let draft = draft(conn, course.id)?;
        let published: Option<(String, String)> = match course.current_version_id {
            Some(id) => Some(
                course_versions::table
                    .find(id)
                    .select((course_versions::version_label, course_versions::title))
                    .first(conn)?,
            ),
            None => None,
        };
        let learners: i64 = enrollments::table
            .filter(enrollments::course_id.eq(course.id))
            .count()
            .get_result(conn)?;
        let title = draft
            .as_ref()
            .map(|d| d.content.title.clone())
            .or_else(|| published.as_ref().map(|(_, title)| title.clone()))
            .unwrap_or_default();
        rows.push(TeachCourseRow {
            slug: course.slug,
            title,
            published_version: published.map(|(label, _)| label),
            has_draft: draft.is_some(),
            learners: u32::try_from(learners).unwrap_or(u32::MAX),
        });
    }
    let staffed = if actor.is_admin() {
        None
    } else {
        Some(access::programs_staffed_by(conn, staff)?)
    };
    let programs = Program::all(conn)?
        .into_iter()
        .filter(|program| staffed.as_ref().is_none_or(|ids| ids.contains(&program.id)))
        .map(|program| ProgramLink {
            slug: program.slug,
            title: program.title,
        })
        .collect();
    Ok(TeachOverview {
        courses: rows,
        programs,
    })
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = course_versions, check_for_backend(crate::db::MultiBackend))]
struct VersionListed {
    id: CourseVersionId,
    version_label: String,
    published_at: NaiveDateTime,
    change_summary: Option<String>,
    published_by_name: Option<String>,
}

pub fn versions(conn: &mut DbConnection, course: CourseId) -> ServerResult<Vec<VersionRow>> {
    Ok(course_versions::table
        .filter(course_versions::course_id.eq(course))
        .order(course_versions::id.desc())
        .select(VersionListed::as_select())
        .load(conn)?
        .into_iter()
        .map(|v| VersionRow {
            id: v.id,
            label: v.version_label,
            published_on: day(v.published_at),
            change_summary: v.change_summary,
            published_by: v.published_by_name,
        })
        .collect())
}

/// The label after `latest`: its last number plus one ("1.0.1" → "1.0.2"),
/// skipping labels already used; "latest-2" style when it has no number.
pub fn next_version<'a>(latest: &str, used: impl Iterator<Item = &'a str> + Clone) -> String {
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

/// One course as its editor works on it: the draft (or the published
/// version), what publishing would change, the history and the editors.
pub fn workspace(conn: &mut DbConnection, staff: UserId, slug: &str) -> ServerResult<CourseWorkspace> {
    let actor = access::staff(conn, staff)?;
    let course = access::editable_course(conn, &actor, slug)?;
    let (content, draft) = working_content(conn, &course)?;
    let versions = versions(conn, course.id)?;
    let pending = match (&draft, course.current_version) {
        (Some(draft), Some(version)) => Some(course_diff::diff(&version_content(conn, version)?, &draft.content)),
        _ => None,
    };
    let editors = course_editors::table
        .inner_join(users::table)
        .filter(course_editors::course_id.eq(course.id))
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
        can_manage_editors: actor.is_admin(),
        suggested_version,
    })
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
