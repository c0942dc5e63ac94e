use crate::api::learning::{SubmitQuiz, load_quiz};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::components::quiz_questions::QuestionField;
use crate::components::route_param::route_param;
use crate::dto::QuizSheet;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/courses/{course}/{module}/quiz`: the questions, with no timer. The page
/// carries no hint of which options are right; grading happens on submit.
#[component]
pub fn QuizPage() -> impl IntoView {
    let course = route_param("course");
    let module = route_param("module");
    let submit = ServerAction::<SubmitQuiz>::new();
    let sheet = Resource::new(
        move || (course(), module()),
        |(course, module)| load_quiz(course, module),
    );
    view! {
        <Loaded resource=sheet loading="Loading the quiz…" let:sheet>
            <QuizForm sheet submit />
        </Loaded>
    }
}

#[component]
fn QuizForm(sheet: QuizSheet, submit: ServerAction<SubmitQuiz>) -> impl IntoView {
    let module_href = format!("/courses/{}/{}", sheet.course_slug, sheet.module_slug);
    let count = sheet.questions.len();
    let previous = (!sheet.previous_attempts.is_empty()).then(|| {
        let base = format!("{module_href}/quiz/attempts");
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
        <Title text=format!("Quiz: {}", sheet.module_title) />
        <p class="breadcrumb">
            <a href=format!("/courses/{}", sheet.course_slug)>{sheet.course_title.clone()}</a>
            " › "
            <a href=module_href.clone()>{sheet.module_title.clone()}</a>
        </p>
        <h1>{format!("Quiz: {}", sheet.module_title)}</h1>
        <p class="lead">{sheet.about}</p>
        {previous}
        <ActionForm action=submit attr:class="quiz">
            <FormError result=submit.value().into() />
            <input type="hidden" name="course_slug" value=sheet.course_slug.clone() />
            <input type="hidden" name="module_slug" value=sheet.module_slug.clone() />
            <input type="hidden" name="sitting_id" value=sheet.sitting_id.to_string() />
            {sheet.questions.into_iter().map(|question| view! { <QuestionField question count /> }).collect_view()}
            <button type="submit" disabled=move || submit.pending().get()>
                "Submit my answers"
            </button>
        </ActionForm>
    }
}
