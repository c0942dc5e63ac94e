use leptos::prelude::*;

/// Where a session is held: an online link becomes a link, but only an
/// `https://` one without spaces, so a typed `javascript:` stays text.
#[component]
pub fn Place(place: String) -> impl IntoView {
    let is_link = place.starts_with("https://") && !place.contains(char::is_whitespace);
    if is_link {
        view! {
            <a href=place.clone() rel="noopener noreferrer">
                "Online: join link"
            </a>
        }
        .into_any()
    } else {
        place.into_any()
    }
}
