use crate::api::learning::load_local_resources;
use crate::components::loaded::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/resources`: where to find help locally. The courses send learners here
/// instead of naming services that may not exist where they live.
#[component]
pub fn ResourcesPage() -> impl IntoView {
    let resources = Resource::new(|| (), |_| load_local_resources());
    view! {
        <Title text="Local support resources" />
        <h1>"Local support resources"</h1>
        <p class="lead">"If you or someone else is in immediate danger, call your local emergency number now."</p>
        <Loaded resource=resources let:loaded>
            {match loaded {
                Some(html) => view! { <article class="prose" inner_html=html></article> }.into_any(),
                None => {
                    view! {
                        <p>
                            "Your organization hasn't listed its local services here yet. "
                            "Your supervisor, or the person who runs your group, can tell you which crisis lines, "
                            "specialist services and professional help are available where you are."
                        </p>
                    }
                        .into_any()
                }
            }}
        </Loaded>
    }
}
