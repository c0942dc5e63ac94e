use crate::api::organizations::{AcceptInvitation, load_invitation};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::components::route_param::route_param;
use crate::dto::{InvitationPreview, InvitationState};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/join/{token}`: an organization's invitation. Nothing is shared until
/// the learner chooses to join.
#[component]
pub fn JoinPage() -> impl IntoView {
    let token = route_param("token");
    let preview = Resource::new(token, load_invitation);
    view! {
        <Title text="An invitation" />
        <Loaded resource=preview let:preview>
            <Invitation preview token=token() />
        </Loaded>
    }
}

#[component]
fn Invitation(preview: InvitationPreview, token: String) -> impl IntoView {
    let accept = ServerAction::<AcceptInvitation>::new();
    let signed_in = preview.signed_in;
    let here = format!("/join/{token}");
    let organization = preview.organization.clone();
    let choice = match preview.state {
        _ if preview.already_member => view! { <p>"You are already a member. "<a href="/me/privacy#organizations">"See who can see your progress"</a></p> }.into_any(),
        InvitationState::Waiting if signed_in => view! {
            <ActionForm action=accept attr:class="stacked-form">
                <FormError result=accept.value().into() />
                <input type="hidden" name="token" value=token />
                <button type="submit">{format!("Join {organization}")}</button>
            </ActionForm>
            <p>"If you would rather not, just close this page: nothing is shared."</p>
        }.into_any(),
        InvitationState::Waiting => view! {
            <p>
                <a class="button" href=format!("/login?next={here}")>
                    "Log in to join"
                </a>
                " or "
                <a href=format!("/register?next={here}")>"create an account"</a>
            </p>
        }.into_any(),
        state => view! { <p>{state.unusable_because()}</p> }.into_any(),
    };
    view! {
        <h1>{format!("{} invites you to join", preview.organization)}</h1>
        <p class="lead">
            "If you join, this organization can see your progress in each course and your certificates, "
            "so that it can place you as a facilitator. It cannot see your quiz answers. "
            "You can leave at any time from "<a href="/me/privacy">"Your data"</a>
            ", and it stops seeing your progress at once."
        </p>
        {choice}
    }
}
