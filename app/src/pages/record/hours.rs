//! The record's training hours: the tally by category, live sessions to
//! sign up for, and trainings taken elsewhere.

use super::status_line;
use crate::api::training::{LogTraining, SessionSeat};
use crate::components::day::Day;
use crate::components::place::Place;
use crate::dto::{Attendance, ExternalTraining, HoursTally, LiveSession, PracticeStatus, Seat, hours_text};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The tally as requirement lines: the total, then each category's least.
pub fn hours_lines(hours: &HoursTally) -> impl IntoView + use<> {
    let total_met = hours.counted_minutes >= hours.required_minutes;
    let categories = hours
        .categories
        .iter()
        .filter(|c| c.minimum_minutes > 0)
        .map(|c| status_line(c.met(), c.describe()))
        .collect_view();
    view! {
        {status_line(total_met, hours.describe())}
        {categories}
    }
}

fn seat_text(session: &LiveSession) -> String {
    match session.seat {
        Seat::Marked(Attendance::Attended) => "You attended: its hours count.".to_owned(),
        Seat::Marked(Attendance::Absent) => "Marked as not attended.".to_owned(),
        Seat::SignedUp if session.started => "Waiting for the trainer to take attendance.".to_owned(),
        Seat::SignedUp => "You have a place.".to_owned(),
        Seat::NotSignedUp if session.taken >= session.capacity => "Full.".to_owned(),
        Seat::NotSignedUp => format!(
            "{} of {} places left.",
            session.capacity - session.taken,
            session.capacity
        ),
    }
}

/// Live sessions to come, and past ones the learner signed up for.
#[component]
pub fn Sessions(program: String, sessions: Vec<LiveSession>, seat: ServerAction<SessionSeat>) -> impl IntoView {
    let id = format!("sessions-{program}");
    let list = if sessions.is_empty() {
        view! { <p>"No live sessions are scheduled right now. Your trainer will add them here."</p> }.into_any()
    } else {
        let items = sessions
            .into_iter()
            .map(|session| {
                let choice = match (session.seat, session.started) {
                    (_, true) | (Seat::Marked(_), _) => None,
                    (Seat::SignedUp, false) => Some(("leave", format!("Give up my place in {}", session.title))),
                    (Seat::NotSignedUp, false) if session.taken < session.capacity => {
                        Some(("join", format!("Sign up for {}", session.title)))
                    }
                    (Seat::NotSignedUp, false) => None,
                };
                let button = choice.map(|(choice, label)| {
                    view! {
                        <ActionForm action=seat attr:class="inline-form">
                            <input type="hidden" name="session" value=session.id.to_string() />
                            <input type="hidden" name="choice" value=choice />
                            <button type="submit">{label}</button>
                        </ActionForm>
                    }
                });
                view! {
                    <li class="session">
                        <strong>{session.title.clone()}</strong>
                        {format!(
                            " · {} · {}, {} with {} · ",
                            session.starts,
                            hours_text(session.minutes),
                            session.category.to_lowercase(),
                            session.trainer,
                        )}
                        <Place place=session.place.clone() />
                        <br />
                        {seat_text(&session)}
                        {button}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="sessions">{items}</ul> }.into_any()
    };
    view! {
        <h3 id=id>"Live sessions"</h3>
        <p class="hint">
            "Times are local to where each session is held. Hours count once your trainer marks you as there."
        </p>
        {list}
    }
}

fn training_status(training: &ExternalTraining) -> String {
    match training.status {
        PracticeStatus::Pending => "waiting for a trainer".to_owned(),
        PracticeStatus::Confirmed => format!("approved by {}", training.reviewer),
        PracticeStatus::Declined if training.note.is_empty() => format!("not approved by {}", training.reviewer),
        PracticeStatus::Declined => format!("not approved by {}: “{}”", training.reviewer, training.note),
    }
}

/// Trainings taken elsewhere: what was logged, and the form to log one.
#[component]
pub fn ExternalTrainings(
    program: String,
    categories: Vec<(String, String)>,
    trainings: Vec<ExternalTraining>,
    log: ServerAction<LogTraining>,
) -> impl IntoView {
    let id = format!("trainings-{program}");
    let logged = (!trainings.is_empty()).then(|| {
        let rows = trainings
            .iter()
            .map(|t| {
                view! {
                    <tr>
                        <td>
                            <Day date=t.taken_on.clone() />
                        </td>
                        <td>{format!("{} ({})", t.title, t.provider)}</td>
                        <td>{format!("{}, {}", hours_text(t.minutes), t.category.to_lowercase())}</td>
                        <td>{training_status(t)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table>
                <caption>"Trainings you logged"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Training"</th>
                        <th scope="col">"Hours"</th>
                        <th scope="col">"Where it stands"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let options = categories
        .into_iter()
        .map(|(key, title)| view! { <option value=key>{title}</option> })
        .collect_view();
    let [title_id, provider_id, date_id, hours_id, category_id] =
        ["title", "provider", "date", "hours", "category"].map(|field| format!("{id}-{field}"));
    view! {
        <h3 id=id.clone()>"Trainings taken elsewhere"</h3>
        {logged}
        <ActionForm action=log attr:class="stacked-form" attr:aria-labelledby=id>
            <p class="hint">
                "A workshop, a conference session or another organization's course can count: a trainer of this \
                 program looks at it and approves it."
            </p>
            <input type="hidden" name="program" value=program />
            <label for=title_id.clone()>"Title of the training"</label>
            <input id=title_id name="title" maxlength="200" required />
            <label for=provider_id.clone()>"Who gave it"</label>
            <input id=provider_id name="provider" maxlength="200" required />
            <label for=date_id.clone()>"Date"</label>
            <input id=date_id name="taken_on" type="date" required />
            <label for=hours_id.clone()>"Hours (like 2 or 1.5)"</label>
            <input id=hours_id name="hours" inputmode="decimal" required />
            <label for=category_id.clone()>"What it covered"</label>
            <select id=category_id name="category">
                {options}
            </select>
            <button type="submit">"Log this training"</button>
        </ActionForm>
    }
}
