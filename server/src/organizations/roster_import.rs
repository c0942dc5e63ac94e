//! Reading a roster file (CSV) that an organization admin uploads: who to
//! invite, and every line that could not be read, with its line number.
//!
//! Columns `name` and `email` are found by their header, or are the first
//! two if there is no header. A file with more than [`MAX_ROWS`] people is
//! cut off there, with a line saying so.

use crate::accounts::fields::{check_display_name, normalize_email};

/// Most people one roster file invites.
pub const MAX_ROWS: usize = 2_000;

/// Someone to invite, from line `line` of the file.
#[derive(Debug, PartialEq, Eq)]
pub struct RosterPerson {
    pub line: usize,
    pub name: String,
    pub email: String,
}

/// What a roster file holds.
#[derive(Debug, Default)]
pub struct Roster {
    pub people: Vec<RosterPerson>,
    /// One sentence per line left out, starting with its line number.
    pub problems: Vec<String>,
}

pub fn parse(text: &str) -> Roster {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records().enumerate().peekable();
    let mut columns = (0, 1);
    if let Some((_, Ok(first))) = records.peek() {
        let find = |word: &str| first.iter().position(|cell| cell.eq_ignore_ascii_case(word));
        if let (Some(name), Some(email)) = (find("name"), find("email")) {
            columns = (name, email);
            records.next();
        }
    }
    let mut roster = Roster::default();
    let mut seen: Vec<String> = Vec::new();
    for (index, record) in records {
        // The line of the file the record starts on, counted from its byte
        // offset (blank lines are skipped, and a quoted cell may span several).
        let start = match &record {
            Ok(record) => record.position().map(csv::Position::byte),
            Err(error) => error.position().map(csv::Position::byte),
        };
        let line = start
            .and_then(|byte| usize::try_from(byte).ok())
            .map_or(index + 1, |byte| line_at(text, byte));
        let Ok(record) = record else {
            roster
                .problems
                .push(format!("Line {line}: we couldn't read this line."));
            continue;
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        if roster.people.len() + roster.problems.len() >= MAX_ROWS {
            roster.problems.push(format!("Line {line} and after: a roster can have up to {MAX_ROWS} people at a time. Please import the rest separately."));
            break;
        }
        let checked = check_display_name(record.get(columns.0).unwrap_or_default())
            .and_then(|name| normalize_email(record.get(columns.1).unwrap_or_default()).map(|email| (name, email)));
        match checked {
            Ok((_, email)) if seen.contains(&email) => roster
                .problems
                .push(format!("Line {line}: this address is already on an earlier line.")),
            Ok((name, email)) => {
                seen.push(email.clone());
                roster.people.push(RosterPerson { line, name, email });
            }
            Err(message) => roster.problems.push(format!("Line {line}: {message}")),
        }
    }
    roster
}

/// The line of `text` a record starting at `byte` is on: after any blank
/// lines there, which the CSV reader counts as part of the record's start.
fn line_at(text: &str, byte: usize) -> usize {
    let Some((before, after)) = text.split_at_checked(byte) else {
        return text.lines().count().max(1);
    };
    let blank = after.len() - after.trim_start_matches(['\r', '\n']).len();
    before.matches('\n').count() + after[..blank].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_header_finds_the_columns_and_bad_lines_are_named() {
        let roster = parse("email,name\nana@example.org,Ana\nnot an email,Bo\n\nana@example.org,Ana again\n");
        assert_eq!(
            roster.people,
            vec![RosterPerson {
                line: 2,
                name: "Ana".into(),
                email: "ana@example.org".into()
            }]
        );
        assert_eq!(roster.problems.len(), 2, "{:?}", roster.problems);
        assert!(roster.problems[0].starts_with("Line 3: "));
        assert!(roster.problems[1].starts_with("Line 5: "), "{:?}", roster.problems);
    }

    #[test]
    fn without_a_header_the_first_two_columns_are_name_and_email() {
        let roster = parse("Ana,ana@example.org,extra\n");
        assert_eq!(roster.people[0].email, "ana@example.org");
    }

    proptest! {
        /// Whatever the file, reading it never panics, every person is
        /// valid, and every problem names a line of the file.
        #[test]
        fn any_file_reads_into_people_and_numbered_problems(text in "(?s).{0,400}") {
            let roster = parse(&text);
            let lines = text.split('\n').count().max(1);
            for person in &roster.people {
                prop_assert!(normalize_email(&person.email).as_deref() == Ok(person.email.as_str()));
                prop_assert!(person.line >= 1 && person.line <= lines);
            }
            for problem in &roster.problems {
                let number: usize = problem.trim_start_matches("Line ").split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
                prop_assert!(number >= 1 && number <= lines, "{problem} in {lines} lines");
            }
        }
    }
}
