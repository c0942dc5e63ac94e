use crate::api::learning::load_dashboard;
use crate::components::day::Day;
use crate::components::loaded::Loaded;
use crate::components::progress::ProgressSummary;
use crate::dto::{CertificateStatus, Dashboard, DashboardCourse, ExamStanding, HeldCertificate};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/me`: the learner's courses, where they stopped, and recent quiz results.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_dashboard());
    view! {
        <Title text="My learning" />
        <h1>"My learning"</h1>
        <Loaded resource=data loading="Loading your progress…" let:dashboard>
            <DashboardView dashboard />
        </Loaded>
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let greeting = format!("Welcome back, {}.", dashboard.display_name);
    let courses = if dashboard.courses.is_empty() {
        view! { <p>"You haven't started a course yet. " <a href="/">"Browse the courses"</a> " to begin."</p> }
            .into_any()
    } else {
        view! {
            <ul class="cards">
                {dashboard.courses.into_iter().map(|course| view! { <DashboardCourseView course /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let certificates = (!dashboard.certificates.is_empty()).then(|| {
        view! {
            <h2>"Your certificates"</h2>
            <ul class="cards">
                {dashboard
                    .certificates
                    .into_iter()
                    .map(|certificate| view! { <HeldCertificateView held=certificate /> })
                    .collect_view()}
            </ul>
        }
    });
    let exams = (!dashboard.exams.is_empty()).then(|| {
        view! {
            <h2>"Final exams"</h2>
            <ul class="cards">
                {dashboard.exams.into_iter().map(|exam| view! { <ExamStandingView exam /> }).collect_view()}
            </ul>
        }
    });
    view! {
        <p class="lead">{greeting}</p>
        {certificates}
        {exams}
        <h2>"Your courses"</h2>
        {courses}
        <p>
            <a href="/me/record">"Your record: what each program asks, and what is left"</a>
        </p>
        <p>
            <a href="/me/privacy">"Your data: download a copy, or delete your account"</a>
        </p>
    }
}

/// A program's final exam: closed until its courses are done, then open
/// (or resting until a date), or passed.
#[component]
fn ExamStandingView(exam: ExamStanding) -> impl IntoView {
    let href = format!("/programs/{}/exam", exam.program_slug);
    let state = if exam.passed {
        view! { <p>"Passed. Well done."</p> }.into_any()
    } else if !exam.courses_complete {
        view! { <p>"Opens once you have completed every course of the program."</p> }.into_any()
    } else if let Some(note) = exam.held_back {
        view! { <p>{note}</p> }.into_any()
    } else {
        let label = if exam.attempts == 0 {
            "Take the final exam"
        } else {
            "Try the final exam again"
        };
        view! {
            <p>
                <a class="button" href=href>
                    {label}
                </a>
            </p>
        }
        .into_any()
    };
    view! {
        <li class="card">
            <h3>{exam.program_title}</h3>
            {state}
        </li>
    }
}

/// A certificate with its downloads and the link to share with an organization.
#[component]
fn HeldCertificateView(held: HeldCertificate) -> impl IntoView {
    let HeldCertificate {
        certificate,
        share_url,
        wallet_url,
    } = held;
    let expires = certificate.expires_on.clone();
    let open_until = certificate.renewal_open_until.clone().unwrap_or_default();
    let status = match certificate.status {
        CertificateStatus::Valid => view! {
            "Valid until "
            <Day date=expires />
        }
        .into_any(),
        CertificateStatus::RenewalDue => view! {
            "Valid until "
            <Day date=expires />
            ". You can renew it now: completing the program again by then starts your next certificate the day \
             this one ends."
        }
        .into_any(),
        CertificateStatus::Grace => view! {
            "Ended on "
            <Day date=expires />
            ". You can still renew it without a gap until "
            <Day date=open_until />
            "."
        }
        .into_any(),
        CertificateStatus::Expired => view! {
            "Expired on "
            <Day date=expires />
            ". Completing the program again renews it."
        }
        .into_any(),
        CertificateStatus::Suspended => "On hold for now, while your program's staff look into something. They \
                                         will be in touch with you."
            .into_any(),
        CertificateStatus::Replaced => view! {
            "Ended on "
            <Day date=expires />
            ", and renewed."
        }
        .into_any(),
        CertificateStatus::Upcoming => view! {
            "Your renewal: valid from "
            <Day date=certificate.valid_from.clone() />
            " to "
            <Day date=expires />
            "."
        }
        .into_any(),
        CertificateStatus::Revoked => view! {
            "Revoked on "
            <Day date=certificate.revoked_on.clone().unwrap_or_default() />
            ": "
            {certificate.revocation_reason.clone().unwrap_or_default()}
        }
        .into_any(),
    };
    let class = format!("status status-{}", certificate.status.as_str());
    let share_href = share_url.clone();
    // A revoked or suspended certificate is not handed out again.
    let handed_out = !matches!(
        certificate.status,
        CertificateStatus::Revoked | CertificateStatus::Suspended
    );
    let wallet = wallet_url.filter(|_| handed_out).map(|url| {
        let href = url.clone();
        view! {
            <p>
                "To keep it in a digital wallet app, such as the Learner Credential Wallet, "
                <a href=format!("/certificates/{}/credential.json", certificate.code) rel="external" download="">
                    "save the wallet file"
                </a> " or give the app this link: " <a href=href rel="external">
                    {url}
                </a>
            </p>
        }
    });
    let downloads = handed_out.then(|| {
        view! {
            <p class="actions">
                <a
                    class="button"
                    href=format!("/certificates/{}/certificate.pdf", certificate.code)
                    rel="external"
                    download=""
                >
                    "Download PDF"
                </a>
                <a href=format!("/certificates/{}/credential.jwt", certificate.code) rel="external" download="">
                    "Download signed credential"
                </a>
            </p>
        }
    });
    view! {
        <li class="card">
            <h3>{certificate.program_title}</h3>
            <p>
                <span class=class>{status}</span>
            </p>
            <p>"Issued on " <Day date=certificate.issued_on /> " · Code " <code>{certificate.code.clone()}</code></p>
            {downloads}
            {wallet}
            <p>"Share this link with an organization so they can check it: " <a href=share_href>{share_url}</a></p>
        </li>
    }
}

#[component]
fn DashboardCourseView(course: DashboardCourse) -> impl IntoView {
    let resume = course
        .progress
        .resume
        .clone()
        .filter(|_| course.progress.completed_on.is_none())
        .map(|module| {
            let href = format!("/courses/{}/{}", course.slug, module.slug);
            view! {
                <p>
                    <a class="button" href=href>
                        {format!("Continue: {}", module.title)}
                    </a>
                </p>
            }
        });
    let attempts = (!course.recent_attempts.is_empty()).then(|| {
        let slug = course.slug.clone();
        view! {
            <details>
                <summary>"Recent quiz results"</summary>
                <ul>
                    {course
                        .recent_attempts
                        .into_iter()
                        .map(|(module_slug, attempt)| {
                            let href = format!("/courses/{slug}/{module_slug}/quiz/attempts/{}", attempt.attempt_id);
                            let outcome = if attempt.passed { "passed" } else { "not passed yet" };
                            view! {
                                <li>
                                    <a href=href>{format!("{}: {}, {outcome}", attempt.submitted_on, attempt.score)}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </details>
        }
    });
    view! {
        <li class="card">
            <h3>
                <a href=format!("/courses/{}", course.slug)>{course.title}</a>
            </h3>
            <ProgressSummary progress=course.progress />
            {resume}
            {attempts}
        </li>
    }
}
