//! Repeated builds of one vault, for `watch` and `serve`.
//!
//! A [`Session`] builds the site once, then rebuilds it after each batch of changed
//! files. The output always equals what `build` would write for the same vault and
//! `--today`; an error leaves the last good site in place.
//!
//! When every changed file is a note that keeps its names, slug and kind, only those
//! notes are read again, and only the pages that showed something that changed are
//! rendered again: each page records what it showed ([`Deps`]), and the notes' parts
//! are compared before and after. Anything else (a note added, removed or renamed, the
//! settings, a template, an attachment) loads and renders the whole vault again.

use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::agenda::Agenda;
use crate::model::note::{self, NoteId};
use crate::model::refs::Index;
use crate::render::{self, Aspect, Deps, Page, RenderedPage, Theme};
use crate::site::{Derived, Fatal, Options, Rendered, Site, Stopwatch};
use crate::write::{self, Report, Staged, Staging, WriteError};

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
}

/// One vault being watched and rebuilt.
pub struct Session {
    opts: Options,
    /// The vault as last loaded and the site as last written.
    live: Option<Live>,
    /// The vault as last loaded, when that load could not be rendered.
    failed: Option<Site>,
}

/// A written site and what it was made from.
struct Live {
    site: Site,
    /// Diagnostics found while loading, per the vault as it is now.
    loaded: Vec<Diagnostic>,
    /// What the lint rules say of the vault as it is now.
    lint: Vec<Diagnostic>,
    /// Bodies are those of the vault as it is now; backlinks and agenda are those of
    /// the written site until the next write.
    derived: Derived,
    theme: Theme,
    /// Every page of the written site.
    pages: Vec<PageRecord>,
    /// What each note showed when the site was written.
    shown: Vec<Shown>,
    calendar: u64,
    /// How many files the written site has.
    file_count: usize,
    /// Notes edited since the site was last written.
    pending: BTreeSet<NoteId>,
}

/// A file of a full build, staged, with what the session keeps of it.
struct Stamped {
    hash: u64,
    calendar: bool,
    staged: Result<Staged, WriteError>,
}

struct PageRecord {
    page: Page,
    deps: Deps,
    /// A hash of the page's bytes as written.
    hash: u64,
}

/// Hashes of a note's parts as the written site shows them.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Shown {
    name: u64,
    front: u64,
    body: u64,
}

/// Which parts of each note differ from what the written site shows.
struct Changes {
    notes: Vec<[bool; 3]>,
    due: bool,
    touchpoints: bool,
}

impl Changes {
    /// Whether calendar.ics can change: it shows front matter and due items, no bodies.
    fn calendar(&self) -> bool {
        self.due
            || self
                .notes
                .iter()
                .any(|flags| flags[Aspect::Link as usize] || flags[Aspect::Card as usize])
    }

    fn touches(&self, deps: &Deps) -> bool {
        (deps.due && self.due)
            || (deps.touchpoints && self.touchpoints)
            || deps
                .shown
                .iter()
                .any(|&(id, aspect)| self.notes[id][aspect as usize])
    }
}

impl Session {
    /// A session for the vault in `opts`; nothing is built until [`Session::build`].
    pub fn new(opts: Options) -> Session {
        Session {
            opts,
            live: None,
            failed: None,
        }
    }

    /// Loads and builds the whole site.
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
        let loaded = site.diagnostics.as_slice().to_vec();
        let staging = Staging::new(&site.output);
        let rendered = site.render_with(|f| Stamped {
            hash: hash(&f),
            calendar: f.path == Path::new(crate::calendar::FILE_NAME),
            staged: staging.stage_file(&f),
        });
        let Some(Rendered {
            derived,
            theme,
            pages: rendered,
            other,
            complete,
        }) = rendered
        else {
            let diagnostics = site.diagnostics.clone().sorted();
            self.failed = Some(site);
            return Outcome {
                diagnostics,
                result: Ok(None),
                rendered: 0,
            };
        };
        let count = rendered.len();
        let mut pages = Vec::with_capacity(count);
        let mut staged = Vec::with_capacity(count + other.len());
        for p in rendered {
            pages.push(PageRecord {
                page: p.page,
                deps: p.deps,
                hash: p.file.hash,
            });
            staged.push(p.file.staged);
        }
        let calendar = other.iter().find(|f| f.calendar).map_or(0, |f| f.hash);
        staged.extend(other.into_iter().map(|f| f.staged));
        let file_count = staged.len();
        let result = write::settle(staging, staged, complete).map_err(|e| Fatal(e.to_string()));
        let diagnostics = site.diagnostics.clone().sorted();
        if matches!(result, Ok(Some(_))) {
            let shown = shown_notes(&site, &derived);
            let lint = crate::check::lint(&site.vault, &derived.agenda);
            self.live = Some(Live {
                site,
                loaded,
                lint,
                derived,
                theme,
                pages,
                shown,
                calendar,
                file_count,
                pending: BTreeSet::new(),
            });
        } else {
            self.failed = Some(site);
        }
        Outcome {
            diagnostics,
            result,
            rendered: count,
        }
    }

    /// Rebuilds after the files at `changed` (relative to the vault) were created,
    /// edited or deleted. `rescan` says the watcher lost track and anything may have
    /// changed.
    pub fn update(&mut self, changed: &[PathBuf], rescan: bool) -> Outcome {
        let today = self.opts.today;
        match self.live.as_mut() {
            Some(live) if !rescan => match live.edit(changed, today) {
                Some(outcome) => outcome,
                None => self.build(),
            },
            _ => self.build(),
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

impl Live {
    /// Applies edits to existing notes; `None` when the change needs a full build.
    fn edit(&mut self, changed: &[PathBuf], today: Option<jiff::civil::Date>) -> Option<Outcome> {
        if today.is_none()
            && crate::site::today_in(&self.site.vault.settings) != self.site.vault.today
        {
            return None;
        }
        let mut watch = Stopwatch::start();
        let edited = self.read_edits(changed)?;
        watch.lap("read");
        let ids: Vec<NoteId> = edited.iter().map(|(id, _, _)| *id).collect();
        let vault = &self.site.vault;
        // Edits kept from a save with errors may have changed front matter.
        let bodies_only = self.pending.is_empty()
            && edited
                .iter()
                .all(|(id, n, _)| n.source.front_text() == vault.notes[*id].source.front_text());
        let rels: BTreeSet<PathBuf> = edited
            .iter()
            .map(|(_, n, _)| n.source.rel.clone())
            .collect();
        self.loaded.retain(|d| !rels.contains(&d.file));
        let mut renamed = Vec::new();
        for (id, note, diags) in edited {
            self.site
                .sources
                .insert(note.source.rel.clone(), note.source.text.clone());
            self.loaded.extend(diags);
            let old_name = self.site.vault.notes[id].name.clone();
            let resolved = self.site.vault.replace(id, note);
            self.loaded.extend(resolved);
            if self.site.vault.notes[id].name != old_name {
                renamed.push(id);
            }
        }
        // A `[[link]]` without a label shows the note's name, which for an interview
        // without a title follows its date.
        let mut bodies: BTreeSet<NoteId> = ids.iter().copied().collect();
        if !renamed.is_empty() {
            let shows_renamed = |id: &NoteId| {
                let links = &self.derived.bodies[*id].links;
                links.iter().any(|l| renamed.contains(l))
            };
            bodies.extend((0..self.derived.bodies.len()).filter(shows_renamed));
        }
        if !self.rerender_bodies(&bodies) {
            return None;
        }
        self.pending.extend(bodies);
        watch.lap("bodies");
        let backlinks = render::backlinks(&self.derived.bodies);
        // With the front matter as it was, the agenda and the lint rules, which read
        // no bodies but through the briefing estimate, usually stay as they are.
        let same = bodies_only && {
            let agenda = &self.derived.agenda;
            agenda.holds_after_body_edits(&self.site.vault, &ids)
        };
        let agenda = (!same).then(|| Agenda::new(&self.site.vault));
        watch.lap("agenda");
        if let Some(agenda) = &agenda {
            self.lint = crate::check::lint(&self.site.vault, agenda);
        }
        watch.lap("lint");
        let diagnostics = self.diagnose();
        if diagnostics.has_errors() {
            return Some(Outcome {
                diagnostics: diagnostics.sorted(),
                result: Ok(None),
                rendered: 0,
            });
        }
        let changes = self.changes(agenda.as_ref(), &backlinks);
        watch.lap("compare");
        if let Some(agenda) = agenda {
            self.derived.agenda = agenda;
        }
        self.derived.backlinks = backlinks;
        Some(self.rewrite(&changes, diagnostics.sorted()))
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
            let source = load::read_note(&self.site.root, rel).ok()?;
            let mut diags = Vec::new();
            let note = note::read_note(source, &mut diags);
            if !Index::same_keys(&vault.notes[id], &note) {
                return None;
            }
            edited.push((id, note, diags));
        }
        Some(edited)
    }

    /// Renders the bodies of notes `ids` again. `false` when they now link to a
    /// different set of attachments, which changes the site's file list.
    fn rerender_bodies(&mut self, ids: &BTreeSet<NoteId>) -> bool {
        let vault = &self.site.vault;
        let mut same = true;
        for &id in ids {
            let body = render::markdown::render(vault, &self.site.files, id);
            same &= body.attachments == self.derived.bodies[id].attachments;
            self.derived.bodies[id] = body;
        }
        same
    }

    /// The diagnostics for the vault as it is now.
    fn diagnose(&self) -> Diagnostics {
        let mut diags = Diagnostics::default();
        diags.extend(self.loaded.iter().cloned());
        for b in &self.derived.bodies {
            diags.extend(b.diagnostics.iter().cloned());
        }
        diags.extend(self.lint.iter().cloned());
        diags.silence(&self.site.vault.settings.lint.off);
        diags
    }

    /// What differs between the written site's notes and the vault as it is now;
    /// `agenda` is `None` when it is the written site's.
    fn changes(&self, agenda: Option<&Agenda>, backlinks: &[Vec<NoteId>]) -> Changes {
        let n = self.site.vault.notes.len();
        let mut notes = vec![[false; 3]; n];
        for &id in &self.pending {
            let now = shown_note(&self.site, &self.derived, id);
            let was = self.shown[id];
            let link = now.name != was.name;
            notes[id][Aspect::Link as usize] = link;
            notes[id][Aspect::Card as usize] = link || now.front != was.front;
            notes[id][Aspect::Body as usize] = now.body != was.body;
        }
        for (id, flags) in notes.iter_mut().enumerate() {
            flags[Aspect::Card as usize] |= backlinks[id] != self.derived.backlinks[id];
        }
        let Some(new) = agenda else {
            return Changes {
                notes,
                due: false,
                touchpoints: false,
            };
        };
        let old = &self.derived.agenda;
        for (id, flags) in notes.iter_mut().enumerate() {
            flags[Aspect::Card as usize] |= facts_differ(old, new, id);
        }
        let (was, now) = (&old.question_uses, &new.question_uses);
        for key in was.keys().chain(now.keys()) {
            if was.get(key) != now.get(key) {
                notes[key.0][Aspect::Card as usize] = true;
            }
        }
        Changes {
            notes,
            due: old.due != new.due,
            touchpoints: old.touchpoints != new.touchpoints,
        }
    }

    /// Renders the pages that showed something that changed and writes those whose
    /// bytes differ.
    fn rewrite(&mut self, changes: &Changes, diagnostics: Vec<Diagnostic>) -> Outcome {
        let stale: Vec<usize> = (0..self.pages.len())
            .filter(|&i| changes.touches(&self.pages[i].deps))
            .collect();
        let pages: Vec<Page> = stale.iter().map(|&i| self.pages[i].page).collect();
        let inputs = self.derived.inputs(&self.site.vault);
        let mut watch = Stopwatch::start();
        let (rendered, errors) = render::pages(inputs, &self.theme, &pages, |f| f);
        if !errors.is_empty() {
            return Outcome {
                diagnostics: sorted([diagnostics, errors].concat()),
                result: Ok(None),
                rendered: 0,
            };
        }
        let mut files = Vec::new();
        let mut records = Vec::new();
        for (i, RenderedPage { file, deps, .. }) in stale.into_iter().zip(rendered) {
            let h = hash(&file);
            if h != self.pages[i].hash {
                files.push(file);
            }
            records.push((i, deps, h));
        }
        watch.lap("pages");
        let mut calendar_hash = self.calendar;
        if changes.calendar() {
            let calendar = crate::calendar::file(&self.site.vault, &self.derived.agenda);
            calendar_hash = hash(&calendar);
            if calendar_hash != self.calendar {
                files.push(calendar);
            }
            watch.lap("calendar");
        }
        let result = write::update_files(&self.site.output, &files);
        watch.lap("write");
        let result = match result {
            Ok(written) => {
                for (i, deps, h) in records {
                    self.pages[i].deps = deps;
                    self.pages[i].hash = h;
                }
                self.calendar = calendar_hash;
                for id in std::mem::take(&mut self.pending) {
                    self.shown[id] = shown_note(&self.site, &self.derived, id);
                }
                Ok(Some(Report {
                    written,
                    unchanged: self.file_count - written,
                    removed: 0,
                }))
            }
            Err(e) => Err(Fatal(e.to_string())),
        };
        Outcome {
            diagnostics,
            result,
            rendered: pages.len(),
        }
    }
}

/// Whether anything the agenda says about note `id` differs.
fn facts_differ(old: &Agenda, new: &Agenda, id: NoteId) -> bool {
    old.chats[id] != new.chats[id]
        || old.contacts[id] != new.contacts[id]
        || old.people[id] != new.people[id]
        || old.company_chats[id] != new.company_chats[id]
        || !old.due_for(id).eq(new.due_for(id))
        || !old.due_in(id).eq(new.due_in(id))
        || !old.touches_for(id).eq(new.touches_for(id))
}

fn shown_notes(site: &Site, derived: &Derived) -> Vec<Shown> {
    (0..site.vault.notes.len())
        .map(|id| shown_note(site, derived, id))
        .collect()
}

fn shown_note(site: &Site, derived: &Derived, id: NoteId) -> Shown {
    let note = &site.vault.notes[id];
    Shown {
        name: hash(&note.name),
        front: hash(note.source.front_text()),
        body: hash(&derived.bodies[id].html),
    }
}

fn hash(value: &(impl Hash + ?Sized)) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

fn sorted(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut all = Diagnostics::default();
    all.extend(diags);
    all.sorted()
}
