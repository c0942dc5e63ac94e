//! `/admin/accounts`: a site admin finds accounts, changes a role, turns
//! an account off and on, and sends a reset link, each audit-logged; nobody
//! else may.

use crate::builders::{self, UserBuilder};
use crate::smtp::mail_files;
use crate::support::*;
use reqwest::StatusCode;

#[tokio::test]
async fn a_site_admin_looks_after_accounts_and_every_change_is_logged() {
    let server = TestServer::start();
    let sam = UserBuilder::admin("sam@example.org").name("Sam").create(&server).await;
    let sam_id = sam.to_string();
    let sam = builders::signed_in(&server, sam).await;
    server.browser().register("Ana Unconfirmed", "ana@example.org").await;
    let ana = builders::user_id(&server, "ana@example.org").await.to_string();
    let bea_id = UserBuilder::learner("bea@example.org")
        .name("Bea")
        .create(&server)
        .await;
    let bea = bea_id.to_string();
    let bea_browser = server.browser();
    bea_browser.log_in_ok("bea@example.org").await;

    let found = sam.get("/admin/accounts?q=ANA").await;
    found
        .assert_ok()
        .assert_contains("Ana Unconfirmed")
        .assert_contains("email not confirmed yet")
        .assert_lacks("bea@example.org");
    sam.get("/admin/accounts?q=bea")
        .await
        .assert_contains("email confirmed")
        .assert_contains("last signed in 20");

    let refused = sam
        .post_api("/api/change_role", &format!("account={ana}&role=trainer"))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("isn't confirmed yet"), "{}", refused.body);
    let own = sam
        .post_api("/api/change_role", &format!("account={sam_id}&role=learner"))
        .await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST, "never one's own account");
    submit(
        &sam,
        "/admin/accounts",
        "/api/change_role",
        &[("account", &bea), ("role", "trainer")],
    )
    .await;

    // Turned off: the session ends and signing in says why, after the right password only.
    submit(
        &sam,
        "/admin/accounts",
        "/api/set_account_disabled",
        &[("account", &bea), ("turn_off", "yes")],
    )
    .await;
    assert_eq!(
        bea_browser.post_api("/api/dashboard", "").await.status,
        StatusCode::UNAUTHORIZED
    );
    let wrong = server
        .browser()
        .log_in("bea@example.org", "not the password at all")
        .await;
    assert!(!wrong.body.contains("turned off") && wrong.redirect_path() != "/me");
    let off = server.browser();
    let page = off
        .post_api(
            "/api/log_in",
            &format!("email=bea%40example.org&password={}", PASSWORD.replace(' ', "+")),
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("turned off"), "{}", page.body);
    sam.get("/admin/accounts?q=bea").await.assert_contains("turned off");
    submit(
        &sam,
        "/admin/accounts",
        "/api/set_account_disabled",
        &[("account", &bea), ("turn_off", "no")],
    )
    .await;
    server.browser().log_in_ok("bea@example.org").await;

    submit(
        &sam,
        "/admin/accounts",
        "/api/send_password_reset",
        &[("account", &bea)],
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !mail_files(&server)
        .iter()
        .any(|m| m.to.contains("bea@example.org") && m.body.contains("/reset-password/"))
    {
        assert!(std::time::Instant::now() < deadline, "no reset mail to Bea");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    let entries = audit_log(&server.database.url);
    let subject = format!("user:{bea_id}");
    for (action, reason) in [
        ("account.role", Some("learner to trainer")),
        ("account.disable", None),
        ("account.enable", None),
        ("account.reset.send", None),
    ] {
        assert!(
            entries
                .iter()
                .any(|(actor, a, s, r, _)| actor == "Sam" && a == action && s == &subject && r.as_deref() == reason),
            "{action} in {entries:?}"
        );
    }
}

#[tokio::test]
async fn only_site_admins_reach_account_admin() {
    let server = TestServer::start();
    let target = UserBuilder::learner("ana@example.org")
        .create(&server)
        .await
        .to_string();
    for role in [
        UserBuilder::trainer("tess@example.org"),
        UserBuilder::learner("lee@example.org"),
    ] {
        let user = role.create(&server).await;
        let browser = builders::signed_in(&server, user).await;
        for (call, body) in [
            ("admin_accounts", "query=".to_owned()),
            ("change_role", format!("account={target}&role=admin")),
            ("set_account_disabled", format!("account={target}&turn_off=yes")),
            ("send_password_reset", format!("account={target}")),
        ] {
            let page = browser.post_api(&format!("/api/{call}"), &body).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{call}: {}", page.body);
        }
    }
    assert_eq!(
        server.browser().post_api("/api/admin_accounts", "").await.status,
        StatusCode::UNAUTHORIZED
    );
}
