//! The record of a written site, kept so that the next build, in another process,
//! renders only the pages that can differ.
//!
//! Records are kept in the user's cache folder (`~/.cache/coffeechat/sites/` on Linux),
//! one per output folder, named by a hash of its path: not in the output, which then
//! holds only the site and its manifest, byte for byte the same from build to build.
//!
//! A session knows what each page of the site it wrote showed ([`Deps`]) and what
//! each note looked like then ([`Shown`]); that is what lets `watch` render only the
//! pages a save touched. Saved after each build, the same knowledge lets the next
//! `build` (or the first build of `watch` and `serve`) load and check the whole vault as
//! always, then compare it with the record instead of rendering every page. The output
//! is the same as a full build's: the comparison is the one every save in a session
//! goes through (see `tests/incremental.rs` and `tests/record.rs`).
//!
//! The record is used only when it describes the site on disk, and the same notes
//! would make the same pages ([`Key`]):
//! - it was saved with the manifest that is there now (a hash of its text), so the
//!   output holds the files it lists with the same bytes (a `watch` session that
//!   rebuilt leaves a record that no longer matches);
//! - the same program, vault folder, `today`, settings text, vault templates and static
//!   files, vault files besides notes, and attached files.
//!
//! Otherwise, or when it cannot be read, the build is a full one. A page whose file
//! was changed or removed since it was written is rendered again.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{AgendaNow, Live, Outcome, PageRecord, Shown, hash};
use crate::model::agenda::Agenda;
use crate::model::note::{Kind, NoteId};
use crate::model::renumber::{Renumber, Renumbering};
use crate::site::{Memos, Prepared, Site, Stopwatch};
use crate::write::{self, Manifest};

/// The record's layout: its [`Key`], a checksum of the rest, then the [`Record`]. What
/// keeps one program from reading another's layout is the program's identity in the
/// key; this number (and the version beside it) only makes a layout change show.
const FORMAT: u32 = 1;

/// What must be the same for the record to describe the pages the vault makes now.
#[derive(PartialEq, Serialize, Deserialize)]
struct Key {
    format: u32,
    version: Cow<'static, str>,
    /// The executable as a file ([`program`]): the built-in theme and all the
    /// rendering are in it.
    program: Vec<u128>,
    /// A hash of the manifest's text: it lists every file written, with its hash.
    manifest: Option<u64>,
    output: PathBuf,
    root: PathBuf,
    today: jiff::civil::Date,
    settings: u64,
    /// The vault's time zone's rules as the system has them.
    zone: u64,
    theme: u64,
    /// The vault's files besides notes, and those that notes attach.
    files: u64,
}

/// The written site: its notes in id order, and what [`Live`] compares with.
#[derive(Serialize, Deserialize)]
pub(super) struct Record<'a> {
    notes: Vec<(Cow<'a, Path>, Kind)>,
    shown: Cow<'a, [Option<Shown>]>,
    backlinks: Cow<'a, [Vec<NoteId>]>,
    agenda: Cow<'a, Agenda>,
    pages: Cow<'a, [PageRecord]>,
    calendar: Option<u64>,
    /// How many files the site has besides its pages, calendar.ics among them.
    others: usize,
}

/// The record in the folder `records` of the site in `site`'s output folder, if there
/// is one that describes the site there and the vault as loaded would make the same
/// pages from the same notes.
/// Returns it with the output's manifest, read once for both.
pub(super) fn read(
    records: &Path,
    site: &Site,
    prepared: &Prepared,
) -> Option<(Record<'static>, Manifest)> {
    let bytes = fs::read(file(records, &site.output)?).ok()?;
    let (key, rest) = postcard::take_from_bytes::<Key>(&bytes).ok()?;
    let manifest = Manifest::read(&site.output);
    let theme = prepared.theme.fingerprint;
    let now = Key::new(site, theme, &prepared.derived.bodies, manifest.digest())?;
    if key != now {
        return None;
    }
    // A record damaged on disk could decode into tables that do not fit together.
    let (sum, body) = rest.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*sum) != xxhash_rust::xxh3::xxh3_64(body) {
        return None;
    }
    Some((postcard::from_bytes(body).ok()?, manifest))
}

/// Saves the record of the site `live` has just written in the folder `records`. The
/// record is only a shortcut: when it cannot be saved, the next build is a full one.
pub(super) fn save(records: &Path, live: &Live) {
    let Some(path) = file(records, &live.site.output) else {
        return;
    };
    let on_disk = Manifest::digest_on_disk(&live.site.output);
    // Another build may have written the output since this session last did: then
    // what the session holds describes another site.
    if live
        .manifest
        .as_ref()
        .is_some_and(|m| m.digest() != on_disk)
    {
        return;
    }
    let key = Key::new(
        &live.site,
        live.theme.fingerprint,
        &live.derived.bodies,
        on_disk,
    );
    let record = Record {
        notes: live
            .site
            .vault
            .notes
            .iter()
            .map(|n| (Cow::Borrowed(n.source.rel.as_path()), n.kind))
            .collect(),
        shown: Cow::Borrowed(&live.shown),
        backlinks: Cow::Borrowed(&live.derived.backlinks),
        agenda: Cow::Borrowed(&live.derived.agenda),
        pages: Cow::Borrowed(&live.pages),
        calendar: live.calendar,
        others: live.others,
    };
    let saved = key.and_then(|key| {
        let mut bytes = postcard::to_stdvec(&key).ok()?;
        let body = postcard::to_stdvec(&record).ok()?;
        bytes.extend(xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
        bytes.extend(body);
        fs::create_dir_all(records).ok()?;
        write::atomic_write(&path, &bytes).ok()
    });
    if saved.is_none() {
        let _ = fs::remove_file(&path);
    }
}

/// The record's file for the output folder `output`, once that exists.
fn file(records: &Path, output: &Path) -> Option<PathBuf> {
    let output = output.canonicalize().ok()?;
    let name = xxhash_rust::xxh3::xxh3_64(output.as_os_str().as_encoded_bytes());
    Some(records.join(format!("{name:016x}")))
}

impl Key {
    /// The key for the vault as loaded, with `theme`'s fingerprint, the notes'
    /// rendered `bodies` and the hash of the output's `manifest`.
    fn new(
        site: &Site,
        theme: u64,
        bodies: &[crate::render::markdown::Body],
        manifest: Option<u64>,
    ) -> Option<Key> {
        let settings = site.source(Path::new(crate::model::settings::FILE_NAME));
        let attached: BTreeSet<&PathBuf> = bodies.iter().flat_map(|b| &b.attachments).collect();
        Some(Key {
            format: FORMAT,
            version: Cow::Borrowed(env!("CARGO_PKG_VERSION")),
            program: program()?,
            manifest,
            output: site.output.canonicalize().ok()?,
            root: site.root.canonicalize().ok()?,
            today: site.vault.today,
            settings: hash(&settings),
            zone: hash(&crate::calendar::zone_rules(&site.vault)),
            theme,
            files: hash(&(&site.files, attached)),
        })
    }
}

/// What tells this executable from another: its size and modification time and, on
/// Unix, its device, inode and change time, which copying a file over it with its
/// times kept (`cp -p`) still changes. Hashing its ~50 MB would cost every build
/// ~15 ms. `None` when it cannot be read (on Linux, once it was deleted or replaced
/// while running): then no record is read or saved.
fn program() -> Option<Vec<u128>> {
    let meta = fs::metadata(std::env::current_exe().ok()?).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    let mut id = vec![u128::from(meta.len()), modified.as_nanos()];
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        id.extend([u128::from(meta.dev()), u128::from(meta.ino())]);
        id.extend([meta.ctime() as u128, meta.ctime_nsec() as u128]);
    }
    Some(id)
}

/// Builds the site from the vault as `prepared` and the `record` of the site on disk:
/// renders the pages that showed something that changed, and those whose files are no
/// longer as written, as a session does after a save.
pub(super) fn resume(
    site: Site,
    prepared: Prepared,
    (record, manifest): (Record<'static>, Manifest),
) -> (Outcome, Result<Live, Site>) {
    let mut watch = Stopwatch::start();
    let r = renumbering(&site, &record);
    let listed = listed(&site, &record, &r);
    let Prepared {
        mut derived,
        lint,
        theme,
    } = prepared;
    let agenda = std::mem::replace(
        &mut derived.agenda,
        record.agenda.into_owned().renumbered(&r),
    );
    let mut old_backlinks = r.reindex(record.backlinks.into_owned());
    old_backlinks.renumber(&r);
    let backlinks = std::mem::replace(&mut derived.backlinks, old_backlinks);
    let diagnostics = site.diagnostics.clone().sorted();
    let n = site.vault.notes.len();
    let mut live = Live {
        lint,
        derived,
        theme,
        pages: record.pages.into_owned(),
        shown: r.reindex(record.shown.into_owned()),
        calendar: record.calendar,
        calendar_key: None,
        others: record.others,
        pending: (0..n).collect(),
        manifest: Some(manifest),
        rebuild: false,
        memos: Memos::default(),
        site,
    };
    watch.lap("adopt");
    // Checking the files on disk is mostly waiting on the file system: done beside.
    let (mut changes, damaged) = rayon::join(
        || live.changes(AgendaNow::New(&agenda), Some(&backlinks)),
        || live.damaged(),
    );
    watch.lap("changes");
    changes.listed = listed;
    live.derived.agenda = agenda;
    live.derived.backlinks = backlinks;
    let (mut stale, removed) = live.repage(&r, |deps| changes.touches(deps));
    watch.lap("repage");
    if !damaged.is_empty() {
        live.forget_written(&damaged, &mut stale);
    }
    let calendar = changes.calendar() || live.calendar.is_none();
    let site = &live.site;
    let static_and_attached: Vec<_> =
        crate::site::others(&site.root, &live.theme, &live.derived.bodies).collect();
    watch.lap("compare");
    let outcome = live.rewrite(stale, calendar, removed, static_and_attached, diagnostics);
    (outcome, Ok(live))
}

/// The record's note ids carried over to the vault's.
fn renumbering(site: &Site, record: &Record) -> Renumbering {
    let index = &site.vault.index;
    let to_new = record
        .notes
        .iter()
        .map(|(rel, _)| index.at_path(rel))
        .collect();
    Renumbering::new(to_new, site.vault.notes.len())
}

/// The kinds that gained or lost notes since the record.
fn listed(site: &Site, record: &Record, r: &Renumbering) -> Vec<Kind> {
    let notes = &site.vault.notes;
    let mut listed = BTreeSet::new();
    let mut kept = vec![false; notes.len()];
    for (old, (_, kind)) in record.notes.iter().enumerate() {
        match notes.get(r.id(old)) {
            Some(now) => {
                kept[r.id(old)] = true;
                if now.kind != *kind {
                    listed.extend([now.kind, *kind]);
                }
            }
            None => {
                listed.insert(*kind);
            }
        }
    }
    let added = notes.iter().zip(kept).filter(|(_, kept)| !kept);
    listed.extend(added.map(|(n, _)| n.kind));
    listed.into_iter().collect()
}

impl Live {
    /// Takes the files at `damaged` as not written, so that they are rendered and
    /// written again whatever the comparison says; adds their pages to `stale`.
    fn forget_written(&mut self, damaged: &BTreeSet<PathBuf>, stale: &mut Vec<usize>) {
        for (i, page) in self.pages.iter_mut().enumerate() {
            if damaged.contains(&page.path) {
                page.hash = None;
                stale.push(i);
            }
        }
        stale.sort_unstable();
        stale.dedup();
        if damaged.contains(Path::new(crate::calendar::FILE_NAME)) {
            self.calendar = None;
            self.calendar_key = None;
        }
    }

    /// The recorded pages, and calendar.ics, whose files are no longer as written.
    fn damaged(&self) -> BTreeSet<PathBuf> {
        let Some(manifest) = &self.manifest else {
            return BTreeSet::new();
        };
        let out = &self.site.output;
        let calendar = Path::new(crate::calendar::FILE_NAME);
        let paths: Vec<&Path> = self.pages.iter().map(|p| p.path.as_path()).collect();
        paths
            .into_par_iter()
            .chain([calendar])
            .filter(|rel| !manifest.intact(out, rel))
            .map(Path::to_path_buf)
            .collect()
    }
}
