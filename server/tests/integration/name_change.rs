//! A holder changes their name and asks for their certificates to be
//! reissued under it: the new certificate verifies under the new name with
//! a new code and a new place in the status lists; the old code answers
//! only that it was replaced at the holder's request, with neither name,
//! and nothing public leads from one to the other. A suspended certificate
//! is not reissued; a name is checked as on every other way in.

use crate::builders::{UserBuilder, assign_to_program, signed_in};
use crate::certificates::{download_credential, jwcrypto_verify, jwks};
use crate::support::*;
use reqwest::StatusCode;
use serde_json::Value;

async fn api(server: &TestServer, code: &str) -> Value {
    let response = reqwest::get(server.url(&format!("/api/v1/certificates/{code}")))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn status_index(credential: &Value) -> String {
    credential["credentialStatus"][0]["statusListIndex"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_holder_gets_certificates_under_a_new_name_that_nothing_links_to_the_old() {
    let server = TestServer::start();
    let (learner, old_code) = certified(&server, "Dana Whitfield", "dana@example.org").await;
    let old_credential = jwcrypto_verify(
        &jwks(&server).await,
        &download_credential(&server, &learner, &old_code).await,
    )
    .unwrap();
    let before = api(&server, &old_code).await;

    // A name is checked as everywhere else: an empty one is refused, and
    // direction controls are dropped.
    let refused = learner.post_api("/api/change_name", "name=+++&reissue=yes").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(refused.body.contains("Please enter a name"), "{}", refused.body);
    assert_eq!(
        codes_in(&learner.get("/me").await.body),
        std::slice::from_ref(&old_code)
    );

    let page = learner
        .post_form(
            "/me/privacy",
            "/api/change_name",
            &[("name", "\u{202E}Rae Moreno"), ("reissue", "yes")],
        )
        .await;
    let done = page.redirect_path();
    assert_eq!(done, "/me/privacy?changed=name&reissued=1&on_hold=0");
    learner
        .get(&done)
        .await
        .assert_contains("your certificate is reissued under it with a new code")
        .assert_contains("You go by Rae Moreno here");

    let codes = codes_in(&learner.get("/me").await.body);
    assert_eq!(
        codes.len(),
        1,
        "the dashboard lists the new certificate only: {codes:?}"
    );
    let new_code = codes[0].clone();
    assert_ne!(new_code, old_code);

    // The new one: valid, the new name, the same dates, a new place in the lists.
    let new = api(&server, &new_code).await;
    assert_eq!(new["status"], "valid");
    assert_eq!(new["holder_name"], "Rae Moreno");
    assert_eq!(
        (&new["valid_from"], &new["expires_on"]),
        (&before["valid_from"], &before["expires_on"])
    );
    let new_credential = jwcrypto_verify(
        &jwks(&server).await,
        &download_credential(&server, &learner, &new_code).await,
    )
    .unwrap();
    assert_ne!(status_index(&new_credential), status_index(&old_credential));
    let new_page = server.browser().get(&format!("/verify/{new_code}")).await;
    new_page
        .assert_ok()
        .assert_contains("Rae Moreno")
        .assert_lacks("Dana")
        .assert_lacks(&old_code)
        .assert_lacks("Revoked");

    // The old one: replaced at the holder's request, naming nobody.
    let old = api(&server, &old_code).await;
    assert_eq!(old["status"], "revoked");
    assert_eq!(old["revocation_reason"], "Replaced at the holder's request");
    assert_eq!(old["holder_name"], Value::Null);
    let old_page = server.browser().get(&format!("/verify/{old_code}")).await;
    old_page.assert_ok().assert_contains("Replaced at the holder");
    for shown in [old.to_string(), old_page.body.clone()] {
        for name in ["Dana", "Whitfield", "Rae", "Moreno", new_code.as_str()] {
            assert!(!shown.contains(name), "{name} in {shown}");
        }
    }
    let gone = learner
        .client
        .get(server.url(&format!("/certificates/{old_code}/credential.jwt")))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::GONE);

    // Changing the name alone leaves certificates as they are.
    let page = learner
        .post_form("/me/privacy", "/api/change_name", &[("name", "Rae M.")])
        .await;
    assert_eq!(page.redirect_path(), "/me/privacy?changed=name&reissued=0&on_hold=0");
    assert_eq!(api(&server, &new_code).await["holder_name"], "Rae Moreno");

    // A suspended certificate is not reissued: no way around a suspension.
    let trainer = UserBuilder::trainer("sam@example.org").create(&server).await;
    assign_to_program(&server, trainer, "demo-program").await;
    let trainer = signed_in(&server, trainer).await;
    trainer
        .post_api(
            "/api/suspend_certificate",
            &format!("code={new_code}&reason=Being+looked+into"),
        )
        .await
        .assert_ok();
    let page = learner
        .post_form(
            "/me/privacy",
            "/api/change_name",
            &[("name", "Rae Moreno"), ("reissue", "yes")],
        )
        .await;
    assert_eq!(page.redirect_path(), "/me/privacy?changed=name&reissued=0&on_hold=1");
    assert_eq!(
        codes_in(&learner.get("/me").await.body),
        std::slice::from_ref(&new_code)
    );
    assert_eq!(api(&server, &new_code).await["status"], "suspended");
    let actions: Vec<String> = audit_log(&server.database.url)
        .into_iter()
        .map(|(_, action, subject, _, _)| format!("{action} {subject}"))
        .collect();
    assert!(
        actions.contains(&format!("certificate.reissue certificate:{old_code}")),
        "{actions:?}"
    );
}
