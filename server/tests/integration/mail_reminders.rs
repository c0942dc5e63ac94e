//! Mail that falls due with time: reminders before a certificate lapses
//! (90, 30 and 7 days, and the day itself; with a renewal window, when it
//! opens, and with grace, when the grace runs out) and the weekly digest to
//! an organization's admins, each written once however often the pass runs.

use crate::builders::{self, UserBuilder};
use crate::mail::{assert_discreet, restart, with_mail};
use crate::smtp::{Mail, SmtpServer};
use holdspace_server::db::schema::memberships;
use std::collections::BTreeSet;

fn to(all: &[Mail], email: &str) -> Vec<Mail> {
    all.iter().filter(|m| m.to.contains(email)).cloned().collect()
}

#[tokio::test]
async fn reminders_come_at_each_threshold_and_the_digest_weekly_each_once() {
    use diesel::prelude::*;
    let smtp = SmtpServer::start();
    let server = with_mail(&smtp);
    builders::certified_learner(&server, "Ana", "ana@example.org").await;
    let ana = builders::user_id(&server, "ana@example.org").await;
    let admin = UserBuilder::learner("north@example.org")
        .name("Noor")
        .create(&server)
        .await;
    let north = builders::organization(&server, "North Peer Support", "north", admin).await;
    builders::write(&server, move |conn, now| {
        diesel::insert_into(memberships::table)
            .values((
                memberships::organization_id.eq(north),
                memberships::user_id.eq(ana),
                memberships::joined_at.eq(now),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await;
    smtp.wait_for(1).await; // the certificate is ready

    // The certificate lapses 365 days on. Each restart is a later day.
    let url = smtp.url();
    let mut server = server;
    let mut expected = 1;
    for (day, reminder, digest) in [
        (200, false, false),
        (280, true, false), // 85 days left: the 90-day reminder
        (281, false, false),
        (310, false, true), // within 60 days: the digest
        (340, true, true),  // 25 left: the 30-day reminder; a new week's digest
        (359, true, true),  // 6 left; a week before the next, so always another ISO week
        (366, true, true),  // lapsed yesterday: the last reminder
        (366, false, false),
    ] {
        server = restart(server, &url, day);
        expected += usize::from(reminder) + usize::from(digest);
        let all = smtp.wait_for(expected).await;
        assert_eq!(all.len(), expected, "day {day}: {all:#?}");
    }
    let all = smtp.messages();
    let reminders: Vec<String> = to(&all, "ana@example.org")
        .iter()
        .filter(|m| m.body.contains("needs renewing"))
        .map(|m| m.body.lines().nth(2).unwrap_or_default().to_owned())
        .collect();
    let reminders: BTreeSet<String> = reminders.into_iter().collect();
    let wanted: BTreeSet<String> = [
        "Something in your account needs renewing within 85 days.",
        "Something in your account needs renewing within 25 days.",
        "Something in your account needs renewing within 6 days.",
        "Something in your account needs renewing from today.",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(reminders, wanted);
    let digests = to(&all, "north@example.org");
    assert_eq!(digests.len(), 4, "{digests:#?}");
    assert!(
        digests[0]
            .body
            .contains("One person in your group has something to renew within 60 days.")
    );
    for mail in &all {
        assert_discreet(mail);
    }
    drop(server);
}

#[tokio::test]
async fn a_learner_who_turned_optional_mail_off_gets_no_reminder() {
    let smtp = SmtpServer::start();
    let server = with_mail(&smtp);
    let (bea, _) = builders::certified_learner(&server, "Bea", "bea@example.org").await;
    smtp.wait_for(1).await;
    let saved = bea
        .post_form("/me/privacy", "/api/set_mail_preference", &[("mail", "essential")])
        .await;
    assert_eq!(saved.redirect_path(), "/me/privacy?changed=mail");
    let _server = restart(server, &smtp.url(), 360);
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(smtp.messages().len(), 1, "only the certificate mail");
}

#[tokio::test]
async fn with_a_window_and_grace_reminders_come_when_it_opens_ends_and_lapses() {
    let courses = crate::support::demo_course_with_programs(
        "[[program]]\nslug = \"demo-program\"\ntitle = \"Demo Program\"\ncourses = [\"demo-course\"]\n\
         valid_for_months = 12\n\n[program.renewal]\nwindow_days = 60\ngrace_days = 30\n",
    );
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let start = |data_dir, database, day: u32| {
        crate::support::TestServer::start_on(
            data_dir,
            database,
            courses.path(),
            &["--smtp-url", &url, "--clock-offset-days", &day.to_string()],
        )
    };
    let server = crate::support::TestServer::start_with(courses.path(), &["--smtp-url", &url]);
    let (_, code) = builders::certified_learner(&server, "Ana", "ana@example.org").await;
    smtp.wait_for(1).await;
    let ends: serde_json::Value = reqwest::get(server.url(&format!("/api/v1/certificates/{code}")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ends = chrono::NaiveDate::parse_from_str(ends["expires_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let until_end = u32::try_from((ends - chrono::Utc::now().date_naive()).num_days()).unwrap();
    let mut server = server;
    let mut wanted = Vec::new();
    for (day, line) in [
        (until_end - 61, None),
        (until_end - 59, Some("needs renewing within 59 days.")),
        (
            until_end + 2,
            Some("has ended. You can still renew it without a gap for 28 more days."),
        ),
        (
            until_end + 31,
            Some("has lapsed. You can still renew it whenever you're ready."),
        ),
        (until_end + 32, None),
    ] {
        let (data_dir, database) = server.stop();
        server = start(data_dir, database, day);
        wanted.extend(line.map(|l| format!("Something in your account {l}")));
        let all = smtp.wait_for(1 + wanted.len()).await;
        assert_eq!(all.len(), 1 + wanted.len(), "day {day}: {all:#?}");
    }
    let got: BTreeSet<String> = smtp
        .messages()
        .iter()
        .map(|m| m.body.lines().nth(2).unwrap_or_default().to_owned())
        .filter(|line| line.starts_with("Something in your account"))
        .collect();
    assert_eq!(got, wanted.into_iter().collect::<BTreeSet<String>>());
    for mail in &smtp.messages() {
        assert_discreet(mail);
    }
}
