//! The `holdspace` command line, run as a user would.

use crate::support::*;
use std::io::Write;
use std::process::{Command, Stdio};

fn holdspace() -> Command {
    Command::new(env!("CARGO_BIN_EXE_holdspace"))
}

#[test]
fn courses_check_passes_the_shipped_courses() {
    let output = holdspace()
        .args(["courses", "check"])
        .arg(shipped_courses())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("no problems"), "{stdout}");
}

#[test]
fn courses_check_prints_every_problem_with_file_and_line_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("broken");
    std::fs::create_dir_all(&course).unwrap();
    std::fs::write(
        course.join("course.toml"),
        "slug = \"broken\"\ntitle = \"Broken\"\nversion = \"1\"\nsummary = \"x\"\noutcomes = [\"y\"]\nextra = 1\n",
    )
    .unwrap();
    std::fs::write(course.join("01-a.md"), "+++\ntitle = \"A\"\nminutes = 0\n+++\nText\n").unwrap();
    std::fs::write(
        dir.path().join("programs.toml"),
        "[[program]]\nslug = \"p\"\ntitle = \"P\"\ncourses = [\"ghost\"]\nvalid_for_months = 12\n",
    )
    .unwrap();
    let output = holdspace().args(["courses", "check"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines[0].ends_with("broken/course.toml:6: unknown field `extra`, expected one of `slug`, `title`, `version`, `summary`, `outcomes`, `pass_mark`, `review`"), "{stdout}");
    assert!(
        lines[1].ends_with("broken/01-a.md:3: minutes must be a whole number from 1 to 600"),
        "{stdout}"
    );
    assert!(
        lines[2].ends_with("programs.toml:4: program \"p\" names a course \"ghost\" that has no folder here"),
        "{stdout}"
    );
}

#[tokio::test]
async fn user_add_creates_a_staff_account_that_can_log_in() {
    let server = TestServer::start();
    let mut child = holdspace()
        .args([
            "user",
            "add",
            "--email",
            "Trainer@Example.org",
            "--name",
            "Sam Trainer",
            "--role",
            "trainer",
        ])
        .args(["--database-url", &server.database.url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long staff password\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("Created trainer account"));

    let browser = server.browser();
    assert_eq!(
        browser
            .log_in("trainer@example.org", "a long staff password")
            .await
            .redirect_path(),
        "/me"
    );
    browser.get("/me").await.assert_contains("Welcome back, Sam Trainer.");
}

#[test]
fn user_add_refuses_a_short_password_with_a_message() {
    let data = tempfile::tempdir().unwrap();
    let mut child = holdspace()
        .args([
            "user",
            "add",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "admin",
            "--data-dir",
        ])
        .arg(data.path())
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("at least 12 characters"));
}

#[test]
fn courses_gift_converts_moodles_fixture_and_reports_what_it_could_not() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gift/moodle-questions.gift.txt");
    let output = holdspace().args(["courses", "gift"]).arg(&fixture).output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stdout.matches("[[question]]").count(), 5, "{stdout}");
    assert!(
        stdout.contains("id = \"colours\"") && stdout.contains("kind = \"multiple\""),
        "{stdout}"
    );
    assert_eq!(stderr.matches("not imported").count(), 4, "{stderr}");
    assert!(
        stderr.contains("moodle-questions.gift.txt:4: not imported: “Q8” is an essay question"),
        "{stderr}"
    );
    assert!(stderr.ends_with("5 question(s) converted, 4 not.\n"), "{stderr}");
}

/// A course with every cue the item-writing rules know, each on a known
/// line: it still loads (they are warnings), and each is named where it is.
#[test]
fn courses_check_names_each_cue_of_a_cued_course_on_its_line() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cued-courses");
    let output = holdspace().args(["courses", "check"]).arg(&dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "warnings do not fail the check: {stdout}");
    let quiz = "cued/01-one.quiz.toml";
    for expected in [
        format!("{quiz}:1: warning: 0 of the quiz's 2 true/false questions are \"True\""),
        format!("{quiz}:1: warning: the pool holds 4 questions for a draw of 3"),
        format!("{quiz}:4: warning: question \"long-key\": \"All of the above\" lets a learner answer by elimination"),
        format!(
            "{quiz}:4: warning: question \"long-key\": the right option is much longer than the others (71 characters against 26)"
        ),
        format!("{quiz}:24: warning: question \"echo\": the option \"advice about leaving\" is repeated word for word"),
        format!("{quiz}:24: warning: question \"echo\": the right option repeats the question's words (2)"),
    ] {
        assert!(
            stdout.lines().any(|line| line.contains(&expected)),
            "{expected}\nin:\n{stdout}"
        );
    }
    assert_eq!(stdout.lines().filter(|l| l.contains("warning:")).count(), 6, "{stdout}");
    assert!(stdout.contains("no problems (6 warnings above)"), "{stdout}");
}
