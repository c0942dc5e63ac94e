use crate::api::exams::{SubmitExam, load_exam};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::components::quiz_questions::QuestionField;
use crate::components::route_param::route_param;
use crate::dto::ExamSheet;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/programs/{program}/exam`: the program's final exam, with no timer.
/// Closed, with a kind word about what comes first, until every course is
/// complete and the attempt policy allows another try.
#[component]
pub fn ExamPage() -> impl IntoView {
    let program = route_param("program");
    let submit = ServerAction::<SubmitExam>::new();
    let sheet = Resource::new(program, load_exam);
    view! {
        <Loaded resource=sheet loading="Loading the exam…" error_title="The final exam" let:sheet>
            <ExamForm sheet submit />
        </Loaded>
    }
}

#[component]
fn ExamForm(sheet: ExamSheet, submit: ServerAction<SubmitExam>) -> impl IntoView {
    let count = sheet.questions.len();
    let base = format!("/programs/{}/exam/attempts", sheet.program_slug);
    let previous = (!sheet.previous_attempts.is_empty()).then(|| {
        view! {
            <details>
                <summary>"Your earlier attempts"</summary>
                <ul>
                    {sheet
                        .previous_attempts
                        .iter()
                        .map(|a| {
                            let outcome = if a.passed { "passed" } else { "not passed yet" };
                            view! {
                                <li>
                                    <a href=format!(
                                        "{base}/{}",
                                        a.attempt_id,
                                    )>{format!("{}: {}, {outcome}", a.submitted_on, a.score)}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </details>
        }
    });
    view! {
        <Title text=format!("Final exam: {}", sheet.program_title) />
        <p class="breadcrumb">
            <a href="/me">"Your progress"</a>
        </p>
        <h1>{format!("Final exam: {}", sheet.program_title)}</h1>
        <p class="lead">{sheet.about}</p>
        <p>"Your answers are saved if you submit with some left blank, so you can take a break and come back."</p>
        {previous}
        <ActionForm action=submit attr:class="quiz">
            <FormError result=submit.value().into() />
            <input type="hidden" name="program_slug" value=sheet.program_slug.clone() />
            <input type="hidden" name="sitting_id" value=sheet.sitting_id.to_string() />
            {sheet.questions.into_iter().map(|question| view! { <QuestionField question count /> }).collect_view()}
            <button type="submit" disabled=move || submit.pending().get()>
                "Submit my answers"
            </button>
        </ActionForm>
    }
}
