use crate::api::account_admin::{ChangeRole, SendPasswordReset, SetAccountDisabled, load_accounts, load_mail_health};
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::dto::{AccountRow, MailHealth, Role};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/admin/accounts`: site admins find accounts, change a role, turn an
/// account off or on, and send a password reset link.
#[component]
pub fn AdminAccountsPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let role = ServerAction::<ChangeRole>::new();
    let disable = ServerAction::<SetAccountDisabled>::new();
    let reset = ServerAction::<SendPasswordReset>::new();
    let list = Resource::new(search, load_accounts);
    view! {
        <Title text="Accounts" />
        <h1>"Accounts"</h1>
        <Loaded resource=Resource::new(|| (), |_| load_mail_health()) let:health>
            <MailHealthLine health />
        </Loaded>
        <form method="get" action="/admin/accounts" class="stacked-form" role="search">
            <label for="account-search">"Find by name or email"</label>
            <input id="account-search" name="q" type="search" value=search />
            <button type="submit">"Find"</button>
        </form>
        <FormError result=role.value().into() />
        <FormError result=disable.value().into() />
        <FormError result=reset.value().into() />
        {move || {
            reset
                .value()
                .get()
                .and_then(|r| r.ok())
                .map(|_| {
                    view! {
                        <p class="success" role="status">
                            "The reset link is on its way."
                        </p>
                    }
                })
        }}
        <Loaded resource=list let:list>
            <Accounts list role disable reset />
        </Loaded>
    }
}

#[component]
fn Accounts(
    list: Vec<AccountRow>,
    role: ServerAction<ChangeRole>,
    disable: ServerAction<SetAccountDisabled>,
    reset: ServerAction<SendPasswordReset>,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p>"No account matches that."</p> }.into_any();
    }
    view! {
        <ul class="plain-list">
            {list.into_iter().map(|account| view! { <AccountItem account role disable reset /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn AccountItem(
    account: AccountRow,
    role: ServerAction<ChangeRole>,
    disable: ServerAction<SetAccountDisabled>,
    reset: ServerAction<SendPasswordReset>,
) -> impl IntoView {
    let id = account.user_id.to_string();
    let select_id = format!("role-{id}");
    let facts = [
        Some(
            if account.email_confirmed {
                "email confirmed"
            } else {
                "email not confirmed yet"
            }
            .to_owned(),
        ),
        account.disabled.then(|| "turned off".to_owned()),
        Some(match &account.last_sign_in {
            Some(day) => format!("last signed in {day}"),
            None => "never signed in".to_owned(),
        }),
        (!account.organizations.is_empty()).then(|| account.organizations.join(", ")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let (toggle_value, toggle_text) = if account.disabled {
        ("no", format!("Turn {}'s account back on", account.name))
    } else {
        ("yes", format!("Turn {}'s account off", account.name))
    };
    let (role_id, disable_id, reset_id) = (id.clone(), id.clone(), id);
    let role_label = format!("Role of {}", account.name);
    let reset_text = format!("Send {} a password reset link", account.name);
    let current = account.role;
    view! {
        <li class="account">
            <strong>{account.name}</strong>
            {format!(" <{}>", account.email)}
            <p class="meta">{facts}</p>
            <ActionForm action=role attr:class="inline-form">
                <input type="hidden" name="account" value=role_id />
                <label for=select_id.clone()>{role_label}</label>
                <select id=select_id name="role">
                    {Role::ALL
                        .iter()
                        .map(|r| {
                            view! {
                                <option value=r.as_str() selected=*r == current>
                                    {r.as_str()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="secondary">
                    "Save the role"
                </button>
            </ActionForm>
            <ActionForm action=disable attr:class="inline-form">
                <input type="hidden" name="account" value=disable_id />
                <input type="hidden" name="turn_off" value=toggle_value />
                <button type="submit" class="secondary">
                    {toggle_text}
                </button>
            </ActionForm>
            <ActionForm action=reset attr:class="inline-form">
                <input type="hidden" name="account" value=reset_id />
                <button type="submit" class="secondary">
                    {reset_text}
                </button>
            </ActionForm>
        </li>
    }
}

/// A line on how mail is doing; a failing message names its latest error.
#[component]
fn MailHealthLine(health: MailHealth) -> impl IntoView {
    let waiting = match health.waiting {
        0 => "No mail is waiting to be sent.".to_owned(),
        1 => "1 message is waiting to be sent.".to_owned(),
        n => format!("{n} messages are waiting to be sent."),
    };
    let failing = (health.failing > 0).then(|| {
        format!(
            "{} keep failing, and are retried every few hours. The latest error: {}",
            health.failing,
            health.last_error.unwrap_or_default()
        )
    });
    view! {
        <p class="meta">{waiting}</p>
        {failing
            .map(|text| {
                view! {
                    <p class="notice" role="status">
                        {text}
                    </p>
                }
            })}
    }
}
