use crate::api::exams::load_exam_review;
use crate::components::day::Day;
use crate::components::loaded::Loaded;
use crate::components::quiz_questions::{ReviewHeading, ReviewedQuestionView};
use crate::components::route_param::route_param;
use crate::dto::{ExamAttemptId, ExamReview};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/programs/{program}/exam/attempts/{attempt}`: the exam's result, and
/// each question with the module that teaches it.
#[component]
pub fn ExamAttemptPage() -> impl IntoView {
    let attempt = route_param("attempt");
    let review = Resource::new(attempt, |id| async move {
        match id.parse::<ExamAttemptId>() {
            Ok(id) => load_exam_review(id).await,
            Err(_) => Err(AppError::NotFound),
        }
    });
    view! {
        <Loaded resource=review loading="Loading your result…" let:review>
            <ExamReviewView review />
        </Loaded>
    }
}

#[component]
fn ExamReviewView(review: ExamReview) -> impl IntoView {
    let summary = if review.passed {
        format!(
            "You scored {} and passed the final exam (the pass mark is {}%). Well done.",
            review.score, review.pass_mark
        )
    } else {
        format!(
            "You scored {}. The pass mark is {}%, so the exam isn't passed yet. {}",
            review.score,
            review.pass_mark,
            review.retake_note.as_deref().unwrap_or(
                "Look through your answers below, re-read what they point to, and try again when you're ready."
            ),
        )
    };
    let next_step = if review.passed {
        view! {
            <p>
                <a class="button" href="/me">
                    "See your certificate"
                </a>
            </p>
        }
        .into_any()
    } else if review.retake_note.is_none() {
        view! {
            <p>
                <a class="button" href=format!("/programs/{}/exam", review.program_slug)>
                    "Try the exam again"
                </a>
            </p>
        }
        .into_any()
    } else {
        ().into_any()
    };
    view! {
        <Title text=format!("Your result: {}", review.program_title) />
        <p class="breadcrumb">
            <a href="/me">"Your progress"</a>
        </p>
        <h1>{format!("Final exam: {}", review.program_title)}</h1>
        <section class=if review.passed { "result passed" } else { "result" } aria-live="polite">
            <p class="score">{summary}</p>
            <p class="meta">"Submitted on " <Day date=review.submitted_on /></p>
        </section>
        {next_step}
        <ReviewHeading full=review.full_review />
        {review.questions.into_iter().map(|question| view! { <ReviewedQuestionView question /> }).collect_view()}
    }
}
