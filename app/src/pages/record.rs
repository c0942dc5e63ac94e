mod hours;

use crate::api::practice::{LogPractice, SignAttestation, load_record};
use crate::api::training::{LogTraining, SessionSeat};
use crate::components::day::Day;
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::dto::{
    AttestationState, LearnerRecord, PracticeEntry, PracticeRole, PracticeStatus, ProgramRecord, RoleplayState,
    hours_text, role_text,
};
use hours::{ExternalTrainings, Sessions, hours_lines};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// What the record page's forms send.
#[derive(Clone, Copy)]
struct Actions {
    log: ServerAction<LogPractice>,
    sign: ServerAction<SignAttestation>,
    seat: ServerAction<SessionSeat>,
    log_training: ServerAction<LogTraining>,
}

/// `/me/record`: per program, every requirement with what is done, what
/// waits on someone else and what is left; where practice is logged and
/// texts are signed.
#[component]
pub fn RecordPage() -> impl IntoView {
    let actions = Actions {
        log: ServerAction::new(),
        sign: ServerAction::new(),
        seat: ServerAction::new(),
        log_training: ServerAction::new(),
    };
    let record = Resource::new(|| (), |_| load_record());
    view! {
        <Title text="Your record" />
        <p class="breadcrumb">
            <a href="/me">"Your learning"</a>
        </p>
        <h1>"Your record"</h1>
        <p>
            <a href="/me/record.pdf" download="">
                "Download your record as a PDF"
            </a>
            " (a transcript of your hours and sign-offs, for you or a program you apply to)"
        </p>
        <FormError result=actions.log.value().into() />
        <FormError result=actions.sign.value().into() />
        <FormError result=actions.seat.value().into() />
        <FormError result=actions.log_training.value().into() />
        <Loaded resource=record error_title="Your record" let:record>
            <Toolkit toolkit=record.toolkit.clone() />
            <Programs record actions />
        </Loaded>
    }
}

#[component]
fn Programs(record: LearnerRecord, actions: Actions) -> impl IntoView {
    if record.programs.is_empty() {
        return view! {
            <p>
                "Your record fills in once you start a course that belongs to a certificate program. "
                <a href="/">"Browse the courses"</a> "."
            </p>
        }
        .into_any();
    }
    record
        .programs
        .into_iter()
        .map(|program| view! { <Program program actions /> })
        .collect_view()
        .into_any()
}

/// The facilitator toolkit: printable handouts and worksheets.
#[component]
fn Toolkit(toolkit: Vec<(String, String)>) -> impl IntoView {
    (!toolkit.is_empty()).then(|| {
        let links = toolkit
            .into_iter()
            .map(|(key, title)| {
                view! {
                    <li>
                        <a href=format!("/toolkit/{key}.pdf") download="">
                            {format!("{title} (PDF)")}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <details class="toolkit">
                <summary>"Facilitator toolkit: templates and worksheets to print"</summary>
                <ul>{links}</ul>
            </details>
        }
    })
}

/// A requirement's line: done, waiting on someone, or still to do.
fn status_line(done: bool, text: impl IntoView) -> impl IntoView {
    let (class, mark) = if done {
        ("requirement done", "Done: ")
    } else {
        ("requirement", "To do: ")
    };
    view! {
        <li class=class>
            <strong>{mark}</strong>
            {text}
        </li>
    }
}

#[component]
fn Program(program: ProgramRecord, actions: Actions) -> impl IntoView {
    let Actions {
        log,
        sign,
        seat,
        log_training,
    } = actions;
    let heading_id = format!("program-{}", program.slug);
    let certified = program.certified.then(|| {
        view! {
            <p class="notice">
                "You hold a current certificate for this program. It is on " <a href="/me">"your learning page"</a> "."
            </p>
        }
    });
    let courses = program
        .courses
        .iter()
        .map(|(title, done)| status_line(*done, format!("Course: {title}")))
        .collect_view();
    let exam = program.exam_passed.map(|passed| {
        let text = if passed {
            "Final exam: passed".to_owned()
        } else {
            "Final exam: it opens once every course is complete".to_owned()
        };
        status_line(passed, text)
    });
    let practicals = program
        .practicals
        .iter()
        .map(|(title, signed)| {
            let text = if *signed {
                format!("{title}: signed off by a trainer")
            } else {
                format!("{title}: waiting for a trainer to sign it off")
            };
            status_line(*signed, text)
        })
        .collect_view();
    let attestation_lines = program
        .attestations
        .iter()
        .map(|a| {
            let text = match &a.signed_on {
                Some(on) => view! {
                    {format!("{}: signed on ", a.title)}
                    <Day date=on.clone() />
                }
                .into_any(),
                None => format!("{}: please read and sign it below", a.title).into_any(),
            };
            status_line(a.signed_on.is_some(), text)
        })
        .collect_view();
    let supervised_line = program
        .supervised
        .map(|hours| status_line(hours.met(), hours.describe()));
    let roleplay_lines = program
        .roleplays
        .iter()
        .map(|r| {
            let text = match (&r.passed_on, &r.last) {
                (Some(on), _) => view! {
                    {format!("Role play “{}”: passed, watched on ", r.title)}
                    <Day date=on.clone() />
                }
                .into_any(),
                (None, Some(last)) => view! {
                    {format!("Role play “{}”: not yet. {} watched it on ", r.title, last.observer)}
                    <Day date=last.observed_on.clone() />
                    "; their notes are below"
                }
                .into_any(),
                (None, None) => format!("Role play “{}”: waiting for a trainer to watch it", r.title).into_any(),
            };
            status_line(r.passed_on.is_some(), text)
        })
        .collect_view();
    let roleplays = (!program.roleplays.is_empty()).then(|| {
        let each = program
            .roleplays
            .iter()
            .cloned()
            .map(|roleplay| view! { <Roleplay roleplay /> })
            .collect_view();
        view! {
            <h3>"Role plays"</h3>
            <p class="hint">"A trainer watches you run each one and goes through its checklist with you."</p>
            {each}
        }
    });
    let unsigned: Vec<AttestationState> = program
        .attestations
        .iter()
        .filter(|a| a.signed_on.is_none())
        .cloned()
        .collect();
    let signing = unsigned
        .into_iter()
        .map(|text| view! { <Attestation text program=program.slug.clone() sign /> })
        .collect_view();
    let renewing = program.renewing.then(|| {
        view! {
            <p class="notice">
                "Your renewal is open. To renew, you need the continuing education below and the current version of                  each text; your courses and practice from before still stand."
            </p>
        }
    });
    let hours = program.hours.as_ref().map(hours_lines);
    let training = program.hours.is_some().then(|| {
        view! {
            <Sessions program=program.slug.clone() sessions=program.sessions.clone() seat />
            <ExternalTrainings
                program=program.slug.clone()
                categories=program.categories.clone()
                trainings=program.trainings.clone()
                log=log_training
            />
        }
    });
    let practice = program
        .supervised
        .map(|_| view! { <Practice program=program.slug.clone() entries=program.practice.clone() log /> });
    view! {
        <section aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{program.title.clone()}</h2>
            {certified}
            {renewing}
            <ul class="requirements">
                {courses} {exam} {hours} {supervised_line} {roleplay_lines} {practicals} {attestation_lines}
            </ul>
            {signing}
            {training}
            {roleplays}
            {practice}
        </section>
    }
    // Erased: the whole page's type otherwise outgrows the compiler's
    // recursion limit when the browser bundle is built.
    .into_any()
}

#[component]
fn Attestation(text: AttestationState, program: String, sign: ServerAction<SignAttestation>) -> impl IntoView {
    let id = format!("attest-{}-{}", program, text.key);
    let intro = if text.signed_before {
        "This text has changed since you last signed it. Please read the new version."
    } else {
        "Please read this, and sign it if you agree."
    };
    let paragraphs = text
        .body
        .split("\n\n")
        .map(|p| view! { <p>{p.trim().to_owned()}</p> })
        .collect_view();
    let agree_id = format!("{id}-agree");
    view! {
        <article class="attestation" aria-labelledby=id.clone()>
            <h3 id=id.clone()>{format!("{} (version {})", text.title, text.version)}</h3>
            <p class="hint">{intro}</p>
            <div class="attestation-text">{paragraphs}</div>
            <ActionForm action=sign attr:class="stacked-form">
                <input type="hidden" name="program" value=program />
                <input type="hidden" name="key" value=text.key.clone() />
                <input type="hidden" name="version" value=text.version.to_string() />
                <p class="checkbox">
                    <input id=agree_id.clone() type="checkbox" name="agree" value="yes" required />
                    <label for=agree_id.clone()>{format!("I have read “{}” and agree to it.", text.title)}</label>
                </p>
                <button type="submit">{format!("Sign “{}”", text.title)}</button>
            </ActionForm>
        </article>
    }
}

fn status_text(entry: &PracticeEntry) -> String {
    match entry.status {
        PracticeStatus::Pending => format!("waiting for {}", entry.supervisor),
        PracticeStatus::Confirmed => format!("confirmed by {}", entry.supervisor),
        PracticeStatus::Declined if entry.note.is_empty() => format!("not confirmed by {}", entry.supervisor),
        PracticeStatus::Declined => format!("not confirmed by {}: “{}”", entry.supervisor, entry.note),
    }
}

#[component]
fn Practice(program: String, entries: Vec<PracticeEntry>, log: ServerAction<LogPractice>) -> impl IntoView {
    let id = format!("practice-{program}");
    let logged = if entries.is_empty() {
        view! { <p>"No sessions logged yet."</p> }.into_any()
    } else {
        let rows = entries
            .iter()
            .map(|entry| {
                view! {
                    <tr>
                        <td>
                            <Day date=entry.practiced_on.clone() />
                        </td>
                        <td>{hours_text(entry.minutes)}</td>
                        <td>{role_text(entry.role)}</td>
                        <td>{status_text(entry)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table>
                <caption>"Sessions you logged"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Hours"</th>
                        <th scope="col">"Your role"</th>
                        <th scope="col">"Where it stands"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let roles = PracticeRole::ALL
        .iter()
        .map(|role| view! { <option value=role.as_str()>{role_text(*role)}</option> })
        .collect_view();
    let [date_id, hours_id, role_id, supervisor_id] =
        ["date", "hours", "role", "supervisor"].map(|field| format!("{id}-{field}"));
    view! {
        <h3 id=id.clone()>"Supervised practice"</h3>
        {logged}
        <ActionForm action=log attr:class="stacked-form" attr:aria-labelledby=id.clone()>
            <p class="hint">
                "Log a group session you facilitated with a supervisor. Please don't write anything about the \
                 group's members: the date, the hours and your role are all that's needed."
            </p>
            <input type="hidden" name="program" value=program />
            <label for=date_id.clone()>"Date of the session"</label>
            <input id=date_id.clone() name="practiced_on" type="date" required />
            <label for=hours_id.clone()>"Hours (like 2 or 1.5)"</label>
            <input id=hours_id.clone() name="hours" inputmode="decimal" required />
            <label for=role_id.clone()>"Your role"</label>
            <select id=role_id.clone() name="role">
                {roles}
            </select>
            <label for=supervisor_id.clone()>"Your supervisor's email address"</label>
            <input id=supervisor_id.clone() name="supervisor_email" type="email" autocomplete="off" required />
            <button type="submit">"Log this session"</button>
        </ActionForm>
    }
}

/// A role play's script and checklist, and the notes from the last time a
/// trainer watched it.
#[component]
fn Roleplay(roleplay: RoleplayState) -> impl IntoView {
    let notes = roleplay.last.filter(|_| roleplay.passed_on.is_none()).map(|last| {
        let marks = last
            .marks
            .into_iter()
            .map(|mark| {
                let state = if mark.met { "Met" } else { "Not yet" };
                let note = (!mark.note.is_empty()).then(|| format!(": “{}”", mark.note));
                view! { <li>{format!("{state}: {}", mark.text)} {note}</li> }
            })
            .collect_view();
        view! {
            <p>{format!("Notes from {}, ", last.observer)} <Day date=last.observed_on /> ":"</p>
            <ul>{marks}</ul>
        }
    });
    let items = roleplay
        .items
        .into_iter()
        .map(|item| view! { <li>{item}</li> })
        .collect_view();
    view! {
        <details class="roleplay">
            <summary>{format!("{} (about {} minutes)", roleplay.title, roleplay.minutes)}</summary>
            {notes}
            <div class="prose" inner_html=roleplay.script_html></div>
            <p>"What the observer looks for:"</p>
            <ul>{items}</ul>
        </details>
    }
}
