use crate::api::outcomes::load_outcomes;
use crate::components::bar_chart::{Bar, BarChart};
use crate::components::loaded::Loaded;
use crate::components::period_chart::PeriodChart;
use crate::components::scroll_table::ScrollTable;
use crate::dto::{EXPIRING_SOON_DAYS, Outcomes, percent};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/outcomes?from=…&to=…`: how volunteers move from their first course to a
/// certificate, for the viewer's organization, courses, or (site admins)
/// everyone. The range is a plain GET form, so it works without JavaScript.
#[component]
pub fn OutcomesPage() -> impl IntoView {
    let query = use_query_map();
    let range = move || query.with(|q| (q.get("from"), q.get("to")));
    let outcomes = Resource::new(range, |(from, to)| load_outcomes(from, to));
    view! {
        <Title text="Outcomes" />
        <Loaded resource=outcomes let:outcomes>
            <Dashboard outcomes />
        </Loaded>
    }
}

fn days(median: Option<f64>) -> String {
    match median {
        None => "—".to_owned(),
        Some(d) if d < 1.0 => "Under a day".to_owned(),
        Some(d) => {
            let d = (d * 10.0).round() / 10.0;
            if d == 1.0 {
                "1 day".to_owned()
            } else {
                format!("{d} days")
            }
        }
    }
}

/// Minutes as hours for a figure: "12.5".
fn whole_hours(minutes: i64) -> String {
    let hours = minutes as f64 / 60.0;
    if minutes % 60 == 0 {
        format!("{}", minutes / 60)
    } else {
        format!("{hours:.1}")
    }
}

fn share(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part) / f64::from(whole)
    }
}

#[component]
fn Dashboard(outcomes: Outcomes) -> impl IntoView {
    let Outcomes {
        enrolled,
        in_training,
        certified,
        ..
    } = outcomes;
    let completion = percent(outcomes.completion_rate());
    let training_minutes: i64 = outcomes.periods.iter().map(|p| p.training_minutes).sum();
    let supervised_minutes: i64 = outcomes.periods.iter().map(|p| p.supervised_minutes).sum();
    let sessions_held: u32 = outcomes.periods.iter().map(|p| p.sessions_held).sum();
    let presets = outcomes.presets.clone();
    let (from, to) = (outcomes.from.clone(), outcomes.to.clone());
    let cohort = if enrolled == 0 {
        view! { <p>"Nobody in this group started a course in this range. Try a longer one."</p> }.into_any()
    } else {
        let bars = vec![
            Bar {
                label: "Started".into(),
                share: 1.0,
                text: enrolled.to_string(),
                marked: false,
            },
            Bar {
                label: "Still in training".into(),
                share: share(in_training, enrolled),
                text: in_training.to_string(),
                marked: true,
            },
            Bar {
                label: "Certified".into(),
                share: share(certified, enrolled),
                text: certified.to_string(),
                marked: false,
            },
        ];
        let summary = format!(
            "Of {enrolled} volunteers who started, {in_training} are still in training and {certified} are certified ({completion})."
        );
        view! { <BarChart bars summary axis=("0".to_owned(), enrolled.to_string()) /> }.into_any()
    };
    let period = outcomes.period.noun();
    let timeline_summary = format!(
        "Per {period}, volunteers starting their first course and certificates issued: {}.",
        outcomes
            .periods
            .iter()
            .map(|p| format!("{} {} started, {} certified", p.label, p.started, p.certified))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let periods = outcomes.periods.clone();
    let tried: Vec<_> = outcomes.courses.iter().filter(|c| c.attempts > 0).cloned().collect();
    let pass_rates = if tried.is_empty() {
        view! { <p>"No quiz was submitted in this range."</p> }.into_any()
    } else {
        let summary = format!(
            "Share of quiz attempts that passed, per course: {}.",
            tried
                .iter()
                .map(|c| format!("{} {}", c.title, percent(c.rate())))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let bars = tried
            .iter()
            .map(|c| Bar {
                label: c.title.clone(),
                share: c.rate().unwrap_or(0.0),
                text: percent(c.rate()),
                marked: false,
            })
            .collect();
        view! { <BarChart bars summary axis=("0%".to_owned(), "100%".to_owned()) /> }.into_any()
    };
    view! {
        <h1>"Outcomes"</h1>
        <p class="lead">
            {format!("{}: from starting a course to holding a certificate.", outcomes.audience.describe())}
        </p>
        <form method="get" action="/outcomes" class="range-form">
            <label>"From"<input type="date" name="from" value=from.clone() /></label>
            <label>"To"<input type="date" name="to" value=to.clone() /></label>
            <button type="submit">"Show this range"</button>
        </form>
        <nav aria-label="Ready-made ranges" class="filters">
            <ul>
                {presets
                    .into_iter()
                    .map(|preset| {
                        let current = (preset.from == from && preset.to == to).then_some("page");
                        view! {
                            <li>
                                <a href=format!("/outcomes?from={}&to={}", preset.from, preset.to) aria-current=current>
                                    {preset.label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        {outcomes
            .range_note
            .map(|note| {
                view! {
                    <p class="notice" role="status">
                        {note}
                    </p>
                }
            })}

        <h2>{format!("Volunteers who started from {}", outcomes.range_label)}</h2>
        <p>
            "Counted once each, from the day their first course began; certificates count whenever they were earned, up to today."
        </p>
        <dl class="figures">
            <div>
                <dt>"Enrolled"</dt>
                <dd>{enrolled}</dd>
            </div>
            <div>
                <dt>"Still in training"</dt>
                <dd>{in_training}</dd>
            </div>
            <div>
                <dt>"Certified"</dt>
                <dd>{certified}</dd>
            </div>
            <div>
                <dt>"Completion rate"</dt>
                <dd>{completion}</dd>
            </div>
            <div>
                <dt>"Median time to certify"</dt>
                <dd>{days(outcomes.median_days_to_certify)}</dd>
            </div>
            <div>
                <dt>{format!("Certificates expiring in the next {EXPIRING_SOON_DAYS} days")}</dt>
                <dd>{outcomes.expiring_soon}</dd>
            </div>
            <div>
                <dt>"Training hours (live sessions and approved trainings)"</dt>
                <dd>{whole_hours(training_minutes)}</dd>
            </div>
            <div>
                <dt>"Supervised practice hours confirmed"</dt>
                <dd>{whole_hours(supervised_minutes)}</dd>
            </div>
            <div>
                <dt>"Live sessions held"</dt>
                <dd>{sessions_held}</dd>
            </div>
        </dl>
        <p class="meta">
            {format!(
                "Expiring counts everyone in the group whose newest certificate lapses within {EXPIRING_SOON_DAYS} days from today, whatever the range.",
            )}
        </p>
        {cohort}

        <h2>{format!("Per {period}")}</h2>
        <ul class="chart-legend">
            <li>
                <span class="swatch"></span>
                "Started their first course"
            </li>
            <li>
                <span class="swatch second"></span>
                "Certificates issued"
            </li>
        </ul>
        <PeriodChart periods=periods.clone() summary=timeline_summary />
        <details>
            <summary>"The same figures as a table"</summary>
            <table class="data-table">
                <caption class="visually-hidden">{format!("Per {period}")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{period}</th>
                        <th scope="col" class="number">
                            "Started"
                        </th>
                        <th scope="col" class="number">
                            "Certificates issued"
                        </th>
                        <th scope="col" class="number">
                            "Training hours"
                        </th>
                        <th scope="col" class="number">
                            "Supervised hours"
                        </th>
                        <th scope="col" class="number">
                            "Sessions held"
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {periods
                        .into_iter()
                        .map(|p| {
                            view! {
                                <tr>
                                    <th scope="row">{p.label}</th>
                                    <td class="number">{p.started}</td>
                                    <td class="number">{p.certified}</td>
                                    <td class="number">{whole_hours(p.training_minutes)}</td>
                                    <td class="number">{whole_hours(p.supervised_minutes)}</td>
                                    <td class="number">{p.sessions_held}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </details>

        <h2>"Pass rate per course"</h2>
        <p>
            "The share of quiz attempts submitted in this range that passed. A low rate can mean a quiz needs a clearer question as much as learners needing more time."
        </p>
        {pass_rates}
        <ScrollTable label="Pass rate per course">
            <thead>
                <tr>
                    <th scope="col">"Course"</th>
                    <th scope="col" class="number">
                        "Learners"
                    </th>
                    <th scope="col" class="number">
                        "Attempts"
                    </th>
                    <th scope="col" class="number">
                        "Passed"
                    </th>
                    <th scope="col" class="number">
                        "Pass rate"
                    </th>
                </tr>
            </thead>
            <tbody>
                {outcomes
                    .courses
                    .into_iter()
                    .map(|c| {
                        view! {
                            <tr>
                                <th scope="row">{c.title.clone()}</th>
                                <td class="number">{c.learners}</td>
                                <td class="number">{c.attempts}</td>
                                <td class="number">{c.passed}</td>
                                <td class="number">{percent(c.rate())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </ScrollTable>
    }
}
