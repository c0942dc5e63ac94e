use crate::api::practice::{DeleteReflections, SaveReflection, load_reflections};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::components::route_param::route_param;
use crate::dto::{Reflection, Reflections};
use crate::raw_text::escaped_on_server;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/me/reflections/{course}`: a course's reflection prompts, each with a
/// box for the learner's own answer. Only they read what they write.
#[component]
pub fn ReflectionsPage() -> impl IntoView {
    let course = route_param("course");
    let save = ServerAction::<SaveReflection>::new();
    let delete = ServerAction::<DeleteReflections>::new();
    let reflections = Resource::new(course, load_reflections);
    view! {
        <Title text="Reflection" />
        <FormError result=save.value().into() />
        <FormError result=delete.value().into() />
        <Loaded resource=reflections error_title="Reflection" let:reflections>
            <Prompts reflections save delete />
        </Loaded>
    }
}

#[component]
fn Prompts(
    reflections: Reflections,
    save: ServerAction<SaveReflection>,
    delete: ServerAction<DeleteReflections>,
) -> impl IntoView {
    let course = reflections.course_slug.clone();
    let any_written = reflections.prompts.iter().any(|p| !p.answer.is_empty());
    let mut sections: Vec<(String, String, Vec<Reflection>)> = Vec::new();
    for prompt in reflections.prompts {
        match sections.last_mut() {
            Some((slug, _, prompts)) if *slug == prompt.module_slug => prompts.push(prompt),
            _ => sections.push((prompt.module_slug.clone(), prompt.module_title.clone(), vec![prompt])),
        }
    }
    let body = if sections.is_empty() {
        view! { <p>"This course has no reflection questions yet."</p> }.into_any()
    } else {
        sections
            .into_iter()
            .map(|(slug, title, prompts)| {
                let (labelled_by, heading) = (format!("{slug}-heading"), format!("{slug}-heading"));
                let items = prompts
                    .into_iter()
                    .map(|prompt| view! { <Prompt prompt course=course.clone() save /> })
                    .collect_view();
                view! {
                    <section id=slug aria-labelledby=labelled_by>
                        <h2 id=heading>{title}</h2>
                        {items}
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    let delete_all = any_written.then(|| {
        view! {
            <ActionForm action=delete attr:class="stacked-form">
                <input type="hidden" name="course" value=course.clone() />
                <p class="checkbox">
                    <input id="delete-sure" type="checkbox" name="sure" value="yes" required />
                    <label for="delete-sure">"Yes, delete everything I wrote for this course"</label>
                </p>
                <button type="submit">"Delete my answers"</button>
            </ActionForm>
        }
    });
    view! {
        <p class="breadcrumb">
            <a href=format!("/courses/{}", reflections.course_slug)>{reflections.course_title.clone()}</a>
        </p>
        <h1>{format!("Reflection: {}", reflections.course_title)}</h1>
        <p>
            "Questions to think through in your own words. Only you can read what you write here: not your trainer, \
             not your organization. Your answers are in your data download, and you can delete them at any time. \
             Please don't write anything that could identify a group member."
        </p>
        {body}
        {delete_all}
    }
}

#[component]
fn Prompt(prompt: Reflection, course: String, save: ServerAction<SaveReflection>) -> impl IntoView {
    let id = format!("reflect-{}", prompt.key);
    let saved = prompt
        .saved_on
        .clone()
        .map(|on| view! { <p class="hint">{format!("Saved {on}.")}</p> });
    view! {
        <ActionForm action=save attr:class="stacked-form">
            <input type="hidden" name="course" value=course />
            <input type="hidden" name="prompt" value=prompt.key.clone() />
            <label for=id.clone()>{prompt.text}</label>
            <textarea id=id name="answer" rows="4" maxlength="5000">
                {escaped_on_server(prompt.answer)}
            </textarea>
            {saved}
            <button type="submit">"Save"</button>
        </ActionForm>
    }
}
