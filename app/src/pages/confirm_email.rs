//! Confirming an address from its mailed link. Opening the link shows a
//! button rather than confirming at once: mail scanners open links too.

use crate::api::account::ConfirmEmail;
use crate::components::notice::FormError;
use crate::components::route_param::route_param;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/confirm-email/{token}`.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let token = route_param("token");
    let action = ServerAction::<ConfirmEmail>::new();
    view! {
        <Title text="Confirm your email address" />
        <h1>"Confirm your email address"</h1>
        <ActionForm action attr:class="stacked-form">
            <FormError result=action.value().into() />
            <input type="hidden" name="token" value=token />
            <button type="submit" disabled=move || action.pending().get()>
                "Confirm my email address"
            </button>
        </ActionForm>
    }
}

/// `/email-confirmed`.
#[component]
pub fn EmailConfirmedPage() -> impl IntoView {
    view! {
        <Title text="Email address confirmed" />
        <h1>"Thank you"</h1>
        <p class="lead">"Your email address is confirmed."</p>
        <p>
            <a class="button" href="/me">
                "Go to my learning"
            </a>
        </p>
    }
}
