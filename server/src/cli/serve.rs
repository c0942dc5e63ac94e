//! `holdspace serve`: opens the database, loads the course files, and
//! serves the site until Ctrl-C or SIGTERM.

use super::*;
use crate::mail::{MailSettings, Transport};

pub(super) async fn serve(args: ServeArgs) -> Result<(), String> {
    let public_url = args.public_url.as_deref().map(|u| u.trim_end_matches('/').to_owned());
    let secure = public_url.as_deref().is_some_and(|u| u.starts_with("https://"));
    let local_page = |path: &Option<PathBuf>| -> Result<Option<String>, String> {
        let Some(path) = path else { return Ok(None) };
        let markdown = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(Some(crate::markdown::render(&markdown)))
    };
    let local_resources_html = local_page(&args.resources)?;
    let local_policies_html = local_page(&args.policies)?;
    let clock: Arc<dyn Clock> = if args.clock_offset_days == 0 {
        Arc::new(SystemClock)
    } else {
        tracing::warn!(
            days = args.clock_offset_days,
            "the clock is moved; this is for tests only"
        );
        Arc::new(OffsetClock(chrono::TimeDelta::days(args.clock_offset_days)))
    };
    let trusted_proxies = http::client_address::TrustedProxies::parse(&args.trusted_proxies)?;
    let keys_dir = args
        .keys_dir
        .clone()
        .unwrap_or_else(|| args.database.data_dir.join("signing-keys"));
    let keys = SigningKeys::load_or_create(&keys_dir, SystemClock.now()).map_err(|e| e.to_string())?;
    tracing::info!(kid = %keys.current().kid, "credentials are signed with this key");

    let threads = args
        .threads
        .map(usize::from)
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1);
    let listeners = http::per_core::Listeners::bind(args.addr, threads)
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let addr = listeners.local_addr();
    let issuer = Issuer {
        base_url: public_url.clone().unwrap_or_else(|| format!("http://{addr}")),
        name: args.issuer_name.clone(),
        plain_names: args.credential_names,
    };
    let issuing = Some(Arc::new(Issuing {
        issuer,
        keys: Arc::new(keys),
    }));
    let loaded = course_files::load_dir(&args.courses);
    if args.count_queries {
        db::query_count::install()?;
    }
    let site = open_site(
        &args.database,
        clock,
        issuing,
        Settings {
            https: secure,
            local_resources_html,
            local_policies_html,
            printables: loaded.printables.clone(),
        },
    )?;
    tracing::info!(backend = ?site.db.pool().backend(), "database ready");

    for problem in &loaded.problems {
        tracing::warn!("course files: {problem}");
    }
    if !loaded.problems.is_empty() {
        tracing::warn!("courses with problems were not loaded; their last good version stays published");
    }
    let report = site
        .import(loaded)
        .await
        .map_err(|e| format!("could not import the courses: {e}"))?;
    for (slug, outcome) in &report.courses {
        match outcome {
            ImportOutcome::KeptPublished { files_version } => tracing::warn!(
                course = %slug,
                "the course files say version {files_version}, which is already published with other content; \
                 the published course stays (give the files a new version to publish them)"
            ),
            _ => tracing::info!(course = %slug, ?outcome, "course loaded"),
        }
    }

    site.sweep()
        .await
        .map_err(|e| format!("could not sweep expired records: {e}"))?;
    tokio::spawn(sweep_every_ten_minutes(site.clone()));
    let mail = mail_settings(&args.mail, &args.database.data_dir, &site.base_url())?;
    tokio::spawn(crate::mail::run_sender(site.db.clone(), Arc::new(mail)));

    // The site build names the bundle's files after their content; pages
    // name them all by the one name `assets` gives the bundle, so Leptos's
    // own hashing (which reads `hash.txt` for each page) stays off.
    let pkg = args.site_root.join("pkg");
    let assets = http::assets::Assets::load(&pkg).map_err(|e| format!("could not read {}: {e}", pkg.display()))?;
    let leptos = LeptosOptions::builder()
        .output_name(assets.output_name())
        .site_root(args.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(Env::PROD)
        .hash_files(false)
        .build();
    let router = http::router(
        site,
        HttpConfig {
            leptos,
            public_origin: public_url,
            trusted_proxies,
            assets: Arc::new(assets),
            count_queries: args.count_queries,
        },
    );
    // Tests and scripts read this line to learn the port.
    println!("Holdspace is listening on http://{addr}");
    listeners.serve(router, shutdown_signal()).await
}

/// How mail leaves the site.
#[derive(Args, Debug)]
pub(super) struct MailArgs {
    /// The SMTP server: `smtps://user:password@host` (TLS),
    /// `smtp+starttls://user:password@host:587` or `smtp://host:port` (a
    /// relay on this machine). Without it, messages are written as `.eml`
    /// files in the `mail` folder of the data directory.
    #[arg(long, env = "HOLDSPACE_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The address messages come from.
    #[arg(long, env = "HOLDSPACE_MAIL_FROM", default_value = "no-reply@localhost")]
    mail_from: String,
    /// The sender's name people see. Keep it neutral: someone else may read
    /// the learner's mailbox.
    #[arg(long, env = "HOLDSPACE_MAIL_SENDER_NAME", default_value = "Learning account")]
    mail_sender_name: String,
    /// The subject of every message, neutral for the same reason.
    #[arg(long, env = "HOLDSPACE_MAIL_SUBJECT", default_value = "Your learning account")]
    mail_subject: String,
}

fn mail_settings(args: &MailArgs, data_dir: &Path, base_url: &str) -> Result<MailSettings, String> {
    let transport = match &args.smtp_url {
        Some(url) => Transport::smtp(url)?,
        None => {
            let dir = data_dir.join("mail");
            tracing::warn!(
                folder = %dir.display(),
                "no --smtp-url: messages are written as .eml files in this folder, not sent"
            );
            Transport::Files(dir)
        }
    };
    MailSettings::new(
        transport,
        &args.mail_from,
        &args.mail_sender_name,
        &args.mail_subject,
        base_url,
    )
}

/// Deletes expired throttle counters and sessions every ten minutes.
async fn sweep_every_ten_minutes(site: Site) {
    let period = std::time::Duration::from_secs(600);
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        every.tick().await;
        if let Err(error) = site.sweep().await {
            tracing::warn!(%error, "could not sweep expired records");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
