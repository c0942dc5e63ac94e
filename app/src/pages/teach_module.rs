use crate::api::teaching::{
    AddQuestion, DeleteQuestion, ImportGift, MoveQuestion, SaveModule, SaveQuestion, load_course_workspace,
};
use crate::components::field_problem::{FieldProblem, described_by, problems_at};
use crate::components::loaded::Loaded;
use crate::components::notice::{ErrorNotice, FormError};
use crate::components::route_param::route_param;
use crate::course_content::{ContentProblem, ModuleContent, OptionContent, Place, QuestionContent};
use crate::dto::{EditReport, QuestionKind};
use crate::error::AppError;
use crate::raw_text::escaped_on_server;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

mod markdown_editor;
mod quiz_editor;
mod quiz_settings;
use markdown_editor::MarkdownEditor;
use quiz_editor::*;
use quiz_settings::QuizSettings;

/// Blank option rows offered under a question's options, to add more.
const SPARE_OPTION_ROWS: usize = 2;

#[derive(Clone, Copy)]
struct Actions {
    module: ServerAction<SaveModule>,
    add: ServerAction<AddQuestion>,
    save: ServerAction<SaveQuestion>,
    reorder: ServerAction<MoveQuestion>,
    delete: ServerAction<DeleteQuestion>,
    gift: ServerAction<ImportGift>,
    settings: ServerAction<crate::api::teaching::SaveQuizSettings>,
}

/// `/teach/{course}/modules/{module}`: a module's text and its quiz.
#[component]
pub fn TeachModulePage() -> impl IntoView {
    let course = route_param("course");
    let module = route_param("module");
    let actions = Actions {
        module: ServerAction::new(),
        add: ServerAction::new(),
        save: ServerAction::new(),
        reorder: ServerAction::new(),
        delete: ServerAction::new(),
        gift: ServerAction::new(),
        settings: ServerAction::new(),
    };
    let workspace = Resource::new(course, load_course_workspace);
    view! {
        <Loaded resource=workspace error_title="Teach" let:workspace>
            {
                let index = workspace.content.modules.iter().position(|m| m.slug == module());
                match index {
                    Some(index) => {
                        let course = workspace.content.slug.clone();
                        let course_title = workspace.content.title.clone();
                        let module = workspace.content.modules[index].clone();
                        let problems = workspace.problems.clone();
                        view! {
                            <Title text=format!("Edit: {}", module.title) />
                            <p class="breadcrumb">
                                <a href="/teach">"Teach"</a>
                                " › "
                                <a href=format!("/teach/{course}")>{course_title}</a>
                            </p>
                            <h1>{module.title.clone()}</h1>
                            <ModuleForm
                                course=course.clone()
                                index
                                module=module.clone()
                                problems=problems.clone()
                                action=actions.module
                            />
                            <Quiz course index module problems actions />
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <Title text="Teach" />
                            <ErrorNotice error=AppError::NotFound />
                        }
                            .into_any()
                    }
                }
            }
        </Loaded>
    }
}

/// "Saved." after a save with JavaScript on; without it the page reloads with the saved text.
#[component]
fn Saved(result: Signal<Option<Result<EditReport, AppError>>>) -> impl IntoView {
    view! {
        <p class="saved" role="status">
            {move || match result.get() {
                Some(Ok(report)) if report.notes.is_empty() => "Saved.".to_owned(),
                Some(Ok(report)) => report.notes.join(" "),
                _ => String::new(),
            }}
        </p>
    }
}

#[component]
fn ModuleForm(
    course: String,
    index: usize,
    module: ModuleContent,
    problems: Vec<ContentProblem>,
    action: ServerAction<SaveModule>,
) -> impl IntoView {
    let place = Place::Module { module: index };
    let at = |field: &str| problems_at(&problems, place, field);
    let (title_p, minutes_p, note_p, body_p) = (at("title"), at("minutes"), at("content_note"), at("body"));
    let quiz_p = problems_at(&problems, Place::Quiz { module: index }, "pass_mark");
    let quiz_pass_mark = module
        .quiz
        .as_ref()
        .map(|q| q.pass_mark.map(|p| p.to_string()).unwrap_or_default());

    let pass_mark_field = quiz_pass_mark.map(|value| {
        view! {
            <label for="quiz-pass-mark">"Quiz pass mark (percent; leave empty for the course's)"</label>
            <FieldProblem id="quiz-pass-mark".into() messages=quiz_p.clone() />
            <input
                id="quiz-pass-mark"
                name="quiz_pass_mark"
                inputmode="numeric"
                value=value
                aria-describedby=described_by("quiz-pass-mark", &quiz_p)
            />
        }
    });
    view! {
        <ActionForm action attr:class="stacked-form module-form">
            <FormError result=action.value().into() />
            <input type="hidden" name="course" value=course.clone() />
            <input type="hidden" name="module" value=module.slug.clone() />
            <label for="module-title">"Title"</label>
            <FieldProblem id="module-title".into() messages=title_p.clone() />
            <input
                id="module-title"
                name="title"
                value=module.title.clone()
                aria-describedby=described_by("module-title", &title_p)
            />
            <label for="module-minutes">"Minutes to read"</label>
            <FieldProblem id="module-minutes".into() messages=minutes_p.clone() />
            <input
                id="module-minutes"
                name="minutes"
                inputmode="numeric"
                value=module.minutes.to_string()
                aria-describedby=described_by("module-minutes", &minutes_p)
            />
            <label for="module-note">"Content note (optional)"</label>
            <p class="hint" id="module-note-hint">
                "Shown before the module, so a learner can prepare or skip ahead. Say plainly what the module discusses."
            </p>
            <FieldProblem id="module-note".into() messages=note_p.clone() />
            <textarea id="module-note" name="content_note" rows="2" aria-describedby="module-note-hint">
                {escaped_on_server(module.content_note.clone().unwrap_or_default())}
            </textarea>
            <MarkdownEditor body=module.body_markdown.clone() problems=body_p.clone() />
            {pass_mark_field}
            <div class="button-row">
                <button type="submit">"Save"</button>
                <noscript>
                    <button type="submit" name="preview" value="1" class="secondary-button">
                        "Save and preview"
                    </button>
                </noscript>
            </div>
            <Saved result=action.value().into() />
        </ActionForm>
    }
}
