//! Mail against a real SMTP server (aiosmtpd): confirming an address,
//! resetting and changing a password, the mail the product sends, the
//! learner's choices, and delivery exactly once through a SIGKILL and with
//! two servers on one database.

use crate::builders::{self, UserBuilder};
use crate::smtp::{Mail, SmtpServer, free_port};
use crate::support::*;
use holdspace_server::mail::{self, Letter};
use reqwest::StatusCode;
use std::collections::BTreeSet;

const SUBJECT: &str = "Your learning account";
/// Words that must never show over a shoulder: in a subject, a sender's
/// name, or a preview (the first lines of a body).
const GIVEAWAYS: [&str; 12] = [
    "trauma",
    "abuse",
    "survivor",
    "violence",
    "assault",
    "peer support",
    "crisis",
    "course",
    "quiz",
    "score",
    "certificate",
    "safety",
];

pub(crate) fn with_mail(smtp: &SmtpServer) -> TestServer {
    TestServer::start_with(&fixture_courses(), &["--smtp-url", &smtp.url()])
}

pub(crate) fn restart(server: TestServer, smtp_url: &str, days: u32) -> TestServer {
    let (data_dir, database) = server.stop();
    TestServer::start_on(
        data_dir,
        database,
        &fixture_courses(),
        &["--smtp-url", smtp_url, "--clock-offset-days", &days.to_string()],
    )
}

pub(crate) fn assert_discreet(mail: &Mail) {
    assert_eq!(mail.subject, SUBJECT, "{mail:?}");
    let preview: String = mail.body.lines().take(3).collect::<Vec<_>>().join(" ").to_lowercase();
    let shown = format!("{} {} {preview}", mail.subject.to_lowercase(), mail.from.to_lowercase());
    for word in GIVEAWAYS {
        assert!(!shown.contains(word), "{word:?} shows in {shown:?}");
    }
}

fn token_of(link: &str, prefix: &str) -> String {
    link.trim_start_matches(prefix).to_owned()
}

#[tokio::test]
async fn registering_mails_a_link_that_confirms_the_address_once() {
    let smtp = SmtpServer::start();
    let server = with_mail(&smtp);
    let ana = server.browser();
    ana.register("Ana", "ana@example.org").await;
    let mail = smtp.message_to("ana@example.org", "/confirm-email/").await;
    assert_discreet(&mail);
    assert!(mail.from.contains("Learning account"), "{}", mail.from);
    assert!(mail.body.starts_with("Hello Ana,"), "{}", mail.body);
    ana.get("/me/privacy")
        .await
        .assert_ok()
        .assert_contains("It isn't confirmed yet");

    let link = mail.link("/confirm-email/");
    let page = ana.get(&link).await;
    page.assert_ok().assert_contains("Confirm my email address");
    let token = token_of(&link, "/confirm-email/");
    let confirmed = ana.post_form(&link, "/api/confirm_email", &[("token", &token)]).await;
    assert_eq!(confirmed.redirect_path(), "/email-confirmed");
    ana.get("/me/privacy").await.assert_contains("and it is confirmed");

    let again = ana.post_api("/api/confirm_email", &format!("token={token}")).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("already been used"), "{}", again.body);
}

#[tokio::test]
async fn a_reset_link_works_once_within_its_hour_and_ends_every_other_session() {
    let smtp = SmtpServer::start();
    let server = with_mail(&smtp);
    UserBuilder::learner("ana@example.org")
        .name("Ana")
        .create(&server)
        .await;
    let stranger = server.browser();
    for email in ["ana@example.org", "nobody@example.org"] {
        let asked = stranger
            .post_form("/forgot-password", "/api/request_password_reset", &[("email", email)])
            .await;
        assert_eq!(
            asked.redirect_path(),
            "/forgot-password/sent",
            "the same answer for {email}"
        );
    }
    let first = smtp.message_to("ana@example.org", "/reset-password/").await;
    assert_discreet(&first);

    // An hour later the link is refused.
    let server = restart(server, &smtp.url(), 1);
    let stranger = server.browser();
    let late = token_of(&first.link("/reset-password/"), "/reset-password/");
    let refused = stranger
        .post_api(
            "/api/reset_password",
            &format!("token={late}&password=a+brand+new+password"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("expired"), "{}", refused.body);

    // A fresh link: it sets the password, signs in here, and ends the other sessions.
    let ana_id = builders::user_id(&server, "ana@example.org").await;
    let elsewhere = builders::signed_in(&server, ana_id).await;
    elsewhere.get("/me").await.assert_ok();
    stranger
        .post_form(
            "/forgot-password",
            "/api/request_password_reset",
            &[("email", "ana@example.org")],
        )
        .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let second = loop {
        let links: Vec<Mail> = smtp
            .messages()
            .into_iter()
            .filter(|m| m.body.contains("/reset-password/") && m.message_id != first.message_id)
            .collect();
        if let Some(mail) = links.into_iter().next() {
            break mail;
        }
        assert!(std::time::Instant::now() < deadline, "no second reset mail");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let link = second.link("/reset-password/");
    stranger
        .get(&link)
        .await
        .assert_ok()
        .assert_contains("Choose a new password");
    let token = token_of(&link, "/reset-password/");
    let reset = stranger
        .post_form(
            &link,
            "/api/reset_password",
            &[("token", &token), ("password", "a brand new password")],
        )
        .await;
    assert_eq!(reset.redirect_path(), "/me?password=reset", "{}", reset.body);
    stranger.get("/me").await.assert_ok();
    let ended = elsewhere.post_api("/api/dashboard", "").await;
    assert_eq!(ended.status, StatusCode::UNAUTHORIZED, "the other session ended");

    let twice = server
        .browser()
        .post_api(
            "/api/reset_password",
            &format!("token={token}&password=another+new+password"),
        )
        .await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    assert!(
        server
            .browser()
            .log_in("ana@example.org", PASSWORD)
            .await
            .redirect_path()
            != "/me"
    );
    let fresh = server.browser();
    assert_eq!(
        fresh
            .log_in("ana@example.org", "a brand new password")
            .await
            .redirect_path(),
        "/me"
    );
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_signing_out_everywhere_ends_all() {
    let server = TestServer::start();
    let ana = UserBuilder::learner("ana@example.org").create(&server).await;
    let here = builders::signed_in(&server, ana).await;
    let elsewhere = builders::signed_in(&server, ana).await;

    let wrong = here
        .post_api(
            "/api/change_password",
            "current_password=not+it+at+all&new_password=a+brand+new+password",
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("isn't your current password"), "{}", wrong.body);
    let changed = here
        .post_form(
            "/me/privacy",
            "/api/change_password",
            &[("current_password", PASSWORD), ("new_password", "a brand new password")],
        )
        .await;
    assert_eq!(
        changed.redirect_path(),
        "/me/privacy?changed=password",
        "{}",
        changed.body
    );
    here.get("/me/privacy?changed=password")
        .await
        .assert_ok()
        .assert_contains("every other place you were signed in is signed out");
    assert_eq!(
        elsewhere.post_api("/api/dashboard", "").await.status,
        StatusCode::UNAUTHORIZED
    );

    let again = builders::signed_in(&server, ana).await;
    let out = here.post_form("/me/privacy", "/api/sign_out_everywhere", &[]).await;
    assert_eq!(out.redirect_path(), "/login?signed_out=everywhere");
    for browser in [&here, &again] {
        assert_eq!(
            browser.post_api("/api/dashboard", "").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn the_product_mails_certificates_and_invitations_and_honours_each_choice() {
    let smtp = SmtpServer::start();
    let server = with_mail(&smtp);
    builders::certified_learner(&server, "Ana", "ana@example.org").await;
    let ready = smtp.message_to("ana@example.org", "/me").await;
    assert!(
        ready.body.contains("There is something new in your account."),
        "{}",
        ready.body
    );

    // Bea wants nothing but the resets she asks for.
    let bea = UserBuilder::learner("bea@example.org")
        .name("Bea")
        .create(&server)
        .await;
    let bea_browser = builders::signed_in(&server, bea).await;
    let saved = bea_browser
        .post_form("/me/privacy", "/api/set_mail_preference", &[("mail", "resets_only")])
        .await;
    assert_eq!(saved.redirect_path(), "/me/privacy?changed=mail");
    bea_browser
        .get("/me/privacy")
        .await
        .assert_contains(r#"value="resets_only" checked"#);
    builders::complete_course(&server, bea, "demo-course")
        .await
        .expect("a certificate");
    bea_browser
        .post_form("/me/privacy", "/api/resend_confirmation", &[])
        .await;
    server
        .browser()
        .post_form(
            "/forgot-password",
            "/api/request_password_reset",
            &[("email", "bea@example.org")],
        )
        .await;
    smtp.message_to("bea@example.org", "/reset-password/").await;

    // An organization invites by mail; the link is the one on its page.
    let admin = UserBuilder::learner("north@example.org")
        .name("North admin")
        .create(&server)
        .await;
    builders::organization(&server, "North Peer Support", "north", admin).await;
    let north = builders::signed_in(&server, admin).await;
    submit(
        &north,
        "/org",
        "/api/invite_member",
        &[("name", "Cai"), ("email", "cai@example.org")],
    )
    .await;
    let invitation = smtp.message_to("cai@example.org", "/join/").await;
    let join = invitation.link("/join/");
    north.get("/org").await.assert_contains(&join);
    // The invitation attaches only to an account whose address is confirmed.
    let cai = server.browser();
    cai.register("Cai", "cai@example.org").await;
    let token = join.trim_start_matches("/join/");
    let early = cai.post_api("/api/accept_invitation", &format!("token={token}")).await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
    assert!(
        early.body.contains("Please confirm your email address first"),
        "{}",
        early.body
    );
    let confirm = smtp
        .message_to("cai@example.org", "/confirm-email/")
        .await
        .link("/confirm-email/");
    let confirmed = cai
        .post_form(
            &confirm,
            "/api/confirm_email",
            &[("token", confirm.trim_start_matches("/confirm-email/"))],
        )
        .await;
    assert_eq!(confirmed.redirect_path(), "/email-confirmed");
    submit(&cai, &join, "/api/accept_invitation", &[("token", token)]).await;

    let all = smtp.wait_for(4).await;
    assert_eq!(
        all.iter().filter(|m| m.to.contains("bea@example.org")).count(),
        1,
        "Bea got only her reset: {all:?}"
    );
    for mail in &all {
        assert_discreet(mail);
    }
}

/// 200 messages to 200 addresses, straight into the outbox.
async fn fill_outbox(server: &TestServer) {
    builders::write(server, |conn, now| {
        for n in 0..200 {
            mail::enqueue(
                conn,
                &format!("test:{n}"),
                None,
                &format!("person{n}@example.org"),
                &Letter::CertificateReady {
                    name: format!("Person {n}"),
                    path: "/me".into(),
                },
                now,
            )?;
        }
        Ok(())
    })
    .await;
}

fn assert_each_once(delivered: &[Mail]) {
    let ids: BTreeSet<&str> = delivered.iter().map(|m| m.message_id.as_str()).collect();
    let to: BTreeSet<&str> = delivered.iter().map(|m| m.to.as_str()).collect();
    assert_eq!(delivered.len(), 200, "delivered {}", delivered.len());
    assert_eq!(ids.len(), 200, "every Message-ID once");
    assert_eq!(to.len(), 200, "every address once");
}

#[tokio::test]
async fn messages_waiting_through_a_sigkill_are_each_delivered_once_after_the_restart() {
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    // Nothing listens yet: every try fails and the messages wait.
    let server = TestServer::start_with(&fixture_courses(), &["--smtp-url", &url]);
    fill_outbox(&server).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let status = builders::write(&server, |conn, _| mail::status(conn)).await;
    assert_eq!(status.waiting, 200);
    // Site admins see what waits, and, once messages keep failing, why.
    let sam = UserBuilder::admin("sam@example.org").create(&server).await;
    let sam = builders::signed_in(&server, sam).await;
    sam.get("/admin/accounts")
        .await
        .assert_contains("200 messages are waiting to be sent.")
        .assert_lacks("keep failing");
    builders::write(&server, |conn, _| {
        use diesel::prelude::*;
        use holdspace_server::db::schema::outbox;
        diesel::update(outbox::table.filter(outbox::id.le(3)))
            .set(outbox::tries.eq(mail::FAILING_AFTER))
            .execute(conn)?;
        Ok(())
    })
    .await;
    sam.get("/admin/accounts")
        .await
        .assert_contains("3 keep failing, and are retried every few hours. The latest error: ")
        .assert_contains("Connection refused");
    let (data_dir, database) = server.stop(); // SIGKILL

    let smtp = SmtpServer::start_on(port);
    let server = TestServer::start_on(
        data_dir,
        database,
        &fixture_courses(),
        &["--smtp-url", &url, "--clock-offset-days", "1"],
    );
    assert_each_once(&smtp.wait_for(200).await);
    let status = builders::write(&server, |conn, _| mail::status(conn)).await;
    assert_eq!(status.waiting, 0);
}

#[tokio::test]
async fn two_servers_on_one_database_deliver_each_message_once() {
    let smtp = SmtpServer::start();
    let first = with_mail(&smtp);
    let second = TestServer::start_on(
        tempfile::tempdir().unwrap(),
        first.database.clone(),
        &fixture_courses(),
        &["--smtp-url", &smtp.url()],
    );
    fill_outbox(&first).await;
    assert_each_once(&smtp.wait_for(200).await);
    drop(second);
}

#[tokio::test]
async fn without_an_smtp_server_messages_are_written_as_files() {
    let server = TestServer::start();
    server.browser().register("Ana", "ana@example.org").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while crate::smtp::mail_files(&server).is_empty() {
        assert!(std::time::Instant::now() < deadline, "no .eml file");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let files = crate::smtp::mail_files(&server);
    assert_eq!(files.len(), 1);
    assert_discreet(&files[0]);
    assert!(files[0].body.contains("/confirm-email/"));
}

#[tokio::test]
async fn the_link_pages_carry_their_token_in_the_form_without_javascript() {
    let server = TestServer::start();
    for (page, token) in [("/confirm-email/", "abc123"), ("/reset-password/", "def456")] {
        let body = server
            .browser()
            .get(&format!("{page}{token}"))
            .await
            .assert_ok()
            .body
            .clone();
        let field = labelled_inputs(&body).into_iter().find(|i| i.name == "token");
        assert_eq!(field.map(|f| f.value), Some(token.to_owned()), "{page}");
    }
    let login = server
        .browser()
        .get("/login?next=/me/privacy")
        .await
        .assert_ok()
        .body
        .clone();
    let next = labelled_inputs(&login).into_iter().find(|i| i.name == "next");
    assert_eq!(next.map(|f| f.value), Some("/me/privacy".to_owned()));
}
