mod account;

use crate::api::auth::DeleteAccount;
use crate::api::organizations::{LeaveOrganization, load_memberships};
use crate::components::day::Day;
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::dto::Membership;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/me/privacy`: what Holdspace keeps about the learner, a copy of all of
/// it, and deleting the account.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let delete = ServerAction::<DeleteAccount>::new();
    view! {
        <Title text="Your data" />
        <p class="breadcrumb">
            <a href="/me">"My learning"</a>
        </p>
        <h1>"Your data"</h1>
        <p class="lead">
            "Holdspace keeps your name, your email, the courses you enrolled in, which modules you have read, "
            "your quiz answers and scores, your certificates, and any practical requirements a trainer signed off for you. "
            "Trainers of your courses see your progress and scores, to support your learning."
        </p>
        <account::AccountSection />
        <Organizations />
        <h2>"Download a copy"</h2>
        <p>"A file with everything above, in JSON, a format other programs can read."</p>
        <p>
            <a class="button" href="/me/data.json" download="">
                "Download my data"
            </a>
        </p>
        <h2>"Delete your account"</h2>
        <p>
            "This removes your account, your progress and your quiz answers, and cannot be undone. "
            "Certificates you have already been given stay valid and can still be checked with their code, "
            "showing the name printed on them, so that a certificate you handed to an organization keeps working."
        </p>
        <ActionForm action=delete attr:class="stacked-form">
            <FormError result=delete.value().into() />
            <label for="delete-password">"Your password"</label>
            <input id="delete-password" name="password" type="password" autocomplete="current-password" required />
            <label class="checkbox">
                <input type="checkbox" name="understood" value="yes" required />
                " I understand that my account and progress will be deleted"
            </label>
            <button type="submit" class="danger">
                "Delete my account"
            </button>
        </ActionForm>
    }
}

/// The organizations that can see the learner's progress, each with a way out.
#[component]
fn Organizations() -> impl IntoView {
    let leave = ServerAction::<LeaveOrganization>::new();
    let memberships = Resource::new(|| (), |_| load_memberships());
    view! {
        <h2 id="organizations">"Organizations that can see your progress"</h2>
        <FormError result=leave.value().into() />
        <Loaded resource=memberships let:loaded>
            {match loaded {
                list if list.is_empty() => {
                    view! {
                        <p>
                            "None. An organization sees your progress only if you accept its invitation, and only until you leave."
                        </p>
                    }
                        .into_any()
                }
                list => {
                    view! {
                        <p>
                            "These organizations see your progress in each course and your certificates, not your quiz answers. If you leave, they stop seeing it at once."
                        </p>
                        <ul class="plain-list">
                            {list
                                .into_iter()
                                .map(|membership: Membership| {
                                    view! {
                                        <li>
                                            <strong>{membership.name.clone()}</strong>
                                            ", since "
                                            <Day date=membership.joined_on />
                                            " "
                                            <ActionForm action=leave attr:class="inline-form">
                                                <input type="hidden" name="organization" value=membership.slug />
                                                <button type="submit" class="secondary">
                                                    {format!("Leave {}", membership.name)}
                                                </button>
                                            </ActionForm>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </Loaded>
    }
}
