use crate::dto::*;
use crate::error::AppError;
use std::collections::BTreeMap;

/// Answers as posted: question id to the chosen option positions.
pub type Answers = BTreeMap<String, Vec<u32>>;

/// The catalog, reading, quizzes and one's own progress.
#[async_trait::async_trait]
pub trait Learning: Send + Sync + 'static {
    async fn catalog(&self, viewer: Option<UserId>) -> Result<Vec<CourseCard>, AppError>;
    async fn course_outline(&self, slug: &str, viewer: Option<UserId>) -> Result<CourseOutline, AppError>;
    /// Enrolls (idempotently) and returns the module to open: where the learner stopped, or the first.
    async fn enroll(&self, learner: UserId, course: &str) -> Result<ModuleLink, AppError>;
    /// Opens a module and records it as where the learner is. A module with a
    /// content note comes without its body unless `past_note` (the learner chose to read on).
    async fn module(
        &self,
        learner: UserId,
        course: &str,
        module: &str,
        past_note: bool,
    ) -> Result<ModuleAccess, AppError>;
    /// The learner's open sitting of a module's quiz, created on first visit.
    async fn open_quiz(&self, learner: UserId, course: &str, module: &str) -> Result<QuizSheet, AppError>;
    /// Grades a sitting once and returns the attempt; a repeated submission
    /// of the same sitting returns the first. With a question unanswered,
    /// saves the answers given and fails with [`AppError::QuizIncomplete`].
    async fn submit_quiz(&self, learner: UserId, sitting: SittingId, answers: Answers) -> Result<AttemptId, AppError>;
    async fn attempt(&self, learner: UserId, attempt: AttemptId) -> Result<AttemptReview, AppError>;
    async fn dashboard(&self, learner: UserId) -> Result<Dashboard, AppError>;
    /// One of the organization's own pages (sanitized HTML), if configured.
    async fn local_page(&self, page: LocalPage) -> Result<Option<String>, AppError>;
}
