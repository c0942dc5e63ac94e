use crate::api::learning::load_attempt_review;
use crate::components::loaded::Loaded;
use crate::components::quiz_questions::{ReviewHeading, ReviewedQuestionView};
use crate::components::route_param::route_param;
use crate::dto::AttemptReview;
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
            "You scored {}. The pass mark is {}%, so this quiz isn't passed yet. {}",
            review.score,
            review.pass_mark,
            review
                .retake_note
                .as_deref()
                .unwrap_or("Read through the reasoning below, and try again whenever you're ready."),
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
    } else if review.retake_note.is_some() {
        view! {
            <p>
                <a class="button" href=module_href.clone()>
                    "Re-read the module"
                </a>
            </p>
        }
        .into_any()
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
        <ReviewHeading full=review.full_review />
        {review.questions.into_iter().map(|question| view! { <ReviewedQuestionView question /> }).collect_view()}
    }
}
