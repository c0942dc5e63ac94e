//! A program's final exam, as the learner sits it and reads it back.

use super::{ExamAttemptId, ExamSittingId, QuizQuestion, ReviewedQuestion, Score};
use serde::{Deserialize, Serialize};

/// An open exam sitting: the drawn questions, in the order shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamSheet {
    pub program_slug: String,
    pub program_title: String,
    pub sitting_id: ExamSittingId,
    pub pass_mark: u32,
    /// What the learner should know before starting (draw, retakes, review).
    pub about: String,
    pub questions: Vec<QuizQuestion>,
    /// Earlier attempts, newest first.
    pub previous_attempts: Vec<ExamAttemptSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamAttemptSummary {
    pub attempt_id: ExamAttemptId,
    pub submitted_on: String,
    pub score: Score,
    pub passed: bool,
}

/// A graded exam attempt, reviewed as the program's review policy allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamReview {
    pub attempt_id: ExamAttemptId,
    pub program_slug: String,
    pub program_title: String,
    pub submitted_on: String,
    pub score: Score,
    pub pass_mark: u32,
    pub passed: bool,
    pub full_review: bool,
    /// When the next attempt opens, if not at once.
    pub retake_note: Option<String>,
    /// Every question, each with the module it comes from.
    pub questions: Vec<ReviewedQuestion>,
}

/// Where a learner stands with a program's exam.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamStanding {
    pub program_slug: String,
    pub program_title: String,
    /// Every course of the program is complete, so the exam is open to them.
    pub courses_complete: bool,
    pub attempts: u32,
    pub passed: bool,
    /// The attempt policy holds the next attempt back (and no trainer has
    /// opened one): what the learner is told.
    pub held_back: Option<String>,
}
