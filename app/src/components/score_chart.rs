//! How each question scores on first attempts, as a bar chart.

use crate::components::bar_chart::{Bar, BarChart};
use crate::dto::QuestionStats;
use leptos::prelude::*;

#[component]
pub fn ScoreChart(questions: Vec<QuestionStats>) -> impl IntoView {
    let answered: Vec<QuestionStats> = questions.into_iter().filter(|q| q.answered > 0).collect();
    if answered.is_empty() {
        return view! { <p>"No quiz has been taken yet, so there is nothing to chart."</p> }.into_any();
    }
    let summary = format!(
        "Share of marks on first attempts, per question: {}.",
        answered
            .iter()
            .map(|q| format!("{} {}%", q.question_id, (q.facility * 100.0).round()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let bars = answered
        .into_iter()
        .map(|q| Bar {
            text: format!("{}%", (q.facility * 100.0).round()),
            label: q.question_id,
            share: q.facility,
            marked: q.review.is_some(),
        })
        .collect();
    view! { <BarChart bars summary axis=("0%".to_owned(), "100%".to_owned()) /> }.into_any()
}
