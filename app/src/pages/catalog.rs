use crate::api::learning::load_catalog;
use crate::components::loaded::Loaded;
use crate::components::progress::ProgressSummary;
use crate::dto::{CourseCard, hours_text};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/`: every published course.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let courses = Resource::new(|| (), |_| load_catalog());
    let deleted = use_query_map()
        .read_untracked()
        .get("account")
        .is_some_and(|a| a == "deleted");
    view! {
        <Title text="" />
        {deleted
            .then(|| {
                view! {
                    <p class="success" role="status">
                        "Your account and progress have been deleted. Thank you for the learning you did here, and take care."
                    </p>
                }
            })}
        <h1>"Courses for peer support facilitators"</h1>
        <p class="lead">
            "Learn at your own pace. Every course can be paused and picked up again, "
            "and quizzes can be retaken as often as you like."
        </p>
        <Loaded resource=courses loading="Loading the courses…" let:loaded>
            {match loaded {
                courses if courses.is_empty() => {
                    view! { <p>"No courses are published yet. Please check back soon."</p> }.into_any()
                }
                courses => {
                    view! {
                        <ul class="cards">
                            {courses.into_iter().map(|course| view! { <CourseCardView course /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </Loaded>
    }
}

#[component]
fn CourseCardView(course: CourseCard) -> impl IntoView {
    let href = format!("/courses/{}", course.slug);
    view! {
        <li class="card">
            <h2>
                <a href=href>{course.title}</a>
            </h2>
            <p>{course.summary}</p>
            <p class="meta">
                {format!(
                    "{} modules · about {}",
                    course.module_count,
                    hours_text(i32::try_from(course.minutes).unwrap_or(i32::MAX)),
                )}
            </p>
            {course.progress.map(|progress| view! { <ProgressSummary progress /> })}
        </li>
    }
}
