use crate::authoring::course_files::Audience;
use crate::certificates;
use crate::following;
use crate::learning;
use crate::programs;
use crate::site::Site;
use holdspace_app::dto::*;
use holdspace_app::error::AppError;
use holdspace_app::ports::Following;

#[async_trait::async_trait]
impl Following for Site {
    async fn course_following(&self, actor: UserId, course: &str) -> Result<CourseFollowing, AppError> {
        let course = course.to_owned();
        Ok(self
            .db
            .run(move |conn, now| following::course_following(conn, actor, &course, now))
            .await?)
    }

    async fn program_progress(&self, actor: UserId, program: &str) -> Result<ProgramProgress, AppError> {
        let program = program.to_owned();
        let mut progress = self
            .db
            .run(move |conn, now| following::program_progress(conn, actor, &program, now))
            .await?;
        progress.guides = self.printable_links(Audience::Staff, Some(&progress.courses));
        Ok(progress)
    }

    async fn add_program_staff(&self, actor: UserId, program: &str, email: &str) -> Result<(), AppError> {
        let (program, email) = (program.to_owned(), email.to_owned());
        Ok(self
            .db
            .write(move |conn, now| programs::add_staff(conn, actor, &program, &email, now))
            .await?)
    }

    /// Signs off, and issues the certificate if that completes the program, in one transaction.
    async fn sign_off_practical(&self, actor: UserId, form: SignoffForm) -> Result<(), AppError> {
        let issuing = self.issuing()?;
        Ok(self
            .db
            .write(move |conn, now| {
                let program = programs::sign_off(conn, actor, &form, now)?;
                certificates::issue_if_program_complete(conn, form.learner_id, program.id, now, &issuing)
            })
            .await?)
    }

    async fn grant_attempt(&self, actor: UserId, learner: UserId, on: AttemptOn) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, now| {
                let target = match on {
                    AttemptOn::Quiz { course, module } => {
                        let course = learning::CurrentCourse::find(conn, &course)?;
                        learning::GrantFor::Quiz {
                            course: course.course_id,
                            module_slug: module,
                        }
                    }
                    AttemptOn::Exam { program } => learning::GrantFor::Exam {
                        program: programs::Program::find(conn, &program)?.id,
                    },
                };
                learning::grant(conn, actor, learner, target, now)
            })
            .await?)
    }
}
