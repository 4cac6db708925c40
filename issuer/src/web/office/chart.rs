//! Server-rendered SVG bar charts for the statistics page: no script, no inline style (the CSP
//! forbids both); the bars take their colours from classes in `static/style.css`. Each chart has
//! a `<title>` for screen readers, and the page puts the numbers in a table beside it.

use maud::{Markup, html};

/// The drawing's size in SVG units; the stylesheet scales it to the column.
const WIDTH: u32 = 320;
const HEIGHT: u32 = 140;
/// Room for the axis labels.
const LEFT: u32 = 34;
const BOTTOM: u32 = 20;
const TOP: u32 = 8;

/// A vertical bar chart of one series over days: one bar per value, scaled to the largest. The
/// first and last labels are written under the axis, the largest value beside it.
pub fn days(title: &str, class: &str, values: &[(String, u64)]) -> Markup {
    let max = values.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let plot_w = f64::from(WIDTH - LEFT - 4);
    let plot_h = f64::from(HEIGHT - BOTTOM - TOP);
    let n = values.len().max(1) as f64;
    let step = plot_w / n;
    let bar = (step * 0.8).max(1.0);
    let height = |v: u64| {
        if max == 0 {
            0.0
        } else {
            (v as f64) / (max as f64) * plot_h
        }
    };
    let base = f64::from(HEIGHT - BOTTOM);
    html! {
        figure.chart {
            figcaption { (title) }
            svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" class=(format!("bars {class}")) {
                title { (title) }
                line.axis x1=(LEFT) y1=(base) x2=(WIDTH - 4) y2=(base) {}
                line.axis x1=(LEFT) y1=(TOP) x2=(LEFT) y2=(base) {}
                text.tick x=(LEFT - 4) y=(TOP + 8) text-anchor="end" { (max) }
                text.tick x=(LEFT - 4) y=(base) text-anchor="end" { "0" }
                @for (i, (label, value)) in values.iter().enumerate() {
                    @let h = height(*value);
                    rect.bar x=(format!("{:.1}", f64::from(LEFT) + step * i as f64 + (step - bar) / 2.0))
                        y=(format!("{:.1}", base - h)) width=(format!("{bar:.1}")) height=(format!("{h:.1}")) {
                        title { (label) ": " (value) }
                    }
                }
                @if let (Some((first, _)), Some((last, _))) = (values.first(), values.last()) {
                    text.tick x=(LEFT) y=(HEIGHT - 4) text-anchor="start" { (first) }
                    text.tick x=(WIDTH - 4) y=(HEIGHT - 4) text-anchor="end" { (last) }
                }
            }
        }
    }
}

/// A horizontal bar chart of named counts (the citizenships), largest first as given.
pub fn ranking(title: &str, values: &[(String, u64)]) -> Markup {
    let max = values.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let row = 22u32;
    let height = (row * u32::try_from(values.len()).unwrap_or(0)).max(row) + 4;
    let left = 48u32;
    let plot_w = f64::from(WIDTH - left - 48);
    html! {
        figure.chart {
            figcaption { (title) }
            svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {height}")) role="img" class="bars ranking" {
                title { (title) }
                @for (i, (label, value)) in values.iter().enumerate() {
                    @let y = row * u32::try_from(i).unwrap_or(0) + 2;
                    @let w = if max == 0 { 0.0 } else { (*value as f64) / (max as f64) * plot_w };
                    text.tick x=(left - 6) y=(y + 15) text-anchor="end" { (label) }
                    rect.bar x=(left) y=(y + 3) width=(format!("{w:.1}")) height=(row - 6) {
                        title { (label) ": " (value) }
                    }
                    text.tick x=(format!("{:.1}", f64::from(left) + w + 4.0)) y=(y + 15) { (value) }
                }
            }
        }
    }
}
