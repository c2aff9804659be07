//! What templates see: plain, serialisable views of notes and derived facts.
//!
//! Every URL here is relative to the site root (`contacts/ada.html`); templates put the
//! page's `root` (`""` or `"../"`) in front, so links work when opened from disk.

use std::cell::RefCell;

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::Vault;
use crate::model::agenda::{
    Agenda, ChatFacts, ContactFacts, DueItem, DueKind, PlannedQuestion, State, Touchpoint,
};
use crate::model::note::{Choice, ContactStatus, Data, Interview, Kind, Note, NoteId, page_url};
use crate::model::settings::Settings;
use crate::model::time::{When, format_minutes};
use crate::render::markdown::Body;

/// A link to a note's page.
#[derive(Clone, Copy, Debug, Serialize)]
pub(crate) struct Link<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub kind: &'static str,
    /// [`PageLink::key`]: what the link shows, hashed.
    #[serde(skip)]
    key: u64,
}

/// Hashed as its key: a list's row keys hash their rows' links, and the 25k rows of a
/// 10k-note follow-up log went to each link's note and strings for it.
impl std::hash::Hash for Link<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

/// A note's page URL, and a link to the note, hashed and as templates see it.
pub(crate) struct PageLink {
    pub url: String,
    /// A hash of the note's name, kind and `url`.
    pub key: u64,
    /// The [`Link`]: converted once, where each render converted the ~10k links the
    /// dashboard's pipeline shows at 10k notes again.
    pub value: tera::Value,
}

/// Everything rendered from the vault that pages draw on.
#[derive(Clone, Copy)]
pub(crate) struct Inputs<'a> {
    pub vault: &'a Vault,
    pub agenda: &'a Agenda,
    pub bodies: &'a [Body],
    /// For each note, the notes whose bodies link to it.
    pub backlinks: &'a [Vec<NoteId>],
    /// For each note, its page URL; see [`page_links`].
    pub links: &'a [PageLink],
    /// The Progress page's figures ([`crate::stats`]).
    pub stats: &'a crate::stats::Stats,
}

/// Each note's tags in path order, in its front matter and in its body: what
/// [`tagged`] is made from.
fn note_tags<'a>(inputs: &Inputs<'a>) -> impl Iterator<Item = (NoteId, [&'a [String]; 2])> {
    let (notes, bodies) = (&inputs.vault.notes, inputs.bodies);
    notes.ids().map(move |id| {
        let body = bodies.get(id).map_or(&[][..], |b| b.tags.as_slice());
        (id, [notes[id].tags(), body])
    })
}

/// Every tag of the vault, sorted, with its notes; see [`Views::tagged`].
fn tagged(inputs: &Inputs) -> Vec<(String, Vec<NoteId>)> {
    let mut tags: std::collections::BTreeMap<String, (String, Vec<NoteId>)> = Default::default();
    for (id, [front, body]) in note_tags(inputs) {
        for tag in front.iter().chain(body) {
            let (_, ids) = tags
                .entry(tag.to_lowercase())
                .or_insert_with(|| (tag.clone(), Vec::new()));
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
    }
    tags.into_values().collect()
}

/// Sorts what a page showed and drops the repeats. A page that lists the vault
/// records ~100k entries, several for most notes: marking them in a table of the notes
/// is linear, where sorting them took ~3 ms of a save at 10k notes.
fn sort_shown(shown: &mut Vec<(NoteId, Aspect)>) {
    let max = shown.iter().map(|&(id, _)| id).max().unwrap_or(0);
    if shown.len() < 1024 || max / 4 > shown.len() {
        shown.sort_unstable();
        shown.dedup();
        return;
    }
    let mut marks = vec![0u8; max + 1];
    for &(id, aspect) in shown.iter() {
        marks[id] |= 1 << aspect as u8;
    }
    shown.clear();
    for (id, marked) in marks.into_iter().enumerate() {
        let shown_here = Aspect::ALL
            .into_iter()
            .filter(|&a| marked & (1 << a as u8) != 0);
        shown.extend(shown_here.map(|a| (id, a)));
    }
}

/// Which part of a note a page shows, in the order [`Deps::shown`] sorts them.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub(crate) enum Aspect {
    /// Its name and URL.
    Link,
    /// Its front matter as written and the notes its references found: what it says of
    /// itself, without what other notes and the agenda say of it.
    Front,
    /// Its front matter and what follows from it (due items, chats, backlinks…).
    Card,
    /// Its rendered body, whole or in part.
    Body,
    /// The words its body shows, without markup: all the search index keeps of it, so
    /// a link that points elsewhere now leaves the index as it was.
    Text,
}

impl Aspect {
    pub(crate) const ALL: [Aspect; 5] = [
        Aspect::Link,
        Aspect::Front,
        Aspect::Card,
        Aspect::Body,
        Aspect::Text,
    ];
}

/// A table of the whole vault that a page can list whole. A page that lists one
/// records it in its [`Deps`], and a rebuild compares each table's [`Table::digest`]
/// with the written site's: a new whole-vault table is a variant here, one arm in
/// `digest`, and the [`Views`] method that reads it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub(crate) enum Table {
    /// The due items of every note.
    Due,
    /// The touchpoints of every contact.
    Touchpoints,
    /// The tags of every note, in its front matter and its body.
    Tags,
    /// The figures of the Progress page ([`crate::stats::Stats`]).
    Stats,
    /// The introduction graph: every contact's company, introducer, suggestions and
    /// whether you met, with the names of the notes in it.
    Network,
}

impl Table {
    /// Every table.
    pub(crate) const ALL: [Table; 5] = [
        Table::Due,
        Table::Touchpoints,
        Table::Tags,
        Table::Stats,
        Table::Network,
    ];

    /// A hash of the table as `inputs` have it.
    pub(crate) fn digest(self, inputs: &Inputs) -> u64 {
        let agenda = inputs.agenda;
        match self {
            Table::Due => agenda.due_digest(),
            Table::Touchpoints => agenda.touch_digest(),
            // The tags page is made from these alone, and hashing them is cheaper than
            // grouping them.
            Table::Tags => crate::memo::hash(&note_tags(inputs).collect::<Vec<_>>()),
            Table::Stats => crate::memo::hash(inputs.stats),
            Table::Network => crate::render::network::digest(inputs),
        }
    }
}

/// What a page showed, so that a rebuild re-renders only the pages whose bytes can
/// change. Recorded by [`Views`] as the page's variables are built.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Deps {
    /// Each note and part of it the page showed, sorted by id, without repeats.
    pub shown: Vec<(NoteId, Aspect)>,
    /// The whole-vault tables the page lists, sorted, without repeats.
    pub tables: Vec<Table>,
    /// The kinds whose every note the page went through, sorted, without repeats: it
    /// can change when a note of that kind is added or removed.
    pub listed: Vec<Kind>,
    /// The slices of the vault whose every note the page went through, sorted, without
    /// repeats: it can change when a note of the slice is added or removed.
    pub slices: Vec<Slice>,
}

/// The notes whose vault path hashes ([`path_hash`]) to `at` modulo `of`: a page that
/// shows a slice of the vault changes only when a note of that slice is added or
/// removed, where one that lists a kind changes whenever its kind gains a note.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub(crate) struct Slice {
    /// How many slices the vault is cut into.
    pub of: u32,
    /// Which of them.
    pub at: u32,
}

impl Slice {
    /// Whether a note whose path hashes to `hash` is in the slice.
    pub(crate) fn holds(self, hash: u64) -> bool {
        hash % u64::from(self.of) == u64::from(self.at)
    }
}

/// A hash of a note's vault path, which says its [`Slice`]. XXH3, whose values do not
/// change between releases, keeps a note in its slice from one build and one program
/// to the next.
pub(crate) fn path_hash(note: &Note) -> u64 {
    xxhash_rust::xxh3::xxh3_64(note.source.rel.to_string_lossy().as_bytes())
}

/// Every slice of the vault cut into `of`, made once for the pages that each show one;
/// its notes are reached only through [`Views::ids_in_slice`], which records the slice.
pub(crate) struct Slices {
    of: u32,
    /// For each slice, its notes in [`Kind::ALL`] order and path order within a kind.
    ids: Vec<Vec<NoteId>>,
}

impl Slices {
    /// The vault of `inputs` cut into `of` slices.
    pub(crate) fn new(inputs: &Inputs, of: u32) -> Slices {
        let vault = inputs.vault;
        let mut ids = vec![Vec::new(); of as usize];
        for id in Kind::ALL.iter().flat_map(|&k| vault.ids_of(k)) {
            let at = path_hash(&vault.notes[id]) % u64::from(of);
            ids[at as usize].push(id);
        }
        Slices { of, ids }
    }
}

/// The lookups one page's variables are built from. The model is reachable only
/// through these methods, so every note a page shows is recorded in its [`Deps`].
pub(crate) struct Views<'a> {
    inputs: Inputs<'a>,
    deps: RefCell<Deps>,
}

impl Default for PageLink {
    /// The link of no note, in a removed note's place.
    fn default() -> PageLink {
        PageLink {
            url: String::new(),
            key: 0,
            value: tera::Value::none(),
        }
    }
}

/// Every note's [`PageLink`] by id, made once so links borrow instead of allocating;
/// a removed note's id has an empty one.
pub(crate) fn page_links(vault: &Vault) -> Vec<PageLink> {
    (0..vault.notes.bound())
        .into_par_iter()
        .map(|id| {
            vault
                .notes
                .get(id)
                .map_or_else(PageLink::default, page_link)
        })
        .collect()
}

/// A note's [`PageLink`], to make again when its name changes.
pub(crate) fn page_link(n: &Note) -> PageLink {
    let url = page_url(n.kind, &n.slug);
    let (name, kind) = (n.name.as_str(), n.kind.name());
    let key = crate::memo::hash(&(name, kind, &url));
    let link = Link {
        name,
        url: &url,
        kind,
        key,
    };
    let value = tera::Value::from_serializable(&link);
    PageLink { url, key, value }
}

/// A date as shown to people: "Tue 24 Nov 2026".
pub(crate) fn show_date(d: Date) -> String {
    crate::render::dates::day(d)
}

fn show_when(w: When) -> String {
    match w.time {
        Some(t) => format!("{}, {}", show_date(w.date), crate::render::dates::clock(t)),
        None => show_date(w.date),
    }
}

/// A chat in a list: who, when, status.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ChatRow<'a> {
    pub link: Link<'a>,
    pub questions_url: String,
    pub contact: Option<Link<'a>>,
    pub company: Option<Link<'a>>,
    pub date: Option<String>,
    pub when: Option<String>,
    /// How far the chat's day is from today: "in 2 days", "3 weeks ago".
    pub when_rel: Option<String>,
    pub status: String,
    pub format: Option<String>,
    pub duration: String,
}

/// A due item as shown.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct DueRow<'a> {
    pub kind: &'static str,
    pub action: String,
    pub due: String,
    pub due_iso: String,
    /// "19 days overdue", "due in 3 days".
    pub due_rel: String,
    /// `action` without the contact's name, for a row that names them already:
    /// "Send a thank-you" for "Send a thank-you to Sam Oduya".
    pub task: String,
    pub done: Option<String>,
    pub state: State,
    pub contact: Option<Link<'a>>,
    pub source: Link<'a>,
}

/// A touchpoint as shown.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct TouchRow<'a> {
    pub date: String,
    pub date_iso: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub note: String,
    pub contact: Link<'a>,
    pub source: Link<'a>,
}

/// One question in asking order.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct QuestionRow<'a> {
    pub number: usize,
    pub ask: String,
    pub minutes: u32,
    pub priority: Option<u32>,
    pub running: u32,
    pub over: bool,
    /// Whether this is the first question that does not fit the time.
    pub first_over: bool,
    pub bank: Option<Link<'a>>,
}

/// What a list row is made of, and nothing else: a row is a pure function of its input
/// (`row()`), so the input's hash keys the row's rendering across rebuilds
/// ([`crate::render::rows`]). Building an input records what the row shows.
#[derive(Clone, Copy, Debug, Hash)]
pub(crate) struct ChatInput<'a> {
    today: Date,
    link: Link<'a>,
    contact: Option<Link<'a>>,
    company: Option<Link<'a>>,
    when: Option<When>,
    status: &'a str,
    format: Option<&'a str>,
    duration: u32,
}

impl<'a> ChatInput<'a> {
    pub(crate) fn row(&self) -> ChatRow<'a> {
        ChatRow {
            questions_url: questions_url(self.link.url),
            link: self.link,
            contact: self.contact,
            company: self.company,
            date: self.when.map(|w| w.date.to_string()),
            when: self.when.map(show_when),
            when_rel: (self.when).map(|w| crate::render::dates::relative(self.today, w.date)),
            status: self.status.to_string(),
            format: self.format.map(str::to_string),
            duration: format_minutes(self.duration),
        }
    }
}

/// What a due item's row is made of; see [`ChatInput`].
#[derive(Clone, Copy, Debug, Hash)]
pub(crate) struct DueInput<'a> {
    today: Date,
    kind: DueKind,
    action: &'a str,
    due: Date,
    done: Option<Date>,
    state: State,
    contact: Option<Link<'a>>,
    source: Link<'a>,
}

impl<'a> DueInput<'a> {
    pub(crate) fn row(&self) -> DueRow<'a> {
        DueRow {
            kind: match self.kind {
                DueKind::ThankYou => "thank-you",
                DueKind::FollowUp => "follow-up",
                DueKind::Action => "action",
                DueKind::StayInTouch => "stay-in-touch",
                DueKind::NoReply => "no-reply",
                DueKind::ReachOut => "reach-out",
                DueKind::ReportBack => "report-back",
            },
            action: self.action.to_string(),
            due: show_date(self.due),
            due_iso: self.due.to_string(),
            due_rel: crate::render::dates::due(self.today, self.due),
            task: self.contact.map_or_else(
                || self.action.to_string(),
                |c| without_name(self.action, c.name),
            ),
            done: self.done.map(show_date),
            state: self.state,
            contact: self.contact,
            source: self.source,
        }
    }
}

/// `action` without `name` and the word that leads to it (" to ", " with ",
/// " from "), as the agenda writes its reminders; else `action` as it is.
fn without_name(action: &str, name: &str) -> String {
    for word in [" to ", " with ", " from "] {
        let words = format!("{word}{name}");
        if let Some(at) = action.find(&words) {
            return format!("{}{}", &action[..at], &action[at + words.len()..]);
        }
    }
    action.to_string()
}

/// What a touchpoint's row is made of; see [`ChatInput`].
#[derive(Clone, Copy, Debug, Hash)]
pub(crate) struct TouchInput<'a> {
    when: When,
    kind: &'a str,
    note: &'a str,
    contact: Link<'a>,
    source: Link<'a>,
}

impl<'a> TouchInput<'a> {
    pub(crate) fn row(&self) -> TouchRow<'a> {
        TouchRow {
            date: show_when(self.when),
            date_iso: self.when.date.to_string(),
            kind: self.kind.to_string(),
            note: self.note.to_string(),
            contact: self.contact,
            source: self.source,
        }
    }
}

/// What a contact's row in a list is made of; see [`ChatInput`].
#[derive(Clone, Copy, Debug, Hash)]
pub(crate) struct ContactInput<'a> {
    today: Date,
    link: Link<'a>,
    title: Option<&'a str>,
    company: Option<Link<'a>>,
    status: &'a str,
    source: Option<&'a str>,
    last_touch: Option<Date>,
    next_due: Option<Date>,
    tags: &'a [String],
}

impl<'a> ContactInput<'a> {
    pub(crate) fn row(&self) -> ContactRow<'a> {
        ContactRow {
            link: self.link,
            title: self.title.map(str::to_string),
            company: self.company,
            status: self.status.to_string(),
            source: self.source.map(str::to_string),
            last_touch: self.last_touch.map(show_date),
            next_due: self.next_due.map(show_date),
            last_touch_iso: self.last_touch.map(|d| d.to_string()),
            next_due_iso: self.next_due.map(|d| d.to_string()),
            last_touch_rel: (self.last_touch)
                .map(|d| crate::render::dates::relative(self.today, d)),
            next_due_rel: (self.next_due).map(|d| crate::render::dates::due(self.today, d)),
            tags: self.tags.to_vec(),
        }
    }
}

/// A contact in a list: who, where, how you stand.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ContactRow<'a> {
    pub link: Link<'a>,
    pub title: Option<String>,
    pub company: Option<Link<'a>>,
    pub status: String,
    pub source: Option<String>,
    pub last_touch: Option<String>,
    pub next_due: Option<String>,
    pub last_touch_iso: Option<String>,
    pub next_due_iso: Option<String>,
    pub last_touch_rel: Option<String>,
    pub next_due_rel: Option<String>,
    pub tags: Vec<String>,
}

impl<'a> Views<'a> {
    /// Lookups for one page.
    pub(crate) fn new(inputs: Inputs<'a>) -> Views<'a> {
        Views {
            inputs,
            deps: RefCell::default(),
        }
    }

    /// What the page showed.
    pub(crate) fn into_deps(self) -> Deps {
        let mut deps = self.deps.into_inner();
        sort_shown(&mut deps.shown);
        deps.listed.sort_unstable();
        deps.listed.dedup();
        deps.slices.sort_unstable();
        deps.slices.dedup();
        deps.tables.sort_unstable();
        deps.tables.dedup();
        // Kept for every page until the build ends: drop the repeats' room.
        deps.shown.shrink_to_fit();
        deps
    }

    /// Records what another [`Views`] showed while building a value this page shows too,
    /// so a value built once and shared across pages leaves each page the same [`Deps`]
    /// as building it there would have.
    pub(crate) fn merge(&self, other: &Deps) {
        // Taken apart field by field, so that a new field of Deps does not compile
        // until it is merged here too.
        let Deps {
            shown,
            tables,
            listed,
            slices,
        } = other;
        let mut deps = self.deps.borrow_mut();
        deps.shown.extend_from_slice(shown);
        deps.tables.extend_from_slice(tables);
        deps.listed.extend_from_slice(listed);
        deps.slices.extend_from_slice(slices);
    }

    fn shows(&self, id: NoteId, aspect: Aspect) {
        self.deps.borrow_mut().shown.push((id, aspect));
    }

    fn lists(&self, kind: Kind) {
        self.deps.borrow_mut().listed.push(kind);
    }

    pub(crate) fn settings(&self) -> &'a Settings {
        &self.inputs.vault.settings
    }

    pub(crate) fn today(&self) -> Date {
        self.inputs.vault.today
    }

    pub(crate) fn profile(&self) -> Option<NoteId> {
        self.lists(Kind::Profile);
        self.inputs.vault.profile
    }

    /// The notes of a kind, in vault order.
    pub(crate) fn ids_of(&self, kind: Kind) -> impl Iterator<Item = NoteId> + 'a {
        self.lists(kind);
        self.inputs.vault.ids_of(kind)
    }

    /// The notes of `slice`, taken from `all`, the vault cut as the slice is.
    pub(crate) fn ids_in_slice<'s>(&self, slice: Slice, all: &'s Slices) -> &'s [NoteId] {
        assert_eq!(slice.of, all.of, "a slice of the vault cut otherwise");
        self.deps.borrow_mut().slices.push(slice);
        &all.ids[slice.at as usize]
    }

    /// A note's front matter.
    pub(crate) fn card(&self, id: NoteId) -> &'a Note {
        self.shows(id, Aspect::Card);
        &self.inputs.vault.notes[id]
    }

    /// A note, where a page shows only what its front matter says (see
    /// [`Aspect::Front`]).
    pub(crate) fn front(&self, id: NoteId) -> &'a Note {
        self.shows(id, Aspect::Front);
        &self.inputs.vault.notes[id]
    }

    pub(crate) fn contact_facts(&self, id: NoteId) -> Option<&'a ContactFacts> {
        self.shows(id, Aspect::Card);
        self.inputs.agenda.contacts[id].as_ref()
    }

    /// A company's contacts.
    pub(crate) fn people(&self, id: NoteId) -> &'a [NoteId] {
        self.shows(id, Aspect::Card);
        &self.inputs.agenda.people[id]
    }

    /// The chats with a company's people.
    pub(crate) fn company_chats(&self, id: NoteId) -> &'a [NoteId] {
        self.shows(id, Aspect::Card);
        &self.inputs.agenda.company_chats[id]
    }

    /// The due items about a contact.
    pub(crate) fn due_for(&self, contact: NoteId) -> impl Iterator<Item = &'a DueItem> {
        self.shows(contact, Aspect::Card);
        self.inputs.agenda.due_for(contact)
    }

    /// The due items written in a note.
    pub(crate) fn due_in(&self, id: NoteId) -> impl Iterator<Item = &'a DueItem> {
        self.shows(id, Aspect::Card);
        self.inputs.agenda.due_in(id)
    }

    /// The chats that ask question `index` of bank `bank`.
    pub(crate) fn question_uses(&self, bank: NoteId, index: usize) -> Option<&'a Vec<NoteId>> {
        self.shows(bank, Aspect::Card);
        self.inputs.agenda.question_uses.get(&(bank, index))
    }

    /// The introductions a contact gave, or was given as.
    pub(crate) fn intros_for(
        &self,
        contact: NoteId,
    ) -> impl Iterator<Item = &'a crate::model::ledger::Introduction> {
        self.shows(contact, Aspect::Card);
        self.inputs.agenda.intros_for(contact)
    }

    /// A contact's touchpoints, newest first, as their rows show them.
    pub(crate) fn touches_for(&self, contact: NoteId) -> impl Iterator<Item = &'a Touchpoint> {
        self.shows(contact, Aspect::Card);
        self.inputs.agenda.touches_for(contact)
    }

    /// Every touchpoint in the vault, newest first, as their rows show
    /// them.
    /// Every tag, in the front matter or the body of a note, with the notes that have
    /// it in path order; tags that differ only in case are one.
    pub(crate) fn tagged(&self) -> Vec<(String, Vec<NoteId>)> {
        self.deps.borrow_mut().tables.push(Table::Tags);
        tagged(&self.inputs)
    }

    /// The figures of the Progress page, made from the whole vault.
    pub(crate) fn stats(&self) -> &'a crate::stats::Stats {
        self.deps.borrow_mut().tables.push(Table::Stats);
        self.inputs.stats
    }

    /// The introduction graph of the whole vault; its names are read with
    /// [`Views::link`].
    pub(crate) fn network(&self) -> crate::render::network::Graph {
        self.deps.borrow_mut().tables.push(Table::Network);
        crate::render::network::graph(&self.inputs)
    }

    /// A note's place in path order, for a last tie-break. It records nothing: the
    /// order moves only when notes come or go, which the lists a page went through
    /// record.
    pub(crate) fn rank(&self, id: NoteId) -> usize {
        self.inputs.vault.notes.rank(id)
    }

    pub(crate) fn all_touches(&self) -> impl Iterator<Item = &'a Touchpoint> {
        self.deps.borrow_mut().tables.push(Table::Touchpoints);
        self.inputs.agenda.touchpoints()
    }

    /// The due items in a given state across the vault, as their rows show
    /// them.
    pub(crate) fn due_items(&self, state: State) -> impl Iterator<Item = &'a DueItem> {
        self.deps.borrow_mut().tables.push(Table::Due);
        self.inputs.agenda.due().filter(move |d| d.state == state)
    }

    pub(crate) fn link(&self, id: NoteId) -> Link<'a> {
        self.shows(id, Aspect::Link);
        let n = &self.inputs.vault.notes[id];
        let page = &self.inputs.links[id];
        Link {
            name: &n.name,
            url: &page.url,
            kind: n.kind.name(),
            key: page.key,
        }
    }

    /// [`Views::link`] as templates see it.
    pub(crate) fn link_value(&self, id: NoteId) -> tera::Value {
        self.shows(id, Aspect::Link);
        self.inputs.links[id].value.clone()
    }

    pub(crate) fn links(&self, ids: &[NoteId]) -> Vec<Link<'a>> {
        ids.iter().map(|&id| self.link(id)).collect()
    }

    /// The notes whose bodies link to a note, as [`Views::backlinks`] shows them; the
    /// caller records each link it shows.
    pub(crate) fn backlink_ids(&self, id: NoteId) -> &'a [NoteId] {
        self.shows(id, Aspect::Card);
        &self.inputs.backlinks[id]
    }

    pub(crate) fn chat_facts(&self, id: NoteId) -> &'a ChatFacts {
        self.shows(id, Aspect::Card);
        self.inputs.agenda.chats[id]
            .as_ref()
            .expect("chat facts exist for every interview")
    }

    pub(crate) fn interview(&self, id: NoteId) -> &'a Interview {
        match &self.card(id).data {
            Data::Interview(i) => i,
            _ => unreachable!("note {id} is an interview"),
        }
    }

    /// What a chat's row shows.
    pub(crate) fn chat_input(&self, id: NoteId) -> ChatInput<'a> {
        let chat = self.interview(id);
        let facts = self.chat_facts(id);
        ChatInput {
            today: self.today(),
            link: self.link(id),
            contact: facts.contact.map(|c| self.link(c)),
            company: facts.company.map(|c| self.link(c)),
            when: chat.when,
            status: chat.status_on(self.today()).name(),
            format: chat.format.map(Choice::name),
            duration: facts.duration,
        }
    }

    /// What a due item's row shows.
    pub(crate) fn due_input(&self, d: &'a DueItem) -> DueInput<'a> {
        DueInput {
            today: self.today(),
            kind: d.kind,
            action: &d.action,
            due: d.due,
            done: d.done,
            state: d.state,
            contact: d.contact.map(|c| self.link(c)),
            source: self.link(d.source),
        }
    }

    /// What a touchpoint's row shows.
    pub(crate) fn touch_input(&self, t: &'a Touchpoint) -> TouchInput<'a> {
        TouchInput {
            when: t.when,
            kind: &t.kind,
            note: &t.note,
            contact: self.link(t.contact),
            source: self.link(t.source),
        }
    }

    /// What a contact's row in a list shows.
    pub(crate) fn contact_input(&self, id: NoteId) -> ContactInput<'a> {
        let Data::Contact(c) = &self.card(id).data else {
            unreachable!("note {id} is a contact")
        };
        let facts = self.contact_facts(id);
        let next_due = self
            .due_for(id)
            .filter(|d| d.state != State::Done)
            .map(|d| d.due)
            .min();
        let company = c.company.as_ref().and_then(|r| r.resolved);
        ContactInput {
            today: self.today(),
            link: self.link(id),
            title: c.title.as_deref(),
            company: company.map(|id| self.link(id)),
            status: facts.map_or(ContactStatus::default(), |f| f.status).name(),
            source: c.source.as_deref(),
            last_touch: facts.and_then(|f| f.last_touch),
            next_due,
            tags: &c.tags,
        }
    }

    pub(crate) fn question_rows(&self, planned: &'a [PlannedQuestion]) -> Vec<QuestionRow<'a>> {
        let first_over = planned.iter().position(|q| q.over);
        planned
            .iter()
            .enumerate()
            .map(|(i, q)| QuestionRow {
                number: i + 1,
                ask: q.ask.clone(),
                minutes: q.minutes,
                priority: q.priority,
                running: q.running,
                over: q.over,
                first_over: first_over == Some(i),
                bank: q.bank.map(|b| self.link(b)),
            })
            .collect()
    }

    pub(crate) fn body(&self, id: NoteId) -> &'a str {
        self.shows(id, Aspect::Body);
        &self.inputs.bodies[id].html
    }

    /// The words of a note's body, without markup, for the search index: their start,
    /// and the other words of the rest.
    pub(crate) fn body_text(&self, id: NoteId) -> (&'a str, &'a str) {
        self.shows(id, Aspect::Text);
        let body = &self.inputs.bodies[id];
        (&body.text, &body.words)
    }

    /// A chat's prep and its notes, as HTML; see [`crate::model::prep`].
    pub(crate) fn prep_and_notes(&self, id: NoteId) -> (&'a str, &'a str) {
        self.shows(id, Aspect::Body);
        let body = &self.inputs.bodies[id];
        (&body.html[body.prep.clone()], &body.html[body.prep.end..])
    }

    /// The first paragraph of a note's body, for snapshots on the briefing.
    pub(crate) fn excerpt(&self, id: NoteId) -> String {
        first_paragraph(self.body(id))
    }
}

/// The first paragraph of a body's HTML, as `<p>…</p>`: a callout's title is not one,
/// and a paragraph's block id is left on its own page, where links lead.
fn first_paragraph(html: &str) -> String {
    let mut rest = html;
    while let Some(at) = rest.find("<p") {
        let tag = &rest[at..];
        let Some(open) = tag.find('>') else { break };
        if tag[..open] == *"<p" || tag.starts_with("<p id=") {
            let inner = &tag[open + 1..];
            return inner
                .find("</p>")
                .map_or_else(String::new, |end| format!("<p>{}</p>", &inner[..end]));
        }
        rest = &tag[open..];
    }
    String::new()
}

/// The question-list page that goes with a briefing.
pub(crate) fn questions_url(briefing_url: &str) -> String {
    briefing_url.replace(".html", ".questions.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_by_sort(shown: &[(NoteId, Aspect)]) -> Vec<(NoteId, Aspect)> {
        let mut expected = shown.to_vec();
        expected.sort_unstable();
        expected.dedup();
        expected
    }

    #[test]
    fn a_due_row_names_its_contact_once() {
        let name = "Sam Oduya";
        assert_eq!(
            without_name("Send a thank-you to Sam Oduya", name),
            "Send a thank-you"
        );
        assert_eq!(
            without_name("No reply from Sam Oduya to your outreach: nudge", name),
            "No reply to your outreach: nudge"
        );
        assert_eq!(
            without_name("Tell Sam how it went", name),
            "Tell Sam how it went"
        );
    }

    #[test]
    fn an_excerpt_is_the_first_paragraph_without_its_id() {
        let callout = "<div class=\"callout\">\n<p class=\"callout-title\">T</p>\n";
        let html = format!("<h2>H</h2>\n{callout}<p id=\"block-a\">First</p>\n<p>Second</p>");
        assert_eq!(first_paragraph(&html), "<p>First</p>");
        assert_eq!(
            first_paragraph("<pre>x</pre><p>A <b>b</b></p>"),
            "<p>A <b>b</b></p>"
        );
        assert_eq!(first_paragraph("<h2>Only</h2>"), "");
    }

    #[test]
    fn what_a_page_showed_is_sorted_without_repeats_both_ways() {
        let aspects = [Aspect::Body, Aspect::Link, Aspect::Card];
        // Long enough for the table, and short, for the sort.
        for len in [5000, 40] {
            let shown: Vec<(NoteId, Aspect)> = (0..len)
                .map(|i| ((i * 7919) % (len / 2), aspects[i % 4 % 3]))
                .collect();
            let mut sorted = shown.clone();
            sort_shown(&mut sorted);
            assert_eq!(sorted, sorted_by_sort(&shown), "{len} entries");
            assert!(sorted.len() < shown.len(), "there were repeats");
        }
    }
}
