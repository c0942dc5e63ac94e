//! The learner's record as a PDF transcript: per program, every
//! requirement and where it stands, then the hours and sign-offs behind it.

use crate::certificates::pdf::{Style, TextDocument};
use holdspace_app::dto::{Attendance, LearnerRecord, PracticeStatus, ProgramRecord, Seat, hours_text, role_text};

fn mark(done: bool, text: impl Into<String>) -> (Style, String) {
    let text = text.into();
    (
        Style::Body,
        if done {
            format!("Done: {text}")
        } else {
            format!("To do: {text}")
        },
    )
}

fn program_lines(program: &ProgramRecord, lines: &mut Vec<(Style, String)>) {
    lines.push((Style::Heading, program.title.clone()));
    if program.certified {
        lines.push((Style::Note, "Holds a current certificate of this program.".into()));
    }
    if program.renewing {
        lines.push((
            Style::Note,
            "Renewing: continuing education and the current texts count.".into(),
        ));
    }
    for (title, done) in &program.courses {
        lines.push(mark(*done, format!("Course: {title}")));
    }
    if let Some(passed) = program.exam_passed {
        lines.push(mark(passed, "Final exam"));
    }
    if let Some(hours) = &program.hours {
        lines.push(mark(hours.met(), hours.describe()));
        for category in hours.categories.iter().filter(|c| c.minimum_minutes > 0) {
            lines.push(mark(category.met(), category.describe()));
        }
    }
    if let Some(supervised) = &program.supervised {
        lines.push(mark(supervised.met(), supervised.describe()));
    }
    for roleplay in &program.roleplays {
        let text = match &roleplay.passed_on {
            Some(on) => format!("Role play “{}”: passed, watched on {on}", roleplay.title),
            None => format!("Role play “{}”", roleplay.title),
        };
        lines.push(mark(roleplay.passed_on.is_some(), text));
    }
    for (title, signed) in &program.practicals {
        lines.push(mark(*signed, format!("{title}: signed off by a trainer")));
    }
    for text in &program.attestations {
        let line = match &text.signed_on {
            Some(on) => format!("{} (version {}): signed on {on}", text.title, text.version),
            None => format!("{} (version {}): not signed yet", text.title, text.version),
        };
        lines.push(mark(text.signed_on.is_some(), line));
    }
    let attended: Vec<String> = program
        .sessions
        .iter()
        .filter(|s| s.seat == Seat::Marked(Attendance::Attended))
        .map(|s| {
            format!(
                "{} · {} · {}, {}",
                s.starts,
                s.title,
                hours_text(s.minutes),
                s.category.to_lowercase()
            )
        })
        .collect();
    if !attended.is_empty() {
        lines.push((Style::Note, "Live sessions attended".into()));
        lines.extend(attended.into_iter().map(|l| (Style::Body, l)));
    }
    let approved: Vec<String> = program
        .trainings
        .iter()
        .filter(|t| t.status == PracticeStatus::Confirmed)
        .map(|t| {
            format!(
                "{} · {} ({}) · {}, {} · approved by {}",
                t.taken_on,
                t.title,
                t.provider,
                hours_text(t.minutes),
                t.category.to_lowercase(),
                t.reviewer
            )
        })
        .collect();
    if !approved.is_empty() {
        lines.push((Style::Note, "Trainings taken elsewhere, approved".into()));
        lines.extend(approved.into_iter().map(|l| (Style::Body, l)));
    }
    let confirmed: Vec<String> = program
        .practice
        .iter()
        .filter(|p| p.status == PracticeStatus::Confirmed)
        .map(|p| {
            format!(
                "{} · {} as {} · confirmed by {}",
                p.practiced_on,
                hours_text(p.minutes),
                role_text(p.role).to_lowercase(),
                p.supervisor
            )
        })
        .collect();
    if !confirmed.is_empty() {
        lines.push((Style::Note, "Supervised practice, confirmed".into()));
        lines.extend(confirmed.into_iter().map(|l| (Style::Body, l)));
    }
}

/// The transcript of `record` for `holder`, as of `today`.
pub fn transcript(record: &LearnerRecord, holder: &str, issuer: &str, today: &str) -> TextDocument {
    let mut lines = vec![
        (Style::Title, "Training record".to_owned()),
        (Style::Body, holder.to_owned()),
        (
            Style::Note,
            format!("From {issuer}, as of {today}. Only confirmed hours and sign-offs are listed."),
        ),
    ];
    if record.programs.is_empty() {
        lines.push((Style::Body, "No program started yet.".into()));
    }
    for program in &record.programs {
        program_lines(program, &mut lines);
    }
    TextDocument {
        title: format!("Training record — {holder}"),
        author: issuer.to_owned(),
        lines,
    }
}
