//! A question as a quiz or exam form asks it, and as the review reads it
//! back: shared by module quizzes and the program exam.

use crate::dto::{QuestionKind, QuizQuestion, ReviewedQuestion};
use leptos::prelude::*;

/// One question of the form: radios for one answer, boxes for several.
/// Each option is a labelled input, named `answers[ID]` (or
/// `answers[ID/POSITION]` for a box), so the form posts without script.
#[component]
pub fn QuestionField(question: QuizQuestion, count: usize) -> impl IntoView {
    let heading_id = format!("question-{}", question.number);
    let (input_type, hint) = match question.kind {
        QuestionKind::Multiple => ("checkbox", Some("Choose all that apply.")),
        QuestionKind::Single | QuestionKind::TrueFalse => ("radio", None),
    };
    let id = question.id.clone();
    view! {
        <section class="question" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone() class="question-number">
                {format!("Question {} of {count}", question.number)}
            </h2>
            {question.scenario.map(|s| view! { <p class="scenario">{s}</p> })}
            <fieldset>
                <legend class="prompt">{question.prompt}</legend>
                {hint.map(|h| view! { <p class="hint">{h}</p> })}
                {question
                    .options
                    .into_iter()
                    .map(|option| {
                        let name = match question.kind {
                            QuestionKind::Multiple => format!("answers[{id}/{}]", option.position),
                            _ => format!("answers[{id}]"),
                        };
                        view! {
                            <label class="option">
                                <input
                                    type=input_type
                                    name=name
                                    value=option.position.to_string()
                                    checked=option.saved_choice
                                />
                                <span>{option.text}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        </section>
    }
}

/// The heading over a review's questions, and what it holds back.
#[component]
pub fn ReviewHeading(full: bool) -> impl IntoView {
    if full {
        view! { <h2>"Every question, with the reasoning"</h2> }.into_any()
    } else {
        view! {
            <h2>"Your answers, with the reasoning"</h2>
            <p class="hint">
                "Which option is right stays hidden until you pass, so that your next try is a fair test of what \
                 you know. The reasoning under each of your answers says what to look at again."
            </p>
        }
        .into_any()
    }
}

/// A graded question: the credit, and the options the review may show.
#[component]
pub fn ReviewedQuestionView(question: ReviewedQuestion) -> impl IntoView {
    let credit = match question.score.percent() {
        100 => "Full credit".to_owned(),
        0 => "Not this time".to_owned(),
        _ => format!("Partial credit: {}", question.score),
    };
    let source = question.source.map(|source| {
        view! {
            <p class="meta">
                "Taught in "
                <a href=format!("/courses/{}/{}", source.course_slug, source.module_slug)>{source.module_title}</a>
                {format!(" ({})", source.course_title)}
            </p>
        }
    });
    view! {
        <section class="reviewed-question">
            <h3>{format!("Question {}", question.number)} <span class="credit">{credit}</span></h3>
            {source}
            {question.scenario.map(|s| view! { <p class="scenario">{s}</p> })}
            <p class="prompt">{question.prompt}</p>
            <ul class="reviewed-options">
                {question
                    .options
                    .into_iter()
                    .map(|option| {
                        let mut marks = Vec::new();
                        if option.chosen {
                            marks.push("Your answer");
                        }
                        if option.correct {
                            marks.push("A right answer");
                        }
                        let class = match (option.chosen, option.correct) {
                            (_, true) => "option correct",
                            (true, false) => "option chosen",
                            _ => "option",
                        };
                        view! {
                            <li class=class>
                                <p class="option-text">{option.text}</p>
                                {(!marks.is_empty()).then(|| view! { <p class="marks">{marks.join(" · ")}</p> })}
                                <p class="why">{option.why}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
