use crate::api::organizations::{AddOrganizationAdmin, CreateOrganization, load_organizations};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::dto::OrganizationRow;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/organizations`: site admins set up organizations and their admins.
#[component]
pub fn AdminOrganizationsPage() -> impl IntoView {
    let create = ServerAction::<CreateOrganization>::new();
    let add_admin = ServerAction::<AddOrganizationAdmin>::new();
    let list = Resource::new(|| (), |_| load_organizations());
    view! {
        <Title text="Organizations" />
        <h1>"Organizations"</h1>
        <p class="lead">
            "Organizations invite their volunteers and see the progress of those who join. Each is run by one or more of its own admins."
        </p>
        <p>
            <a href="/outcomes">"Outcomes across everyone on Holdspace"</a>
        </p>
        <Loaded resource=list let:list>
            <Organizations list add_admin />
        </Loaded>
        <h2>"Add an organization"</h2>
        <ActionForm action=create attr:class="stacked-form">
            <FormError result=create.value().into() />
            <label for="organization-name">"Name"</label>
            <input id="organization-name" name="name" required maxlength="120" />
            <label for="organization-slug">"Short name for addresses (optional)"</label>
            <p class="hint" id="organization-slug-hint">
                "Letters, digits and dashes, like riverside-peer-support. Made from the name if left empty."
            </p>
            <input id="organization-slug" name="slug" aria-describedby="organization-slug-hint" />
            <button type="submit">"Add the organization"</button>
        </ActionForm>
    }
}

#[component]
fn Organizations(list: Vec<OrganizationRow>, add_admin: ServerAction<AddOrganizationAdmin>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p>"There are no organizations yet."</p> }.into_any();
    }
    view! {
        <FormError result=add_admin.value().into() />
        {list
            .into_iter()
            .map(|organization| {
                let field = format!("admin-{}", organization.slug);
                view! {
                    <section class="card">
                        <h2>{organization.name.clone()}</h2>
                        <p class="meta">{format!("{} · {} members", organization.slug, organization.members)}</p>
                        <p>
                            {if organization.admins.is_empty() {
                                "No admin yet.".to_owned()
                            } else {
                                format!("Run by {}", organization.admins.join(", "))
                            }}
                        </p>
                        <ActionForm action=add_admin attr:class="stacked-form">
                            <input type="hidden" name="organization" value=organization.slug.clone() />
                            <label for=field.clone()>"Add an admin by the email of their account"</label>
                            <input id=field name="email" type="email" required />
                            <button type="submit" class="secondary">
                                "Add as admin"
                            </button>
                        </ActionForm>
                    </section>
                }
            })
            .collect_view()}
    }
    .into_any()
}
