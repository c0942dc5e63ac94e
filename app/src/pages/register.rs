use crate::api::auth::Register;
use crate::components::notice::FormError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/register`: new accounts are learners; staff accounts are made by an admin.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="Create an account" />
        <h1>"Create an account"</h1>
        <p>"Your name is shown on your certificate. You can use the name you prefer."</p>
        <ActionForm action attr:class="stacked-form">
            <FormError result=action.value().into() />
            <input type="hidden" name="next" value=next />
            <label for="display_name">"Your name"</label>
            <input id="display_name" name="display_name" autocomplete="name" maxlength="80" required />
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="email" required />
            <label for="password">"Password"</label>
            <input
                id="password"
                name="password"
                type="password"
                autocomplete="new-password"
                minlength="12"
                aria-describedby="password-hint"
                required
            />
            <p id="password-hint" class="hint">
                "At least 12 characters. A few words strung together work well."
            </p>
            <button type="submit" disabled=move || action.pending().get()>
                "Create account"
            </button>
        </ActionForm>
        <p>"Already have an account? " <a href="/login">"Log in"</a></p>
    }
}
