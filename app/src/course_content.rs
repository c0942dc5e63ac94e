//! A course's content in the shape of the `courses/` files: what the file
//! loader reads, the editor edits as a draft, a published version freezes,
//! and an export writes back out.
//!
//! Unlike the learner-facing DTOs these carry the correct answers and the
//! rationale of every option: they only ever travel to the course's editors.

use crate::dto::QuestionKind;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseContent {
    pub slug: String,
    pub title: String,
    pub version: String,
    pub summary: String,
    pub outcomes: Vec<String>,
    pub pass_mark: u32,
    pub modules: Vec<ModuleContent>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModuleContent {
    pub slug: String,
    pub title: String,
    pub minutes: u32,
    pub content_note: Option<String>,
    pub body_markdown: String,
    pub quiz: Option<QuizContent>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizContent {
    /// Overrides the course's pass mark for this quiz.
    pub pass_mark: Option<u32>,
    pub questions: Vec<QuestionContent>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionContent {
    /// Unique within the course; statistics follow a question across versions by it.
    pub id: String,
    pub kind: QuestionKind,
    pub scenario: Option<String>,
    pub prompt: String,
    pub options: Vec<OptionContent>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionContent {
    pub text: String,
    pub correct: bool,
    /// The reasoning shown after submission, whichever option was chosen.
    pub why: String,
}

/// Where in a course a problem lies, so the editor can show it beside the
/// field at fault and the file loader can name the file and line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Place {
    Course,
    Module {
        module: usize,
    },
    Quiz {
        module: usize,
    },
    Question {
        module: usize,
        question: usize,
    },
    Option {
        module: usize,
        question: usize,
        option: usize,
    },
}

/// One rule a course breaks, in words an author can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentProblem {
    pub place: Place,
    /// The field's name as in the course files (`title`, `minutes`, `why`, ...).
    pub field: String,
    pub message: String,
}
