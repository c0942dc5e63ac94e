use crate::access::{self, Actor};
use crate::authoring::{self, course_archive, importable};
use crate::site::Site;
use holdspace_app::dto::*;
use holdspace_app::error::AppError;
use holdspace_app::ports::Teaching;

#[async_trait::async_trait]
impl Teaching for Site {
    async fn teach_overview(&self, actor: UserId) -> Result<TeachOverview, AppError> {
        Ok(self.db.run(move |conn, _| authoring::overview(conn, actor)).await?)
    }

    async fn create_course(&self, actor: UserId, slug: &str, title: &str) -> Result<(), AppError> {
        let (slug, title) = (slug.to_owned(), title.to_owned());
        Ok(self
            .db
            .write(move |conn, now| authoring::create_course(conn, actor, &slug, &title, now))
            .await?)
    }

    async fn course_workspace(&self, actor: UserId, course: &str) -> Result<CourseWorkspace, AppError> {
        let course = course.to_owned();
        Ok(self
            .db
            .run(move |conn, _| authoring::workspace(conn, actor, &course))
            .await?)
    }

    async fn edit_draft(&self, actor: UserId, course: &str, edit: DraftEdit) -> Result<EditReport, AppError> {
        let course = course.to_owned();
        Ok(self
            .db
            .write(move |conn, now| authoring::edit(conn, actor, &course, edit, now))
            .await?)
    }

    async fn preview_markdown(&self, actor: UserId, markdown: &str) -> Result<String, AppError> {
        self.db.run(move |conn, _| access::staff(conn, actor).map(drop)).await?;
        Ok(crate::markdown::render(markdown))
    }

    async fn publish_course(
        &self,
        actor: UserId,
        course: &str,
        version: &str,
        change_summary: &str,
    ) -> Result<(), AppError> {
        let (course, version, summary) = (course.to_owned(), version.to_owned(), change_summary.to_owned());
        Ok(self
            .db
            .write(move |conn, now| authoring::publish(conn, actor, &course, &version, &summary, now))
            .await?)
    }

    async fn discard_draft(&self, actor: UserId, course: &str) -> Result<(), AppError> {
        let course = course.to_owned();
        Ok(self
            .db
            .write(move |conn, now| authoring::discard_draft(conn, actor, &course, now))
            .await?)
    }

    async fn delete_course(&self, actor: UserId, course: &str) -> Result<(), AppError> {
        let course = course.to_owned();
        Ok(self
            .db
            .write(move |conn, now| authoring::delete_course(conn, actor, &course, now))
            .await?)
    }

    async fn compare_versions(
        &self,
        actor: UserId,
        course: &str,
        from: CourseVersionId,
        to: CourseVersionId,
    ) -> Result<VersionDiff, AppError> {
        let course = course.to_owned();
        Ok(self
            .db
            .run(move |conn, _| authoring::compare(conn, actor, &course, from, to))
            .await?)
    }

    async fn add_course_editor(&self, actor: UserId, course: &str, email: &str) -> Result<(), AppError> {
        let (course, email) = (course.to_owned(), email.to_owned());
        Ok(self
            .db
            .write(move |conn, now| authoring::add_editor(conn, actor, &course, &email, now))
            .await?)
    }

    async fn import_course_archive(&self, actor: UserId, archive: Vec<u8>) -> Result<String, AppError> {
        Ok(self
            .db
            .run(move |conn, now| {
                let actor: Actor = access::staff(conn, actor)?;
                let loaded = course_archive::unpack(&archive).map_err(|error| AppError::Invalid(error.to_string()))?;
                let courses = importable(loaded)?;
                let outcomes = authoring::import_courses(conn, &actor, &courses, now)?;
                Ok(outcomes.into_iter().next().map(|(slug, _)| slug).unwrap_or_default())
            })
            .await?)
    }
}
