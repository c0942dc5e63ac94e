use crate::api::training::RecordAttendance;
use crate::dto::{Attendance, AttendanceSheet, hours_text};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// Marks who came to a session: each learner who signed up, attended or absent.
#[component]
pub fn AttendanceTaking(sheet: AttendanceSheet, attendance: ServerAction<RecordAttendance>) -> impl IntoView {
    let session = sheet.session;
    let id = format!("session-{}", session.id);
    let seats = sheet
        .seats
        .into_iter()
        .map(|seat| {
            let base = format!("{id}-{}", seat.learner_id);
            let (came, absent) = (format!("{base}-attended"), format!("{base}-absent"));
            let name = format!("marks[{}]", seat.learner_id);
            view! {
                <fieldset class="checklist-item">
                    <legend>{seat.learner}</legend>
                    <input
                        id=came.clone()
                        type="radio"
                        name=name.clone()
                        value="attended"
                        required
                        checked=seat.attendance == Some(Attendance::Attended)
                    />
                    <label for=came>"Attended"</label>
                    <input
                        id=absent.clone()
                        type="radio"
                        name=name
                        value="absent"
                        checked=seat.attendance == Some(Attendance::Absent)
                    />
                    <label for=absent>"Didn't come"</label>
                </fieldset>
            }
        })
        .collect_view();
    let summary = format!(
        "{} · {} · {}, {} of {}",
        session.title,
        sheet.program,
        session.starts,
        hours_text(session.minutes),
        session.category.to_lowercase()
    );
    view! {
        <li class="queued">
            <p id=id.clone()>
                <strong>{summary}</strong>
            </p>
            <ActionForm action=attendance attr:class="stacked-form" attr:aria-describedby=id>
                <input type="hidden" name="session" value=session.id.to_string() />
                {seats}
                <button type="submit">{format!("Save attendance for {}", session.title)}</button>
            </ActionForm>
        </li>
    }
}
