//! A module's text beside its preview: the one part of the editor that
//! runs in the browser.

use crate::api::teaching::preview_markdown;
use crate::components::field_problem::{FieldProblem, described_by};
use crate::raw_text::escaped_on_server;
use leptos::prelude::*;

/// The preview follows the text as it is typed, which needs JavaScript, so
/// this is an island: the rest of the editor is plain forms and ships no
/// code. Without JavaScript, "Save and preview" saves and the page comes
/// back with the saved text rendered.
#[island]
pub fn MarkdownEditor(body: String, problems: Vec<String>) -> impl IntoView {
    let typed = RwSignal::new(body.clone());
    let settled = RwSignal::new(body.clone());
    let preview = Resource::new(move || settled.get(), preview_markdown);
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        typed.set(text.clone());
        set_timeout(
            move || {
                if typed.get_untracked() == text {
                    settled.set(text);
                }
            },
            std::time::Duration::from_millis(400),
        );
    };
    view! {
        <div class="editor-split">
            <div>
                <label for="module-body">"Text (Markdown)"</label>
                <FieldProblem id="module-body".into() messages=problems.clone() />
                <textarea
                    id="module-body"
                    name="body"
                    rows="24"
                    on:input=on_input
                    aria-describedby=described_by("module-body", &problems)
                >
                    {escaped_on_server(body)}
                </textarea>
            </div>
            <section class="preview" aria-labelledby="preview-heading">
                <h2 id="preview-heading">"Preview"</h2>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match preview.await {
                            Ok(html) => view! { <div class="prose" inner_html=html></div> }.into_any(),
                            Err(error) => view! { <p class="form-error">{error.to_string()}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </div>
    }
}
