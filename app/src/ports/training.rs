use crate::dto::*;
use crate::error::AppError;

/// Training hours outside the courses: live sessions a trainer schedules
/// and marks, trainings taken elsewhere that a trainer approves.
#[async_trait::async_trait]
pub trait Training: Send + Sync + 'static {
    /// Staff of the program schedule a live session.
    async fn schedule_session(&self, actor: UserId, form: SessionForm) -> Result<LiveSessionId, AppError>;
    /// A program's sessions, newest first, for its staff.
    async fn program_sessions(&self, actor: UserId, program: &str) -> Result<ProgramSessions, AppError>;
    /// Takes a place in a session still to come, while there is room.
    async fn sign_up(&self, actor: UserId, session: LiveSessionId) -> Result<(), AppError>;
    /// Gives up a place before the session starts.
    async fn leave_session(&self, actor: UserId, session: LiveSessionId) -> Result<(), AppError>;
    /// Staff of the program mark who came; attended hours may complete the program.
    async fn record_attendance(&self, actor: UserId, form: AttendanceForm) -> Result<(), AppError>;
    /// Logs a training taken elsewhere, waiting for a trainer of the program.
    async fn log_training(&self, actor: UserId, form: ExternalTrainingForm) -> Result<(), AppError>;
    /// Staff of the program approve or decline a logged training (a note is
    /// needed to decline, never their own); an approval may complete the program.
    async fn review_training(
        &self,
        actor: UserId,
        training: ExternalTrainingId,
        confirm: bool,
        note: &str,
    ) -> Result<(), AppError>;
}
