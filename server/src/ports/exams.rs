use crate::certificates;
use crate::db::is_unique_violation;
use crate::error::ServerError;
use crate::exams::{self, ExamGraded};
use crate::site::Site;
use holdspace_app::dto::*;
use holdspace_app::error::AppError;
use holdspace_app::ports::{Answers, Exams};

#[async_trait::async_trait]
impl Exams for Site {
    async fn open_exam(&self, learner: UserId, program: &str) -> Result<ExamSheet, AppError> {
        let program = program.to_owned();
        Ok(self
            .db
            .write(move |conn, now| exams::open_exam(conn, learner, &program, now))
            .await?)
    }

    /// Grades and, on a pass, issues the program's certificate, in one
    /// transaction; the learner is answered only after it commits.
    async fn submit_exam(
        &self,
        learner: UserId,
        sitting: ExamSittingId,
        answers: Answers,
    ) -> Result<ExamAttemptId, AppError> {
        let issuing = self.issuing()?;
        let retry = answers.clone();
        let graded = self
            .db
            .write(move |conn, now| {
                let graded = exams::submit_exam(conn, learner, sitting, &answers, now)?;
                if let ExamGraded::Attempt {
                    passed: true, program, ..
                } = &graded
                {
                    certificates::issue_if_program_complete(conn, learner, *program, now, &issuing)?;
                }
                Ok(graded)
            })
            .await;
        let graded = match graded {
            // Two identical submissions raced on PostgreSQL; the first one won: grade again to read it.
            Err(ServerError::Db(error)) if is_unique_violation(&error) => {
                self.db
                    .run(move |conn, now| exams::submit_exam(conn, learner, sitting, &retry, now))
                    .await?
            }
            other => other?,
        };
        match graded {
            ExamGraded::Attempt { id, .. } => Ok(id),
            ExamGraded::Incomplete(missing) => Err(AppError::QuizIncomplete { missing }),
        }
    }

    async fn exam_attempt(&self, learner: UserId, attempt: ExamAttemptId) -> Result<ExamReview, AppError> {
        Ok(self
            .db
            .run(move |conn, now| exams::exam_review(conn, learner, attempt, now))
            .await?)
    }
}
