//! The first two stages: [`Site::load`] walks, reads and types the vault (load →
//! model), [`Site::reload`] reads again only what a save changed, and [`Site::derive`]
//! renders the note bodies and works out the whole-vault tables the pages show.
//! [`crate::session`] runs them, then renders and writes the pages: every command that
//! reads a vault goes through it.

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

use rayon::prelude::*;

use crate::check;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::agenda::{Agenda, read_by_every_chat};
use crate::model::note::{Note, NoteId};
use crate::model::notes::NoteIds;
use crate::model::refs::{Index, Touched};
use crate::model::settings::{self, Settings};
use crate::model::{self, Vault};
use crate::render::markdown::{Body, Lookup};
use crate::render::view::{PageLink, page_links};
use crate::render::{self, Contents, Inputs, OutputFile, Theme};
use crate::stats::Stats;

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The vault folder.
    pub vault: PathBuf,
    /// Output folder; default: the settings' `output`, inside the vault.
    pub output: Option<PathBuf>,
    /// The date the build treats as today; default: today in the vault's time zone.
    pub today: Option<Date>,
    /// What a build does while another process writes to the output folder.
    pub waiting: crate::write::Waiting,
}

/// A loaded, typed vault with what loading found wrong in it.
pub(crate) struct Site {
    pub root: PathBuf,
    pub output: PathBuf,
    pub vault: Vault,
    /// Vault files that are not notes, which notes may link to.
    pub files: BTreeSet<PathBuf>,
    /// Whether the last walk followed a symbolic link (see [`load::Inventory`]).
    linked: bool,
    /// Whether the folder held a note or a settings file when it was loaded whole: a
    /// folder with neither is most likely not the one the user meant.
    pub is_vault: bool,
    /// What loading found, by where it came from.
    pub loaded: LoadDiagnostics,
    /// File texts by vault path, for diagnostics' snippets.
    pub sources: HashMap<PathBuf, Arc<str>>,
}

/// What loading found wrong, kept by origin so that a rebuild can replace only the
/// part it does again.
#[derive(Clone, Debug, Default)]
pub(crate) struct LoadDiagnostics {
    pub settings: Vec<Diagnostic>,
    /// Walking the vault and reading its files.
    pub files: Vec<Diagnostic>,
    /// Each note's front matter, by note id.
    pub notes: Vec<Vec<Diagnostic>>,
    /// Across notes: duplicate slugs and profiles, references that do not resolve.
    pub vault: Vec<Diagnostic>,
}

impl LoadDiagnostics {
    pub(crate) fn all(&self) -> impl Iterator<Item = &Diagnostic> {
        self.settings
            .iter()
            .chain(&self.files)
            .chain(self.notes.iter().flatten())
            .chain(&self.vault)
    }
}

/// Prints how long each stage took when `COFFEECHAT_TIMINGS` is set, for profiling
/// (BENCHMARKS.md shows where the time goes with it).
pub(crate) struct Stopwatch(Option<std::time::Instant>);

impl Stopwatch {
    pub(crate) fn start() -> Stopwatch {
        Stopwatch(std::env::var_os("COFFEECHAT_TIMINGS").map(|_| std::time::Instant::now()))
    }

    pub(crate) fn lap(&mut self, stage: &str) {
        if let Some(t) = self.0 {
            eprintln!(
                "timing: {stage:<8} {:>8.1} ms{}",
                t.elapsed().as_secs_f64() * 1000.0,
                memory().unwrap_or_default()
            );
            self.0 = Some(std::time::Instant::now());
        }
    }
}

/// Resident and peak memory so far, where `/proc` tells them (Linux).
fn memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: u64 = line[name.len()..]
            .trim()
            .trim_end_matches(" kB")
            .parse()
            .ok()?;
        Some(kb / 1024)
    };
    Some(format!(
        ", resident {} MB, peak {} MB",
        field("VmRSS:")?,
        field("VmHWM:")?
    ))
}

/// What the pages are made from besides the vault, each table made by one function:
/// see [`Site::derive`].
pub(crate) struct Derived {
    /// Each note's rendered body, by id (a removed note's is empty).
    pub bodies: Vec<Body>,
    /// For each note, the notes whose bodies link to it.
    pub backlinks: Vec<Vec<NoteId>>,
    pub agenda: Agenda,
    /// For each note, its page URL and link key.
    pub links: Vec<PageLink>,
    /// What the lint rules found, before the settings silence any.
    pub lint: check::Lint,
    /// Hashes of each note's card, by id.
    pub cards: Vec<CardHash>,
    /// The Progress page's figures, which the dashboard shows too; made from the whole
    /// vault, once per build.
    pub stats: Stats,
}

/// Hashes of what a note says: of its front matter alone, and of all that follows
/// from it.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CardHash {
    /// Its front matter as written and the notes its references found.
    pub front: u64,
    /// That, with its backlinks and all the agenda says about it.
    pub whole: u64,
}

impl Derived {
    pub(crate) fn inputs<'a>(&'a self, vault: &'a Vault) -> Inputs<'a> {
        Inputs {
            vault,
            agenda: &self.agenda,
            bodies: &self.bodies,
            backlinks: &self.backlinks,
            links: &self.links,
            stats: &self.stats,
        }
    }
}

/// What went wrong outside the vault's content: a refused or unwritable output folder.
#[derive(Debug)]
pub struct Fatal(pub String);

/// What a [`Site::reload`] changed.
pub(crate) struct Reloaded {
    /// The notes read again.
    pub(crate) read: Vec<NoteId>,
    /// The notes that changed: those read again, those removed, and those whose
    /// references find other notes now or whose names changed.
    pub(crate) changed: Vec<NoteId>,
    /// When the vault was indexed anew (notes were added, removed or renamed, or
    /// changed their names), the index keys they left or joined: a body link by one
    /// of them may find another note now.
    pub(crate) reindexed: Option<Touched>,
    /// Whether a changed note, as it was or is now, is one every chat reads.
    pub(crate) everywhere: bool,
}

impl Site {
    /// Walks, reads and types the vault. Problems in notes are collected, not fatal.
    /// Notes keep the ids that `ids`, given the output folder, has for their paths (a
    /// build record keeps them for the output folder it describes).
    pub(crate) fn load(opts: &Options, ids: impl FnOnce(&Path) -> NoteIds) -> Result<Site, Fatal> {
        let root = opts.vault.clone();
        if !root.is_dir() {
            return Err(Fatal(format!("{} is not a folder", root.display())));
        }
        let mut loaded = LoadDiagnostics::default();
        let (settings, settings_text) = Settings::load(&root, &mut loaded.settings);
        let output = opts
            .output
            .clone()
            .unwrap_or_else(|| root.join(&settings.output));
        let today = opts.today.unwrap_or_else(|| today_in(&settings));
        let mut watch = Stopwatch::start();
        let inventory = load::walk(&root, Some(&output));
        watch.lap("walk");
        let is_vault = !inventory.notes.is_empty()
            || root.join(settings::FILE_NAME).symlink_metadata().is_ok();
        loaded.files = inventory.diagnostics;
        let (sources, read_diags) = load::read_notes(&root, &inventory.notes);
        watch.lap("read");
        loaded.files.extend(read_diags);
        let mut texts: HashMap<PathBuf, Arc<str>> = sources
            .iter()
            .map(|s| (s.rel.clone(), s.text.clone()))
            .collect();
        if let Some(text) = settings_text {
            texts.insert(settings::FILE_NAME.into(), text.into());
        }
        let (notes, typing): (Vec<Note>, Vec<_>) =
            crate::model::type_notes(sources).into_iter().unzip();
        let rels: Vec<PathBuf> = notes.iter().map(|n| n.source.rel.clone()).collect();
        let (mut vault, vault_diags) = Vault::new(notes, settings, today, ids(&output));
        vault.drafts = crate::model::drafts::Templates::load(&root, &mut loaded.settings);
        loaded.notes = vec![Vec::new(); vault.notes.bound()];
        for (rel, diags) in rels.iter().zip(typing) {
            if let Some(id) = vault.index.at_path(rel) {
                loaded.notes[id] = diags;
            }
        }
        watch.lap("model");
        loaded.vault = vault_diags;
        Ok(Site {
            root,
            output,
            vault,
            files: inventory.files,
            linked: inventory.linked,
            is_vault,
            loaded,
            sources: texts,
        })
    }

    /// Reads again the files at `changed` (relative to the vault), which a save created,
    /// edited or deleted, and keeps every other note as typed. `None` when that takes a
    /// whole load: a changed file that is not a note (the settings, a template, an
    /// attachment), or a note that cannot be read; the site is then left as it was.
    pub(crate) fn reload(&mut self, changed: &[PathBuf]) -> Option<Reloaded> {
        let changed: BTreeSet<&Path> = changed.iter().map(PathBuf::as_path).collect();
        match self.read_edits(&changed) {
            Some(edits) => Some(self.edit(edits)),
            None => self.restructure(&changed),
        }
    }

    /// Reads the changed notes again. `None` when a changed path is not a note the
    /// vault has, the note is gone or unreadable, or it changed names, slug or kind.
    fn read_edits(
        &self,
        changed: &BTreeSet<&Path>,
    ) -> Option<Vec<(NoteId, Note, Vec<Diagnostic>)>> {
        let vault = &self.vault;
        let mut edited = Vec::new();
        for rel in changed {
            let id = vault.index.at_path(rel)?;
            let (note, diags) = read_note(&self.root, rel)?;
            if !Index::same_keys(&vault.notes[id], &note) {
                return None;
            }
            edited.push((id, note, diags));
        }
        Some(edited)
    }

    /// Puts edited notes that keep their names, slug and kind in place: no other note's
    /// references change, so the vault is not indexed again.
    fn edit(&mut self, edits: Vec<(NoteId, Note, Vec<Diagnostic>)>) -> Reloaded {
        let rels: BTreeSet<PathBuf> = edits.iter().map(|(_, n, _)| n.source.rel.clone()).collect();
        // Only what resolving the edited notes' references found is made again.
        self.loaded
            .vault
            .retain(|d| !rels.contains(&d.file) || model::KEY_RULES.contains(&d.rule));
        let mut read = Vec::with_capacity(edits.len());
        let everywhere = edits.iter().any(|(_, n, _)| read_by_every_chat(n.kind));
        for (id, note, diags) in edits {
            self.sources
                .insert(note.source.rel.clone(), note.source.text.clone());
            self.loaded.notes[id] = diags;
            let resolved = self.vault.replace(id, note);
            self.loaded.vault.extend(resolved);
            read.push(id);
        }
        Reloaded {
            changed: read.clone(),
            read,
            reindexed: None,
            everywhere,
        }
    }

    /// Takes out the notes a save removed, reads those it added or changed the names,
    /// slug or kind of, keeps the others as typed, and indexes the vault anew.
    fn restructure(&mut self, changed: &BTreeSet<&Path>) -> Option<Reloaded> {
        let moves = match self.saved_notes(changed) {
            Some(moves) => moves,
            None => self.walked(changed)?,
        };
        let vault = &self.vault;
        let known = moves
            .read
            .iter()
            .filter_map(|(n, _)| vault.index.at_path(&n.source.rel));
        let everywhere = (moves.gone.iter().copied().chain(known))
            .map(|id| vault.notes[id].kind)
            .chain(moves.read.iter().map(|(n, _)| n.kind))
            .any(read_by_every_chat);
        let mut redone: ahash::AHashSet<PathBuf> = ahash::AHashSet::default();
        for &id in &moves.gone {
            let rel = self.vault.notes[id].source.rel.clone();
            self.sources.remove(&rel);
            self.loaded.notes[id].clear();
            redone.insert(rel);
        }
        let (notes, typing): (Vec<Note>, Vec<_>) = moves.read.into_iter().unzip();
        for note in &notes {
            self.sources
                .insert(note.source.rel.clone(), note.source.text.clone());
        }
        let model::Restructured {
            diags: vault_diags,
            resolved,
            moved,
            touched,
        } = self.vault.restructure(&moves.gone, notes);
        let read = touched.read.clone();
        // A note read anew keeps none of its old problems, even one that, typed now as
        // a plain note (its front matter broken), has no references to resolve.
        let anew = read.iter().chain(&resolved);
        redone.extend(anew.map(|&id| self.vault.notes[id].source.rel.clone()));
        self.loaded
            .notes
            .resize_with(self.vault.notes.bound(), Vec::new);
        for (&id, diags) in read.iter().zip(typing) {
            self.loaded.notes[id] = diags;
        }
        (self.loaded.vault)
            .retain(|d| !redone.contains(&d.file) && !model::KEY_RULES.contains(&d.rule));
        self.loaded.vault.extend(vault_diags);
        match moves.walked {
            Some((diagnostics, linked)) => (self.loaded.files, self.linked) = (diagnostics, linked),
            // Every changed path was read or is gone: what an earlier load found wrong
            // with reading them (a note that could not be read then) is gone too.
            None => self
                .loaded
                .files
                .retain(|d| !changed.contains(d.file.as_path())),
        }
        let mut changed: Vec<NoteId> = read
            .iter()
            .chain(&moves.gone)
            .chain(&moved)
            .copied()
            .collect();
        changed.sort_unstable();
        changed.dedup();
        Some(Reloaded {
            read,
            changed,
            reindexed: Some(touched),
            everywhere,
        })
    }

    /// What a save of Markdown files alone changed, found without walking the vault:
    /// notes there now are read, notes no longer there are gone. `None` when a changed
    /// path is anything else, or a walk can reach a note by two paths.
    fn saved_notes(&self, changed: &BTreeSet<&Path>) -> Option<Moves> {
        if self.linked {
            return None;
        }
        let mut moves = Moves::default();
        for &rel in changed {
            let known = self.vault.index.at_path(rel);
            if load::lists_note(&self.root, &self.output, rel) {
                moves.read.push(read_note(&self.root, rel)?);
            } else if let Some(id) = known
                && self.root.join(rel).symlink_metadata().is_err()
            {
                moves.gone.push(id);
            } else {
                return None;
            }
        }
        Some(moves)
    }

    /// What changed, found by walking the vault again. `None` when a changed path is
    /// not a note or a folder that holds notes, the vault's other files changed, or a
    /// note cannot be read: that takes a whole load.
    fn walked(&self, changed: &BTreeSet<&Path>) -> Option<Moves> {
        let inventory = load::walk(&self.root, Some(&self.output));
        let old = &self.vault;
        let now: BTreeSet<&Path> = inventory.notes.iter().map(PathBuf::as_path).collect();
        let notes_only = changed.iter().all(|rel| {
            old.index.at_path(rel).is_some() || now.contains(rel) || holds_notes(rel, old, &now)
        });
        if inventory.files != self.files || !notes_only {
            return None;
        }
        let mut moves = Moves::default();
        for rel in &inventory.notes {
            if old.index.at_path(rel).is_none() || changed.contains(rel.as_path()) {
                moves.read.push(read_note(&self.root, rel)?);
            }
        }
        moves.gone = (old.notes.iter())
            .filter(|(_, n)| !now.contains(n.source.rel.as_path()))
            .map(|(id, _)| id)
            .collect();
        moves.walked = Some((inventory.diagnostics, inventory.linked));
        Some(moves)
    }

    /// Renders the note bodies and works out the tables the pages show, each by one
    /// function, from what was derived from the vault `before` a [`Site::reload`]: only
    /// the bodies that can differ are rendered again (those of the notes read again,
    /// those linking to a note whose name or page moved, and, when the vault was
    /// indexed anew, those whose links now find other notes), and only the touched
    /// notes' cards and lint made again. `None` when such a body now attaches other
    /// files, which changes the site's file list: load it whole.
    pub(crate) fn derive(&self, before: Derived, reloaded: &Reloaded) -> Option<Derived> {
        let mut watch = Stopwatch::start();
        let vault = &self.vault;
        let Derived {
            bodies,
            backlinks: backlinks_before,
            agenda,
            links,
            lint,
            cards: cards_before,
            stats: _,
        } = before;
        let agenda = (!reloaded.everywhere).then_some((agenda, &reloaded.changed[..]));
        let ((agenda, reached), made) = rayon::join(
            || Agenda::new(vault, agenda),
            || {
                let (links, moved) = relink(vault, links, reloaded);
                let bodies = self.rerender(bodies, reloaded, &moved)?;
                let backlinks = render::backlinks(vault, &bodies);
                Some((links, bodies, backlinks))
            },
        );
        let (links, bodies, backlinks) = made?;
        watch.lap("bodies");
        // The notes whose cards can differ: those read again, those the agenda says it
        // may say other things of, and those other bodies now link to differently.
        let touched: Vec<bool> = (0..vault.notes.bound())
            .map(|id| {
                reached.as_ref().is_none_or(|r| r[id])
                    || reloaded.read.contains(&id)
                    || backlinks_before.get(id) != Some(&backlinks[id])
            })
            .collect();
        let before = (lint, cards_before, &touched[..]);
        let derived = self.checked((bodies, backlinks, agenda, links), Some(before));
        watch.lap("lint");
        Some(derived)
    }

    /// Everything [`Site::derive`] makes, made whole.
    pub(crate) fn derive_whole(&self) -> Derived {
        let vault = &self.vault;
        // The agenda needs no bodies: made beside them, it takes the gaps in their
        // parallel work.
        let ((agenda, _), (links, bodies)) = rayon::join(
            || Agenda::new(vault, None),
            || (page_links(vault), render::bodies(vault, &self.files)),
        );
        let backlinks = render::backlinks(vault, &bodies);
        self.checked((bodies, backlinks, agenda, links), None)
    }

    /// The derived tables, with the lint findings and card hashes of each note (made
    /// whole, or from those `before`: findings, cards, and the notes `touched`, with
    /// only the touched notes' made again) and the vault's figures.
    fn checked(
        &self,
        (bodies, backlinks, agenda, links): (Vec<Body>, Vec<Vec<NoteId>>, Agenda, Vec<PageLink>),
        before: Option<(check::Lint, Vec<CardHash>, &[bool])>,
    ) -> Derived {
        let vault = &self.vault;
        let (lint, cards_before) = match before {
            Some((lint, cards, touched)) => (Some((lint, touched)), Some((cards, touched))),
            None => (None, None),
        };
        let ((lint, stats), cards) = rayon::join(
            || {
                rayon::join(
                    || check::lint(vault, &agenda, lint),
                    || Stats::new(vault, &agenda),
                )
            },
            || cards(vault, &backlinks, &agenda, cards_before),
        );
        Derived {
            bodies,
            backlinks,
            agenda,
            links,
            lint,
            cards,
            stats,
        }
    }

    /// `bodies` as they were before `reloaded`, with those that can differ rendered
    /// again: see [`Site::derive`]. `moved` are the notes whose name or page moved.
    fn rerender(
        &self,
        mut bodies: Vec<Body>,
        reloaded: &Reloaded,
        moved: &[NoteId],
    ) -> Option<Vec<Body>> {
        let vault = &self.vault;
        bodies.resize_with(vault.notes.bound(), Body::default);
        let looks_elsewhere = |body: &Body| {
            let Some(touched) = &reloaded.reindexed else {
                return false;
            };
            // A link that fit several notes names them all in its warning, and one that
            // found nothing suggests the closest name.
            let found_another = |(lookup, found): &(Lookup, Option<NoteId>)| {
                lookup.touched_by(touched) && (found.is_none() || lookup.find(vault) != *found)
            };
            body.lookups.iter().any(found_another)
                || body.missing.iter().any(|target| touched.near(target))
        };
        let redo: Vec<NoteId> = (0..bodies.len())
            .into_par_iter()
            .filter(|&id| {
                let body = &bodies[id];
                reloaded.read.contains(&id)
                    || body.embeds.iter().any(|e| reloaded.read.contains(e))
                    || body.links.iter().any(|l| moved.contains(l))
                    || looks_elsewhere(body)
                    || (vault.notes.get(id).is_none() && !body.html.is_empty())
            })
            .collect();
        let made: Vec<Body> = redo
            .par_iter()
            .map(|&id| match vault.notes.get(id) {
                Some(_) => render::markdown::render(vault, &self.files, id),
                None => Body::default(),
            })
            .collect();
        for (id, body) in redo.into_iter().zip(made) {
            if body.attachments != bodies[id].attachments {
                return None;
            }
            bodies[id] = body;
        }
        Some(bodies)
    }

    /// Everything found wrong in the vault: what loading found, what rendering the
    /// bodies found, and the lint rules, minus the rules the settings turn off.
    pub(crate) fn diagnose(&self, derived: &Derived) -> Diagnostics {
        let mut diags = Diagnostics::default();
        diags.extend(self.loaded.all().cloned());
        for b in &derived.bodies {
            diags.extend(b.diagnostics.iter().cloned());
        }
        diags.extend(derived.lint.iter().cloned());
        diags.silence(&self.vault.settings.lint.off);
        diags
    }

    /// The text of a vault file, for snippets.
    pub(crate) fn source(&self, rel: &Path) -> Option<&str> {
        self.sources.get(rel).map(|t| &**t)
    }
}

/// A hash of each note's card by id (see [`Derived::cards`]): made whole, or from
/// `before`, the cards as they were, with those of the notes `touched` made anew.
fn cards(
    vault: &Vault,
    backlinks: &[Vec<NoteId>],
    agenda: &Agenda,
    before: Option<(Vec<CardHash>, &[bool])>,
) -> Vec<CardHash> {
    let card = |id: NoteId| {
        let Some(note) = vault.notes.get(id) else {
            return CardHash::default();
        };
        let front = crate::memo::hash(&(note.source.front_text(), note.resolved()));
        let mut card = crate::memo::hasher();
        front.hash(&mut card);
        backlinks[id].hash(&mut card);
        agenda.hash_about(vault, id, &mut card);
        CardHash {
            front,
            whole: card.finish(),
        }
    };
    let all = 0..vault.notes.bound();
    match before {
        None => all.into_par_iter().map(card).collect(),
        Some((mut cards, touched)) => {
            cards.resize(vault.notes.bound(), CardHash::default());
            let redo: Vec<NoteId> = all.filter(|&id| touched[id]).collect();
            let made: Vec<CardHash> = redo.par_iter().map(|&id| card(id)).collect();
            for (id, card) in redo.into_iter().zip(made) {
                cards[id] = card;
            }
            cards
        }
    }
}

/// Every note's link by id, from `links` as they were before `reloaded`, with those of
/// the notes that changed made anew: another note's name and page stay as they were.
/// Returns them with the notes whose link moved.
fn relink(
    vault: &Vault,
    mut links: Vec<PageLink>,
    reloaded: &Reloaded,
) -> (Vec<PageLink>, Vec<NoteId>) {
    links.resize_with(vault.notes.bound(), PageLink::default);
    let mut moved = Vec::new();
    for &id in &reloaded.changed {
        let link = vault
            .notes
            .get(id)
            .map_or_else(PageLink::default, render::view::page_link);
        if link.key != links[id].key {
            moved.push(id);
        }
        links[id] = link;
    }
    (links, moved)
}

/// The notes a save removed and those it added or changed, read and typed, found by
/// [`Site::restructure`].
#[derive(Default)]
struct Moves {
    gone: Vec<NoteId>,
    read: Vec<(Note, Vec<Diagnostic>)>,
    /// What walking the vault again found wrong, and whether it followed a link, when
    /// it was walked.
    walked: Option<(Vec<Diagnostic>, bool)>,
}

/// Reads and types the note at `rel`; `None` when it is gone or unreadable.
fn read_note(root: &Path, rel: &Path) -> Option<(Note, Vec<Diagnostic>)> {
    let source = load::read_note(root, rel).ok()?;
    let mut diags = Vec::new();
    let note = crate::model::note::read_note(source, &mut diags);
    Some((note, diags))
}

/// Whether `rel` is a folder that holds or held notes: a folder created, removed or
/// renamed may be reported alone.
fn holds_notes(rel: &Path, old: &Vault, now: &BTreeSet<&Path>) -> bool {
    let below = |p: &Path| p.starts_with(rel) && p != rel;
    now.iter().any(|p| below(p)) || old.notes.values().any(|n| below(&n.source.rel))
}

/// The files that are neither pages nor calendar.ics: the theme's static files, then
/// the files that note bodies link to, copied under `files/` with their vault path.
pub(crate) fn others<'a>(
    root: &'a Path,
    theme: &'a Theme,
    bodies: &'a [Body],
) -> impl Iterator<Item = OutputFile> + 'a {
    let used: BTreeSet<&PathBuf> = bodies.iter().flat_map(|b| &b.attachments).collect();
    let attachments = used.into_iter().map(|rel| OutputFile {
        path: Path::new(render::markdown::FILES_DIR).join(rel),
        contents: Contents::Copy(root.join(rel)),
    });
    theme.static_files.iter().cloned().chain(attachments)
}

/// Today in the vault's time zone, else the system's.
pub(crate) fn today_in(settings: &Settings) -> Date {
    let tz = settings
        .timezone
        .as_deref()
        .and_then(|name| jiff::tz::TimeZone::get(name).ok())
        .unwrap_or_else(jiff::tz::TimeZone::system);
    jiff::Timestamp::now().to_zoned(tz).date()
}
