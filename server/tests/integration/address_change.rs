//! Moving an account to a new address: the password first, a link to the
//! new address, a notice to the old one, and the change only on the link.

use crate::builders::{self, UserBuilder};
use crate::mail::{assert_discreet, with_mail};
use crate::smtp::SmtpServer;
use crate::support::*;
use reqwest::StatusCode;

#[tokio::test]
async fn a_new_address_takes_over_only_when_its_link_is_opened() {
    let smtp = SmtpServer::start();
    let server = with_mail(&smtp);
    let ana = UserBuilder::learner("ana@example.org")
        .name("Ana")
        .create(&server)
        .await;
    UserBuilder::learner("bea@example.org").create(&server).await;
    let browser = builders::signed_in(&server, ana).await;

    let wrong = browser
        .post_api(
            "/api/change_email",
            "new_email=ana%40new.example.org&password=not+my+password",
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let taken = browser
        .post_api(
            "/api/change_email",
            &format!("new_email=bea%40example.org&password={}", PASSWORD.replace(' ', "+")),
        )
        .await;
    assert_eq!(taken.status, StatusCode::BAD_REQUEST);
    assert!(taken.body.contains("Another account already uses"), "{}", taken.body);

    let asked = browser
        .post_form(
            "/me/privacy",
            "/api/change_email",
            &[("new_email", "Ana@New.example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(asked.redirect_path(), "/me/privacy?sent=address");
    let link_mail = smtp.message_to("ana@new.example.org", "/confirm-email/").await;
    let notice = smtp.message_to("ana@example.org", "another email address").await;
    assert_discreet(&link_mail);
    assert_discreet(&notice);
    assert!(!notice.body.contains("/confirm-email/"), "the old address gets no link");
    browser
        .get("/me/privacy")
        .await
        .assert_contains("Your email address is ana@example.org");

    let link = link_mail.link("/confirm-email/");
    let token = link.trim_start_matches("/confirm-email/");
    let confirmed = browser
        .post_form(&link, "/api/confirm_email", &[("token", token)])
        .await;
    assert_eq!(confirmed.redirect_path(), "/email-confirmed");
    browser
        .get("/me/privacy")
        .await
        .assert_contains("Your email address is ana@new.example.org, and it is confirmed.");
    assert_eq!(
        server
            .browser()
            .log_in("ana@new.example.org", PASSWORD)
            .await
            .redirect_path(),
        "/me"
    );
    assert_ne!(
        server.browser().log_in("ana@example.org", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}
