use crate::api::learning::load_attempt_review;
use crate::components::loaded::Loaded;
use crate::components::route_param::route_param;
use crate::dto::{AttemptReview, ReviewedQuestion};
use leptos::prelude::*;
use leptos_meta::Title;

/// `.../quiz/attempts/{attempt}`: the score and the reasoning for every option.
#[component]
pub fn AttemptPage() -> impl IntoView {
    let attempt = route_param("attempt");
    let review = Resource::new(attempt, |id| async move {
        match id.parse::<crate::dto::AttemptId>() {
            Ok(id) => load_attempt_review(id).await,
            Err(_) => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <Loaded resource=review loading="Loading your result…" let:review>
            <ReviewView review />
        </Loaded>
    }
}

#[component]
fn ReviewView(review: AttemptReview) -> impl IntoView {
    let module_href = format!("/courses/{}/{}", review.course_slug, review.module_slug);
    let summary = if review.passed {
        format!(
            "You scored {} and passed (the pass mark is {}%).",
            review.score, review.pass_mark
        )
    } else {
        format!(
            "You scored {}. The pass mark is {}%, so this quiz isn't passed yet. \
             Read through the explanations below, and try again whenever you're ready: there is no limit.",
            review.score, review.pass_mark
        )
    };
    let next_step = if review.course_completed {
        view! {
            <p class="success">{format!("You have completed every quiz in {}. Well done.", review.course_title)}</p>
            <p>
                <a class="button" href="/me">
                    "See your progress"
                </a>
            </p>
        }
        .into_any()
    } else if review.passed {
        match review.next_module.clone() {
            Some(next) => view! {
                <p>
                    <a class="button" href=format!("/courses/{}/{}", review.course_slug, next.slug)>
                        {format!("Next module: {}", next.title)}
                    </a>
                </p>
            }
            .into_any(),
            None => view! {
                <p>
                    <a class="button" href=format!("/courses/{}", review.course_slug)>
                        "Back to the course"
                    </a>
                </p>
            }
            .into_any(),
        }
    } else {
        view! {
            <p>
                <a class="button" href=format!("{module_href}/quiz")>
                    "Try the quiz again"
                </a>
                " "
                <a href=module_href.clone()>"Re-read the module"</a>
            </p>
        }
        .into_any()
    };
    view! {
        <Title text=format!("Your result: {}", review.module_title) />
        <p class="breadcrumb">
            <a href=format!("/courses/{}", review.course_slug)>{review.course_title.clone()}</a>
            " › "
            <a href=module_href.clone()>{review.module_title.clone()}</a>
        </p>
        <h1>{format!("Your result: {}", review.module_title)}</h1>
        <section class=if review.passed { "result passed" } else { "result" } aria-live="polite">
            <p class="score">{summary}</p>
            <p class="meta">
                {format!("Submitted on {} · course version {}", review.submitted_on, review.course_version)}
            </p>
        </section>
        {next_step}
        <h2>"Every question, with the reasoning"</h2>
        {review.questions.into_iter().map(|question| view! { <ReviewedQuestionView question /> }).collect_view()}
    }
}

#[component]
fn ReviewedQuestionView(question: ReviewedQuestion) -> impl IntoView {
    let credit = match question.score.percent() {
        100 => "Full credit".to_owned(),
        0 => "No credit this time".to_owned(),
        _ => format!("Partial credit: {}", question.score),
    };
    view! {
        <section class="reviewed-question">
            <h3>{format!("Question {}", question.number)} <span class="credit">{credit}</span></h3>
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
