//! Rebuilding after notes were added, removed or renamed, or changed their names,
//! slug or kind.
//!
//! The vault is walked again; only new and changed notes are read, the others are
//! kept as typed. The vault is then indexed and its references resolved anew, which is
//! cheap next to reading and rendering. A note's id is its place in path order, so the
//! ids of the written site are carried over to the new ones ([`Renumbering`]) before
//! its bodies, agenda, backlinks and pages are compared with the vault as it is now.

use std::collections::{BTreeSet, HashMap};
use std::mem;
use std::path::{Path, PathBuf};

use super::{AgendaNow, Live, Outcome, PageRecord, read_note};
use crate::diag::Diagnostic;
use crate::load;
use crate::model::Vault;
use crate::model::agenda::Agenda;
use crate::model::note::{Kind, Note, NoteId};
use crate::model::renumber::{GONE, Renumber, Renumbering};
use crate::render::markdown::Lookup;
use crate::render::{self, Page};
use crate::site::Stopwatch;
use rayon::prelude::*;

/// The vault after the change, before it replaces the live one.
struct Walked {
    /// The notes in path order.
    notes: Vec<Walk>,
    /// For each old note, its new id, if it is still there.
    to_new: Vec<Option<NoteId>>,
    /// New ids of the notes read again: added or changed.
    read: Vec<NoteId>,
    /// Kinds that gained or lost notes.
    listed: BTreeSet<Kind>,
    walk: Vec<Diagnostic>,
}

/// A note of the walked vault.
enum Walk {
    /// Kept as it was, with this old id.
    Kept(NoteId),
    /// Read again, with the problems found typing it.
    Read(Box<Note>, Vec<Diagnostic>),
}

/// Applies a change that adds, removes or renames notes. `None` when it needs a full
/// build: a changed path that is not a note (settings, templates, attachments), a
/// note that cannot be read, or bodies that now link to other attachments.
pub(super) fn apply(live: &mut Live, changed: &[PathBuf]) -> Option<Outcome> {
    let mut watch = Stopwatch::start();
    let walked = walk(live, changed)?;
    watch.lap("walk");
    let read = walked.read.clone();
    let listed: Vec<Kind> = walked.listed.iter().copied().collect();
    let r = live.adopt(walked);
    watch.lap("model");
    let renamed = live.renamed();
    let mut redo = live.bodies_to_redo(&read, &renamed);
    // A body rendered in a save with errors may show a name that has changed since.
    redo.extend(live.pending.iter().copied());
    live.rerender_bodies(&redo)?;
    watch.lap("bodies");
    live.pending.extend(redo);
    live.pending.extend(read);
    live.pending.extend(renamed);
    let refound = live.refound();
    live.pending.extend(refound);
    let backlinks = render::backlinks(&live.derived.bodies);
    let agenda = Agenda::new(&live.site.vault);
    live.lint = crate::check::lint(&live.site.vault, &agenda);
    watch.lap("agenda");
    let diagnostics = live.diagnose();
    if diagnostics.has_errors() {
        // The written site's pages are in the old ids; start again from a full build.
        live.rebuild = true;
        return Some(Outcome::failed(diagnostics.sorted()));
    }
    let mut changes = live.changes(AgendaNow::New(&agenda), Some(&backlinks));
    changes.listed = listed;
    live.derived.agenda = agenda;
    live.derived.backlinks = backlinks;
    let (stale, removed) = live.repage(&r, |deps| changes.touches(deps));
    watch.lap("compare");
    let calendar = changes.calendar();
    Some(live.rewrite(stale, calendar, removed, Vec::new(), diagnostics.sorted()))
}

/// Walks the vault and reads what changed. Nothing of the live site is touched, so a
/// `None` (full build) leaves it whole.
fn walk(live: &Live, changed: &[PathBuf]) -> Option<Walked> {
    let site = &live.site;
    let inventory = load::walk(&site.root, Some(&site.output));
    if inventory.files != site.files {
        return None;
    }
    let old = &site.vault;
    let now: BTreeSet<&Path> = inventory.notes.iter().map(PathBuf::as_path).collect();
    let notes_only = changed.iter().all(|rel| {
        let had = |p: &Path| old.index.at_path(p).is_some() || now.contains(p);
        had(rel) || holds_notes(rel, old, &now)
    });
    if !notes_only {
        return None;
    }
    let changed: BTreeSet<&Path> = changed.iter().map(PathBuf::as_path).collect();
    let mut walked = Walked {
        notes: Vec::with_capacity(inventory.notes.len()),
        to_new: vec![None; old.notes.len()],
        read: Vec::new(),
        listed: BTreeSet::new(),
        walk: inventory.diagnostics,
    };
    for rel in &inventory.notes {
        let id = walked.notes.len();
        let was = old.index.at_path(rel);
        if let Some(was) = was {
            walked.to_new[was] = Some(id);
        }
        let walk = match was {
            Some(was) if !changed.contains(rel.as_path()) => Walk::Kept(was),
            _ => {
                let (note, typing) = read_note(&site.root, rel)?;
                if was.is_none_or(|was| old.notes[was].kind != note.kind) {
                    walked.listed.insert(note.kind);
                    walked.listed.extend(was.map(|was| old.notes[was].kind));
                }
                walked.read.push(id);
                Walk::Read(Box::new(note), typing)
            }
        };
        walked.notes.push(walk);
    }
    let gone = walked
        .to_new
        .iter()
        .enumerate()
        .filter(|(_, to)| to.is_none());
    walked
        .listed
        .extend(gone.map(|(was, _)| old.notes[was].kind));
    Some(walked)
}

/// Whether `rel` is a folder that holds or held notes: a folder created, removed or
/// renamed may be reported alone.
fn holds_notes(rel: &Path, old: &Vault, now: &BTreeSet<&Path>) -> bool {
    let below = |p: &Path| p.starts_with(rel) && p != rel;
    now.iter().any(|p| below(p)) || old.notes.iter().any(|n| below(&n.source.rel))
}

impl Live {
    /// Puts the walked vault in place and carries the written site's per-note state over
    /// to its ids: bodies (the old ones, until rendered again), shown hashes, pending
    /// edits, and the agenda and backlinks the pages were rendered from.
    fn adopt(&mut self, walked: Walked) -> Renumbering {
        let r = Renumbering::new(walked.to_new, walked.notes.len());
        let mut old: Vec<Option<Note>> = mem::take(&mut self.site.vault.notes)
            .into_iter()
            .map(Some)
            .collect();
        let mut typed = mem::take(&mut self.site.loaded.notes);
        let sources = &mut self.site.sources;
        let mut notes = Vec::with_capacity(r.new_len());
        let mut typing = Vec::with_capacity(r.new_len());
        for walk in walked.notes {
            let (note, diags) = match walk {
                Walk::Kept(was) => (old[was].take(), mem::take(&mut typed[was])),
                Walk::Read(note, diags) => {
                    sources.insert(note.source.rel.clone(), note.source.text.clone());
                    (Some(*note), diags)
                }
            };
            notes.extend(note);
            typing.push(diags);
        }
        // A note read again at its old path has its new text in already.
        for (was, note) in old.into_iter().enumerate() {
            if let Some(note) = note.filter(|_| r.id(was) == GONE) {
                sources.remove(&note.source.rel);
            }
        }
        let settings = self.site.vault.settings.clone();
        let (vault, vault_diags) = Vault::new(notes, settings, self.site.vault.today);
        self.site.vault = vault;
        self.site.loaded.files = walked.walk;
        self.site.loaded.notes = typing;
        self.site.loaded.vault = vault_diags;
        let derived = &mut self.derived;
        derived.bodies = r.reindex(mem::take(&mut derived.bodies));
        derived.bodies.renumber(&r);
        derived.backlinks = r.reindex(mem::take(&mut derived.backlinks));
        derived.backlinks.renumber(&r);
        derived.agenda = mem::take(&mut derived.agenda).renumbered(&r);
        derived.links = render::view::page_links(&self.site.vault);
        self.shown = r.reindex(mem::take(&mut self.shown));
        let pending = mem::take(&mut self.pending);
        self.pending = pending
            .into_iter()
            .map(|id| r.id(id))
            .filter(|&id| id < r.new_len())
            .collect();
        r
    }

    /// The notes kept as they were whose name or page moved: a chat without a title is
    /// named after its contact.
    fn renamed(&self) -> Vec<NoteId> {
        (0..self.shown.len())
            .filter(|&id| {
                // Only the link: hashing every body here would cost more than the rest.
                let now = self.derived.links[id].key;
                self.shown[id].is_some_and(|was| was.link != now)
            })
            .collect()
    }

    /// The notes kept as they were whose references now find other notes: names and
    /// aliases moved.
    fn refound(&self) -> Vec<NoteId> {
        (0..self.shown.len())
            .into_par_iter()
            .filter(|&id| {
                let now = super::front_hash(&self.site, id);
                self.shown[id].is_some_and(|was| was.front != now)
            })
            .collect()
    }

    /// The bodies to render again: those of notes read again, those whose links now
    /// find other notes, those with links that found nothing (their hints name the
    /// closest notes), and those that link to a note in `renamed`.
    fn bodies_to_redo(&self, read: &[NoteId], renamed: &[NoteId]) -> BTreeSet<NoteId> {
        let vault = &self.site.vault;
        let bodies = &self.derived.bodies;
        let mut redo: BTreeSet<NoteId> = read.iter().copied().collect();
        let looks_elsewhere = |id: &NoteId| {
            bodies[*id].lookups.iter().any(|(lookup, found)| {
                let unnamed = found.is_none() && matches!(lookup, Lookup::Name(_));
                unnamed || lookup.find(vault) != *found
            })
        };
        redo.extend((0..bodies.len()).filter(looks_elsewhere));
        redo.extend(self.linking_to(renamed));
        redo
    }

    /// Lays the written pages out for the new vault: pages of removed notes, or that
    /// moved, go; new ones are added, not yet written. Returns the pages to render (the
    /// new ones and those `stale` says can differ) and the files to remove.
    pub(super) fn repage(
        &mut self,
        r: &Renumbering,
        stale: impl Fn(&crate::render::Deps) -> bool,
    ) -> (Vec<usize>, Vec<PathBuf>) {
        // Pages of removed notes all renumber to the same GONE page: keep their paths
        // apart, as candidates for removal like those of pages that moved.
        let mut written: HashMap<Page, PageRecord> = HashMap::new();
        let mut left = Vec::new();
        for mut record in mem::take(&mut self.pages) {
            record.page.renumber(r);
            record.deps.renumber(r);
            match record.page {
                Page::Note(GONE) | Page::QuestionList(GONE) => left.push(record.path),
                page => {
                    written.insert(page, record);
                }
            }
        }
        let vault = &self.site.vault;
        let mut render = Vec::new();
        for page in render::pages::all(vault) {
            let path = page.path(vault);
            let record = match written.remove(&page) {
                Some(record) if record.path == path => record,
                moved => {
                    left.extend(moved.map(|record| record.path));
                    PageRecord {
                        page,
                        path,
                        deps: Default::default(),
                        hash: None,
                    }
                }
            };
            if record.hash.is_none() || stale(&record.deps) {
                render.push(self.pages.len());
            }
            self.pages.push(record);
        }
        left.extend(written.into_values().map(|record| record.path));
        if left.is_empty() {
            return (render, left);
        }
        let kept: BTreeSet<&PathBuf> = self.pages.iter().map(|p| &p.path).collect();
        left.retain(|path| !kept.contains(path));
        (render, left)
    }
}
