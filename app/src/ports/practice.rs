use crate::dto::*;
use crate::error::AppError;

/// A learner's record of a program's requirements, the practice they log
/// and the texts they sign; a supervisor's queue of practice to confirm;
/// role plays a trainer observes.
#[async_trait::async_trait]
pub trait Practice: Send + Sync + 'static {
    /// The signed-in learner's record, per program they have started.
    async fn record(&self, actor: UserId) -> Result<LearnerRecord, AppError>;
    /// Logs a session of supervised practice, waiting for the supervisor named.
    async fn log_practice(&self, actor: UserId, form: PracticeLogForm) -> Result<(), AppError>;
    /// Signs the current version of a program's text; may complete the program.
    async fn sign_attestation(&self, actor: UserId, program: &str, key: &str, version: i32) -> Result<(), AppError>;
    /// Everything waiting on the signed-in trainer: practice that names
    /// them, trainings to approve and attendance to take, oldest first.
    async fn trainer_queue(&self, actor: UserId) -> Result<TrainerQueue, AppError>;
    /// The named supervisor confirms or declines a logged session (a note is
    /// needed to decline); a confirmation may complete the program.
    async fn review_practice(
        &self,
        actor: UserId,
        log: PracticeLogId,
        confirm: bool,
        note: &str,
    ) -> Result<(), AppError>;
    /// A course's reflection prompts with the signed-in learner's answers (theirs alone).
    async fn reflections(&self, actor: UserId, course: &str) -> Result<Reflections, AppError>;
    /// Saves an answer; an empty one deletes it.
    async fn save_reflection(&self, actor: UserId, course: &str, prompt: &str, answer: &str) -> Result<(), AppError>;
    /// Deletes every answer the learner wrote in a course.
    async fn delete_reflections(&self, actor: UserId, course: &str) -> Result<(), AppError>;
    /// Staff of the program record an observed role play (never their own);
    /// a pass may complete the program.
    async fn score_roleplay(&self, actor: UserId, form: RoleplayForm) -> Result<(), AppError>;
}
