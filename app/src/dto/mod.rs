//! What the browser may see. Nothing here holds a password hash, and quiz
//! types reveal correctness only after an attempt is submitted. The
//! authoring types in [`teaching`] carry answers and only reach a course's editors.

use serde::{Deserialize, Serialize};

mod exams;
mod organizations;
mod outcomes;
mod practice;
mod score;
mod teaching;
mod training;

pub use crate::ids::*;
pub use crate::kinds::{Attendance, MailPreference, PracticeRole, PracticeStatus, QuestionKind, Role};

pub use exams::*;
pub use organizations::*;
pub use outcomes::*;
pub use practice::*;
pub use score::Score;
pub use teaching::*;
pub use training::*;

/// A page the organization writes for its own place, as a Markdown file
/// given to `holdspace serve`: the courses link to them instead of naming
/// services, laws or numbers that differ from place to place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LocalPage {
    /// `/resources`: local support and crisis services.
    Resources,
    /// `/policies`: what to report and to whom, confidentiality, emergencies.
    Policies,
}

/// The signed-in person, as pages need them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: UserId,
    pub display_name: String,
    pub role: Role,
}

/// What the privacy page shows about the account itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSettings {
    /// The name the account goes by: on new certificates, and what staff see.
    pub name: String,
    pub email: String,
    pub email_confirmed: bool,
    pub mail: MailPreference,
}

/// What changing one's name did to one's certificates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameChange {
    /// Certificates reissued under the new name, with new codes.
    pub reissued: u32,
    /// Programs whose certificate is suspended, left as they were.
    pub on_hold: u32,
}

/// An account as a site admin sees it at `/admin/accounts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub email_confirmed: bool,
    pub disabled: bool,
    /// The day of the last sign-in, if any.
    pub last_sign_in: Option<String>,
    /// Organizations it belongs to or runs.
    pub organizations: Vec<String>,
}

/// How the site's mail is doing, for site admins: what waits to be sent,
/// and what keeps failing (with the latest error, so they can act on it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailHealth {
    pub waiting: u32,
    pub failing: u32,
    pub last_error: Option<String>,
}

/// A course in the catalog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub module_count: u32,
    pub minutes: u32,
    /// `None` for visitors and courses the viewer has not enrolled in.
    pub progress: Option<Progress>,
}

/// How far a learner is through a course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub modules_read: u32,
    pub modules_total: u32,
    pub quizzes_passed: u32,
    pub quizzes_total: u32,
    /// `YYYY-MM-DD`, once every quiz is passed.
    pub completed_on: Option<String>,
    /// Where the learner stopped, to resume there.
    pub resume: Option<ModuleLink>,
}

impl Progress {
    /// Whole percent of the course's steps done (reading and quizzes), for a progress bar.
    pub fn percent(&self) -> u32 {
        let total = self.modules_total + self.quizzes_total;
        if total == 0 {
            return 0;
        }
        (self.modules_read + self.quizzes_passed) * 100 / total
    }
}

/// A link to a module, with what a person needs to recognise it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleLink {
    pub slug: String,
    pub title: String,
}

/// A course page: what a visitor reads before enrolling.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseOutline {
    pub slug: String,
    pub title: String,
    pub version: String,
    pub summary: String,
    pub outcomes: Vec<String>,
    pub pass_mark: u32,
    pub modules: Vec<ModuleSummary>,
    /// `Some` when the viewer is enrolled.
    pub progress: Option<Progress>,
}

/// A line of a course outline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleSummary {
    pub slug: String,
    pub title: String,
    pub minutes: u32,
    pub has_quiz: bool,
    pub has_content_note: bool,
    pub read: bool,
    pub quiz_passed: bool,
}

/// A module as an enrolled learner reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModulePage {
    pub course_slug: String,
    pub course_title: String,
    pub slug: String,
    pub title: String,
    pub minutes: u32,
    pub position: u32,
    pub module_count: u32,
    pub content_note: Option<String>,
    /// Sanitized HTML rendered from the module's Markdown. `None` while a
    /// content note waits for the learner's choice: the text is not sent
    /// at all until they choose to read on.
    pub body_html: Option<String>,
    pub has_quiz: bool,
    pub quiz_passed: bool,
    pub previous: Option<ModuleLink>,
    pub next: Option<ModuleLink>,
}

/// What the module page shows depends on the viewer's relation to the course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModuleAccess {
    Readable(Box<ModulePage>),
    /// Signed in but not enrolled: offer enrolment.
    NotEnrolled {
        course_slug: String,
        course_title: String,
    },
}

/// A quiz as handed to a learner, options in this sitting's order.
/// It carries no correctness and no rationale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizSheet {
    pub course_slug: String,
    pub course_title: String,
    pub module_slug: String,
    pub module_title: String,
    pub sitting_id: SittingId,
    pub pass_mark: u32,
    /// What the learner should know before starting (draw, retakes, review).
    pub about: String,
    pub questions: Vec<QuizQuestion>,
    /// Earlier attempts at this quiz, newest first.
    pub previous_attempts: Vec<AttemptSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizQuestion {
    /// 1-based, as shown.
    pub number: u32,
    pub id: String,
    pub kind: QuestionKind,
    pub scenario: Option<String>,
    pub prompt: String,
    pub options: Vec<QuizOption>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizOption {
    /// The option's place in this sitting's shuffled order; what the form posts.
    pub position: u32,
    pub text: String,
    /// Chosen in a saved, not yet submitted, draft.
    pub saved_choice: bool,
}

/// One line in a list of attempts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptSummary {
    pub attempt_id: AttemptId,
    pub submitted_on: String,
    pub score: Score,
    pub passed: bool,
}

/// A graded attempt with the reasoning for every option.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptReview {
    pub attempt_id: AttemptId,
    pub course_slug: String,
    pub course_title: String,
    pub module_slug: String,
    pub module_title: String,
    pub course_version: String,
    pub submitted_on: String,
    pub score: Score,
    pub pass_mark: u32,
    pub passed: bool,
    pub course_completed: bool,
    /// Every option's reasoning (passed, or a practice quiz); otherwise
    /// only the options the learner chose, without the key.
    pub full_review: bool,
    /// When the next attempt opens, if not at once (see the attempt policy).
    pub retake_note: Option<String>,
    pub questions: Vec<ReviewedQuestion>,
    pub next_module: Option<ModuleLink>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewedQuestion {
    pub number: u32,
    pub kind: QuestionKind,
    pub scenario: Option<String>,
    pub prompt: String,
    /// The share of this question's credit earned.
    pub score: Score,
    /// In a full review every option; otherwise only those chosen.
    pub options: Vec<ReviewedOption>,
    /// Where it is taught, for a question drawn from several courses (an exam).
    pub source: Option<QuestionSource>,
}

/// The module a question comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionSource {
    pub course_slug: String,
    pub course_title: String,
    pub module_slug: String,
    pub module_title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewedOption {
    pub text: String,
    pub chosen: bool,
    pub correct: bool,
    pub why: String,
}

/// The learner's home: their courses and progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub display_name: String,
    pub courses: Vec<DashboardCourse>,
    /// The final exams of the programs the learner has started.
    pub exams: Vec<ExamStanding>,
    /// Newest first.
    pub certificates: Vec<HeldCertificate>,
}

/// One of the learner's certificates, with the link to share it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldCertificate {
    pub certificate: CertificateView,
    /// The full verification URL, as printed on the PDF.
    pub share_url: String,
    /// Where a wallet fetches the JSON-LD credential; none for
    /// certificates issued before those were made.
    pub wallet_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardCourse {
    pub slug: String,
    pub title: String,
    pub progress: Progress,
    pub recent_attempts: Vec<(String, AttemptSummary)>,
}

/// A certificate's state today (decided by the server's `certificates::state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertificateStatus {
    /// Valid, and not yet due for renewal (or already renewed).
    Valid,
    /// Valid, and its renewal window is open.
    RenewalDue,
    /// Ended, but a renewal still starts the day it ended.
    Grace,
    /// Ended: lapsed, and not renewed.
    Expired,
    /// Not valid while a concern is looked into; reversible.
    Suspended,
    Revoked,
    /// Ended, and followed by its renewal.
    Replaced,
    /// A renewal that starts when the certificate it renews ends.
    Upcoming,
}

impl CertificateStatus {
    /// The word the public API uses.
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "valid",
            CertificateStatus::RenewalDue => "renewal_due",
            CertificateStatus::Grace => "grace",
            CertificateStatus::Expired => "expired",
            CertificateStatus::Suspended => "suspended",
            CertificateStatus::Revoked => "revoked",
            CertificateStatus::Replaced => "replaced",
            CertificateStatus::Upcoming => "upcoming",
        }
    }

    /// Whether it certifies its holder today.
    pub fn is_valid(self) -> bool {
        matches!(self, CertificateStatus::Valid | CertificateStatus::RenewalDue)
    }

    /// The state in a few plain words, as every page shows it.
    pub fn headline(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "Valid",
            CertificateStatus::RenewalDue => "Valid, renewal open",
            CertificateStatus::Grace => "Ended, renewal still open",
            CertificateStatus::Expired => "Expired",
            CertificateStatus::Suspended => "Suspended",
            CertificateStatus::Revoked => "Revoked",
            CertificateStatus::Replaced => "Ended, renewed",
            CertificateStatus::Upcoming => "Renewal, not started yet",
        }
    }
}

/// Another certificate of the same holder and program, for the chain of renewals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainLink {
    pub valid_from: String,
    pub expires_on: String,
    pub status: CertificateStatus,
}

/// What anyone may know about a certificate: nothing about the holder but
/// the name printed on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateView {
    /// As printed: `HS-XXXX-XXXX-XXXXX`.
    pub code: String,
    pub status: CertificateStatus,
    /// None for a certificate replaced at its holder's request, which
    /// keeps no name.
    pub holder_name: Option<String>,
    pub program_slug: String,
    pub program_title: String,
    /// Course titles with the version the holder completed.
    pub courses: Vec<(String, String)>,
    /// Dates are `YYYY-MM-DD`.
    pub issued_on: String,
    /// When it starts: a renewal starts the day the one it renews ends.
    pub valid_from: String,
    pub expires_on: String,
    /// Until when a renewal is still open without a gap (while renewal is due or in grace).
    pub renewal_open_until: Option<String>,
    /// The holder's other certificates of this program, oldest first (empty in bulk checks).
    pub chain: Vec<ChainLink>,
    pub revoked_on: Option<String>,
    pub revocation_reason: Option<String>,
}

/// The answer to "is this code real?".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verification {
    Found(Box<CertificateView>),
    /// Well-formed but its check character does not match: one character is
    /// wrong or two are swapped.
    Typo,
    /// Not the shape of a code at all.
    Malformed,
    /// Well-formed, but no certificate has it.
    Unknown,
}

/// The verification page: the answer, and whether the viewer may revoke,
/// suspend or reinstate it (staff of its program, never its holder).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationPage {
    pub verification: Verification,
    pub can_revoke: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_percent_counts_reading_and_quizzes() {
        let progress = Progress {
            modules_read: 2,
            modules_total: 4,
            quizzes_passed: 1,
            quizzes_total: 4,
            completed_on: None,
            resume: None,
        };
        assert_eq!(progress.percent(), 37);
    }
}
