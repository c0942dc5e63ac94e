//! Getting back in with a mailed link: asking for it, being told it is on
//! its way (whether or not the address has an account), and choosing a
//! new password.

use crate::api::account::{RequestPasswordReset, ResetPassword};
use crate::components::notice::FormError;
use crate::components::route_param::route_param;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/forgot-password`.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    view! {
        <Title text="Set a new password" />
        <h1>"Set a new password"</h1>
        <p class="lead">"Type the email address of your account, and we'll send a link for choosing a new password."</p>
        <ActionForm action attr:class="stacked-form">
            <FormError result=action.value().into() />
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="username" required />
            <button type="submit" disabled=move || action.pending().get()>
                "Send me a link"
            </button>
        </ActionForm>
        <p>
            <a href="/login">"Back to logging in"</a>
        </p>
    }
}

/// `/forgot-password/sent`.
#[component]
pub fn ResetSentPage() -> impl IntoView {
    view! {
        <Title text="Check your email" />
        <h1>"Check your email"</h1>
        <p class="lead">
            "If an account uses that address, a link is on its way. It works once, for one hour. "
            "The message comes from your learning account and says nothing else in its subject."
        </p>
        <p>
            "Nothing arrived after a few minutes? Check your spam folder, or "
            <a href="/forgot-password">"ask for another link"</a> "."
        </p>
    }
}

/// `/reset-password/{token}`: the link from the message.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = route_param("token");
    let action = ServerAction::<ResetPassword>::new();
    view! {
        <Title text="Choose a new password" />
        <h1>"Choose a new password"</h1>
        <p class="lead">"Once it is set, you are signed in here, and signed out everywhere else."</p>
        <ActionForm action attr:class="stacked-form">
            <FormError result=action.value().into() />
            <input type="hidden" name="token" value=token />
            <label for="password">"New password (at least 12 characters)"</label>
            <input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required />
            <button type="submit" disabled=move || action.pending().get()>
                "Set my new password"
            </button>
        </ActionForm>
    }
}
