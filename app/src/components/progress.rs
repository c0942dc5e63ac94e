//! A labelled progress bar.

use crate::dto::Progress;
use leptos::prelude::*;

#[component]
pub fn ProgressSummary(progress: Progress) -> impl IntoView {
    let percent = progress.percent();
    let status = match &progress.completed_on {
        Some(date) => format!("Completed on {date}"),
        None => format!(
            "{} of {} modules read · {} of {} quizzes passed",
            progress.modules_read, progress.modules_total, progress.quizzes_passed, progress.quizzes_total
        ),
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
