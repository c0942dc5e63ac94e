//! A horizontal bar chart drawn as SVG on the server, so that it needs no
//! script and prints. Each chart is one labelled image: the table beside it
//! carries the same figures for screen readers.

use leptos::prelude::*;

const BAR_HEIGHT: f64 = 18.0;
const GAP: f64 = 8.0;
/// Room per character of a label: generous for 12px text, so that the
/// longest label is never cut off at the image's left edge.
const LABEL_CHAR_WIDTH: f64 = 7.0;
const PLOT_WIDTH: f64 = 300.0;

#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    /// Length, from 0 (none) to 1 (the whole axis).
    pub share: f64,
    /// Written at the end of the bar ("42%").
    pub text: String,
    /// Drawn in the note colour, for a bar that needs attention.
    pub marked: bool,
}

/// `summary` is what the image says to a screen reader; `axis` labels the
/// two ends of the scale ("0%", "100%").
#[component]
pub fn BarChart(bars: Vec<Bar>, summary: String, axis: (String, String)) -> impl IntoView {
    let longest = bars.iter().map(|bar| bar.label.chars().count()).max().unwrap_or(0);
    let label_width = (longest as f64 * LABEL_CHAR_WIDTH + 12.0).max(60.0);
    let height = bars.len() as f64 * (BAR_HEIGHT + GAP) + 30.0;
    let width = label_width + PLOT_WIDTH + 60.0;
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(row, bar)| {
            let y = row as f64 * (BAR_HEIGHT + GAP);
            let length = (bar.share.clamp(0.0, 1.0) * PLOT_WIDTH).round();
            let class = if bar.marked { "bar marked" } else { "bar" };
            view! {
                <text x=label_width - 6.0 y=y + BAR_HEIGHT * 0.75 text-anchor="end">
                    {bar.label}
                </text>
                <rect class=class x=label_width y=y width=length.max(1.0) height=BAR_HEIGHT></rect>
                <text x=label_width + length + 6.0 y=y + BAR_HEIGHT * 0.75>
                    {bar.text}
                </text>
            }
        })
        .collect_view();
    let axis_y = height - 26.0;
    view! {
        <svg
            class="chart"
            role="img"
            aria-label=summary
            viewBox=format!("0 0 {width} {height}")
            width=width
            height=height
        >
            {rows}
            <line class="axis" x1=label_width y1=axis_y x2=label_width + PLOT_WIDTH y2=axis_y></line>
            <text x=label_width y=axis_y + 16.0 text-anchor="middle">
                {axis.0}
            </text>
            <text x=label_width + PLOT_WIDTH y=axis_y + 16.0 text-anchor="middle">
                {axis.1}
            </text>
        </svg>
    }
}
