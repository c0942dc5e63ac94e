use crate::api::learning::{Enroll, load_course_outline};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::components::progress::ProgressSummary;
use crate::components::route_param::route_param;
use crate::dto::{CourseOutline, ModuleSummary};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/courses/{course}`: the outline anyone can read, and enrolment.
#[component]
pub fn CoursePage() -> impl IntoView {
    let course = route_param("course");
    let enroll = ServerAction::<Enroll>::new();
    let outline = Resource::new(course, load_course_outline);
    view! {
        <Loaded resource=outline loading="Loading the course…" let:outline>
            <CourseView outline enroll />
        </Loaded>
    }
}

#[component]
fn CourseView(outline: CourseOutline, enroll: ServerAction<Enroll>) -> impl IntoView {
    let slug = outline.slug.clone();
    let first_module = outline.modules.first().map(|m| m.slug.clone());
    let next_step = match &outline.progress {
        Some(progress) => {
            let target = progress
                .resume
                .as_ref()
                .map(|m| (m.slug.clone(), format!("Continue: {}", m.title)))
                .or_else(|| first_module.clone().map(|m| (m, "Start the first module".to_owned())));
            view! {
                <ProgressSummary progress=progress.clone() />
                {target
                    .map(|(module, label)| {
                        view! {
                            <p>
                                <a class="button" href=format!("/courses/{slug}/{module}")>
                                    {label}
                                </a>
                            </p>
                        }
                    })}
            }
            .into_any()
        }
        None => view! {
            <ActionForm action=enroll attr:class="inline-form">
                <FormError result=enroll.value().into() />
                <input type="hidden" name="course_slug" value=slug.clone() />
                <button type="submit" disabled=move || enroll.pending().get()>
                    "Enroll in this course"
                </button>
            </ActionForm>
            <p class="hint">"Enrolling is free. You can leave and come back at any time."</p>
        }
        .into_any(),
    };
    let enrolled = outline.progress.is_some();
    view! {
        <Title text=outline.title.clone() />
        <p class="breadcrumb">
            <a href="/">"Courses"</a>
        </p>
        <h1>{outline.title.clone()}</h1>
        <p class="lead">{outline.summary.clone()}</p>
        {next_step}
        <h2>"What you will be able to do"</h2>
        <ul>{outline.outcomes.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}</ul>
        <h2>"Modules"</h2>
        <p class="hint">
            {format!(
                "Each module ends with a short quiz. The pass mark is {}%, and you can retake a quiz as often as you like.",
                outline.pass_mark,
            )}
        </p>
        <ol class="outline">
            {outline
                .modules
                .into_iter()
                .map(|module| view! { <OutlineItem slug=outline.slug.clone() module enrolled /> })
                .collect_view()}
        </ol>
        <p class="meta">{format!("Course version {}", outline.version)}</p>
    }
}

#[component]
fn OutlineItem(slug: String, module: ModuleSummary, enrolled: bool) -> impl IntoView {
    let status = match (module.read, module.quiz_passed, module.has_quiz) {
        (_, true, _) => Some("Quiz passed"),
        (true, false, true) => Some("Read, quiz not passed yet"),
        (true, false, false) => Some("Read"),
        _ => None,
    };
    let title = if enrolled {
        view! { <a href=format!("/courses/{slug}/{}", module.slug)>{module.title}</a> }.into_any()
    } else {
        view! { <span>{module.title}</span> }.into_any()
    };
    view! {
        <li>
            {title}
            <span class="meta">
                {format!(" · about {} minutes", module.minutes)}
                {module.has_content_note.then_some(" · has a content note")}
            </span> {status.map(|s| view! { <span class="status">{s}</span> })}
        </li>
    }
}
