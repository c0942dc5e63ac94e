use crate::api::teaching::{
    AddCourseEditor, AddModule, DeleteCourse, DiscardDraft, MoveModule, PublishCourse, RemoveModule, SaveCourseDetails,
    load_course_workspace,
};
use crate::components::field_problem::{FieldProblem, described_by, problems_at};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::components::route_param::route_param;
use crate::components::version_diff::VersionDiffView;
use crate::course_content::{Place, ReviewPolicy};
use crate::dto::CourseWorkspace;
use crate::raw_text::escaped_on_server;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

mod publishing;
use publishing::*;

/// The actions of this page: each of its forms posts through one.
#[derive(Clone, Copy)]
struct Actions {
    details: ServerAction<SaveCourseDetails>,
    add_module: ServerAction<AddModule>,
    move_module: ServerAction<MoveModule>,
    remove_module: ServerAction<RemoveModule>,
    publish: ServerAction<PublishCourse>,
    discard: ServerAction<DiscardDraft>,
    add_editor: ServerAction<AddCourseEditor>,
    delete: ServerAction<DeleteCourse>,
}

impl Actions {
    fn new() -> Self {
        Actions {
            details: ServerAction::new(),
            add_module: ServerAction::new(),
            move_module: ServerAction::new(),
            remove_module: ServerAction::new(),
            publish: ServerAction::new(),
            discard: ServerAction::new(),
            add_editor: ServerAction::new(),
            delete: ServerAction::new(),
        }
    }
}

/// `/teach/{course}`: a course's details, modules, publishing and history.
#[component]
pub fn TeachCoursePage() -> impl IntoView {
    let course = route_param("course");
    let actions = Actions::new();
    let workspace = Resource::new(course, load_course_workspace);
    view! {
        <Loaded resource=workspace error_title="Teach" let:workspace>
            <Workspace workspace actions />
        </Loaded>
    }
}

#[component]
fn Workspace(workspace: CourseWorkspace, actions: Actions) -> impl IntoView {
    let slug = workspace.content.slug.clone();
    let title = workspace.content.title.clone();
    let published = workspace.versions.first().cloned();
    let status = match (&published, &workspace.draft_saved) {
        (Some(v), Some(saved)) => format!(
            "Learners see version {}. You have unpublished changes, last saved {saved}.",
            v.label
        ),
        (Some(v), None) => format!("Learners see version {}. There are no unpublished changes.", v.label),
        (None, Some(saved)) => format!("Not published yet: learners can't see this course. Last saved {saved}."),
        (None, None) => "Not published yet.".to_owned(),
    };
    let export = published.as_ref().map(|_| {
        view! {
            <li>
                <a href=format!("/teach/{slug}/export.tar.gz") download="">
                    "Export as .tar.gz"
                </a>
            </li>
        }
    });
    view! {
        <Title text=format!("Edit: {title}") />
        <p class="breadcrumb">
            <a href="/teach">"Teach"</a>
        </p>
        <h1>{title}</h1>
        <p class="lead">{status}</p>
        <ul class="inline-links">
            <li>
                <a href=format!("/teach/{slug}/learners")>"Learners and statistics"</a>
            </li>
            <li>
                <a href=format!("/teach/{slug}/history")>"Version history"</a>
            </li>
            {export}
        </ul>
        <ProblemSummary workspace=workspace.clone() />
        <DetailsForm workspace=workspace.clone() action=actions.details />
        <Modules workspace=workspace.clone() actions />
        <Publish workspace=workspace.clone() actions />
        <Editors workspace=workspace.clone() action=actions.add_editor />
        <DeleteForm slug=slug.clone() action=actions.delete />
    }
}

#[component]
fn ProblemSummary(workspace: CourseWorkspace) -> impl IntoView {
    let count = workspace.problems.len();
    (count > 0).then(|| {
        let modules = workspace.content.modules.clone();
        view! {
            <section class="notice" aria-labelledby="problems-heading">
                <h2 id="problems-heading">
                    {format!("{count} thing{} to finish before publishing", if count == 1 { "" } else { "s" })}
                </h2>
                <ul>
                    {workspace
                        .problems
                        .into_iter()
                        .map(|problem| {
                            let module = match problem.place {
                                Place::Course => None,
                                Place::Module { module }
                                | Place::Quiz { module }
                                | Place::Question { module, .. }
                                | Place::Option { module, .. } => modules.get(module),
                            };
                            match module {
                                Some(module) => {
                                    view! {
                                        <li>
                                            <a href=format!(
                                                "/teach/{}/modules/{}",
                                                workspace.content.slug,
                                                module.slug,
                                            )>{module.title.clone()}</a>
                                            {format!(": {}", problem.message)}
                                        </li>
                                    }
                                        .into_any()
                                }
                                None => view! { <li>{problem.message}</li> }.into_any(),
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn DetailsForm(workspace: CourseWorkspace, action: ServerAction<SaveCourseDetails>) -> impl IntoView {
    let content = workspace.content;
    let problems = workspace.problems;
    let at = |field: &str| problems_at(&problems, Place::Course, field);
    let (title_p, summary_p, outcomes_p, pass_p) = (at("title"), at("summary"), at("outcomes"), at("pass_mark"));
    view! {
        <h2>"Course details"</h2>
        <ActionForm action attr:class="stacked-form">
            <FormError result=action.value().into() />
            <input type="hidden" name="course" value=content.slug.clone() />
            <label for="course-title">"Title"</label>
            <FieldProblem id="course-title".into() messages=title_p.clone() />
            <input
                id="course-title"
                name="title"
                value=content.title.clone()
                aria-describedby=described_by("course-title", &title_p)
            />
            <label for="course-summary">"Summary"</label>
            <FieldProblem id="course-summary".into() messages=summary_p.clone() />
            <textarea
                id="course-summary"
                name="summary"
                rows="3"
                aria-describedby=described_by("course-summary", &summary_p)
            >
                {escaped_on_server(content.summary.clone())}
            </textarea>
            <label for="course-outcomes">"Outcomes, one per line"</label>
            <FieldProblem id="course-outcomes".into() messages=outcomes_p.clone() />
            <textarea
                id="course-outcomes"
                name="outcomes"
                rows="4"
                aria-describedby=described_by("course-outcomes", &outcomes_p)
            >
                {escaped_on_server(content.outcomes.join("\n"))}
            </textarea>
            <label for="course-pass-mark">"Pass mark (percent)"</label>
            <FieldProblem id="course-pass-mark".into() messages=pass_p.clone() />
            <input
                id="course-pass-mark"
                name="pass_mark"
                inputmode="numeric"
                value=content.pass_mark.to_string()
                aria-describedby=described_by("course-pass-mark", &pass_p)
            />
            <label for="course-review">"After a quiz try that does not pass, the review shows"</label>
            <select id="course-review" name="review">
                <option value="after_pass" selected=content.review == ReviewPolicy::AfterPass>
                    "which questions were missed and the reasoning for the answers chosen (the key waits for a pass)"
                </option>
                <option value="always" selected=content.review == ReviewPolicy::Always>
                    "every answer's reasoning, the key included"
                </option>
            </select>
            <button type="submit">"Save details"</button>
        </ActionForm>
    }
}

#[component]
fn Modules(workspace: CourseWorkspace, actions: Actions) -> impl IntoView {
    let slug = workspace.content.slug.clone();
    let count = workspace.content.modules.len();
    let modules_p = problems_at(&workspace.problems, Place::Course, "modules");
    let problems = workspace.problems.clone();
    let rows = workspace
        .content
        .modules
        .into_iter()
        .enumerate()
        .map(|(index, module)| {
            let to_fix = problems
                .iter()
                .filter(|p| match p.place {
                    Place::Course => false,
                    Place::Module { module }
                    | Place::Quiz { module }
                    | Place::Question { module, .. }
                    | Place::Option { module, .. } => module == index,
                })
                .count();
            let questions = module.quiz.as_ref().map_or(0, |q| q.questions.len());
            let facts = format!(
                "{} min · {}{}",
                module.minutes,
                if questions == 0 {
                    "no quiz".to_owned()
                } else {
                    format!("quiz of {questions}")
                },
                if to_fix > 0 {
                    format!(" · {to_fix} to finish")
                } else {
                    String::new()
                },
            );
            view! {
                <li>
                    <a href=format!("/teach/{slug}/modules/{}", module.slug)>{module.title.clone()}</a>
                    <span class="meta">{facts}</span>
                    <ModuleButtons
                        course=slug.clone()
                        module=module.slug.clone()
                        title=module.title.clone()
                        first=index == 0
                        last=index + 1 == count
                        actions
                    />
                </li>
            }
        })
        .collect_view();
    view! {
        <h2>"Modules"</h2>
        <FieldProblem id="course-modules".into() messages=modules_p />
        <ol class="module-editor-list">{rows}</ol>
        <h3>"Add a module"</h3>
        <ActionForm action=actions.add_module attr:class="stacked-form">
            <FormError result=actions.add_module.value().into() />
            <input type="hidden" name="course" value=slug.clone() />
            <label for="module-title">"Title"</label>
            <input id="module-title" name="title" required />
            <label for="module-slug">"Short name"</label>
            <p class="hint" id="module-slug-hint">
                "Lowercase letters, digits and dashes, like \"closing-a-session\". It can't change later: learners' progress follows it."
            </p>
            <input
                id="module-slug"
                name="slug"
                required
                pattern="[a-z0-9]+(-[a-z0-9]+)*"
                aria-describedby="module-slug-hint"
            />
            <button type="submit">"Add the module"</button>
        </ActionForm>
    }
}

#[component]
fn ModuleButtons(
    course: String,
    module: String,
    title: String,
    first: bool,
    last: bool,
    actions: Actions,
) -> impl IntoView {
    let mover = |direction: &'static str, enabled: bool| {
        let label = format!("Move {title} {direction}");
        let (course, module) = (course.clone(), module.clone());
        enabled.then(|| {
            view! {
                <ActionForm action=actions.move_module attr:class="inline-form">
                    <input type="hidden" name="course" value=course />
                    <input type="hidden" name="module" value=module />
                    <input type="hidden" name="direction" value=direction />
                    <button type="submit" class="small-button" aria-label=label>
                        {if direction == "up" { "↑" } else { "↓" }}
                    </button>
                </ActionForm>
            }
        })
    };
    let up = mover("up", !first);
    let down = mover("down", !last);
    let remove_label = format!("Remove {title}");
    view! {
        {up}
        {down}
        <ActionForm action=actions.remove_module attr:class="inline-form">
            <input type="hidden" name="course" value=course.clone() />
            <input type="hidden" name="module" value=module.clone() />
            <button type="submit" class="small-button" aria-label=remove_label>
                "Remove"
            </button>
        </ActionForm>
    }
}
