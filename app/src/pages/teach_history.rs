use crate::api::teaching::{compare_versions, load_course_workspace};
use crate::components::loaded::Loaded;
use crate::components::route_param::route_param;
use crate::components::version_diff::VersionDiffView;
use crate::dto::{CourseWorkspace, VersionDiff};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/teach/{course}/history`: every published version, and what changed
/// between any two (`?from=ID&to=ID`, a plain GET form).
#[component]
pub fn TeachHistoryPage() -> impl IntoView {
    let course = route_param("course");
    let query = use_query_map();
    let pair = move || {
        let read = |name: &str| {
            query
                .read()
                .get(name)
                .and_then(|v| v.parse::<crate::dto::CourseVersionId>().ok())
        };
        read("from").zip(read("to"))
    };
    let page = Resource::new(
        move || (course(), pair()),
        |(course, pair)| async move {
            let workspace = load_course_workspace(course.clone()).await?;
            let diff = match pair {
                Some((from, to)) => Some(compare_versions(course, from, to).await?),
                None => None,
            };
            Ok::<_, AppError>((workspace, diff))
        },
    );
    view! {
        <Loaded resource=page error_title="Version history" let:loaded>
            {
                let (workspace, diff) = loaded;
                view! { <History workspace diff /> }
            }
        </Loaded>
    }
}

#[component]
fn History(workspace: CourseWorkspace, diff: Option<VersionDiff>) -> impl IntoView {
    let slug = workspace.content.slug.clone();
    let versions = workspace.versions;
    let choices = |name: &'static str, default: Option<crate::dto::CourseVersionId>| {
        let versions = versions.clone();
        view! {
            <select id=format!("compare-{name}") name=name>
                {versions
                    .into_iter()
                    .map(|v| {
                        view! {
                            <option value=v.id.to_string() selected=Some(v.id) == default>
                                {format!("Version {}", v.label)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
    };
    let (newest, previous) = (versions.first().map(|v| v.id), versions.get(1).map(|v| v.id));
    let compare = (versions.len() > 1).then(|| {
        view! {
            <form method="get" class="inline-form">
                <label for="compare-from">"Compare"</label>
                {choices("from", previous)}
                <label for="compare-to">"with"</label>
                {choices("to", newest)}
                <button type="submit">"Show changes"</button>
            </form>
        }
    });
    let result = diff.map(|diff| {
        view! {
            <section aria-labelledby="changes-heading">
                <h2 id="changes-heading">{format!("From version {} to version {}", diff.from_label, diff.to_label)}</h2>
                <VersionDiffView diff />
            </section>
        }
    });
    view! {
        <Title text=format!("Version history: {}", workspace.content.title) />
        <p class="breadcrumb">
            <a href="/teach">"Teach"</a>
            " › "
            <a href=format!("/teach/{slug}")>{workspace.content.title.clone()}</a>
        </p>
        <h1>"Version history"</h1>
        {compare}
        {result}
        {if versions.is_empty() { Some(view! { <p>"Nothing has been published yet."</p> }) } else { None }}
        <ol class="version-list">
            {versions
                .iter()
                .cloned()
                .map(|v| {
                    view! {
                        <li>
                            <strong>{format!("Version {}", v.label)}</strong>
                            {format!(
                                " · published {}{}",
                                v.published_on,
                                v.published_by.map(|by| format!(" by {by}")).unwrap_or_default(),
                            )}
                            <p>{v.change_summary.unwrap_or_else(|| "Loaded from the course files.".to_owned())}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
