//! The `holdspace` command line. Every option can also come from a
//! `HOLDSPACE_*` environment variable.

use crate::authoring::course_files;
use crate::authoring::{ImportOutcome, course_archive, importable};
use crate::certificates::Issuing;
use crate::certificates::credential::Issuer;
use crate::certificates::signing_keys::SigningKeys;
use crate::clock::{Clock, OffsetClock, SystemClock};
use crate::db::{self, Pool};
use crate::http::{self, HttpConfig};
use crate::site::{Settings, Site};
use clap::{Args, Parser, Subcommand, ValueEnum};
use holdspace_app::dto::Role;
use leptos::config::{Env, LeptosOptions};
use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "holdspace",
    version,
    about = "Training and certification for peer support group facilitators"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the site.
    Serve(Box<ServeArgs>),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Work with course files.
    #[command(subcommand)]
    Courses(CoursesCommand),
    /// Manage the keys that sign credentials.
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Args, Debug)]
struct KeysArgs {
    /// Directory of the Ed25519 keys that sign credentials. Default:
    /// `signing-keys` in the data directory. Keep it out of database backups.
    #[arg(long, env = "HOLDSPACE_KEYS_DIR")]
    keys_dir: Option<PathBuf>,
    #[arg(long, env = "HOLDSPACE_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
}

impl KeysArgs {
    fn dir(&self) -> PathBuf {
        self.keys_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("signing-keys"))
    }
}

#[derive(Subcommand, Debug)]
enum KeysCommand {
    /// Add a new signing key; new credentials are signed with it, and every
    /// older key stays published so earlier credentials still verify.
    Rotate(KeysArgs),
    /// List the key ids, oldest first (the last one signs).
    List(KeysArgs),
}

#[derive(Args, Debug)]
struct DatabaseArgs {
    /// Directory for the embedded SQLite database and other local state.
    #[arg(long, env = "HOLDSPACE_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// Database URL; `postgres://...` selects PostgreSQL. Default: SQLite in the data directory.
    #[arg(long, env = "HOLDSPACE_DATABASE_URL")]
    database_url: Option<String>,
}

impl DatabaseArgs {
    fn open(&self) -> Result<Pool, db::DbSetupError> {
        let url = match &self.database_url {
            Some(url) => url.clone(),
            None => db::sqlite_url_in(&self.data_dir)?,
        };
        let size = match db::Backend::of_url(&url) {
            db::Backend::Sqlite => 8,
            db::Backend::Postgres => 16,
        };
        Pool::open(&url, size)
    }
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "HOLDSPACE_ADDR", default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Threads that serve requests, each with its own connections
    /// (see `http::per_core`). Default: one per core.
    #[arg(long, env = "HOLDSPACE_THREADS", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    #[command(flatten)]
    database: DatabaseArgs,
    /// Course files to load (imported, or updated to their new version) at start.
    #[arg(long, env = "HOLDSPACE_COURSES", default_value = "./courses")]
    courses: PathBuf,
    /// The built site (hydration scripts, CSS), as `cargo leptos build` leaves it.
    #[arg(long, env = "HOLDSPACE_SITE_ROOT", default_value = "target/site")]
    site_root: PathBuf,
    /// A Markdown file listing the organization's local support and crisis
    /// services, shown at `/resources` (the courses link there).
    #[arg(long, env = "HOLDSPACE_RESOURCES")]
    resources: Option<PathBuf>,
    /// A Markdown file of the organization's policies (what to report and
    /// to whom, confidentiality, emergencies), shown at `/policies`.
    #[arg(long, env = "HOLDSPACE_POLICIES")]
    policies: Option<PathBuf>,
    /// The URL people reach the site at, e.g. `https://learn.example.org`.
    /// With `https://`, session cookies are marked Secure.
    #[arg(long, env = "HOLDSPACE_PUBLIC_URL")]
    public_url: Option<String>,
    /// A reverse proxy in front of the site (an address or a network such as
    /// 10.0.0.0/8; repeat, or separate with commas). Only requests from these
    /// have their `Forwarded` / `X-Forwarded-For` client address believed,
    /// which sign-in throttling counts by.
    #[arg(long = "trusted-proxy", env = "HOLDSPACE_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<String>,
    /// The name certificates and credentials are issued in.
    #[arg(long, env = "HOLDSPACE_ISSUER_NAME", default_value = "Holdspace")]
    issuer_name: String,
    /// Name the holder in credentials by their name in plain text. By
    /// default a credential names them by a salted hash of their email
    /// address, so that a copy passed around does not say who it belongs
    /// to; the PDF and the verify page show the name either way.
    #[arg(long, env = "HOLDSPACE_CREDENTIAL_NAMES")]
    credential_names: bool,
    /// Directory of the Ed25519 keys that sign credentials, created with a
    /// first key on first start. Default: `signing-keys` in the data directory.
    #[arg(long, env = "HOLDSPACE_KEYS_DIR")]
    keys_dir: Option<PathBuf>,
    /// Runs the site this many days in the future (for tests that need a
    /// certificate to expire).
    #[arg(long, env = "HOLDSPACE_CLOCK_OFFSET_DAYS", default_value_t = 0, hide = true)]
    clock_offset_days: i64,
    /// Counts each request's database queries and reports them in an
    /// `x-query-count` header (for the tests that hold pages to a budget).
    #[arg(long, hide = true)]
    count_queries: bool,
    #[command(flatten)]
    mail: MailArgs,
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum, default_value = "learner")]
        role: RoleArg,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Subcommand, Debug)]
enum CoursesCommand {
    /// Check course files and print every problem as `file:line: message`.
    Check { dir: PathBuf },
    /// Convert questions from Moodle's GIFT format into a `.quiz.toml`
    /// (printed); what could not be converted is reported on stderr.
    Gift { file: PathBuf },
    /// Publish courses from an export (`.tar.gz`) or a folder of course
    /// folders, each as a new version; recorded in the audit log.
    Import {
        path: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
#[value(rename_all = "snake_case")]
enum RoleArg {
    Learner,
    Trainer,
    OrgAdmin,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Learner => Role::Learner,
            RoleArg::Trainer => Role::Trainer,
            RoleArg::OrgAdmin => Role::OrgAdmin,
            RoleArg::Admin => Role::Admin,
        }
    }
}

mod serve;

use serve::{MailArgs, serve};

/// Runs the command line and returns the process's exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Courses(CoursesCommand::Check { dir }) => check_courses(&dir),
        Command::Courses(CoursesCommand::Gift { file }) => convert_gift(&file),
        command => {
            init_tracing();
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime starts");
            let result = runtime.block_on(async move {
                match command {
                    Command::Serve(args) => serve(*args).await,
                    Command::User(UserCommand::Add {
                        email,
                        name,
                        role,
                        database,
                    }) => add_user(email, name, role.into(), database).await,
                    Command::Keys(command) => manage_keys(command),
                    Command::Courses(CoursesCommand::Import { path, database }) => {
                        import_courses(&path, database).await
                    }
                    Command::Courses(_) => unreachable!("handled above"),
                }
            });
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("holdspace: {message}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

fn check_courses(dir: &Path) -> ExitCode {
    let loaded = course_files::load_dir(dir);
    for problem in loaded.problems.iter().chain(&loaded.warnings) {
        println!("{problem}");
    }
    if loaded.problems.is_empty() {
        let modules: usize = loaded.courses.iter().map(|c| c.modules.len()).sum();
        let advice = match loaded.warnings.len() {
            0 => String::new(),
            n => format!(" ({n} warning{} above)", if n == 1 { "" } else { "s" }),
        };
        println!(
            "{} courses ({modules} modules) and {} programs: no problems{advice}.",
            loaded.courses.len(),
            loaded.programs.len()
        );
        ExitCode::SUCCESS
    } else {
        eprintln!("{} problem(s) found.", loaded.problems.len());
        ExitCode::FAILURE
    }
}

fn convert_gift(file: &Path) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("holdspace: cannot read {}: {error}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let import = crate::authoring::gift::parse(&text);
    for (line, reason) in &import.skipped {
        eprintln!("{}:{line}: not imported: {reason}", file.display());
    }
    for (line, warning) in &import.warnings {
        eprintln!("{}:{line}: check: {warning}", file.display());
    }
    eprintln!(
        "{} question(s) converted, {} not.",
        import.questions.len(),
        import.skipped.len()
    );
    if import.questions.is_empty() {
        return ExitCode::FAILURE;
    }
    if !import.groups.is_empty() {
        eprintln!(
            "{} categories became groups drawing 1 question each: set each group's draw.",
            import.groups.len()
        );
    }
    print!(
        "{}",
        course_files::quiz_toml(&course_files::QuizContent {
            groups: import.groups,
            questions: import.questions,
            ..Default::default()
        })
    );
    ExitCode::SUCCESS
}

async fn import_courses(path: &Path, database: DatabaseArgs) -> Result<(), String> {
    let loaded = if path.is_dir() {
        course_files::load_dir(path)
    } else {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        course_archive::unpack(&bytes).map_err(|e| e.to_string())?
    };
    let site = open_site(&database, Arc::new(SystemClock), None, Settings::default())?;
    let outcomes = site
        .db
        .run(move |conn, now| {
            let courses = importable(loaded)?;
            crate::authoring::import_courses(conn, &crate::access::Actor::command_line(), &courses, now)
        })
        .await
        .map_err(|e| e.to_string())?;
    for (slug, outcome) in outcomes {
        match outcome {
            ImportOutcome::Created { version } => println!("{slug}: new course, version {version} published"),
            ImportOutcome::Updated { version } => println!("{slug}: version {version} published"),
            ImportOutcome::Unchanged | ImportOutcome::KeptPublished { .. } => println!("{slug}: unchanged"),
        }
    }
    Ok(())
}

fn open_site(
    database: &DatabaseArgs,
    clock: Arc<dyn Clock>,
    issuing: Option<Arc<Issuing>>,
    settings: Settings,
) -> Result<Site, String> {
    let pool = database.open().map_err(|e| e.to_string())?;
    Ok(Site::new(db::Database::new(pool, clock), issuing, settings))
}

fn manage_keys(command: KeysCommand) -> Result<(), String> {
    match command {
        KeysCommand::Rotate(args) => {
            let kid = SigningKeys::rotate(&args.dir(), SystemClock.now()).map_err(|e| e.to_string())?;
            println!(
                "New signing key {kid} in {}. Restart the server to sign with it.",
                args.dir().display()
            );
        }
        KeysCommand::List(args) => {
            let keys = SigningKeys::load(&args.dir()).map_err(|e| e.to_string())?;
            if keys.is_empty() {
                println!(
                    "No signing keys in {} yet; `holdspace serve` creates one on first start.",
                    args.dir().display()
                );
            }
            for key in keys.all() {
                println!("{}", key.kid);
            }
        }
    }
    Ok(())
}

async fn add_user(email: String, name: String, role: Role, database: DatabaseArgs) -> Result<(), String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Password (at least 12 characters), then Enter:");
    }
    let mut password = String::new();
    stdin
        .lock()
        .read_line(&mut password)
        .map_err(|e| format!("could not read the password: {e}"))?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    let site = open_site(&database, Arc::new(SystemClock), None, Settings::default())?;
    let user = crate::accounts::NewUser {
        display_name: name,
        email: email.clone(),
        password,
        role,
    };
    match crate::accounts::add_user(&site.db, &site.passwords, user).await {
        Ok(id) => {
            println!("Created {} account {id} for {email}.", role.as_str());
            Ok(())
        }
        Err(crate::error::ServerError::User(error)) => Err(error.to_string()),
        Err(error) => Err(format!("could not create the account: {error}")),
    }
}
