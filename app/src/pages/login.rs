use crate::api::auth::LogIn;
use crate::components::notice::FormError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let register_href = move || {
        let next = next();
        if next.is_empty() {
            "/register".to_owned()
        } else {
            format!("/register?next={next}")
        }
    };
    view! {
        <Title text="Log in" />
        <h1>"Log in"</h1>
        {move || {
            (query.read().get("signed_out").as_deref() == Some("everywhere"))
                .then(|| {
                    view! {
                        <p class="success" role="status">
                            "You are signed out on every device."
                        </p>
                    }
                })
        }}
        <ActionForm action attr:class="stacked-form">
            <FormError result=action.value().into() />
            <input type="hidden" name="next" value=next />
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="username" required />
            <label for="password">"Password"</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
            <button type="submit" disabled=move || action.pending().get()>
                "Log in"
            </button>
        </ActionForm>
        <p>
            <a href="/forgot-password">"Forgot your password?"</a>
        </p>
        <p>"New here? " <a href=register_href>"Create an account"</a></p>
    }
}
