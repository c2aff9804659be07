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
//!
//! A save need not wait for the debouncer. On Linux the system says when a file that
//! was written is closed (inotify's `IN_CLOSE_WRITE`), which is when an editor has
//! usually finished writing the note, so a second, undebounced watcher passes it on at
//! once: a save shows in the browser in the time of the rebuild, not the rebuild plus
//! [`DEBOUNCE`]. (A file closed half-written is shown so until its next close or the
//! debouncer's report.) A file deleted, and a file renamed with both its old and new
//! names known, are as complete, and passed on at once too. Everything else (creates
//! not yet closed, half-reported renames, saves elsewhere) still waits for the
//! debouncer. When the debouncer later reports a file passed on
//! this way, and the file is still the same (same inode, times and size), the report
//! is dropped: the site was already built from it. The debouncer also drops what it
//! sees undone within its wait (a file created then removed), which the site may now
//! have shown; so each saved file is looked at again well after the debouncer's wait,
//! and passed on again if it changed or is gone.

use std::collections::{BTreeSet, HashMap};
use std::ffi::OsString;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant, SystemTime};

use notify::event::{
    AccessKind, AccessMode, CreateKind, EventKind, MetadataKind, ModifyKind, RemoveKind, RenameMode,
};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, FileIdCache, NoCache, RecommendedCache,
    new_debouncer_opt,
};

/// How long the debouncer waits for a burst of events to settle.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// How long the events after a completed save may keep coming before they are built
/// together: a `git checkout` or a sync tool writes many files in a burst.
const SAVE_SETTLE: Duration = Duration::from_millis(5);

/// The shortest time after which a saved file is looked at again, in case the debouncer
/// dropped a change to it; long, as the debouncer's thread may lag in a burst.
const RECHECK: Duration = Duration::from_secs(1);

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

/// What the watchers' threads send to [`VaultWatcher::next`].
enum Message {
    /// Debounced events, or the errors notify reported.
    Debounced(DebounceEventResult),
    /// Files closed after being written: saves that are complete.
    Saved(Vec<PathBuf>),
}

enum Inner {
    Events {
        debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
        /// Completed saves, where the system reports them (see the module's doc).
        saves: Option<RecommendedWatcher>,
    },
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Inner {
    fn events(debounce: Duration, tx: Sender<Message>) -> notify::Result<Inner> {
        let debouncer = debouncer(
            debounce,
            tx.clone(),
            RecommendedCache::new(),
            notify::Config::default(),
        )?;
        Ok(Inner::Events {
            debouncer,
            saves: save_watcher(tx),
        })
    }

    fn poll(debounce: Duration, tx: Sender<Message>) -> notify::Result<Inner> {
        // Modification times are compared in whole seconds; the contents catch a second
        // save within the same second.
        let config = notify::Config::default()
            .with_poll_interval(POLL_INTERVAL)
            .with_compare_contents(true);
        Ok(Inner::Poll(debouncer(
            debounce,
            tx,
            NoCache::new(),
            config,
        )?))
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Inner::Events { debouncer, saves } => {
                debouncer.watch(path, mode)?;
                if let Some(saves) = saves {
                    let _ = saves.watch(path, mode);
                }
                Ok(())
            }
            Inner::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) {
        match self {
            Inner::Events { debouncer, saves } => {
                let _ = debouncer.unwatch(path);
                if let Some(saves) = saves {
                    let _ = saves.unwatch(path);
                }
            }
            Inner::Poll(d) => {
                let _ = d.unwatch(path);
            }
        }
    }
}

/// A debouncer that sends what it reports to `tx`.
fn debouncer<W: Watcher, C: FileIdCache + Send + 'static>(
    debounce: Duration,
    tx: Sender<Message>,
    cache: C,
    config: notify::Config,
) -> notify::Result<Debouncer<W, C>> {
    let send = move |r| {
        let _ = tx.send(Message::Debounced(r));
    };
    new_debouncer_opt(debounce, None, send, cache, config)
}

/// A watcher that sends completed saves to `tx`, where the system reports them (only
/// inotify reports closes). The debouncer sees every change this one does, so what it
/// misses, and its errors, cost only speed: none is reported.
fn save_watcher(tx: Sender<Message>) -> Option<RecommendedWatcher> {
    if !cfg!(any(target_os = "linux", target_os = "android")) {
        return None;
    }
    let send = move |r: notify::Result<notify::Event>| {
        let complete = |kind: EventKind| {
            matches!(
                kind,
                EventKind::Access(AccessKind::Close(AccessMode::Write))
                    | EventKind::Remove(RemoveKind::File)
                    | EventKind::Modify(ModifyKind::Name(RenameMode::Both))
            )
        };
        if let Ok(e) = r
            && complete(e.kind)
        {
            let _ = tx.send(Message::Saved(e.paths));
        }
    };
    RecommendedWatcher::new(send, notify::Config::default()).ok()
}

/// A running watch of one vault. Dropping it stops watching.
pub struct VaultWatcher {
    /// The vault, canonical: events name paths under it.
    root: PathBuf,
    /// The output folder relative to the vault, when it is inside it.
    output: Option<PathBuf>,
    /// Top-level folders watched recursively, by name.
    watched: BTreeSet<OsString>,
    events: Receiver<Message>,
    inner: Inner,
    /// Files passed on as saved, with how they were then: while a file is still so,
    /// the debouncer's reports of it are of what the site was already built from.
    saved: HashMap<PathBuf, Saved>,
    /// How long after a save its file is looked at again: by then the debouncer has
    /// reported, or dropped, every event that came within its wait.
    recheck: Duration,
    /// How long a burst of completed saves is gathered at most.
    debounce: Duration,
}

/// A file passed on as saved.
struct Saved {
    /// How it was when it was passed on; `None` when already gone.
    stamp: Option<Stamp>,
    at: Instant,
}

/// What tells one version of a file from the next, even within one tick of a coarse
/// clock: its device and inode (a file renamed over it has others), its change and
/// modification times, and its size.
type Stamp = (u64, u64, i64, i64, SystemTime, u64);

/// The file's [`Stamp`]; `None` when it is gone, or where there are no inodes (there
/// are no completed saves there either).
fn stamp(path: &Path) -> Option<Stamp> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        let modified = m.modified().ok()?;
        Some((
            m.dev(),
            m.ino(),
            m.ctime(),
            m.ctime_nsec(),
            modified,
            m.len(),
        ))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

impl VaultWatcher {
    /// Starts watching `vault`. Changes made from now on show up in [`Self::next`].
    pub fn new(vault: &Path, mode: Mode) -> Result<VaultWatcher, WatchError> {
        Self::with_debounce(vault, mode, DEBOUNCE)
    }

    fn with_debounce(
        vault: &Path,
        mode: Mode,
        debounce: Duration,
    ) -> Result<VaultWatcher, WatchError> {
        let root = vault
            .canonicalize()
            .map_err(|e| WatchError(format!("cannot watch {}: {e}", vault.display())))?;
        let (tx, events) = channel();
        let failed = |e: notify::Error| WatchError(describe(&e, vault));
        let inner = match mode {
            Mode::Events => Inner::events(debounce, tx),
            Mode::Poll => Inner::poll(debounce, tx),
        }
        .map_err(failed)?;
        let mut watcher = VaultWatcher {
            root,
            output: None,
            watched: BTreeSet::new(),
            events,
            inner,
            saved: HashMap::new(),
            recheck: (debounce * 2).max(RECHECK),
            debounce,
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
    /// Everything that arrived by the time the first event did is merged into one batch;
    /// after a completed save, so is what follows it within [`SAVE_SETTLE`], for up to
    /// the debounce in all.
    pub fn next(&mut self, timeout: Duration) -> Option<Batch> {
        let mut batch = Batch::default();
        let first = match self.events.recv_timeout(self.wait(timeout)) {
            Ok(r) => r,
            Err(RecvTimeoutError::Timeout) => {
                self.recheck_saved(&mut batch);
                batch.finish();
                return batch.needs_build().then_some(batch);
            }
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(timeout);
                return None;
            }
        };
        let end = Instant::now() + self.debounce;
        let mut settle = self.take(first, &mut batch);
        loop {
            let left = end.saturating_duration_since(Instant::now());
            let more = if settle && !left.is_zero() {
                self.events.recv_timeout(SAVE_SETTLE.min(left)).ok()
            } else {
                self.events.try_recv().ok()
            };
            let Some(more) = more else { break };
            settle |= self.take(more, &mut batch);
        }
        self.recheck_saved(&mut batch);
        batch.finish();
        (batch.needs_build() || !batch.errors.is_empty()).then_some(batch)
    }

    /// Adds what `message` says changed to `batch`; whether that was a completed save.
    fn take(&mut self, message: Message, batch: &mut Batch) -> bool {
        match message {
            Message::Debounced(result) => {
                self.absorb(result, batch);
                false
            }
            Message::Saved(paths) => self.saved(&paths, batch),
        }
    }

    /// Adds the notes and other vault files among `paths`, files just written; whether
    /// there were any.
    fn saved(&mut self, paths: &[PathBuf], batch: &mut Batch) -> bool {
        let before = batch.paths.len();
        for path in paths {
            if let Ok(rel) = path.strip_prefix(&self.root)
                && !ignored(rel, self.output.as_deref())
            {
                let saved = Saved {
                    stamp: stamp(path),
                    at: Instant::now(),
                };
                self.saved.insert(rel.to_path_buf(), saved);
                batch.add(rel.to_path_buf());
            }
        }
        batch.paths.len() > before
    }

    /// Whether the debouncer's report of `rel` is of a save already passed on, the
    /// file unchanged since.
    fn already_saved(&mut self, rel: &Path, path: &Path) -> bool {
        let Some(saved) = self.saved.get(rel) else {
            return false;
        };
        if stamp(path) == saved.stamp {
            return true;
        }
        self.saved.remove(rel);
        false
    }

    /// How long [`Self::next`] may wait for events: `timeout`, or less when a saved
    /// file is to be looked at again sooner.
    fn wait(&self, timeout: Duration) -> Duration {
        let now = Instant::now();
        self.saved
            .values()
            .map(|s| (s.at + self.recheck).saturating_duration_since(now))
            .fold(timeout, Duration::min)
    }

    /// Adds the saved files whose wait is over and that changed since, or are gone.
    fn recheck_saved(&mut self, batch: &mut Batch) {
        let now = Instant::now();
        let root = &self.root;
        self.saved.retain(|rel, saved| {
            if now < saved.at + self.recheck {
                return true;
            }
            let path = root.join(rel);
            if stamp(&path) != saved.stamp {
                batch.add(rel.clone());
                // A folder now: the files in it are not listed, so look at everything.
                batch.rescan |= path.is_dir();
            }
            false
        });
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
            } else if !self.already_saved(&rel, &path) {
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
/// - GNU `sed -i`: `sedXXXXXX` (six letters or digits, no extension), which it writes
///   and renames over the file it edits;
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
        || name
            .strip_prefix("sed")
            .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
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
            "notes/sedan.md",
            "notes/sediment",
            "notes/sedAb12Cd.md",
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
            "contacts/sedAb12Cd",
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

    /// Batches from `watcher` until `within` is over, the paths of each.
    #[cfg(target_os = "linux")]
    fn batches(watcher: &mut VaultWatcher, within: Duration) -> Vec<Vec<PathBuf>> {
        let end = Instant::now() + within;
        let mut seen = Vec::new();
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            if let Some(batch) = watcher.next(left) {
                seen.push(batch.paths);
            }
        }
        seen
    }

    #[cfg(target_os = "linux")]
    fn vault_with_note() -> tempfile::TempDir {
        let vault = tempfile::tempdir().unwrap();
        std::fs::create_dir(vault.path().join("contacts")).unwrap();
        std::fs::write(
            vault.path().join("contacts/ada.md"),
            "---\nname: Ada\n---\n",
        )
        .unwrap();
        vault
    }

    /// A completed save (the file closed after writing) is reported at once: with a
    /// debounce of a minute, only the save path can report it within seconds.
    #[test]
    #[cfg(target_os = "linux")]
    fn a_completed_save_does_not_wait_for_the_debouncer() {
        let vault = vault_with_note();
        let mut watcher =
            VaultWatcher::with_debounce(vault.path(), Mode::Events, Duration::from_secs(60))
                .unwrap();
        std::fs::write(vault.path().join("contacts/4913"), "").unwrap();
        std::fs::write(
            vault.path().join("contacts/ada.md"),
            "---\nname: Ada L\n---\n",
        )
        .unwrap();
        let end = Instant::now() + Duration::from_secs(10);
        let batch = loop {
            let left = end.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "no batch for a completed save");
            if let Some(batch) = watcher.next(left) {
                break batch;
            }
        };
        assert_eq!(batch.paths, [PathBuf::from("contacts/ada.md")]);
    }

    /// A deleted note, and a note renamed with both its names seen, are as complete as
    /// a closed save: reported within seconds under a debounce of a minute.
    #[test]
    #[cfg(target_os = "linux")]
    fn a_delete_and_a_rename_do_not_wait_for_the_debouncer() {
        let vault = vault_with_note();
        std::fs::write(vault.path().join("contacts/bo.md"), "---\nname: Bo\n---\n").unwrap();
        let mut watcher =
            VaultWatcher::with_debounce(vault.path(), Mode::Events, Duration::from_secs(60))
                .unwrap();
        let within = |watcher: &mut VaultWatcher| {
            let end = Instant::now() + Duration::from_secs(10);
            loop {
                let left = end.saturating_duration_since(Instant::now());
                assert!(!left.is_zero(), "no batch within seconds");
                if let Some(batch) = watcher.next(left) {
                    break batch;
                }
            }
        };
        std::fs::remove_file(vault.path().join("contacts/bo.md")).unwrap();
        assert_eq!(
            within(&mut watcher).paths,
            [PathBuf::from("contacts/bo.md")]
        );
        let (from, to) = ("contacts/ada.md", "contacts/ada-l.md");
        std::fs::rename(vault.path().join(from), vault.path().join(to)).unwrap();
        let both = [PathBuf::from(to), PathBuf::from(from)];
        assert_eq!(within(&mut watcher).paths, both);
    }

    /// The debouncer's later reports of a save already passed on are dropped while the
    /// file is as it was.
    #[test]
    #[cfg(target_os = "linux")]
    fn a_save_is_built_once() {
        let vault = vault_with_note();
        let mut watcher =
            VaultWatcher::with_debounce(vault.path(), Mode::Events, Duration::from_millis(200))
                .unwrap();
        std::fs::write(
            vault.path().join("contacts/ada.md"),
            "---\nname: Ada L\n---\n",
        )
        .unwrap();
        let once = [vec![PathBuf::from("contacts/ada.md")]];
        assert_eq!(batches(&mut watcher, Duration::from_secs(2)), once);
    }

    /// A file renamed over a note just saved counts, even when it has the same size and
    /// modification time (as after `sed -i` within one tick of a coarse clock).
    #[test]
    #[cfg(target_os = "linux")]
    fn a_file_renamed_over_a_saved_note_counts() {
        let vault = vault_with_note();
        let note = vault.path().join("contacts/ada.md");
        let mut watcher =
            VaultWatcher::with_debounce(vault.path(), Mode::Events, Duration::from_millis(200))
                .unwrap();
        std::fs::write(&note, "---\nname: Ada L\n---\n").unwrap();
        let saved = watcher.next(Duration::from_secs(10)).unwrap();
        assert_eq!(saved.paths, [PathBuf::from("contacts/ada.md")]);
        let temp = vault.path().join("contacts/ada.md.tmp");
        std::fs::write(&temp, "---\nname: Ada X\n---\n").unwrap();
        let modified = std::fs::metadata(&note).unwrap().modified().unwrap();
        let file = std::fs::File::options().write(true).open(&temp).unwrap();
        file.set_modified(modified).unwrap();
        drop(file);
        std::fs::rename(&temp, &note).unwrap();
        let later = batches(&mut watcher, Duration::from_secs(3)).concat();
        assert!(!later.is_empty(), "the renamed-over note was not reported");
        assert!(later.iter().all(|p| p == Path::new("contacts/ada.md")));
    }

    /// A new file saved and removed at once: the debouncer drops its creation and its
    /// removal together, but the site was built with it, so its removal still counts.
    #[test]
    #[cfg(target_os = "linux")]
    fn a_saved_file_removed_within_the_debounce_is_reported_gone() {
        let vault = vault_with_note();
        let mut watcher =
            VaultWatcher::with_debounce(vault.path(), Mode::Events, Duration::from_millis(200))
                .unwrap();
        let note = vault.path().join("contacts/grace.md");
        std::fs::write(&note, "---\nname: Grace\n---\n").unwrap();
        let saved = watcher.next(Duration::from_secs(10)).unwrap();
        assert_eq!(saved.paths, [PathBuf::from("contacts/grace.md")]);
        std::fs::remove_file(&note).unwrap();
        let later = batches(&mut watcher, Duration::from_secs(3));
        assert_eq!(later.concat(), [PathBuf::from("contacts/grace.md")]);
    }
}
