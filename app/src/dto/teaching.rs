//! What trainers see and send: the authoring workspace, version history,
//! and how their learners are doing.

use crate::course_content::{ContentProblem, CourseContent, QuestionContent};
use crate::dto::QuestionKind;
use crate::dto::Score;
use crate::ids::{CourseVersionId, UserId};
use serde::{Deserialize, Serialize};

/// The `/teach` start page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeachOverview {
    pub courses: Vec<TeachCourseRow>,
    pub programs: Vec<ProgramLink>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeachCourseRow {
    pub slug: String,
    pub title: String,
    /// `None` until the first publish.
    pub published_version: Option<String>,
    pub has_draft: bool,
    pub learners: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramLink {
    pub slug: String,
    pub title: String,
}

/// One course as its editors see it: the draft if there is one, else what
/// learners see now, with everything that would stop it being published.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseWorkspace {
    pub content: CourseContent,
    pub has_draft: bool,
    /// "2026-11-23 by Ana", for a draft.
    pub draft_saved: Option<String>,
    pub problems: Vec<ContentProblem>,
    /// Newest first.
    pub versions: Vec<VersionRow>,
    /// What publishing the draft would change, against the published version.
    pub pending: Option<VersionDiff>,
    pub editors: Vec<String>,
    /// Admins add trainers to a course.
    pub can_manage_editors: bool,
    /// A version label for the next publish, one past the current.
    pub suggested_version: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRow {
    pub id: CourseVersionId,
    pub label: String,
    pub published_on: String,
    /// `None` for versions loaded from course files.
    pub change_summary: Option<String>,
    pub published_by: Option<String>,
}

/// What changed between two versions, module by module and question by question.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionDiff {
    pub from_label: String,
    pub to_label: String,
    /// Names of course fields that changed (`title`, `summary`, ...).
    pub course_fields: Vec<String>,
    /// Only modules with a change.
    pub modules: Vec<ModuleDiff>,
}

impl VersionDiff {
    pub fn is_empty(&self) -> bool {
        self.course_fields.is_empty() && self.modules.is_empty()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleDiff {
    pub slug: String,
    pub title: String,
    pub change: Change,
    /// Changed fields of a changed module (`title`, `body`, `position`, ...).
    pub fields: Vec<String>,
    /// Only questions with a change.
    pub questions: Vec<QuestionDiff>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionDiff {
    pub id: String,
    pub prompt: String,
    pub change: Change,
    /// Changed fields of a changed question (`prompt`, `options`, `position`, ...).
    pub fields: Vec<String>,
}

/// One change to a course's draft. Modules are named by slug (fixed once
/// created: learners' reading progress follows it); questions by position.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum DraftEdit {
    Details {
        title: String,
        summary: String,
        outcomes: Vec<String>,
        pass_mark: u32,
        review: crate::course_content::ReviewPolicy,
    },
    /// A quiz's draw, groups, review policy and attempt policy.
    SaveQuizSettings {
        module: String,
        draw: Option<u32>,
        groups: Vec<crate::course_content::QuestionGroup>,
        review: Option<crate::course_content::ReviewPolicy>,
        attempts: crate::course_content::AttemptPolicy,
    },
    AddModule {
        slug: String,
        title: String,
    },
    MoveModule {
        module: String,
        up: bool,
    },
    RemoveModule {
        module: String,
    },
    SaveModule {
        module: String,
        title: String,
        minutes: u32,
        content_note: Option<String>,
        body_markdown: String,
        quiz_pass_mark: Option<u32>,
    },
    AddQuestion {
        module: String,
        kind: QuestionKind,
    },
    SaveQuestion {
        module: String,
        index: usize,
        question: QuestionContent,
    },
    MoveQuestion {
        module: String,
        index: usize,
        up: bool,
    },
    DeleteQuestion {
        module: String,
        index: usize,
    },
    /// Questions in Moodle's GIFT format, appended to the module's quiz.
    ImportGift {
        module: String,
        gift: String,
    },
}

/// What an edit did beyond the obvious, in words for the trainer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditReport {
    pub notes: Vec<String>,
}

/// A course's learners and how its questions perform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseFollowing {
    pub slug: String,
    pub title: String,
    /// The published version's quizzes, in reading order: (module slug, module title).
    pub quizzes: Vec<(String, String)>,
    pub module_count: u32,
    pub learners: Vec<LearnerRow>,
    pub questions: Vec<QuestionStats>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerRow {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub enrolled_on: String,
    pub modules_read: u32,
    pub quizzes_passed: u32,
    pub attempts: u32,
    /// Per quiz in [`CourseFollowing::quizzes`] order.
    pub quiz_scores: Vec<QuizScores>,
    pub completed_on: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizScores {
    pub attempts: u32,
    pub best: Option<Score>,
    pub last: Option<Score>,
    /// The quiz's attempt policy holds the learner's next attempt back and
    /// no trainer has opened one: a trainer may.
    pub held_back: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionStats {
    pub module_title: String,
    pub question_id: String,
    pub prompt: String,
    pub answered: u32,
    /// Mean score on learners' first attempts, 0.0 to 1.0.
    pub facility: f64,
    /// Correlation with the rest of the attempt's score, -1.0 to 1.0.
    pub discrimination: Option<f64>,
    /// Why the question may need a look, when it does.
    pub review: Option<String>,
}

/// Who has completed a program, who is close, and the practical sign-offs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramProgress {
    pub slug: String,
    pub title: String,
    pub courses: Vec<String>,
    pub practicals: Vec<Practical>,
    /// Observed role plays, with their checklists.
    pub roleplays: Vec<super::RoleplayChecklist>,
    /// Completed first, then by how little is left.
    pub learners: Vec<ProgramLearner>,
    /// The trainers an admin assigned to the program.
    pub staff: Vec<String>,
    /// Whether the viewer may assign trainers (admins).
    pub may_assign_staff: bool,
    /// The program ends with a final exam.
    pub has_exam: bool,
    /// The trainer's guides of its courses: (course slug, title).
    pub guides: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Practical {
    pub key: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramLearner {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub courses_passed: u32,
    /// Per practical in [`ProgramProgress::practicals`] order.
    pub signoffs: Vec<Option<Signoff>>,
    /// Per role play in [`ProgramProgress::roleplays`] order: passed or not yet.
    pub roleplays_passed: Vec<bool>,
    pub certified: bool,
    /// Courses, practicals and the exam still to do.
    pub remaining: u32,
    /// With an exam: where the learner stands with it.
    pub exam: Option<super::ExamStanding>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signoff {
    pub completed_on: String,
    pub note: String,
    pub signed_by: String,
}

/// A trainer's sign-off of one practical requirement for one learner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignoffForm {
    pub program: String,
    pub learner_id: UserId,
    pub practical: String,
    /// `YYYY-MM-DD`.
    pub completed_on: String,
    pub note: String,
}

/// What a trainer opens one more attempt at, for one learner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttemptOn {
    /// A module's quiz, by course and module slug.
    Quiz { course: String, module: String },
    /// A program's final exam, by program slug.
    Exam { program: String },
}
