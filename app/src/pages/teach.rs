use crate::api::teaching::{CreateCourse, ImportCourse, load_teach_overview};
use crate::components::loaded::Loaded;
use crate::components::notice::{FormError, PlainFormError};
use crate::dto::TeachOverview;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/teach`: the courses this trainer edits, and where new ones start.
#[component]
pub fn TeachPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| load_teach_overview());
    view! {
        <Title text="Teach" />
        <h1>"Teach"</h1>
        <p>
            <a href="/teach/queue">"Waiting for you: practice to confirm"</a>
        </p>
        <p>
            <a href="/outcomes">"Outcomes: who started, who is certified, pass rates"</a>
        </p>
        <Loaded resource=overview let:overview>
            <Overview overview />
        </Loaded>
    }
}

#[component]
fn Overview(overview: TeachOverview) -> impl IntoView {
    let create = ServerAction::<CreateCourse>::new();
    let courses = if overview.courses.is_empty() {
        view! {
            <p>
                "You aren't editing any courses yet. Start one below, or ask an admin to add you to an existing course."
            </p>
        }
        .into_any()
    } else {
        view! {
            <table class="data-table">
                <caption class="visually-hidden">"Your courses"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Course"</th>
                        <th scope="col">"Published"</th>
                        <th scope="col">"Draft"</th>
                        <th scope="col">"Learners"</th>
                    </tr>
                </thead>
                <tbody>
                    {overview
                        .courses
                        .into_iter()
                        .map(|course| {
                            view! {
                                <tr>
                                    <th scope="row">
                                        <a href=format!("/teach/{}", course.slug)>{course.title}</a>
                                    </th>
                                    <td>
                                        {course
                                            .published_version
                                            .map_or_else(|| "Not yet".to_owned(), |v| format!("Version {v}"))}
                                    </td>
                                    <td>{if course.has_draft { "Unpublished changes" } else { "—" }}</td>
                                    <td>
                                        <a href=format!("/teach/{}/learners", course.slug)>{course.learners}</a>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let programs = (!overview.programs.is_empty()).then(|| {
        view! {
            <h2>"Programs"</h2>
            <ul>
                {overview
                    .programs
                    .into_iter()
                    .map(|p| {
                        view! {
                            <li>
                                <a href=format!("/teach/programs/{}", p.slug)>{p.title}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <h2>"Your courses"</h2>
        {courses}
        {programs}
        <h2>"Start a new course"</h2>
        <ActionForm action=create attr:class="stacked-form">
            <FormError result=create.value().into() />
            <label for="new-title">"Title"</label>
            <input id="new-title" name="title" required maxlength="200" />
            <label for="new-slug">"Short name"</label>
            <p class="hint" id="new-slug-hint">
                "Lowercase letters, digits and dashes. It becomes part of the course's address and can't change later."
            </p>
            <input
                id="new-slug"
                name="slug"
                required
                pattern="[a-z0-9]+(-[a-z0-9]+)*"
                aria-describedby="new-slug-hint"
            />
            <button type="submit">"Create the course"</button>
        </ActionForm>
        <h2>"Import a course"</h2>
        <ImportForm />
    }
}

/// A plain multipart form: it works the same with JavaScript off.
#[component]
fn ImportForm() -> impl IntoView {
    use leptos::server_fn::ServerFn;
    view! {
        <form method="post" action=ImportCourse::PATH enctype="multipart/form-data" class="stacked-form">
            <PlainFormError path=ImportCourse::PATH />
            <label for="archive">"Course export (.tar.gz)"</label>
            <p class="hint" id="archive-hint">
                "A file exported from Holdspace, or course folders in the same format packed as .tar.gz. "
                "An existing course gets a new version; nothing is published if any problem is found."
            </p>
            <input
                id="archive"
                name="archive"
                type="file"
                accept=".tar.gz,.tgz,application/gzip"
                required
                aria-describedby="archive-hint"
            />
            <button type="submit">"Import"</button>
        </form>
    }
}
