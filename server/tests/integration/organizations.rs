//! Organizations over HTTP: two of them, each seeing only the members who
//! joined it; invitations, joining and leaving; bulk verification; the API
//! with its tokens, 401s and 429s.

use crate::builders::{self, UserBuilder};
use crate::support::*;
use holdspace_server::certificates::code::CertificateCode;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The values of hidden inputs named `name` on a page.
fn hidden(body: &str, name: &str) -> Vec<String> {
    let pattern = regex_lite::Regex::new(&format!(r#"name="{name}" value="([^"]+)""#)).unwrap();
    pattern.captures_iter(body).map(|c| c[1].to_owned()).collect()
}

pub(crate) fn join_links(body: &str) -> Vec<String> {
    let pattern = regex_lite::Regex::new(r"/join/[0-9a-f]{64}").unwrap();
    let mut links: Vec<String> = pattern.find_iter(body).map(|m| m.as_str().to_owned()).collect();
    links.sort();
    links.dedup();
    links
}

/// North and South, each with its own admin, signed in (built directly:
/// [`an_admin_creates_organizations_and_names_their_admins`] drives the pages).
pub(crate) async fn two_organizations(server: &TestServer) -> (Browser, Browser) {
    let mut admins = Vec::new();
    for (name, slug, email) in [
        ("North Peer Support", "north-peer-support", "north@example.org"),
        ("South Circle", "south-circle", "south@example.org"),
    ] {
        let admin = UserBuilder::learner(email)
            .name(&format!("{name} admin"))
            .create(server)
            .await;
        builders::organization(server, name, slug, admin).await;
        admins.push(builders::signed_in(server, admin).await);
    }
    let south = admins.pop().unwrap();
    (admins.pop().unwrap(), south)
}

#[tokio::test]
async fn an_admin_creates_organizations_and_names_their_admins() {
    let server = TestServer::start();
    server.add_user("admin@example.org", "Ada Admin", "admin");
    let admin = server.browser();
    admin.log_in_ok("admin@example.org").await;
    for (name, email) in [
        ("North Peer Support", "north@example.org"),
        ("South Circle", "south@example.org"),
    ] {
        submit(
            &admin,
            "/admin/organizations",
            "/api/create_organization",
            &[("name", name), ("slug", "")],
        )
        .await;
        let browser = server.browser();
        browser.register(&format!("{name} admin"), email).await;
        let slug = name.to_lowercase().replace(' ', "-");
        // Whoever typed the address first gains nothing until it is confirmed.
        let unconfirmed = admin
            .post_api(
                "/api/add_organization_admin",
                &format!("organization={slug}&email={}", email.replace('@', "%40")),
            )
            .await;
        assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
        assert!(unconfirmed.body.contains("isn't confirmed yet"), "{}", unconfirmed.body);
        crate::smtp::confirm_address(&server, &browser, email).await;
        submit(
            &admin,
            "/admin/organizations",
            "/api/add_organization_admin",
            &[("organization", &slug), ("email", email)],
        )
        .await;
        browser.log_in_ok(email).await;
        browser.get("/org").await.assert_ok().assert_contains(name);
    }
    admin
        .get("/admin/organizations")
        .await
        .assert_ok()
        .assert_contains("north-peer-support · 0 members")
        .assert_contains("North Peer Support admin &lt;north@example.org&gt;");
    let actions: Vec<String> = audit_log(&server.database.url)
        .into_iter()
        .map(|(_, action, ..)| action)
        .collect();
    for expected in ["organization.create", "organization.admin.add"] {
        assert_eq!(
            actions.iter().filter(|a| *a == expected).count(),
            2,
            "{expected} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn each_organization_sees_only_the_members_who_joined_it() {
    let server = TestServer::start();
    let (north, south) = two_organizations(&server).await;
    let (learner, code) = certified(&server, "Ana María Muñoz", "ana@example.org").await;

    // Invited but not joined: nothing is visible yet.
    submit(
        &north,
        "/org",
        "/api/invite_member",
        &[("name", "Ana María Muñoz"), ("email", "ana@example.org")],
    )
    .await;
    let roster = north.get("/org").await;
    roster
        .assert_ok()
        .assert_contains("Nobody has joined yet")
        .assert_lacks(&code);
    let link = join_links(&roster.body)
        .pop()
        .expect("the invitation link is shown to copy");
    let north_invitation = hidden(&roster.body, "invitation").pop().unwrap();

    // The learner sees what joining means, then joins.
    learner
        .get(&link)
        .await
        .assert_ok()
        .assert_contains("North Peer Support invites you to join")
        .assert_contains("It cannot see your quiz answers");
    assert_eq!(
        submit(&learner, &link, "/api/accept_invitation", &[("token", &link[6..])]).await,
        "/me/privacy?joined=1#organizations"
    );
    learner
        .get("/me/privacy")
        .await
        .assert_contains("North Peer Support")
        .assert_contains("Leave North Peer Support")
        .assert_lacks("South Circle");
    let data: Value = learner
        .client
        .get(server.url("/me/data.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        data["organizations"][0]["name"], "North Peer Support",
        "the data export names the organizations that can see it"
    );

    let roster = north.get("/org").await;
    roster
        .assert_ok()
        .assert_contains("Ana María Muñoz")
        .assert_contains(&code)
        .assert_contains("Completed")
        .assert_contains("Joined");
    north
        .get("/org?show=certified")
        .await
        .assert_contains("Ana María Muñoz")
        .assert_contains("Certified (1)");
    north
        .get("/org?show=in-training")
        .await
        .assert_contains("In training (0)")
        .assert_contains("Nobody matches this filter right now.");
    let csv = north.get("/org/roster.csv?show=certified").await;
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(
        csv.body
            .lines()
            .nth(1)
            .is_some_and(|row| row.starts_with("Ana María Muñoz,ana@example.org,") && row.contains(&code)),
        "{}",
        csv.body
    );

    // The link worked once.
    let again = learner
        .post_api("/api/accept_invitation", &format!("token={}", &link[6..]))
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("already been used"), "{}", again.body);

    // South sees none of it, and none of North's ids work for South.
    south
        .get("/org")
        .await
        .assert_ok()
        .assert_lacks("ana@example.org")
        .assert_lacks(&code)
        .assert_lacks(&link);
    assert!(!south.get("/org/roster.csv").await.body.contains("ana@example.org"));
    let refused = south
        .post_api("/api/withdraw_invitation", &format!("invitation={north_invitation}"))
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    submit(
        &north,
        "/org/tokens",
        "/api/create_api_token",
        &[("label", "North database")],
    )
    .await;
    let north_token = hidden(&north.get("/org/tokens").await.body, "token").pop().unwrap();
    assert_eq!(
        south
            .post_api("/api/revoke_api_token", &format!("token={north_token}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let north_results = submit_codes(&north, &code).await;
    assert_eq!(south.get(&north_results).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        south
            .get(&format!(
                "{}/results.csv",
                north_results.replace("?results=", "/").trim_end_matches("#results")
            ))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Learners and visitors reach no organization page.
    for page in [
        "/org",
        "/org/verify",
        "/org/tokens",
        "/org/roster.csv",
        "/admin/organizations",
    ] {
        assert_eq!(
            learner.get(page).await.status,
            StatusCode::FORBIDDEN,
            "learner opening {page}"
        );
    }
    assert_eq!(north.get("/admin/organizations").await.status, StatusCode::FORBIDDEN);
    assert_eq!(server.browser().get("/org").await.status, StatusCode::UNAUTHORIZED);

    // Leaving ends North's view at once.
    assert_eq!(
        submit(
            &learner,
            "/me/privacy",
            "/api/leave_organization",
            &[("organization", "north-peer-support")]
        )
        .await,
        "/me/privacy?left=1#organizations"
    );
    // (The invitation North made stays on its own list; the member and her progress are gone.)
    north
        .get("/org")
        .await
        .assert_ok()
        .assert_contains("Nobody has joined yet")
        .assert_contains("Everyone (0)")
        .assert_lacks(&code)
        .assert_lacks("joined_on");
    learner
        .get("/me/privacy")
        .await
        .assert_contains("An organization sees your progress only if you accept its invitation");
    let actions: Vec<String> = audit_log(&server.database.url)
        .into_iter()
        .map(|(_, action, ..)| action)
        .collect();
    for expected in [
        "organization.invite",
        "organization.join",
        "api_token.create",
        "organization.leave",
    ] {
        assert!(actions.iter().any(|a| a == expected), "{expected} in {actions:?}");
    }
}

#[tokio::test]
async fn a_roster_file_makes_one_invitation_per_person_and_lists_what_it_left_out() {
    let server = TestServer::start();
    let (north, _) = two_organizations(&server).await;
    let roster = "name,email\nAna María Muñoz,ana@example.org\n\"Okafor, Chidi\",chidi@example.org\nSam,not-an-email\n";
    let form = reqwest::multipart::Form::new().part(
        "roster",
        reqwest::multipart::Part::bytes(roster.as_bytes().to_vec()).file_name("roster.csv"),
    );
    let response = north
        .client
        .post(server.url("/api/import_roster"))
        .header("accept", "text/html")
        .header("referer", server.url("/org"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/org?invited=2&problems=Line+4"), "{location}");
    let page = north.get(&location).await;
    page.assert_ok()
        .assert_contains("2 invitations are ready")
        .assert_contains("Line 4: Please enter an email address")
        .assert_contains("Okafor, Chidi");
    assert_eq!(join_links(&page.body).len(), 2);

    // A withdrawn invitation says so, and cannot be used.
    // The link and the withdraw button of the same row.
    let row =
        regex_lite::Regex::new(r#"(?s)value="[^"]*(/join/[0-9a-f]{64})".*?name="invitation" value="(\d+)""#).unwrap();
    let found = row
        .captures(&page.body)
        .expect("an invitation row with its link and button");
    let (withdrawn, id) = (found[1].to_owned(), found[2].to_owned());
    submit(&north, "/org", "/api/withdraw_invitation", &[("invitation", &id)]).await;
    north.get("/org").await.assert_contains("Withdrawn");
    let learner = server.browser();
    learner.register("Chidi Okafor", "chidi@example.org").await;
    learner
        .get(&withdrawn)
        .await
        .assert_ok()
        .assert_contains("The organization has withdrawn this invitation");
    let refused = learner
        .post_api("/api/accept_invitation", &format!("token={}", &withdrawn[6..]))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("withdrawn this invitation"), "{}", refused.body);
    learner
        .get("/me/privacy")
        .await
        .assert_lacks("Leave North Peer Support");
}

/// Posts codes to the bulk form as a browser without JavaScript; returns the results page's address.
pub(crate) async fn submit_codes(browser: &Browser, codes: &str) -> String {
    let form = reqwest::multipart::Form::new().text("codes", codes.to_owned());
    let response = browser
        .client
        .post(format!("{}/api/bulk_verify", browser.base))
        .header("accept", "text/html")
        .header("referer", format!("{}/org/verify", browser.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/org/verify?results="), "{location}");
    location
}

/// Posts codes that should be refused; returns the message carried back.
async fn submit_codes_refused(browser: &Browser, codes: &str) -> String {
    let form = reqwest::multipart::Form::new().text("codes", codes.to_owned());
    let response = browser
        .client
        .post(format!("{}/api/bulk_verify", browser.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    response.text().await.unwrap()
}

/// A trainer (made for the purpose: once per server) revokes `code`.
pub(crate) async fn revoke(server: &TestServer, code: &str) {
    let trainer = demo_program_trainer(server, "trainer@example.org", "Sam Trainer").await;
    submit(
        &trainer,
        &format!("/verify/{code}"),
        "/api/revoke_certificate",
        &[("code", code), ("reason", "Issued in error")],
    )
    .await;
}

/// Makes an API token on the tokens page and reads it the one time it is shown.
pub(crate) async fn new_api_token(admin: &Browser, label: &str) -> String {
    submit(admin, "/org/tokens", "/api/create_api_token", &[("label", label)]).await;
    let page = admin.get("/org/tokens").await;
    regex_lite::Regex::new(r"hsv_[0-9a-f]{64}")
        .unwrap()
        .find(&page.body)
        .expect("the new token is shown once")
        .as_str()
        .to_owned()
}

/// The code with its last symbol changed: always caught as a typo.
pub(crate) fn typo_of(code: &str) -> String {
    let mut chars: Vec<char> = code.chars().collect();
    let last = chars.len() - 1;
    chars[last] = if chars[last] == '7' { '8' } else { '7' };
    chars.into_iter().collect()
}

#[tokio::test]
async fn bulk_verification_and_the_api_report_every_status() {
    // Ana's certificate will have expired and Ben's been revoked by the time Cy is certified.
    let server = TestServer::start();
    let (_, expired) = certified(&server, "Ana María Muñoz", "ana@example.org").await;
    let (_, revoked) = certified(&server, "Ben Okafor", "ben@example.org").await;
    revoke(&server, &revoked).await;
    let server = server.days_later(400);
    let (_, valid) = certified(&server, "Cy Lee", "cy@example.org").await;
    let (north, _) = two_organizations(&server).await;

    let unknown = CertificateCode::generate().to_string();
    let typo = typo_of(&valid);
    let list = format!(
        "code\n{valid}\n{}\n{revoked}\n{typo}\n{unknown}\nnot a code\n",
        expired.to_lowercase().replace('-', " ")
    );
    let results = submit_codes(&north, &list).await;
    let page = north.get(&results).await;
    page.assert_ok()
        .assert_contains("Results for 6 codes")
        .assert_contains("Valid: 1 · Expired: 1 · Revoked: 1 · Typo in the code: 1 · Not found: 2");
    let csv_path = format!(
        "{}/results.csv",
        results.replace("?results=", "/").trim_end_matches("#results")
    );
    let csv = north.get(&csv_path).await;
    let statuses: Vec<&str> = csv
        .body
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["valid", "expired", "revoked", "typo", "unknown", "unknown"],
        "{}",
        csv.body
    );
    assert!(csv.body.contains("Cy Lee"));

    // The API: a token shown once, the same statuses, the shape of GET /api/v1/certificates/{code}.
    let token = new_api_token(&north, "Volunteer database").await;
    north
        .get("/org/tokens")
        .await
        .assert_lacks(&token)
        .assert_contains("Volunteer database");
    let api = reqwest::Client::new();
    let call = |token: Option<String>, body: Value| {
        let mut request = api.post(server.url("/api/v1/verifications")).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let body = json!({ "codes": [valid, expired, revoked, typo, unknown] });
    let response = call(Some(token.clone()), body.clone()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let results: Value = response.json().await.unwrap();
    let statuses: Vec<&str> = results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["valid", "expired", "revoked", "typo", "unknown"]);
    let single: Value = api
        .get(server.url(&format!("/api/v1/certificates/{valid}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(results["results"][0], single, "the same shape as a single lookup");
    assert_eq!(results["results"][3]["code"], typo.as_str());

    // An empty list and a body that is not the documented JSON get a clear 400.
    let empty = submit_codes_refused(&north, " \n").await;
    assert!(empty.contains("We found no certificate codes there"), "{empty}");
    for bad in [json!({ "code": valid }), json!(["HS"])] {
        let response = call(Some(token.clone()), bad).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response.json::<Value>().await.unwrap()["error"], "bad_request");
    }

    // Without a token, with a wrong one: 401.
    for token in [None, Some("hsv_0000".to_owned())] {
        let response = call(token, body.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()["www-authenticate"], "Bearer realm=\"holdspace\"");
    }
    // 60 requests a minute per token, then 429 with Retry-After.
    for _ in 1..60 {
        assert_eq!(
            call(Some(token.clone()), json!({ "codes": [valid] }))
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
    }
    let limited = call(Some(token.clone()), json!({ "codes": [valid] })).await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Another token has its own window.
    let second = new_api_token(&north, "Second").await;
    assert_eq!(
        call(Some(second.clone()), json!({ "codes": [valid] }))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    // Revoked: 401 at once.
    let ids = hidden(&north.get("/org/tokens").await.body, "token");
    assert_eq!(ids.len(), 2);
    for id in ids {
        submit(&north, "/org/tokens", "/api/revoke_api_token", &[("token", &id)]).await;
    }
    assert_eq!(
        call(Some(second), json!({ "codes": [valid] })).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    north.get("/org/tokens").await.assert_contains("Revoked");
}

/// A long list is checked in the background: its page shows how far it has
/// got (and reloads itself) until the results are in; a check cut off by a
/// restart says so instead of spinning forever.
#[tokio::test]
async fn a_long_list_shows_its_progress_then_its_results() {
    use diesel::prelude::*;
    use holdspace_server::db::schema::bulk_verifications;
    let server = TestServer::start();
    let (_, valid) = certified(&server, "Ana María Muñoz", "ana@example.org").await;
    let (north, south) = two_organizations(&server).await;
    let mut codes: Vec<String> = (0..1_999).map(|_| CertificateCode::generate().to_string()).collect();
    codes.insert(1_000, valid);
    let results = submit_codes(&north, &codes.join("\n")).await;
    let mut page = north.get(&results).await;
    for _ in 0..300 {
        if page.body.contains("Results for 2,000 codes") {
            break;
        }
        page.assert_ok()
            .assert_contains("Checking your codes")
            .assert_contains(r#"http-equiv="refresh""#);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        page = north.get(&results).await;
    }
    page.assert_contains("Results for 2,000 codes")
        .assert_contains("Valid: 1 · Not found: 1,999")
        .assert_lacks("http-equiv");

    // A check under way, as a slower server would show it, then cut off.
    let id: i64 = results
        .trim_start_matches("/org/verify?results=")
        .trim_end_matches("#results")
        .parse()
        .unwrap();
    let pool = holdspace_server::db::Pool::open(&server.database.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let owner: i64 = bulk_verifications::table
        .find(id)
        .select(bulk_verifications::user_id)
        .first(&mut *conn)
        .unwrap();
    let started = chrono::Utc::now().naive_utc();
    let pending: i64 = diesel::insert_into(bulk_verifications::table)
        .values((
            bulk_verifications::user_id.eq(owner),
            bulk_verifications::results.eq("[]"),
            bulk_verifications::total.eq(10_000),
            bulk_verifications::checked.eq(1_500),
            bulk_verifications::created_at.eq(started),
        ))
        .returning(bulk_verifications::id)
        .get_result(&mut *conn)
        .unwrap();
    let address = format!("/org/verify?results={pending}");
    north
        .get(&address)
        .await
        .assert_ok()
        .assert_contains("1,500 of 10,000 codes checked so far")
        .assert_contains(r#"value="1500""#)
        .assert_contains(r#"http-equiv="refresh""#);
    let csv = north.get(&format!("/org/verify/{pending}/results.csv")).await;
    assert_eq!(csv.status, StatusCode::BAD_REQUEST);
    assert!(csv.body.contains("still being checked"), "{}", csv.body);
    south.get(&address).await.assert_lacks("codes checked so far");
    diesel::update(bulk_verifications::table.find(pending))
        .set(bulk_verifications::created_at.eq(started - chrono::Duration::hours(1)))
        .execute(&mut *conn)
        .unwrap();
    north
        .get(&address)
        .await
        .assert_contains("This check stopped before the end")
        .assert_lacks("http-equiv");
}
