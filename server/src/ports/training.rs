use crate::certificates;
use crate::programs::Program;
use crate::site::Site;
use crate::training;
use holdspace_app::dto::*;
use holdspace_app::error::AppError;
use holdspace_app::ports::Training;

#[async_trait::async_trait]
impl Training for Site {
    async fn schedule_session(&self, actor: UserId, form: SessionForm) -> Result<LiveSessionId, AppError> {
        Ok(self
            .db
            .write(move |conn, now| training::schedule(conn, actor, &form, now))
            .await?)
    }

    async fn program_sessions(&self, actor: UserId, program: &str) -> Result<ProgramSessions, AppError> {
        let program = program.to_owned();
        Ok(self
            .db
            .run(move |conn, now| {
                let program = Program::find(conn, &program)?;
                training::sessions_of_program(conn, actor, &program, now)
            })
            .await?)
    }

    async fn sign_up(&self, actor: UserId, session: LiveSessionId) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, now| training::sign_up(conn, actor, session, now))
            .await?)
    }

    async fn leave_session(&self, actor: UserId, session: LiveSessionId) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, now| training::leave_session(conn, actor, session, now))
            .await?)
    }

    /// Marks, and issues the certificates attended hours complete, in one transaction.
    async fn record_attendance(&self, actor: UserId, form: AttendanceForm) -> Result<(), AppError> {
        let issuing = self.issuing()?;
        Ok(self
            .db
            .write(move |conn, now| {
                let (program, attended) = training::record_attendance(conn, actor, &form, now)?;
                for learner in attended {
                    certificates::issue_if_program_complete(conn, learner, program, now, &issuing)?;
                }
                Ok(())
            })
            .await?)
    }

    async fn log_training(&self, actor: UserId, form: ExternalTrainingForm) -> Result<(), AppError> {
        Ok(self
            .db
            .write(move |conn, now| training::log_training(conn, actor, &form, now))
            .await?)
    }

    /// Decides, and issues the certificate an approval completes, in one transaction.
    async fn review_training(
        &self,
        actor: UserId,
        training: ExternalTrainingId,
        confirm: bool,
        note: &str,
    ) -> Result<(), AppError> {
        let issuing = self.issuing()?;
        let note = note.to_owned();
        Ok(self
            .db
            .write(move |conn, now| {
                let (learner, program) = training::review_training(conn, actor, training, confirm, &note, now)?;
                if confirm {
                    certificates::issue_if_program_complete(conn, learner, program, now, &issuing)?;
                }
                Ok(())
            })
            .await?)
    }
}
