use crate::dto::*;
use crate::error::AppError;

/// Writing and publishing courses: for a course's editors and admins.
#[async_trait::async_trait]
pub trait Teaching: Send + Sync + 'static {
    async fn teach_overview(&self, actor: UserId) -> Result<TeachOverview, AppError>;
    /// Creates an unpublished course (a draft) edited by its creator.
    async fn create_course(&self, actor: UserId, slug: &str, title: &str) -> Result<(), AppError>;
    async fn course_workspace(&self, actor: UserId, course: &str) -> Result<CourseWorkspace, AppError>;
    /// Applies one edit to the course's draft, starting one from the published version if needed.
    async fn edit_draft(&self, actor: UserId, course: &str, edit: DraftEdit) -> Result<EditReport, AppError>;
    /// Markdown rendered and sanitized exactly as learners will see it.
    async fn preview_markdown(&self, actor: UserId, markdown: &str) -> Result<String, AppError>;
    /// Publishes the draft as a new version, if it passes the course rules.
    async fn publish_course(
        &self,
        actor: UserId,
        course: &str,
        version: &str,
        change_summary: &str,
    ) -> Result<(), AppError>;
    async fn discard_draft(&self, actor: UserId, course: &str) -> Result<(), AppError>;
    /// Deletes a course nobody has started.
    async fn delete_course(&self, actor: UserId, course: &str) -> Result<(), AppError>;
    async fn compare_versions(
        &self,
        actor: UserId,
        course: &str,
        from: CourseVersionId,
        to: CourseVersionId,
    ) -> Result<VersionDiff, AppError>;
    /// Admins only: lets a trainer edit a course.
    async fn add_course_editor(&self, actor: UserId, course: &str, email: &str) -> Result<(), AppError>;
    /// Imports a `.tar.gz` of course folders; returns the first course's slug.
    async fn import_course_archive(&self, actor: UserId, archive: Vec<u8>) -> Result<String, AppError>;
}
