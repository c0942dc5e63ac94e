//! A course rule a field breaks, shown beside the field (and tied to it
//! with `aria-describedby`, so a screen reader says it with the field).

use crate::course_content::{ContentProblem, Place};
use leptos::prelude::*;

/// The messages for one field at one place.
pub fn problems_at(problems: &[ContentProblem], place: Place, field: &str) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.place == place && p.field == field)
        .map(|p| {
            if p.warning {
                format!("Advice: {}.", p.message)
            } else {
                p.message.clone()
            }
        })
        .collect()
}

/// The id to point `aria-describedby` at, when there is something to say.
pub fn described_by(id: &str, messages: &[String]) -> Option<String> {
    (!messages.is_empty()).then(|| format!("{id}-problem"))
}

#[component]
pub fn FieldProblem(id: String, messages: Vec<String>) -> impl IntoView {
    (!messages.is_empty()).then(|| {
        view! {
            <p class="field-problem" id=format!("{id}-problem")>
                {messages.join(" ")}
            </p>
        }
    })
}
