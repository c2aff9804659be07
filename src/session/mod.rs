//! Repeated builds of one vault, for `watch` and `serve`.
//!
//! A [`Session`] builds the site once, then rebuilds it after each batch of changed
//! files. The output always equals what `build` would write for the same vault and
//! `--today`; an error leaves the last good site in place.
//!
//! Only the changed notes are read again, and only the pages that showed something
//! that changed are rendered again: each page records what it showed ([`Deps`]), and
//! the notes' parts are compared before and after. Two paths lead there:
//! - an edit that keeps every changed note's names, slug and kind ([`Live::edit`])
//!   changes no other note's references, so the vault is updated in place;
//! - a note added, removed or renamed ([`restructure`]) re-indexes the vault, and the
//!   written site's ids are carried over to the new ones before comparing.
//!
//! Anything else (the settings, a template, an attachment, the date) loads and renders
//! the whole vault again, as does any change after a save with errors that added or
//! removed notes.

mod record;
mod restructure;

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::load;
use crate::model::agenda::Agenda;
use crate::model::note::{self, Kind, NoteId};
use crate::model::refs::Index;
use crate::render::{self, Aspect, Deps, OutputFile, Page, RenderedPage, Theme};
use crate::site::{Derived, Fatal, Memos, Options, Prepared, Rendered, Site, Stopwatch};
use crate::write::{self, Report, Staged, Staging, WriteError};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// What one build or rebuild did.
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

/// One vault being watched and rebuilt.
pub struct Session {
    opts: Options,
    /// The folder of records of written sites ([`record`]); `None` builds in full.
    records: Option<PathBuf>,
    /// The vault as last loaded and the site as last written.
    live: Option<Live>,
    /// The vault as last loaded, when that load could not be rendered.
    failed: Option<Site>,
}

/// A written site and what it was made from.
struct Live {
    site: Site,
    /// What the lint rules say of the vault as it is now.
    lint: crate::check::Lint,
    /// Bodies are those of the vault as it is now; backlinks and agenda are those of
    /// the written site until the next write.
    derived: Derived,
    theme: Theme,
    /// Every page of the written site, in [`render::pages::all`] order.
    pages: Vec<PageRecord>,
    /// What each note showed when the site was written; `None` for a note added since.
    shown: Vec<Option<Shown>>,
    /// A hash of calendar.ics as written; `None` when it is not (or no longer) on disk
    /// as written.
    calendar: Option<u64>,
    /// The key of what calendar.ics as written shows ([`crate::calendar::Plan::key`]);
    /// `None` when not known. A rebuild whose calendar has this key does not make it.
    calendar_key: Option<u64>,
    /// How many files the written site has besides its pages.
    others: usize,
    /// Notes edited since the site was last written.
    pending: BTreeSet<NoteId>,
    /// The output's manifest as this session last wrote it; `None` until the first
    /// rebuild reads it (reading it for every save took ~10 ms at 10k notes).
    manifest: Option<write::Manifest>,
    /// Whether the next change needs a full build: a save with errors added or removed
    /// notes, or a rebuild failed while rendering or writing, and what the written
    /// site was made from is no longer known.
    rebuild: bool,
    /// List rows and calendar entries as made, for the next rebuild.
    memos: Memos,
}

/// A file of a full build, staged, with what the session keeps of it.
struct Stamped {
    hash: u64,
    calendar: bool,
    staged: Result<Staged, WriteError>,
}

#[derive(Clone, Serialize, Deserialize)]
struct PageRecord {
    page: Page,
    path: PathBuf,
    deps: Deps,
    /// A hash of the page's bytes as written; `None` for a page not written yet.
    hash: Option<u64>,
}

/// Hashes of a note's parts as the written site shows them.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Shown {
    /// Its name and URL.
    link: u64,
    /// Its front matter's text and the notes its references found.
    front: u64,
    /// Its rendered body.
    body: u64,
}

/// The agenda of the vault as it is now, beside the written site's.
enum AgendaNow<'a> {
    /// It is the written site's.
    Written,
    /// The written site's, updated in place; what the update changed.
    Updated(&'a crate::model::agenda::Changed),
    /// Made anew; the written site's is still in place.
    New(&'a Agenda),
}

/// Which parts of each note differ from what the written site shows.
struct Changes {
    notes: Vec<[bool; 3]>,
    /// The same as `notes`, as the sorted list of the (note, part) pairs that differ.
    changed: Vec<(NoteId, Aspect)>,
    due: bool,
    touchpoints: bool,
    /// Kinds that gained or lost notes.
    listed: Vec<Kind>,
}

impl Changes {
    /// Fills `changed` from `notes`.
    fn list_changed(&mut self) {
        self.changed = (0..self.notes.len())
            .flat_map(|id| {
                let flags = self.notes[id];
                [Aspect::Link, Aspect::Card, Aspect::Body]
                    .into_iter()
                    .filter(move |&a| flags[a as usize])
                    .map(move |a| (id, a))
            })
            .collect();
    }

    /// Whether calendar.ics can change: it shows front matter and due items, no bodies.
    fn calendar(&self) -> bool {
        self.due
            || !self.listed.is_empty()
            || self
                .notes
                .iter()
                .any(|flags| flags[Aspect::Link as usize] || flags[Aspect::Card as usize])
    }

    /// Whether a page that showed `deps` can differ. A note it showed that is gone
    /// (no longer in `notes`) counts as changed.
    fn touches(&self, deps: &Deps) -> bool {
        (deps.due && self.due)
            || (deps.touchpoints && self.touchpoints)
            || deps.listed.iter().any(|k| self.listed.contains(k))
            || self.shows_changed(&deps.shown)
    }

    /// Whether `shown` (sorted, as [`Deps`] keeps it) holds a changed or gone note's
    /// part. A save changes few notes, while the long pages show tens of thousands of
    /// parts: those are searched for the changed ones rather than read through, which
    /// took ~5 ms of every save at 10k notes.
    fn shows_changed(&self, shown: &[(NoteId, Aspect)]) -> bool {
        if shown.last().is_some_and(|&(id, _)| id >= self.notes.len()) {
            return true;
        }
        if self.changed.len() < shown.len() {
            self.changed.iter().any(|c| shown.binary_search(c).is_ok())
        } else {
            shown
                .iter()
                .any(|&(id, aspect)| self.notes[id][aspect as usize])
        }
    }
}

impl Session {
    /// A session for the vault in `opts`; nothing is built until [`Session::build`].
    pub fn new(opts: Options) -> Session {
        Session {
            opts,
            records: None,
            live: None,
            failed: None,
        }
    }

    /// Keeps a record of each site written in the folder `records` (created when
    /// needed), and resumes from it: see [`record`].
    pub fn keeping_records(mut self, records: Option<PathBuf>) -> Session {
        self.records = records;
        self
    }

    /// Loads the whole vault and builds the site: in full, or, when the output holds a
    /// record of the site there ([`record`]), only the pages that can differ from it.
    pub fn build(&mut self) -> Outcome {
        self.live = None;
        self.failed = None;
        let mut site = match Site::load(&self.opts) {
            Ok(site) => site,
            Err(fatal) => return Outcome::fatal(fatal),
        };
        if let Err(e) = write::check_output(&site.root, &site.output) {
            return Outcome::fatal(Fatal(e.to_string()));
        }
        let mut watch = Stopwatch::start();
        let Some(prepared) = site.prepare() else {
            let diagnostics = site.diagnostics.clone().sorted();
            self.failed = Some(site);
            return Outcome::failed(diagnostics);
        };
        watch.lap("lint");
        let records = self.records.as_deref();
        let saved = records.and_then(|dir| record::read(dir, &site, &prepared));
        watch.lap("record");
        let resumed = saved.is_some();
        let (outcome, live) = match saved {
            Some(saved) => record::resume(site, prepared, saved),
            None => full_build(site, prepared),
        };
        watch.lap("build");
        match live {
            Ok(live) => {
                // A record still describes a site that nothing was written to.
                let wrote_nothing = matches!(
                    &outcome.result,
                    Ok(Some(r)) if r.written == 0 && r.removed == 0
                );
                if let Some(dir) = records
                    && outcome.written()
                    && !(resumed && wrote_nothing)
                {
                    record::save(dir, &live);
                    watch.lap("save");
                }
                self.live = Some(live);
            }
            Err(site) => self.failed = Some(site),
        }
        outcome
    }

    /// Rebuilds after the files at `changed` (relative to the vault) were created,
    /// edited or deleted. `rescan` says the watcher lost track and anything may have
    /// changed.
    pub fn update(&mut self, changed: &[PathBuf], rescan: bool) -> Outcome {
        let today = self.opts.today;
        let outcome = match self.live.as_mut() {
            Some(live) if !rescan && !live.rebuild => live.update(changed, today),
            _ => None,
        };
        outcome.unwrap_or_else(|| self.build())
    }

    /// Saves the record of the site as last written, when this session keeps records,
    /// rebuilt since its first build (which saved one), and holds what describes that
    /// site: the last change was written, or changed nothing, and no other build wrote
    /// the output since. Rebuilds after saves do not save it (it takes ~40 ms at 10k
    /// notes), so `watch` and `serve` call this when they stop, for the next build to
    /// resume from.
    pub fn save_record(&self) {
        if let (Some(dir), Some(live)) = (&self.records, &self.live)
            && live.manifest.is_some()
            && live.pending.is_empty()
            && !live.rebuild
        {
            record::save(dir, live);
        }
    }

    /// The vault folder.
    pub fn root(&self) -> &Path {
        &self.opts.vault
    }

    /// The output folder, once the first build has loaded the settings.
    pub fn output(&self) -> Option<&Path> {
        self.site().map(|s| s.output.as_path())
    }

    /// The text of a vault file as last read, for diagnostics' snippets.
    pub fn source(&self, rel: &Path) -> Option<&str> {
        self.site().and_then(|s| s.source(rel))
    }

    fn site(&self) -> Option<&Site> {
        self.live.as_ref().map(|l| &l.site).or(self.failed.as_ref())
    }
}

/// Renders and writes every page. Returns the session's state when the site was
/// written, else the loaded vault.
fn full_build(mut site: Site, prepared: Prepared) -> (Outcome, Result<Live, Site>) {
    let staging = Staging::new(&site.output);
    let memos = Memos::default();
    let rendered = site.render_prepared(prepared, &memos, |f| Stamped {
        hash: hash(&f),
        calendar: f.path == Path::new(crate::calendar::FILE_NAME),
        staged: staging.stage_file(&f),
    });
    let Rendered {
        derived,
        lint,
        theme,
        pages: rendered,
        other,
        complete,
    } = rendered;
    let count = rendered.len();
    let mut pages = Vec::with_capacity(count);
    let mut staged = Vec::with_capacity(count + other.len());
    for p in rendered {
        pages.push(PageRecord {
            path: p.page.path(&site.vault),
            page: p.page,
            deps: p.deps,
            hash: Some(p.file.hash),
        });
        staged.push(p.file.staged);
    }
    let calendar = other.iter().find(|f| f.calendar).map(|f| f.hash);
    let others = other.len();
    staged.extend(other.into_iter().map(|f| f.staged));
    let result = write::settle(staging, staged, complete).map_err(|e| Fatal(e.to_string()));
    let outcome = Outcome {
        diagnostics: site.diagnostics.clone().sorted(),
        result,
        rendered: count,
    };
    if !outcome.written() {
        return (outcome, Err(site));
    }
    let shown = (0..site.vault.notes.len())
        .into_par_iter()
        .map(|id| Some(shown_note(&site, &derived, id)))
        .collect();
    let live = Live {
        site,
        lint,
        derived,
        theme,
        pages,
        shown,
        calendar,
        calendar_key: None,
        others,
        pending: BTreeSet::new(),
        manifest: None,
        rebuild: false,
        memos,
    };
    (outcome, Ok(live))
}

impl Live {
    /// Applies a change; `None` when it needs a full build.
    fn update(&mut self, changed: &[PathBuf], today: Option<jiff::civil::Date>) -> Option<Outcome> {
        let vault = &self.site.vault;
        if today.is_none() && crate::site::today_in(&vault.settings) != vault.today {
            return None;
        }
        match self.read_edits(changed) {
            Some(edited) => self.edit(edited),
            None => restructure::apply(self, changed),
        }
    }

    /// Applies edits to existing notes that keep their names, slug and kind.
    fn edit(&mut self, edited: Vec<(NoteId, note::Note, Vec<Diagnostic>)>) -> Option<Outcome> {
        let mut watch = Stopwatch::start();
        let ids: Vec<NoteId> = edited.iter().map(|(id, _, _)| *id).collect();
        let vault = &self.site.vault;
        // Whether a save with errors came since the site was written: its edits may
        // have changed front matter, and it linted the vault with an agenda made anew,
        // which the lint update below does not start from.
        let nothing_pending = self.pending.is_empty();
        let bodies_only = nothing_pending
            && edited
                .iter()
                .all(|(id, n, _)| n.source.front_text() == vault.notes[*id].source.front_text());
        let rels: BTreeSet<PathBuf> = edited
            .iter()
            .map(|(_, n, _)| n.source.rel.clone())
            .collect();
        // References of other notes do not change, so neither do their problems.
        self.site.loaded.vault.retain(|d| !rels.contains(&d.file));
        let mut renamed = Vec::new();
        for (id, note, diags) in edited {
            self.site
                .sources
                .insert(note.source.rel.clone(), note.source.text.clone());
            self.site.loaded.notes[id] = diags;
            let old_name = self.site.vault.notes[id].name.clone();
            let resolved = self.site.vault.replace(id, note);
            self.site.loaded.vault.extend(resolved);
            if self.site.vault.notes[id].name != old_name {
                // An interview without a title is named after its date.
                self.derived.links[id] = render::view::page_link(&self.site.vault.notes[id]);
                renamed.push(id);
            }
        }
        let mut bodies: BTreeSet<NoteId> = ids.iter().copied().collect();
        bodies.extend(self.linking_to(&renamed));
        // A body rendered in a save with errors may show a name that has changed since.
        bodies.extend(self.pending.iter().copied());
        let links_moved = self.rerender_bodies(&bodies)?;
        // The backlinks are the written site's: they still hold unless a body's links
        // moved, in this save or in one since the site was written.
        let backlinks = (links_moved || !self.pending.is_empty())
            .then(|| render::backlinks(&self.derived.bodies));
        self.pending.extend(bodies);
        watch.lap("bodies");
        // With the front matter as it was, the agenda and the lint rules, which read
        // no bodies but through the briefing estimate, usually stay as they are.
        let same = bodies_only && {
            let agenda = &self.derived.agenda;
            agenda.holds_after_body_edits(&self.site.vault, &ids)
        };
        if self.has_errors() {
            // The written site's agenda stays, to compare the next save with.
            if !same {
                let agenda = Agenda::new(&self.site.vault);
                self.lint = crate::check::lint(&self.site.vault, &agenda);
            }
            return Some(Outcome::failed(self.diagnose().sorted()));
        }
        // Every note edited since the site was written, this save's among them.
        let vault = &self.site.vault;
        let (updated, new) = match same {
            true => (None, None),
            false => match self.derived.agenda.update(vault, &self.pending) {
                Some(changed) => (Some(changed), None),
                None => (None, Some(Agenda::new(vault))),
            },
        };
        watch.lap("agenda");
        match (&updated, &new) {
            (Some(changed), _) if nothing_pending => {
                let ids: BTreeSet<NoteId> =
                    self.pending.iter().chain(&changed.notes).copied().collect();
                self.lint.update(vault, &self.derived.agenda, ids);
            }
            _ if !same => {
                let agenda = new.as_ref().unwrap_or(&self.derived.agenda);
                self.lint = crate::check::lint(vault, agenda);
            }
            _ => {}
        }
        watch.lap("lint");
        let diagnostics = self.diagnose();
        let agenda = match (&updated, &new) {
            (Some(changed), _) => AgendaNow::Updated(changed),
            (_, Some(agenda)) => AgendaNow::New(agenda),
            _ => AgendaNow::Written,
        };
        let changes = self.changes(agenda, backlinks.as_deref());
        watch.lap("compare");
        if let Some(agenda) = new {
            self.derived.agenda = agenda;
        }
        if let Some(backlinks) = backlinks {
            self.derived.backlinks = backlinks;
        }
        let stale = self.stale_pages(&changes);
        let calendar = changes.calendar();
        Some(self.rewrite(
            stale,
            calendar,
            Vec::new(),
            Vec::new(),
            diagnostics.sorted(),
        ))
    }

    /// Reads the changed notes again. `None` when a changed path is not a note the
    /// site has, the note is gone or unreadable, or it changed names, slug or kind.
    fn read_edits(
        &self,
        changed: &[PathBuf],
    ) -> Option<Vec<(NoteId, note::Note, Vec<Diagnostic>)>> {
        let vault = &self.site.vault;
        let mut edited = Vec::new();
        for rel in changed.iter().collect::<BTreeSet<_>>() {
            let id = vault.index.at_path(rel)?;
            let (note, diags) = read_note(&self.site.root, rel)?;
            if !Index::same_keys(&vault.notes[id], &note) {
                return None;
            }
            edited.push((id, note, diags));
        }
        Some(edited)
    }

    /// The notes whose bodies link to any of `ids`. A `[[link]]` without a label shows
    /// the note's name, which for an interview without a title follows its date.
    fn linking_to(&self, ids: &[NoteId]) -> Vec<NoteId> {
        if ids.is_empty() {
            return Vec::new();
        }
        let bodies = &self.derived.bodies;
        (0..bodies.len())
            .filter(|&id| bodies[id].links.iter().any(|l| ids.contains(l)))
            .collect()
    }

    /// Renders the bodies of notes `ids` again, and says whether any of them now links
    /// to other notes than before. `None` when they now link to a different set of
    /// attachments, which changes the site's file list.
    fn rerender_bodies(&mut self, ids: &BTreeSet<NoteId>) -> Option<bool> {
        let vault = &self.site.vault;
        let (mut same_files, mut links_moved) = (true, false);
        for &id in ids {
            let body = render::markdown::render(vault, &self.site.files, id);
            let old = &self.derived.bodies[id];
            same_files &= body.attachments == old.attachments;
            links_moved |= body.links != old.links;
            self.derived.bodies[id] = body;
        }
        same_files.then_some(links_moved)
    }

    /// Whether the vault as it is now has errors. The lint rules only warn, so these are
    /// known before the agenda; and no copy of the warnings is made, as for
    /// [`Live::diagnose`].
    fn has_errors(&self) -> bool {
        let error = |d: &Diagnostic| d.severity == Severity::Error;
        self.site.loaded.all().any(error)
            || self
                .derived
                .bodies
                .iter()
                .any(|b| b.diagnostics.iter().any(error))
    }

    /// The diagnostics for the vault as it is now.
    fn diagnose(&self) -> Diagnostics {
        let mut diags = Diagnostics::default();
        diags.extend(self.site.loaded.all().cloned());
        for b in &self.derived.bodies {
            diags.extend(b.diagnostics.iter().cloned());
        }
        diags.extend(self.lint.iter().cloned());
        diags.silence(&self.site.vault.settings.lint.off);
        diags
    }

    /// What differs between the written site's notes and the vault as it is now;
    /// `backlinks` is `None` when they are the written site's.
    fn changes(&self, agenda: AgendaNow, backlinks: Option<&[Vec<NoteId>]>) -> Changes {
        let n = self.site.vault.notes.len();
        let mut notes = vec![[false; 3]; n];
        for (id, now) in self.pending_shown() {
            notes[id] = match self.shown[id] {
                Some(was) => {
                    let link = now.link != was.link;
                    [link, link || now.front != was.front, now.body != was.body]
                }
                None => [true; 3],
            };
        }
        if let Some(backlinks) = backlinks {
            for (id, flags) in notes.iter_mut().enumerate() {
                flags[Aspect::Card as usize] |= backlinks[id] != self.derived.backlinks[id];
            }
        }
        let mut changes = Changes {
            notes,
            changed: Vec::new(),
            due: false,
            touchpoints: false,
            listed: Vec::new(),
        };
        let old = &self.derived.agenda;
        let (facts, due, touchpoints) = match agenda {
            AgendaNow::Written => (Vec::new(), false, false),
            AgendaNow::Updated(changed) => {
                (changed.notes.clone(), changed.due, changed.touchpoints)
            }
            AgendaNow::New(new) => {
                changes
                    .notes
                    .par_iter_mut()
                    .enumerate()
                    .for_each(|(id, flags)| {
                        flags[Aspect::Card as usize] |= old.differs_for(new, id)
                    });
                let banks = old.question_uses_differ(new);
                (
                    banks,
                    old.due != new.due,
                    old.touchpoints != new.touchpoints,
                )
            }
        };
        // A removed bank's questions are on no page any more.
        for id in facts {
            if let Some(flags) = changes.notes.get_mut(id) {
                flags[Aspect::Card as usize] = true;
            }
        }
        changes.due = due;
        changes.touchpoints = touchpoints;
        changes.list_changed();
        changes
    }

    /// What each note edited since the site was written shows now; in parallel, as a
    /// build resumed from a record compares every note.
    fn pending_shown(&self) -> Vec<(NoteId, Shown)> {
        let ids: Vec<NoteId> = self.pending.iter().copied().collect();
        ids.into_par_iter()
            .map(|id| (id, shown_note(&self.site, &self.derived, id)))
            .collect()
    }

    /// The written pages that showed something that changed.
    fn stale_pages(&self, changes: &Changes) -> Vec<usize> {
        (0..self.pages.len())
            .into_par_iter()
            .filter(|&i| changes.touches(&self.pages[i].deps))
            .collect()
    }

    /// Renders pages `stale` (indexes in `pages`) and calendar.ics when `calendar`,
    /// writes those whose bytes differ and those of `others` not on disk as they are,
    /// and removes the files at `removed`.
    fn rewrite(
        &mut self,
        mut stale: Vec<usize>,
        calendar: bool,
        removed: Vec<PathBuf>,
        others: Vec<OutputFile>,
        diagnostics: Vec<Diagnostic>,
    ) -> Outcome {
        let mut watch = Stopwatch::start();
        let output = &self.site.output;
        let manifest = self
            .manifest
            .take()
            .unwrap_or_else(|| write::Manifest::read(output));
        let staging = Staging::with_manifest(output, manifest);
        // Longest first, by their length as written: pages are handed out to the cores
        // in this order, and the follow-up log, several times longer than any other
        // page, would otherwise wait behind shorter ones for a core.
        stale.sort_by_key(|&i| std::cmp::Reverse(staging.previous_len(&self.pages[i].path)));
        let (pages, calendar_file) = self.render_staged(&stale, calendar, &staging);
        watch.lap("pages");
        let (rendered, errors) = pages;
        let mut staged: Vec<Result<Staged, WriteError>> =
            others.iter().map(|f| staging.stage_file(f)).collect();
        let mut records = Vec::new();
        for (i, RenderedPage { file, deps, .. }) in stale.iter().zip(rendered) {
            staged.extend(file.1);
            records.push((*i, deps, file.0));
        }
        let (calendar_hash, calendar_key) = match calendar_file {
            Some((key, Some((h, file)))) => {
                staged.extend(file);
                (Some(h), Some(key))
            }
            Some((key, None)) => (self.calendar, Some(key)),
            None => (self.calendar, self.calendar_key),
        };
        if !errors.is_empty() {
            staging.abort(staged.into_iter().filter_map(Result::ok).collect());
            // The agenda and backlinks are already the new ones, and the pages laid out
            // for them: this written site can no longer be compared with.
            self.rebuild = true;
            return Outcome::failed(sorted([diagnostics, errors].concat()));
        }
        let result = staging.commit_update(staged, &removed);
        watch.lap("write");
        let result = match result {
            Ok((mut report, manifest)) => {
                self.manifest = Some(manifest);
                for (i, deps, h) in records {
                    self.pages[i].deps = deps;
                    self.pages[i].hash = Some(h);
                }
                self.calendar = calendar_hash;
                self.calendar_key = calendar_key;
                for (id, now) in self.pending_shown() {
                    self.shown[id] = Some(now);
                }
                self.pending.clear();
                report.unchanged = self.pages.len() + self.others - report.written;
                Ok(Some(report))
            }
            Err(e) => {
                self.rebuild = true;
                Err(Fatal(e.to_string()))
            }
        };
        Outcome {
            diagnostics,
            result,
            rendered: stale.len(),
        }
    }

    /// Renders pages `stale` and, when `calendar`, calendar.ics, staging each file whose
    /// hash differs from the written one as soon as it is made: the other core writes
    /// the short pages while the long ones still render. The calendar comes with the
    /// key of what it shows, and is not made when that is the written one's.
    fn render_staged(
        &self,
        stale: &[usize],
        calendar: bool,
        staging: &Staging,
    ) -> (StagedPages, Option<(u64, Option<Made>)>) {
        let vault = &self.site.vault;
        let pages: Vec<Page> = stale.iter().map(|&i| self.pages[i].page).collect();
        let written: std::collections::HashMap<&Path, Option<u64>> = stale
            .iter()
            .map(|&i| (self.pages[i].path.as_path(), self.pages[i].hash))
            .collect();
        let made = |file: OutputFile, was: Option<u64>| {
            let h = hash(&file);
            (h, (Some(h) != was).then(|| staging.stage_file(&file)))
        };
        let inputs = self.derived.inputs(vault);
        // As in a full build, calendar.ics is made beside the pages: a rebuild's pages are
        // few, and often one long page (the follow-up log) keeps one core busy alone.
        rayon::join(
            || {
                render::pages(inputs, &self.theme, &self.memos.rows, &pages, |f| {
                    let was = written.get(f.path.as_path()).copied().flatten();
                    made(f, was)
                })
            },
            || {
                calendar.then(|| {
                    let plan = crate::calendar::Plan::new(vault, &self.derived.agenda);
                    let key = plan.key();
                    let file = (Some(key) != self.calendar_key)
                        .then(|| made(plan.file(&self.memos.calendar), self.calendar));
                    (key, file)
                })
            },
        )
    }
}

/// A rendered file's hash, and its staging when its bytes differ from the written
/// file's.
type Made = (u64, Option<Result<Staged, WriteError>>);

/// Pages rendered and staged, and the errors of those that failed.
type StagedPages = (Vec<RenderedPage<Made>>, Vec<Diagnostic>);

/// Reads and types the note at `rel`; `None` when it is gone or unreadable.
fn read_note(root: &Path, rel: &Path) -> Option<(note::Note, Vec<Diagnostic>)> {
    let source = load::read_note(root, rel).ok()?;
    let mut diags = Vec::new();
    let note = note::read_note(source, &mut diags);
    Some((note, diags))
}

fn shown_note(site: &Site, derived: &Derived, id: NoteId) -> Shown {
    Shown {
        link: derived.links[id].key,
        front: front_hash(site, id),
        body: hash(&derived.bodies[id].html),
    }
}

/// A hash of note `id`'s front matter and of the notes its references found: the
/// same text finds another note once names or aliases move.
fn front_hash(site: &Site, id: NoteId) -> u64 {
    let notes = &site.vault.notes;
    // By path, not id: ids shift when notes are added or removed.
    let targets: Vec<Option<(&Path, usize)>> = notes[id]
        .resolved()
        .into_iter()
        .map(|r| r.map(|(to, i)| (notes[to].source.rel.as_path(), i)))
        .collect();
    hash(&(notes[id].source.front_text(), targets))
}

/// A hash for comparing pages and notes within one session: XXH3, which goes through
/// a page's bytes many times faster than std's SipHash.
fn hash(value: &(impl Hash + ?Sized)) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    value.hash(&mut h);
    h.finish()
}

fn sorted(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut all = Diagnostics::default();
    all.extend(diags);
    all.sorted()
}
