use crate::api::learning::{Enroll, load_module};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::components::route_param::route_param;
use crate::dto::{ModuleAccess, ModulePage as Page};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/courses/{course}/{module}`: a module to read. A module with a content
/// note shows the note first; the body comes only after the learner
/// chooses to continue (a plain link, `?note=continue`, so it works without
/// JavaScript).
#[component]
pub fn ModulePage() -> impl IntoView {
    let course = route_param("course");
    let module = route_param("module");
    let query = use_query_map();
    let past_note = move || query.read().get("note").as_deref() == Some("continue");
    let page = Resource::new(
        move || (course(), module(), past_note()),
        |(course, module, past_note)| load_module(course, module, past_note),
    );
    view! {
        <Loaded resource=page loading="Loading the module…" let:loaded>
            {match loaded {
                ModuleAccess::Readable(page) => view! { <ModuleView page=*page /> }.into_any(),
                ModuleAccess::NotEnrolled { course_slug, course_title } => {
                    let enroll = ServerAction::<Enroll>::new();
                    let outline_href = format!("/courses/{course_slug}");
                    view! {
                        <Title text=course_title.clone() />
                        <h1>{course_title}</h1>
                        <p>"This module is part of a course you haven't enrolled in yet."</p>
                        <ActionForm action=enroll attr:class="inline-form">
                            <FormError result=enroll.value().into() />
                            <input type="hidden" name="course_slug" value=course_slug />
                            <button type="submit">"Enroll in this course"</button>
                        </ActionForm>
                        <p>
                            <a href=outline_href>"Read the course outline first"</a>
                        </p>
                    }
                        .into_any()
                }
            }}
        </Loaded>
    }
}

#[component]
fn ModuleView(page: Page) -> impl IntoView {
    let course_href = format!("/courses/{}", page.course_slug);
    let module_href = |slug: &str| format!("/courses/{}/{slug}", page.course_slug);
    let header = view! {
        <Title text=page.title.clone() />
        <p class="breadcrumb">
            <a href=course_href.clone()>{page.course_title.clone()}</a>
        </p>
        <h1>{page.title.clone()}</h1>
        <p class="meta">
            {format!("Module {} of {} · about {} minutes", page.position, page.module_count, page.minutes)}
        </p>
    };
    let Some(body_html) = page.body_html.clone() else {
        let note = page.content_note.clone().unwrap_or_default();
        let skip = page.next.as_ref().map(|next| {
            view! {
                <li>
                    <a href=module_href(&next.slug)>"Skip to the next module"</a>
                </li>
            }
        });
        return view! {
            {header}
            <section class="content-note" aria-labelledby="content-note-heading">
                <h2 id="content-note-heading">"Content note"</h2>
                <p>{note}</p>
                <p>"You can read on now, come back later, or pause at any point while reading."</p>
                <ul class="choices">
                    <li>
                        <a class="button" href="?note=continue">
                            "Continue to the module"
                        </a>
                    </li>
                    <li>
                        <a href=course_href>"Go back to the course"</a>
                    </li>
                    {skip}
                </ul>
            </section>
        }
        .into_any();
    };
    let quiz = page.has_quiz.then(|| {
        let href = format!("/courses/{}/{}/quiz", page.course_slug, page.slug);
        let label = if page.quiz_passed {
            "Look at the quiz again"
        } else {
            "Take the quiz"
        };
        view! {
            <section class="quiz-callout">
                <h2>"Check your understanding"</h2>
                {page.quiz_passed.then_some(view! { <p>"You have passed this module's quiz."</p> })}
                <p>
                    <a class="button" href=href>
                        {label}
                    </a>
                </p>
            </section>
        }
    });
    let previous = page.previous.as_ref().map(|m| {
        view! {
            <a rel="prev" href=module_href(&m.slug)>
                {format!("Previous: {}", m.title)}
            </a>
        }
    });
    let next = page.next.as_ref().map(|m| {
        view! {
            <a rel="next" href=module_href(&m.slug)>
                {format!("Next: {}", m.title)}
            </a>
        }
    });
    view! {
        {header}
        <article class="prose" inner_html=body_html></article>
        {quiz}
        <p>
            <a href=format!(
                "/me/reflections/{}#{}",
                page.course_slug,
                page.slug,
            )>"Reflect on this module: questions to answer for yourself, kept private"</a>
        </p>
        <nav class="pager" aria-label="Modules">
            {previous}
            {next}
        </nav>
    }
    .into_any()
}
