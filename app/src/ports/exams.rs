use crate::dto::*;
use crate::error::AppError;
use crate::ports::Answers;

/// A program's final exam: sitting it, submitting it, reading it back.
#[async_trait::async_trait]
pub trait Exams: Send + Sync + 'static {
    /// The learner's open sitting, or a new draw if the exam is open to them.
    async fn open_exam(&self, learner: UserId, program: &str) -> Result<ExamSheet, AppError>;
    /// Grades a sitting and, on a pass, issues the certificate it completes.
    async fn submit_exam(
        &self,
        learner: UserId,
        sitting: ExamSittingId,
        answers: Answers,
    ) -> Result<ExamAttemptId, AppError>;
    async fn exam_attempt(&self, learner: UserId, attempt: ExamAttemptId) -> Result<ExamReview, AppError>;
}
