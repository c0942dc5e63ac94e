use crate::db::is_unique_violation;
use crate::error::ServerError;
use crate::learning::{self, Graded};
use crate::site::Site;
use crate::{certificates, learning::existing_attempt};
use holdspace_app::dto::*;
use holdspace_app::error::AppError;
use holdspace_app::ports::{Answers, Learning};

#[async_trait::async_trait]
impl Learning for Site {
    async fn catalog(&self, viewer: Option<UserId>) -> Result<Vec<CourseCard>, AppError> {
        let published = self.published.clone();
        Ok(self
            .db
            .read(move |conn, _| learning::catalog(conn, &published, viewer))
            .await?)
    }

    async fn course_outline(&self, slug: &str, viewer: Option<UserId>) -> Result<CourseOutline, AppError> {
        let slug = slug.to_owned();
        let published = self.published.clone();
        Ok(self
            .db
            .read(move |conn, _| learning::course_outline(conn, &published, &slug, viewer))
            .await?)
    }

    async fn enroll(&self, learner: UserId, course: &str) -> Result<ModuleLink, AppError> {
        let course = course.to_owned();
        Ok(self
            .db
            .run(move |conn, now| learning::enroll(conn, learner, &course, now))
            .await?)
    }

    async fn module(
        &self,
        learner: UserId,
        course: &str,
        module: &str,
        past_note: bool,
    ) -> Result<ModuleAccess, AppError> {
        let (course, module) = (course.to_owned(), module.to_owned());
        let published = self.published.clone();
        let visit = self
            .db
            .read(move |conn, _| learning::module(conn, &published, learner, &course, &module, past_note))
            .await?;
        if let Some(progress) = visit.progress {
            self.db
                .write(move |conn, now| learning::save_progress(conn, &progress, now))
                .await?;
        }
        if let Some(text) = visit.text_shown {
            crate::http::answer_carries(text);
        }
        Ok(visit.access)
    }

    async fn open_quiz(&self, learner: UserId, course: &str, module: &str) -> Result<QuizSheet, AppError> {
        let (course, module) = (course.to_owned(), module.to_owned());
        let published = self.published.clone();
        Ok(self
            .db
            .write(move |conn, now| learning::open_quiz(conn, &published, learner, &course, &module, now))
            .await?)
    }

    /// Grades and, on a pass, issues every certificate it completes, in one
    /// transaction; the learner is answered only after it commits.
    async fn submit_quiz(&self, learner: UserId, sitting: SittingId, answers: Answers) -> Result<AttemptId, AppError> {
        let issuing = self.issuing()?;
        let published = self.published.clone();
        let graded = self
            .db
            .write(move |conn, now| {
                let graded = learning::submit_quiz(conn, &published, learner, sitting, &answers, now)?;
                if let Graded::Attempt {
                    passed: true, course, ..
                } = &graded
                {
                    certificates::issue_if_complete(conn, learner, *course, now, &issuing)?;
                }
                Ok(graded)
            })
            .await;
        let graded = match graded {
            // Two identical submissions raced on PostgreSQL; the first one won.
            Err(ServerError::Db(error)) if is_unique_violation(&error) => self
                .db
                .read(move |conn, _| existing_attempt(conn, sitting))
                .await?
                .map(|(id, passed, course)| Graded::Attempt { id, passed, course })
                .ok_or(ServerError::Db(error))?,
            other => other?,
        };
        match graded {
            Graded::Attempt { id, .. } => Ok(id),
            Graded::Incomplete(missing) => Err(AppError::QuizIncomplete { missing }),
        }
    }

    async fn attempt(&self, learner: UserId, attempt: AttemptId) -> Result<AttemptReview, AppError> {
        Ok(self
            .db
            .run(move |conn, now| learning::attempt_review(conn, learner, attempt, now))
            .await?)
    }

    async fn dashboard(&self, learner: UserId) -> Result<Dashboard, AppError> {
        let issuing = self.issuing.clone();
        let published = self.published.clone();
        Ok(self
            .db
            .run(move |conn, now| {
                use crate::db::schema::users;
                use diesel::prelude::*;
                let display_name: String = users::table.find(learner).select(users::display_name).first(conn)?;
                Ok(Dashboard {
                    display_name,
                    courses: learning::enrolled_courses(conn, &published, learner)?,
                    exams: crate::exams::exams_of_learner(conn, learner, now)?,
                    certificates: certificates::held_by(conn, learner, now, issuing.as_deref().map(|i| &i.issuer))?,
                })
            })
            .await?)
    }

    async fn local_page(&self, page: LocalPage) -> Result<Option<String>, AppError> {
        Ok(match page {
            LocalPage::Resources => self.settings.local_resources_html.clone(),
            LocalPage::Policies => self.settings.local_policies_html.clone(),
        })
    }
}
