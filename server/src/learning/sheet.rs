//! A sitting's questions as a learner sees them, answers them and reads
//! them back: the same for a module quiz and a program's exam, whichever
//! table keeps the sitting.

use super::draw::Drawn;
use super::questions::Question;
use super::scoring::{self, GradedQuestion, QuizScore};
use super::sittings::SavedAnswers;
use crate::error::{ServerError, ServerResult};
use holdspace_app::course_content::{AttemptPolicy, ReviewPolicy};
use holdspace_app::dto::{QuestionId, QuizOption, QuizQuestion, ReviewedOption, ReviewedQuestion, Score};
use holdspace_app::error::AppError;
use holdspace_app::ports::Answers;
use std::collections::HashMap;

/// One question of a sitting: the form's name for it, the question, and
/// its options' file positions in the order shown.
pub struct Shown<'a> {
    pub form_key: String,
    pub question: &'a Question,
    pub order: &'a [u32],
}

/// Pairs a sitting's draw with its questions, in the order shown.
pub fn shown<'a>(
    drawn: &'a [Drawn],
    questions: &'a [Question],
    form_key: impl Fn(&Question) -> String,
) -> ServerResult<Vec<Shown<'a>>> {
    let by_id: HashMap<QuestionId, &Question> = questions.iter().map(|q| (q.id, q)).collect();
    drawn
        .iter()
        .map(|d| {
            let question = by_id
                .get(&d.question)
                .ok_or_else(|| ServerError::Corrupt(format!("a sitting shows question {} that is gone", d.question)))?;
            Ok(Shown {
                form_key: form_key(question),
                question,
                order: &d.order,
            })
        })
        .collect()
}

/// The questions as the form shows them, with any saved answers ticked.
pub fn form_questions(shown: &[Shown<'_>], saved: &SavedAnswers) -> ServerResult<Vec<QuizQuestion>> {
    (1u32..)
        .zip(shown)
        .map(|(number, s)| {
            let saved = saved.get(&s.form_key);
            let options = s
                .order
                .iter()
                .zip(0u32..)
                .map(|(original, position)| {
                    let option = s
                        .question
                        .options
                        .get(*original as usize)
                        .ok_or_else(|| ServerError::Corrupt("option order".into()))?;
                    Ok(QuizOption {
                        position,
                        text: option.text.clone(),
                        saved_choice: saved.is_some_and(|s| s.contains(&position)),
                    })
                })
                .collect::<ServerResult<_>>()?;
            Ok(QuizQuestion {
                number,
                id: s.form_key.clone(),
                kind: s.question.kind,
                scenario: s.question.scenario.clone(),
                prompt: s.question.prompt.clone(),
                options,
            })
        })
        .collect()
}

/// A sitting's answers, graded.
pub struct Marked {
    /// Per shown question, the chosen options' file positions.
    pub chosen: Vec<Vec<usize>>,
    pub score: QuizScore,
}

/// Grades `answers` (shown positions, by form key), or lists the numbers of
/// the questions still without an answer. An answer to a question that was
/// not shown, or to an option that does not exist, is a broken form.
pub fn mark(shown: &[Shown<'_>], answers: &Answers, pass_mark: u32) -> ServerResult<Result<Marked, Vec<u32>>> {
    if answers.keys().any(|key| !shown.iter().any(|s| &s.form_key == key)) {
        return Err(AppError::BadRequest.into());
    }
    let mut missing = Vec::new();
    let mut chosen = Vec::with_capacity(shown.len());
    for (number, s) in (1u32..).zip(shown) {
        let picked = answers.get(&s.form_key).map(Vec::as_slice).unwrap_or_default();
        if picked.is_empty() {
            missing.push(number);
        }
        let original = picked
            .iter()
            .map(|p| {
                s.order
                    .get(*p as usize)
                    .map(|o| *o as usize)
                    .ok_or(AppError::BadRequest)
            })
            .collect::<Result<Vec<_>, _>>()?;
        chosen.push(original);
    }
    if !missing.is_empty() {
        return Ok(Err(missing));
    }
    let credits = shown
        .iter()
        .zip(&chosen)
        .map(|(s, chosen)| {
            let correct: Vec<bool> = s.question.options.iter().map(|o| o.correct).collect();
            scoring::grade_question(
                &GradedQuestion {
                    kind: s.question.kind,
                    correct: &correct,
                },
                chosen,
            )
        })
        .collect();
    Ok(Ok(Marked {
        chosen,
        score: scoring::grade_quiz(credits, pass_mark),
    }))
}

/// One stored answer: the chosen options' file positions and the credit.
pub struct StoredAnswer {
    pub chosen: Vec<usize>,
    pub score_basis_points: i32,
}

/// The questions of a graded sitting as its review shows them. With
/// `full`, every option with whether it is right and why; without, only
/// the options the learner chose, with their reasoning: which questions
/// were missed and why, but not which option is right.
pub fn reviewed(shown: &[Shown<'_>], answers: &HashMap<QuestionId, StoredAnswer>, full: bool) -> Vec<ReviewedQuestion> {
    (1u32..)
        .zip(shown)
        .map(|(number, s)| {
            let answer = answers.get(&s.question.id);
            let chosen = |original: usize| answer.is_some_and(|a| a.chosen.contains(&original));
            let options = s
                .order
                .iter()
                .filter_map(|original| {
                    s.question
                        .options
                        .get(*original as usize)
                        .map(|o| (*original as usize, o))
                })
                .filter(|(original, _)| full || chosen(*original))
                .map(|(original, o)| ReviewedOption {
                    text: o.text.clone(),
                    chosen: chosen(original),
                    correct: o.correct,
                    why: o.why.clone(),
                })
                .collect();
            ReviewedQuestion {
                number,
                kind: s.question.kind,
                scenario: s.question.scenario.clone(),
                prompt: s.question.prompt.clone(),
                score: Score::from_basis_points(answer.map_or(0, |a| a.score_basis_points)),
                options,
                source: None,
            }
        })
        .collect()
}

/// What a learner should know before starting a quiz or exam: how many
/// questions, whether they are drawn, retakes and what the review shows.
pub fn about(
    what: &str,
    shown: usize,
    pool: usize,
    pass_mark: u32,
    attempts: &AttemptPolicy,
    review: ReviewPolicy,
) -> String {
    let drawn = if pool > shown {
        format!(", drawn from a set of {pool}, so each try brings a new mix")
    } else {
        String::new()
    };
    let retakes = match (attempts.max_attempts, attempts.period_days) {
        (None, _) => "You can try again as often as you like".to_owned(),
        (Some(n), Some(days)) => {
            format!("You can take this {what} {n} times in {days} days, and a trainer can open more")
        }
        (Some(n), None) => format!("You can take this {what} {n} times, and a trainer can open more"),
    };
    let wait = match attempts.wait_hours {
        Some(hours) if hours % 24 == 0 => format!(", with {} between tries", plural(hours / 24, "day")),
        Some(hours) => format!(", with {} between tries", plural(hours, "hour")),
        None => String::new(),
    };
    let review = match review {
        ReviewPolicy::Always => "After you submit, you'll see the reasoning behind every answer.",
        ReviewPolicy::AfterPass => {
            "After you submit, you'll see which questions to look at again and the reasoning for the answers you \
             chose; once you pass, the reasoning for every answer."
        }
    };
    format!(
        "{shown} questions{drawn}. There is no time limit. You need {pass_mark}% to pass. {retakes}{wait}. {review}"
    )
}

fn plural(n: u32, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}
