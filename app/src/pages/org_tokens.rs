use crate::api::organizations::{CreateApiToken, RevokeApiToken, load_api_tokens};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::components::scroll_table::ScrollTable;
use crate::dto::TokenRow;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/org/tokens`: API tokens for checking certificates from the
/// organization's own systems. A token's secret is shown once.
#[component]
pub fn OrgTokensPage() -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let page = Resource::new(|| (), |_| load_api_tokens());
    view! {
        <Title text="API tokens" />
        <p class="breadcrumb">
            <a href="/org">"Your organization"</a>
        </p>
        <h1>"API tokens"</h1>
        <p class="lead">
            "A token lets your own systems check certificate codes: send "<code>"POST /api/v1/verifications"</code>
            " with the header "<code>"Authorization: Bearer"</code>" and the token, and "
            <code>"{\"codes\": [...]}"</code>". "
            "Tokens can only check certificates; each may make 60 requests a minute. "
            "The whole API is described for programs in "<a href="/api/v1/openapi.json">"an OpenAPI 3 document"</a>"."
        </p>
        <Loaded resource=page let:page>
            {
                view! {
                    {page
                        .new_token
                        .map(|new| {
                            view! {
                                <section class="notice" id="new-token" role="status">
                                    <p>
                                        {format!(
                                            "Your new token \"{}\" is below. Copy it now: it is shown only this once, and we keep only a fingerprint of it.",
                                            new.label,
                                        )}
                                    </p>
                                    <input class="copy-field" readonly value=new.token aria-label="New API token" />
                                </section>
                            }
                        })}
                    <Tokens tokens=page.tokens revoke />
                }
            }
        </Loaded>
        <h2>"Make a token"</h2>
        <ActionForm action=create attr:class="stacked-form">
            <FormError result=create.value().into() />
            <label for="token-label">"What will use it"</label>
            <input id="token-label" name="label" required maxlength="80" placeholder="Volunteer database" />
            <button type="submit">"Make a token"</button>
        </ActionForm>
    }
}

#[component]
fn Tokens(tokens: Vec<TokenRow>, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    if tokens.is_empty() {
        return view! { <p>"There are no tokens yet."</p> }.into_any();
    }
    view! {
        <FormError result=revoke.value().into() />
        <ScrollTable label="Tokens">
            <thead>
                <tr>
                    <th scope="col">"Token"</th>
                    <th scope="col">"Made"</th>
                    <th scope="col">"Last used"</th>
                    <th scope="col">"State"</th>
                </tr>
            </thead>
            <tbody>
                {tokens
                    .into_iter()
                    .map(|token| {
                        let id = token.id.to_string();
                        view! {
                            <tr>
                                <th scope="row">
                                    {token.label}<br /><code class="meta">{format!("{}…", token.prefix)}</code>
                                </th>
                                <td>{format!("{} by {}", token.created_on, token.created_by)}</td>
                                <td>{token.last_used_on.unwrap_or_else(|| "Never".to_owned())}</td>
                                <td>
                                    {match token.revoked_on {
                                        Some(on) => view! { {format!("Revoked {on}")} }.into_any(),
                                        None => {
                                            view! {
                                                <ActionForm action=revoke attr:class="inline-form">
                                                    <input type="hidden" name="token" value=id />
                                                    <button type="submit" class="secondary">
                                                        "Revoke"
                                                    </button>
                                                </ActionForm>
                                            }
                                                .into_any()
                                        }
                                    }}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </ScrollTable>
    }
    .into_any()
}
