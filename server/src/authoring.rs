//! Authoring: courses as files and in the browser editor, drafts,
//! publishing immutable versions, version history, archives and imports.
//!
//! Every operation asks [`crate::access::editable_course`] first: server
//! functions are public endpoints, so the check lives here, not in pages.

pub mod course_archive;
pub mod course_diff;
pub mod course_files;
pub mod course_rules;
pub mod draft_edit;
pub mod gift;
pub mod item_rules;

mod drafts;
mod editing;
mod import;
mod publishing;
mod versions;
mod workspace;

pub use editing::{add_editor, create_course, delete_course, discard_draft, edit};
pub use import::{ImportOutcome, ImportReport, import_courses, import_loaded};
pub use publishing::{compare, export, publish};
pub use versions::version_content;
pub use workspace::{overview, workspace};

use holdspace_app::error::AppError;

/// The courses of an archive or folder, or every problem with them in words
/// a trainer can act on.
pub fn importable(loaded: course_files::Loaded) -> Result<Vec<holdspace_app::course_content::CourseContent>, AppError> {
    if !loaded.problems.is_empty() {
        let list: Vec<String> = loaded.problems.iter().take(20).map(ToString::to_string).collect();
        let more = loaded.problems.len().saturating_sub(list.len());
        let tail = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        return Err(AppError::Invalid(format!(
            "The course could not be imported. Please fix these and try again: {}{tail}",
            list.join("; ")
        )));
    }
    if loaded.courses.is_empty() {
        return Err(AppError::invalid(
            "We found no course in that file. An export holds one folder per course, each with a course.toml.",
        ));
    }
    Ok(loaded.courses)
}
