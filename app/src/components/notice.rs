//! How errors are shown: plainly, with a way forward.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Gives the server-rendered page this HTTP status, so that what a page
/// says (not found, a bad request) is also what its status says.
pub fn set_page_status(status: http::StatusCode) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// A page-level error. Sets the HTTP status of the server-rendered page.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    set_page_status(error.status());
    let location = use_location();
    let here = location.pathname.get_untracked();
    let action = match &error {
        AppError::NotSignedIn => Some(
            view! {
                <p>
                    <a class="button" href=format!("/login?next={here}")>
                        "Log in"
                    </a>
                    " or "
                    <a href=format!("/register?next={here}")>"create an account"</a>
                </p>
            }
            .into_any(),
        ),
        AppError::NotFound | AppError::Forbidden => Some(
            view! {
                <p>
                    <a href="/">"Back to the courses"</a>
                </p>
            }
            .into_any(),
        ),
        _ => None,
    };
    view! {
        <section class="notice" role="alert">
            <p>{error.to_string()}</p>
            {action}
        </section>
    }
}

/// The error of a form's last submission, if any, next to the form.
#[component]
pub fn FormError<T: Clone + Send + Sync + 'static>(result: Signal<Option<Result<T, AppError>>>) -> impl IntoView {
    move || {
        result.get().and_then(Result::err).map(|error| {
            view! {
                <p class="form-error" role="alert">
                    {error.to_string()}
                </p>
            }
        })
    }
}

/// The error of a plain form post (an upload, which is not an `ActionForm`),
/// carried back in the address: shown by the form whose action is `path`.
#[component]
pub fn PlainFormError(path: &'static str) -> impl IntoView {
    use leptos::server::ServerActionError;
    use leptos::server_fn::error::ServerFnUrlError;
    let error = use_context::<ServerActionError>()
        .filter(|error| error.path() == path)
        .map(|error| ServerFnUrlError::<AppError>::decode_err(error.err()).to_string());
    error.map(|error| {
        view! {
            <p class="form-error" role="alert">
                {error}
            </p>
        }
    })
}
