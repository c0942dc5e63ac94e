//! The outcome dashboard: how volunteers move from starting a course to
//! holding a certificate, for one organization or one trainer's courses.

use serde::{Deserialize, Serialize};

/// Certificates lapsing within this many days from today count as expiring.
pub const EXPIRING_SOON_DAYS: i64 = 90;

/// Whose outcomes the viewer sees; the server decides it from the account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutcomeAudience {
    /// An organization admin: the members of their organization.
    Organization(String),
    /// A trainer: learners in the courses they edit.
    TrainerCourses,
    /// A site admin: everyone.
    Everyone,
}

impl OutcomeAudience {
    pub fn describe(&self) -> String {
        match self {
            OutcomeAudience::Organization(name) => format!("Members of {name}"),
            OutcomeAudience::TrainerCourses => "Learners in the courses you teach".to_owned(),
            OutcomeAudience::Everyone => "Everyone on Holdspace".to_owned(),
        }
    }
}

/// The period a bar in the timeline covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodLength {
    Week,
    Month,
    Year,
}

impl PeriodLength {
    pub fn noun(self) -> &'static str {
        match self {
            PeriodLength::Week => "week",
            PeriodLength::Month => "month",
            PeriodLength::Year => "year",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodCounts {
    /// "3 Nov", "Nov 2026" or "2026".
    pub label: String,
    /// Volunteers whose first course began in this period.
    pub started: u32,
    /// Certificates issued in this period.
    pub certified: u32,
    /// Training hours counted in this period (live sessions attended and
    /// approved trainings), in minutes.
    pub training_minutes: i64,
    /// Supervised practice confirmed in this period, in minutes.
    pub supervised_minutes: i64,
    /// Live sessions held in this period that someone in view attended.
    pub sessions_held: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoursePassRate {
    pub title: String,
    /// Quiz attempts submitted in the range.
    pub attempts: u32,
    pub passed: u32,
    /// Distinct people who submitted them.
    pub learners: u32,
}

impl CoursePassRate {
    pub fn rate(&self) -> Option<f64> {
        (self.attempts > 0).then(|| f64::from(self.passed) / f64::from(self.attempts))
    }
}

/// A ready-made range offered as a link ("Last 90 days").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangePreset {
    pub label: String,
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcomes {
    pub audience: OutcomeAudience,
    /// The range applied, as ISO dates (first and last day, both included).
    pub from: String,
    pub to: String,
    /// The same range for people: "24 Nov 2025 to 23 Nov 2026".
    pub range_label: String,
    /// Why the range asked for was not used as typed, if it was not.
    pub range_note: Option<String>,
    pub presets: Vec<RangePreset>,
    /// Volunteers whose first course began in the range: the cohort the next figures follow.
    pub enrolled: u32,
    /// Of them, those without a certificate yet.
    pub in_training: u32,
    /// Of them, those who have earned a certificate.
    pub certified: u32,
    /// The cohort's median days from starting their first course to their first certificate.
    pub median_days_to_certify: Option<f64>,
    /// People (in the audience, whatever the range) whose newest certificate
    /// for a program lapses within [`EXPIRING_SOON_DAYS`] from today.
    pub expiring_soon: u32,
    pub period: PeriodLength,
    pub periods: Vec<PeriodCounts>,
    pub courses: Vec<CoursePassRate>,
}

impl Outcomes {
    /// Share of the cohort who are certified.
    pub fn completion_rate(&self) -> Option<f64> {
        (self.enrolled > 0).then(|| f64::from(self.certified) / f64::from(self.enrolled))
    }
}

/// "42%" for a share, "—" when there is nothing to divide.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |share| format!("{:.0}%", share * 100.0))
}
