//! Builds of one vault, one after another: the engine behind every command that reads
//! a vault (`build`, `check`, `watch`, `serve`).
//!
//! Every build runs the same steps ([`Session::run`]):
//! 1. **load** the whole vault, or, after a save, read again only what changed on top
//!    of the vault as last loaded ([`Site::reload`]);
//! 2. **derive** the note bodies that can differ and the whole-vault tables: name
//!    index, references, agenda, backlinks, lint ([`Site::derive`]);
//! 3. **compare** what each note shows now ([`Shown`], by stable note id) with what the
//!    written site's pages showed ([`Deps`]), to find the pages that can differ;
//! 4. **render** those pages and **write** the ones whose bytes changed.
//!
//! A full build is that path with no written site to compare with: the first build
//! without a record, or one after the settings, the theme, the date or the program
//! changed ([`record::Key`]). An error leaves the last good site in place, and the
//! next build still compares with it.
//!
//! A page kind declares what it reads by reading it through [`crate::render::view::Views`],
//! which records it in the page's [`Deps`]; nothing here knows page kinds.

mod record;

use std::collections::{BTreeSet, HashMap};

use ahash::AHashSet;

use crate::memo::hash;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::note::{Kind, NoteId};
use crate::render::view::{self, Table};
use crate::render::{self, Aspect, Deps, OutputFile, Page, RenderedPage, RowCache, Theme};
use crate::site::{Derived, Site, Stopwatch};
pub use crate::site::{Fatal, Options};
pub use crate::write::Waiting;
use crate::write::{self, Manifest, Report, Staged, Staging, WriteError};

/// What one build did.
#[derive(Debug)]
pub struct Outcome {
    /// Every problem in the vault, sorted; errors mean nothing was written.
    pub diagnostics: Vec<Diagnostic>,
    /// `Ok(Some)` when the site was written, `Ok(None)` when the vault has errors.
    pub result: Result<Option<Report>, Fatal>,
    /// How many pages were rendered.
    pub rendered: usize,
}

impl Outcome {
    /// Whether the output now holds the site for the vault as it is.
    pub fn written(&self) -> bool {
        matches!(self.result, Ok(Some(_)))
    }

    fn fatal(fatal: Fatal) -> Outcome {
        Outcome {
            diagnostics: Vec::new(),
            result: Err(fatal),
            rendered: 0,
        }
    }

    fn failed(diagnostics: Vec<Diagnostic>) -> Outcome {
        Outcome {
            diagnostics,
            result: Ok(None),
            rendered: 0,
        }
    }
}

/// One vault, built again and again.
pub struct Session {
    opts: Options,
    /// The folder of records of written sites ([`record`]); `None` keeps none.
    records: Option<PathBuf>,
    /// The vault as last loaded, and what was derived from it.
    now: Option<Now>,
    /// The site in the output folder, as far as this session knows it.
    written: Option<Written>,
    /// List rows and calendar entries, each under a hash of what it shows.
    memos: Memos,
}

/// The vault as last loaded.
struct Now {
    site: Site,
    derived: Derived,
    theme: Result<Theme, Vec<Diagnostic>>,
    /// Whether it was loaded whole, rather than on top of an earlier load.
    whole: bool,
}

/// What a session keeps from one build to the next, each under a hash of what it was
/// made from, so a kept value is never stale. Only a session that rebuilds keeps list
/// rows: a build's rows come to tens of MB at 10k notes.
#[derive(Default)]
struct Memos {
    rows: Option<RowCache>,
    calendar: crate::calendar::EntryMemo,
}

/// A written site and what its pages showed.
#[derive(Serialize, Deserialize)]
struct Written {
    /// What must be the same for its pages to be compared by what they showed.
    key: record::Key,
    pages: HashMap<Page, PageRecord>,
    /// What each note showed, by id.
    shown: Vec<Option<Shown>>,
    /// The hash of each whole-vault table ([`Table::ALL`] order), which some pages list.
    tables: Vec<u64>,
    /// A hash of calendar.ics as written, and the key of what it shows.
    calendar: Option<(u64, u64)>,
    /// How many files the site has besides its pages, calendar.ics among them.
    others: usize,
    /// The output's manifest as last written or read; `None` until needed.
    #[serde(skip)]
    manifest: Option<Manifest>,
}

#[derive(Clone, Serialize, Deserialize)]
struct PageRecord {
    path: PathBuf,
    deps: Deps,
    /// A hash of the page's bytes as written; `None` when its file is not as written.
    hash: Option<u64>,
}

/// Hashes of a note's parts, as the pages show them.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Shown {
    kind: Kind,
    /// A hash of its vault path ([`view::path_hash`]): which slices it is in.
    path: u64,
    /// Its name and URL.
    link: u64,
    /// Its front matter and the notes its references found.
    front: u64,
    /// Its front matter and what follows from it: the notes its references found, its
    /// backlinks and everything the agenda says about it.
    card: u64,
    /// Its rendered body.
    body: u64,
    /// Its body's words.
    text: u64,
}

/// What the vault shows now, hashed as the written site keeps it.
struct Seen {
    /// What each note shows, by id.
    shown: Vec<Option<Shown>>,
    /// Each whole-vault table's digest, in [`Table::ALL`] order.
    tables: Vec<u64>,
}

/// What differs between the written site and the vault as it is now.
struct Changes {
    /// For each note id, which of its [`Aspect`]s differ.
    notes: Vec<[bool; Aspect::ALL.len()]>,
    /// The same as `notes`, as the sorted (note, part) pairs that differ.
    changed: Vec<(NoteId, Aspect)>,
    /// The whole-vault tables that differ.
    tables: Vec<Table>,
    /// Kinds that gained or lost notes.
    listed: Vec<Kind>,
    /// The path hashes of the notes added or removed: the slices holding them gained or
    /// lost a note.
    paths: Vec<u64>,
}

/// What a build renders and writes.
struct Plan {
    /// The pages to render, with their paths.
    stale: Vec<(Page, PathBuf)>,
    /// The written site's pages that are gone.
    gone: Vec<Page>,
    /// Files of pages that are gone or moved.
    removed: Vec<PathBuf>,
    /// Whether calendar.ics can differ.
    calendar: bool,
    /// Whether everything is made and written: there is no written site to compare with.
    full: bool,
}

/// A build's files, rendered and staged.
struct Made {
    /// The pages rendered, in [`Plan::stale`] order, with what each showed and a hash
    /// of its bytes.
    pages: Vec<(Deps, u64)>,
    staged: StagedFiles,
    /// calendar.ics's hash and key, as written after this build.
    calendar: Option<(u64, u64)>,
    /// How many files the site has besides its pages, when they were all staged.
    others: Option<usize>,
}

impl Session {
    /// A session for the vault in `opts`; nothing is built until [`Session::build`].
    pub fn new(opts: Options) -> Session {
        Session {
            opts,
            records: None,
            now: None,
            written: None,
            memos: Memos::default(),
        }
    }

    /// Keeps the list rows each build renders, for the rebuilds after saves (`watch`,
    /// `serve`) to render only the rows that changed.
    pub fn rebuilding(mut self) -> Session {
        self.memos.rows = Some(RowCache::default());
        self
    }

    /// Keeps a record of each site written in the folder `records` (created when
    /// needed), and resumes from it: see [`record`].
    pub fn keeping_records(mut self, records: Option<PathBuf>) -> Session {
        self.records = records;
        self
    }

    /// Loads the whole vault and builds the site: renders only the pages that can
    /// differ from the site on disk, when this session or its record knows it.
    pub fn build(&mut self) -> Outcome {
        let mut watch = Stopwatch::start();
        let outcome = self.run(None, true);
        watch.lap("build");
        if let Some(dir) = &self.records
            && outcome.written()
        {
            self.save(dir);
        }
        outcome
    }

    /// Rebuilds after the files at `changed` (relative to the vault) were created,
    /// edited or deleted. `rescan` says the watcher lost track and anything may have
    /// changed.
    pub fn update(&mut self, changed: &[PathBuf], rescan: bool) -> Outcome {
        self.run((!rescan).then_some(changed), true)
    }

    /// Loads the vault and renders every page without writing, as `check` does to
    /// find template errors too.
    pub fn check(&mut self) -> Outcome {
        self.now = None;
        self.written = None;
        self.run(None, false)
    }

    /// Saves the record of the site as last written, for the next build to resume
    /// from: `watch` and `serve` call this when they stop (a save takes tens of
    /// milliseconds at 10k notes, too long for every rebuild).
    pub fn save_record(&self) {
        if let Some(dir) = &self.records {
            self.save(dir);
        }
    }

    fn save(&self, dir: &Path) {
        if let (Some(now), Some(written)) = (&self.now, &self.written) {
            record::save(dir, &now.site, written);
        }
    }

    /// The vault folder.
    pub fn root(&self) -> &Path {
        &self.opts.vault
    }

    /// The output folder, once the first build has loaded the settings.
    pub fn output(&self) -> Option<&Path> {
        self.now.as_ref().map(|n| n.site.output.as_path())
    }

    /// The text of a vault file as last read, for diagnostics' snippets.
    pub fn source(&self, rel: &Path) -> Option<&str> {
        self.now.as_ref().and_then(|n| n.site.source(rel))
    }

    /// The one path every build takes; see the module's documentation. `changed` is
    /// what changed since the last load, `None` to load the whole vault; `write` is
    /// false for `check`, which renders every page and writes nothing.
    fn run(&mut self, changed: Option<&[PathBuf]>, write: bool) -> Outcome {
        let mut watch = Stopwatch::start();
        let now = match self.load(changed, write) {
            Ok(now) => now,
            Err(fatal) => return Outcome::fatal(fatal),
        };
        watch.lap("load");
        let now = self.now.insert(now);
        let mut diagnostics = now.site.diagnose(&now.derived);
        let theme = match &now.theme {
            Ok(theme) => theme,
            Err(errors) => {
                diagnostics.extend(errors.iter().cloned());
                return Outcome::failed(diagnostics.sorted());
            }
        };
        if diagnostics.has_errors() {
            return Outcome::failed(diagnostics.sorted());
        }
        if !write {
            let inputs = now.derived.inputs(&now.site.vault);
            let all = render::pages::all(&now.site.vault);
            let (pages, errors) =
                render::pages(inputs, theme, self.memos.rows.as_ref(), &all, drop);
            diagnostics.extend(errors);
            let mut outcome = Outcome::failed(diagnostics.sorted());
            outcome.rendered = pages.len();
            return outcome;
        }
        let out = &now.site.output;
        let lock = match write::begin(out, self.opts.waiting) {
            Ok(lock) => lock,
            Err(e) => return Outcome::fatal(Fatal(e.to_string())),
        };
        let seen = Seen::new(&now.site, &now.derived);
        watch.lap("compare");
        // Another process wrote here since this session did (`build` beside `serve`),
        // or this session's write was cut short: what it knows of the site is stale.
        let on_disk = Manifest::digest_on_disk(out);
        let written = self.written.take().filter(|w| w.key.manifest == on_disk);
        let plan = Plan::new(now, written.as_ref(), &seen);
        let (outcome, written) =
            write_site(now, theme, &self.memos, plan, written, seen, diagnostics);
        // Template errors stop a build before it moves any file into place.
        lock.done(matches!(outcome.result, Ok(None)));
        watch.lap("write");
        self.written = written;
        outcome
    }

    /// Loads the vault on top of the last load when `changed` says what changed and
    /// that is enough (see [`Site::reload`]), else whole. A whole load checks the
    /// output folder when it will `write`, and keeps the written site only when its
    /// pages can be compared with this vault's ([`record::Key`]).
    fn load(&mut self, changed: Option<&[PathBuf]>, write: bool) -> Result<Now, Fatal> {
        let mut ids = None;
        if let Some(mut now) = self.now.take() {
            let vault = &now.site.vault;
            let same_day =
                self.opts.today.is_some() || crate::site::today_in(&vault.settings) == vault.today;
            if let Some(changed) = changed.filter(|_| same_day)
                && let Some(reloaded) = now.site.reload(changed)
                && let Some(derived) = now.site.derive(now.derived, &reloaded)
            {
                now.derived = derived;
                now.whole = false;
                return Ok(now);
            }
            ids = Some(now.site.vault.ids);
        }
        let mut saved = None;
        let site = Site::load(&self.opts, |output| match ids {
            Some(ids) => ids,
            None => {
                let record = self
                    .records
                    .as_deref()
                    .and_then(|d| record::read(d, output));
                let ids = record.as_ref().map(|r| r.ids.clone()).unwrap_or_default();
                saved = record;
                ids
            }
        })?;
        if !site.is_vault {
            return Err(not_a_vault(&site.root));
        }
        if write {
            write::check_output(&site.root, &site.output).map_err(|e| Fatal(e.to_string()))?;
        }
        let derived = site.derive_whole();
        let theme = Theme::load(&site.root, site.vault.settings.theme.as_deref());
        let now = Now {
            site,
            derived,
            theme,
            whole: true,
        };
        let written = saved.map(|s| s.written).or(self.written.take());
        self.written = written.and_then(|w| w.comparable(&now));
        Ok(now)
    }
}

/// Why `build`, `check`, `watch` and `serve` stop in a folder with no notes and no
/// settings: a site built there would be an empty one, in a `public/` made for it.
fn not_a_vault(root: &Path) -> Fatal {
    Fatal(if root == Path::new(".") {
        "this folder is not a vault (no notes found); run `coffeechat init` to start one \
         here, or name the vault's folder"
            .to_string()
    } else {
        let shown = root.display().to_string();
        format!(
            "{shown} is not a vault (no notes found); run `coffeechat init {}` to start \
             one there, or check the path",
            crate::scaffold::shell_quote(&shown)
        )
    })
}

impl Written {
    /// This written site, if its pages can be compared with those of `now`, loaded
    /// whole: the same key, the output's manifest among it. The pages whose files are
    /// no longer as written are marked to be rendered again.
    fn comparable(mut self, now: &Now) -> Option<Written> {
        let theme = now.theme.as_ref().ok()?;
        let manifest = Manifest::read(&now.site.output);
        let key = record::Key::new(&now.site, theme, &now.derived.bodies, manifest.digest())?;
        if key != self.key || manifest.digest().is_none() {
            return None;
        }
        let out = &now.site.output;
        self.pages
            .par_iter_mut()
            .filter(|(_, page)| !manifest.intact(out, &page.path))
            .for_each(|(_, page)| page.hash = None);
        if !manifest.intact(out, Path::new(crate::calendar::FILE_NAME)) {
            self.calendar = None;
        }
        self.manifest = Some(manifest);
        Some(self)
    }
}

impl Seen {
    /// What the vault as `site` loaded it and `derived` shows.
    fn new(site: &Site, derived: &Derived) -> Seen {
        let vault = &site.vault;
        let shown = (0..vault.notes.bound())
            .map(|id| {
                let note = vault.notes.get(id)?;
                Some(Shown {
                    kind: note.kind,
                    path: view::path_hash(note),
                    link: derived.links[id].key,
                    front: derived.cards[id].front,
                    card: derived.cards[id].whole,
                    body: derived.bodies[id].hash,
                    text: derived.bodies[id].text_hash,
                })
            })
            .collect();
        let inputs = derived.inputs(vault);
        let tables = Table::ALL.iter().map(|t| t.digest(&inputs)).collect();
        Seen { shown, tables }
    }
}

/// The tables whose hashes differ between `now` and `was`.
fn differing(now: &[u64], was: &[u64]) -> Vec<Table> {
    let differ = |i: usize| was.get(i) != now.get(i);
    (0..Table::ALL.len())
        .filter(|&i| differ(i))
        .map(|i| Table::ALL[i])
        .collect()
}

impl Changes {
    /// What differs between the notes as `was` and as `now` show them.
    fn new(was: &Written, now: &Seen) -> Changes {
        let n = was.shown.len().max(now.shown.len());
        let mut notes = vec![[false; Aspect::ALL.len()]; n];
        let mut listed = BTreeSet::new();
        let mut paths = Vec::new();
        for (id, flags) in notes.iter_mut().enumerate() {
            let (was, now) = (
                was.shown.get(id).copied().flatten(),
                now.shown.get(id).copied().flatten(),
            );
            *flags = match (was, now) {
                (Some(w), Some(n)) => {
                    if w.kind != n.kind {
                        listed.extend([w.kind, n.kind]);
                    }
                    let (link, front) = (w.link != n.link, w.front != n.front);
                    let card = link || front || w.card != n.card;
                    [link, front, card, w.body != n.body, w.text != n.text]
                }
                (None, None) => [false; Aspect::ALL.len()],
                (w, n) => {
                    // A rename or a move to another kind's folder is a note removed
                    // and one added: ids are given by path.
                    let gone_or_new = w.or(n);
                    listed.extend(gone_or_new.map(|s| s.kind));
                    paths.extend(gone_or_new.map(|s| s.path));
                    [true; Aspect::ALL.len()]
                }
            };
        }
        let changed = (0..n)
            .flat_map(|id| {
                let flags = notes[id];
                Aspect::ALL
                    .into_iter()
                    .filter(move |&a| flags[a as usize])
                    .map(move |a| (id, a))
            })
            .collect();
        Changes {
            notes,
            changed,
            tables: differing(&now.tables, &was.tables),
            listed: listed.into_iter().collect(),
            paths,
        }
    }

    /// Whether calendar.ics can change: it shows front matter and due items, no bodies.
    fn calendar(&self) -> bool {
        self.tables.contains(&Table::Due)
            || !self.listed.is_empty()
            || (self.notes.iter()).any(|f| f[Aspect::Link as usize] || f[Aspect::Card as usize])
    }

    /// Whether a page that showed `deps` can differ.
    fn touches(&self, deps: &Deps) -> bool {
        deps.tables.iter().any(|t| self.tables.contains(t))
            || deps.listed.iter().any(|k| self.listed.contains(k))
            || deps
                .slices
                .iter()
                .any(|s| self.paths.iter().any(|&h| s.holds(h)))
            || self.shows_changed(&deps.shown)
    }

    /// Whether `shown` (sorted, as [`Deps`] keeps it) holds a changed part. A save
    /// changes few notes, while the long pages show tens of thousands of parts: those
    /// are searched for the changed ones rather than read through.
    fn shows_changed(&self, shown: &[(NoteId, Aspect)]) -> bool {
        if self.changed.len() < shown.len() {
            self.changed.iter().any(|c| shown.binary_search(c).is_ok())
        } else {
            shown
                .iter()
                .any(|&(id, aspect)| self.notes[id][aspect as usize])
        }
    }
}

impl Plan {
    /// The pages of `now` to render, given what `written` (if any) showed and what
    /// the vault shows now (`seen`). Only the pages that
    /// can differ are laid out: a page keeps its path unless its note's link moved.
    fn new(now: &Now, written: Option<&Written>, seen: &Seen) -> Plan {
        let vault = &now.site.vault;
        let all = render::pages::all(vault);
        let Some(written) = written else {
            return Plan {
                stale: all.into_par_iter().map(|p| (p, p.path(vault))).collect(),
                gone: Vec::new(),
                removed: Vec::new(),
                calendar: true,
                full: true,
            };
        };
        let changes = Changes::new(written, seen);
        let moved = |page: &Page| match page {
            Page::Note(id) | Page::QuestionList(id) => changes.notes[*id][Aspect::Link as usize],
            _ => false,
        };
        let stale: Vec<(Page, PathBuf)> = all
            .par_iter()
            .filter(|&page| {
                written
                    .pages
                    .get(page)
                    .is_none_or(|r| moved(page) || r.hash.is_none() || changes.touches(&r.deps))
            })
            .map(|&page| (page, page.path(vault)))
            .collect();
        let current: AHashSet<Page> = all.into_iter().collect();
        let gone: Vec<Page> = written
            .pages
            .keys()
            .filter(|p| !current.contains(p))
            .copied()
            .collect();
        let stale_paths: AHashSet<&PathBuf> = stale.iter().map(|(_, path)| path).collect();
        let moved_from = stale.iter().filter_map(|(page, _)| written.pages.get(page));
        let removed = gone
            .iter()
            .map(|page| &written.pages[page])
            .chain(moved_from)
            .map(|r| &r.path)
            .filter(|path| !stale_paths.contains(path))
            .cloned()
            .collect();
        Plan {
            stale,
            gone,
            removed,
            calendar: changes.calendar() || written.calendar.is_none(),
            full: false,
        }
    }
}

/// A rendered file's hash, and its staging when its bytes differ from the written
/// file's.
type FileMade = (u64, Option<Result<Staged, WriteError>>);

/// Files staged, or why they could not be.
type StagedFiles = Vec<Result<Staged, WriteError>>;

/// Pages rendered and staged, and the errors of those that failed.
type StagedPages = (Vec<RenderedPage<FileMade>>, Vec<Diagnostic>);

/// Renders what `plan` says and writes the files whose bytes changed. Returns the
/// outcome and the written site as it is now: the one before when nothing was
/// written, `None` when the output is no longer known.
fn write_site(
    now: &Now,
    theme: &Theme,
    memos: &Memos,
    mut plan: Plan,
    mut written: Option<Written>,
    seen: Seen,
    mut diagnostics: Diagnostics,
) -> (Outcome, Option<Written>) {
    let out = &now.site.output;
    let manifest = written.as_mut().and_then(|w| w.manifest.take());
    let staging = Staging::with_manifest(out, manifest.unwrap_or_else(|| Manifest::read(out)));
    // Longest first, by their length as written: pages are handed out to the cores in
    // this order, and the follow-up log, several times longer than any other page,
    // would otherwise wait behind shorter ones for a core.
    plan.stale
        .sort_by_key(|(_, path)| std::cmp::Reverse(staging.previous_len(path)));
    let job = Job {
        now,
        theme,
        memos,
        plan: &plan,
        written: written.as_ref(),
        staging: &staging,
    };
    let made = match make(&job) {
        Ok(made) => made,
        Err((errors, staged)) => {
            diagnostics.extend(errors);
            staging.abort(staged.into_iter().filter_map(Result::ok).collect());
            return (Outcome::failed(diagnostics.sorted()), written);
        }
    };
    let rendered = made.pages.len();
    let outcome = |result| Outcome {
        diagnostics: diagnostics.sorted(),
        result,
        rendered,
    };
    let committed = match plan.full {
        true => staging.finish(made.staged).map(|report| (report, None)),
        false => staging
            .commit_update(made.staged, &plan.removed)
            .map(|(r, m)| (r, Some(m))),
    };
    let (mut report, manifest) = match committed {
        Ok(done) => done,
        Err(e) => return (outcome(Err(Fatal(e.to_string()))), None),
    };
    let digest = manifest
        .as_ref()
        .map_or_else(|| Manifest::digest_on_disk(out), Manifest::digest);
    let mut written = Written::after(
        now,
        theme,
        written.filter(|_| !plan.full),
        plan,
        made.pages,
        digest,
    );
    written.manifest = manifest;
    written.shown = seen.shown;
    written.tables = seen.tables;
    written.calendar = made.calendar.or(written.calendar);
    written.others = made.others.unwrap_or(written.others);
    report.unchanged = written.pages.len() + written.others - report.written;
    (outcome(Ok(Some(report))), Some(written))
}

/// What renders and stages a build's files: the vault as loaded, the theme and memos,
/// the plan, the site as written before, and the staging of the output.
struct Job<'a> {
    now: &'a Now,
    theme: &'a Theme,
    memos: &'a Memos,
    plan: &'a Plan,
    written: Option<&'a Written>,
    staging: &'a Staging,
}

/// Renders and stages the files the job's plan says. On a template error, returns the
/// errors and what was staged, for the caller to throw away.
fn make(job: &Job) -> Result<Made, (Vec<Diagnostic>, StagedFiles)> {
    let ((pages, errors), calendar) = render_staged(job);
    let Job {
        now,
        theme,
        plan,
        staging,
        ..
    } = *job;
    let mut staged = Vec::new();
    let mut made = Vec::with_capacity(pages.len());
    for RenderedPage { file, deps } in pages {
        staged.extend(file.1);
        made.push((deps, file.0));
    }
    let calendar = calendar.and_then(|(key, file)| {
        let (hash, file) = file?;
        staged.extend(file);
        Some((hash, key))
    });
    if !errors.is_empty() {
        return Err((errors, staged));
    }
    // A reload keeps the theme and the attachments (see `Site::derive`).
    let others: Option<Vec<OutputFile>> = (now.whole || plan.full)
        .then(|| crate::site::others(&now.site.root, theme, &now.derived.bodies).collect());
    if let Some(others) = &others {
        let others: Vec<_> = others.par_iter().map(|f| staging.stage_file(f)).collect();
        staged.extend(others);
    }
    Ok(Made {
        pages: made,
        staged,
        calendar,
        // calendar.ics is one of them.
        others: others.map(|o| o.len() + 1),
    })
}

impl Written {
    /// The written site after a build of `now` wrote `made` (the pages `plan` said to
    /// render) over `before` (`None` for a full build), leaving a manifest whose text
    /// hashes to `digest`.
    fn after(
        now: &Now,
        theme: &Theme,
        before: Option<Written>,
        plan: Plan,
        made: Vec<(Deps, u64)>,
        digest: Option<u64>,
    ) -> Written {
        // A reload keeps everything the key says but the manifest.
        let key = match &before {
            Some(before) if !now.whole => before.key.with_manifest(digest),
            _ => {
                record::Key::new(&now.site, theme, &now.derived.bodies, digest).unwrap_or_default()
            }
        };
        let mut written = before.unwrap_or_else(Written::empty);
        written.key = key;
        for page in &plan.gone {
            written.pages.remove(page);
        }
        for ((page, path), (deps, hash)) in plan.stale.into_iter().zip(made) {
            let hash = Some(hash);
            written.pages.insert(page, PageRecord { path, deps, hash });
        }
        written
    }

    /// A written site with no pages yet.
    fn empty() -> Written {
        Written {
            key: record::Key::default(),
            pages: HashMap::new(),
            shown: Vec::new(),
            tables: Vec::new(),
            calendar: None,
            others: 0,
            manifest: None,
        }
    }
}

/// Renders the pages `plan` says and, when it says so, calendar.ics, staging each file
/// whose hash differs from the written one as soon as it is made: the other core
/// writes the short pages while the long ones still render. The calendar comes with the
/// key of what it shows, and is not made when that is the written one's.
fn render_staged(job: &Job) -> (StagedPages, Option<(u64, Option<FileMade>)>) {
    let Job {
        now,
        theme,
        memos,
        plan,
        written,
        staging,
    } = *job;
    let vault = &now.site.vault;
    let made = |file: OutputFile, was: Option<u64>| {
        let h = hash(&file);
        (h, (Some(h) != was).then(|| staging.stage_file(&file)))
    };
    let was = |page: &Page, path: &Path| {
        let r = written?.pages.get(page)?;
        r.hash.filter(|_| r.path == path)
    };
    let pages: Vec<Page> = plan.stale.iter().map(|(page, _)| *page).collect();
    let paths: HashMap<&Path, &Page> = plan
        .stale
        .iter()
        .map(|(page, path)| (path.as_path(), page))
        .collect();
    let inputs = now.derived.inputs(vault);
    let calendar_was = written.and_then(|w| w.calendar);
    // calendar.ics is one long serial job; made beside the pages, it fills the gaps
    // in their parallel work.
    rayon::join(
        || {
            render::pages(inputs, theme, memos.rows.as_ref(), &pages, |f| {
                let page = paths.get(f.path.as_path()).copied();
                let was = page.and_then(|page| was(page, &f.path));
                made(f, was)
            })
        },
        || {
            plan.calendar.then(|| {
                let plan = crate::calendar::Plan::new(vault, &now.derived.agenda);
                let key = plan.key();
                let file = (calendar_was.map(|(_, key)| key) != Some(key))
                    .then(|| made(plan.file(&memos.calendar), calendar_was.map(|(h, _)| h)));
                (key, file)
            })
        },
    )
}

impl Session {
    /// Loads the whole vault and works out the figures of the Progress page, for
    /// `coffeechat stats`: as text for people, or as one JSON object; with the
    /// problems found loading it (nothing is rendered).
    pub fn stats(&mut self, json: bool) -> Result<(String, Vec<Diagnostic>), Fatal> {
        self.now = None;
        let now = self.load(None, false)?;
        let now = self.now.insert(now);
        let diagnostics = now.site.diagnose(&now.derived).sorted();
        let stats = &now.derived.stats;
        let text = match json {
            true => serde_json::to_string(stats).map_err(|e| Fatal(e.to_string()))? + "\n",
            false => stats.human(),
        };
        Ok((text, diagnostics))
    }
}
