use crate::api::practice::{ReviewPractice, load_supervision_queue};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::dto::{QueuedPractice, hours_text, role_text};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/teach/queue`: sessions of practice learners logged naming the
/// signed-in supervisor, to confirm or decline.
#[component]
pub fn TeachQueuePage() -> impl IntoView {
    let review = ServerAction::<ReviewPractice>::new();
    let queue = Resource::new(move || review.version().get(), |_| load_supervision_queue());
    view! {
        <Title text="Waiting for you" />
        <p class="breadcrumb">
            <a href="/teach">"Teach"</a>
        </p>
        <h1>"Waiting for you"</h1>
        <p>
            "Learners named you as the supervisor of these sessions. Confirm only what you saw or supervised; \
             if you decline, a short note helps them know what to do next."
        </p>
        <FormError result=review.value().into() />
        <Loaded resource=queue error_title="Waiting for you" let:queue>
            <Queue queue review />
        </Loaded>
    }
}

#[component]
fn Queue(queue: Vec<QueuedPractice>, review: ServerAction<ReviewPractice>) -> impl IntoView {
    if queue.is_empty() {
        return view! { <p>"Nothing is waiting for you."</p> }.into_any();
    }
    let items = queue
        .into_iter()
        .map(|item| {
            let id = format!("practice-{}", item.id);
            let note_id = format!("{id}-note");
            let (confirm, decline) = (
                format!("Confirm for {}", item.learner),
                format!("Decline for {}", item.learner),
            );
            let summary = format!(
                "{} · {} · {}, {} as {}",
                item.learner,
                item.program,
                item.practiced_on,
                hours_text(item.minutes),
                role_text(item.role).to_lowercase()
            );
            view! {
                <li class="queued">
                    <p id=id.clone()>
                        <strong>{summary}</strong>
                        {format!(" (logged {})", item.logged_on)}
                    </p>
                    <ActionForm action=review attr:class="inline-form" attr:aria-describedby=id.clone()>
                        <input type="hidden" name="log" value=item.id.to_string() />
                        <input type="hidden" name="decision" value="confirm" />
                        <button type="submit">{confirm}</button>
                    </ActionForm>
                    <details>
                        <summary>"Decline"</summary>
                        <ActionForm action=review attr:class="stacked-form">
                            <input type="hidden" name="log" value=item.id.to_string() />
                            <input type="hidden" name="decision" value="decline" />
                            <label for=note_id.clone()>"Why (the learner sees this)"</label>
                            <textarea id=note_id.clone() name="note" rows="2" required></textarea>
                            <button type="submit">{decline}</button>
                        </ActionForm>
                    </details>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="queue">{items}</ul> }.into_any()
}
