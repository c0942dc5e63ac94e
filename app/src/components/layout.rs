//! The header (with the quick-exit control) and footer on every page.

use crate::QUICK_EXIT_URL;
use crate::api::auth::{LogOut, viewer};
use crate::dto::Role;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// Says who is signed in and offers the places their role opens. It is
/// rendered only on the server, from the request itself ([`viewer`]), so it
/// has nothing to wait for: no resource, no `<Transition>`.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let signed_in = match viewer() {
        Some(viewer) => {
            let log_out = ServerAction::<LogOut>::new();
            view! {
                <li>
                    <a href="/me">"My learning"</a>
                </li>
                {places_for(viewer.role)
                    .iter()
                    .map(|&(href, label)| {
                        view! {
                            <li>
                                <a href=href>{label}</a>
                            </li>
                        }
                    })
                    .collect_view()}
                <li class="who">{viewer.display_name}</li>
                <li>
                    <ActionForm action=log_out attr:class="inline-form">
                        <button type="submit" class="link-button">
                            "Log out"
                        </button>
                    </ActionForm>
                </li>
            }
            .into_any()
        }
        None => view! {
            <li>
                <a href="/login">"Log in"</a>
            </li>
            <li>
                <a href="/register">"Create an account"</a>
            </li>
        }
        .into_any(),
    };
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                "Holdspace"
            </a>
            <nav aria-label="Main">
                <ul>
                    <li>
                        <a href="/">"Courses"</a>
                    </li>
                    {signed_in}
                </ul>
            </nav>
            <QuickExit />
        </header>
    }
}

/// The places a role opens in the header, beyond a learner's own: every
/// role is named, so a new one cannot be left out unnoticed.
fn places_for(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::Learner => &[],
        Role::Trainer => &[("/teach", "Teach")],
        Role::OrgAdmin => &[("/org", "Organization")],
        Role::Admin => &[
            ("/teach", "Teach"),
            ("/admin/organizations", "Organizations"),
            ("/admin/accounts", "Accounts"),
        ],
    }
}

/// Leaves for a neutral page at once. It is an ordinary link, so it works
/// without JavaScript; with JavaScript it also replaces this page in the
/// history, so the back button does not return here. An island: the code
/// for this is shipped to the browser, and nothing else of the layout is.
#[island]
pub fn QuickExit() -> impl IntoView {
    let leave = move |event: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            event.prevent_default();
            let _ = window().location().replace(QUICK_EXIT_URL);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    view! {
        <a class="quick-exit" href=QUICK_EXIT_URL rel="noreferrer" on:click=leave>
            "Quick exit"
            <span class="visually-hidden">" (leaves this site for a weather page)"</span>
        </a>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Holdspace is training for peer support volunteers. It is not a crisis service. "
                "If you or someone else is in danger right now, call your local emergency number."
            </p>
            <p>
                <a href="/resources">"Local support resources"</a>
                " · "
                <a href="/verify">"Check a certificate"</a>
            </p>
            <p>"Take breaks whenever you need them: your progress is saved as you go."</p>
        </footer>
    }
}
