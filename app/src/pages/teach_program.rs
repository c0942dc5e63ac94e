mod roleplay_form;
mod sessions;

use crate::api::following::{AddProgramStaff, GrantAttempt, SignOffPractical, load_program_progress};
use crate::api::practice::ScoreRoleplay;
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::components::route_param::route_param;
use crate::dto::{Practical, ProgramLearner, ProgramProgress, RoleplayChecklist};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use roleplay_form::RoleplayScoring;
use sessions::ProgramSessionsSection;

/// `/teach/programs/{program}`: who has completed the program, who is
/// close, and the practical requirements trainers sign off.
#[component]
pub fn TeachProgramPage() -> impl IntoView {
    let program = route_param("program");
    let sign_off = ServerAction::<SignOffPractical>::new();
    let add_staff = ServerAction::<AddProgramStaff>::new();
    let grant = ServerAction::<GrantAttempt>::new();
    let score = ServerAction::<ScoreRoleplay>::new();
    let progress = Resource::new(program, load_program_progress);
    view! {
        <Loaded resource=progress error_title="Program" let:progress>
            <Progress progress sign_off add_staff grant score />
        </Loaded>
    }
}

#[component]
fn Progress(
    progress: ProgramProgress,
    sign_off: ServerAction<SignOffPractical>,
    add_staff: ServerAction<AddProgramStaff>,
    grant: ServerAction<GrantAttempt>,
    score: ServerAction<ScoreRoleplay>,
) -> impl IntoView {
    let courses = progress.courses.len();
    let roleplays = progress.roleplays.clone();
    let practicals = progress.practicals.clone();
    let slug = progress.slug.clone();
    let requirements = if practicals.is_empty() {
        view! { <p>"This program has no practical requirements: it completes when every course is passed."</p> }
            .into_any()
    } else {
        view! {
            <p>"Besides its courses, this program completes only when a trainer has signed off:"</p>
            <ul>{practicals.iter().map(|p| view! { <li>{p.title.clone()}</li> }).collect_view()}</ul>
        }
        .into_any()
    };
    let rows = progress
        .learners
        .into_iter()
        .map(|learner| {
            view! {
                <LearnerProgress
                    learner
                    courses
                    practicals=practicals.clone()
                    roleplays=roleplays.clone()
                    program=slug.clone()
                    sign_off
                    grant
                    score
                />
            }
        })
        .collect_view();
    let exam = progress.has_exam.then(|| {
        view! {
            <p>
                "It ends with a final exam, which opens once a learner has completed every course. The certificate \
                 is issued when the exam is passed."
            </p>
        }
    });
    view! {
        <Title text=format!("Program: {}", progress.title) />
        <p class="breadcrumb">
            <a href="/teach">"Teach"</a>
        </p>
        <h1>{progress.title.clone()}</h1>
        {requirements}
        {exam}
        <FormError result=sign_off.value().into() />
        <FormError result=grant.value().into() />
        <FormError result=score.value().into() />
        <h2>"Learners"</h2>
        <p>"Certified learners come first, then those with the least left to do."</p>
        <ul class="program-learners">{rows}</ul>
        <p>
            <a href=format!("/teach/programs/{slug}/progress.csv") download="">
                "Download as CSV"
            </a>
        </p>
        <Guides guides=progress.guides.clone() />
        <ProgramSessionsSection program=slug.clone() />
        <ProgramStaff staff=progress.staff may_assign=progress.may_assign_staff program=slug add_staff />
    }
}

/// The trainer's guides of the program's courses, for running live sessions.
#[component]
fn Guides(guides: Vec<(String, String)>) -> impl IntoView {
    (!guides.is_empty()).then(|| {
        let links = guides
            .into_iter()
            .map(|(course, title)| {
                view! {
                    <li>
                        <a href=format!("/teach/guides/{course}.pdf") download="">
                            {format!("{title} (PDF)")}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h2>"Trainer's guides"</h2>
            <p>"For running live sessions on each course: aims, timings, exercises and what to watch for."</p>
            <ul>{links}</ul>
        }
    })
}

/// The trainers who follow this program; admins assign them here.
#[component]
fn ProgramStaff(
    staff: Vec<String>,
    may_assign: bool,
    program: String,
    add_staff: ServerAction<AddProgramStaff>,
) -> impl IntoView {
    let list = if staff.is_empty() {
        view! { <p>"No trainer is assigned yet: only admins can follow these learners."</p> }.into_any()
    } else {
        view! { <ul>{staff.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}</ul> }.into_any()
    };
    let form = may_assign.then(|| {
        view! {
            <ActionForm action=add_staff attr:class="stacked-form">
                <FormError result=add_staff.value().into() />
                <input type="hidden" name="program" value=program />
                <label for="staff-email">"Assign a trainer (their email)"</label>
                <input id="staff-email" name="email" type="email" autocomplete="off" required />
                <button type="submit">"Assign"</button>
            </ActionForm>
        }
    });
    view! {
        <h2>"Trainers of this program"</h2>
        <p>"Assigned trainers see these learners and sign off their practical requirements, never their own."</p>
        {list}
        {form}
    }
}

#[component]
fn LearnerProgress(
    learner: ProgramLearner,
    courses: usize,
    practicals: Vec<Practical>,
    roleplays: Vec<RoleplayChecklist>,
    program: String,
    sign_off: ServerAction<SignOffPractical>,
    grant: ServerAction<GrantAttempt>,
    score: ServerAction<ScoreRoleplay>,
) -> impl IntoView {
    let observed = roleplays
        .into_iter()
        .zip(learner.roleplays_passed.clone())
        .map(|(checklist, passed)| {
            if passed {
                view! { <li>{format!("{}: passed", checklist.title)}</li> }.into_any()
            } else {
                let (program, learner_name) = (program.clone(), learner.name.clone());
                view! {
                    <li>
                        <RoleplayScoring checklist program learner_id=learner.user_id learner_name score />
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    let status = if learner.certified {
        "Certified".to_owned()
    } else if learner.remaining == 1 {
        "Close: one thing left".to_owned()
    } else {
        format!("{} things left", learner.remaining)
    };
    let items = practicals
        .into_iter()
        .zip(learner.signoffs)
        .map(|(practical, signoff)| match signoff {
            Some(s) => view! {
                <li>
                    {format!(
                        "{}: signed off by {}, completed {}. {}",
                        practical.title,
                        s.signed_by,
                        s.completed_on,
                        s.note,
                    )}
                </li>
            }
            .into_any(),
            None => {
                let id = format!("signoff-{}-{}", learner.user_id, practical.key);
                let (program, button) = (program.clone(), format!("Sign off for {}", learner.name));
                view! {
                    <li>
                        <details>
                            <summary>{format!("{}: not yet signed off", practical.title)}</summary>
                            <ActionForm action=sign_off attr:class="stacked-form">
                                <input type="hidden" name="program" value=program />
                                <input type="hidden" name="learner_id" value=learner.user_id.to_string() />
                                <input type="hidden" name="practical" value=practical.key.clone() />
                                <label for=format!("{id}-date")>"Completed on"</label>
                                <input id=format!("{id}-date") name="completed_on" type="date" required />
                                <label for=format!("{id}-note")>"Note (where, how, who supervised)"</label>
                                <textarea id=format!("{id}-note") name="note" rows="2" required></textarea>
                                <button type="submit">{button}</button>
                            </ActionForm>
                        </details>
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    let (name, learner_id) = (learner.name.clone(), learner.user_id);
    let exam = learner.exam.map(move |exam| {
        let standing = match (exam.passed, exam.attempts) {
            (true, _) => "Final exam: passed".to_owned(),
            (false, 0) => "Final exam: not taken yet".to_owned(),
            (false, n) => format!(
                "Final exam: not passed yet ({n} attempt{})",
                if n == 1 { "" } else { "s" }
            ),
        };
        let open_another = exam.held_back.map(|_| {
            view! {
                <ActionForm action=grant attr:class="inline-form">
                    <input type="hidden" name="learner_id" value=learner_id.to_string() />
                    <input type="hidden" name="program" value=program.clone() />
                    <button type="submit">{format!("Open another exam attempt for {name}")}</button>
                </ActionForm>
            }
        });
        view! { <li>{standing} {open_another}</li> }
    });
    view! {
        <li class="program-learner">
            <strong>{learner.name.clone()}</strong>
            {format!(" · {} · courses passed: {} of {courses}", status, learner.courses_passed)}
            <ul>{items} {observed} {exam}</ul>
        </li>
    }
}
