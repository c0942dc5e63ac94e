//! The rows the learning loop reads.

use crate::db::DbConnection;
use crate::db::schema::{course_versions, courses, enrollments, modules};
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::course_content::{AttemptPolicy, QuestionGroup, QuizContent, ReviewPolicy};
use holdspace_app::dto::{CourseId, CourseVersionId, EnrollmentId, ModuleId, ModuleLink};
use holdspace_app::error::AppError;

/// A course with its current (published) version.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = courses, check_for_backend(crate::db::MultiBackend))]
pub struct CurrentCourse {
    #[diesel(column_name = id)]
    pub course_id: CourseId,
    pub slug: String,
    #[diesel(select_expression = course_versions::id)]
    pub version_id: CourseVersionId,
    #[diesel(select_expression = course_versions::version_label)]
    pub version_label: String,
    #[diesel(select_expression = course_versions::title)]
    pub title: String,
    #[diesel(select_expression = course_versions::summary)]
    pub summary: String,
    /// A JSON list of strings.
    #[diesel(select_expression = course_versions::outcomes)]
    pub outcomes: String,
    #[diesel(select_expression = course_versions::pass_mark)]
    pub pass_mark: i32,
}

impl CurrentCourse {
    /// The published course `slug`, or not found.
    pub fn find(conn: &mut DbConnection, slug: &str) -> ServerResult<CurrentCourse> {
        crate::current_courses!()
            .filter(courses::slug.eq(slug))
            .select(CurrentCourse::as_select())
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound.into())
    }

    /// The published version of the course with this id, if it has one.
    pub fn by_id(conn: &mut DbConnection, course: CourseId) -> ServerResult<Option<CurrentCourse>> {
        Ok(crate::current_courses!()
            .filter(courses::id.eq(course))
            .select(CurrentCourse::as_select())
            .first(conn)
            .optional()?)
    }

    /// Every published course.
    pub fn all(conn: &mut DbConnection) -> ServerResult<Vec<CurrentCourse>> {
        Ok(crate::current_courses!()
            .select(CurrentCourse::as_select())
            .load(conn)?)
    }

    pub fn outcomes(&self) -> ServerResult<Vec<String>> {
        Ok(serde_json::from_str(&self.outcomes)?)
    }
}

/// A module as listed in an outline.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = modules, check_for_backend(crate::db::MultiBackend))]
pub struct ModuleRow {
    pub id: ModuleId,
    pub slug: String,
    pub title: String,
    pub minutes: i32,
    pub has_quiz: bool,
    pub content_note: Option<String>,
}

impl ModuleRow {
    /// The modules of a version, in reading order.
    pub fn of_version(conn: &mut DbConnection, version: CourseVersionId) -> ServerResult<Vec<ModuleRow>> {
        Ok(modules::table
            .filter(modules::course_version_id.eq(version))
            .order(modules::position)
            .select(ModuleRow::as_select())
            .load(conn)?)
    }

    pub fn minutes(&self) -> u32 {
        u32::try_from(self.minutes).unwrap_or(0)
    }

    pub fn link(&self) -> ModuleLink {
        ModuleLink {
            slug: self.slug.clone(),
            title: self.title.clone(),
        }
    }
}

/// A learner's enrolment in a course.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = enrollments, check_for_backend(crate::db::MultiBackend))]
pub struct Enrollment {
    pub id: EnrollmentId,
    pub enrolled_at: NaiveDateTime,
    pub last_module_slug: Option<String>,
    pub completed_at: Option<NaiveDateTime>,
}

/// A module quiz's draw, review policy and attempt policy, stored as JSON
/// beside the module (one column: a module row is already wide).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QuizRules {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<QuestionGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewPolicy>,
    #[serde(default, skip_serializing_if = "AttemptPolicy::is_open")]
    pub attempts: AttemptPolicy,
}

impl QuizRules {
    pub fn of_quiz(quiz: &QuizContent) -> QuizRules {
        QuizRules {
            draw: quiz.draw,
            groups: quiz.groups.clone(),
            review: quiz.review,
            attempts: quiz.attempts,
        }
    }

    pub fn parse(json: &str) -> ServerResult<QuizRules> {
        Ok(serde_json::from_str(json)?)
    }

    pub fn of_module(conn: &mut DbConnection, module: ModuleId) -> ServerResult<QuizRules> {
        QuizRules::parse(
            &modules::table
                .find(module)
                .select(modules::quiz_rules)
                .first::<String>(conn)?,
        )
    }
}
