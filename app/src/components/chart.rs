//! Wellbeing over time, drawn by the app as SVG (no chart library, nothing
//! fetched): mood as a line broken where no check-in was made, each point
//! shaped by who answered; each ONS4 question on its own small chart; and the
//! same data as a table for screen readers and anyone who prefers one.

use crate::components::faces::AnswerMark;
use chrono::NaiveDate;
use hearth_core::trends::{runs, DayMean, Grouping, MoodPoint, Ons4Point, PeriodAverage};
use hearth_core::{Answered, Mood};
use leptos::prelude::*;

const W: f64 = 320.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
/// Room between the labels and the first and last marks.
const PAD: f64 = 10.0;

fn x_of(day: NaiveDate, from: NaiveDate, to: NaiveDate) -> f64 {
    let span = (to - from).num_days().max(1) as f64;
    LEFT + PAD + (W - LEFT - RIGHT - 2.0 * PAD) * ((day - from).num_days() as f64 / span)
}

/// A date on the axis, with its year when the chart spans two.
fn axis_date(day: NaiveDate, from: NaiveDate, to: NaiveDate) -> String {
    use chrono::Datelike;
    if from.year() == to.year() {
        hearth_core::dates::day_month(day)
    } else {
        format!("{} {}", hearth_core::dates::day_month(day), day.year())
    }
}

/// Where a week's or month's average sits: the middle of the part of it
/// inside the chart.
fn x_of_average(a: &PeriodAverage, from: NaiveDate, to: NaiveDate) -> f64 {
    let (start, end) = (a.start.max(from), a.end.min(to));
    (x_of(start, from, to) + x_of(end, from, to)) / 2.0
}

/// Averages, each a dot at its mean on a line from its lowest to its highest
/// check-in, joined where one period follows the next.
fn averages_view(
    averages: &[PeriodAverage],
    from: NaiveDate,
    to: NaiveDate,
    height: f64,
) -> impl IntoView {
    let y = |v: f64| y_of(v, 1.0, 5.0, height);
    let mut joined: Vec<Vec<String>> = Vec::new();
    let mut last_end: Option<NaiveDate> = None;
    for a in averages {
        let point = format!("{:.1},{:.1}", x_of_average(a, from, to), y(a.mean));
        match joined.last_mut() {
            Some(run) if last_end.and_then(|e| e.succ_opt()) == Some(a.start) => run.push(point),
            _ => joined.push(vec![point]),
        }
        last_end = Some(a.end);
    }
    view! {
        {joined.into_iter().filter(|run| run.len() > 1).map(|run| view! {
            <polyline class="trend" points=run.join(" ")></polyline>
        }).collect_view()}
        {averages.iter().map(|a| {
            let x = x_of_average(a, from, to);
            view! {
                <line class="spread" x1=x x2=x y1=y(f64::from(a.low)) y2=y(f64::from(a.high))></line>
                <circle class="mean" cx=x cy=y(a.mean) r="4"></circle>
            }
        }).collect_view()}
    }
}

fn y_of(value: f64, low: f64, high: f64, height: f64) -> f64 {
    TOP + (height - TOP - 24.0) * (1.0 - (value - low) / (high - low))
}

fn line(run: &[DayMean], from: NaiveDate, to: NaiveDate, height: f64) -> String {
    run.iter()
        .map(|d| {
            format!(
                "{:.1},{:.1}",
                x_of(d.day, from, to),
                y_of(d.mean, 1.0, 5.0, height)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The mood chart for `[from, to]`.
#[component]
pub fn MoodChart(
    points: Vec<MoodPoint>,
    from: NaiveDate,
    to: NaiveDate,
    label: String,
) -> impl IntoView {
    let height = 180.0;
    let grouping = Grouping::of(from, to);
    let averages = grouping.averages(&points);
    let lines = if grouping == Grouping::Each {
        runs(&points)
    } else {
        Vec::new()
    };
    let each = if grouping == Grouping::Each {
        points.clone()
    } else {
        Vec::new()
    };
    let hint = match grouping {
        Grouping::Each => None,
        Grouping::Weekly => Some("Each dot is a week's average mood; its line runs from the lowest to the highest check-in that week."),
        Grouping::Monthly => Some("Each dot is a month's average mood; its line runs from the lowest to the highest check-in that month."),
    };
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {height}") role="img" aria-label=label>
            {Mood::ALL.iter().map(|m| {
                let y = y_of(m.score() as f64, 1.0, 5.0, height);
                view! {
                    <line class="grid" x1=LEFT x2=W - RIGHT y1=y y2=y></line>
                    <text class="axis" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{m.label()}</text>
                }
            }).collect_view()}
            <text class="axis" x=LEFT + PAD y=height - 4.0>{axis_date(from, from, to)}</text>
            <text class="axis" x=W - RIGHT y=height - 4.0 text-anchor="end">{axis_date(to, from, to)}</text>
            {lines.iter().map(|run| {
                if run.len() == 1 {
                    ().into_any()
                } else {
                    view! { <polyline class="trend" points=line(run, from, to, height)></polyline> }.into_any()
                }
            }).collect_view()}
            {each.iter().map(|p| {
                let x = x_of(p.day, from, to);
                let y = y_of(p.mood.score() as f64, 1.0, 5.0, height);
                view! { <AnswerMark answered=p.answered x=x y=y /> }
            }).collect_view()}
            {averages_view(&averages, from, to, height)}
        </svg>
        {hint.map(|h| view! { <p class="hint">{h}</p> })}
    }
}

/// One ONS4 question over `[from, to]`, 0 to 10.
#[component]
pub fn Ons4Chart(
    points: Vec<Ons4Point>,
    from: NaiveDate,
    to: NaiveDate,
    label: String,
) -> impl IntoView {
    let height = 110.0;
    view! {
        <svg class="chart chart-small" viewBox=format!("0 0 {W} {height}") role="img" aria-label=label>
            {[0.0, 5.0, 10.0].into_iter().map(|v| {
                let y = y_of(v, 0.0, 10.0, height);
                view! {
                    <line class="grid" x1=LEFT x2=W - RIGHT y1=y y2=y></line>
                    <text class="axis" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{format!("{v}")}</text>
                }
            }).collect_view()}
            {points.iter().map(|p| {
                let x = x_of(p.day, from, to);
                let y = y_of(p.value as f64, 0.0, 10.0, height);
                view! { <AnswerMark answered=p.answered x=x y=y /> }
            }).collect_view()}
        </svg>
    }
}

/// What each point's shape means.
#[component]
pub fn ChartKey(name: String) -> impl IntoView {
    view! {
        <ul class="chart-key" aria-label="Key">
            {Answered::ALL.iter().map(|a| view! {
                <li>
                    <svg viewBox="0 0 16 16" class="key-mark" aria-hidden="true"><AnswerMark answered=*a x=8.0 y=8.5 /></svg>
                    {a.label(&name)}
                </li>
            }).collect_view()}
        </ul>
    }
}
