use crate::api::auth::DeleteAccount;
use crate::components::notice::FormError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/me/privacy`: what Holdspace keeps about the learner, a copy of all of
/// it, and deleting the account.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let delete = ServerAction::<DeleteAccount>::new();
    view! {
        <Title text="Your data" />
        <p class="breadcrumb"><a href="/me">"My learning"</a></p>
        <h1>"Your data"</h1>
        <p class="lead">
            "Holdspace keeps your name, your email, the courses you enrolled in, which modules you have read, "
            "your quiz answers and scores, your certificates, and any practical requirements a trainer signed off for you. "
            "Trainers of your courses see your progress and scores, to support your learning."
        </p>
        <h2>"Download a copy"</h2>
        <p>"A file with everything above, in JSON, a format other programs can read."</p>
        <p><a class="button" href="/me/data.json" download="">"Download my data"</a></p>
        <h2>"Delete your account"</h2>
        <p>
            "This removes your account, your progress and your quiz answers, and cannot be undone. "
            "Certificates you have already been given stay valid and can still be checked with their code, "
            "showing the name printed on them, so that a certificate you handed to an organization keeps working."
        </p>
        <ActionForm action=delete attr:class="stacked-form">
            <FormError result=delete.value().into() />
            <label for="delete-password">"Your password"</label>
            <input id="delete-password" name="password" type="password" autocomplete="current-password" required />
            <label class="checkbox">
                <input type="checkbox" name="understood" value="yes" required />
                " I understand that my account and progress will be deleted"
            </label>
            <button type="submit" class="danger">"Delete my account"</button>
        </ActionForm>
    }
}
