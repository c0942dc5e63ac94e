//! The facilitator toolkit and the trainers' guides as PDF: the toolkit
//! for anyone, a guide for staff only (a learner is refused, a visitor sent
//! to log in); both valid PDFs whose text pdftotext finds; linked from the
//! record and the program page; a file without a title is reported.

use crate::builders::{UserBuilder, assign_to_program, signed_in};
use crate::certificates::tool;
use crate::support::*;
use holdspace_server::authoring::course_files::load_dir;
use reqwest::StatusCode;

async fn pdf_text(browser: &Browser, server: &TestServer, path: &str) -> String {
    let response = browser.client.get(server.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, response.bytes().await.unwrap()).unwrap();
    let file = file.to_str().unwrap();
    tool("qpdf", &["--check", file]);
    tool("pdftotext", &[file, "-"])
}

#[tokio::test]
async fn the_toolkit_is_for_everyone_and_a_trainers_guide_for_staff() {
    let server = TestServer::start_with(&fixture_courses(), &[]);
    let visitor = server.browser();
    let text = pdf_text(&visitor, &server, "/toolkit/first-session-plan.pdf").await;
    for wanted in [
        "First session plan",
        "Welcome",
        "• Greet each person",
        "Agreements come before anyone shares.",
    ] {
        assert!(text.contains(wanted), "{wanted:?} in {text}");
    }
    assert_eq!(visitor.get("/toolkit/nothing.pdf").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        visitor.get("/toolkit/demo-course.pdf").await.status,
        StatusCode::NOT_FOUND,
        "a guide isn't toolkit"
    );

    let guide = "/teach/guides/demo-course.pdf";
    assert_eq!(visitor.get(guide).await.status, StatusCode::SEE_OTHER);
    let learner = server.browser();
    learner.register("Lee", "lee@example.org").await;
    assert_eq!(learner.get(guide).await.status, StatusCode::FORBIDDEN);
    learner.enroll("demo-course").await;
    learner
        .get("/me/record")
        .await
        .assert_contains("href=\"/toolkit/first-session-plan.pdf\"")
        .assert_contains("First session plan (PDF)");

    let tess = UserBuilder::trainer("tess@example.org").create(&server).await;
    assign_to_program(&server, tess, "demo-program").await;
    let tess = signed_in(&server, tess).await;
    let text = pdf_text(&tess, &server, guide).await;
    assert!(
        text.contains("Trainer guide: Demo course") && text.contains("Practise listening"),
        "{text}"
    );
    tess.get("/teach/programs/demo-program")
        .await
        .assert_contains("href=\"/teach/guides/demo-course.pdf\"");
}

#[test]
fn a_printable_without_a_title_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("toolkit")).unwrap();
    std::fs::write(dir.path().join("toolkit/plan.md"), "A plan without a title line.\n").unwrap();
    let problems: Vec<String> = load_dir(dir.path()).problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("plan.md:1") && problems[0].contains("starts with its title"),
        "{problems:?}"
    );
}
