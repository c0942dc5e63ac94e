//! The port between the UI and the server (compiled with `ssr` only).
//!
//! The server crate depends on this one, so server functions here cannot
//! call into it directly; instead the server implements [`Store`] and hands
//! it to Leptos as context. Every method takes the already-authenticated
//! user id where one matters, and decides what that user may touch.

use crate::dto::*;
use crate::error::AppError;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A new account, as typed into the registration form.
#[derive(Debug)]
pub struct NewAccount {
    pub display_name: String,
    pub email: String,
    pub password: String,
}

/// Facts about the HTTP request that the store's policies need.
#[derive(Clone, Debug)]
pub struct ClientInfo {
    /// The peer address, for per-address login throttling.
    pub address: String,
    /// The session the request came with, ended when a new one starts.
    pub previous_session: Option<SessionKey>,
}

/// A fresh session: the `Set-Cookie` value to send.
#[derive(Debug)]
pub struct SessionGrant {
    pub set_cookie: String,
}

/// Answers as posted: question id to the chosen option positions.
pub type Answers = BTreeMap<String, Vec<u32>>;

/// Everything the UI asks of the server's storage and policies.
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Creates a learner account and signs it in.
    async fn register(&self, account: NewAccount, client: ClientInfo) -> Result<SessionGrant, AppError>;
    /// Checks credentials (throttled per account and per address) and starts a new session.
    async fn log_in(&self, email: &str, password: &str, client: ClientInfo) -> Result<SessionGrant, AppError>;
    /// Ends the current session; returns the `Set-Cookie` value that clears it.
    async fn log_out(&self, session: &SessionKey) -> Result<String, AppError>;

    async fn catalog(&self, viewer: Option<i64>) -> Result<Vec<CourseCard>, AppError>;
    async fn course_outline(&self, slug: &str, viewer: Option<i64>) -> Result<CourseOutline, AppError>;
    /// Enrolls (idempotently) and returns the module to open: where the learner stopped, or the first.
    async fn enroll(&self, user_id: i64, course_slug: &str) -> Result<ModuleLink, AppError>;
    /// Opens a module and records it as where the learner is. A module with a
    /// content note comes without its body unless `past_note` (the learner chose to read on).
    async fn module(
        &self,
        user_id: i64,
        course_slug: &str,
        module_slug: &str,
        past_note: bool,
    ) -> Result<ModuleAccess, AppError>;
    /// The learner's open sitting of a module's quiz, created on first visit.
    async fn open_quiz(&self, user_id: i64, course_slug: &str, module_slug: &str) -> Result<QuizSheet, AppError>;
    /// Grades a sitting once and returns the attempt's id; a repeated
    /// submission of the same sitting returns the first attempt. With a
    /// question unanswered, saves the answers given and fails with
    /// [`AppError::QuizIncomplete`].
    async fn submit_quiz(&self, user_id: i64, sitting_id: i64, answers: Answers) -> Result<i64, AppError>;
    async fn attempt(&self, user_id: i64, attempt_id: i64) -> Result<AttemptReview, AppError>;
    async fn dashboard(&self, user_id: i64) -> Result<Dashboard, AppError>;
    /// Looks a certificate up by a code as someone typed it. Anyone may ask;
    /// the page also says whether `viewer` may revoke it.
    async fn verify_certificate(&self, code: &str, viewer: Option<i64>) -> Result<VerificationPage, AppError>;
    /// Revokes a certificate (trainers and admins only) and writes the audit log.
    async fn revoke_certificate(&self, actor_id: i64, code: &str, reason: &str) -> Result<(), AppError>;
    /// Deletes the signed-in person's account once they confirm their password;
    /// returns the `Set-Cookie` value that clears the session cookie.
    async fn delete_account(&self, user_id: i64, password: &str) -> Result<String, AppError>;
    /// The organization's local support resources (sanitized HTML), if configured.
    async fn local_resources(&self) -> Result<Option<String>, AppError>;

    // ---- teaching: each refuses anyone but admins and trainers, and a
    // trainer for a course they do not edit.

    async fn teach_overview(&self, actor_id: i64) -> Result<TeachOverview, AppError>;
    /// Creates an unpublished course (a draft) edited by its creator.
    async fn create_course(&self, actor_id: i64, slug: &str, title: &str) -> Result<(), AppError>;
    async fn course_workspace(&self, actor_id: i64, course: &str) -> Result<CourseWorkspace, AppError>;
    /// Applies one edit to the course's draft, starting one from the published version if needed.
    async fn edit_draft(&self, actor_id: i64, course: &str, edit: DraftEdit) -> Result<EditReport, AppError>;
    /// Markdown rendered and sanitized exactly as learners will see it.
    async fn preview_markdown(&self, actor_id: i64, markdown: &str) -> Result<String, AppError>;
    /// Publishes the draft as a new version, if it passes the course rules.
    async fn publish_course(
        &self,
        actor_id: i64,
        course: &str,
        version: &str,
        change_summary: &str,
    ) -> Result<(), AppError>;
    async fn discard_draft(&self, actor_id: i64, course: &str) -> Result<(), AppError>;
    /// Deletes a course nobody has started.
    async fn delete_course(&self, actor_id: i64, course: &str) -> Result<(), AppError>;
    async fn compare_versions(&self, actor_id: i64, course: &str, from: i64, to: i64) -> Result<VersionDiff, AppError>;
    /// Admins only: lets a trainer edit a course.
    async fn add_course_editor(&self, actor_id: i64, course: &str, email: &str) -> Result<(), AppError>;
    /// Imports a `.tar.gz` of course folders; returns the first course's slug.
    async fn import_course_archive(&self, actor_id: i64, archive: Vec<u8>) -> Result<String, AppError>;
    /// The roster and question statistics of a published course.
    async fn course_following(&self, actor_id: i64, course: &str) -> Result<CourseFollowing, AppError>;
    /// Who has completed a program, who is close, and the practical sign-offs.
    async fn program_progress(&self, actor_id: i64, program: &str) -> Result<ProgramProgress, AppError>;
    /// Admins only: lets a trainer follow a program's learners and sign off its practicals.
    async fn add_program_staff(&self, actor_id: i64, program: &str, email: &str) -> Result<(), AppError>;
    /// Signs off a practical requirement, and issues the certificate if that completes the program.
    async fn sign_off_practical(&self, actor_id: i64, form: SignoffForm) -> Result<(), AppError>;

    // ---- organizations: site admins set them up; everything else is for
    // the organization's own admins, who only ever reach their own.

    async fn organizations(&self, actor_id: i64) -> Result<Vec<OrganizationRow>, AppError>;
    async fn create_organization(&self, actor_id: i64, name: &str, slug: &str) -> Result<(), AppError>;
    /// Makes an existing account an organization's admin.
    async fn add_organization_admin(&self, actor_id: i64, organization: &str, email: &str) -> Result<(), AppError>;
    async fn org_roster(&self, actor_id: i64) -> Result<OrgRoster, AppError>;
    /// A one-time invitation link for one person, listed on the roster to copy.
    async fn invite(&self, actor_id: i64, name: &str, email: &str) -> Result<(), AppError>;
    /// One invitation per line of a CSV roster (name, email).
    async fn import_roster(&self, actor_id: i64, csv: Vec<u8>) -> Result<InvitationsMade, AppError>;
    async fn withdraw_invitation(&self, actor_id: i64, invitation_id: i64) -> Result<(), AppError>;
    /// What an invitation link offers; anyone with the link may look.
    async fn invitation(&self, token: &str, viewer: Option<i64>) -> Result<InvitationPreview, AppError>;
    /// Joins the invitation's organization; returns its name.
    async fn accept_invitation(&self, user_id: i64, token: &str) -> Result<String, AppError>;
    /// The organizations that can see the learner's progress.
    async fn memberships(&self, user_id: i64) -> Result<Vec<Membership>, AppError>;
    async fn leave_organization(&self, user_id: i64, organization: &str) -> Result<(), AppError>;
    /// Checks a pasted or uploaded list of codes, as sent (organization
    /// admins and staff); returns the id its results are kept under for a day.
    async fn bulk_verify(&self, actor_id: i64, list: Vec<u8>) -> Result<i64, AppError>;
    /// Results kept under `id`; with none, only checks the actor may verify in bulk.
    async fn bulk_results(&self, actor_id: i64, id: Option<i64>) -> Result<Option<BulkCheck>, AppError>;
    async fn api_tokens(&self, actor_id: i64) -> Result<Vec<TokenRow>, AppError>;
    async fn create_api_token(&self, actor_id: i64, label: &str) -> Result<NewToken, AppError>;
    async fn revoke_api_token(&self, actor_id: i64, token_id: i64) -> Result<(), AppError>;

    /// The outcome dashboard for the range (ISO dates; defaults when absent),
    /// for whom the actor may see: their organization, their courses, or everyone.
    async fn outcomes(&self, actor_id: i64, from: Option<String>, to: Option<String>) -> Result<Outcomes, AppError>;
}

/// The store as Leptos context.
#[derive(Clone)]
pub struct Backend(pub Arc<dyn Store>);

/// Identifies the session a request came with (the hash of its token, never the token).
#[derive(Clone, Debug)]
pub struct SessionKey(pub Vec<u8>);

/// Who sent a request: put into the request's extensions by the server's session layer.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub viewer: Viewer,
    pub session: SessionKey,
}

/// The client's address as the server sees it, in the request's extensions.
#[derive(Clone, Debug)]
pub struct PeerAddress(pub String);
