//! The introduction graph: who introduced you to whom, who suggested whom in a chat, and
//! where everyone works, drawn as an SVG when the site is built (the Network page).
//!
//! The layout is our own. The crates that lay graphs out are layered (Sugiyama) or
//! force-directed: neither puts you in the middle with each company's people together,
//! and neither promises labels that do not overlap. Here each cluster (a company's
//! people; else the people one contact introduced; else those with neither) is a box of
//! rows, a person a row, and the boxes sit on rings around you in the order of their
//! titles, each ring far enough out that no two boxes touch. Nothing is random, so a
//! build draws what the last one drew, and a box moves only when a cluster before it
//! on its ring comes, goes or changes size.

use std::f32::consts::{PI, TAU};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

use crate::model::agenda::ContactFacts;
use crate::model::note::{ContactStatus, Data, Kind, Note, NoteId};
use crate::render::html_escape;
use crate::render::view::{Inputs, Link};

/// Who a cluster gathers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Group {
    /// The people at a company.
    Company(NoteId),
    /// People without a company whom one contact introduced.
    Via(NoteId),
    /// People with neither a company nor an introducer.
    Alone,
}

/// A contact as the graph shows them.
#[derive(Clone, Debug, Hash)]
pub(crate) struct Person {
    pub id: NoteId,
    pub group: Group,
    /// The contact who introduced you (`introduced_by`).
    pub introducer: Option<NoteId>,
    /// Contacts they suggested in a chat and did not introduce.
    pub referred: Vec<NoteId>,
    pub met: bool,
}

/// The people of the vault and the ties between them, in vault order.
pub(crate) struct Graph {
    /// The profile, in the middle.
    pub you: Option<NoteId>,
    pub people: Vec<Person>,
}

/// Whether you have met someone: a chat with them is done, or you said so.
pub(crate) fn met(f: &ContactFacts) -> bool {
    f.derived == ContactStatus::Met
        || matches!(f.status, ContactStatus::Met | ContactStatus::KeepInTouch)
}

/// Whether no one has contacted someone yet: no outreach, no chat, no stage set by hand.
pub(crate) fn to_reach(f: &ContactFacts) -> bool {
    f.status == ContactStatus::Prospect && f.derived == ContactStatus::Prospect
}

/// The contact who introduced contact `id`, if they are one and not `id` itself;
/// `note` gives a note's front matter (through [`crate::render::view::Views::card`]
/// where a page reads it).
pub(crate) fn introducer<'a>(note: impl Fn(NoteId) -> &'a Note, id: NoteId) -> Option<NoteId> {
    let Data::Contact(c) = &note(id).data else {
        return None;
    };
    let by = c.introduced_by.as_ref().and_then(|r| r.resolved)?;
    (by != id && note(by).kind == Kind::Contact).then_some(by)
}

/// The graph of the vault as `inputs` have it.
pub(crate) fn graph(inputs: &Inputs) -> Graph {
    let notes = &inputs.vault.notes;
    let is_contact = |id: NoteId| notes.get(id).is_some_and(|n| n.kind == Kind::Contact);
    let note = |id: NoteId| &notes[id];
    let people = inputs.vault.ids_of(Kind::Contact).map(|id| {
        let Data::Contact(c) = &notes[id].data else {
            unreachable!("note {id} is a contact")
        };
        let by = introducer(note, id);
        let company = c.company.as_ref().and_then(|r| r.resolved);
        let group = match (company, by) {
            (Some(company), _) => Group::Company(company),
            (None, Some(by)) => Group::Via(by),
            (None, None) => Group::Alone,
        };
        let facts = inputs.agenda.contacts[id].as_ref();
        // A suggestion of someone they introduced is drawn as the introduction.
        let mut referred: Vec<NoteId> = facts.map_or(&[][..], |f| &f.referred).to_vec();
        referred.retain(|&r| r != id && is_contact(r) && introducer(note, r) != Some(id));
        let mut seen = std::collections::HashSet::new();
        referred.retain(|&r| seen.insert(r));
        Person {
            id,
            group,
            introducer: by,
            referred,
            met: facts.is_some_and(met),
        }
    });
    Graph {
        you: inputs.vault.profile,
        people: people.collect(),
    }
}

/// A hash of everything the Network page shows: the graph and the names and URLs of
/// the notes in it.
pub(crate) fn digest(inputs: &Inputs) -> u64 {
    let graph = graph(inputs);
    let mut h = crate::memo::hasher();
    let key = |id: NoteId| inputs.links[id].key;
    graph.you.map(|id| (id, key(id))).hash(&mut h);
    for p in &graph.people {
        (p, key(p.id)).hash(&mut h);
        if let Group::Company(c) = p.group {
            key(c).hash(&mut h);
        }
    }
    h.finish()
}

/// The chain of introductions that led you to contact `id`, first the contact you knew
/// without one, `id` last. A loop of introductions ends the chain where it closes.
pub(crate) fn chain(id: NoteId, introducer: impl Fn(NoteId) -> Option<NoteId>) -> Vec<NoteId> {
    let mut chain = vec![id];
    while let Some(by) = introducer(chain[chain.len() - 1]) {
        if chain.contains(&by) {
            break;
        }
        chain.push(by);
    }
    chain.reverse();
    chain
}

/// Label size, in the SVG's units (pixels at 100%).
const FONT: f32 = 12.0;
/// A person's row.
const ROW: f32 = 20.0;
/// A column of people: the dot, then the label.
const COLUMN: f32 = 200.0;
/// Where a label starts, from its dot's centre.
const LABEL_AT: f32 = 10.0;
/// The widest a person's label may be.
const LABEL: f32 = COLUMN - LABEL_AT - 22.0;
/// The box's title row.
const HEADER: f32 = 26.0;
const PAD: f32 = 8.0;
/// The least room between two boxes.
const GAP: f32 = 28.0;
/// The room kept around you in the middle.
const HUB: f32 = 48.0;

/// An upper bound of how wide `text` is at `size` in common sans-serif fonts: their
/// glyphs are at most this wide (DejaVu Sans, the widest, included), so a label given
/// this much room never runs into the next. Bold takes a tenth more.
pub(crate) fn text_width(text: &str, size: f32) -> f32 {
    let em: f32 = text
        .chars()
        .map(|c| match c {
            'm' | 'w' | 'M' | 'W' | '@' | '%' => 1.0,
            'A'..='Z' => 0.8,
            'a'..='z' | '0'..='9' | '&' | '?' | '#' | '$' => 0.65,
            ' ' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | '-' | '(' | ')' => 0.4,
            c if c.is_ascii() => 0.65,
            _ => 1.0,
        })
        .sum();
    em * size
}

/// `text` cut to fit `room` at `size`, with an ellipsis when cut.
fn fit(text: &str, size: f32, room: f32) -> String {
    if text_width(text, size) <= room {
        return text.to_string();
    }
    let mut cut: String = text.to_string();
    while !cut.is_empty() && text_width(&cut, size) + text_width("…", size) > room {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

/// A cluster's box: its size in columns and rows of people.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Shape {
    columns: usize,
    rows: usize,
}

impl Shape {
    /// About as wide as tall, so that the circle around it wastes little room.
    fn of(people: usize) -> Shape {
        let columns = ((people as f32 * ROW / COLUMN).sqrt().round() as usize).max(1);
        Shape {
            columns,
            rows: people.div_ceil(columns).max(1),
        }
    }

    fn size(self) -> (f32, f32) {
        (
            self.columns as f32 * COLUMN + 2.0 * PAD,
            HEADER + self.rows as f32 * ROW + PAD,
        )
    }
}

/// Half the diagonal of a box of `size`, with half the gap: two boxes whose centres
/// are further apart than the sum of theirs do not touch.
fn reach((w, h): (f32, f32)) -> f32 {
    (w * w + h * h).sqrt() / 2.0 + GAP / 2.0
}

/// The angle a box of reach `reach` takes on a ring of radius `r`.
fn span(reach: f32, r: f32) -> f32 {
    2.0 * (reach / r).min(1.0).asin()
}

/// Centres for boxes of `sizes`, in order, on rings around the middle: each ring
/// takes the boxes that fit around it, spread evenly, starting at the top. Returns
/// them with the radius that holds every box.
fn rings(sizes: &[(f32, f32)]) -> (Vec<(f32, f32)>, f32) {
    let reaches: Vec<f32> = sizes.iter().map(|&s| reach(s)).collect();
    let mut centres = Vec::with_capacity(sizes.len());
    let (mut inner, mut start) = (HUB, 0);
    while start < sizes.len() {
        let (mut end, mut widest) = (start + 1, reaches[start]);
        while end < sizes.len() {
            let wider = widest.max(reaches[end]);
            let taken: f32 = reaches[start..=end]
                .iter()
                .map(|&q| span(q, inner + wider))
                .sum();
            if taken > TAU {
                break;
            }
            (end, widest) = (end + 1, wider);
        }
        let r = inner + widest;
        let spans: Vec<f32> = reaches[start..end].iter().map(|&q| span(q, r)).collect();
        let slack = (TAU - spans.iter().sum::<f32>()).max(0.0) / spans.len() as f32;
        let mut angle = -PI / 2.0;
        for s in spans {
            angle += s / 2.0;
            centres.push((r * angle.cos(), r * angle.sin()));
            angle += s / 2.0 + slack;
        }
        (inner, start) = (r + widest, end);
    }
    (centres, inner)
}

/// A cluster as drawn: its title, its people (places in [`Graph::people`]), its box.
struct Cluster<'a> {
    title: Option<Link<'a>>,
    /// Shown when there is no note to link to.
    plain: &'static str,
    group: Group,
    members: Vec<usize>,
    shape: Shape,
}

/// The clusters of `graph`, in the order of their titles (then of their notes).
fn clusters<'a>(
    graph: &Graph,
    link: &impl Fn(NoteId) -> Link<'a>,
    rank: &impl Fn(NoteId) -> usize,
) -> Vec<Cluster<'a>> {
    let mut by_group: std::collections::HashMap<Group, Vec<usize>> = Default::default();
    for (i, p) in graph.people.iter().enumerate() {
        by_group.entry(p.group).or_default().push(i);
    }
    let mut clusters: Vec<Cluster> = by_group
        .into_iter()
        .map(|(group, mut members)| {
            members.sort_by_cached_key(|&i| {
                let id = graph.people[i].id;
                (link(id).name.to_lowercase(), rank(id))
            });
            let (title, plain) = match group {
                Group::Company(c) => (Some(link(c)), ""),
                Group::Via(by) => (Some(link(by)), "Introduced by "),
                Group::Alone => (None, "No company"),
            };
            Cluster {
                shape: Shape::of(members.len()),
                title,
                plain,
                group,
                members,
            }
        })
        .collect();
    clusters.sort_by_cached_key(|c| {
        let name = c.title.map_or(String::new(), |l| l.name.to_lowercase());
        let note = match c.group {
            Group::Company(id) | Group::Via(id) => rank(id),
            Group::Alone => usize::MAX,
        };
        (
            c.group == Group::Alone,
            name,
            matches!(c.group, Group::Via(_)),
            note,
        )
    });
    clusters
}

/// Where each person's dot is, by place in [`Graph::people`].
type Dots = Vec<(f32, f32)>;

/// The SVG of `graph`: `link` gives a note's name and URL, `rank` its place in vault
/// order, and `root` is put before every URL. Numbers are written with one decimal, so
/// the same graph is the same text.
pub(crate) fn svg<'a>(
    graph: &Graph,
    link: impl Fn(NoteId) -> Link<'a>,
    rank: impl Fn(NoteId) -> usize,
    root: &str,
) -> String {
    let clusters = clusters(graph, &link, &rank);
    let sizes: Vec<(f32, f32)> = clusters.iter().map(|c| c.shape.size()).collect();
    let (centres, radius) = rings(&sizes);
    let mut dots: Dots = vec![(0.0, 0.0); graph.people.len()];
    let mut boxes = String::new();
    let mut nodes = String::new();
    for ((c, &(w, h)), &(cx, cy)) in clusters.iter().zip(&sizes).zip(&centres) {
        let (x, y) = (cx - w / 2.0, cy - h / 2.0);
        let _ = write!(
            boxes,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="6"/>"#
        );
        draw_title(&mut nodes, c, (x, y, w), root);
        for (k, &i) in c.members.iter().enumerate() {
            let (col, row) = (k / c.shape.rows, k % c.shape.rows);
            let dot = (
                x + PAD + col as f32 * COLUMN + 6.0,
                y + HEADER + row as f32 * ROW + ROW / 2.0,
            );
            dots[i] = dot;
            draw_person(
                &mut nodes,
                &graph.people[i],
                link(graph.people[i].id),
                dot,
                root,
            );
        }
    }
    let edges = draw_edges(graph, &dots);
    let you = draw_you(graph.you.map(&link), root);
    let r = radius.ceil();
    let title = format!(
        "Your network: {} people in {} clusters",
        graph.people.len(),
        clusters.len()
    );
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="network" id="network-graph" "#,
            r#"viewBox="{neg} {neg} {d} {d}" width="{d}" height="{d}" role="group" aria-labelledby="network-title">"#,
            r#"<title id="network-title">{title}</title>"#,
            r#"<defs><marker id="arrow" viewBox="0 0 8 8" refX="13" refY="4" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0L8 4L0 8z"/></marker></defs>"#,
            r#"<rect id="network-middle" x="-440" y="-300" width="880" height="600" fill="none" pointer-events="none"/><g class="boxes">{boxes}</g><g class="edges">{edges}</g><g class="nodes" font-size="{font}">{nodes}{you}</g></svg>"#
        ),
        neg = -r,
        d = 2.0 * r,
        title = title,
        boxes = boxes,
        edges = edges,
        font = FONT,
        nodes = nodes,
        you = you,
    )
}

/// A cluster's title row: the company (or introducer) as a link, else plain text.
fn draw_title(out: &mut String, c: &Cluster, (x, y, w): (f32, f32, f32), root: &str) {
    let room = (w - 2.0 * PAD - 16.0) / 1.1;
    let (tx, ty) = (x + PAD + 16.0, y + 17.0);
    match c.title {
        Some(l) => {
            let shown = fit(&format!("{}{}", c.plain, l.name), FONT, room);
            let marker = match c.group {
                Group::Company(_) => format!(
                    r#"<rect class="company" x="{:.1}" y="{:.1}" width="10" height="10"/>"#,
                    x + PAD,
                    y + 8.0
                ),
                _ => String::new(),
            };
            let _ = write!(
                out,
                r#"<a href="{root}{url}">{marker}<text class="title" x="{tx:.1}" y="{ty:.1}">{shown}</text><title>{name}</title></a>"#,
                url = html_escape(l.url),
                shown = html_escape(&shown),
                name = html_escape(&format!("{}{}", c.plain, l.name)),
            );
        }
        None => {
            let _ = write!(
                out,
                r#"<text class="title" x="{tx:.1}" y="{ty:.1}">{}</text>"#,
                c.plain
            );
        }
    }
}

/// A person: a dot (filled once met) and their name, a link to their page.
fn draw_person(out: &mut String, p: &Person, l: Link, (x, y): (f32, f32), root: &str) {
    let class = match (p.met, p.introducer.is_some()) {
        (true, _) => "met",
        (false, true) => "introduced",
        (false, false) => "known",
    };
    let _ = write!(
        out,
        r#"<a href="{root}{url}"><circle class="{class}" cx="{x:.1}" cy="{y:.1}" r="4.5"/><text x="{lx:.1}" y="{ly:.1}">{shown}</text><title>{name}</title></a>"#,
        url = html_escape(l.url),
        lx = x + LABEL_AT,
        ly = y + 4.0,
        shown = html_escape(&fit(l.name, FONT, LABEL)),
        name = html_escape(l.name),
    );
}

/// You in the middle, a link to your profile when there is one.
fn draw_you(you: Option<Link>, root: &str) -> String {
    let mark = r#"<circle class="you" cx="0" cy="0" r="14"/><text class="you" x="0" y="32" text-anchor="middle">You</text>"#;
    match you {
        Some(l) => format!(
            r#"<a href="{root}{}" id="you">{mark}<title>{}</title></a>"#,
            html_escape(l.url),
            html_escape(l.name)
        ),
        None => format!(r#"<g id="you">{mark}</g>"#),
    }
}

/// The lines: from you to each person you know without an introduction (one path),
/// then each introduction and each suggestion, bowed towards the middle.
fn draw_edges(graph: &Graph, dots: &Dots) -> String {
    let place: std::collections::HashMap<NoteId, usize> = graph
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();
    let mut spokes = String::new();
    let mut lines = String::new();
    for (i, p) in graph.people.iter().enumerate() {
        let (x, y) = dots[i];
        match p.introducer.and_then(|by| place.get(&by)) {
            Some(&by) => curve(&mut lines, "intro", dots[by], (x, y)),
            None => {
                let _ = write!(spokes, "M0 0L{x:.1} {y:.1}");
            }
        }
        for r in p.referred.iter().filter_map(|r| place.get(r)) {
            curve(&mut lines, "referral", (x, y), dots[*r]);
        }
    }
    format!(r#"<path class="spokes" d="{spokes}"/>{lines}"#)
}

fn curve(out: &mut String, class: &str, (ax, ay): (f32, f32), (bx, by): (f32, f32)) {
    let (cx, cy) = ((ax + bx) * 0.375, (ay + by) * 0.375);
    let _ = write!(
        out,
        r#"<path class="{class}" d="M{ax:.1} {ay:.1}Q{cx:.1} {cy:.1} {bx:.1} {by:.1}" marker-end="url(#arrow)"/>"#
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(a: ((f32, f32), (f32, f32)), b: ((f32, f32), (f32, f32))) -> bool {
        let (((ax, ay), (aw, ah)), ((bx, by), (bw, bh))) = (a, b);
        (ax - bx).abs() * 2.0 < aw + bw && (ay - by).abs() * 2.0 < ah + bh
    }

    #[test]
    fn boxes_on_the_rings_never_touch_and_stay_out_of_the_middle() {
        let sizes: Vec<(f32, f32)> = (0..400)
            .map(|i| Shape::of(1 + (i * 7919) % 23 + if i % 97 == 0 { 300 } else { 0 }).size())
            .collect();
        let (centres, radius) = rings(&sizes);
        let boxes: Vec<_> = centres.iter().copied().zip(sizes.iter().copied()).collect();
        for (i, &a) in boxes.iter().enumerate() {
            let ((x, y), (w, h)) = a;
            assert!(
                x.abs() + w / 2.0 <= radius && y.abs() + h / 2.0 <= radius,
                "box {i} out"
            );
            assert!(
                x.hypot(y) - reach((w, h)) >= HUB - 0.01,
                "box {i} over the middle"
            );
            for (j, &b) in boxes.iter().enumerate().skip(i + 1) {
                assert!(!overlap(a, b), "boxes {i} and {j} overlap");
            }
        }
        assert_eq!(
            rings(&sizes),
            (centres, radius),
            "the same sizes, the same places"
        );
    }

    #[test]
    fn a_long_name_is_cut_to_fit_with_an_ellipsis() {
        let long = "Katherine Berners-Lee-Hamilton-Johnson 12345";
        let cut = fit(long, FONT, LABEL);
        assert!(cut.ends_with('…') && cut.len() < long.len(), "{cut}");
        assert!(text_width(&cut, FONT) <= LABEL);
        assert_eq!(fit("Ada", FONT, LABEL), "Ada");
    }

    #[test]
    fn a_chain_stops_where_introductions_loop() {
        let by = |id: NoteId| [Some(1), Some(2), Some(1), None][id];
        assert_eq!(chain(0, by), vec![2, 1, 0]);
        assert_eq!(chain(3, by), vec![3]);
    }
}
