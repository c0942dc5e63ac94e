//! A learner's record of what a program asks besides courses and the exam
//! (supervised practice, signed texts, trainer sign-offs), and the queue of
//! logged practice waiting for a supervisor.

use super::{PracticeLogId, PracticeRole, PracticeStatus};
use serde::{Deserialize, Serialize};

/// Every program a learner has started, with each requirement's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerRecord {
    pub programs: Vec<ProgramRecord>,
    /// The facilitator toolkit's printables: (file name, title).
    pub toolkit: Vec<(String, String)>,
}

/// One program as the record page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramRecord {
    pub slug: String,
    pub title: String,
    /// Course titles and whether each is complete, in the program's order.
    pub courses: Vec<(String, bool)>,
    /// `None` when the program has no final exam.
    pub exam_passed: Option<bool>,
    /// `None` when the program asks no supervised practice.
    pub supervised: Option<HoursProgress>,
    /// Every session logged for this program, newest first.
    pub practice: Vec<PracticeEntry>,
    pub attestations: Vec<AttestationState>,
    pub roleplays: Vec<RoleplayState>,
    /// Practical requirement titles, and whether a trainer has signed each off.
    pub practicals: Vec<(String, bool)>,
    /// Training hours for a first certificate, or continuing education for
    /// a renewal; `None` when the program counts no hours.
    pub hours: Option<super::HoursTally>,
    /// The program's hour categories (key, title), for logging a training.
    pub categories: Vec<(String, String)>,
    /// Live sessions coming up, and past ones the learner signed up for.
    pub sessions: Vec<super::LiveSession>,
    pub trainings: Vec<super::ExternalTraining>,
    /// Renewing: what counts is continuing education and the texts (and the
    /// exam again after a long lapse), not the courses a second time.
    pub renewing: bool,
    /// Whether the learner holds a current certificate of this program.
    pub certified: bool,
}

/// Hours towards a requirement, in minutes, by where they stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursProgress {
    pub required_minutes: i32,
    pub confirmed_minutes: i32,
    pub waiting_minutes: i32,
}

impl HoursProgress {
    pub fn met(&self) -> bool {
        self.confirmed_minutes >= self.required_minutes
    }

    /// The requirement in words, on the record page and the transcript.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "Supervised practice: {} of {} confirmed",
            hours_text(self.confirmed_minutes),
            hours_text(self.required_minutes)
        );
        if self.waiting_minutes > 0 {
            text.push_str(&format!(
                ", and {} waiting for your supervisor",
                hours_text(self.waiting_minutes)
            ));
        }
        text
    }
}

/// A logged session as its learner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeEntry {
    pub id: PracticeLogId,
    pub practiced_on: String,
    pub minutes: i32,
    pub role: PracticeRole,
    pub supervisor: String,
    pub status: PracticeStatus,
    /// The supervisor's note when they decided.
    pub note: String,
}

/// A text the program asks the learner to sign, and whether they signed
/// its current version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestationState {
    pub key: String,
    pub title: String,
    pub version: i32,
    pub body: String,
    /// The day the current version was signed, if it was.
    pub signed_on: Option<String>,
    /// Whether an earlier version was signed (so this one asks again).
    pub signed_before: bool,
}

/// What a learner types to log a session of practice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeLogForm {
    pub program: String,
    /// `YYYY-MM-DD`.
    pub practiced_on: String,
    /// Hours as typed: "2", "1.5", "1,5".
    pub hours: String,
    pub role: String,
    pub supervisor_email: String,
}

/// Logged practice waiting for the signed-in supervisor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedPractice {
    pub id: PracticeLogId,
    pub learner: String,
    pub program: String,
    pub practiced_on: String,
    pub minutes: i32,
    pub role: PracticeRole,
    pub logged_on: String,
}

/// Minutes as people say them: "2 hours", "1 hour 30 minutes", "45 minutes".
pub fn hours_text(minutes: i32) -> String {
    let (hours, rest) = (minutes / 60, minutes % 60);
    let hours_part = match hours {
        0 => None,
        1 => Some("1 hour".to_owned()),
        n => Some(format!("{n} hours")),
    };
    match (hours_part, rest) {
        (None, rest) => format!("{rest} minutes"),
        (Some(h), 0) => h,
        (Some(h), rest) => format!("{h} {rest} minutes"),
    }
}

/// The role in words.
pub fn role_text(role: PracticeRole) -> &'static str {
    match role {
        PracticeRole::CoFacilitator => "Co-facilitator",
        PracticeRole::LeadFacilitator => "Lead facilitator, supervised",
    }
}

/// An observed role play as its learner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleplayState {
    pub key: String,
    pub title: String,
    pub minutes: i32,
    /// The script, as sanitized HTML.
    pub script_html: String,
    /// What the observer looks for.
    pub items: Vec<String>,
    /// The day an observation had every item met, if one has.
    pub passed_on: Option<String>,
    /// The newest observation, for its notes.
    pub last: Option<RoleplayObservation>,
}

/// One observation of a role play, as scored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleplayObservation {
    pub observed_on: String,
    pub observer: String,
    pub passed: bool,
    pub marks: Vec<RoleplayMark>,
}

/// One checklist item as the observer marked it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleplayMark {
    pub item: String,
    pub text: String,
    pub met: bool,
    pub note: String,
}

/// A program's role play and its checklist, for the trainers who score it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleplayChecklist {
    pub key: String,
    pub title: String,
    /// (id, text) per item.
    pub items: Vec<(String, String)>,
}

/// What a trainer sends after watching a role play: each item "met" or
/// "not_yet" in `marks`, with an optional note per item in `notes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleplayForm {
    pub program: String,
    pub learner_id: super::UserId,
    pub roleplay: String,
    pub observed_on: String,
    pub marks: std::collections::BTreeMap<String, String>,
    pub notes: std::collections::BTreeMap<String, String>,
}

/// A course's reflection prompts with the learner's own answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reflections {
    pub course_slug: String,
    pub course_title: String,
    pub prompts: Vec<Reflection>,
}

/// One prompt, the module it belongs to, and what the learner wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reflection {
    pub key: String,
    pub module_slug: String,
    pub module_title: String,
    pub text: String,
    /// Empty when nothing is written.
    pub answer: String,
    pub saved_on: Option<String>,
}
