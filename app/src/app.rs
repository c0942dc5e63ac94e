//! The document shell and the routes.

use crate::components::layout::{SiteFooter, SiteHeader};
use crate::pages;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::{SsrMode, path};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="referrer" content="same-origin" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Markup that every page carries as it is, rendered once: the text of the
/// hydration script (not its tag, which carries each page's nonce) and the
/// footer. The server deflates these once, not with every page (its
/// compression layer), since they are half of what a module page deflates.
#[cfg(feature = "ssr")]
pub fn unchanging_markup(options: LeptosOptions) -> Vec<String> {
    Owner::new().with(|| {
        let scripts = view! { <HydrationScripts options islands=true /> }.to_html();
        let script = scripts
            .split_once("<script type=\"module\">")
            .and_then(|(_, rest)| rest.rsplit_once("</script>"))
            .map(|(text, _)| text.to_owned());
        script.into_iter().chain([view! { <SiteFooter /> }.to_html()]).collect()
    })
}

/// The document title for a page's own title: the one place every page
/// title passes through, so the one place it is escaped (see [`crate::raw_text`]).
fn document_title(page: String) -> String {
    let title = if page.is_empty() {
        "Holdspace".to_owned()
    } else {
        format!("{page} · Holdspace")
    };
    crate::raw_text::escaped_on_server(title)
}

/// Every page waits for its data before it is sent (`SsrMode::Async`), so
/// that the whole page, and its HTTP status, reach browsers without
/// JavaScript. No route nests in another, so the routes are flat: the
/// nested router would build an async outlet for every page it serves, a
/// sixteenth of the server's time on a module page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=document_title />
        <Router>
            <a class="skip-link" href="#main">
                "Skip to main content"
            </a>
            <SiteHeader />
            <main id="main" tabindex="-1">
                <FlatRoutes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::catalog::CatalogPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=pages::login::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=pages::register::RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/me") view=pages::dashboard::DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/me/privacy") view=pages::privacy::PrivacyPage ssr=SsrMode::Async />
                    <Route path=path!("/me/record") view=pages::record::RecordPage ssr=SsrMode::Async />
                    <Route path=path!("/forgot-password") view=pages::password_reset::ForgotPasswordPage />
                    <Route path=path!("/forgot-password/sent") view=pages::password_reset::ResetSentPage />
                    <Route path=path!("/reset-password/:token") view=pages::password_reset::ResetPasswordPage />
                    <Route path=path!("/confirm-email/:token") view=pages::confirm_email::ConfirmEmailPage />
                    <Route path=path!("/email-confirmed") view=pages::confirm_email::EmailConfirmedPage />
                    <Route path=path!("/resources") view=pages::resources::ResourcesPage ssr=SsrMode::Async />
                    <Route path=path!("/policies") view=pages::resources::PoliciesPage ssr=SsrMode::Async />
                    <Route path=path!("/verify") view=pages::verify::VerifyPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/admin/accounts")
                        view=pages::admin_accounts::AdminAccountsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/admin/organizations")
                        view=pages::admin_organizations::AdminOrganizationsPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/org") view=pages::org_roster::OrgRosterPage ssr=SsrMode::Async />
                    <Route path=path!("/org/verify") view=pages::org_verify::OrgVerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/org/tokens") view=pages::org_tokens::OrgTokensPage ssr=SsrMode::Async />
                    <Route path=path!("/outcomes") view=pages::outcomes::OutcomesPage ssr=SsrMode::Async />
                    <Route path=path!("/join/:token") view=pages::join::JoinPage ssr=SsrMode::Async />
                    <Route path=path!("/teach") view=pages::teach::TeachPage ssr=SsrMode::Async />
                    <Route path=path!("/teach/queue") view=pages::teach_queue::TeachQueuePage ssr=SsrMode::Async />
                    <Route path=path!("/teach/:course") view=pages::teach_course::TeachCoursePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/teach/programs/:program")
                        view=pages::teach_program::TeachProgramPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/teach/:course/history")
                        view=pages::teach_history::TeachHistoryPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/teach/:course/learners")
                        view=pages::teach_learners::TeachLearnersPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/teach/:course/modules/:module")
                        view=pages::teach_module::TeachModulePage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/verify/:code") view=pages::verify::VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/courses/:course") view=pages::course::CoursePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/me/reflections/:course")
                        view=pages::reflections::ReflectionsPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/courses/:course/:module") view=pages::module::ModulePage ssr=SsrMode::Async />
                    <Route path=path!("/courses/:course/:module/quiz") view=pages::quiz::QuizPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/courses/:course/:module/quiz/attempts/:attempt")
                        view=pages::attempt::AttemptPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/programs/:program/exam") view=pages::exam::ExamPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/programs/:program/exam/attempts/:attempt")
                        view=pages::exam_attempt::ExamAttemptPage
                        ssr=SsrMode::Async
                    />
                </FlatRoutes>
            </main>
            <SiteFooter />
        </Router>
    }
}
