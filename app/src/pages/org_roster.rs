use crate::api::organizations::{ImportRoster, InviteMember, WithdrawInvitation, load_org_roster};
use crate::components::day::Day;
use crate::components::loaded::Loaded;
use crate::components::notice::{FormError, PlainFormError};
use crate::components::scroll_table::ScrollTable;
use crate::dto::{CertificateStatus, InvitationRow, OrgRoster, RosterFilter, RosterMember};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/org`: the organization's members (only those who joined), their
/// progress and certificates, with filters (`?show=expiring`), a CSV of what
/// is shown, and invitations.
#[component]
pub fn OrgRosterPage() -> impl IntoView {
    let roster = Resource::new(|| (), |_| load_org_roster());
    let query = use_query_map();
    view! {
        <Title text="Your organization" />
        <Loaded resource=roster let:roster>
            // Read in a closure of its own, so that following a filter link redraws the table.
            {move || {
                let filter = query.read().get("show").and_then(|word| RosterFilter::parse(&word)).unwrap_or_default();
                view! { <Roster roster=roster.clone() filter /> }
            }}
        </Loaded>
    }
}

#[component]
fn Roster(roster: OrgRoster, filter: RosterFilter) -> impl IntoView {
    let counts: Vec<(RosterFilter, usize)> = RosterFilter::ALL
        .iter()
        .map(|f| (*f, roster.members.iter().filter(|m| f.admits(m)).count()))
        .collect();
    let shown: Vec<RosterMember> = roster.members.iter().filter(|m| filter.admits(m)).cloned().collect();
    let csv = format!("/org/roster.csv?show={}", filter.as_str());
    let courses = roster.courses.clone();
    let table = if shown.is_empty() {
        let message = if roster.members.is_empty() {
            "Nobody has joined yet. Invite volunteers below: they appear here once they accept."
        } else {
            "Nobody matches this filter right now."
        };
        view! { <p>{message}</p> }.into_any()
    } else {
        view! {
            <ScrollTable label=format!("Members: {}", filter.label())>
                <thead>
                    <tr>
                        <th scope="col">"Member"</th>
                        {courses.iter().map(|c| view! { <th scope="col">{c.title.clone()}</th> }).collect_view()}
                        <th scope="col">"Certificate"</th>
                        <th scope="col">"Expires"</th>
                        <th scope="col">"Hours"</th>
                    </tr>
                </thead>
                <tbody>{shown.into_iter().map(|member| view! { <MemberRow member /> }).collect_view()}</tbody>
            </ScrollTable>
        }
        .into_any()
    };
    view! {
        <h1>{roster.name.clone()}</h1>
        <p class="lead">
            "Volunteers who joined your organization, their progress in each course and their certificates."
        </p>
        <p>
            <a href="/outcomes">"Outcomes"</a>
            " · "
            <a href="/org/verify">"Check many certificate codes"</a>
            " · "
            <a href="/org/tokens">"API tokens"</a>
        </p>
        <nav aria-label="Filter members" class="filters">
            <ul>
                {counts
                    .into_iter()
                    .map(|(f, count)| {
                        let current = (f == filter).then_some("page");
                        view! {
                            <li>
                                <a href=format!("/org?show={}", f.as_str()) aria-current=current>
                                    {format!("{} ({count})", f.label())}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        {table}
        <p>
            <a href=csv download="">
                "Download this list (CSV)"
            </a>
        </p>
        <Invitations invitations=roster.invitations />
    }
    // Erased: the page's full view type is deeper than the compiler's limit for wasm.
    .into_any()
}

#[component]
fn MemberRow(member: RosterMember) -> impl IntoView {
    let certificates = member.certificates.clone();
    view! {
        <tr>
            <th scope="row">{member.name}<br /><span class="meta">{member.email}</span></th>
            {member.courses.iter().map(|standing| view! { <td>{standing.describe()}</td> }).collect_view()}
            <td>
                {if certificates.is_empty() { Some("None yet") } else { None }}
                {certificates
                    .iter()
                    .map(|c| {
                        let class = format!("status status-{}", c.status.as_str());
                        let word = match c.status {
                            CertificateStatus::Valid if c.expiring_soon => "Valid, expiring soon",
                            status => status.headline(),
                        };
                        view! {
                            <span class=class>{word}</span>
                            " "
                            <a href=format!("/verify/{}", c.code)>{c.code.clone()}</a>
                            <br />
                            <span class="meta">{c.program_title.clone()}</span>
                        }
                    })
                    .collect_view()}
            </td>
            <td>
                {certificates
                    .iter()
                    .map(|c| {
                        view! {
                            <Day date=c.expires_on.clone() />
                            <br />
                            <span class="meta">"renewal opens " <Day date=c.renewal_opens_on.clone() /></span>
                            <br />
                        }
                    })
                    .collect_view()}
            </td>
            <td>
                {member
                    .hours
                    .iter()
                    .map(|h| {
                        view! {
                            <span>{h.describe()}</span>
                            <br />
                        }
                    })
                    .collect_view()}
            </td>
        </tr>
    }
}

#[component]
fn Invitations(invitations: Vec<InvitationRow>) -> impl IntoView {
    let invite = ServerAction::<InviteMember>::new();
    let withdraw = ServerAction::<WithdrawInvitation>::new();
    let query = use_query_map();
    let report = move || {
        let query = query.read();
        let invited = query.get("invited")?;
        let problems: Vec<String> = query
            .get("problems")
            .map(|p| p.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        let invited = match invited.as_str() {
            "1" => "One invitation is ready: copy its link below and send it.".to_owned(),
            n => format!("{n} invitations are ready: copy their links below and send them."),
        };
        Some(view! {
            <div class="notice" role="status">
                <p>{invited}</p>
                {(!problems.is_empty())
                    .then(|| {
                        view! {
                            <p>"Some lines were left out:"</p>
                            <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                        }
                    })}
            </div>
        })
    };
    view! {
        <h2 id="invitations">"Invite volunteers"</h2>
        <p>
            "Each invitation is a link that works once, for 30 days. Send it however you usually reach your volunteers. "
            "Their progress becomes visible to you only after they open it and choose to join, and they can leave at any time."
        </p>
        {report}
        <ActionForm action=invite attr:class="stacked-form">
            <FormError result=invite.value().into() />
            <label for="invite-name">"Name"</label>
            <input id="invite-name" name="name" autocomplete="off" required />
            <label for="invite-email">"Email"</label>
            <input id="invite-email" name="email" type="email" autocomplete="off" required />
            <button type="submit">"Make an invitation link"</button>
        </ActionForm>
        <RosterImport />
        {(!invitations.is_empty())
            .then(|| {
                view! {
                    <ScrollTable label="Invitations" caption_shown=true>
                        <thead>
                            <tr>
                                <th scope="col">"Invited"</th>
                                <th scope="col">"Made"</th>
                                <th scope="col">"State"</th>
                                <th scope="col">"Link to send"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {invitations
                                .into_iter()
                                .map(|invitation| {
                                    let id = invitation.id.to_string();
                                    let waiting = invitation.link.is_some();
                                    let label = format!("Link for {}", invitation.name);
                                    view! {
                                        <tr>
                                            <th scope="row">
                                                {invitation.name.clone()}<br />
                                                <span class="meta">{invitation.email}</span>
                                            </th>
                                            <td>
                                                <Day date=invitation.created_on />
                                            </td>
                                            <td>
                                                {invitation.state.label()}
                                                {waiting
                                                    .then(|| {
                                                        view! {
                                                            ", until "
                                                            <Day date=invitation.expires_on />
                                                        }
                                                    })}
                                            </td>
                                            <td>
                                                {invitation
                                                    .link
                                                    .map(|link| {
                                                        view! {
                                                            <input
                                                                class="copy-field"
                                                                readonly
                                                                value=link
                                                                aria-label=label
                                                            />
                                                            <ActionForm action=withdraw attr:class="inline-form">
                                                                <input type="hidden" name="invitation" value=id />
                                                                <button type="submit" class="secondary">
                                                                    "Withdraw"
                                                                </button>
                                                            </ActionForm>
                                                        }
                                                    })}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </ScrollTable>
                }
            })}
    }
    .into_any()
}

/// A plain multipart form, as for course imports: it works without JavaScript.
#[component]
fn RosterImport() -> impl IntoView {
    use leptos::server_fn::ServerFn;
    view! {
        <form method="post" action=ImportRoster::PATH enctype="multipart/form-data" class="stacked-form">
            <PlainFormError path=ImportRoster::PATH />
            <label for="roster">"Or invite everyone on a roster (CSV)"</label>
            <p class="hint" id="roster-hint">
                "A CSV file with a name and an email on each line; a first line naming the columns \"name\" and \"email\" is fine too."
            </p>
            <input
                id="roster"
                name="roster"
                type="file"
                accept=".csv,text/csv"
                required
                aria-describedby="roster-hint"
            />
            <button type="submit">"Make invitation links"</button>
        </form>
    }
}
