//! Counts the queries each request makes, so tests can hold every page to
//! a budget and a later change cannot quietly add ten (`serve
//! --count-queries`, a hidden test option; [`crate::http`] then reports the
//! count in an `x-query-count` header).
//!
//! A request's database work runs on blocking threads, started from the
//! request's own task (middleware, plain routes) or from tasks Leptos
//! spawns for a page's resources; the count travels to them through a task
//! local or, in Leptos's tasks, through the request parts it keeps in
//! context, and is set in a thread local while the work runs, where the
//! connection's instrumentation finds it.

use diesel::connection::{Instrumentation, InstrumentationEvent, set_default_instrumentation};
use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The queries one request has made so far.
#[derive(Clone, Debug, Default)]
pub struct QueryCount(Arc<AtomicUsize>);

impl QueryCount {
    pub fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    /// Runs `work` (a request's task) with its queries counted here.
    pub async fn scope<F: Future>(self, work: F) -> F::Output {
        REQUEST.scope(self, work).await
    }
}

static INSTALLED: AtomicBool = AtomicBool::new(false);

tokio::task_local! {
    static REQUEST: QueryCount;
}

thread_local! {
    static RUNNING: RefCell<Option<QueryCount>> = const { RefCell::new(None) };
}

/// Counts every query of connections opened from now on.
pub fn install() -> Result<(), String> {
    fn counter() -> Option<Box<dyn Instrumentation>> {
        Some(Box::new(|event: InstrumentationEvent<'_>| {
            if matches!(event, InstrumentationEvent::StartQuery { .. }) {
                RUNNING.with_borrow(|count| {
                    if let Some(count) = count {
                        count.0.fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
        }))
    }
    set_default_instrumentation(counter).map_err(|e| e.to_string())?;
    INSTALLED.store(true, Ordering::Relaxed);
    Ok(())
}

/// The count of the request this code runs for, if counting is on.
pub fn current() -> Option<QueryCount> {
    if !INSTALLED.load(Ordering::Relaxed) {
        return None;
    }
    REQUEST.try_with(Clone::clone).ok().or_else(|| {
        leptos::prelude::use_context::<axum::http::request::Parts>()?
            .extensions
            .get::<QueryCount>()
            .cloned()
    })
}

/// Runs blocking database work with its queries counted against `count`.
pub fn counted<T>(count: Option<QueryCount>, work: impl FnOnce() -> T) -> T {
    /// Puts the outer count back even if `work` panics: the blocking thread
    /// lives on to run other requests' work.
    struct Restore(Option<QueryCount>);
    impl Drop for Restore {
        fn drop(&mut self) {
            RUNNING.set(self.0.take());
        }
    }
    let Some(count) = count else { return work() };
    let _restore = Restore(RUNNING.replace(Some(count)));
    work()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_counted_work_leaves_the_thread_counting_for_no_one() {
        let count = QueryCount::default();
        let panicked = std::panic::catch_unwind(|| counted(Some(count.clone()), || panic!("the work failed")));
        assert!(panicked.is_err());
        assert!(
            RUNNING.with_borrow(Option::is_none),
            "the next request's work is not counted as this one's"
        );
        counted(Some(count), || {
            assert!(RUNNING.with_borrow(Option::is_some), "counting while the work runs");
        });
        assert!(RUNNING.with_borrow(Option::is_none));
    }
}
