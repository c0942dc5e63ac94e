use super::*;
use holdspace_app::course_content::{ModuleContent, OptionContent};

fn option(text: &str, correct: bool) -> OptionContent {
    OptionContent {
        text: text.into(),
        correct,
        why: "Because of the reasons given.".into(),
    }
}

fn single(id: &str, options: Vec<OptionContent>) -> QuestionContent {
    QuestionContent {
        id: id.into(),
        kind: QuestionKind::Single,
        scenario: None,
        prompt: "A member cries. What do you do?".into(),
        group: None,
        options,
    }
}

fn true_false(id: &str, key: bool) -> QuestionContent {
    QuestionContent {
        id: id.into(),
        kind: QuestionKind::TrueFalse,
        scenario: None,
        prompt: "True or false: silence is fine.".into(),
        group: None,
        options: vec![option("True", key), option("False", !key)],
    }
}

fn course(questions: Vec<QuestionContent>, draw: Option<u32>) -> CourseContent {
    CourseContent {
        slug: "c".into(),
        title: "C".into(),
        version: "1".into(),
        summary: "S".into(),
        outcomes: vec!["O".into()],
        pass_mark: 80,
        review: Default::default(),
        modules: vec![ModuleContent {
            slug: "m".into(),
            title: "M".into(),
            minutes: 5,
            content_note: None,
            body_markdown: "Body".into(),
            quiz: Some(QuizContent {
                draw,
                questions,
                ..Default::default()
            }),
        }],
    }
}

fn messages(course: &CourseContent) -> Vec<String> {
    check(course)
        .into_iter()
        .map(|p| format!("{}{}", if p.warning { "W " } else { "E " }, p.message))
        .collect()
}

#[test]
fn a_long_key_the_others_and_an_echoed_option_are_warned_about() {
    let cued = single(
        "cued",
        vec![
            option(
                "Stay with them, make room for tears, and ask gently what would help right now",
                true,
            ),
            option("Move on", false),
            option("All of the above", false),
        ],
    );
    let found = messages(&course(vec![cued], None));
    assert!(
        found.iter().any(|m| m.starts_with("W ") && m.contains("much longer")),
        "{found:?}"
    );
    assert!(found.iter().any(|m| m.contains("elimination")), "{found:?}");
    let echoed = single(
        "echo",
        vec![option("A member cries", true), option("Wait and see", false)],
    );
    assert!(
        messages(&course(vec![echoed], None))
            .iter()
            .any(|m| m.contains("word for word"))
    );
}

#[test]
fn a_prompt_that_repeats_the_pages_hint_is_warned_about() {
    let mut several = single(
        "several",
        vec![
            option("Pause and ask", true),
            option("Offer water", true),
            option("Move on fast", false),
        ],
    );
    several.kind = QuestionKind::Multiple;
    several.prompt = "Which of these help? Select all that apply.".into();
    let found = messages(&course(vec![several.clone()], None));
    assert!(
        found.iter().any(|m| m.starts_with("W ") && m.contains("says it twice")),
        "{found:?}"
    );
    several.prompt = "Which of these help?".into();
    assert!(
        !messages(&course(vec![several], None))
            .iter()
            .any(|m| m.contains("says it twice"))
    );
}

#[test]
fn balanced_items_of_equal_length_pass_quietly() {
    let fair = single(
        "fair",
        vec![
            option("Pause and ask what would help", true),
            option("Suggest a short break for all", false),
        ],
    );
    let mut questions = vec![fair, true_false("t", true), true_false("f", false)];
    questions.extend((0..3).map(|i| single(&format!("q{i}"), vec![option("Yes", true), option("No", false)])));
    assert_eq!(messages(&course(questions, Some(3))), Vec::<String>::new());
}

#[test]
fn a_small_pool_and_one_sided_keys_are_warned_and_a_wide_margin_is_refused() {
    let questions: Vec<_> = (0..6).map(|i| true_false(&format!("t{i}"), false)).collect();
    let found = messages(&course(questions, Some(4)));
    assert!(found.iter().any(|m| m.starts_with("W 0 of the quiz's 6")), "{found:?}");
    assert!(
        found
            .iter()
            .any(|m| m.starts_with("W the pool holds 6 questions for a draw of 4")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|m| m.starts_with("E 0 of this course's 6 true/false")),
        "{found:?}"
    );
    let longest: Vec<_> = (0..6)
        .map(|i| {
            single(
                &format!("s{i}"),
                vec![
                    option("The right one, longer", true),
                    option("No", false),
                    option("Nope", false),
                ],
            )
        })
        .collect();
    assert!(
        messages(&course(longest, None))
            .iter()
            .any(|m| m.starts_with("E in 6 of this course's 6"))
    );
}
