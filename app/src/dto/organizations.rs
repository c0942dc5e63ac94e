//! What organizations see and send: their roster, invitations, bulk
//! verification and API tokens; and what a learner sees of the
//! organizations that can see them.

use crate::dto::{CertificateStatus, Verification};
use crate::ids::{ApiTokenId, InvitationId, UserId};
use serde::{Deserialize, Serialize};

/// The site admin's list of organizations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganizationRow {
    pub slug: String,
    pub name: String,
    pub members: u32,
    /// Display names and emails of its admins.
    pub admins: Vec<String>,
}

/// Which members the roster shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RosterFilter {
    #[default]
    All,
    /// Holds a valid certificate.
    Certified,
    /// No valid certificate yet.
    InTraining,
    /// A valid certificate that ends within [`EXPIRING_WITHIN_DAYS`].
    Expiring,
    /// A certificate that ended, and no valid one for that program.
    Expired,
}

/// "Expiring soon" on the roster.
pub const EXPIRING_WITHIN_DAYS: i64 = 60;

impl RosterFilter {
    pub const ALL: [RosterFilter; 5] = [
        RosterFilter::All,
        RosterFilter::Certified,
        RosterFilter::InTraining,
        RosterFilter::Expiring,
        RosterFilter::Expired,
    ];

    /// The word in the address (`/org?show=expiring`).
    pub fn as_str(self) -> &'static str {
        match self {
            RosterFilter::All => "all",
            RosterFilter::Certified => "certified",
            RosterFilter::InTraining => "in-training",
            RosterFilter::Expiring => "expiring",
            RosterFilter::Expired => "expired",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|filter| filter.as_str() == word)
    }

    pub fn label(self) -> &'static str {
        match self {
            RosterFilter::All => "Everyone",
            RosterFilter::Certified => "Certified",
            RosterFilter::InTraining => "In training",
            RosterFilter::Expiring => "Expiring within 60 days",
            RosterFilter::Expired => "Expired",
        }
    }

    pub fn admits(self, member: &RosterMember) -> bool {
        let valid = |c: &&MemberCertificate| c.status.is_valid();
        match self {
            RosterFilter::All => true,
            RosterFilter::Certified => member.certificates.iter().any(|c| valid(&c)),
            RosterFilter::InTraining => !member.certificates.iter().any(|c| valid(&c)),
            RosterFilter::Expiring => member.certificates.iter().any(|c| valid(&c) && c.expiring_soon),
            RosterFilter::Expired => member
                .certificates
                .iter()
                .any(|c| matches!(c.status, CertificateStatus::Expired | CertificateStatus::Grace)),
        }
    }
}

/// The `/org` page: the organization's members and their progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgRoster {
    pub name: String,
    /// The published courses, one column each.
    pub courses: Vec<RosterCourse>,
    /// Every member; the page shows those the filter admits.
    pub members: Vec<RosterMember>,
    pub invitations: Vec<InvitationRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RosterCourse {
    pub slug: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RosterMember {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub joined_on: String,
    /// One per [`OrgRoster::courses`], in the same order.
    pub courses: Vec<CourseStanding>,
    /// The newest certificate of each program the member holds one of.
    pub certificates: Vec<MemberCertificate>,
    /// Hours towards each program the member started that counts them.
    pub hours: Vec<MemberHours>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CourseStanding {
    NotStarted,
    InProgress { modules_read: u32, modules: u32 },
    Completed { on: String },
}

impl CourseStanding {
    /// The words in a roster cell and its CSV.
    pub fn describe(&self) -> String {
        match self {
            CourseStanding::NotStarted => "Not started".to_owned(),
            CourseStanding::InProgress { modules_read, modules } => format!("{modules_read} of {modules} modules"),
            CourseStanding::Completed { on } => format!("Completed {on}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberCertificate {
    pub program_title: String,
    pub code: String,
    pub status: CertificateStatus,
    pub expires_on: String,
    /// The day renewal opens (the end itself without a renewal window).
    pub renewal_opens_on: String,
    pub expiring_soon: bool,
}

/// A member's hours towards a program they started.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberHours {
    pub program_title: String,
    /// Training (or, when renewing, continuing education) counted, if the program counts hours.
    pub training: Option<super::HoursTally>,
    /// Confirmed supervised practice, if the program asks for it.
    pub supervised_minutes: Option<i32>,
}

impl MemberHours {
    /// The words in a roster cell and its CSV: "Training 12 of 40 hours; supervised 4 hours".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(hours) = &self.training {
            let what = if hours.continuing {
                "Continuing education"
            } else {
                "Training"
            };
            parts.push(format!(
                "{what} {} of {}",
                super::hours_text(hours.counted_minutes),
                super::hours_text(hours.required_minutes)
            ));
        }
        if let Some(minutes) = self.supervised_minutes {
            parts.push(format!("supervised {}", super::hours_text(minutes)));
        }
        format!("{}: {}", self.program_title, parts.join(", "))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationRow {
    pub id: InvitationId,
    pub name: String,
    pub email: String,
    pub created_on: String,
    pub expires_on: String,
    pub state: InvitationState,
    /// The link to copy, while the invitation can still be used.
    pub link: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationState {
    Waiting,
    Accepted,
    Expired,
    Withdrawn,
}

impl InvitationState {
    pub fn label(self) -> &'static str {
        match self {
            InvitationState::Waiting => "Waiting",
            InvitationState::Accepted => "Joined",
            InvitationState::Expired => "Link expired",
            InvitationState::Withdrawn => "Withdrawn",
        }
    }

    /// Why the link can no longer be used, in the words the learner reads.
    pub fn unusable_because(self) -> Option<&'static str> {
        match self {
            InvitationState::Waiting => None,
            InvitationState::Accepted => {
                Some("This invitation has already been used. If you need a new one, please ask the organization.")
            }
            InvitationState::Expired => {
                Some("This invitation has expired. Please ask the organization for a new link.")
            }
            InvitationState::Withdrawn => {
                Some("The organization has withdrawn this invitation. Please ask them if you think this is a mistake.")
            }
        }
    }
}

/// What a roster import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InvitationsMade {
    pub invited: u32,
    /// Roster lines that could not be used, with why ("Line 4: ...").
    pub problems: Vec<String>,
}

/// What `/join/{token}` shows before the learner decides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationPreview {
    pub organization: String,
    pub invited_name: String,
    pub state: InvitationState,
    pub signed_in: bool,
    /// The signed-in learner is already a member.
    pub already_member: bool,
}

/// An organization that can see the learner's progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub slug: String,
    pub name: String,
    pub joined_on: String,
}

/// A bulk verification as its page shows it. Long lists are checked in the
/// background, a chunk at a time, so that the page can show how far it got.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum BulkCheck {
    Checking {
        checked: u32,
        total: u32,
    },
    /// Stopped before the end (the site restarted while checking): the list
    /// has to be sent again.
    Interrupted,
    Done(Vec<BulkRow>),
}

/// One line of a bulk verification, in the order given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkRow {
    /// The code as it was typed.
    pub typed: String,
    pub status: BulkStatus,
    pub holder_name: Option<String>,
    pub program_title: Option<String>,
    pub expires_on: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BulkStatus {
    Valid,
    Expired,
    /// Not valid at present (suspended, or a renewal not started yet).
    NotValidNow,
    Revoked,
    /// A code with one character wrong or two swapped.
    Typo,
    /// No certificate has it (or it is not a certificate code at all).
    Unknown,
}

impl BulkStatus {
    pub const ALL: [BulkStatus; 6] = [
        BulkStatus::Valid,
        BulkStatus::Expired,
        BulkStatus::NotValidNow,
        BulkStatus::Revoked,
        BulkStatus::Typo,
        BulkStatus::Unknown,
    ];

    /// The word the API and the CSV use.
    pub fn as_str(self) -> &'static str {
        match self {
            BulkStatus::Valid => "valid",
            BulkStatus::Expired => "expired",
            BulkStatus::NotValidNow => "not_valid_now",
            BulkStatus::Revoked => "revoked",
            BulkStatus::Typo => "typo",
            BulkStatus::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BulkStatus::Valid => "Valid",
            BulkStatus::Expired => "Expired",
            BulkStatus::NotValidNow => "Not valid at present",
            BulkStatus::Revoked => "Revoked",
            BulkStatus::Typo => "Typo in the code",
            BulkStatus::Unknown => "Not found",
        }
    }
}

impl From<CertificateStatus> for BulkStatus {
    fn from(status: CertificateStatus) -> Self {
        match status {
            CertificateStatus::Valid | CertificateStatus::RenewalDue => BulkStatus::Valid,
            CertificateStatus::Grace | CertificateStatus::Expired | CertificateStatus::Replaced => BulkStatus::Expired,
            CertificateStatus::Suspended | CertificateStatus::Upcoming => BulkStatus::NotValidNow,
            CertificateStatus::Revoked => BulkStatus::Revoked,
        }
    }
}

impl BulkRow {
    pub fn new(typed: String, verification: Verification) -> Self {
        let unverified = |status| BulkRow {
            typed: typed.clone(),
            status,
            holder_name: None,
            program_title: None,
            expires_on: None,
        };
        match verification {
            Verification::Found(view) => BulkRow {
                typed: typed.clone(),
                status: view.status.into(),
                holder_name: view.holder_name,
                program_title: Some(view.program_title),
                expires_on: Some(view.expires_on),
            },
            Verification::Typo => unverified(BulkStatus::Typo),
            Verification::Malformed | Verification::Unknown => unverified(BulkStatus::Unknown),
        }
    }
}

/// Most codes one bulk verification takes, on the page and over the API.
pub const MAX_BULK_CODES: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: ApiTokenId,
    pub label: String,
    /// The token's first characters, to tell tokens apart.
    pub prefix: String,
    pub created_on: String,
    pub created_by: String,
    pub last_used_on: Option<String>,
    pub revoked_on: Option<String>,
}

/// A token just made: the only time its secret is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewToken {
    pub label: String,
    pub token: String,
}
