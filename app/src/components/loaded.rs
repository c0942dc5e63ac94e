//! The one way a page waits for its data: a [`Suspense`] that shows a plain
//! sentence while loading, the page once the data is there, or the error,
//! kindly and with the page's HTTP status, if it could not be had.

use crate::components::notice::ErrorNotice;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Shows `children` with the resource's value once it has loaded.
///
/// `error_title` names the page in the browser's tab when the error is
/// shown instead (pages whose own title comes from their data); without
/// it, the tab says what kind of error it is, never nothing.
#[component]
pub fn Loaded<T, F, V>(
    resource: Resource<Result<T, AppError>>,
    /// The sentence shown meanwhile.
    #[prop(default = "Loading…")]
    loading: &'static str,
    #[prop(optional)] error_title: Option<&'static str>,
    children: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=move || {
            view! { <p>{loading}</p> }
        }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => children(value).into_any(),
                        Err(error) => {
                            view! {
                                <Title text=error_title.unwrap_or(error.page_title()) />
                                <ErrorNotice error />
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}
