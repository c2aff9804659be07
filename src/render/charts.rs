//! The Progress page's charts, drawn as inline SVG when the site is built: nothing is
//! loaded from anywhere. Each has a `<title>`, carries its numbers in `data-` attributes,
//! and comes with a table of the same numbers for screen readers and print.

use std::fmt::Write;

use serde::Serialize;

use crate::render::html_escape;
use crate::stats::Stats;

/// One chart as templates see it.
#[derive(Serialize)]
pub(crate) struct Chart {
    /// The element id its title and table hang from.
    pub id: &'static str,
    pub title: String,
    /// The SVG, to print with `| safe`.
    pub svg: String,
    /// The same numbers, as a table: its column headings and rows.
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// A sentence under it, if any.
    pub note: Option<String>,
}

const WIDTH: u32 = 480;
const BAR: u32 = 22;
const LABEL: u32 = 120;

/// Every chart of the Progress page.
pub(crate) fn all(stats: &Stats) -> Vec<Chart> {
    vec![
        weekly(stats),
        funnel(stats),
        reply_rate(stats),
        referrals(stats),
        days(stats),
    ]
}

/// An SVG of `height` with a title, for the chart `id`, around `body`.
fn svg(id: &str, title: &str, height: u32, attrs: &str, body: &str) -> String {
    format!(
        "<svg class=\"chart\" id=\"chart-{id}\" data-chart=\"{id}\"{attrs} role=\"img\" \
         aria-labelledby=\"chart-{id}-title\" viewBox=\"0 0 {WIDTH} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-{id}-title\">{}</title>{body}</svg>",
        html_escape(title)
    )
}

/// Horizontal bars, one a row: `(label, value, data attributes)`, scaled to the largest.
fn bars(rows: &[(String, usize, String)]) -> (u32, String) {
    let most = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let mut body = String::new();
    for (i, (label, value, data)) in rows.iter().enumerate() {
        let y = i as u32 * (BAR + 6) + 4;
        let w = (WIDTH - LABEL - 40) * (*value as u32) / most as u32;
        let _ = write!(
            body,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"chart-label\">{}</text>\
             <rect class=\"bar\" x=\"{LABEL}\" y=\"{y}\" width=\"{w}\" height=\"{BAR}\"{data}></rect>\
             <text x=\"{}\" y=\"{}\" class=\"chart-value\">{value}</text>",
            LABEL - 6,
            y + BAR - 6,
            html_escape(label),
            LABEL + w + 4,
            y + BAR - 6,
        );
    }
    (rows.len() as u32 * (BAR + 6) + 8, body)
}

fn weekly(stats: &Stats) -> Chart {
    let goal = stats.weekly_goal as usize;
    let most = stats
        .weeks
        .iter()
        .map(|w| w.chats)
        .max()
        .unwrap_or(0)
        .max(goal)
        .max(1);
    let (height, base, step) = (
        170u32,
        140u32,
        (WIDTH - 40) / stats.weeks.len().max(1) as u32,
    );
    let scale = |n: usize| (base - 10) * n as u32 / most as u32;
    let mut body = String::new();
    for (i, w) in stats.weeks.iter().enumerate() {
        let (x, h) = (30 + i as u32 * step, scale(w.chats));
        let met = if w.met_goal { " met" } else { "" };
        let _ = write!(
            body,
            "<rect class=\"bar{met}\" x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{h}\" \
             data-week=\"{}\" data-chats=\"{}\" data-outreach=\"{}\"></rect>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"chart-label\">{}</text>",
            base - h,
            step - 6,
            w.week,
            w.chats,
            w.outreach,
            x + (step - 6) / 2,
            base + 14,
            &w.week[5..],
        );
    }
    let y = base - scale(goal);
    let _ = write!(
        body,
        "<line class=\"goal\" x1=\"26\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\"></line>\
         <text x=\"2\" y=\"{}\" class=\"chart-label\">goal {goal}</text>",
        WIDTH - 4,
        y.saturating_sub(3).max(10),
    );
    let title = format!(
        "Chats a week against a goal of {goal}, the last {} weeks",
        stats.weeks.len()
    );
    let attrs = format!(" data-goal=\"{goal}\"");
    Chart {
        id: "weekly",
        svg: svg("weekly", &title, height, &attrs, &body),
        title,
        headers: vec!["Week of", "Chats", "Outreach", "Goal met"],
        rows: stats
            .weeks
            .iter()
            .map(|w| {
                let met = if w.met_goal { "yes" } else { "no" };
                vec![
                    w.week.clone(),
                    w.chats.to_string(),
                    w.outreach.to_string(),
                    met.into(),
                ]
            })
            .collect(),
        note: Some(format!(
            "Streak: {} weeks in a row met the goal.",
            stats.streak
        )),
    }
}

fn funnel(stats: &Stats) -> Chart {
    let f = &stats.funnel;
    let stages = [
        ("reached out", f.reached_out),
        ("replied", f.replied),
        ("met", f.met),
        ("referred you on", f.referred),
    ];
    let rows: Vec<(String, usize, String)> = stages
        .iter()
        .map(|&(stage, n)| {
            (
                stage.to_string(),
                n,
                format!(" data-stage=\"{stage}\" data-count=\"{n}\""),
            )
        })
        .collect();
    let (height, body) = bars(&rows);
    let title = "People reached out to, who replied, you met, and who referred you on".to_string();
    Chart {
        id: "funnel",
        svg: svg("funnel", &title, height, "", &body),
        title,
        headers: vec!["Stage", "People"],
        rows: stages
            .iter()
            .map(|(s, n)| vec![s.to_string(), n.to_string()])
            .collect(),
        note: None,
    }
}

fn reply_rate(stats: &Stats) -> Chart {
    let rows: Vec<(String, usize, String)> = stats
        .reply_rate
        .iter()
        .map(|r| {
            let data = format!(
                " data-source=\"{}\" data-reached=\"{}\" data-replied=\"{}\" data-rate=\"{}\"",
                html_escape(&r.source),
                r.reached_out,
                r.replied,
                r.rate
            );
            (r.source.clone(), r.rate, data)
        })
        .collect();
    let (height, body) = bars(&rows);
    let title = "Reply rate to outreach, in percent, by how you found them".to_string();
    Chart {
        id: "reply-rate",
        svg: svg("reply-rate", &title, height.max(40), "", &body),
        title,
        headers: vec!["Source", "Reached out", "Replied", "Rate"],
        rows: stats
            .reply_rate
            .iter()
            .map(|r| {
                let rate = format!("{}%", r.rate);
                vec![
                    r.source.clone(),
                    r.reached_out.to_string(),
                    r.replied.to_string(),
                    rate,
                ]
            })
            .collect(),
        note: None,
    }
}

fn referrals(stats: &Stats) -> Chart {
    let r = &stats.referrals_per_chat;
    let labels = ["no names", "1 name", "2 names", "3 or more"];
    let rows: Vec<(String, usize, String)> = (0..4)
        .map(|i| {
            let data = format!(" data-referrals=\"{i}\" data-chats=\"{}\"", r.histogram[i]);
            (labels[i].to_string(), r.histogram[i], data)
        })
        .collect();
    let (height, body) = bars(&rows);
    let title = "Done chats by how many names you were given in them".to_string();
    let attrs = format!(
        " data-average=\"{}\" data-total=\"{}\"",
        r.average, r.referrals
    );
    Chart {
        id: "referrals",
        svg: svg("referrals", &title, height, &attrs, &body),
        title,
        headers: vec!["Names given", "Chats"],
        rows: (0..4)
            .map(|i| vec![labels[i].to_string(), r.histogram[i].to_string()])
            .collect(),
        note: Some(format!(
            "{} names from {} done chats: {} a chat.",
            r.referrals, r.chats, r.average
        )),
    }
}

fn days(stats: &Stats) -> Chart {
    let d = &stats.outreach_to_chat;
    let most = d.days.iter().copied().max().unwrap_or(0).max(1);
    let x = |n: i64| 20 + (WIDTH as i64 - 40) * n / most;
    let mut body =
        String::from("<line class=\"axis\" x1=\"20\" x2=\"460\" y1=\"40\" y2=\"40\"></line>");
    for &n in &d.days {
        let _ = write!(
            body,
            "<circle class=\"dot\" cx=\"{}\" cy=\"40\" r=\"6\" data-days=\"{n}\"></circle>",
            x(n)
        );
    }
    let mut attrs = String::new();
    if let Some(m) = &d.median {
        let at = m.parse::<f64>().map_or(0, |m| m.round() as i64);
        let _ = write!(
            body,
            "<line class=\"goal\" x1=\"{0}\" x2=\"{0}\" y1=\"20\" y2=\"60\"></line>\
             <text x=\"{0}\" y=\"76\" text-anchor=\"middle\" class=\"chart-label\">median {m} days</text>",
            x(at)
        );
        attrs = format!(" data-median=\"{m}\"");
    }
    let title =
        "Days from the first outreach to the first chat, for each person you met".to_string();
    Chart {
        id: "days",
        svg: svg("days", &title, 84, &attrs, &body),
        title,
        headers: vec!["Person's wait, in days"],
        rows: d.days.iter().map(|n| vec![n.to_string()]).collect(),
        note: Some(match &d.median {
            Some(m) => format!("Median: {m} days, over {} people.", d.days.len()),
            None => "No one met after an outreach yet.".into(),
        }),
    }
}
