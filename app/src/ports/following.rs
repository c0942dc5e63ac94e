use crate::dto::*;
use crate::error::AppError;

/// Following learners: a course's roster and statistics, a program's
/// progress, its staff, and practical sign-offs.
#[async_trait::async_trait]
pub trait Following: Send + Sync + 'static {
    /// The roster and question statistics of a published course.
    async fn course_following(&self, actor: UserId, course: &str) -> Result<CourseFollowing, AppError>;
    /// Who has completed a program, who is close, and the practical sign-offs.
    async fn program_progress(&self, actor: UserId, program: &str) -> Result<ProgramProgress, AppError>;
    /// Admins only: lets a trainer follow a program's learners and sign off its practicals.
    async fn add_program_staff(&self, actor: UserId, program: &str, email: &str) -> Result<(), AppError>;
    /// Signs off a practical requirement, and issues the certificate if that completes the program.
    async fn sign_off_practical(&self, actor: UserId, form: SignoffForm) -> Result<(), AppError>;
    /// Opens one more attempt at a quiz or an exam for a learner, beyond its attempt policy.
    async fn grant_attempt(&self, actor: UserId, learner: UserId, on: AttemptOn) -> Result<(), AppError>;
}
