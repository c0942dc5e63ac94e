use crate::api::practice::ScoreRoleplay;
use crate::dto::RoleplayChecklist;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// A trainer's form for one observed role play of one learner: each
/// checklist item met or not yet, with an optional note the learner reads.
#[component]
pub fn RoleplayScoring(
    checklist: RoleplayChecklist,
    program: String,
    learner_id: crate::dto::UserId,
    learner_name: String,
    score: ServerAction<ScoreRoleplay>,
) -> impl IntoView {
    let id = format!("roleplay-{learner_id}-{}", checklist.key);
    let date_id = format!("{id}-date");
    let items = checklist
        .items
        .into_iter()
        .map(|(item, text)| {
            let base = format!("{id}-{item}");
            let (met, not_yet, note) = (format!("{base}-met"), format!("{base}-not-yet"), format!("{base}-note"));
            let (mark_name, note_name) = (format!("marks[{item}]"), format!("notes[{item}]"));
            view! {
                <fieldset class="checklist-item">
                    <legend>{text}</legend>
                    <input id=met.clone() type="radio" name=mark_name.clone() value="met" required />
                    <label for=met>"Met"</label>
                    <input id=not_yet.clone() type="radio" name=mark_name value="not_yet" />
                    <label for=not_yet>"Not yet"</label>
                    <label for=note.clone()>"Note (optional)"</label>
                    <input id=note name=note_name maxlength="500" />
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <details>
            <summary>{format!("{}: not yet passed", checklist.title)}</summary>
            <ActionForm action=score attr:class="stacked-form">
                <input type="hidden" name="program" value=program />
                <input type="hidden" name="learner_id" value=learner_id.to_string() />
                <input type="hidden" name="roleplay" value=checklist.key.clone() />
                <label for=date_id.clone()>"Watched on"</label>
                <input id=date_id name="observed_on" type="date" required />
                {items}
                <button type="submit">{format!("Record the role play for {learner_name}")}</button>
            </ActionForm>
        </details>
    }
}
