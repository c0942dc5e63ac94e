//! What changed between two versions of a course, as a list a trainer can scan.

use crate::dto::{Change, VersionDiff};
use leptos::prelude::*;

fn fields_phrase(fields: &[String]) -> String {
    if fields.is_empty() {
        String::new()
    } else {
        format!(" ({})", fields.join(", "))
    }
}

#[component]
pub fn VersionDiffView(diff: VersionDiff) -> impl IntoView {
    if diff.is_empty() {
        return view! { <p>"No differences in content."</p> }.into_any();
    }
    let course = (!diff.course_fields.is_empty())
        .then(|| view! { <li>"Course details changed" {fields_phrase(&diff.course_fields)}</li> });
    view! {
        <ul class="version-diff">
            {course}
            {diff
                .modules
                .into_iter()
                .map(|module| {
                    let verb = match module.change {
                        Change::Added => "Module added",
                        Change::Removed => "Module removed",
                        Change::Changed => "Module changed",
                    };
                    let questions = (!module.questions.is_empty())
                        .then(|| {
                            view! {
                                <ul>
                                    {module
                                        .questions
                                        .into_iter()
                                        .map(|q| {
                                            view! {
                                                <li class=format!(
                                                    "change-{}",
                                                    q.change.as_str(),
                                                )>
                                                    {format!(
                                                        "Question {} {}{}: ",
                                                        q.id,
                                                        q.change.as_str(),
                                                        fields_phrase(&q.fields),
                                                    )} <q>{q.prompt}</q>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                        });
                    view! {
                        <li class=format!(
                            "change-{}",
                            module.change.as_str(),
                        )>{format!("{verb}: {}{}", module.title, fields_phrase(&module.fields))} {questions}</li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
