use crate::certificates;
use crate::db::{is_unique_violation, write_transaction};
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
        let graded = self
            .db
            .run(move |conn, now| {
                let outcome = write_transaction(conn, |conn| {
                    let graded = exams::submit_exam(conn, learner, sitting, &answers, now)?;
                    if let ExamGraded::Attempt {
                        passed: true, program, ..
                    } = &graded
                    {
                        certificates::issue_if_program_complete(conn, learner, *program, now, &issuing)?;
                    }
                    Ok(graded)
                });
                match outcome {
                    // Two identical submissions raced on PostgreSQL; the first one won: grade again to read it.
                    Err(ServerError::Db(error)) if is_unique_violation(&error) => {
                        exams::submit_exam(conn, learner, sitting, &answers, now)
                    }
                    other => other,
                }
            })
            .await?;
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
