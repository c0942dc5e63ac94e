//! A test-wise learner cannot pass: simple strategies that need no reading
//! (the longest option; always "False"; the first option shown; the option
//! sharing most words with the question; every box of a multiple choice)
//! are played against every shipped quiz and the program's exam, over many
//! draws, with the server's own draw and grading. None may pass any of them
//! more than 5% of the time; the answer keys pass every one.
//!
//! `cargo test --test integration item_strategies -- --nocapture` prints
//! the curriculum's item figures.

use crate::support;
use holdspace_app::course_content::{CourseContent, QuizContent};
use holdspace_app::dto::{ModuleId, QuestionId, QuestionKind};
use holdspace_server::authoring::course_files::load_dir;
use holdspace_server::authoring::item_rules::{content_words, right_is_longest, true_is_key};
use holdspace_server::learning::scoring::{GradedQuestion, grade_question, grade_quiz};
use holdspace_server::learning::{AnswerOption, Drawn, Question, Quota, draw};
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::collections::HashMap;

/// Picks options (file positions) given a question and its options' order as shown.
type Strategy = fn(&Question, &[u32]) -> Vec<usize>;

thread_local! {
    /// Per question, how many words each option shares with the question
    /// (worked out once: the strategies run a million times).
    static SHARED: std::cell::RefCell<HashMap<QuestionId, Vec<usize>>> = Default::default();
}

fn first_shown(_: &Question, order: &[u32]) -> Vec<usize> {
    vec![order[0] as usize]
}

fn longest(question: &Question, order: &[u32]) -> Vec<usize> {
    let length = |i: &&u32| question.options[**i as usize].text.chars().count();
    // Ties go to the first shown, as a hurried reader would.
    let best = order.iter().map(|i| length(&i)).max().unwrap_or(0);
    vec![*order.iter().find(|i| length(i) == best).unwrap() as usize]
}

fn always_false(question: &Question, order: &[u32]) -> Vec<usize> {
    match question.options.iter().position(|o| o.text == "False") {
        Some(false_option) if question.kind == QuestionKind::TrueFalse => vec![false_option],
        _ => first_shown(question, order),
    }
}

fn most_shared_words(question: &Question, order: &[u32]) -> Vec<usize> {
    let asked = content_words(&format!(
        "{} {}",
        question.scenario.as_deref().unwrap_or_default(),
        question.prompt
    ));
    let shared = |i: &u32| {
        content_words(&question.options[*i as usize].text)
            .intersection(&asked)
            .count()
    };
    let best = order.iter().map(shared).max().unwrap_or(0);
    vec![*order.iter().find(|i| shared(i) == best).unwrap() as usize]
}

fn every_box(question: &Question, order: &[u32]) -> Vec<usize> {
    match question.kind {
        QuestionKind::Multiple => (0..question.options.len()).collect(),
        _ => first_shown(question, order),
    }
}

fn the_key(question: &Question, _: &[u32]) -> Vec<usize> {
    question
        .options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.correct)
        .map(|(i, _)| i)
        .collect()
}

const STRATEGIES: [(&str, Strategy); 5] = [
    ("the longest option", longest),
    ("always \"False\"", always_false),
    ("the first option shown", first_shown),
    ("the option sharing most words with the question", most_shared_words),
    ("every box", every_box),
];

/// A quiz's questions in the server's shape (the answer key included).
fn questions(quiz: &QuizContent, first_id: &mut i64) -> Vec<Question> {
    quiz.questions
        .iter()
        .map(|q| {
            *first_id += 1;
            let id = QuestionId(*first_id);
            Question {
                id,
                module_id: ModuleId(0),
                key: q.id.clone(),
                kind: q.kind,
                scenario: q.scenario.clone(),
                prompt: q.prompt.clone(),
                group: q.group.clone(),
                options: q
                    .options
                    .iter()
                    .map(|o| AnswerOption {
                        question_id: id,
                        text: o.text.clone(),
                        correct: o.correct,
                        why: o.why.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The share of `sittings` draws that `strategy` passes.
fn pass_rate(
    quotas: &[Quota<'_>],
    pool: &[Question],
    pass_mark: u32,
    strategy: Strategy,
    sittings: usize,
    rng: &mut StdRng,
) -> f64 {
    let mut passed = 0;
    for _ in 0..sittings {
        let drawn: Vec<Drawn> = draw(quotas, rng);
        let credits = drawn
            .iter()
            .map(|d| {
                let question = pool.iter().find(|q| q.id == d.question).unwrap();
                let correct: Vec<bool> = question.options.iter().map(|o| o.correct).collect();
                grade_question(
                    &GradedQuestion {
                        kind: question.kind,
                        correct: &correct,
                    },
                    &strategy(question, &d.order),
                )
            })
            .collect();
        passed += usize::from(grade_quiz(credits, pass_mark).passed);
    }
    passed as f64 / sittings as f64
}

fn quotas<'a>(quiz: &QuizContent, pool: &'a [Question]) -> Vec<Quota<'a>> {
    if quiz.groups.is_empty() {
        vec![Quota {
            questions: pool.iter().collect(),
            take: quiz.questions_per_sitting(),
        }]
    } else {
        quiz.groups
            .iter()
            .map(|g| Quota {
                questions: pool.iter().filter(|q| q.group.as_deref() == Some(&g.id)).collect(),
                take: g.draw as usize,
            })
            .collect()
    }
}

#[test]
fn no_test_wise_strategy_passes_a_quiz_or_the_exam_and_the_key_passes_all() {
    let loaded = load_dir(&support::shipped_courses());
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let mut rng = StdRng::seed_from_u64(2026);
    let mut next_id = 0;
    let mut worst = (0.0, String::new());
    let mut course_pools: Vec<(&CourseContent, Vec<Question>)> = Vec::new();
    for course in &loaded.courses {
        let mut course_pool = Vec::new();
        for module in &course.modules {
            let Some(quiz) = &module.quiz else { continue };
            let pool = questions(quiz, &mut next_id);
            let quotas = quotas(quiz, &pool);
            let pass_mark = quiz.pass_mark.unwrap_or(course.pass_mark);
            let place = format!("{}/{}", course.slug, module.slug);
            assert_eq!(
                pass_rate(&quotas, &pool, pass_mark, the_key, 50, &mut rng),
                1.0,
                "the key fails {place}"
            );
            for (name, strategy) in STRATEGIES {
                let rate = pass_rate(&quotas, &pool, pass_mark, strategy, 1_000, &mut rng);
                assert!(
                    rate <= 0.05,
                    "{name} passes {place} in {:.1}% of sittings",
                    rate * 100.0
                );
                if rate > worst.0 {
                    worst = (rate, format!("{name} on {place}"));
                }
            }
            course_pool.extend(pool);
        }
        course_pools.push((course, course_pool));
    }

    let program = loaded
        .programs
        .iter()
        .find(|p| p.slug == "peer-support-facilitator")
        .unwrap();
    let exam = program.exam.as_ref().expect("the program has an exam");
    let all: Vec<Question> = course_pools.iter().flat_map(|(_, pool)| pool.clone()).collect();
    let exam_quotas: Vec<Quota<'_>> = exam
        .draw
        .iter()
        .map(|(slug, take)| {
            let (_, pool) = course_pools.iter().find(|(c, _)| &c.slug == slug).unwrap();
            Quota {
                questions: all.iter().filter(|q| pool.iter().any(|p| p.id == q.id)).collect(),
                take: *take as usize,
            }
        })
        .collect();
    assert_eq!(
        pass_rate(&exam_quotas, &all, exam.pass_mark, the_key, 20, &mut rng),
        1.0,
        "the key fails the exam"
    );
    let mut exam_worst: f64 = 0.0;
    for (name, strategy) in STRATEGIES {
        let rate = pass_rate(&exam_quotas, &all, exam.pass_mark, strategy, 200, &mut rng);
        assert!(
            rate <= 0.05,
            "{name} passes the exam in {:.1}% of sittings",
            rate * 100.0
        );
        exam_worst = exam_worst.max(rate);
    }

    // The curriculum's item figures.
    let singles: Vec<&Question> = all
        .iter()
        .filter(|q| q.kind == QuestionKind::Single && q.options.len() >= 3)
        .collect();
    let longest_right = loaded
        .courses
        .iter()
        .flat_map(|c| &c.modules)
        .filter_map(|m| m.quiz.as_ref())
        .flat_map(|q| &q.questions)
        .filter(|q| q.kind == QuestionKind::Single && q.options.len() >= 3 && right_is_longest(q))
        .count();
    let true_false: Vec<_> = loaded
        .courses
        .iter()
        .flat_map(|c| &c.modules)
        .filter_map(|m| m.quiz.as_ref())
        .flat_map(|q| &q.questions)
        .filter(|q| q.kind == QuestionKind::TrueFalse)
        .collect();
    let trues = true_false.iter().filter(|q| true_is_key(q)).count();
    let share = |n: usize, of: usize| n as f64 / of.max(1) as f64;
    println!(
        "{} questions in {} quiz pools (each at least twice its draw); the right option is the longest in {longest_right} \
         of {} single-choice questions ({:.0}%); {trues} of {} true/false keys are True ({:.0}%); the best strategy \
         passes {:.1}% of quiz sittings ({}) and {:.1}% of exam sittings.",
        all.len(),
        loaded
            .courses
            .iter()
            .flat_map(|c| &c.modules)
            .filter(|m| m.quiz.is_some())
            .count(),
        singles.len(),
        share(longest_right, singles.len()) * 100.0,
        true_false.len(),
        share(trues, true_false.len()) * 100.0,
        worst.0 * 100.0,
        worst.1,
        exam_worst * 100.0,
    );
    assert!(
        longest_right * 3 <= singles.len(),
        "the right option is the longest in more than a third"
    );
    assert!(
        (0.4..=0.6).contains(&share(trues, true_false.len())),
        "true/false keys out of balance"
    );
}
