//! Training hours by category, the live sessions a trainer schedules and
//! learners attend, and trainings taken elsewhere that a trainer approves.

use super::{Attendance, ExternalTrainingId, LiveSessionId, PracticeStatus, UserId, hours_text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Hours towards a program's training (for a first certificate) or its
/// continuing education (for a renewal), by category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursTally {
    /// Continuing education for a renewal, rather than training.
    pub continuing: bool,
    pub required_minutes: i32,
    pub counted_minutes: i32,
    /// Sessions not yet marked and trainings not yet approved.
    pub waiting_minutes: i32,
    /// Course hours beyond the program's cap on self-paced hours, which don't count.
    pub over_cap_minutes: i32,
    pub categories: Vec<CategoryHours>,
}

impl HoursTally {
    pub fn met(&self) -> bool {
        self.counted_minutes >= self.required_minutes && self.categories.iter().all(CategoryHours::met)
    }

    /// The total in words, on the record page and the transcript.
    pub fn describe(&self) -> String {
        let what = if self.continuing {
            "Continuing education"
        } else {
            "Training hours"
        };
        let mut text = format!(
            "{what}: {} of {}",
            hours_text(self.counted_minutes),
            hours_text(self.required_minutes)
        );
        if self.waiting_minutes > 0 {
            text.push_str(&format!(
                ", and {} booked or waiting for a trainer",
                hours_text(self.waiting_minutes)
            ));
        }
        if self.over_cap_minutes > 0 {
            text.push_str(&format!(
                " ({} more from courses is past what self-paced reading can count)",
                hours_text(self.over_cap_minutes)
            ));
        }
        text
    }
}

/// Hours counted in one category, and the least it asks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryHours {
    pub key: String,
    pub title: String,
    pub minimum_minutes: i32,
    pub counted_minutes: i32,
}

impl CategoryHours {
    pub fn met(&self) -> bool {
        self.counted_minutes >= self.minimum_minutes
    }

    /// The category's least in words: "…of which safety: 2 hours of at least 8 hours".
    pub fn describe(&self) -> String {
        format!(
            "…of which {}: {} of at least {}",
            self.title.to_lowercase(),
            hours_text(self.counted_minutes),
            hours_text(self.minimum_minutes)
        )
    }
}

/// A live session as learners and trainers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSession {
    pub id: LiveSessionId,
    pub title: String,
    /// `YYYY-MM-DD HH:MM`, in the time of the place it is held.
    pub starts: String,
    pub minutes: i32,
    /// An address, or an `https://` link for an online session.
    pub place: String,
    pub category: String,
    pub capacity: i32,
    pub taken: i32,
    pub trainer: String,
    /// Whether it has started, so sign-up is closed.
    pub started: bool,
    /// The viewer's place in it.
    pub seat: Seat,
}

/// A learner's place in a live session. (Not an `Option<Option<_>>`: JSON
/// would read "signed up, not yet marked" back as "not signed up".)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seat {
    NotSignedUp,
    /// Signed up; attendance not yet taken.
    SignedUp,
    Marked(Attendance),
}

/// A program's live sessions for its staff, with the categories a new one may count towards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramSessions {
    /// (key, title); empty when the program counts no hours, so has no sessions.
    pub categories: Vec<(String, String)>,
    /// Newest first.
    pub sessions: Vec<LiveSession>,
}

/// What a trainer types to schedule a live session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionForm {
    pub program: String,
    pub title: String,
    /// `YYYY-MM-DDTHH:MM`, as a `datetime-local` input sends it.
    pub starts: String,
    pub place: String,
    pub category: String,
    /// Hours as typed: "2", "1.5".
    pub hours: String,
    pub capacity: String,
}

/// A session whose attendance a trainer takes: who signed up, and what was marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceSheet {
    pub session: LiveSession,
    pub program: String,
    pub seats: Vec<SeatMark>,
}

/// One learner's place in a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatMark {
    pub learner_id: UserId,
    pub learner: String,
    pub attendance: Option<Attendance>,
}

/// Attendance as a trainer sends it: "attended" or "absent" per learner id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceForm {
    pub session: LiveSessionId,
    pub marks: BTreeMap<String, String>,
}

/// What a learner types to log a training taken elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalTrainingForm {
    pub program: String,
    pub title: String,
    pub provider: String,
    /// `YYYY-MM-DD`.
    pub taken_on: String,
    pub hours: String,
    pub category: String,
}

/// A training taken elsewhere, as its learner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalTraining {
    pub id: ExternalTrainingId,
    pub title: String,
    pub provider: String,
    pub taken_on: String,
    pub minutes: i32,
    pub category: String,
    pub status: PracticeStatus,
    /// Who decided, and their note.
    pub reviewer: String,
    pub note: String,
}

/// A training waiting for a trainer of its program to approve.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedTraining {
    pub id: ExternalTrainingId,
    pub learner: String,
    pub program: String,
    pub title: String,
    pub provider: String,
    pub taken_on: String,
    pub minutes: i32,
    pub category: String,
    pub logged_on: String,
}

/// Everything waiting on a trainer, for `/teach/queue`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainerQueue {
    pub practice: Vec<super::QueuedPractice>,
    pub trainings: Vec<QueuedTraining>,
    /// Sessions of the trainer's programs that have started and have seats not yet marked.
    pub attendance: Vec<AttendanceSheet>,
    /// Per program with role plays, the learners who finished its courses
    /// and have a role play still to pass.
    pub roleplays: Vec<RoleplaysWaiting>,
}

/// Learners of one program ready to be watched in a role play.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleplaysWaiting {
    pub program_slug: String,
    pub program_title: String,
    pub learners: Vec<String>,
}
