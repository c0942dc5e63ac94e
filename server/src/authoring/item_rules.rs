//! Item-writing rules: the cues that let a test-wise learner who has not
//! read a module pass its quiz anyway. From the multiple-choice guidelines of
//! Haladyna, Downing & Rodriguez (2002): keep options about the same length,
//! avoid "all/none of the above", balance the key, do not repeat the stem's
//! words in the right option only, and (for pools) write enough items that
//! a retake is a new test. Thresholds are in `courses/README.md`.
//!
//! Each rule is advice about one question or quiz (a warning, shown beside
//! the field); a course whose quizzes break the balance rules by a wide
//! margin is refused, because its certificate would not mean its holder
//! read it.

use holdspace_app::course_content::{ContentProblem, CourseContent, Place, QuestionContent, QuizContent};
use holdspace_app::dto::QuestionKind;
use std::collections::HashSet;

/// A right option is "much longer" when it is this much longer than the
/// longest distractor (and by at least [`LONGER_BY_CHARS`]).
const LONGER_RATIO: f64 = 1.25;
const LONGER_BY_CHARS: usize = 10;
/// Across a course: refused when the right option is the longest in more
/// than this share of its single-choice questions (at least [`COURSE_MINIMUM`] of them).
const COURSE_LONGEST_SHARE: f64 = 0.5;
/// Across a course: refused when fewer or more than these shares of its
/// true/false keys are "True" (at least [`COURSE_MINIMUM`] of them).
const COURSE_TRUE_SHARE: (f64, f64) = (0.2, 0.8);
const COURSE_MINIMUM: usize = 6;

/// Every item-writing warning in `course`, and the refusals of a wide margin.
pub fn check(course: &CourseContent) -> Vec<ContentProblem> {
    let mut advice = Vec::new();
    let (mut singles, mut longest_right, mut true_false, mut true_keys) = (0usize, 0usize, 0usize, 0usize);
    for (module, quiz) in course
        .modules
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((i, m.quiz.as_ref()?)))
    {
        for (index, question) in quiz.questions.iter().enumerate() {
            let place = Place::Question {
                module,
                question: index,
            };
            question_advice(place, question, &mut advice);
            match question.kind {
                QuestionKind::Single if question.options.len() >= 3 => {
                    singles += 1;
                    longest_right += usize::from(right_is_longest(question));
                }
                QuestionKind::TrueFalse => {
                    true_false += 1;
                    true_keys += usize::from(true_is_key(question));
                }
                _ => {}
            }
        }
        quiz_advice(Place::Quiz { module }, quiz, &mut advice);
    }
    if singles >= COURSE_MINIMUM && longest_right as f64 > COURSE_LONGEST_SHARE * singles as f64 {
        advice.push(refusal(format!(
            "in {longest_right} of this course's {singles} single-choice questions the right option is the longest: \
             a learner who always picks the longest would pass. Keep it to a third or less",
        )));
    }
    let share = true_keys as f64 / true_false.max(1) as f64;
    if true_false >= COURSE_MINIMUM && !(COURSE_TRUE_SHARE.0..=COURSE_TRUE_SHARE.1).contains(&share) {
        advice.push(refusal(format!(
            "{true_keys} of this course's {true_false} true/false questions are answered \"True\": \
             a learner who always answers the same would pass. Keep it between 40% and 60%",
        )));
    }
    advice
}

fn warning(place: Place, field: &str, message: String) -> ContentProblem {
    ContentProblem {
        place,
        field: field.to_owned(),
        message,
        warning: true,
    }
}

fn refusal(message: String) -> ContentProblem {
    ContentProblem {
        place: Place::Course,
        field: "modules".to_owned(),
        message,
        warning: false,
    }
}

fn question_advice(place: Place, question: &QuestionContent, advice: &mut Vec<ContentProblem>) {
    let id = &question.id;
    for option in &question.options {
        if mentions_the_others(&option.text) {
            advice.push(warning(
                place,
                "options",
                format!(
                    "question \"{id}\": \"{}\" lets a learner answer by elimination; write a real option",
                    option.text
                ),
            ));
        }
    }
    if question.kind == QuestionKind::Multiple && says_choose_all(&question.prompt) {
        advice.push(warning(
            place,
            "prompt",
            format!(
                "question \"{id}\": the quiz page already says \"Choose all that apply.\" under the prompt; \
                 leave it out here, or a screen reader says it twice"
            ),
        ));
    }
    if question.kind == QuestionKind::TrueFalse {
        return;
    }
    let asked = format!(
        "{} {}",
        question.scenario.as_deref().unwrap_or_default(),
        question.prompt
    )
    .to_lowercase();
    for option in &question.options {
        if option.text.split_whitespace().count() >= 3 && asked.contains(&option.text.to_lowercase()) {
            advice.push(warning(
                place,
                "options",
                format!(
                    "question \"{id}\": the option \"{}\" is repeated word for word in the question",
                    option.text
                ),
            ));
        }
    }
    if question.kind == QuestionKind::Single {
        let (right, wrong): (Vec<_>, Vec<_>) = question.options.iter().partition(|o| o.correct);
        let longest_wrong = wrong.iter().map(|o| o.text.chars().count()).max().unwrap_or(0);
        if let Some(right) = right.first() {
            let length = right.text.chars().count();
            if length as f64 > LONGER_RATIO * longest_wrong as f64 && length >= longest_wrong + LONGER_BY_CHARS {
                advice.push(warning(
                    place,
                    "options",
                    format!(
                        "question \"{id}\": the right option is much longer than the others ({length} characters \
                         against {longest_wrong}); make them about the same length"
                    ),
                ));
            }
            let words = content_words(&asked);
            let shared = |text: &str| content_words(text).intersection(&words).count();
            let right_shares = shared(&right.text);
            let most_wrong = wrong.iter().map(|o| shared(&o.text)).max().unwrap_or(0);
            if right_shares >= most_wrong + 2 {
                advice.push(warning(
                    place,
                    "options",
                    format!(
                        "question \"{id}\": the right option repeats the question's words ({right_shares}) more than \
                         any other option ({most_wrong}); reword it or echo the question in the others too"
                    ),
                ));
            }
        }
    }
}

fn quiz_advice(place: Place, quiz: &QuizContent, advice: &mut Vec<ContentProblem>) {
    let keys: Vec<bool> = quiz
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::TrueFalse)
        .map(true_is_key)
        .collect();
    let trues = keys.iter().filter(|k| **k).count();
    let falses = keys.len() - trues;
    if keys.len() >= 2 && trues.abs_diff(falses) as f64 > keys.len() as f64 / 3.0 {
        advice.push(warning(
            place,
            "questions",
            format!(
                "{trues} of the quiz's {} true/false questions are \"True\": balance the answers",
                keys.len()
            ),
        ));
    }
    let draw = quiz.questions_per_sitting();
    // A quiz without a draw shows every question: it is not a pool.
    if quiz.draw.is_some() && quiz.groups.is_empty() && quiz.questions.len() < 2 * draw {
        advice.push(warning(
            place,
            "draw",
            format!(
                "the pool holds {} questions for a draw of {draw}: with fewer than twice the draw, a retake shows \
                 mostly the same questions",
                quiz.questions.len()
            ),
        ));
    }
    for group in &quiz.groups {
        let size = quiz
            .questions
            .iter()
            .filter(|q| q.group.as_deref() == Some(&group.id))
            .count();
        if size < 2 * group.draw as usize {
            advice.push(warning(
                place,
                "group",
                format!(
                    "group \"{}\" holds {size} questions for a draw of {}: write at least twice the draw",
                    group.id, group.draw
                ),
            ));
        }
    }
}

/// Whether the right option is the longest of a single-choice question.
pub fn right_is_longest(question: &QuestionContent) -> bool {
    let longest = question
        .options
        .iter()
        .map(|o| o.text.chars().count())
        .max()
        .unwrap_or(0);
    question
        .options
        .iter()
        .any(|o| o.correct && o.text.chars().count() == longest)
        && question
            .options
            .iter()
            .filter(|o| o.text.chars().count() == longest)
            .count()
            == 1
}

/// Whether a true/false question's key is "True" (the first option).
pub fn true_is_key(question: &QuestionContent) -> bool {
    question.options.first().is_some_and(|o| o.correct)
}

/// A prompt that tells the learner to pick several, which the page says for it.
fn says_choose_all(prompt: &str) -> bool {
    prompt.to_lowercase().contains("all that apply")
}

fn mentions_the_others(text: &str) -> bool {
    let text = text.to_lowercase();
    [
        "all of the above",
        "none of the above",
        "both of the above",
        "all of these",
        "none of these",
    ]
    .iter()
    .any(|phrase| text.contains(phrase))
}

/// The words that carry meaning: three letters or more, not the commonest.
pub fn content_words(text: &str) -> HashSet<String> {
    const COMMON: &[&str] = &[
        "the", "and", "for", "with", "that", "this", "they", "them", "their", "you", "your", "what", "does", "how",
        "who", "when", "why", "which", "from", "not", "are", "was", "were", "has", "have", "had", "but", "can", "will",
        "would", "should", "could", "into", "about", "there", "then", "than", "its", "it's", "our", "out",
    ];
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| w.chars().count() >= 3 && !COMMON.contains(w))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests;
