//! Watching a vault for saves, for `watch` and `serve`.
//!
//! A [`VaultWatcher`] turns file-system events (notify, debounced by
//! notify-debouncer-full) into [`Batch`]es of vault-relative paths that can change the
//! site. What cannot is dropped by [`ignored`]: the output folder, hidden files and
//! folders, and the temporary and backup files editors write while saving.
//!
//! The vault's root is watched on its own and each visible top-level folder
//! recursively, so hidden folders such as `.git` and an output folder at the top of the
//! vault are not watched at all: no inotify watches are spent on them, and `--poll`
//! never reads them. New top-level folders are picked up as they appear.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::event::{
    AccessKind, AccessMode, CreateKind, EventKind, MetadataKind, ModifyKind, RemoveKind, RenameMode,
};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

/// How long the debouncer waits for a burst of events to settle.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// How often `--poll` looks at every file.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// What changed in the vault since the last batch.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Vault-relative paths that were created, changed, removed or renamed (both ends
    /// of a rename), sorted and without duplicates. A path that no longer exists may
    /// have been a folder: then everything under it is gone. The files of a folder
    /// that appeared are listed one by one.
    pub paths: Vec<PathBuf>,
    /// The watcher may have missed changes (a folder was removed or renamed, or the
    /// operating system dropped events): anything in the vault may have changed.
    pub rescan: bool,
    /// Problems the watcher reported, for the user; watching goes on.
    pub errors: Vec<String>,
}

impl Batch {
    /// Whether the batch asks for a rebuild.
    pub fn needs_build(&self) -> bool {
        self.rescan || !self.paths.is_empty()
    }

    fn add(&mut self, rel: PathBuf) {
        self.paths.push(rel);
    }

    fn finish(&mut self) {
        self.paths.sort();
        self.paths.dedup();
    }
}

/// How the watcher learns about changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The operating system's events (inotify, FSEvents, ReadDirectoryChangesW).
    Events,
    /// Looks at every file's time and contents every [`POLL_INTERVAL`]; for file
    /// systems that send no events (network drives, WSL's view of Windows folders).
    Poll,
}

/// Why the vault cannot be watched.
#[derive(Debug)]
pub struct WatchError(pub String);

impl fmt::Display for WatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

enum Inner {
    Events(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Inner {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Inner::Events(d) => d.watch(path, mode),
            Inner::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match self {
            Inner::Events(d) => d.unwatch(path),
            Inner::Poll(d) => d.unwatch(path),
        };
    }
}

/// A running watch of one vault. Dropping it stops watching.
pub struct VaultWatcher {
    /// The vault, canonical: events name paths under it.
    root: PathBuf,
    /// The output folder relative to the vault, when it is inside it.
    output: Option<PathBuf>,
    /// Top-level folders watched recursively, by name.
    watched: BTreeSet<OsString>,
    events: Receiver<DebounceEventResult>,
    inner: Inner,
}

impl VaultWatcher {
    /// Starts watching `vault`. Changes made from now on show up in [`Self::next`].
    pub fn new(vault: &Path, mode: Mode) -> Result<VaultWatcher, WatchError> {
        let root = vault
            .canonicalize()
            .map_err(|e| WatchError(format!("cannot watch {}: {e}", vault.display())))?;
        let (tx, events) = channel();
        let failed = |e: notify::Error| WatchError(describe(&e, vault));
        let inner = match mode {
            Mode::Events => Inner::Events(
                new_debouncer_opt(
                    DEBOUNCE,
                    None,
                    tx,
                    RecommendedCache::new(),
                    notify::Config::default(),
                )
                .map_err(failed)?,
            ),
            Mode::Poll => Inner::Poll(
                new_debouncer_opt(
                    DEBOUNCE,
                    None,
                    tx,
                    NoCache::new(),
                    // Modification times are compared in whole seconds; the contents
                    // catch a second save within the same second.
                    notify::Config::default()
                        .with_poll_interval(POLL_INTERVAL)
                        .with_compare_contents(true),
                )
                .map_err(failed)?,
            ),
        };
        let mut watcher = VaultWatcher {
            root,
            output: None,
            watched: BTreeSet::new(),
            events,
            inner,
        };
        let root = watcher.root.clone();
        watcher
            .inner
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(failed)?;
        let entries = std::fs::read_dir(&root)
            .map_err(|e| WatchError(format!("cannot watch {}: {e}", vault.display())))?;
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                watcher
                    .watch_top(&entry.file_name())
                    .map_err(|e| WatchError(describe(&e, vault)))?;
            }
        }
        Ok(watcher)
    }

    /// The canonical vault folder that event paths are relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Tells the watcher where the site is written, so that changes there are ignored.
    /// Call it after each build: the vault's settings can move the output folder.
    pub fn set_output(&mut self, output: &Path) {
        let abs = output
            .canonicalize()
            .unwrap_or_else(|_| std::path::absolute(output).unwrap_or(output.to_path_buf()));
        self.output = abs.strip_prefix(&self.root).ok().map(Path::to_path_buf);
        if let Some(out) = self.output.clone()
            && let [Component::Normal(top)] = out.components().collect::<Vec<_>>()[..]
            && self.watched.remove(top)
        {
            self.inner.unwatch(&self.root.join(top));
        }
    }

    /// Waits up to `timeout` for changes; `None` when nothing that matters changed.
    /// Everything that arrived by the time the first event did is merged into one batch.
    pub fn next(&mut self, timeout: Duration) -> Option<Batch> {
        let first = match self.events.recv_timeout(timeout) {
            Ok(r) => r,
            Err(RecvTimeoutError::Timeout) => return None,
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(timeout);
                return None;
            }
        };
        let mut batch = Batch::default();
        self.absorb(first, &mut batch);
        while let Ok(more) = self.events.try_recv() {
            self.absorb(more, &mut batch);
        }
        batch.finish();
        (batch.needs_build() || !batch.errors.is_empty()).then_some(batch)
    }

    fn absorb(&mut self, result: DebounceEventResult, batch: &mut Batch) {
        let events = match result {
            Ok(events) => events,
            Err(errors) => {
                for e in errors {
                    batch.errors.push(describe(&e, &self.root));
                }
                return;
            }
        };
        let changes = changes(&events, &self.root, self.output.as_deref());
        batch.rescan |= changes.rescan;
        // Keep the set of watched top-level folders in step with the vault.
        for top in changes.tops {
            let path = self.root.join(&top);
            if path.is_dir() {
                if let Err(e) = self.watch_top(&top) {
                    batch.errors.push(describe(&e, &self.root));
                }
            } else if self.watched.remove(&top) {
                self.inner.unwatch(&path);
            }
        }
        for rel in changes.paths {
            let path = self.root.join(&rel);
            if path.is_dir() {
                // A folder that appeared (created, or moved in): its files, which may
                // have been written before the watch on it was in place.
                list_files(&self.root, &rel, self.output.as_deref(), batch);
            } else {
                batch.add(rel);
            }
        }
    }

    fn watch_top(&mut self, name: &std::ffi::OsStr) -> notify::Result<()> {
        let rel = Path::new(name);
        if self.watched.contains(name) || ignored(rel, self.output.as_deref()) {
            return Ok(());
        }
        self.inner
            .watch(&self.root.join(name), RecursiveMode::Recursive)?;
        self.watched.insert(name.to_os_string());
        Ok(())
    }
}

/// What a run of debounced events says, before looking at the disk.
#[derive(Debug, Default, PartialEq, Eq)]
struct Changes {
    /// Vault-relative paths that are not ignored.
    paths: Vec<PathBuf>,
    rescan: bool,
    /// Top-level folder names that were created, removed or renamed.
    tops: Vec<OsString>,
}

/// Sorts events into vault-relative paths, dropping what [`ignored`] says cannot matter.
fn changes(events: &[DebouncedEvent], root: &Path, output: Option<&Path>) -> Changes {
    let mut out = Changes::default();
    for event in events {
        if event.need_rescan() {
            out.rescan = true;
        }
        if !changes_contents(&event.kind) {
            continue;
        }
        let folder_gone = match event.kind {
            EventKind::Remove(RemoveKind::Folder) => true,
            // A rename's first path is gone; if it was a folder, so are its files.
            EventKind::Modify(ModifyKind::Name(RenameMode::Both | RenameMode::From)) => true,
            EventKind::Remove(RemoveKind::Any | RemoveKind::Other) => true,
            _ => false,
        };
        // Events that can add or remove a top-level folder.
        let structural = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        for path in &event.paths {
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let mut comps = rel.components();
            if let (Some(Component::Normal(top)), None) = (comps.next(), comps.next())
                && structural
            {
                out.tops.push(top.to_os_string());
            }
            let folder = matches!(
                event.kind,
                EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder)
            );
            if folder && ignored_folder(rel, output) || !folder && ignored(rel, output) {
                continue;
            }
            // A removed or renamed-away folder takes its files with it, unlisted.
            if folder_gone && might_be_folder(&event.kind, rel) {
                out.rescan = true;
            }
            out.paths.push(rel.to_path_buf());
        }
    }
    out
}

/// Whether an event can mean new contents. Reading a file (which every build does)
/// is not a change, nor is a new access time.
fn changes_contents(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// Whether a path that is gone may have been a folder.
fn might_be_folder(kind: &EventKind, rel: &Path) -> bool {
    match kind {
        EventKind::Remove(RemoveKind::Folder) => true,
        EventKind::Remove(RemoveKind::File) => false,
        // The back end did not say; notes and attachments have extensions.
        _ => rel.extension().is_none(),
    }
}

/// Adds every file under the vault-relative folder `dir` that is not ignored.
fn list_files(root: &Path, dir: &Path, output: Option<&Path>, batch: &mut Batch) {
    let walk = walkdir::WalkDir::new(root.join(dir))
        .into_iter()
        .filter_entry(|e| {
            e.path().strip_prefix(root).is_ok_and(|rel| {
                if e.file_type().is_dir() {
                    !ignored_folder(rel, output)
                } else {
                    !ignored(rel, output)
                }
            })
        });
    for entry in walk.flatten() {
        if !entry.file_type().is_dir()
            && let Ok(rel) = entry.path().strip_prefix(root)
        {
            batch.add(rel.to_path_buf());
        }
    }
}

/// Whether a change at `rel` (relative to the vault) cannot change the site: it is
/// the vault itself, inside the output folder `output` (relative to the vault) or a
/// folder holding it, hidden (any component starting with `.`), or a file editors
/// write while saving:
///
/// - vim: `4913` and other all-digit names (its test that the folder is writable),
///   `*.swp`, `*.swo`… swap files, `*~` backups;
/// - Emacs: `#*#` auto-saves, `.#*` lock links, `*~` backups;
/// - JetBrains IDEs' safe write: `*___jb_tmp___`, `*___jb_old___`;
/// - VS Code's atomic writes: `*.vsctmp`; Kate: `*.kate-swp`; Chromium's file system
///   access (web editors): `*.crswap`; Microsoft Office's locks: `~$*`;
/// - generic temporary files: `*.tmp`.
pub fn ignored(rel: &Path, output: Option<&Path>) -> bool {
    if ignored_folder(rel, output) {
        return true;
    }
    let Some(name) = rel.file_name() else {
        return true;
    };
    editor_temp(&name.to_string_lossy().to_lowercase())
}

/// Whether a folder at `rel` cannot hold notes: the vault itself, the output folder
/// or a folder holding it, or a hidden folder. Editors' temporary names do not apply:
/// a folder called `2026` is not vim's `4913`.
fn ignored_folder(rel: &Path, output: Option<&Path>) -> bool {
    if rel.as_os_str().is_empty() {
        return true;
    }
    if let Some(out) = output
        && !out.as_os_str().is_empty()
        && (rel.starts_with(out) || out.starts_with(rel))
    {
        return true;
    }
    let mut names = rel.components().map(|c| match c {
        Component::Normal(n) => n.to_string_lossy(),
        _ => ".".into(),
    });
    names.any(|n| n.starts_with('.'))
}

/// Whether a file name (lower-cased) is one editors write while saving.
fn editor_temp(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e);
    name.bytes().all(|b| b.is_ascii_digit())
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with("~$")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || ext.is_some_and(|e| {
            matches!(e, "tmp" | "vsctmp" | "kate-swp" | "crswap" | "swx")
                || (e.len() == 3
                    && e.starts_with("sw")
                    && e.as_bytes()[2].is_ascii_lowercase()
                    && e.as_bytes()[2] <= b'p')
        })
}

/// A notify error in words, with what to do about the common ones.
fn describe(e: &notify::Error, vault: &Path) -> String {
    match e.kind {
        notify::ErrorKind::MaxFilesWatch => format!(
            "cannot watch every folder of {}: the system's limit on watched folders is \
             reached; raise it (sysctl fs.inotify.max_user_watches) or use --poll",
            vault.display()
        ),
        _ => {
            let paths: Vec<String> = e.paths.iter().map(|p| p.display().to_string()).collect();
            if paths.is_empty() {
                format!("watching {}: {e}", vault.display())
            } else {
                format!("watching {}: {e}", paths.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::Event;
    use notify::event::CreateKind;
    use std::time::Instant;

    fn ig(rel: &str) -> bool {
        ignored(Path::new(rel), Some(Path::new("public")))
    }

    #[test]
    fn notes_and_vault_files_count() {
        for rel in [
            "me.md",
            "coffeechat.yaml",
            "contacts/ada-lovelace.md",
            "notes/2026.md",
            "notes/img/photo.png",
            "templates/base.html",
            "static/style.css",
            "themes/dark/templates/contact.html",
            "publications/x.md",
            "public.md",
            "notes/swap.md",
            "notes/a.sw",
            "notes/backup~notes.md",
        ] {
            assert!(!ig(rel), "{rel} should count");
        }
    }

    #[test]
    fn output_hidden_and_editor_files_are_ignored() {
        for rel in [
            "",
            "public",
            "public/index.html",
            "public/.coffeechat-manifest",
            ".git/index",
            ".obsidian/workspace.json",
            "notes/.foo/a.md",
            ".hidden.md",
            "contacts/.ada.md.swp",
            "4913",
            "contacts/5036",
            "contacts/ada.md~",
            "contacts/ada.md.swp",
            "contacts/ada.md.SWO",
            "contacts/ada.md.swx",
            "contacts/.#ada.md",
            "contacts/#ada.md#",
            "contacts/ada.md___jb_tmp___",
            "contacts/ada.md___jb_old___",
            "contacts/ada.md.tmp",
            "contacts/.ada.md.tmp",
            "contacts/ada.md.vsctmp",
            "contacts/ada.md.kate-swp",
            "contacts/ada.md.crswap",
            "notes/~$report.docx",
        ] {
            assert!(ig(rel), "{rel} should be ignored");
        }
    }

    #[test]
    fn nested_output_and_its_parents_are_ignored() {
        let out = Some(Path::new("build/site"));
        assert!(ignored(Path::new("build/site/index.html"), out));
        assert!(ignored(Path::new("build"), out));
        assert!(!ignored(Path::new("build/notes.md"), out));
        assert!(!ignored(Path::new("public/index.html"), out));
        assert!(!ignored(Path::new("public/index.html"), None));
    }

    fn ev(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(Path::new("/v").join(p));
        }
        DebouncedEvent::new(e, Instant::now())
    }

    fn paths(c: &Changes) -> Vec<&str> {
        c.paths.iter().map(|p| p.to_str().unwrap()).collect()
    }

    #[test]
    fn a_folder_named_like_a_year_is_not_a_temporary_file() {
        let events = [
            ev(EventKind::Create(CreateKind::Folder), &["interviews/2026"]),
            ev(EventKind::Create(CreateKind::File), &["interviews/4913"]),
        ];
        let c = changes(&events, Path::new("/v"), None);
        assert_eq!(paths(&c), ["interviews/2026"]);
        let tmp = tempfile::TempDir::new().unwrap();
        std::fs::create_dir_all(tmp.path().join("interviews/2026")).unwrap();
        std::fs::write(tmp.path().join("interviews/2026/ada.md"), "").unwrap();
        let mut batch = Batch::default();
        list_files(tmp.path(), Path::new("interviews"), None, &mut batch);
        assert_eq!(batch.paths, [Path::new("interviews/2026/ada.md")]);
    }

    #[test]
    fn a_vim_save_by_rename_is_the_note() {
        // vim: rename the note to its backup, write the note anew, delete the backup.
        let events = [
            ev(EventKind::Create(CreateKind::File), &["contacts/4913"]),
            ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["contacts/ada.md", "contacts/ada.md~"],
            ),
            ev(EventKind::Create(CreateKind::File), &["contacts/ada.md"]),
            ev(EventKind::Remove(RemoveKind::File), &["contacts/ada.md~"]),
        ];
        let c = changes(&events, Path::new("/v"), Some(Path::new("public")));
        assert_eq!(paths(&c), ["contacts/ada.md", "contacts/ada.md"]);
        assert!(!c.rescan);
        assert!(c.tops.is_empty());
    }

    #[test]
    fn both_ends_of_a_rename_and_output_writes() {
        let events = [
            ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["notes/a.md", "notes/b.md"],
            ),
            ev(EventKind::Create(CreateKind::File), &["public/.tmp123"]),
            ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["public/.tmp123", "public/index.html"],
            ),
            ev(EventKind::Create(CreateKind::File), &["/elsewhere/x.md"]),
        ];
        let c = changes(&events, Path::new("/v"), Some(Path::new("public")));
        assert_eq!(paths(&c), ["notes/a.md", "notes/b.md"]);
        assert!(!c.rescan);
    }

    #[test]
    fn removed_or_renamed_folders_ask_for_a_rescan() {
        let root = Path::new("/v");
        let out = Some(Path::new("public"));
        let c = changes(
            &[ev(EventKind::Remove(RemoveKind::Folder), &["notes/old"])],
            root,
            out,
        );
        assert!(c.rescan);
        assert_eq!(paths(&c), ["notes/old"]);
        let c = changes(
            &[ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["notes", "research"],
            )],
            root,
            out,
        );
        assert!(c.rescan);
        assert_eq!(
            c.tops,
            [OsString::from("notes"), OsString::from("research")]
        );
        let c = changes(
            &[ev(EventKind::Remove(RemoveKind::File), &["notes/a.md"])],
            root,
            out,
        );
        assert!(!c.rescan);
        let c = changes(
            &[ev(EventKind::Remove(RemoveKind::Any), &["notes/a.md"])],
            root,
            out,
        );
        assert!(!c.rescan);
        let c = changes(
            &[ev(EventKind::Remove(RemoveKind::Any), &["notes/drafts"])],
            root,
            out,
        );
        assert!(c.rescan);
    }

    #[test]
    fn reading_a_note_is_not_a_change() {
        let root = Path::new("/v");
        let read = [
            ev(
                EventKind::Access(AccessKind::Open(AccessMode::Read)),
                &["me.md"],
            ),
            ev(EventKind::Access(AccessKind::Read), &["me.md"]),
            ev(
                EventKind::Access(AccessKind::Close(AccessMode::Read)),
                &["me.md"],
            ),
            ev(
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
                &["me.md"],
            ),
        ];
        assert_eq!(changes(&read, root, None), Changes::default());
        let written = [ev(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &["me.md"],
        )];
        assert_eq!(paths(&changes(&written, root, None)), ["me.md"]);
    }

    #[test]
    fn the_system_losing_events_asks_for_a_rescan() {
        let e = Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan);
        let c = changes(
            &[DebouncedEvent::new(e, Instant::now())],
            Path::new("/v"),
            None,
        );
        assert!(c.rescan);
        assert!(c.paths.is_empty());
    }

    #[test]
    fn ignored_folders_are_not_rescans() {
        let c = changes(
            &[ev(EventKind::Remove(RemoveKind::Folder), &[".git/refs"])],
            Path::new("/v"),
            Some(Path::new("public")),
        );
        assert_eq!(c, Changes::default());
    }
}
