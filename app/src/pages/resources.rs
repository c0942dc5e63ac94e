use crate::api::learning::load_local_page;
use crate::components::loaded::Loaded;
use crate::dto::LocalPage;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/resources`: where to find help locally. The courses send learners here
/// instead of naming services that may not exist where they live.
#[component]
pub fn ResourcesPage() -> impl IntoView {
    view! {
        <Title text="Local support resources" />
        <h1>"Local support resources"</h1>
        <p class="lead">"If you or someone else is in immediate danger, call your local emergency number now."</p>
        <OrganizationPage page=LocalPage::Resources>
            <p>
                "Your organization hasn't listed its local services here yet. "
                "Your supervisor, or the person who runs your group, can tell you which crisis lines, "
                "specialist services and professional help are available where you are."
            </p>
        </OrganizationPage>
    }
}

/// `/policies`: what the law and the organization ask where the learner
/// facilitates. The courses teach the principle and send learners here,
/// since reporting duties, privilege and emergency numbers differ by place.
#[component]
pub fn PoliciesPage() -> impl IntoView {
    view! {
        <Title text="Your organization's policies" />
        <h1>"Your organization's policies"</h1>
        <p class="lead">"If someone is in immediate danger, call your local emergency number now."</p>
        <OrganizationPage page=LocalPage::Policies>
            <p>
                "Your organization hasn't put its policies here yet. Before you facilitate a group, please ask "
                "your supervisor, and write down what they tell you:"
            </p>
            <ul>
                <li>"What you must report, to whom and how quickly, and whether the duty is yours personally."</li>
                <li>"What you tell members about confidentiality and its limits, before they share."</li>
                <li>"What to do in an emergency, and which number to call where your group meets."</li>
                <li>"How to write and store notes, and who may see them."</li>
                <li>"Who to call when you're unsure, including outside office hours."</li>
            </ul>
            <p>"Until you know, don't guess: ask your supervisor first."</p>
        </OrganizationPage>
    }
}

/// The organization's own text for `page`, or `children` while it has none.
#[component]
fn OrganizationPage(page: LocalPage, children: ChildrenFn) -> impl IntoView {
    let text = Resource::new(move || page, load_local_page);
    view! {
        <Loaded resource=text let:loaded>
            {match loaded {
                Some(html) => view! { <article class="prose" inner_html=html></article> }.into_any(),
                None => children().into_any(),
            }}
        </Loaded>
    }
}
