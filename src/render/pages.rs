//! The pages of the site and the variables each template receives.
//! README.md ("Template variables") documents these names for theme authors.

mod connections;

use crate::model::agenda::ContactFacts;
use crate::render::drafts::{self, DraftView};
use crate::render::intros;
use std::cell::RefCell;
use std::hash::Hash;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Map, Value};

use crate::diag::Diagnostic;
use crate::memo::hash;
use crate::model::Vault;
use crate::model::agenda::{DueItem, DueKind, State, Touchpoint};
use crate::model::note::{
    ChatStatus, Choice, ContactStatus, Data, Interview, Kind, NoteId, page_path,
};
use crate::model::time::format_minutes;
use crate::render::rows::{Row, RowCache};
use crate::render::search;
use crate::render::view::{
    ChatInput, ContactInput, Deps, DueInput, Inputs, Link, Slice, Slices, TouchInput, Views,
    questions_url, show_date,
};
use crate::render::{Contents, OutputFile, Theme};

/// One page to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) enum Page {
    Dashboard,
    FollowUps,
    /// The list of all notes of a kind.
    Index(Kind),
    /// A note's own page (for an interview, its briefing).
    Note(NoteId),
    /// An interview's printable question list.
    QuestionList(NoteId),
    /// Every tag with the notes that have it.
    Tags,
    /// The introduction graph.
    Network,
    /// Charts of how the search is going.
    Progress,
    /// Every note, A to Z: where the search box leads without scripts.
    AtoZ,
    /// A saved view: a list of people to get back to.
    Saved(Saved),
    /// `search/index.js`: how many shards the search index has.
    SearchIndex,
    /// A shard of the search index. The count of shards is part of it: when it changes,
    /// every shard holds other notes and is a new page.
    SearchShard(Slice),
}

/// The saved views, each a page the dashboard links to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) enum Saved {
    /// Contacts whose last touch is older than the `not_talked_to` setting.
    NotTalkedTo,
    /// Done chats whose thank-you was not sent.
    NoThankYou,
    /// Contacts someone introduced or referred you to, not yet contacted.
    NotContacted,
}

impl Saved {
    const ALL: [Saved; 3] = [Saved::NotTalkedTo, Saved::NoThankYou, Saved::NotContacted];

    fn name(self) -> &'static str {
        match self {
            Saved::NotTalkedTo => "not-talked-to",
            Saved::NoThankYou => "no-thank-you",
            Saved::NotContacted => "not-contacted",
        }
    }
}

/// Every page of the site, in a stable order.
pub(crate) fn all(vault: &Vault) -> Vec<Page> {
    let mut pages = vec![
        Page::Dashboard,
        Page::FollowUps,
        Page::Tags,
        Page::Progress,
        Page::Network,
        Page::AtoZ,
    ];
    pages.extend(Saved::ALL.map(Page::Saved));
    pages.push(Page::SearchIndex);
    let of = crate::render::search::shard_count(vault.notes.count()) as u32;
    pages.extend((0..of).map(|at| Page::SearchShard(Slice { of, at })));
    pages.extend(
        [
            Kind::Contact,
            Kind::Company,
            Kind::Interview,
            Kind::Questions,
            Kind::Note,
        ]
        .map(Page::Index),
    );
    for (id, note) in vault.notes.iter() {
        pages.push(Page::Note(id));
        if note.kind == Kind::Interview {
            pages.push(Page::QuestionList(id));
        }
    }
    pages
}

impl Page {
    /// Where the page is written, relative to the output folder.
    pub(crate) fn path(self, vault: &Vault) -> PathBuf {
        match self {
            Page::Dashboard => "index.html".into(),
            Page::Progress => "progress.html".into(),
            Page::FollowUps => "followups.html".into(),
            Page::Tags => crate::render::markdown::TAGS_PAGE.into(),
            Page::AtoZ => "a-z.html".into(),
            Page::Saved(saved) => format!("{}.html", saved.name()).into(),
            Page::SearchIndex => search::MANIFEST.into(),
            Page::SearchShard(slice) => search::shard_path(slice.at as usize).into(),
            Page::Network => "network.html".into(),
            Page::Index(kind) => format!("{}.html", kind.folder()).into(),
            Page::Note(id) => note_path(vault, id),
            Page::QuestionList(id) => questions_url(&note_path(vault, id).to_string_lossy()).into(),
        }
    }

    fn template(self, vault: &Vault) -> &'static str {
        match self {
            Page::Dashboard => "dashboard.html",
            Page::Progress => "progress.html",
            Page::FollowUps => "followups.html",
            Page::Tags => "tags.html",
            Page::AtoZ => "a-z.html",
            Page::Saved(Saved::NotTalkedTo) => "not-talked-to.html",
            Page::Saved(Saved::NoThankYou) => "no-thank-you.html",
            Page::Saved(Saved::NotContacted) => "not-contacted.html",
            // Written without a template: see `script`.
            Page::SearchIndex | Page::SearchShard(_) => "",
            Page::Network => "network.html",
            Page::Index(Kind::Contact) => "contacts.html",
            Page::Index(Kind::Company) => "companies.html",
            Page::Index(Kind::Interview) => "interviews.html",
            Page::Index(Kind::Questions) => "banks.html",
            Page::Index(_) => "notes.html",
            Page::QuestionList(_) => "question-list.html",
            Page::Note(id) => match vault.notes[id].kind {
                Kind::Profile => "profile.html",
                Kind::Contact => "contact.html",
                Kind::Company => "company.html",
                Kind::Interview => "briefing.html",
                Kind::Questions => "bank.html",
                Kind::Note => "note.html",
            },
        }
    }
}

fn note_path(vault: &Vault, id: NoteId) -> PathBuf {
    let n = &vault.notes[id];
    page_path(n.kind, &n.slug)
}

/// Room for a typical page (most are 8–16 KB), so that rendering rarely regrows it.
const PAGE_CAPACITY: usize = 16 * 1024;

/// Renders one page to bytes, taking the values many pages show from `shared`.
pub(crate) fn render(
    vault: &Vault,
    views: &Views,
    shared: &Shared,
    theme: &Theme,
    page: &Page,
) -> Result<OutputFile, Diagnostic> {
    let path = page.path(vault);
    if let Some(bytes) = script(views, shared, page) {
        let contents = Contents::Bytes(bytes);
        return Ok(OutputFile { path, contents });
    }
    let root = "../".repeat(path.components().count() - 1);
    let lists_vault = matches!(
        page,
        Page::Dashboard
            | Page::FollowUps
            | Page::Tags
            | Page::Progress
            | Page::Index(_)
            | Page::AtoZ
            | Page::Saved(_)
    );
    let cx = Cx {
        views,
        shared,
        theme,
        root: &root,
        rows: shared.rows.filter(|_| lists_vault),
        error: RefCell::new(None),
    };
    let mut ctx = common(&cx, &path);
    match *page {
        Page::Dashboard => dashboard(&cx, &mut ctx),
        Page::Progress => progress(&cx, &mut ctx),
        Page::FollowUps => followups(&cx, &mut ctx),
        Page::Tags => tags(&cx, &mut ctx),
        Page::AtoZ => a_to_z(&cx, &mut ctx),
        Page::Saved(saved) => saved_view(&cx, saved, &mut ctx),
        Page::SearchIndex | Page::SearchShard(_) => unreachable!("written by `script`"),
        Page::Network => connections::network(&cx, &mut ctx),
        Page::Index(kind) => index(&cx, kind, &mut ctx),
        Page::Note(id) => note(&cx, id, &mut ctx),
        Page::QuestionList(id) => question_list(&cx, id, &mut ctx),
    }
    if let Some(e) = cx.error.into_inner() {
        return Err(e);
    }
    // Rendered straight into bytes: Tera's `render` would check the whole page is
    // UTF-8 to return a String, which is then turned back into bytes.
    let mut html = Vec::with_capacity(PAGE_CAPACITY);
    theme
        .tera
        .render_to(page.template(vault), &ctx, &mut html)
        .map_err(|e| crate::render::theme::template_error(&e, "templates"))?;
    // Callers may hold many pages (a rebuild keeps them until it writes); shrinking
    // in place gives back the unused room without a copy.
    html.shrink_to_fit();
    Ok(OutputFile {
        path,
        contents: Contents::Bytes(html),
    })
}

/// Tera values that many pages show (the site variables, the profile's pitch),
/// converted once per render instead of once per page; Tera values are
/// reference-counted, so a page takes a cheap clone. Each is built on first use, so a
/// rebuild that renders a few pages converts only what they show. List rows are kept
/// rendered in a [`RowCache`] that outlives the render; a chat's questions are not kept
/// (they came to about 25 MB at 10k notes) but built around the notes' links, which
/// are converted with their URLs ([`crate::render::view::PageLink`]).
///
/// Incremental rebuilds need every page to record what it showed (see [`Deps`]), so
/// each value keeps what building it showed, and a page that takes it records that
/// too, exactly as if it had built the value itself.
pub(crate) struct Shared<'a> {
    inputs: Inputs<'a>,
    site: OnceLock<(Value, Deps)>,
    pitch: OnceLock<(Value, Deps)>,
    /// Each shard's notes of the search index.
    shards: OnceLock<Slices>,
    rows: Option<&'a RowCache>,
}

impl<'a> Shared<'a> {
    /// Nothing is converted yet; rendered rows are taken from and kept in `rows`.
    pub(crate) fn new(inputs: Inputs<'a>, rows: Option<&'a RowCache>) -> Shared<'a> {
        Shared {
            inputs,
            site: OnceLock::new(),
            pitch: OnceLock::new(),
            shards: OnceLock::new(),
            rows,
        }
    }

    /// Builds a value with lookups of its own, keeping what they showed.
    fn build<T>(&self, make: impl FnOnce(&Views) -> T) -> (T, Deps) {
        let views = Views::new(self.inputs);
        let value = make(&views);
        (value, views.into_deps())
    }
}

/// What a page's variables are built from: its lookups, the values shared across pages,
/// and what its rows are rendered with.
struct Cx<'v, 'a> {
    views: &'v Views<'a>,
    shared: &'v Shared<'a>,
    theme: &'v Theme,
    /// The page's `root`, which its rows' links start with.
    root: &'v str,
    /// Where rendered rows are kept, for the pages that list the whole vault: a note's
    /// page shows few rows, and keeping those too took about 70 MB more at 10k notes.
    rows: Option<&'v RowCache>,
    /// The first error of a row's template.
    error: RefCell<Option<Diagnostic>>,
}

fn value(v: &(impl Serialize + ?Sized)) -> Value {
    Value::from_serializable(v)
}

/// A map of named values, as a struct with these fields serialises.
fn fields<const N: usize>(f: [(&'static str, Value); N]) -> Value {
    let mut map = Map::with_capacity(N);
    for (k, v) in f {
        map.insert(k.into(), v);
    }
    Value::from(map)
}

impl<'a> Cx<'_, 'a> {
    /// A shared value, recording what building it showed.
    fn take(&self, (value, deps): &(Value, Deps)) -> Value {
        self.views.merge(deps);
        value.clone()
    }

    fn site(&self) -> Value {
        let s = self.shared;
        self.take(
            s.site
                .get_or_init(|| s.build(|views| value(&site_vars(views)))),
        )
    }

    fn pitch(&self) -> Value {
        let s = self.shared;
        let make = |views: &Views| value(&views.profile().map(|p| pitch(views, p)));
        self.take(s.pitch.get_or_init(|| s.build(make)))
    }

    fn link(&self, id: NoteId) -> Value {
        self.views.link_value(id)
    }

    /// Links to `ids`, each once: a person two chats name, or one chat names twice, is
    /// listed once.
    fn links(&self, ids: impl IntoIterator<Item = NoteId>) -> Value {
        let mut seen = std::collections::HashSet::new();
        let once = ids.into_iter().filter(|&id| seen.insert(id));
        Value::from(once.map(|id| self.link(id)).collect::<Vec<_>>())
    }

    /// Keeps the first error of a row's template.
    fn fail(&self, error: Option<Diagnostic>) {
        let mut first = self.error.borrow_mut();
        if first.is_none() {
            *first = error;
        }
    }

    /// A list row: `fields`, and `html`, the row as its partial template renders it.
    /// On the pages that list the whole vault, the rendered row is taken from the
    /// [`RowCache`] when a row of the same input was rendered before, and kept there if
    /// not.
    fn row(&self, row: Row, input: &impl Hash, fields: impl FnOnce() -> Value) -> Value {
        self.kept_row(hash(&(row, self.root, input)), row, fields)
    }

    /// A list of rows, one for each of `inputs`, `fields(i)` being the fields of row `i`.
    /// On the pages that list the whole vault each row is taken from the [`RowCache`]
    /// when it was rendered before, and kept there if not.
    fn rows<I: Hash>(&self, row: Row, inputs: &[I], fields: impl Fn(usize) -> Value) -> Value {
        let keys: Vec<u64> = inputs
            .iter()
            .map(|input| hash(&(row, self.root, input)))
            .collect();
        let rows = match self.rows {
            Some(cache) => self.kept_rows(cache, row, &keys, fields),
            None => {
                let rows = keys.iter().enumerate();
                rows.map(|(i, &key)| self.render_row(key, row, || fields(i)))
                    .collect()
            }
        };
        Value::from(rows)
    }

    /// The rows under `keys`, each kept or rendered (and kept), `fields(i)` being the
    /// fields of row `i`.
    fn kept_rows(
        &self,
        cache: &RowCache,
        row: Row,
        keys: &[u64],
        fields: impl Fn(usize) -> Value,
    ) -> Vec<Value> {
        let kept = cache.get_many(keys);
        let rows = keys.iter().zip(kept).enumerate();
        rows.map(|(i, (&key, kept))| {
            kept.unwrap_or_else(|| self.render_row(key, row, || fields(i)))
        })
        .collect()
    }

    /// The row kept under `key`, or the row of `fields` rendered (and kept).
    fn kept_row(&self, key: u64, row: Row, fields: impl FnOnce() -> Value) -> Value {
        match self.rows.and_then(|c| c.get(key)) {
            Some(kept) => kept,
            None => self.render_row(key, row, fields),
        }
    }

    /// The row of `fields` rendered, and kept under `key` on the pages that keep rows.
    fn render_row(&self, key: u64, row: Row, fields: impl FnOnce() -> Value) -> Value {
        let fields = fields();
        let mut ctx = Context::new();
        ctx.insert("root", self.root);
        ctx.insert_value(row.variable(), fields.clone());
        let html = self.theme.tera.render(row.template(), &ctx);
        drop(ctx);
        let html = html.unwrap_or_else(|e| {
            self.fail(Some(crate::render::theme::template_error(&e, "templates")));
            String::new()
        });
        let mut map = fields.into_map().expect("a row's fields are a map");
        map.insert("html".into(), Value::safe_string(&html));
        let value = Value::from(map);
        if let Some(cache) = self.rows {
            cache.insert(key, value.clone());
        }
        value
    }

    fn chat_row(&self, id: NoteId) -> Value {
        let input = self.views.chat_input(id);
        self.row(Row::Chat, &input, || self.chat_fields(id, &input))
    }

    fn chat_rows(&self, ids: impl IntoIterator<Item = NoteId>) -> Value {
        let ids: Vec<NoteId> = ids.into_iter().collect();
        let inputs: Vec<ChatInput> = ids.iter().map(|&id| self.views.chat_input(id)).collect();
        self.rows(Row::Chat, &inputs, |i| self.chat_fields(ids[i], &inputs[i]))
    }

    fn chat_fields(&self, id: NoteId, input: &ChatInput) -> Value {
        let row = input.row();
        let facts = self.views.chat_facts(id);
        fields([
            ("link", self.link(id)),
            ("questions_url", Value::from(row.questions_url)),
            ("contact", Value::from(facts.contact.map(|c| self.link(c)))),
            ("company", Value::from(facts.company.map(|c| self.link(c)))),
            ("date", Value::from(row.date)),
            ("when", Value::from(row.when)),
            ("when_rel", Value::from(row.when_rel)),
            ("status", Value::from(row.status)),
            ("format", Value::from(row.format)),
            ("duration", Value::from(row.duration)),
        ])
    }

    fn due_rows(&self, items: impl IntoIterator<Item = &'a DueItem>) -> Value {
        let items: Vec<&DueItem> = items.into_iter().collect();
        let inputs: Vec<DueInput> = items.iter().map(|d| self.views.due_input(d)).collect();
        self.rows(Row::Due, &inputs, |i| self.due_fields(items[i], &inputs[i]))
    }

    /// A due item's row fields: those of [`DueRow`](crate::render::view::DueRow), built
    /// around the links' kept values ([`crate::render::view::PageLink`]).
    fn due_fields(&self, d: &DueItem, input: &DueInput) -> Value {
        let row = input.row();
        fields([
            ("kind", Value::from(row.kind)),
            ("action", Value::from(row.action)),
            ("due", Value::from(row.due)),
            ("due_iso", Value::from(row.due_iso)),
            ("due_rel", Value::from(row.due_rel)),
            ("task", Value::from(row.task)),
            ("done", Value::from(row.done)),
            ("state", value(&row.state)),
            ("contact", Value::from(d.contact.map(|c| self.link(c)))),
            ("source", self.link(d.source)),
        ])
    }

    fn touch_rows(&self, items: impl IntoIterator<Item = &'a Touchpoint>) -> Value {
        let items: Vec<&Touchpoint> = items.into_iter().collect();
        let inputs: Vec<TouchInput> = items.iter().map(|t| self.views.touch_input(t)).collect();
        self.rows(Row::Touch, &inputs, |i| {
            self.touch_fields(items[i], &inputs[i])
        })
    }

    /// A touchpoint's row fields, built like [`Cx::due_fields`], with the fields of
    /// [`TouchRow`](crate::render::view::TouchRow).
    fn touch_fields(&self, t: &Touchpoint, input: &TouchInput) -> Value {
        let row = input.row();
        fields([
            ("date", Value::from(row.date)),
            ("date_iso", Value::from(row.date_iso)),
            ("type", Value::from(row.kind)),
            ("note", Value::from(row.note)),
            ("contact", self.link(t.contact)),
            ("source", self.link(t.source)),
        ])
    }

    fn contact_rows(&self, ids: &[NoteId]) -> Value {
        let inputs: Vec<ContactInput> =
            ids.iter().map(|&id| self.views.contact_input(id)).collect();
        self.rows(Row::Contact, &inputs, |i| {
            self.contact_fields(ids[i], &inputs[i])
        })
    }

    /// A contact's row fields in a list, built like [`Cx::due_fields`], with the fields
    /// of [`ContactRow`](crate::render::view::ContactRow).
    fn contact_fields(&self, id: NoteId, input: &ContactInput) -> Value {
        let row = input.row();
        fields([
            ("link", self.link(id)),
            ("title", Value::from(row.title)),
            (
                "company",
                Value::from(company_of(self.views, id).map(|c| self.link(c))),
            ),
            ("status", Value::from(row.status)),
            ("source", Value::from(row.source)),
            ("last_touch", Value::from(row.last_touch)),
            ("next_due", Value::from(row.next_due)),
            ("last_touch_iso", Value::from(row.last_touch_iso)),
            ("next_due_iso", Value::from(row.next_due_iso)),
            ("last_touch_rel", Value::from(row.last_touch_rel)),
            ("next_due_rel", Value::from(row.next_due_rel)),
            ("tags", value(&row.tags)),
        ])
    }

    /// A company's row in the index, built like [`Cx::due_fields`], with the fields of
    /// [`CompanyRow`].
    fn company_row(&self, id: NoteId) -> Value {
        let row = company_row(self.views, id);
        fields([
            ("link", self.link(id)),
            ("industry", Value::from(row.industry)),
            ("location", Value::from(row.location)),
            ("contacts", Value::from(row.contacts)),
            ("met", Value::from(row.met)),
            ("to_reach", Value::from(row.to_reach)),
        ])
    }

    /// A question bank's row in the index: `{link, questions (how many), chats (how
    /// many chats ask one of them)}`.
    fn bank_row(&self, id: NoteId) -> Value {
        let Data::Questions(b) = &self.views.card(id).data else {
            unreachable!("note {id} is a question bank")
        };
        let mut chats: Vec<NoteId> = (0..b.questions.len())
            .filter_map(|i| self.views.question_uses(id, i))
            .flatten()
            .copied()
            .collect();
        chats.sort_unstable();
        chats.dedup();
        fields([
            ("link", self.link(id)),
            ("questions", Value::from(b.questions.len())),
            ("chats", Value::from(chats.len())),
        ])
    }

    /// A chat's questions in asking order, built like [`Cx::due_fields`], with the fields of
    /// [`QuestionRow`](crate::render::view::QuestionRow).
    fn questions(&self, id: NoteId) -> Value {
        let planned = &self.views.chat_facts(id).questions;
        let rows = self.views.question_rows(planned);
        let rows: Vec<Value> = rows
            .into_iter()
            .zip(planned)
            .map(|(q, p)| {
                fields([
                    ("number", Value::from(q.number)),
                    ("ask", Value::from(q.ask)),
                    ("minutes", Value::from(q.minutes)),
                    ("priority", Value::from(q.priority)),
                    ("running", Value::from(q.running)),
                    ("start", Value::from(q.running - q.minutes)),
                    ("over", Value::from(q.over)),
                    ("first_over", Value::from(q.first_over)),
                    ("bank", Value::from(p.bank.map(|b| self.link(b)))),
                ])
            })
            .collect();
        Value::from(rows)
    }
}

#[derive(Serialize)]
struct SiteVars<'a> {
    title: &'a str,
    today: String,
    today_iso: String,
    paper: crate::model::settings::Paper,
    profile: Option<Link<'a>>,
}

fn site_vars<'a>(views: &Views<'a>) -> SiteVars<'a> {
    SiteVars {
        title: &views.settings().title,
        today: show_date(views.today()),
        today_iso: views.today().to_string(),
        paper: views.settings().paper,
        profile: views.profile().map(|id| views.link(id)),
    }
}

/// Variables every page has: `site`, `root`, `page_url`.
fn common(cx: &Cx, path: &std::path::Path) -> Context {
    let mut ctx = Context::new();
    ctx.insert_value("site", cx.site());
    ctx.insert("root", cx.root);
    ctx.insert("page_url", &path.to_string_lossy());
    ctx
}

fn dashboard(cx: &Cx, ctx: &mut Context) {
    let views = cx.views;
    let today = views.today();
    let chats: Vec<(NoteId, &Interview)> = views
        .ids_of(Kind::Interview)
        .map(|id| (id, views.interview(id)))
        .collect();
    let picked = |keep: &dyn Fn(&Interview) -> bool| -> Vec<NoteId> {
        chats
            .iter()
            .filter(|(_, i)| keep(i))
            .map(|&(id, _)| id)
            .collect()
    };
    let when = |id: NoteId| views.interview(id).when;
    let mut upcoming =
        picked(&|i| i.status_on(today) == ChatStatus::Scheduled && i.upcoming(today));
    upcoming.sort_by_key(|&id| when(id));
    let mut recent = picked(&|i| i.status_on(today) == ChatStatus::Done);
    recent.sort_by_key(|&id| std::cmp::Reverse(when(id)));
    recent.truncate(5);
    let requested = picked(&|i| i.status_on(today) == ChatStatus::Requested && !i.is_stale(today));
    let mut stale = picked(&|i| i.is_stale(today));
    stale.sort_by_key(|&id| when(id));
    ctx.insert_value("next", next_chat(cx, upcoming.first().copied()));
    ctx.insert_value("upcoming", cx.chat_rows(upcoming));
    ctx.insert_value("requested", cx.chat_rows(requested));
    ctx.insert_value("needs_update", cx.chat_rows(stale));
    ctx.insert_value("recent", cx.chat_rows(recent));
    let (overdue, stay_overdue) = split_stay_in_touch(views.due_items(State::Overdue));
    let (due_soon, stay_soon) = split_stay_in_touch(views.due_items(State::Soon));
    ctx.insert_value("overdue", cx.due_rows(overdue));
    ctx.insert_value("due_soon", cx.due_rows(due_soon));
    let stay = [stay_overdue, stay_soon].concat();
    ctx.insert_value("stay_in_touch", cx.due_rows(stay));
    ctx.insert_value("pipeline", pipeline(cx));
    ctx.insert("counts", &counts(views));
    ctx.insert("not_talked_to_days", &not_talked_to_days(views));
    ctx.insert("rhythm", &rhythm(views.stats()));
}

/// This week's chats and outreach against the goal, and the streak, for the dashboard.
#[derive(Serialize)]
struct Rhythm {
    chats: usize,
    outreach: usize,
    goal: u32,
    met_goal: bool,
    streak: usize,
}

fn rhythm(stats: &crate::stats::Stats) -> Rhythm {
    let week = stats.weeks.last();
    Rhythm {
        chats: week.map_or(0, |w| w.chats),
        outreach: week.map_or(0, |w| w.outreach),
        goal: stats.weekly_goal,
        met_goal: week.is_some_and(|w| w.met_goal),
        streak: stats.streak,
    }
}

/// The Progress page: each chart with its table.
fn progress(cx: &Cx, ctx: &mut Context) {
    let stats = cx.views.stats();
    ctx.insert("charts", &crate::render::charts::all(stats));
    ctx.insert("rhythm", &rhythm(stats));
}

/// The dashboard's "Next chat" card: `{chat (chat row), where, link (web address),
/// objective (the first)}`, or null without a chat to come.
fn next_chat(cx: &Cx, id: Option<NoteId>) -> Value {
    let Some(id) = id else {
        return Value::none();
    };
    let chat = cx.views.interview(id);
    fields([
        ("chat", cx.chat_row(id)),
        ("where", Value::from(chat.place.clone())),
        ("link", Value::from(chat.link.clone())),
        ("objective", Value::from(chat.objectives.first().cloned())),
    ])
}

/// Separates stay-in-touch reminders, which the dashboard lists on their own.
fn split_stay_in_touch<'a>(
    items: impl Iterator<Item = &'a DueItem>,
) -> (Vec<&'a DueItem>, Vec<&'a DueItem>) {
    items.partition(|d| d.kind != DueKind::StayInTouch)
}

/// Contacts grouped by status, in pipeline order: `{status, contacts: [link]}`.
fn pipeline(cx: &Cx) -> Value {
    let views = cx.views;
    let stages: Vec<Value> = ContactStatus::ALL
        .iter()
        .map(|&status| {
            let ids = views
                .ids_of(Kind::Contact)
                .filter(|&id| views.contact_facts(id).is_some_and(|f| f.status == status));
            let name = Value::from(status.name());
            fields([("status", name), ("contacts", cx.links(ids))])
        })
        .collect();
    Value::from(stages)
}

#[derive(Serialize)]
struct Counts {
    contacts: usize,
    companies: usize,
    interviews: usize,
    banks: usize,
    notes: usize,
}

fn counts(views: &Views) -> Counts {
    Counts {
        contacts: views.ids_of(Kind::Contact).count(),
        companies: views.ids_of(Kind::Company).count(),
        interviews: views.ids_of(Kind::Interview).count(),
        banks: views.ids_of(Kind::Questions).count(),
        notes: views.ids_of(Kind::Note).count(),
    }
}

fn followups(cx: &Cx, ctx: &mut Context) {
    let views = cx.views;
    ctx.insert_value("overdue", cx.due_rows(views.due_items(State::Overdue)));
    ctx.insert_value("due_soon", cx.due_rows(views.due_items(State::Soon)));
    ctx.insert_value("later", cx.due_rows(views.due_items(State::Later)));
    ctx.insert_value("done", cx.due_rows(views.due_items(State::Done)));
    ctx.insert_value("touchpoints", cx.touch_rows(views.all_touches()));
}

#[derive(Serialize)]
struct TagRow {
    tag: String,
    anchor: String,
    notes: Value,
}

fn tags(cx: &Cx, ctx: &mut Context) {
    let rows: Vec<TagRow> = (cx.views.tagged().into_iter())
        .map(|(tag, ids)| TagRow {
            anchor: crate::render::obsidian::tag_anchor(&tag),
            notes: cx.links(ids),
            tag,
        })
        .collect();
    ctx.insert("tags", &rows);
}

#[derive(Serialize)]
struct CompanyRow<'a> {
    link: Link<'a>,
    industry: Option<String>,
    location: Option<String>,
    contacts: usize,
    /// People you met there.
    met: usize,
    /// People there no one contacted yet.
    to_reach: usize,
}

fn index(cx: &Cx, kind: Kind, ctx: &mut Context) {
    let views = cx.views;
    let mut ids: Vec<NoteId> = views.ids_of(kind).collect();
    ids.sort_by_cached_key(|&id| views.link(id).name.to_lowercase());
    match kind {
        Kind::Contact => {
            ctx.insert_value("contacts", cx.contact_rows(&ids));
        }
        Kind::Company => {
            let rows: Vec<Value> = ids.iter().map(|&id| cx.company_row(id)).collect();
            ctx.insert_value("companies", Value::from(rows));
        }
        Kind::Interview => {
            ids.sort_by_key(|&id| std::cmp::Reverse(views.interview(id).when));
            ctx.insert_value("interviews", cx.chat_rows(ids));
        }
        Kind::Questions => {
            let banks: Vec<Value> = ids.iter().map(|&id| cx.bank_row(id)).collect();
            ctx.insert_value("banks", Value::from(banks));
            ctx.insert_value("notes", cx.links(ids));
        }
        _ => ctx.insert_value("notes", cx.links(ids)),
    }
}

fn company_row<'a>(views: &Views<'a>, id: NoteId) -> CompanyRow<'a> {
    let Data::Company(c) = &views.card(id).data else {
        unreachable!()
    };
    let (met, to_reach) = connections::met_and_to_reach(views, id);
    CompanyRow {
        link: views.link(id),
        industry: c.industry.clone(),
        location: c.location.clone(),
        contacts: views.people(id).len(),
        met,
        to_reach,
    }
}

/// The company a contact works at, when it names one that exists.
fn company_of(views: &Views, id: NoteId) -> Option<NoteId> {
    match &views.card(id).data {
        Data::Contact(c) => c.company.as_ref().and_then(|r| r.resolved),
        _ => None,
    }
}

fn note(cx: &Cx, id: NoteId, ctx: &mut Context) {
    let views = cx.views;
    let n = views.card(id);
    let data = value(&n.data);
    ctx.insert_value("note", cx.link(id));
    ctx.insert_value("data", data.clone());
    ctx.insert("aliases", &n.aliases);
    ctx.insert("body", &views.body(id));
    let backlinks = views.backlink_ids(id).iter().copied();
    ctx.insert_value("backlinks", cx.links(backlinks));
    ctx.insert("source_path", &n.source.rel.to_string_lossy());
    match &n.data {
        Data::Contact(_) => contact(cx, id, ctx),
        Data::Company(_) => company(cx, id, ctx),
        // An interview's `data` and `interview` are the same fields.
        Data::Interview(_) => briefing(cx, id, data, ctx),
        Data::Questions(_) => bank(views, id, ctx),
        Data::Profile(_) | Data::Note(_) => {}
    }
}

#[derive(Serialize)]
struct ContactCard<'a> {
    title: Option<String>,
    company: Option<Link<'a>>,
    since: Option<String>,
    tenure: Option<String>,
    source: Option<String>,
    /// How you are connected, in words ("alumni", "a former coworker"); none for
    /// `other` or no `source`.
    connected: Option<&'static str>,
    introduced_by: Option<Link<'a>>,
    status: String,
    last_touch: Option<String>,
    stay_in_touch_due: Option<String>,
}

fn contact_card<'a>(views: &Views<'a>, id: NoteId) -> ContactCard<'a> {
    let Data::Contact(c) = &views.card(id).data else {
        unreachable!()
    };
    let facts = views.contact_facts(id);
    let link_of = |r: &Option<crate::model::note::Ref>| {
        r.as_ref().and_then(|r| r.resolved).map(|id| views.link(id))
    };
    ContactCard {
        title: c.title.clone(),
        company: link_of(&c.company),
        since: c.since.clone(),
        tenure: facts.and_then(|f| f.tenure.clone()),
        source: c.source.clone(),
        connected: c.source.as_deref().and_then(connected),
        introduced_by: link_of(&c.introduced_by),
        status: facts
            .map_or(ContactStatus::default(), |f| f.status)
            .name()
            .into(),
        last_touch: facts.and_then(|f| f.last_touch).map(show_date),
        stay_in_touch_due: facts.and_then(|f| f.stay_in_touch_due).map(show_date),
    }
}

/// A contact's `source` in words, as the briefing says how you are connected.
fn connected(source: &str) -> Option<&'static str> {
    Some(match source {
        "alumni" => "alumni",
        "friend" => "a friend",
        "family" => "family",
        "professor" => "your professor",
        "former-coworker" => "a former coworker",
        "recruiter" => "a recruiter",
        "referral" => "referred to you",
        "linkedin" => "found on LinkedIn",
        "event" => "met at an event",
        "cold" => "a cold outreach",
        _ => return None,
    })
}

fn contact(cx: &Cx, id: NoteId, ctx: &mut Context) {
    let views = cx.views;
    let facts = views.contact_facts(id).cloned().unwrap_or_default();
    ctx.insert("card", &contact_card(views, id));
    connections::chain(views, id, ctx);
    ctx.insert_value("chats", cx.chat_rows(facts.chats.iter().copied()));
    ctx.insert_value("referred", cx.links(facts.referred.iter().copied()));
    // Someone they referred you to in a chat and also introduced is one person to list.
    let introduced = facts.introduced.iter().copied();
    let introduced = introduced.filter(|id| !facts.referred.contains(id));
    ctx.insert_value("introduced", cx.links(introduced));
    ctx.insert_value("timeline", cx.touch_rows(views.touches_for(id)));
    let due = views.due_for(id).filter(|d| d.state != State::Done);
    ctx.insert_value("due", cx.due_rows(due));
    ctx.insert("introductions", &intros::of_contact(views, id));
    ctx.insert("drafts", &contact_drafts(views, id, &facts));
}

/// The drafts a contact's page shows: an outreach request while they are a prospect,
/// and a thank-you for each done chat with them that has none.
fn contact_drafts(views: &Views, id: NoteId, facts: &ContactFacts) -> Vec<DraftView> {
    let Data::Contact(c) = &views.card(id).data else {
        unreachable!()
    };
    let to = c.email.as_deref();
    let outreach =
        (facts.outreach_draft.iter()).map(|d| drafts::view("outreach", "outreach".into(), d, to));
    let thanks = facts.chats.iter().filter_map(|&chat| {
        let draft = views.chat_facts(chat).thank_you_draft.as_ref()?;
        let id = format!("thank-you-{}", views.card(chat).slug);
        Some(drafts::view("thank-you", id, draft, to))
    });
    outreach.chain(thanks).collect()
}

fn company(cx: &Cx, id: NoteId, ctx: &mut Context) {
    let views = cx.views;
    ctx.insert_value("contacts", cx.contact_rows(views.people(id)));
    connections::colleagues(views, id, ctx);
    let chats = views.company_chats(id).iter().copied();
    ctx.insert_value("chats", cx.chat_rows(chats));
}

#[derive(Serialize)]
struct Person<'a> {
    link: Link<'a>,
    card: ContactCard<'a>,
    email: Option<String>,
    phone: Option<String>,
    linkedin: Option<String>,
    excerpt: String,
}

#[derive(Serialize)]
struct CompanySnapshot<'a> {
    link: Link<'a>,
    industry: Option<String>,
    location: Option<String>,
    size: Option<String>,
    website: Option<String>,
    excerpt: String,
}

#[derive(Serialize)]
struct Pitch<'a> {
    link: Link<'a>,
    headline: Option<String>,
    body: String,
    goals: Vec<String>,
}

/// Variables of the briefing; `interview` is the note's fields, as `data` has them.
fn briefing(cx: &Cx, id: NoteId, interview: Value, ctx: &mut Context) {
    let views = cx.views;
    let chat = views.interview(id);
    let facts = views.chat_facts(id);
    chat_vars(cx, id, ctx);
    ctx.insert_value("interview", interview);
    ctx.insert("duration_minutes", &facts.duration);
    let end_time = chat.when.filter(|w| w.time.is_some()).map(|w| {
        w.after_minutes(facts.duration)
            .strftime("%H:%M")
            .to_string()
    });
    ctx.insert("end_time", &end_time);
    ctx.insert("thank_you_due", &facts.thank_you_due.map(show_date));
    ctx.insert("thank_you_state", &facts.thank_you_state);
    ctx.insert("objectives", &chat.objectives);
    let capacity = crate::model::agenda::briefing_capacity(views.settings());
    ctx.insert("shortened", &(facts.briefing_lines > capacity));
    let (prep, notes) = views.prep_and_notes(id);
    ctx.insert("prep", prep.trim());
    ctx.insert("notes", notes);
    ctx.insert("prep_cut", &facts.prep_cut);
    ctx.insert("done", &(chat.status_on(views.today()) == ChatStatus::Done));
    let left_out = facts.questions.iter().filter(|q| q.over).count();
    ctx.insert("questions_left_out", &left_out);
    let referrals = chat.referrals.iter().filter_map(|r| r.resolved);
    ctx.insert_value("referrals", cx.links(referrals));
    ctx.insert_value("followups", cx.due_rows(views.due_in(id)));
    ctx.insert("person", &facts.contact.map(|c| person(views, c)));
    let to = facts.contact.and_then(|c| match &views.card(c).data {
        Data::Contact(c) => c.email.as_deref(),
        _ => None,
    });
    let thanks = (facts.thank_you_draft.iter())
        .map(|d| drafts::view("thank-you", "thank-you".into(), d, to));
    ctx.insert("drafts", &thanks.collect::<Vec<_>>());
    let owed = facts.contact.map(|c| intros::owed(views, c));
    ctx.insert("owed", &owed.unwrap_or_default());
    ctx.insert("company", &facts.company.map(|c| snapshot(views, c)));
    ctx.insert_value("profile", cx.pitch());
}

/// Variables the briefing and the question list share.
fn chat_vars(cx: &Cx, id: NoteId, ctx: &mut Context) {
    let views = cx.views;
    let facts = views.chat_facts(id);
    ctx.insert_value("note", cx.link(id));
    ctx.insert_value("chat", cx.chat_row(id));
    ctx.insert_value("questions", cx.questions(id));
    ctx.insert("question_minutes", &facts.question_minutes);
    ctx.insert("question_time", &format_minutes(facts.question_minutes));
    ctx.insert("over_time", &(facts.question_minutes > facts.duration));
}

/// The printable question list needs only the chat, its questions and who it is with:
/// `person` is `{link}`.
fn question_list(cx: &Cx, id: NoteId, ctx: &mut Context) {
    chat_vars(cx, id, ctx);
    let contact = cx.views.chat_facts(id).contact;
    let person = contact.map(|c| fields([("link", cx.link(c))]));
    ctx.insert_value("person", Value::from(person));
}

fn person<'a>(views: &Views<'a>, id: NoteId) -> Person<'a> {
    let Data::Contact(c) = &views.card(id).data else {
        unreachable!()
    };
    Person {
        link: views.link(id),
        card: contact_card(views, id),
        email: c.email.clone(),
        phone: c.phone.clone(),
        linkedin: c.linkedin.clone(),
        excerpt: views.excerpt(id),
    }
}

fn snapshot<'a>(views: &Views<'a>, id: NoteId) -> CompanySnapshot<'a> {
    let Data::Company(c) = &views.card(id).data else {
        unreachable!()
    };
    CompanySnapshot {
        link: views.link(id),
        industry: c.industry.clone(),
        location: c.location.clone(),
        size: c.size.clone(),
        website: c.website.clone(),
        excerpt: views.excerpt(id),
    }
}

fn pitch<'a>(views: &Views<'a>, id: NoteId) -> Pitch<'a> {
    let Data::Profile(p) = &views.card(id).data else {
        unreachable!()
    };
    Pitch {
        link: views.link(id),
        headline: p.headline.clone(),
        body: views.body(id).to_string(),
        goals: p.goals.clone(),
    }
}

#[derive(Serialize)]
struct BankRow<'a> {
    id: String,
    ask: String,
    minutes: Option<u32>,
    used_in: Vec<Link<'a>>,
}

fn bank(views: &Views, id: NoteId, ctx: &mut Context) {
    let Data::Questions(b) = &views.card(id).data else {
        unreachable!()
    };
    let rows: Vec<BankRow> = b
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| BankRow {
            id: q.id.clone(),
            ask: q.ask.clone(),
            minutes: q.minutes,
            used_in: views
                .question_uses(id, i)
                .map_or_else(Vec::new, |chats| views.links(chats)),
        })
        .collect();
    ctx.insert("questions", &rows);
}

/// The bytes of a page written without a template, the search index's files; `None`
/// for the others.
fn script(views: &Views, shared: &Shared, page: &Page) -> Option<Vec<u8>> {
    match *page {
        Page::SearchIndex => Some(search::manifest(views)),
        Page::SearchShard(slice) => {
            let all = shared
                .shards
                .get_or_init(|| Slices::new(&shared.inputs, slice.of));
            let ids = views.ids_in_slice(slice, all);
            Some(search::shard(views, slice.at as usize, ids))
        }
        _ => None,
    }
}

/// Every note, A to Z, under its first letter: `letters` is `[{letter, notes: [link]}]`.
fn a_to_z(cx: &Cx, ctx: &mut Context) {
    let views = cx.views;
    let mut ids: Vec<(String, NoteId)> = Kind::ALL
        .iter()
        .flat_map(|&k| views.ids_of(k))
        .map(|id| (views.link(id).name.to_lowercase(), id))
        .collect();
    // Kinds, then paths, were the order before: a stable sort keeps it among equal names.
    ids.sort_by(|a, b| a.0.cmp(&b.0));
    let mut letters: Vec<(String, Vec<NoteId>)> = Vec::new();
    for (name, id) in ids {
        let first = name.chars().next().filter(|c| c.is_alphabetic());
        let letter = first.map_or_else(|| "#".to_string(), |c| c.to_uppercase().collect());
        match letters.last_mut() {
            Some((l, ids)) if *l == letter => ids.push(id),
            _ => letters.push((letter, vec![id])),
        }
    }
    let letters: Vec<Value> = letters
        .into_iter()
        .map(|(letter, ids)| fields([("letter", Value::from(letter)), ("notes", cx.links(ids))]))
        .collect();
    ctx.insert_value("letters", Value::from(letters));
}

/// The `not_talked_to` setting in whole days.
fn not_talked_to_days(views: &Views) -> u32 {
    views.settings().not_talked_to.div_ceil(24 * 60)
}

/// A saved view's list; see [`Saved`] and README's template variables.
fn saved_view(cx: &Cx, saved: Saved, ctx: &mut Context) {
    let views = cx.views;
    match saved {
        Saved::NotTalkedTo => {
            let days = not_talked_to_days(views);
            let today = views.today();
            let mut quiet: Vec<(jiff::civil::Date, NoteId)> = views
                .ids_of(Kind::Contact)
                .filter_map(|id| {
                    let facts = views.contact_facts(id)?;
                    let last = facts.last_touch?;
                    let keeps = !matches!(
                        facts.status,
                        ContactStatus::Dormant | ContactStatus::Declined
                    );
                    let since = (today - last).get_days();
                    (keeps && since >= days as i32).then_some((last, id))
                })
                .collect();
            // Longest silence first; the sort is stable, so path order breaks ties.
            quiet.sort_by_key(|&(last, _)| last);
            let ids: Vec<NoteId> = quiet.into_iter().map(|(_, id)| id).collect();
            ctx.insert("days", &days);
            ctx.insert_value("contacts", cx.contact_rows(&ids));
        }
        Saved::NoThankYou => {
            let open = [State::Overdue, State::Soon, State::Later]
                .into_iter()
                .flat_map(|state| views.due_items(state))
                .filter(|d| d.kind == DueKind::ThankYou);
            ctx.insert_value("due", cx.due_rows(open));
        }
        Saved::NotContacted => ctx.insert_value("contacts", not_contacted(cx)),
    }
}

/// Contacts someone introduced (`introduced_by`) or referred (a chat's `referrals`) you
/// to whom nothing has reached yet (their stage is still `prospect`), with who did:
/// `[{contact (contact row), by: [link]}]`, by name.
fn not_contacted(cx: &Cx) -> Value {
    let views = cx.views;
    let mut by: std::collections::BTreeMap<NoteId, Vec<NoteId>> = Default::default();
    for id in views.ids_of(Kind::Contact) {
        let Some(facts) = views.contact_facts(id) else {
            continue;
        };
        for &other in facts.introduced.iter().chain(&facts.referred) {
            let who = by.entry(other).or_default();
            if !who.contains(&id) {
                who.push(id);
            }
        }
    }
    let mut waiting: Vec<(String, NoteId, Vec<NoteId>)> = views
        .ids_of(Kind::Contact)
        .filter_map(|id| {
            let who = by.remove(&id)?;
            let facts = views.contact_facts(id)?;
            // `prospect` as written and as what happened: one marked `reached-out`,
            // `dormant` or `declined` by hand is not waiting for you.
            let untouched = crate::render::network::to_reach(facts);
            untouched.then(|| (views.link(id).name.to_lowercase(), id, who))
        })
        .collect();
    waiting.sort_by(|a, b| a.0.cmp(&b.0));
    let ids: Vec<NoteId> = waiting.iter().map(|(_, id, _)| *id).collect();
    let rows = cx.contact_rows(&ids);
    let rows = rows.as_array().expect("rows are a list").iter();
    let people: Vec<Value> = rows
        .zip(waiting)
        .map(|(row, (_, _, who))| fields([("contact", row.clone()), ("by", cx.links(who))]))
        .collect();
    Value::from(people)
}
