//! The Diesel store: the server's implementation of the app's port.
//!
//! Each operation runs its queries on a blocking thread (`Pool::run`) and
//! decides, from the user id the session layer established, what that user
//! may touch.

/// Courses joined to their current (published) version; courses with none
/// are left out. A macro, not a function: the joined query's type is long
/// and each caller adds its own filter, order and columns.
macro_rules! current_courses {
    () => {
        crate::db::schema::courses::table.inner_join(
            crate::db::schema::course_versions::table
                .on(crate::db::schema::courses::current_version_id
                    .eq(crate::db::schema::course_versions::id.nullable())),
        )
    };
}

mod accounts;
mod authoring;
pub mod certificates;
pub mod course_import;
mod following;
mod learning;
pub mod organizations;
mod outcomes;
mod privacy;

use crate::clock::Clock;
use crate::db::{Pool, write_transaction};
use holdspace_app::dto::{
    BulkCheck, BulkRow, InvitationPreview, InvitationsMade, Membership, NewToken, OrgRoster, OrganizationRow, TokenRow,
};
use holdspace_app::dto::{
    CourseFollowing, CourseWorkspace, DraftEdit, EditReport, ProgramProgress, SignoffForm, TeachOverview, VersionDiff,
};
use holdspace_app::error::AppError;
use std::sync::Arc;

pub use accounts::{AccountError, NewUser};
pub use course_import::ImportOutcome;

/// A failure inside the store. Only [`StoreError::User`] reaches a person as
/// it is; everything else is logged and shown as a generic message.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("no database connection: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("a blocking task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("could not draw a certificate: {0}")]
    Render(#[from] crate::certificate_pdf::RenderError),
    #[error("{0}")]
    User(#[from] AppError),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::User(error) => error,
            other => {
                tracing::error!(error = %other, "store operation failed");
                AppError::Internal
            }
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        StoreError::Corrupt(error.to_string())
    }
}

/// The courses of an archive or folder, or every problem with them in words
/// a trainer can act on.
fn importable(
    loaded: crate::course_files::Loaded,
) -> Result<Vec<holdspace_app::course_content::CourseContent>, StoreError> {
    if !loaded.problems.is_empty() {
        let list: Vec<String> = loaded.problems.iter().take(20).map(ToString::to_string).collect();
        let more = loaded.problems.len().saturating_sub(list.len());
        let tail = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        return Err(AppError::Invalid(format!(
            "The course could not be imported. Please fix these and try again: {}{tail}",
            list.join("; ")
        ))
        .into());
    }
    if loaded.courses.is_empty() {
        return Err(AppError::invalid(
            "We found no course in that file. An export holds one folder per course, each with a course.toml.",
        )
        .into());
    }
    Ok(loaded.courses)
}

/// A date as pages and the public API show it: `YYYY-MM-DD` (UTC).
fn day(at: chrono::NaiveDateTime) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// Settings the store's policies depend on.
#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// Served over HTTPS: session cookies get `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
    /// The organization's local support resources, rendered from Markdown.
    pub local_resources_html: Option<String>,
    /// The issuer and its signing keys; `None` for commands that never
    /// issue certificates (`user add`).
    pub issuing: Option<Arc<certificates::Issuing>>,
}

/// Codes per step of a bulk verification; a list no longer than this is
/// checked before its page is shown.
const BULK_CHUNK: usize = 500;

/// The store, cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    clock: Arc<dyn Clock>,
    config: StoreConfig,
    /// Each argon2 hash holds 19 MiB; unbounded, a burst of logins would
    /// exhaust memory. One hash per core at a time; the rest queue.
    password_work: Arc<tokio::sync::Semaphore>,
}

impl Store {
    /// A course's published version as a `.tar.gz` (file name, bytes), for its editors.
    pub async fn export_course(&self, user_id: i64, slug: String) -> Result<(String, Vec<u8>), StoreError> {
        let content = self.run(move |conn, _| authoring::export(conn, user_id, &slug)).await?;
        let archive = crate::course_archive::pack(&content).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        Ok((format!("{}-{}.tar.gz", content.slug, content.version), archive))
    }

    /// Whether `token` is a live API token that may verify: a read, so an
    /// anonymous caller never makes the server take a write lock.
    pub async fn api_token_is_live(&self, token: String) -> Result<bool, StoreError> {
        self.run(move |conn, _| organizations::token_is_live(conn, &token, organizations::SCOPE_VERIFY))
            .await
    }

    /// `POST /api/v1/verifications`: admits the request on the token's
    /// window, then looks every code up.
    pub async fn api_verifications(
        &self,
        token: String,
        codes: Vec<String>,
    ) -> Result<Result<Vec<(String, holdspace_app::dto::Verification)>, organizations::Refusal>, StoreError> {
        self.run(move |conn, now| {
            match write_transaction(conn, |conn| {
                organizations::admit(conn, &token, organizations::SCOPE_VERIFY, now)
            })? {
                Ok(()) => Ok(Ok(certificates::verify_many(conn, codes, now)?)),
                Err(refusal) => Ok(Err(refusal)),
            }
        })
        .await
    }

    /// Deletes what is kept only for a while: throttle counters past their
    /// window (an hour; they hold email and network addresses), sessions
    /// past their end, bulk results past their day, and invitations nobody
    /// used, 30 days on. Run at start and then every ten minutes.
    pub async fn sweep(&self) -> Result<(), StoreError> {
        use crate::db::schema::{sessions, throttle_events};
        use diesel::prelude::*;
        self.run(|conn, now| {
            diesel::delete(throttle_events::table.filter(throttle_events::at.le(now - crate::throttle::WINDOW)))
                .execute(conn)?;
            diesel::delete(
                sessions::table.filter(
                    sessions::expires_at
                        .le(now)
                        .or(sessions::last_seen_at.le(now - crate::session_token::IDLE)),
                ),
            )
            .execute(conn)?;
            organizations::sweep(conn, now)
        })
        .await
    }

    /// Imports course folders from the command line, with its authority.
    pub async fn import_courses(
        &self,
        loaded: crate::course_files::Loaded,
    ) -> Result<Vec<(String, ImportOutcome)>, StoreError> {
        self.run(move |conn, now| {
            let courses = importable(loaded)?;
            authoring::import_courses(conn, &authoring::Actor::command_line(), &courses, now)
        })
        .await
    }

    pub fn new(pool: Pool, clock: Arc<dyn Clock>, config: StoreConfig) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            pool,
            clock,
            config,
            password_work: Arc::new(tokio::sync::Semaphore::new(cores)),
        }
    }

    /// Waits for a turn to hash a password.
    async fn password_turn(&self) -> tokio::sync::SemaphorePermit<'_> {
        self.password_work
            .acquire()
            .await
            .expect("the semaphore is never closed")
    }

    /// The site's public address, for links people copy elsewhere.
    fn base_url(&self) -> String {
        self.config
            .issuing
            .as_ref()
            .map(|issuing| issuing.issuer.base_url.clone())
            .unwrap_or_default()
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Checks a bulk verification's codes a chunk at a time, counting each
    /// chunk as it is done, for the page's progress bar.
    async fn check_bulk(&self, id: i64, codes: Vec<String>) -> Result<(), StoreError> {
        let mut rows: Vec<BulkRow> = Vec::with_capacity(codes.len());
        let mut codes = codes.into_iter().peekable();
        while codes.peek().is_some() {
            let chunk: Vec<String> = codes.by_ref().take(BULK_CHUNK).collect();
            let checked = rows.len() + chunk.len();
            let found = self
                .run(move |conn, now| {
                    let found = certificates::verify_many(conn, chunk, now)?;
                    organizations::bulk_checked(conn, id, checked)?;
                    Ok(found)
                })
                .await?;
            rows.extend(
                found
                    .into_iter()
                    .map(|(typed, verification)| BulkRow::new(typed, verification)),
            );
        }
        self.run(move |conn, now| organizations::finish_bulk(conn, id, &rows, now))
            .await
    }

    /// Runs `work` on a blocking thread with a connection and the current time.
    async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut crate::db::DbConnection, chrono::NaiveDateTime) -> Result<T, StoreError> + Send + 'static,
    {
        let now = self.clock.now();
        self.pool.run(move |conn| work(conn, now)).await
    }
}

#[async_trait::async_trait]
impl holdspace_app::port::Store for Store {
    async fn register(
        &self,
        account: holdspace_app::port::NewAccount,
        client: holdspace_app::port::ClientInfo,
    ) -> Result<holdspace_app::port::SessionGrant, AppError> {
        Ok(self.register_learner(account, client).await?)
    }

    async fn log_in(
        &self,
        email: &str,
        password: &str,
        client: holdspace_app::port::ClientInfo,
    ) -> Result<holdspace_app::port::SessionGrant, AppError> {
        Ok(self.log_in_with_password(email, password, client).await?)
    }

    async fn log_out(&self, session: &holdspace_app::port::SessionKey) -> Result<String, AppError> {
        Ok(self.end_session(session).await?)
    }

    async fn catalog(&self, viewer: Option<i64>) -> Result<Vec<holdspace_app::dto::CourseCard>, AppError> {
        Ok(self.run(move |conn, _| learning::catalog(conn, viewer)).await?)
    }

    async fn course_outline(
        &self,
        slug: &str,
        viewer: Option<i64>,
    ) -> Result<holdspace_app::dto::CourseOutline, AppError> {
        let slug = slug.to_owned();
        Ok(self
            .run(move |conn, _| learning::course_outline(conn, &slug, viewer))
            .await?)
    }

    async fn enroll(&self, user_id: i64, course_slug: &str) -> Result<holdspace_app::dto::ModuleLink, AppError> {
        let slug = course_slug.to_owned();
        Ok(self
            .run(move |conn, now| learning::enroll(conn, user_id, &slug, now))
            .await?)
    }

    async fn module(
        &self,
        user_id: i64,
        course_slug: &str,
        module_slug: &str,
        past_note: bool,
    ) -> Result<holdspace_app::dto::ModuleAccess, AppError> {
        let (course, module) = (course_slug.to_owned(), module_slug.to_owned());
        Ok(self
            .run(move |conn, now| learning::module(conn, user_id, &course, &module, past_note, now))
            .await?)
    }

    async fn open_quiz(
        &self,
        user_id: i64,
        course_slug: &str,
        module_slug: &str,
    ) -> Result<holdspace_app::dto::QuizSheet, AppError> {
        let (course, module) = (course_slug.to_owned(), module_slug.to_owned());
        Ok(self
            .run(move |conn, now| learning::open_quiz(conn, user_id, &course, &module, now))
            .await?)
    }

    async fn submit_quiz(
        &self,
        user_id: i64,
        sitting_id: i64,
        answers: holdspace_app::port::Answers,
    ) -> Result<i64, AppError> {
        let issuing = self.config.issuing.clone();
        Ok(self
            .run(move |conn, now| learning::submit_quiz(conn, user_id, sitting_id, &answers, now, issuing.as_deref()))
            .await?)
    }

    async fn attempt(&self, user_id: i64, attempt_id: i64) -> Result<holdspace_app::dto::AttemptReview, AppError> {
        Ok(self
            .run(move |conn, _| learning::attempt_review(conn, user_id, attempt_id))
            .await?)
    }

    async fn dashboard(&self, user_id: i64) -> Result<holdspace_app::dto::Dashboard, AppError> {
        let issuing = self.config.issuing.clone();
        Ok(self
            .run(move |conn, now| learning::dashboard(conn, user_id, now, issuing.as_deref()))
            .await?)
    }

    async fn verify_certificate(
        &self,
        code: &str,
        viewer: Option<i64>,
    ) -> Result<holdspace_app::dto::VerificationPage, AppError> {
        let code = code.to_owned();
        Ok(self
            .run(move |conn, now| {
                let verification = certificates::verify(conn, &code, now, true)?;
                let can_revoke = certificates::viewer_may_revoke(conn, viewer, &code)?;
                Ok(holdspace_app::dto::VerificationPage {
                    verification,
                    can_revoke,
                })
            })
            .await?)
    }

    async fn revoke_certificate(&self, actor_id: i64, code: &str, reason: &str) -> Result<(), AppError> {
        let (code, reason) = (code.to_owned(), reason.to_owned());
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| certificates::revoke(conn, actor_id, &code, &reason, now))
            })
            .await?)
    }

    async fn teach_overview(&self, actor_id: i64) -> Result<TeachOverview, AppError> {
        Ok(self.run(move |conn, _| authoring::overview(conn, actor_id)).await?)
    }

    async fn create_course(&self, actor_id: i64, slug: &str, title: &str) -> Result<(), AppError> {
        let (slug, title) = (slug.to_owned(), title.to_owned());
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| {
                    authoring::create_course(conn, actor_id, &slug, &title, now)
                })
            })
            .await?)
    }

    async fn course_workspace(&self, actor_id: i64, course: &str) -> Result<CourseWorkspace, AppError> {
        let course = course.to_owned();
        Ok(self
            .run(move |conn, _| authoring::workspace(conn, actor_id, &course))
            .await?)
    }

    async fn edit_draft(&self, actor_id: i64, course: &str, edit: DraftEdit) -> Result<EditReport, AppError> {
        let course = course.to_owned();
        Ok(self
            .run(move |conn, now| write_transaction(conn, |conn| authoring::edit(conn, actor_id, &course, edit, now)))
            .await?)
    }

    async fn preview_markdown(&self, actor_id: i64, markdown: &str) -> Result<String, AppError> {
        self.run(move |conn, _| authoring::teacher(conn, actor_id).map(drop))
            .await?;
        Ok(crate::markdown::render(markdown))
    }

    async fn publish_course(
        &self,
        actor_id: i64,
        course: &str,
        version: &str,
        change_summary: &str,
    ) -> Result<(), AppError> {
        let (course, version, summary) = (course.to_owned(), version.to_owned(), change_summary.to_owned());
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| {
                    authoring::publish(conn, actor_id, &course, &version, &summary, now)
                })
            })
            .await?)
    }

    async fn discard_draft(&self, actor_id: i64, course: &str) -> Result<(), AppError> {
        let course = course.to_owned();
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| authoring::discard_draft(conn, actor_id, &course, now))
            })
            .await?)
    }

    async fn delete_course(&self, actor_id: i64, course: &str) -> Result<(), AppError> {
        let course = course.to_owned();
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| authoring::delete_course(conn, actor_id, &course, now))
            })
            .await?)
    }

    async fn compare_versions(&self, actor_id: i64, course: &str, from: i64, to: i64) -> Result<VersionDiff, AppError> {
        let course = course.to_owned();
        Ok(self
            .run(move |conn, _| authoring::compare(conn, actor_id, &course, from, to))
            .await?)
    }

    async fn add_course_editor(&self, actor_id: i64, course: &str, email: &str) -> Result<(), AppError> {
        let (course, email) = (course.to_owned(), email.to_owned());
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| authoring::add_editor(conn, actor_id, &course, &email, now))
            })
            .await?)
    }

    async fn import_course_archive(&self, actor_id: i64, archive: Vec<u8>) -> Result<String, AppError> {
        Ok(self
            .run(move |conn, now| {
                let actor = authoring::teacher(conn, actor_id)?;
                let loaded =
                    crate::course_archive::unpack(&archive).map_err(|error| AppError::Invalid(error.to_string()))?;
                let courses = importable(loaded)?;
                let outcomes = authoring::import_courses(conn, &actor, &courses, now)?;
                Ok(outcomes.into_iter().next().map(|(slug, _)| slug).unwrap_or_default())
            })
            .await?)
    }

    async fn course_following(&self, actor_id: i64, course: &str) -> Result<CourseFollowing, AppError> {
        let course = course.to_owned();
        Ok(self
            .run(move |conn, _| following::course_following(conn, actor_id, &course))
            .await?)
    }

    async fn program_progress(&self, actor_id: i64, program: &str) -> Result<ProgramProgress, AppError> {
        let program = program.to_owned();
        Ok(self
            .run(move |conn, now| following::program_progress(conn, actor_id, &program, now))
            .await?)
    }

    async fn add_program_staff(&self, actor_id: i64, program: &str, email: &str) -> Result<(), AppError> {
        let (program, email) = (program.to_owned(), email.to_owned());
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| following::add_staff(conn, actor_id, &program, &email, now))
            })
            .await?)
    }

    async fn sign_off_practical(&self, actor_id: i64, form: SignoffForm) -> Result<(), AppError> {
        let issuing = self.config.issuing.clone();
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| {
                    let program_id = following::sign_off(conn, actor_id, &form, now)?;
                    match &issuing {
                        Some(issuing) => {
                            certificates::issue_after_signoff(conn, form.learner_id, program_id, now, issuing)
                        }
                        None => Ok(()),
                    }
                })
            })
            .await?)
    }

    async fn delete_account(&self, user_id: i64, password: &str) -> Result<String, AppError> {
        self.delete_own_account(user_id, password.to_owned()).await?;
        Ok(crate::session_token::clear_cookie(self.config.secure_cookies))
    }

    async fn local_resources(&self) -> Result<Option<String>, AppError> {
        Ok(self.config.local_resources_html.clone())
    }

    async fn organizations(&self, actor_id: i64) -> Result<Vec<OrganizationRow>, AppError> {
        Ok(self.run(move |conn, _| organizations::list(conn, actor_id)).await?)
    }

    async fn create_organization(&self, actor_id: i64, name: &str, slug: &str) -> Result<(), AppError> {
        let (name, slug) = (name.to_owned(), slug.to_owned());
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| organizations::create(conn, actor_id, &name, &slug, now))
            })
            .await?)
    }

    async fn add_organization_admin(&self, actor_id: i64, organization: &str, email: &str) -> Result<(), AppError> {
        let (organization, email) = (organization.to_owned(), email.to_owned());
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| {
                    organizations::add_admin(conn, actor_id, &organization, &email, now)
                })
            })
            .await?)
    }

    async fn org_roster(&self, actor_id: i64) -> Result<OrgRoster, AppError> {
        let base = self.base_url();
        Ok(self
            .run(move |conn, now| organizations::roster(conn, actor_id, &base, now))
            .await?)
    }

    async fn invite(&self, actor_id: i64, name: &str, email: &str) -> Result<(), AppError> {
        let (name, email) = (name.to_owned(), email.to_owned());
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| organizations::invite(conn, actor_id, &name, &email, now))
            })
            .await?)
    }

    async fn import_roster(&self, actor_id: i64, csv: Vec<u8>) -> Result<InvitationsMade, AppError> {
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| organizations::import_roster(conn, actor_id, &csv, now))
            })
            .await?)
    }

    async fn withdraw_invitation(&self, actor_id: i64, invitation_id: i64) -> Result<(), AppError> {
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| {
                    organizations::withdraw_invitation(conn, actor_id, invitation_id, now)
                })
            })
            .await?)
    }

    async fn invitation(&self, token: &str, viewer: Option<i64>) -> Result<InvitationPreview, AppError> {
        let token = token.to_owned();
        Ok(self
            .run(move |conn, now| organizations::preview(conn, &token, viewer, now))
            .await?)
    }

    async fn accept_invitation(&self, user_id: i64, token: &str) -> Result<String, AppError> {
        let token = token.to_owned();
        Ok(self
            .run(move |conn, now| write_transaction(conn, |conn| organizations::accept(conn, user_id, &token, now)))
            .await?)
    }

    async fn memberships(&self, user_id: i64) -> Result<Vec<Membership>, AppError> {
        Ok(self
            .run(move |conn, _| organizations::memberships_of(conn, user_id))
            .await?)
    }

    async fn leave_organization(&self, user_id: i64, organization: &str) -> Result<(), AppError> {
        let organization = organization.to_owned();
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| organizations::leave(conn, user_id, &organization, now))
            })
            .await?)
    }

    async fn bulk_verify(&self, actor_id: i64, list: Vec<u8>) -> Result<i64, AppError> {
        let text = crate::code_list::decode(&list).map_err(|error| AppError::Invalid(error.to_string()))?;
        let codes = crate::code_list::parse(&text).map_err(|error| AppError::Invalid(error.to_string()))?;
        let total = codes.len();
        let id = self
            .run(move |conn, now| {
                organizations::bulk_verifier(conn, actor_id)?;
                write_transaction(conn, |conn| organizations::start_bulk(conn, actor_id, total, now))
            })
            .await?;
        if total <= BULK_CHUNK {
            self.check_bulk(id, codes).await?;
        } else {
            let store = self.clone();
            tokio::spawn(async move {
                if let Err(error) = store.check_bulk(id, codes).await {
                    tracing::error!(%error, id, "bulk verification stopped");
                }
            });
        }
        Ok(id)
    }

    async fn bulk_results(&self, actor_id: i64, id: Option<i64>) -> Result<Option<BulkCheck>, AppError> {
        Ok(self
            .run(move |conn, now| match id {
                Some(id) => organizations::bulk_results(conn, actor_id, id, now).map(Some),
                None => organizations::bulk_verifier(conn, actor_id).map(|()| None),
            })
            .await?)
    }

    async fn outcomes(
        &self,
        actor_id: i64,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<holdspace_app::dto::Outcomes, AppError> {
        Ok(self
            .run(move |conn, now| outcomes::outcomes(conn, actor_id, from, to, now))
            .await?)
    }

    async fn api_tokens(&self, actor_id: i64) -> Result<Vec<TokenRow>, AppError> {
        Ok(self.run(move |conn, _| organizations::tokens(conn, actor_id)).await?)
    }

    async fn create_api_token(&self, actor_id: i64, label: &str) -> Result<NewToken, AppError> {
        let label = label.to_owned();
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| organizations::create_token(conn, actor_id, &label, now))
            })
            .await?)
    }

    async fn revoke_api_token(&self, actor_id: i64, token_id: i64) -> Result<(), AppError> {
        Ok(self
            .run(move |conn, now| {
                write_transaction(conn, |conn| organizations::revoke_token(conn, actor_id, token_id, now))
            })
            .await?)
    }
}
