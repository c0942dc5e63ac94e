//! A table that may be wider than a phone's screen. It scrolls sideways in
//! its own box, which a keyboard reaches (Tab, then the arrow keys) and a
//! screen reader announces by the table's name.

use leptos::prelude::*;

#[component]
pub fn ScrollTable(
    /// The table's name: its caption, and the scrolling box's label.
    #[prop(into)]
    label: String,
    /// Shows the caption on the page; by default only screen readers hear it.
    #[prop(optional)]
    caption_shown: bool,
    children: Children,
) -> impl IntoView {
    let region = label.clone();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=region>
            <table class="data-table">
                <caption class:visually-hidden=!caption_shown>{label}</caption>
                {children()}
            </table>
        </div>
    }
}
