//! The account itself on the privacy page: its name (and certificates
//! reissued under a new one), its address and whether it is confirmed,
//! which mail it gets, the password, and signing out everywhere.

use crate::api::account::{
    ChangeEmail, ChangeName, ChangePassword, ResendConfirmation, SetMailPreference, SignOutEverywhere,
    load_account_settings,
};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::dto::{AccountSettings, MailPreference};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What a form that reloads the page asks it to say.
fn done_message(sent: Option<String>, changed: Option<String>, reissued: u32, on_hold: u32) -> Option<String> {
    let fixed = match (sent.as_deref(), changed.as_deref()) {
        (Some("confirmation"), _) => "A new link is on its way to your email.",
        (Some("address"), _) => {
            "A link is on its way to the new address. Your account moves there once you open it; until then it keeps this one."
        }
        (_, Some("password")) => "Your password is changed, and every other place you were signed in is signed out.",
        (_, Some("mail")) => "Your mail choice is saved.",
        (_, Some("name")) => return Some(name_message(reissued, on_hold)),
        _ => return None,
    };
    Some(fixed.to_owned())
}

fn name_message(reissued: u32, on_hold: u32) -> String {
    let mut message = match reissued {
        0 => "Your name is changed.".to_owned(),
        1 => "Your name is changed, and your certificate is reissued under it with a new code. The old code now says only that it was replaced at your request.".to_owned(),
        n => format!(
            "Your name is changed, and your {n} certificates are reissued under it with new codes. The old codes now say only that they were replaced at your request."
        ),
    };
    if on_hold > 0 {
        message.push_str(
            " A certificate that is on hold stays as it is for now; you can ask again once the hold is lifted.",
        );
    }
    message
}

#[component]
pub(super) fn AccountSection() -> impl IntoView {
    let query = use_query_map();
    let count = move |key: &str| query.read().get(key).and_then(|n| n.parse().ok()).unwrap_or(0);
    let done = move || {
        done_message(
            query.read().get("sent"),
            query.read().get("changed"),
            count("reissued"),
            count("on_hold"),
        )
    };
    let settings = Resource::new(|| (), |_| load_account_settings());
    view! {
        <h2 id="account">"Your account"</h2>
        {move || {
            done()
                .map(|message| {
                    view! {
                        <p class="success" role="status">
                            {message}
                        </p>
                    }
                })
        }}
        <Loaded resource=settings let:settings>
            <AccountDetails settings />
        </Loaded>
        <PasswordForms />
    }
}

/// The name, and reissuing certificates under a new one. Without
/// JavaScript the form posts and the page comes back with its message.
#[component]
fn NameForm(name: String) -> impl IntoView {
    let change = ServerAction::<ChangeName>::new();
    view! {
        <h3>"Your name"</h3>
        <p>{format!("You go by {name} here. It's the name on new certificates, and the one trainers see.")}</p>
        <ActionForm action=change attr:class="stacked-form">
            <FormError result=change.value().into() />
            <label for="new-name">"Name"</label>
            <input id="new-name" name="name" type="text" autocomplete="name" maxlength="80" value=name required />
            <label class="checkbox">
                <input type="checkbox" name="reissue" value="yes" />
                " Also reissue my certificates under this name. They get new codes, and the old codes stop working: anyone who checks one sees only that it was replaced at my request, with neither name."
            </label>
            <button type="submit" class="secondary">
                "Save my name"
            </button>
        </ActionForm>
    }
}

#[component]
fn AccountDetails(settings: AccountSettings) -> impl IntoView {
    let resend = ServerAction::<ResendConfirmation>::new();
    let mail = ServerAction::<SetMailPreference>::new();
    let confirmation = if settings.email_confirmed {
        view! { <p>{format!("Your email address is {}, and it is confirmed.", settings.email)}</p> }.into_any()
    } else {
        view! {
            <p>
                {format!(
                    "Your email address is {}. It isn't confirmed yet: please open the link we sent there, so you can get back in if you forget your password.",
                    settings.email,
                )}
            </p>
            <ActionForm action=resend attr:class="inline-form">
                <FormError result=resend.value().into() />
                <button type="submit" class="secondary">
                    "Send the link again"
                </button>
            </ActionForm>
        }
            .into_any()
    };
    let current = settings.mail;
    let choice = move |value: MailPreference, text: &'static str| {
        view! {
            <label class="checkbox">
                <input type="radio" name="mail" value=value.as_str() checked=current == value />
                {format!(" {text}")}
            </label>
        }
    };
    view! {
        <NameForm name=settings.name />
        {confirmation}
        <h3>"Mail"</h3>
        <p>
            "Every message has the same plain subject, \"Your learning account\", and says nothing in it about what you are learning."
        </p>
        <ActionForm action=mail attr:class="stacked-form">
            <FormError result=mail.value().into() />
            <fieldset>
                <legend>"Which messages would you like?"</legend>
                {choice(MailPreference::All, "All of them, including when a certificate is ready")}
                {choice(MailPreference::Essential, "Only messages about my account, such as confirming my address")}
                {choice(MailPreference::ResetsOnly, "None, except a password reset link when I ask for one")}
            </fieldset>
            <button type="submit" class="secondary">
                "Save my choice"
            </button>
        </ActionForm>
    }
}

#[component]
fn PasswordForms() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let address = ServerAction::<ChangeEmail>::new();
    view! {
        <h3>"Change your email address"</h3>
        <ActionForm action=address attr:class="stacked-form">
            <FormError result=address.value().into() />
            <label for="new-email">"New email address"</label>
            <input id="new-email" name="new_email" type="email" autocomplete="email" required />
            <label for="address-password">"Your password"</label>
            <input id="address-password" name="password" type="password" autocomplete="current-password" required />
            <button type="submit" class="secondary">
                "Send a link to the new address"
            </button>
        </ActionForm>
        <h3>"Change your password"</h3>
        <ActionForm action=change attr:class="stacked-form">
            <FormError result=change.value().into() />
            <label for="current-password">"Your current password"</label>
            <input
                id="current-password"
                name="current_password"
                type="password"
                autocomplete="current-password"
                required
            />
            <label for="new-password">"New password (at least 12 characters)"</label>
            <input
                id="new-password"
                name="new_password"
                type="password"
                autocomplete="new-password"
                minlength="12"
                required
            />
            <button type="submit">"Change my password"</button>
        </ActionForm>
        <h3>"Sign out everywhere"</h3>
        <p>
            "If you signed in on a shared or lost device, or someone else may know your password, this signs out every device, this one included."
        </p>
        <ActionForm action=everywhere attr:class="inline-form">
            <FormError result=everywhere.value().into() />
            <button type="submit" class="secondary">
                "Sign out everywhere"
            </button>
        </ActionForm>
    }
}
