mod attendance;

use crate::api::practice::{ReviewPractice, load_trainer_queue};
use crate::api::training::{RecordAttendance, ReviewTraining};
use crate::components::day::Day;
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::dto::{QueuedPractice, QueuedTraining, TrainerQueue, hours_text, role_text};
use attendance::AttendanceTaking;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/teach/queue`: everything waiting on the signed-in trainer: sessions
/// of practice that name them as supervisor, trainings taken elsewhere to
/// approve, and attendance to take.
#[component]
pub fn TeachQueuePage() -> impl IntoView {
    let review = ServerAction::<ReviewPractice>::new();
    let review_training = ServerAction::<ReviewTraining>::new();
    let attendance = ServerAction::<RecordAttendance>::new();
    let queue = Resource::new(|| (), |_| load_trainer_queue());
    view! {
        <Title text="Waiting for you" />
        <p class="breadcrumb">
            <a href="/teach">"Teach"</a>
        </p>
        <h1>"Waiting for you"</h1>
        <FormError result=review.value().into() />
        <FormError result=review_training.value().into() />
        <FormError result=attendance.value().into() />
        <Loaded resource=queue error_title="Waiting for you" let:queue>
            <Queue queue review review_training attendance />
        </Loaded>
    }
}

#[component]
fn Queue(
    queue: TrainerQueue,
    review: ServerAction<ReviewPractice>,
    review_training: ServerAction<ReviewTraining>,
    attendance: ServerAction<RecordAttendance>,
) -> impl IntoView {
    let nothing = queue.practice.is_empty()
        && queue.trainings.is_empty()
        && queue.attendance.is_empty()
        && queue.roleplays.is_empty();
    if nothing {
        return view! { <p>"Nothing is waiting for you."</p> }.into_any();
    }
    let practice = (!queue.practice.is_empty()).then(|| {
        let items = queue
            .practice
            .into_iter()
            .map(|item| view! { <PracticeItem item review /> })
            .collect_view();
        view! {
            <h2>"Practice to confirm"</h2>
            <p>
                "Learners named you as the supervisor of these sessions. Confirm only what you saw or supervised; \
                 if you decline, a short note helps them know what to do next."
            </p>
            <ul class="queue">{items}</ul>
        }
    });
    let trainings = (!queue.trainings.is_empty()).then(|| {
        let items = queue
            .trainings
            .into_iter()
            .map(|item| view! { <TrainingItem item review=review_training /> })
            .collect_view();
        view! {
            <h2>"Trainings to approve"</h2>
            <p>
                "Learners of your programs took these trainings elsewhere. Approve those that fit the category \
                 they chose; if you decline, say what would count instead."
            </p>
            <ul class="queue">{items}</ul>
        }
    });
    let sheets = (!queue.attendance.is_empty()).then(|| {
        let items = queue
            .attendance
            .into_iter()
            .map(|sheet| view! { <AttendanceTaking sheet attendance /> })
            .collect_view();
        view! {
            <h2>"Attendance to take"</h2>
            <p>"Only attended hours count, so please mark everyone who signed up."</p>
            <ul class="queue">{items}</ul>
        }
    });
    let roleplays = (!queue.roleplays.is_empty()).then(|| {
        let items = queue
            .roleplays
            .into_iter()
            .map(|waiting| {
                view! {
                    <li>
                        <a href=format!("/teach/programs/{}", waiting.program_slug)>{waiting.program_title}</a>
                        {format!(": {}", waiting.learners.join(", "))}
                    </li>
                }
            })
            .collect_view();
        view! {
            <h2>"Role plays to watch"</h2>
            <p>
                "These learners have finished the courses and have a role play still to pass. Score it on the \
                 program's page once you have watched it."
            </p>
            <ul>{items}</ul>
        }
    });
    view! {
        {practice}
        {trainings}
        {sheets}
        {roleplays}
    }
    .into_any()
}

/// What a reviewer decides on, and the action that sends it.
#[derive(Clone, Copy)]
enum Reviewing {
    Practice(ServerAction<ReviewPractice>),
    Training(ServerAction<ReviewTraining>),
}

impl Reviewing {
    /// A form sending `fields` plus the item's id to the right action.
    fn form(self, id: String, class: &'static str, described_by: Option<String>, fields: AnyView) -> AnyView {
        match self {
            Reviewing::Practice(action) => view! {
                <ActionForm action attr:class=class attr:aria-describedby=described_by>
                    <input type="hidden" name="log" value=id />
                    {fields}
                </ActionForm>
            }
            .into_any(),
            Reviewing::Training(action) => view! {
                <ActionForm action attr:class=class attr:aria-describedby=described_by>
                    <input type="hidden" name="training" value=id />
                    {fields}
                </ActionForm>
            }
            .into_any(),
        }
    }
}

/// Confirm, or decline with a note the learner reads.
#[component]
fn Decision(reviewing: Reviewing, id: String, described_by: String, learner: String) -> impl IntoView {
    let note_id = format!("{described_by}-note");
    let confirm = view! {
        <input type="hidden" name="decision" value="confirm" />
        <button type="submit">{format!("Confirm for {learner}")}</button>
    }
    .into_any();
    let decline = view! {
        <input type="hidden" name="decision" value="decline" />
        <label for=note_id.clone()>"Why (the learner sees this)"</label>
        <textarea id=note_id name="note" rows="2" required></textarea>
        <button type="submit">{format!("Decline for {learner}")}</button>
    }
    .into_any();
    view! {
        {reviewing.form(id.clone(), "inline-form", Some(described_by), confirm)}
        <details>
            <summary>"Decline"</summary>
            {reviewing.form(id, "stacked-form", None, decline)}
        </details>
    }
}

#[component]
fn PracticeItem(item: QueuedPractice, review: ServerAction<ReviewPractice>) -> impl IntoView {
    let id = format!("practice-{}", item.id);
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
                " (logged "
                <Day date=item.logged_on />
                ")"
            </p>
            <Decision
                reviewing=Reviewing::Practice(review)
                id=item.id.to_string()
                described_by=id
                learner=item.learner
            />
        </li>
    }
}

#[component]
fn TrainingItem(item: QueuedTraining, review: ServerAction<ReviewTraining>) -> impl IntoView {
    let id = format!("training-{}", item.id);
    let summary = format!(
        "{} · {} · “{}” by {}, {}, {} of {}",
        item.learner,
        item.program,
        item.title,
        item.provider,
        item.taken_on,
        hours_text(item.minutes),
        item.category.to_lowercase()
    );
    view! {
        <li class="queued">
            <p id=id.clone()>
                <strong>{summary}</strong>
                " (logged "
                <Day date=item.logged_on />
                ")"
            </p>
            <Decision
                reviewing=Reviewing::Training(review)
                id=item.id.to_string()
                described_by=id
                learner=item.learner
            />
        </li>
    }
}
