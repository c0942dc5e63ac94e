//! A bar chart of how each question scores, drawn as SVG on the server so
//! that it needs no script and prints. The table beside it carries the same
//! figures for screen readers, so the chart itself is one labelled image.

use crate::dto::QuestionStats;
use leptos::prelude::*;

const BAR_HEIGHT: f64 = 18.0;
const GAP: f64 = 8.0;
const LABEL_WIDTH: f64 = 160.0;
const PLOT_WIDTH: f64 = 300.0;

#[component]
pub fn ScoreChart(questions: Vec<QuestionStats>) -> impl IntoView {
    let answered: Vec<QuestionStats> = questions.into_iter().filter(|q| q.answered > 0).collect();
    if answered.is_empty() {
        return view! { <p>"No quiz has been taken yet, so there is nothing to chart."</p> }.into_any();
    }
    let height = answered.len() as f64 * (BAR_HEIGHT + GAP) + 30.0;
    let width = LABEL_WIDTH + PLOT_WIDTH + 60.0;
    let summary = format!(
        "Share of marks on first attempts, per question: {}.",
        answered.iter().map(|q| format!("{} {}%", q.question_id, (q.facility * 100.0).round())).collect::<Vec<_>>().join(", ")
    );
    let bars = answered
        .into_iter()
        .enumerate()
        .map(|(row, q)| {
            let y = row as f64 * (BAR_HEIGHT + GAP);
            let share = (q.facility * 100.0).round();
            let class = if q.review.is_some() { "bar review" } else { "bar" };
            view! {
                <text x=LABEL_WIDTH - 6.0 y=y + BAR_HEIGHT * 0.75 text-anchor="end">{q.question_id}</text>
                <rect class=class x=LABEL_WIDTH y=y width=(q.facility * PLOT_WIDTH).max(1.0) height=BAR_HEIGHT></rect>
                <text x=LABEL_WIDTH + q.facility * PLOT_WIDTH + 6.0 y=y + BAR_HEIGHT * 0.75>{format!("{share}%")}</text>
            }
        })
        .collect_view();
    let axis_y = height - 26.0;
    view! {
        <svg class="score-chart" role="img" aria-label=summary viewBox=format!("0 0 {width} {height}") width=width height=height>
            {bars}
            <line class="axis" x1=LABEL_WIDTH y1=axis_y x2=LABEL_WIDTH + PLOT_WIDTH y2=axis_y></line>
            <text x=LABEL_WIDTH y=axis_y + 16.0 text-anchor="middle">"0%"</text>
            <text x=LABEL_WIDTH + PLOT_WIDTH y=axis_y + 16.0 text-anchor="middle">"100%"</text>
        </svg>
    }
    .into_any()
}
