//! A course's content in the shape of the `courses/` files: what the file
//! loader reads, the editor edits as a draft, a published version freezes,
//! and an export writes back out.
//!
//! Unlike the learner-facing DTOs these carry the correct answers and the
//! rationale of every option: they only ever travel to the course's editors.

use crate::dto::QuestionKind;
use crate::stored_names;
use serde::{Deserialize, Serialize};

stored_names! {
    /// How much of the answer key an attempt's review shows. Showing every
    /// rationale after a failed attempt hands out the key for the retake,
    /// so by default it waits for a pass; practice quizzes may show it always.
    #[derive(Default)]
    pub enum ReviewPolicy {
        /// After a failed attempt: which questions were missed and the
        /// reasoning for the options chosen; everything once passed.
        #[default]
        AfterPass = "after_pass",
        /// Every option's reasoning after every attempt.
        Always = "always",
    }
}

impl ReviewPolicy {
    pub fn is_default(&self) -> bool {
        *self == ReviewPolicy::default()
    }
}

/// When another attempt may start. Everything is optional; the default
/// (nothing set) lets a learner try again at once, as often as they like.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptPolicy {
    /// Hours to wait after an attempt before the next one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_hours: Option<u32>,
    /// At most this many attempts in [`AttemptPolicy::period_days`] (or ever, without a period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_days: Option<u32>,
}

impl AttemptPolicy {
    pub fn is_open(&self) -> bool {
        *self == AttemptPolicy::default()
    }
}

/// Questions of a pool drawn together: a sitting takes `draw` of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionGroup {
    pub id: String,
    pub draw: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseContent {
    pub slug: String,
    pub title: String,
    pub version: String,
    pub summary: String,
    pub outcomes: Vec<String>,
    pub pass_mark: u32,
    /// Skipped when default so that the content hash of a course written
    /// before review policies existed does not change.
    #[serde(default, skip_serializing_if = "ReviewPolicy::is_default")]
    pub review: ReviewPolicy,
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

/// A module's quiz: a pool of questions, of which each sitting draws its own
/// set. New fields are skipped when unset, so older content hashes hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuizContent {
    /// Overrides the course's pass mark for this quiz.
    pub pass_mark: Option<u32>,
    /// Questions per sitting (all of them when unset, or the groups' sum).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw: Option<u32>,
    /// When set, every question names one and a sitting draws from each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<QuestionGroup>,
    /// Overrides the course's review policy (a practice quiz shows all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewPolicy>,
    #[serde(default, skip_serializing_if = "AttemptPolicy::is_open")]
    pub attempts: AttemptPolicy,
    pub questions: Vec<QuestionContent>,
}

impl QuizContent {
    /// How many questions a sitting shows.
    pub fn questions_per_sitting(&self) -> usize {
        if self.groups.is_empty() {
            self.draw
                .map_or(self.questions.len(), |d| d as usize)
                .min(self.questions.len())
        } else {
            self.groups.iter().map(|g| g.draw as usize).sum()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionContent {
    /// Unique within the course; statistics follow a question across versions by it.
    pub id: String,
    pub kind: QuestionKind,
    pub scenario: Option<String>,
    pub prompt: String,
    /// The quiz group (e.g. a learning outcome) it is drawn from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
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
    /// Advice (an item-writing rule) rather than a fault: shown, not refused.
    #[serde(default)]
    pub warning: bool,
}
