//! Publishing a course, its editors, and deleting it.

use super::*;

#[component]
pub(super) fn Publish(workspace: CourseWorkspace, actions: Actions) -> impl IntoView {
    if !workspace.has_draft {
        return view! {
            <h2>"Publishing"</h2>
            <p>
                "Learners see the published version. Any change you save here starts a draft that they won't see until you publish it."
            </p>
        }
        .into_any();
    }
    let slug = workspace.content.slug.clone();
    let pending = workspace.pending.map(|diff| {
        view! {
            <h3>"What publishing changes"</h3>
            <VersionDiffView diff />
        }
    });
    let discard_course = slug.clone();
    let discard = (!workspace.versions.is_empty()).then(|| {
        view! {
            <ActionForm action=actions.discard attr:class="inline-form">
                <FormError result=actions.discard.value().into() />
                <input type="hidden" name="course" value=discard_course />
                <button type="submit" class="secondary-button">
                    "Discard the unpublished changes"
                </button>
            </ActionForm>
        }
    });
    let ready = workspace.problems.is_empty();
    view! {
        <h2>"Publish"</h2>
        {pending}
        <ActionForm action=actions.publish attr:class="stacked-form">
            <FormError result=actions.publish.value().into() />
            <input type="hidden" name="course" value=slug.clone() />
            <label for="publish-version">"Version"</label>
            <input id="publish-version" name="version" value=workspace.suggested_version required maxlength="40" />
            <label for="publish-summary">"What changed"</label>
            <p class="hint" id="publish-summary-hint">
                "A sentence or two for other trainers, shown in the version history."
            </p>
            <textarea
                id="publish-summary"
                name="change_summary"
                rows="3"
                required
                aria-describedby="publish-summary-hint"
            ></textarea>
            <button type="submit">{if ready { "Publish" } else { "Publish (after the fixes above)" }}</button>
        </ActionForm>
        {discard}
    }
    .into_any()
}

#[component]
pub(super) fn Editors(workspace: CourseWorkspace, action: ServerAction<AddCourseEditor>) -> impl IntoView {
    let add = workspace.can_manage_editors.then(|| {
        view! {
            <ActionForm action attr:class="stacked-form">
                <FormError result=action.value().into() />
                <input type="hidden" name="course" value=workspace.content.slug.clone() />
                <label for="editor-email">"Add a trainer by email"</label>
                <input id="editor-email" name="email" type="email" required />
                <button type="submit">"Add"</button>
            </ActionForm>
        }
    });
    let list = if workspace.editors.is_empty() {
        view! { <p>"Only admins edit this course."</p> }.into_any()
    } else {
        view! { <ul>{workspace.editors.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}</ul> }
            .into_any()
    };
    view! {
        <h2>"Who edits this course"</h2>
        {list}
        {add}
    }
}

#[component]
pub(super) fn DeleteForm(slug: String, action: ServerAction<DeleteCourse>) -> impl IntoView {
    view! {
        <details class="danger-zone">
            <summary>"Delete this course"</summary>
            <p>"A course can be deleted only while no learner has started it. This cannot be undone."</p>
            <ActionForm action attr:class="stacked-form">
                <FormError result=action.value().into() />
                <input type="hidden" name="course" value=slug.clone() />
                <label for="delete-confirm">{format!("Type {slug} to confirm")}</label>
                <input id="delete-confirm" name="confirm" autocomplete="off" required />
                <button type="submit" class="danger">
                    "Delete the course"
                </button>
            </ActionForm>
        </details>
    }
}
