//! Rosters and statistics as CSV for spreadsheets.
//!
//! A cell that starts with `=`, `+`, `-`, `@`, tab or carriage return is
//! prefixed with `'`: spreadsheets would otherwise run a learner's name such
//! as `=HYPERLINK(...)` as a formula (CSV injection).

use holdspace_app::dto::{BulkRow, CourseFollowing, OrgRoster, ProgramProgress, RosterFilter, Score};

fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

fn write(rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(row.iter().map(|c| cell(c)))
            .expect("writing to memory does not fail");
    }
    writer.into_inner().expect("writing to memory does not fail")
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// One row per learner: progress, then best and last score and tries per quiz.
pub fn learners(following: &CourseFollowing) -> Vec<u8> {
    let mut header: Vec<String> = [
        "name",
        "email",
        "enrolled_on",
        "modules_read",
        "modules",
        "quizzes_passed",
        "quizzes",
        "attempts",
        "completed_on",
    ]
    .map(str::to_owned)
    .to_vec();
    for (slug, _) in &following.quizzes {
        header.extend([
            format!("{slug}_best_percent"),
            format!("{slug}_last_percent"),
            format!("{slug}_attempts"),
        ]);
    }
    let mut rows = vec![header];
    for learner in &following.learners {
        let mut row = vec![
            learner.name.clone(),
            learner.email.clone(),
            learner.enrolled_on.clone(),
            learner.modules_read.to_string(),
            following.module_count.to_string(),
            learner.quizzes_passed.to_string(),
            following.quizzes.len().to_string(),
            learner.attempts.to_string(),
            learner.completed_on.clone().unwrap_or_default(),
        ];
        for scores in &learner.quiz_scores {
            row.extend([
                optional(scores.best.map(Score::percent)),
                optional(scores.last.map(Score::percent)),
                scores.attempts.to_string(),
            ]);
        }
        rows.push(row);
    }
    write(rows)
}

/// One row per question of the published version.
pub fn questions(following: &CourseFollowing) -> Vec<u8> {
    let mut rows = vec![
        [
            "module",
            "question_id",
            "prompt",
            "answered",
            "facility",
            "discrimination",
            "review",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for q in &following.questions {
        rows.push(vec![
            q.module_title.clone(),
            q.question_id.clone(),
            q.prompt.clone(),
            q.answered.to_string(),
            if q.answered == 0 {
                String::new()
            } else {
                format!("{:.3}", q.facility)
            },
            optional(q.discrimination.map(|d| format!("{d:.3}"))),
            q.review.clone().unwrap_or_default(),
        ]);
    }
    write(rows)
}

/// One row per learner of the program, with each practical's sign-off date.
pub fn program(progress: &ProgramProgress) -> Vec<u8> {
    let mut header: Vec<String> = ["name", "email", "certified", "courses_passed", "courses", "remaining"]
        .map(str::to_owned)
        .to_vec();
    header.extend(progress.practicals.iter().map(|p| format!("{}_signed_off_on", p.key)));
    let mut rows = vec![header];
    for learner in &progress.learners {
        let mut row = vec![
            learner.name.clone(),
            learner.email.clone(),
            if learner.certified { "yes" } else { "no" }.to_owned(),
            learner.courses_passed.to_string(),
            progress.courses.len().to_string(),
            learner.remaining.to_string(),
        ];
        row.extend(
            learner
                .signoffs
                .iter()
                .map(|s| s.as_ref().map(|s| s.completed_on.clone()).unwrap_or_default()),
        );
        rows.push(row);
    }
    write(rows)
}

/// An organization's members that `filter` admits: one column per course,
/// then each certificate (program, code, status, expiry) in one cell each.
pub fn organization(roster: &OrgRoster, filter: RosterFilter) -> Vec<u8> {
    let mut header: Vec<String> = ["name", "email", "joined_on"].map(str::to_owned).to_vec();
    header.extend(roster.courses.iter().map(|c| c.title.clone()));
    header.extend(
        [
            "certificate_program",
            "certificate_code",
            "certificate_status",
            "certificate_expires_on",
            "certificate_renewal_opens_on",
            "hours",
        ]
        .map(str::to_owned),
    );
    let mut rows = vec![header];
    for member in roster.members.iter().filter(|m| filter.admits(m)) {
        let mut row = vec![member.name.clone(), member.email.clone(), member.joined_on.clone()];
        row.extend(member.courses.iter().map(|c| c.describe()));
        let join = |field: &dyn Fn(&holdspace_app::dto::MemberCertificate) -> String| {
            member.certificates.iter().map(field).collect::<Vec<_>>().join("; ")
        };
        row.push(join(&|c| c.program_title.clone()));
        row.push(join(&|c| c.code.clone()));
        row.push(join(&|c| c.status.as_str().to_owned()));
        row.push(join(&|c| c.expires_on.clone()));
        row.push(join(&|c| c.renewal_opens_on.clone()));
        row.push(member.hours.iter().map(|h| h.describe()).collect::<Vec<_>>().join("; "));
        rows.push(row);
    }
    write(rows)
}

/// A bulk verification, one row per code in the order given.
pub fn bulk(results: &[BulkRow]) -> Vec<u8> {
    let mut rows = vec![
        ["code", "status", "holder_name", "program", "expires_on"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for row in results {
        rows.push(vec![
            row.typed.clone(),
            row.status.as_str().to_owned(),
            optional(row.holder_name.clone()),
            optional(row.program_title.clone()),
            optional(row.expires_on.clone()),
        ]);
    }
    write(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use holdspace_app::dto::{LearnerRow, QuizScores};

    #[test]
    fn formulas_are_defused_and_fields_quoted() {
        let following = CourseFollowing {
            slug: "c".into(),
            title: "C".into(),
            quizzes: vec![("one".into(), "One".into())],
            module_count: 2,
            learners: vec![LearnerRow {
                user_id: holdspace_app::dto::UserId(1),
                name: "=HYPERLINK(\"http://evil\")".into(),
                email: "a,b@example.org".into(),
                enrolled_on: "2026-11-01".into(),
                modules_read: 1,
                quizzes_passed: 0,
                attempts: 2,
                quiz_scores: vec![QuizScores {
                    attempts: 2,
                    best: Some(Score(6_000)),
                    last: Some(Score(4_000)),
                    held_back: false,
                }],
                completed_on: None,
            }],
            questions: Vec::new(),
        };
        let text = String::from_utf8(learners(&following)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "name,email,enrolled_on,modules_read,modules,quizzes_passed,quizzes,attempts,completed_on,one_best_percent,one_last_percent,one_attempts"
        );
        assert_eq!(
            lines[1],
            "\"'=HYPERLINK(\"\"http://evil\"\")\",\"a,b@example.org\",2026-11-01,1,2,0,1,2,,60,40,2"
        );
    }
}
