//! A calendar date as pages show it.

use leptos::prelude::*;

/// A date (`2027-12-04`) in a `<time>` kept on one line (see `time` in the
/// stylesheet): browsers break after a hyphen, and at 375 px "valid until
/// 2027-12-" ended one line with "04" beginning the next.
#[component]
pub fn Day(#[prop(into)] date: String) -> impl IntoView {
    let shown = date.clone();
    view! { <time datetime=date>{shown}</time> }
}
