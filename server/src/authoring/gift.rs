//! Reads quiz questions written in Moodle's GIFT format.
//!
//! The subset that maps onto Holdspace's question kinds: multiple choice
//! (`=right ~wrong`), multiple answers with weights (`~%50%a ~%-100%b`: a
//! positive weight marks a correct option), true/false (`{T}`, `{FALSE}`),
//! per-answer feedback (`#...`, which becomes the option's rationale) and
//! general feedback (`####...`, added to every rationale). Essay, matching,
//! numerical and short-answer questions have no equivalent here; they are
//! reported, with their line, rather than guessed at. `$CATEGORY:` lines
//! become quiz groups (the last part of the category's path), so a bank
//! kept in categories imports as a pool that draws from each.
//!
//! No crate parses GIFT, and the format is small: a hand-written reader is
//! the least code.

use crate::authoring::course_files::{OptionContent, QuestionContent, QuestionGroup};
use holdspace_app::dto::QuestionKind;
use std::collections::HashSet;

/// What could be read, and what could not.
#[derive(Debug, Default, PartialEq)]
pub struct GiftImport {
    pub questions: Vec<QuestionContent>,
    /// The categories met, as groups drawing one question each (a person
    /// then sets how many a sitting takes from each).
    pub groups: Vec<QuestionGroup>,
    /// Questions left out: line number and why.
    pub skipped: Vec<(usize, String)>,
    /// Imported, but needing a person's attention: line number and what.
    pub warnings: Vec<(usize, String)>,
}

/// Reads a GIFT file.
pub fn parse(text: &str) -> GiftImport {
    let mut import = GiftImport::default();
    let mut ids = HashSet::new();
    for (line, block, category) in blocks(text) {
        match question(&block) {
            Ok((mut question, warnings)) => {
                question.id = unique_id(&question.id, &mut ids);
                if let Some(group) = category {
                    if !import.groups.iter().any(|g| g.id == group) {
                        import.groups.push(QuestionGroup {
                            id: group.clone(),
                            draw: 1,
                        });
                    }
                    question.group = Some(group);
                }
                import.warnings.extend(warnings.into_iter().map(|w| (line, w)));
                import.questions.push(question);
            }
            Err(Skip(reason)) => import.skipped.push((line, reason)),
        }
    }
    import
}

struct Skip(String);

/// Questions are separated by blank lines; `//` comment lines are not part
/// of any question, and a `$CATEGORY:` line names the group of the
/// questions after it.
fn blocks(text: &str) -> Vec<(usize, String, Option<String>)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String, Option<String>)> = None;
    let mut category = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(path) = trimmed.strip_prefix("$CATEGORY:") {
            blocks.extend(current.take());
            let last = path.trim().trim_end_matches('/').rsplit('/').next().unwrap_or_default();
            category = Some(slug(last.trim_start_matches("$course$").trim_start_matches("$system$")))
                .filter(|s| s != "question" && s != "top");
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed.is_empty() {
            blocks.extend(current.take());
            continue;
        }
        let (_, block, _) = current.get_or_insert_with(|| (index + 1, String::new(), category.clone()));
        if !block.is_empty() {
            block.push('\n');
        }
        block.push_str(line);
    }
    blocks.extend(current);
    blocks
}

/// Splits at the first unescaped `delimiter`.
fn split_unescaped<'a>(text: &'a str, delimiter: &str) -> Option<(&'a str, &'a str)> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if text[i..].starts_with(delimiter) {
            return Some((&text[..i], &text[i + delimiter.len()..]));
        }
    }
    None
}

/// Plain text: without the `[format]` marker, HTML tags or GIFT escapes.
fn plain(text: &str) -> String {
    let text = text.trim();
    let (is_html, text) = match text.strip_prefix('[').and_then(|rest| rest.split_once(']')) {
        Some((format @ ("html" | "moodle" | "plain" | "markdown"), rest)) => (format == "html", rest),
        _ => (false, text),
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    let mut in_tag = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(if next == 'n' { '\n' } else { next });
                }
            }
            '<' if is_html => in_tag = true,
            '>' if is_html && in_tag => in_tag = false,
            _ if in_tag => {}
            _ => out.push(c),
        }
    }
    let out = if is_html {
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&nbsp;", " ")
            .replace("&amp;", "&")
    } else {
        out
    };
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() { "question".to_owned() } else { slug }
}

fn unique_id(base: &str, ids: &mut HashSet<String>) -> String {
    let mut id = base.to_owned();
    let mut n = 1;
    while !ids.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// One question block.
fn question(block: &str) -> Result<(QuestionContent, Vec<String>), Skip> {
    let mut rest = block.trim();
    let mut name = None;
    if let Some(after) = rest.strip_prefix("::")
        && let Some((title, after)) = split_unescaped(after, "::")
    {
        name = Some(plain(title));
        rest = after;
    }
    let (before, after_open) = split_unescaped(rest, "{")
        .ok_or_else(|| Skip("no answer block { … }: a description, not a question".into()))?;
    let (answers, after) =
        split_unescaped(after_open, "}").ok_or_else(|| Skip("the answer block is not closed with }".into()))?;
    // Text on both sides of the answers is Moodle's "missing word" form.
    let prompt = if after.trim().is_empty() {
        plain(before)
    } else {
        format!("{} _____ {}", plain(before), plain(after))
    };
    let name = name.unwrap_or_else(|| prompt.chars().take(40).collect());
    let described = format!("“{name}”");
    let answers = answers.trim();
    if answers.is_empty() {
        return Err(Skip(format!(
            "{described} is an essay question, which cannot be graded automatically"
        )));
    }
    if answers.starts_with('#') {
        return Err(Skip(format!(
            "{described} is a numerical question; Holdspace has no numerical questions"
        )));
    }
    let id = slug(&name);
    let (answers, general) = match split_unescaped(answers, "####") {
        Some((answers, general)) => (answers, Some(plain(general))),
        None => (answers, None),
    };
    let mut warnings = Vec::new();
    let with_general = |why: String| match &general {
        Some(general) if !general.is_empty() => {
            if why.is_empty() {
                general.clone()
            } else {
                format!("{why} {general}")
            }
        }
        _ => why,
    };

    let mut parts = split_all(answers, "#").into_iter();
    let head = parts.next().unwrap_or_default();
    if let Some(truth) = match head.trim().to_ascii_uppercase().as_str() {
        "T" | "TRUE" => Some(true),
        "F" | "FALSE" => Some(false),
        _ => None,
    } {
        // `{TRUE#feedback if answered wrongly#feedback if answered rightly}`.
        let if_wrong = parts.next().map(plain).unwrap_or_default();
        let if_right = parts.next().map(plain).unwrap_or_default();
        let option = |text: &str, value: bool| OptionContent {
            text: text.to_owned(),
            correct: value == truth,
            why: with_general(if value == truth {
                if_right.clone()
            } else {
                if_wrong.clone()
            }),
        };
        let options = vec![option("True", true), option("False", false)];
        note_missing_rationales(&described, &options, &mut warnings);
        return Ok((
            QuestionContent {
                id,
                kind: QuestionKind::TrueFalse,
                scenario: None,
                prompt,
                group: None,
                options,
            },
            warnings,
        ));
    }

    let items = answer_items(answers);
    if items.iter().any(|item| split_unescaped(&item.text, "->").is_some()) {
        return Err(Skip(format!(
            "{described} is a matching question; Holdspace has no matching questions"
        )));
    }
    if items.iter().all(|item| item.marker == '=') {
        return Err(Skip(format!(
            "{described} is a short-answer question (typed answers); Holdspace has choice questions only"
        )));
    }
    let weighted = items.iter().any(|item| item.weight.is_some());
    let options: Vec<OptionContent> = items
        .iter()
        .map(|item| OptionContent {
            text: plain(&item.text),
            correct: match item.weight {
                Some(weight) => weight > 0.0,
                None => item.marker == '=',
            },
            why: with_general(item.feedback.as_deref().map(plain).unwrap_or_default()),
        })
        .collect();
    let correct = options.iter().filter(|o| o.correct).count();
    let kind = if weighted || correct > 1 {
        QuestionKind::Multiple
    } else {
        QuestionKind::Single
    };
    if correct == 0 {
        return Err(Skip(format!("{described} has no correct answer")));
    }
    if weighted
        && items
            .iter()
            .any(|item| item.weight.is_some_and(|w| w > 0.0 && w < 100.0))
    {
        warnings.push(format!(
            "{described}: partial weights became \"correct\" and \"not correct\"; Holdspace gives credit for each option chosen rightly"
        ));
    }
    note_missing_rationales(&described, &options, &mut warnings);
    Ok((
        QuestionContent {
            id,
            kind,
            scenario: None,
            prompt,
            group: None,
            options,
        },
        warnings,
    ))
}

/// Every option needs a rationale here; GIFT feedback is optional.
fn note_missing_rationales(described: &str, options: &[OptionContent], warnings: &mut Vec<String>) {
    let missing = options.iter().filter(|o| o.why.is_empty()).count();
    if missing > 0 {
        warnings.push(format!(
            "{described}: {missing} of {} options have no feedback to use as their rationale; please write them",
            options.len()
        ));
    }
}

/// Splits on every unescaped `delimiter`.
fn split_all<'a>(text: &'a str, delimiter: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some((part, after)) = split_unescaped(rest, delimiter) {
        parts.push(part);
        rest = after;
    }
    parts.push(rest);
    parts
}

struct AnswerItem {
    marker: char,
    weight: Option<f64>,
    text: String,
    feedback: Option<String>,
}

/// `=text#feedback` and `~%50%text#feedback` items, in order.
fn answer_items(answers: &str) -> Vec<AnswerItem> {
    let mut items: Vec<(char, String)> = Vec::new();
    let mut escaped = false;
    for c in answers.chars() {
        match c {
            _ if escaped => {
                escaped = false;
                if let Some((_, text)) = items.last_mut() {
                    text.push('\\');
                    text.push(c);
                }
            }
            '\\' => escaped = true,
            '=' | '~' => items.push((c, String::new())),
            _ => {
                if let Some((_, text)) = items.last_mut() {
                    text.push(c);
                }
            }
        }
    }
    items
        .into_iter()
        .map(|(marker, raw)| {
            let raw = raw.trim();
            let (weight, raw) = match raw.strip_prefix('%').and_then(|r| r.split_once('%')) {
                Some((weight, rest)) => (weight.trim().parse::<f64>().ok(), rest),
                None => (None, raw),
            };
            let (text, feedback) = match split_unescaped(raw, "#") {
                Some((text, feedback)) => (text.to_owned(), Some(feedback.to_owned())),
                None => (raw.to_owned(), None),
            };
            AnswerItem {
                marker,
                weight,
                text,
                feedback,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
