//! The running site: its database, password hashing, signing keys and
//! settings, shared by the ports, the plain routes and the command line.

use crate::accounts::Passwords;
use crate::authoring::course_files::{Audience, Loaded, PrintableFile};
use crate::authoring::{ImportReport, import_loaded};
use crate::certificates::Issuing;
use crate::db::Database;
use crate::error::{ServerError, ServerResult};
use crate::learning::PublishedVersions;
use holdspace_app::ports::{PortSet, Ports};
use std::sync::Arc;

/// What the site was started with.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Served over HTTPS: session cookies get `Secure` and the `__Host-` prefix.
    pub https: bool,
    /// The organization's local support resources, rendered from Markdown.
    pub local_resources_html: Option<String>,
    /// The organization's policies (reporting, confidentiality, emergencies), rendered from Markdown.
    pub local_policies_html: Option<String>,
    /// The facilitator toolkit and the trainers' guides, from the course files.
    pub printables: Vec<PrintableFile>,
}

/// The site, cheap to clone.
#[derive(Clone)]
pub struct Site {
    pub db: Database,
    pub passwords: Passwords,
    /// The issuer and its signing keys; `None` for commands that never
    /// issue certificates (`user add`).
    pub issuing: Option<Arc<Issuing>>,
    pub settings: Arc<Settings>,
    /// Published course versions read so far (they never change).
    pub published: Arc<PublishedVersions>,
}

impl Site {
    pub fn new(db: Database, issuing: Option<Arc<Issuing>>, settings: Settings) -> Self {
        Self {
            db,
            passwords: Passwords::default(),
            issuing,
            settings: Arc::new(settings),
            published: Arc::default(),
        }
    }

    /// The issuer, for what needs signing or printing.
    pub fn issuing(&self) -> ServerResult<Arc<Issuing>> {
        self.issuing
            .clone()
            .ok_or_else(|| ServerError::Corrupt("this command has no signing keys".into()))
    }

    /// The printables for `audience`, as (key, title), to link to.
    pub fn printable_links(&self, audience: Audience, keys: Option<&[String]>) -> Vec<(String, String)> {
        self.settings
            .printables
            .iter()
            .filter(|p| p.audience == audience && keys.is_none_or(|keys| keys.contains(&p.key)))
            .map(|p| (p.key.clone(), p.title.clone()))
            .collect()
    }

    /// The site's public address, for links people copy elsewhere.
    pub fn base_url(&self) -> String {
        self.issuing
            .as_ref()
            .map(|issuing| issuing.issuer.base_url.clone())
            .unwrap_or_default()
    }

    /// Every port, for the pages and server functions.
    pub fn ports(&self) -> Ports {
        let site = Arc::new(self.clone());
        Ports::new(PortSet {
            accounts: site.clone(),
            account_admin: site.clone(),
            learning: site.clone(),
            exams: site.clone(),
            certificates: site.clone(),
            teaching: site.clone(),
            following: site.clone(),
            practice: site.clone(),
            training: site.clone(),
            organizations: site.clone(),
            verifying: site.clone(),
            outcomes: site,
            https: self.settings.https,
        })
    }

    /// Imports every valid course and program loaded from the courses folder.
    pub async fn import(&self, loaded: Loaded) -> ServerResult<ImportReport> {
        self.db.run(move |conn, now| import_loaded(conn, &loaded, now)).await
    }

    /// Deletes what is kept only for a while: throttle counters past their
    /// window (an hour; they hold email and network addresses), sessions
    /// and one-time links past their end, bulk results past their day,
    /// invitations nobody used and sent mail, 30 days on. Run at start and then every ten minutes.
    pub async fn sweep(&self) -> ServerResult<()> {
        self.db
            .run(|conn, now| {
                crate::accounts::throttle::sweep(conn, now)?;
                crate::accounts::sessions::sweep(conn, now)?;
                crate::accounts::one_time_links::sweep(conn, now)?;
                crate::mail::sweep(conn, now)?;
                crate::organizations::sweep(conn, now)
            })
            .await
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> ServerResult<()> {
        use diesel::RunQueryDsl;
        self.db
            .run(|conn, _| {
                diesel::sql_query("SELECT 1").execute(conn)?;
                Ok(())
            })
            .await
    }
}
