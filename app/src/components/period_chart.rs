//! Two counts per period (volunteers starting, certificates issued) as
//! paired columns, drawn as SVG on the server. One labelled image: the
//! table beside it carries the figures.

use crate::dto::PeriodCounts;
use leptos::prelude::*;

const PLOT_WIDTH: f64 = 560.0;
const PLOT_HEIGHT: f64 = 160.0;
const LEFT: f64 = 36.0;
const TOP: f64 = 18.0;

#[component]
pub fn PeriodChart(periods: Vec<PeriodCounts>, summary: String) -> impl IntoView {
    let highest = periods
        .iter()
        .map(|p| p.started.max(p.certified))
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = PLOT_WIDTH / periods.len().max(1) as f64;
    let column = (slot * 0.38).min(22.0);
    // Every label when they fit, else every second, third...
    let label_every = (periods.len() as f64 * 52.0 / PLOT_WIDTH).ceil().max(1.0) as usize;
    let show_values = slot >= 2.0 * column + 16.0;
    let base = TOP + PLOT_HEIGHT;
    let scale = |n: u32| f64::from(n) / f64::from(highest) * PLOT_HEIGHT;
    let columns = periods
        .into_iter()
        .enumerate()
        .map(|(i, period)| {
            let middle = LEFT + slot * (i as f64 + 0.5);
            let (started, certified) = (scale(period.started), scale(period.certified));
            let value = |x: f64, height: f64, n: u32| {
                show_values.then(|| {
                    view! {
                        <text x=x + column / 2.0 y=base - height - 4.0 text-anchor="middle">
                            {n}
                        </text>
                    }
                })
            };
            view! {
                <rect class="bar" x=middle - column y=base - started width=column height=started.max(0.5)></rect>
                <rect class="bar second" x=middle y=base - certified width=column height=certified.max(0.5)></rect>
                {value(middle - column, started, period.started)}
                {value(middle, certified, period.certified)}
                {(i % label_every == 0)
                    .then(|| {
                        view! {
                            <text x=middle y=base + 16.0 text-anchor="middle">
                                {period.label}
                            </text>
                        }
                    })}
            }
        })
        .collect_view();
    let width = LEFT + PLOT_WIDTH + 10.0;
    let height = base + 26.0;
    view! {
        <svg
            class="chart"
            role="img"
            aria-label=summary
            viewBox=format!("0 0 {width} {height}")
            width=width
            height=height
        >
            <line class="axis" x1=LEFT y1=base x2=LEFT + PLOT_WIDTH y2=base></line>
            <text x=LEFT - 6.0 y=TOP + 4.0 text-anchor="end">
                {highest}
            </text>
            <text x=LEFT - 6.0 y=base text-anchor="end">
                "0"
            </text>
            {columns}
        </svg>
    }
}
