use crate::api::training::{ScheduleSession, load_program_sessions};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::components::place::Place;
use crate::dto::{ProgramSessions, hours_text};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The program's live sessions, and the form to schedule one; attendance
/// is taken under Teach › Waiting for you once a session has started.
#[component]
pub fn ProgramSessionsSection(program: String) -> impl IntoView {
    let schedule = ServerAction::<ScheduleSession>::new();
    let slug = program.clone();
    let sessions = Resource::new(move || slug.clone(), load_program_sessions);
    view! {
        <Loaded resource=sessions error_title="Live sessions" let:sessions>
            <SessionList sessions program=program.clone() schedule />
        </Loaded>
    }
}

#[component]
fn SessionList(sessions: ProgramSessions, program: String, schedule: ServerAction<ScheduleSession>) -> impl IntoView {
    if sessions.categories.is_empty() {
        return ().into_any();
    }
    let list = if sessions.sessions.is_empty() {
        view! { <p>"No sessions yet."</p> }.into_any()
    } else {
        let items = sessions
            .sessions
            .into_iter()
            .map(|s| {
                view! {
                    <li>
                        <strong>{s.title.clone()}</strong>
                        {format!(
                            " · {} · {}, {} · {} of {} places taken · ",
                            s.starts,
                            hours_text(s.minutes),
                            s.category.to_lowercase(),
                            s.taken,
                            s.capacity,
                        )}
                        <Place place=s.place />
                    </li>
                }
            })
            .collect_view();
        view! { <ul>{items}</ul> }.into_any()
    };
    let options = sessions
        .categories
        .into_iter()
        .map(|(key, title)| view! { <option value=key>{title}</option> })
        .collect_view();
    view! {
        <h2 id="live-sessions">"Live sessions"</h2>
        <p>"Learners sign up on their record page. Their hours count once you mark them as there."</p>
        {list}
        <ActionForm action=schedule attr:class="stacked-form" attr:aria-labelledby="live-sessions">
            <FormError result=schedule.value().into() />
            <input type="hidden" name="program" value=program />
            <label for="session-title">"Title"</label>
            <input id="session-title" name="title" maxlength="120" required />
            <label for="session-starts">"Starts (date and time, local to where it's held)"</label>
            <input id="session-starts" name="starts" type="datetime-local" required />
            <label for="session-place">"Place, or an https:// link for an online session"</label>
            <input id="session-place" name="place" maxlength="300" required />
            <label for="session-category">"Counts towards"</label>
            <select id="session-category" name="category">
                {options}
            </select>
            <label for="session-hours">"Hours (like 2 or 1.5)"</label>
            <input id="session-hours" name="hours" inputmode="decimal" required />
            <label for="session-capacity">"Places"</label>
            <input id="session-capacity" name="capacity" type="number" min="1" max="500" required />
            <button type="submit">"Schedule this session"</button>
        </ActionForm>
    }
    .into_any()
}
