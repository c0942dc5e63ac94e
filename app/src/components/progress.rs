//! A labelled progress bar.

use crate::components::day::Day;
use crate::dto::Progress;
use leptos::prelude::*;

#[component]
pub fn ProgressSummary(progress: Progress) -> impl IntoView {
    let percent = progress.percent();
    let status = match &progress.completed_on {
        Some(date) => view! {
            "Completed on "
            <Day date=date.clone() />
        }
        .into_any(),
        None => format!(
            "{} of {} modules read · {} of {} quizzes passed",
            progress.modules_read, progress.modules_total, progress.quizzes_passed, progress.quizzes_total
        )
        .into_any(),
    };
    view! {
        <div class="progress">
            <progress max="100" value=percent aria-label="Course progress">
                {format!("{percent}%")}
            </progress>
            <span>{status}</span>
        </div>
    }
}
