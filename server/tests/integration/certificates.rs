//! Certificates over HTTP against the real server: issued once when a
//! program is completed (even when the last submissions race), verified by
//! page and API, revoked by trainers only, expired by the clock, and checked
//! by tools nobody here wrote (qpdf, poppler, zbar, Python's jwcrypto).

use crate::builders::certified_learner;
use crate::support::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use holdspace_server::certificates::code::CertificateCode;
use reqwest::StatusCode;
use serde_json::Value;
use std::process::Command;

const COURSE: &str = "demo-course";

async fn api(server: &TestServer, code: &str) -> (StatusCode, Value) {
    let response = reqwest::get(server.url(&format!("/api/v1/certificates/{code}")))
        .await
        .unwrap();
    let status = response.status();
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "every answer is JSON"
    );
    (status, response.json().await.unwrap())
}

fn today_plus_months(months: u32) -> (String, String) {
    let today = chrono::Utc::now().date_naive();
    let later = today.checked_add_months(chrono::Months::new(months)).unwrap();
    (today.to_string(), later.to_string())
}

#[tokio::test]
async fn completing_the_program_issues_one_certificate_that_anyone_can_verify() {
    let server = TestServer::start();
    let browser = server.browser();
    browser.register("Zoë Łukasiewicz-Nguyễn", "zoe@example.org").await;
    browser.get("/me").await.assert_lacks("Your certificates");
    browser.enroll(COURSE).await;
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/listening/quiz").await.body);
    graded(submit_quiz(&browser, COURSE, "listening", &quiz, &LISTENING_RIGHT).await);
    assert!(
        codes_in(&browser.get("/me").await.body).is_empty(),
        "half a program earns nothing yet"
    );
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/closing/quiz").await.body);
    graded(submit_quiz(&browser, COURSE, "closing", &quiz, &CLOSING_RIGHT).await);

    let dashboard = browser.get("/me").await;
    dashboard
        .assert_contains("Your certificates")
        .assert_contains("Demo Program")
        .assert_contains("Download PDF");
    let codes = codes_in(&dashboard.body);
    assert_eq!(codes.len(), 1, "{codes:?}");
    let code = &codes[0];
    let (issued_on, expires_on) = today_plus_months(12);
    dashboard
        .assert_says(&format!("Valid until {expires_on}"))
        .assert_contains(&server.url(&format!("/verify/{code}")));

    // Anyone, signed in or not, sees the status and only the holder's name.
    let page = server.browser().get(&format!("/verify/{code}")).await;
    page.assert_ok()
        .assert_contains("Valid")
        .assert_contains("Zoë Łukasiewicz-Nguyễn")
        .assert_contains("Demo Program")
        .assert_contains("Demo course (version 1.0.0)")
        .assert_contains(&issued_on)
        .assert_lacks("zoe@example.org")
        .assert_lacks("Revoke this certificate");

    let (status, json) = api(&server, code).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json,
        serde_json::json!({
            "code": code,
            "status": "valid",
            "holder_name": "Zoë Łukasiewicz-Nguyễn",
            "program": { "slug": "demo-program", "title": "Demo Program" },
            "issued_on": issued_on,
            "valid_from": issued_on,
            "expires_on": expires_on,
            "revoked_on": null,
            "revocation_reason": null,
        })
    );

    // Passing a quiz again while certified issues nothing more.
    let quiz = ShownQuiz::parse(&browser.get("/courses/demo-course/closing/quiz").await.body);
    graded(submit_quiz(&browser, COURSE, "closing", &quiz, &CLOSING_RIGHT).await);
    assert_eq!(codes_in(&browser.get("/me").await.body), codes);
}

#[tokio::test]
async fn racing_the_last_two_submissions_still_issues_exactly_one_certificate() {
    let server = TestServer::start();
    for round in 0..30 {
        let browser = server.browser();
        browser
            .register("Ana María Muñoz", &format!("ana{round}@example.org"))
            .await;
        browser.enroll(COURSE).await;
        let listening = ShownQuiz::parse(&browser.get("/courses/demo-course/listening/quiz").await.body);
        let closing = ShownQuiz::parse(&browser.get("/courses/demo-course/closing/quiz").await.body);
        let (a, b) = tokio::join!(
            submit_quiz(&browser, COURSE, "listening", &listening, &LISTENING_RIGHT),
            submit_quiz(&browser, COURSE, "closing", &closing, &CLOSING_RIGHT),
        );
        graded(a);
        graded(b);
        let codes = codes_in(&browser.get("/me").await.body);
        assert_eq!(codes.len(), 1, "round {round}: {codes:?}");
    }
}

#[tokio::test]
async fn a_mistyped_code_is_told_apart_from_an_unknown_or_malformed_one() {
    let server = TestServer::start();
    let (_, code) = certified(&server, "Ana María Muñoz", "ana@example.org").await;

    // Typed carelessly but correctly: any case, no dashes, O for 0, l for 1.
    let sloppy = code.to_lowercase().replace('-', "").replace('0', "o").replace('1', "l");
    let (status, json) = api(&server, &sloppy).await;
    assert_eq!((status, json["code"].as_str()), (StatusCode::OK, Some(code.as_str())));
    server
        .browser()
        .get(&format!("/verify?code={sloppy}"))
        .await
        .assert_ok()
        .assert_contains("Ana María Muñoz");

    // One wrong character, and two neighbours swapped.
    let symbols: Vec<char> = code.chars().collect();
    let mut wrong = symbols.clone();
    wrong[5] = if wrong[5] == '7' { '8' } else { '7' };
    let swap_at = (3..symbols.len() - 1)
        .find(|&i| symbols[i] != symbols[i + 1] && symbols[i] != '-' && symbols[i + 1] != '-')
        .unwrap();
    let mut swapped = symbols.clone();
    swapped.swap(swap_at, swap_at + 1);
    for typo in [wrong, swapped] {
        let typo: String = typo.into_iter().collect();
        let (status, json) = api(&server, &typo).await;
        assert_eq!(
            (status, json["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("typo")),
            "{typo}"
        );
        let page = server.browser().get(&format!("/verify/{typo}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        page.assert_contains("This code has a typo")
            .assert_lacks("Ana María Muñoz");
    }

    let unknown = CertificateCode::generate().to_string();
    let (status, json) = api(&server, &unknown).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let page = server.browser().get(&format!("/verify/{unknown}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    page.assert_contains("No certificate has this code");

    let (status, json) = api(&server, "hello").await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("malformed"))
    );
    server
        .browser()
        .get("/verify?code=hello")
        .await
        .assert_contains("doesn't look like a certificate code");
    server
        .browser()
        .get("/verify")
        .await
        .assert_ok()
        .assert_contains(r#"name="code""#);
}

#[tokio::test]
async fn a_trainer_revokes_with_a_reason_and_learners_cannot() {
    let server = TestServer::start();
    let (holder, code) = certified(&server, "Ana María Muñoz", "ana@example.org").await;
    let verify_path = format!("/verify/{code}");

    // Neither the holder nor another learner may revoke, or is offered to.
    holder.get(&verify_path).await.assert_lacks("Revoke this certificate");
    for learner in [holder, {
        let other = server.browser();
        other.register("Bo", "bo@example.org").await;
        other
    }] {
        let refused = learner
            .post_api("/api/revoke_certificate", &format!("code={code}&reason=Because"))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    }
    let anonymous = server
        .browser()
        .post_api("/api/revoke_certificate", &format!("code={code}&reason=Because"))
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    server.add_user("orgadmin@example.org", "Olu Org", "org_admin");
    let org_admin = server.browser();
    org_admin.log_in_ok("orgadmin@example.org").await;
    let refused = org_admin
        .post_api("/api/revoke_certificate", &format!("code={code}&reason=Because"))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(api(&server, &code).await.1["status"], "valid");

    // A trainer of another program may not; one assigned to this program may.
    server.add_user("elsewhere@example.org", "Eli Elsewhere", "trainer");
    let elsewhere = server.browser();
    elsewhere.log_in_ok("elsewhere@example.org").await;
    elsewhere
        .get(&verify_path)
        .await
        .assert_lacks("Revoke this certificate");
    let refused = elsewhere
        .post_api("/api/revoke_certificate", &format!("code={code}&reason=Because"))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let trainer = demo_program_trainer(&server, "trainer@example.org", "Sam Trainer").await;
    trainer
        .get(&verify_path)
        .await
        .assert_contains("Revoke this certificate");
    let no_reason = trainer
        .post_api("/api/revoke_certificate", &format!("code={code}&reason=+"))
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    assert!(no_reason.body.contains("Please write down why"), "{}", no_reason.body);

    let reason = "Left the volunteer program before the supervised sessions";
    let done = trainer
        .post_form(
            &verify_path,
            "/api/revoke_certificate",
            &[("code", &code), ("reason", reason)],
        )
        .await;
    assert_eq!(done.redirect_path(), verify_path);

    let today = chrono::Utc::now().date_naive().to_string();
    let (status, json) = api(&server, &code).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            json["status"].as_str(),
            json["revoked_on"].as_str(),
            json["revocation_reason"].as_str()
        ),
        (Some("revoked"), Some(today.as_str()), Some(reason))
    );
    server
        .browser()
        .get(&verify_path)
        .await
        .assert_contains("Revoked")
        .assert_contains(reason);
    let holder = server.browser();
    holder.log_in_ok("ana@example.org").await;
    holder
        .get("/me")
        .await
        .assert_says(&format!("Revoked on {today}: {reason}"))
        .assert_lacks("Download PDF");
    for download in ["certificate.pdf", "credential.jwt"] {
        let refused = holder.get(&format!("/certificates/{code}/{download}")).await;
        assert_eq!(refused.status, StatusCode::GONE, "{download}");
        assert!(refused.body.contains("was revoked on"), "{}", refused.body);
    }

    let again = trainer
        .post_api("/api/revoke_certificate", &format!("code={code}&reason=Twice"))
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(again.body.contains("already revoked"), "{}", again.body);

    // The audit log has who, what, when and why.
    let entries = audit_log(&server.database.url);
    let revocations: Vec<_> = entries.iter().filter(|entry| entry.1 != "program.staff.add").collect();
    assert_eq!(revocations.len(), 1, "{entries:?}");
    let (actor, action, subject, why, at) = revocations[0];
    assert_eq!(
        (actor.as_str(), action.as_str(), subject.as_str(), why.as_deref()),
        (
            "Sam Trainer",
            "certificate.revoke",
            format!("certificate:{code}").as_str(),
            Some(reason)
        )
    );
    assert_eq!(at.date().to_string(), today);
}

#[tokio::test]
async fn a_certificate_expires_with_the_clock_and_completing_again_renews_it() {
    let server = TestServer::start();
    let (_, first) = certified(&server, "Ana María Muñoz", "ana@example.org").await;

    // Thirteen months on: the 12-month certificate has expired.
    let server = server.days_later(400);
    let (status, json) = api(&server, &first).await;
    assert_eq!(
        (status, json["status"].as_str(), json["revoked_on"].is_null()),
        (StatusCode::OK, Some("expired"), true)
    );
    server
        .browser()
        .get(&format!("/verify/{first}"))
        .await
        .assert_contains("Expired")
        .assert_contains("expired on");
    let browser = server.browser();
    browser.log_in_ok("ana@example.org").await;
    browser.get("/me").await.assert_contains("Expired on");

    // Completing the program again issues a renewal; the old one stays on record, replaced.
    complete_demo_program(&browser).await;
    let codes = codes_in(&browser.get("/me").await.body);
    assert_eq!(codes.len(), 2, "{codes:?}");
    let renewal = codes.iter().find(|c| **c != first).unwrap();
    assert_eq!(api(&server, renewal).await.1["status"], "valid");
    assert_eq!(api(&server, &first).await.1["status"], "replaced");
}

/// Runs a tool and returns its standard output, failing clearly if it is missing.
pub(crate) fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed for this test (bash .ci/run installs it): {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn the_pdf_is_valid_searchable_and_its_qr_code_opens_the_verify_page() {
    let server = TestServer::start_with(&fixture_courses(), &["--issuer-name", "Riverside Peer Network"]);
    let (holder, code) = certified(&server, "Zoë Łukasiewicz-Nguyễn", "zoe@example.org").await;
    let path = format!("/certificates/{code}/certificate.pdf");
    let response = holder.client.get(server.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let pdf = response.bytes().await.unwrap();

    // Only the holder downloads it.
    let stranger = server.browser();
    stranger.register("Bo", "bo@example.org").await;
    assert_eq!(stranger.get(&path).await.status, StatusCode::NOT_FOUND);
    let anonymous = server.browser().get(&path).await;
    assert_eq!(
        (anonymous.status, anonymous.location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/login?next=/me"))
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("certificate.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let file = file.to_str().unwrap();
    tool("qpdf", &["--check", file]);
    // One file, printable and verifiable: the JSON-LD credential is attached.
    let listed = tool("pdfdetach", &["-list", file]);
    assert!(
        listed.contains(&format!("holdspace-certificate-{code}.json")),
        "{listed}"
    );
    let attached = dir.path().join("attached.json");
    tool("pdfdetach", &["-save", "1", "-o", attached.to_str().unwrap(), file]);
    let attached: Value = serde_json::from_slice(&std::fs::read(&attached).unwrap()).unwrap();
    let wallet: Value = reqwest::get(server.url(&format!("/verify/{code}/credential.json")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(attached, wallet);
    let text = tool("pdftotext", &[file, "-"]);
    assert!(text.contains("Zoë Łukasiewicz-Nguyễn"), "{text}");
    assert!(text.contains(&code) && text.contains("Demo Program"), "{text}");
    assert!(
        text.contains("RIVERSIDE PEER NETWORK"),
        "the configured issuer name: {text}"
    );
    let info = tool("pdfinfo", &[file]);
    assert!(
        info.contains("Title:") && info.contains("Demo Program — Zoë Łukasiewicz-Nguyễn"),
        "{info}"
    );
    assert!(info.contains("841.89 x 595.28 pts (A4)"), "A4 landscape: {info}");
    let fonts = tool("pdffonts", &[file]);
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes yes yes ")),
        "embedded, subset, with ToUnicode:\n{fonts}"
    );

    let image = dir.path().join("page");
    tool(
        "pdftoppm",
        &["-r", "150", "-png", "-singlefile", file, image.to_str().unwrap()],
    );
    let decoded = tool("zbarimg", &["--quiet", "--raw", &format!("{}.png", image.display())]);
    assert_eq!(decoded.trim(), server.url(&format!("/verify/{code}")));
}

/// A name in each script people's names are written in, and one stored
/// before direction controls were refused: each prints with every glyph,
/// reads back in reading order, and keeps the PDF small.
#[tokio::test]
async fn names_in_every_script_print_and_read_back_in_reading_order() {
    let server = TestServer::start();
    let names = [
        ("Zoë Łukasiewicz-Nguyễn", "Zoë Łukasiewicz-Nguyễn", "Libertinus"),
        ("Γιώργος Παπαδόπουλος", "Γιώργος Παπαδόπουλος", "Libertinus"),
        ("Ольга Смирнова", "Ольга Смирнова", "Libertinus"),
        ("محمد الأحمد", "محمد الأحمد", "NotoNaskhArabic"),
        ("שרה לוי", "שרה לוי", "Libertinus"),
        ("अनीता शर्मा", "अनीता शर्मा", "NotoSerifDevanagari"),
        ("王小明", "王小明", "NotoSerifCJKsc"),
        ("山田 はなこ", "山田 はなこ", "NotoSerifCJKjp"),
        ("김민준", "김민준", "NotoSerifCJKkr"),
        // Stored before names lost their direction controls: an override
        // that would print "eeL anA".
        ("\u{202E}Ana Lee\u{202C}", "Ana Lee", "Libertinus"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, (stored, printed, font)) in names.into_iter().enumerate() {
        let (holder, code) = certified_learner(&server, stored, &format!("holder{i}@example.org")).await;
        let path = server.url(&format!("/certificates/{code}/certificate.pdf"));
        let response = holder.client.get(path).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{printed}");
        let pdf = response.bytes().await.unwrap();
        assert!(pdf.len() < 30_000, "{printed}: {} bytes", pdf.len());
        let file = dir.path().join(format!("{i}.pdf"));
        std::fs::write(&file, &pdf).unwrap();
        let file = file.to_str().unwrap();
        tool("qpdf", &["--check", file]);
        // pdftotext marks a right-to-left line with embedding controls
        // (U+202B … U+202C) around the text it gives back in reading order.
        let text: String = tool("pdftotext", &[file, "-"])
            .chars()
            .filter(|c| !matches!(c, '\u{202B}' | '\u{202C}'))
            .collect();
        assert!(text.lines().any(|line| line == printed), "{printed}:\n{text}");
        let fonts = tool("pdffonts", &[file]);
        assert!(
            fonts.lines().skip(2).all(|l| l.contains(" yes yes yes ")),
            "{printed}: embedded, subset, with ToUnicode:\n{fonts}"
        );
        assert!(fonts.contains(font), "{printed} is set in {font}:\n{fonts}");
    }
}

/// ES256 only, with the one key the `kid` URL returns (which the JWKS must
/// also list), and `sub` naming `credentialSubject.id`, as OB 3.0 asks.
const VERIFY_WITH_JWCRYPTO: &str = r#"
import json, sys, urllib.request
from jwcrypto import jwk, jws
published = json.loads(open(sys.argv[1]).read())
token = jws.JWS()
token.deserialize(open(sys.argv[2]).read().strip())
header = token.jose_header
if header.get("alg") != "ES256":
    print("INVALID alg", header.get("alg"))
    sys.exit(3)
with urllib.request.urlopen(header["kid"]) as answer:
    one = json.loads(answer.read())
if "kty" not in one or one.get("kid") != header["kid"]:
    print("INVALID the kid URL does not return one JWK:", one)
    sys.exit(3)
if one not in published["keys"]:
    print("INVALID the key is not in the JWKS")
    sys.exit(3)
try:
    token.verify(jwk.JWK(**one), alg="ES256")
except Exception as error:
    print("INVALID", type(error).__name__)
    sys.exit(3)
payload = json.loads(token.payload)
if payload.get("sub") != payload["credentialSubject"].get("id"):
    print("INVALID sub", payload.get("sub"))
    sys.exit(3)
sys.stdout.write(token.payload.decode())
"#;

/// Verifies a JWT with jwcrypto; `Ok(payload)` or `Err(output)`.
pub fn jwcrypto_verify(jwks: &str, jwt: &str) -> Result<Value, String> {
    let dir = tempfile::tempdir().unwrap();
    let (script, keys, token) = (
        dir.path().join("verify.py"),
        dir.path().join("jwks.json"),
        dir.path().join("token.jwt"),
    );
    std::fs::write(&script, VERIFY_WITH_JWCRYPTO).unwrap();
    std::fs::write(&keys, jwks).unwrap();
    std::fs::write(&token, jwt).unwrap();
    // Debian's python3-jwcrypto belongs to the system interpreter, which a
    // `python3` earlier on PATH (pyenv, a virtualenv) may not see.
    let python = if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    };
    let output = Command::new(python)
        .arg(&script)
        .arg(&keys)
        .arg(&token)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    match output.status.code() {
        Some(0) => Ok(serde_json::from_str(&stdout).unwrap()),
        Some(3) => Err(stdout),
        _ => panic!(
            "jwcrypto is needed for this test (apt-get install python3-jwcrypto): {}",
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

pub async fn download_credential(server: &TestServer, holder: &Browser, code: &str) -> String {
    let response = holder
        .client
        .get(server.url(&format!("/certificates/{code}/credential.jwt")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

pub async fn jwks(server: &TestServer) -> String {
    reqwest::get(server.url("/.well-known/jwks.json"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_signed_credential_verifies_independently_fails_when_changed_and_survives_key_rotation() {
    let server = TestServer::start();
    let (holder, code) = certified(&server, "Ana María Muñoz", "ana@example.org").await;
    let jwt = download_credential(&server, &holder, &code).await;

    let payload = jwcrypto_verify(&jwks(&server).await, &jwt).unwrap();
    assert_eq!(
        payload["type"],
        serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(payload["issuer"]["id"], server.url("/issuer"));
    assert_eq!(payload["iss"], server.url("/issuer"));
    assert_eq!(payload["id"], server.url(&format!("/verify/{code}")));
    assert_eq!(
        payload["credentialSubject"]["identifier"][0]["identityType"],
        "emailAddress"
    );
    assert_eq!(payload["credentialSubject"]["achievement"]["name"], "Demo Program");

    let profile: Value = reqwest::get(server.url("/issuer")).await.unwrap().json().await.unwrap();
    assert_eq!(
        (profile["id"].as_str(), profile["type"][0].as_str()),
        (Some(server.url("/issuer").as_str()), Some("Profile"))
    );

    // One byte of the payload changed: the signature no longer matches.
    let parts: Vec<&str> = jwt.split('.').collect();
    let mut bytes = B64.decode(parts[1]).unwrap();
    let at = bytes.windows(4).position(|w| w == b"Demo").unwrap();
    bytes[at] = b'E';
    let forged = format!("{}.{}.{}", parts[0], B64.encode(&bytes), parts[2]);
    let refused = jwcrypto_verify(&jwks(&server).await, &forged).unwrap_err();
    assert!(refused.starts_with("INVALID"), "{refused}");

    // After rotating the key, the old credential still verifies and new ones
    // use the new key. The restart keeps the address, as a real site keeps
    // its URL: the old credential's kid URL must still answer.
    let addr = server.base.trim_start_matches("http://").to_owned();
    let (data_dir, database) = server.stop();
    let keys_dir = data_dir.path().join("signing-keys");
    let rotate = Command::new(env!("CARGO_BIN_EXE_holdspace"))
        .args(["keys", "rotate", "--keys-dir"])
        .arg(&keys_dir)
        .output()
        .unwrap();
    assert!(rotate.status.success(), "{}", String::from_utf8_lossy(&rotate.stderr));
    let list = Command::new(env!("CARGO_BIN_EXE_holdspace"))
        .args(["keys", "list", "--keys-dir"])
        .arg(&keys_dir)
        .output()
        .unwrap();
    let listed: Vec<String> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(
        String::from_utf8_lossy(&rotate.stdout).contains(&listed[1]),
        "the newest key is listed last"
    );
    let server = TestServer::start_on(data_dir, database, &fixture_courses(), &["--addr", &addr]);
    let published = jwks(&server).await;
    let algorithms: Vec<String> = serde_json::from_str::<Value>(&published).unwrap()["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["alg"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        algorithms,
        ["ES256", "ES256", "EdDSA", "EdDSA"],
        "both generations, both kinds"
    );
    jwcrypto_verify(&published, &jwt).expect("the old credential still verifies");
    let (newcomer, new_code) = certified(&server, "Bo", "bo@example.org").await;
    let new_jwt = download_credential(&server, &newcomer, &new_code).await;
    jwcrypto_verify(&published, &new_jwt).expect("the new credential verifies");
    let kid = |token: &str| -> Value {
        serde_json::from_slice::<Value>(&B64.decode(token.split('.').next().unwrap()).unwrap()).unwrap()["kid"].clone()
    };
    assert_ne!(kid(&jwt), kid(&new_jwt), "signed with the new key");
}
