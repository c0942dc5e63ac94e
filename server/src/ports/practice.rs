use crate::authoring::course_files::Audience;
use crate::certificates;
use crate::learning;
use crate::practice;
use crate::record;
use crate::site::Site;
use crate::training;
use holdspace_app::dto::*;
use holdspace_app::error::AppError;
use holdspace_app::ports::Practice;

#[async_trait::async_trait]
impl Practice for Site {
    async fn record(&self, actor: UserId) -> Result<LearnerRecord, AppError> {
        let mut record = self.db.run(move |conn, now| record::record(conn, actor, now)).await?;
        record.toolkit = self.printable_links(Audience::Everyone, None);
        Ok(record)
    }

    async fn log_practice(&self, actor: UserId, form: PracticeLogForm) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, now| practice::log(conn, actor, &form, now))
            .await?)
    }

    /// Signs, and issues the certificate if that completes the program, in one transaction.
    async fn sign_attestation(&self, actor: UserId, program: &str, key: &str, version: i32) -> Result<(), AppError> {
        let issuing = self.issuing()?;
        let (program, key) = (program.to_owned(), key.to_owned());
        Ok(self
            .db
            .write(move |conn, now| {
                let program = practice::sign(conn, actor, &program, &key, version, now)?;
                certificates::issue_if_program_complete(conn, actor, program, now, &issuing)
            })
            .await?)
    }

    async fn trainer_queue(&self, actor: UserId) -> Result<TrainerQueue, AppError> {
        Ok(self
            .db
            .run(move |conn, now| {
                Ok(TrainerQueue {
                    practice: practice::queue(conn, actor)?,
                    trainings: training::trainings_waiting(conn, actor)?,
                    attendance: training::attendance_waiting(conn, actor, now)?,
                    roleplays: practice::roleplays_waiting(conn, actor)?,
                })
            })
            .await?)
    }

    /// Decides, and issues the certificate if a confirmation completes the program, in one transaction.
    async fn review_practice(
        &self,
        actor: UserId,
        log: PracticeLogId,
        confirm: bool,
        note: &str,
    ) -> Result<(), AppError> {
        let issuing = self.issuing()?;
        let note = note.to_owned();
        Ok(self
            .db
            .write(move |conn, now| {
                let (learner, program) = practice::review(conn, actor, log, confirm, &note, now)?;
                if confirm {
                    certificates::issue_if_program_complete(conn, learner, program, now, &issuing)?;
                }
                Ok(())
            })
            .await?)
    }

    async fn reflections(&self, actor: UserId, course: &str) -> Result<Reflections, AppError> {
        let course = course.to_owned();
        Ok(self
            .db
            .run(move |conn, _| learning::reflections_of(conn, actor, &course))
            .await?)
    }

    async fn save_reflection(&self, actor: UserId, course: &str, prompt: &str, answer: &str) -> Result<(), AppError> {
        let (course, prompt, answer) = (course.to_owned(), prompt.to_owned(), answer.to_owned());
        Ok(self
            .db
            .write(move |conn, now| learning::save_reflection(conn, actor, &course, &prompt, &answer, now))
            .await?)
    }

    async fn delete_reflections(&self, actor: UserId, course: &str) -> Result<(), AppError> {
        let course = course.to_owned();
        Ok(self
            .db
            .write(move |conn, _| learning::delete_reflections(conn, actor, &course))
            .await?)
    }

    /// Scores, and issues the certificate if a pass completes the program, in one transaction.
    async fn score_roleplay(&self, actor: UserId, form: RoleplayForm) -> Result<(), AppError> {
        let issuing = self.issuing()?;
        Ok(self
            .db
            .write(move |conn, now| {
                let program = practice::score(conn, actor, &form, now)?;
                certificates::issue_if_program_complete(conn, form.learner_id, program, now, &issuing)
            })
            .await?)
    }
}
