use crate::api::organizations::{BulkVerify, load_bulk_results};
use crate::components::loaded::Loaded;
use crate::components::notice::PlainFormError;
use crate::components::scroll_table::ScrollTable;
use crate::dto::{BulkCheck, BulkRow, BulkStatus};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// `/org/verify`: many certificate codes at once, pasted or as a file. The
/// results are kept for a day under `?results=ID`, for the table and its CSV.
#[component]
pub fn OrgVerifyPage() -> impl IntoView {
    let query = use_query_map();
    let results_id = move || {
        query
            .read()
            .get("results")
            .and_then(|id| id.parse::<crate::dto::BulkCheckId>().ok())
    };
    // Asked even without results, so the page is refused to whoever may not use it.
    let results = Resource::new(results_id, |id| async move {
        load_bulk_results(id).await.map(|rows| id.zip(rows))
    });
    view! {
        <Title text="Check many certificates" />
        <p class="breadcrumb">
            <a href="/org">"Your organization"</a>
        </p>
        <h1>"Check many certificates"</h1>
        <p class="lead">
            "Paste codes, one per line, or upload a CSV file with a column of codes: up to 10,000 at a time. "
            "Each code is reported as valid, expired, revoked, mistyped, or not found."
        </p>
        <BulkForm />
        <Loaded resource=results loading="Checking…" let:loaded>
            {match loaded {
                Some((id, BulkCheck::Done(rows))) => view! { <Results id rows /> }.into_any(),
                Some((_, BulkCheck::Checking { checked, total })) => view! { <Checking checked total /> }.into_any(),
                Some((_, BulkCheck::Interrupted)) => {
                    view! {
                        <section class="notice" role="status" id="results">
                            <p>
                                "This check stopped before the end, most likely because the site restarted. Nothing is wrong with your list: please send it again."
                            </p>
                        </section>
                    }
                        .into_any()
                }
                None => ().into_any(),
            }}
        </Loaded>
    }
}

/// A long list while the server works through it. The page reloads itself
/// every second (a meta refresh: no script needed) until the results are in.
#[component]
fn Checking(checked: u32, total: u32) -> impl IntoView {
    let done = (checked * 100).checked_div(total).unwrap_or(0);
    view! {
        <Meta http_equiv="refresh" content="1" />
        <section id="results" role="status">
            <h2>"Checking your codes"</h2>
            <progress max=total value=checked aria-label="Codes checked">
                {format!("{done}%")}
            </progress>
            <p>
                {format!(
                    "{} of {} codes checked so far. This page updates by itself; the results appear here when all are checked.",
                    thousands(checked),
                    thousands(total),
                )}
            </p>
        </section>
    }
}

/// 10000 as "10,000".
fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A plain multipart form: it works without JavaScript. A list longer than
/// a few hundred codes is checked in the background while the page shows
/// how far it has got.
#[component]
fn BulkForm() -> impl IntoView {
    use leptos::server_fn::ServerFn;
    view! {
        <form method="post" action=BulkVerify::PATH enctype="multipart/form-data" class="stacked-form">
            <PlainFormError path=BulkVerify::PATH />
            <label for="codes">"Certificate codes"</label>
            <p class="hint" id="codes-hint">
                "One per line, like HS-7K2M-9QXD-4FTRW. Small letters, spaces and missing dashes are fine."
            </p>
            <textarea id="codes" name="codes" rows="8" aria-describedby="codes-hint"></textarea>
            <label for="codes-file">"Or a file (CSV or text)"</label>
            <input id="codes-file" name="file" type="file" accept=".csv,.txt,text/csv,text/plain" />
            <button type="submit">"Check these codes"</button>
        </form>
    }
}

fn detail(row: &BulkRow) -> String {
    match row.status {
        BulkStatus::Typo => {
            "One character is wrong or two are swapped. Please check it against the certificate.".to_owned()
        }
        BulkStatus::Unknown => "No certificate has this code.".to_owned(),
        _ => format!(
            "{}, {}; expires {}",
            row.holder_name.clone().unwrap_or_default(),
            row.program_title.clone().unwrap_or_default(),
            row.expires_on.clone().unwrap_or_default()
        ),
    }
}

#[component]
fn Results(id: crate::dto::BulkCheckId, rows: Vec<BulkRow>) -> impl IntoView {
    let summary: Vec<String> = BulkStatus::ALL
        .iter()
        .map(|status| (status, rows.iter().filter(|r| r.status == *status).count()))
        .filter(|(_, count)| *count > 0)
        .map(|(status, count)| format!("{}: {}", status.label(), thousands(count as u32)))
        .collect();
    view! {
        <h2 id="results">{format!("Results for {} codes", thousands(rows.len() as u32))}</h2>
        <p role="status">{summary.join(" · ")}</p>
        <p>
            <a class="button" href=format!("/org/verify/{id}/results.csv") download="">
                "Download the results (CSV)"
            </a>
        </p>
        <ScrollTable label="Results">
            <thead>
                <tr>
                    <th scope="col">"Code as given"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Details"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        let class = format!("status status-{}", row.status.as_str());
                        let details = detail(&row);
                        view! {
                            <tr>
                                <th scope="row">
                                    <code>{row.typed}</code>
                                </th>
                                <td>
                                    <span class=class>{row.status.label()}</span>
                                </td>
                                <td>{details}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </ScrollTable>
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn long_numbers_are_grouped_in_threes() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_500), "1,500");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
