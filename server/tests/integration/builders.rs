//! Test data written straight to the database, the way crates.io's test
//! builders do it: through the server's own area functions (so every rule
//! they keep still holds), without clicking through pages. A test then
//! drives over HTTP only what it is about.
//!
//! ```ignore
//! let ana = UserBuilder::learner("ana@example.org").name("Ana").create(&server).await;
//! let browser = signed_in(&server, ana).await;
//! let code = certify(&server, ana).await;
//! ```

use crate::support::{Browser, PASSWORD, TestServer};
use diesel::prelude::*;
use holdspace_app::dto::{OrganizationId, Role, UserId};
use holdspace_server::certificates::credential::Issuer;
use holdspace_server::certificates::signing_keys::SigningKeys;
use holdspace_server::certificates::{self, Issuing};
use holdspace_server::clock::OffsetClock;
use holdspace_server::db::schema::{organization_admins, organizations, program_staff, programs, users};
use holdspace_server::db::{Database, DbConnection, Pool, write_transaction};
use holdspace_server::learning::{self, Graded};
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

/// The test password's hash, made once (argon2 is slow on purpose).
static PASSWORD_HASH: LazyLock<String> = LazyLock::new(|| holdspace_server::accounts::password::hash(PASSWORD));

/// The test server's database, on the server's clock, for builders and for
/// looking at what it stored.
pub fn database(server: &TestServer) -> Database {
    let clock = OffsetClock(chrono::TimeDelta::days(server.clock_offset_days.into()));
    Database::new(
        Pool::open(&server.database.url, 2).expect("the test database opens"),
        Arc::new(clock),
    )
}

/// Runs `work` on the server's database in a write transaction.
pub async fn write<T: Send + 'static>(
    server: &TestServer,
    work: impl FnOnce(&mut DbConnection, chrono::NaiveDateTime) -> holdspace_server::error::ServerResult<T> + Send + 'static,
) -> T {
    database(server)
        .run(move |conn, now| write_transaction(conn, |conn| work(conn, now)))
        .await
        .expect("the builder writes")
}

/// An account, signed in with [`crate::support::PASSWORD`], its address
/// confirmed (as an established account's is).
pub struct UserBuilder {
    email: String,
    name: String,
    role: Role,
}

impl UserBuilder {
    pub fn new(email: &str, role: Role) -> Self {
        let name = email.split('@').next().unwrap_or(email).to_owned();
        Self {
            email: email.to_owned(),
            name,
            role,
        }
    }

    pub fn learner(email: &str) -> Self {
        Self::new(email, Role::Learner)
    }

    pub fn trainer(email: &str) -> Self {
        Self::new(email, Role::Trainer)
    }

    pub fn admin(email: &str) -> Self {
        Self::new(email, Role::Admin)
    }

    pub fn name(mut self, name: &str) -> Self {
        name.clone_into(&mut self.name);
        self
    }

    pub async fn create(self, server: &TestServer) -> UserId {
        let hash = PASSWORD_HASH.clone();
        write(server, move |conn, now| {
            Ok(diesel::insert_into(users::table)
                .values((
                    users::email.eq(&self.email),
                    users::display_name.eq(&self.name),
                    users::password_hash.eq(hash),
                    users::role.eq(self.role),
                    users::created_at.eq(now),
                    users::email_confirmed_at.eq(now),
                ))
                .returning(users::id)
                .get_result(conn)?)
        })
        .await
    }
}

/// The id of the account with this address.
pub async fn user_id(server: &TestServer, email: &str) -> UserId {
    let email = email.to_owned();
    write(server, move |conn, _| {
        Ok(users::table
            .filter(users::email.eq(&email))
            .select(users::id)
            .first(conn)?)
    })
    .await
}

/// A browser of its own, signed in as `user` by a session started directly.
pub async fn signed_in(server: &TestServer, user: UserId) -> Browser {
    let token = write(server, move |conn, now| {
        holdspace_server::accounts::sessions::start(conn, user, None, now)
    })
    .await;
    let browser = server.browser();
    browser.use_session(&token);
    browser
}

/// The server's own signing keys and issuer, to issue as it would.
fn issuing(server: &TestServer) -> Issuing {
    let keys = SigningKeys::load(&server.data_dir.path().join("signing-keys")).expect("the server made its keys");
    Issuing {
        issuer: Issuer {
            base_url: server.public_url.clone(),
            name: "Holdspace".into(),
            plain_names: server.credential_names,
        },
        keys: Arc::new(keys),
    }
}

/// Enrolls `learner` in `course` and passes every quiz with the answer key,
/// issuing the certificates that completes; returns the newest code printed.
pub async fn complete_course(server: &TestServer, learner: UserId, course: &str) -> Option<String> {
    let issuing = issuing(server);
    let course = course.to_owned();
    write(server, move |conn, now| {
        // The server's own kept versions are in its process; the builder reads afresh.
        let published = learning::PublishedVersions::default();
        learning::enroll(conn, learner, &course, now)?;
        let current = learning::CurrentCourse::find(conn, &course)?;
        for module in learning::ModuleRow::of_version(conn, current.version_id)?
            .into_iter()
            .filter(|m| m.has_quiz)
        {
            let sheet = learning::open_quiz(conn, &published, learner, &course, &module.slug, now)?;
            let questions = learning::module_questions(conn, module.id)?;
            let mut answers = BTreeMap::new();
            for shown in &sheet.questions {
                let key = questions
                    .iter()
                    .find(|q| q.key == shown.id)
                    .expect("the question shown exists");
                let right: Vec<u32> = shown
                    .options
                    .iter()
                    .filter(|o| key.options.iter().any(|k| k.correct && k.text == o.text))
                    .map(|o| o.position)
                    .collect();
                answers.insert(shown.id.clone(), right);
            }
            if let Graded::Attempt {
                passed: true, course, ..
            } = learning::submit_quiz(conn, &published, learner, sheet.sitting_id, &answers, now)?
            {
                certificates::issue_if_complete(conn, learner, course, now, &issuing)?;
            }
        }
        let held = certificates::held_by(conn, learner, now, None)?;
        Ok(held.first().map(|h| h.certificate.code.clone()))
    })
    .await
}

/// A learner who completed the fixtures' demo program; their browser and certificate code.
pub async fn certified_learner(server: &TestServer, name: &str, email: &str) -> (Browser, String) {
    let learner = UserBuilder::learner(email).name(name).create(server).await;
    let code = complete_course(server, learner, "demo-course")
        .await
        .expect("the demo program issues a certificate");
    (signed_in(server, learner).await, code)
}

/// Assigns a trainer to a program, as an admin would.
pub async fn assign_to_program(server: &TestServer, trainer: UserId, program: &str) {
    let program = program.to_owned();
    write(server, move |conn, now| {
        let id: holdspace_app::dto::ProgramId = programs::table
            .filter(programs::slug.eq(&program))
            .select(programs::id)
            .first(conn)?;
        diesel::insert_into(program_staff::table)
            .values((
                program_staff::program_id.eq(id),
                program_staff::user_id.eq(trainer),
                program_staff::added_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await
}

/// An organization with its admin (an org_admin account).
pub async fn organization(server: &TestServer, name: &str, slug: &str, admin: UserId) -> OrganizationId {
    let (name, slug) = (name.to_owned(), slug.to_owned());
    write(server, move |conn, now| {
        let id: OrganizationId = diesel::insert_into(organizations::table)
            .values((
                organizations::slug.eq(&slug),
                organizations::name.eq(&name),
                organizations::created_at.eq(now),
            ))
            .returning(organizations::id)
            .get_result(conn)?;
        diesel::insert_into(organization_admins::table)
            .values((
                organization_admins::user_id.eq(admin),
                organization_admins::organization_id.eq(id),
                organization_admins::added_at.eq(now),
            ))
            .execute(conn)?;
        diesel::update(users::table.find(admin))
            .set(users::role.eq(Role::OrgAdmin))
            .execute(conn)?;
        Ok(id)
    })
    .await
}

/// The right options of every stored question, as an exam form names its
/// questions (`q` and the question's id): what a learner who knows it all picks.
pub async fn exam_key(server: &TestServer) -> Vec<(String, String)> {
    use holdspace_server::db::schema::{question_options, questions};
    write(server, |conn, _| {
        let rows: Vec<(holdspace_app::dto::QuestionId, String)> = question_options::table
            .inner_join(questions::table)
            .filter(question_options::correct.eq(true))
            .select((questions::id, question_options::text))
            .load(conn)?;
        Ok(rows.into_iter().map(|(id, text)| (format!("q{id}"), text)).collect())
    })
    .await
}
