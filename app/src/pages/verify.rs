use crate::api::certificates::{ReinstateCertificate, RevokeCertificate, SuspendCertificate, verify_certificate};
use crate::components::day::Day;
use crate::components::loaded::Loaded;
use crate::components::notice::{FormError, set_page_status};
use crate::dto::{CertificateStatus, CertificateView, Verification, VerificationPage};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/verify` and `/verify/{code}`: anyone, signed in or not, checks a code.
/// The form sends `?code=` so that it works without JavaScript.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let code = Memo::new(move |_| {
        params
            .read()
            .get("code")
            .or_else(|| query.read().get("code"))
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
    });
    let staff = StaffActions {
        revoke: ServerAction::new(),
        suspend: ServerAction::new(),
        reinstate: ServerAction::new(),
    };
    let result = Resource::new(
        move || code.get(),
        |code| async move {
            match code {
                Some(code) => verify_certificate(code.clone()).await.map(|page| Some((code, page))),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text="Check a certificate" />
        <h1>"Check a certificate"</h1>
        <p class="lead">
            "Enter the code printed on a Holdspace certificate to see whether it is valid. "
            "You don't need an account."
        </p>
        <form method="get" action="/verify" class="lookup-form">
            <label for="code">"Certificate code"</label>
            <input
                id="code"
                name="code"
                autocomplete="off"
                spellcheck="false"
                placeholder="HS-XXXX-XXXX-XXXXX"
                prop:value=move || code.get().unwrap_or_default()
                required
            />
            <button type="submit">"Check"</button>
        </form>
        <Loaded resource=result loading="Checking…" let:loaded>
            {match loaded {
                Some((typed, page)) => view! { <VerificationView typed page staff /> }.into_any(),
                None => ().into_any(),
            }}
        </Loaded>
    }
}

/// What the program's staff may do from the page.
#[derive(Clone, Copy)]
struct StaffActions {
    revoke: ServerAction<RevokeCertificate>,
    suspend: ServerAction<SuspendCertificate>,
    reinstate: ServerAction<ReinstateCertificate>,
}

#[component]
fn VerificationView(typed: String, page: VerificationPage, staff: StaffActions) -> impl IntoView {
    use http::StatusCode;
    match page.verification {
        Verification::Found(certificate) => {
            let forms = (page.can_revoke && certificate.status != CertificateStatus::Revoked).then(|| {
                let code = certificate.code.clone();
                let hold = if certificate.status == CertificateStatus::Suspended {
                    view! { <ReinstateForm code=code.clone() reinstate=staff.reinstate /> }.into_any()
                } else {
                    view! { <SuspendForm code=code.clone() suspend=staff.suspend /> }.into_any()
                };
                view! {
                    {hold}
                    <RevokeForm code revoke=staff.revoke />
                }
            });
            view! {
                <CertificateDetails certificate=*certificate />
                {forms}
            }
            .into_any()
        }
        Verification::Typo => lookup_notice(
            StatusCode::BAD_REQUEST,
            "This code has a typo",
            format!(
                "“{typed}” is almost a certificate code, but one character is wrong or two are swapped. \
                 Please compare it with the certificate and try again."
            ),
        ),
        Verification::Malformed => lookup_notice(
            StatusCode::BAD_REQUEST,
            "That doesn't look like a certificate code",
            "Certificate codes start with HS and have 13 letters and digits after it, like HS-7K2M-9QXD-4FTRW. \
             Capitals and dashes don't matter."
                .to_owned(),
        ),
        Verification::Unknown => lookup_notice(
            StatusCode::NOT_FOUND,
            "No certificate has this code",
            "The code is well formed, but we have no certificate with it. Please check it against the certificate. \
             If it still isn't found, the certificate was not issued here."
                .to_owned(),
        ),
    }
}

/// A code that found no certificate: what went wrong and what to do next,
/// with the matching HTTP status.
fn lookup_notice(status: http::StatusCode, heading: &'static str, text: String) -> AnyView {
    set_page_status(status);
    view! {
        <section class="notice" role="status">
            <h2>{heading}</h2>
            <p>{text}</p>
        </section>
    }
    .into_any()
}

#[component]
fn CertificateDetails(certificate: CertificateView) -> impl IntoView {
    let expires = certificate.expires_on.clone();
    let open_until = certificate.renewal_open_until.clone().unwrap_or_default();
    let explanation = match certificate.status {
        CertificateStatus::Valid => view! {
            "This certificate is valid until "
            <Day date=expires />
            "."
        }
        .into_any(),
        CertificateStatus::RenewalDue => view! {
            "This certificate is valid until "
            <Day date=expires />
            ". Its holder may renew it until then."
        }
        .into_any(),
        CertificateStatus::Grace => view! {
            "This certificate ended on "
            <Day date=expires />
            " and is not valid now. Its holder can still renew it, without a gap, until "
            <Day date=open_until />
            "."
        }
        .into_any(),
        CertificateStatus::Expired => view! {
            "This certificate expired on "
            <Day date=expires />
            ". The holder completed the program, and can renew it by completing the program again."
        }
        .into_any(),
        CertificateStatus::Suspended => {
            "This certificate is suspended: it is not valid at present. The program's staff can say more.".into_any()
        }
        CertificateStatus::Revoked => view! {
            "This certificate was revoked on "
            <Day date=certificate.revoked_on.clone().unwrap_or_default() />
            " and is no longer valid."
        }
        .into_any(),
        CertificateStatus::Replaced => view! {
            "This certificate ended on "
            <Day date=expires />
            " and was renewed: the holder's next certificate followed it."
        }
        .into_any(),
        CertificateStatus::Upcoming => view! {
            "This certificate renews an earlier one. It is valid from "
            <Day date=certificate.valid_from.clone() />
            " until "
            <Day date=expires />
            "."
        }
        .into_any(),
    };
    let class = format!("status status-{}", certificate.status.as_str());
    let headline = certificate.status.headline();
    let chain = (!certificate.chain.is_empty()).then(|| {
        let links = certificate
            .chain
            .iter()
            .map(|link| {
                view! {
                    <li>
                        <Day date=link.valid_from.clone() />
                        " to "
                        <Day date=link.expires_on.clone() />
                        {format!(": {}", link.status.headline().to_lowercase())}
                    </li>
                }
            })
            .collect_view();
        view! {
            <dt>"The holder's other certificates of this program"</dt>
            <dd>
                <ul>{links}</ul>
            </dd>
        }
    });
    let reason = certificate.revocation_reason.map(|reason| {
        view! {
            <dt>"Reason for revoking"</dt>
            <dd>{reason}</dd>
        }
    });
    view! {
        <section class="certificate" aria-labelledby="certificate-status">
            <h2 id="certificate-status">
                <span class=class>{headline}</span>
            </h2>
            <p>{explanation}</p>
            <dl class="facts">
                {certificate
                    .holder_name
                    .map(|name| {
                        view! {
                            <dt>"Holder"</dt>
                            <dd>{name}</dd>
                        }
                    })} <dt>"Program"</dt> <dd>{certificate.program_title}</dd> <dt>"Courses covered"</dt> <dd>
                    <ul>
                        {certificate
                            .courses
                            .into_iter()
                            .map(|(title, version)| view! { <li>{format!("{title} (version {version})")}</li> })
                            .collect_view()}
                    </ul>
                </dd> <dt>"Issued on"</dt> <dd>
                    <Day date=certificate.issued_on />
                </dd> <dt>"Valid from"</dt> <dd>
                    <Day date=certificate.valid_from />
                </dd> <dt>"Valid until"</dt> <dd>
                    <Day date=certificate.expires_on />
                </dd> {reason} {chain} <dt>"Code"</dt> <dd>
                    <code>{certificate.code}</code>
                </dd>
            </dl>
        </section>
    }
}

/// For trainers and admins. The reason is shown to anyone who checks the code.
#[component]
fn RevokeForm(code: String, revoke: ServerAction<RevokeCertificate>) -> impl IntoView {
    view! {
        <details class="revoke">
            <summary>"Revoke this certificate"</summary>
            <ActionForm action=revoke attr:class="stacked-form">
                <FormError result=revoke.value().into() />
                <input type="hidden" name="code" value=code />
                <label for="reason">"Why is it being revoked?"</label>
                <p class="hint" id="reason-hint">
                    "The holder and anyone who checks this code will see the reason and the date."
                </p>
                <textarea
                    id="reason"
                    name="reason"
                    rows="3"
                    maxlength="500"
                    aria-describedby="reason-hint"
                    required
                ></textarea>
                <button type="submit" class="danger" disabled=move || revoke.pending().get()>
                    "Revoke certificate"
                </button>
            </ActionForm>
        </details>
    }
}

#[component]
fn SuspendForm(code: String, suspend: ServerAction<SuspendCertificate>) -> impl IntoView {
    view! {
        <details class="revoke">
            <summary>"Suspend this certificate"</summary>
            <ActionForm action=suspend attr:class="stacked-form">
                <FormError result=suspend.value().into() />
                <input type="hidden" name="code" value=code />
                <label for="suspend-reason">"Why is it being suspended?"</label>
                <p class="hint" id="suspend-reason-hint">
                    "For the record only: anyone who checks this code sees that it is suspended, never why. \
                     You can lift the suspension at any time."
                </p>
                <textarea
                    id="suspend-reason"
                    name="reason"
                    rows="3"
                    maxlength="500"
                    aria-describedby="suspend-reason-hint"
                    required
                ></textarea>
                <button type="submit" disabled=move || suspend.pending().get()>
                    "Suspend certificate"
                </button>
            </ActionForm>
        </details>
    }
}

#[component]
fn ReinstateForm(code: String, reinstate: ServerAction<ReinstateCertificate>) -> impl IntoView {
    view! {
        <ActionForm action=reinstate attr:class="inline-form">
            <FormError result=reinstate.value().into() />
            <input type="hidden" name="code" value=code />
            <button type="submit" disabled=move || reinstate.pending().get()>
                "Lift the suspension"
            </button>
        </ActionForm>
    }
}
