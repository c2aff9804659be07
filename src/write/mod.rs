//! Stage 4, write: put the rendered site on disk safely.
//!
//! - The output folder is checked before anything is written: it must not be the vault,
//!   hold the vault, or be a non-empty folder that coffeechat did not create.
//! - Only files whose bytes changed are written, each through a temporary file and a
//!   rename ([`replace`]), so a reader never sees half a page. The renames happen only once every file
//!   is staged, so a failed build changes nothing ([`Staging`]).
//! - Files that the previous build wrote and this one did not are removed; the list of
//!   what was written is kept in a manifest, with a hash of each file so that unchanged
//!   files need not be read back. Nothing else is ever deleted.
//! - One process writes at a time ([`lock`]), and a write killed at any moment leaves a
//!   folder the next one can finish: the manifest is there before the first page, lists
//!   every file before it is renamed into place, and a killed writer's temporary files
//!   are swept up ([`begin`]).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

mod listing;
mod lock;
use listing::{Change, Listing};
pub(crate) use lock::OutputLock;
pub use lock::Waiting;

use crate::render::{Contents, OutputFile};

/// The manifest of files the last build wrote, one relative path a line with its hash.
pub(crate) const MANIFEST: &str = ".coffeechat-manifest";

/// How the names of temporary files end; see [`temp_path`].
const TEMP_SUFFIX: &str = ".coffeechat-tmp";

/// What a write did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Why an output folder was refused, or what failed while writing.
#[derive(Debug)]
pub(crate) enum WriteError {
    Refused(String),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Refused(why) => f.write_str(why),
            WriteError::Io(path, e) => write!(f, "cannot write {}: {e}", path.display()),
        }
    }
}

/// Refuses output folders that would put the user's files at risk.
pub(crate) fn check_output(vault: &Path, out: &Path) -> Result<(), WriteError> {
    let vault = vault
        .canonicalize()
        .map_err(|e| WriteError::Io(vault.to_path_buf(), e))?;
    let out_abs = absolute(out)?;
    if vault.starts_with(&out_abs) {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to {}: it {} the vault, and coffeechat would \
             replace files there; choose another folder with -o",
            out.display(),
            if vault == out_abs { "is" } else { "holds" }
        )));
    }
    if let Some(read) = crate::load::RESERVED_DIRS
        .iter()
        .find(|dir| out_abs.starts_with(vault.join(dir)))
    {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to {}: coffeechat reads the vault's `{read}` \
             folder to make the site, and would read its own pages back; choose a folder \
             outside it, such as `public`",
            out.display()
        )));
    }
    if out.is_file() {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to {}: it is a file, not a folder",
            out.display()
        )));
    }
    // A coffeechat writing there now holds the lock, and may not have written the
    // manifest yet: the folder is checked again under the lock, in `begin`.
    if !out.join(lock::LOCK).is_file() {
        refuse_foreign(out)?;
    }
    Ok(())
}

/// Refuses a folder with files in it and no manifest: not one that coffeechat made.
/// The lock file alone is what a first build killed at its very start leaves.
fn refuse_foreign(out: &Path) -> Result<(), WriteError> {
    let foreign = out.is_dir()
        && !out.join(MANIFEST).is_file()
        && fs::read_dir(out)
            .map_err(|e| WriteError::Io(out.to_path_buf(), e))?
            .any(|entry| entry.map_or(true, |e| e.file_name() != lock::LOCK));
    match foreign {
        false => Ok(()),
        true => Err(WriteError::Refused(format!(
            "refusing to write the site to {}: the folder is not empty and was not made \
             by coffeechat; empty it or choose another folder with -o",
            out.display()
        ))),
    }
}

/// The absolute, symlink-free form of `p`, which may not exist yet.
fn absolute(p: &Path) -> Result<PathBuf, WriteError> {
    let abs = std::path::absolute(p).map_err(|e| WriteError::Io(p.to_path_buf(), e))?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing
        .canonicalize()
        .map_err(|e| WriteError::Io(existing.to_path_buf(), e))?;
    out.extend(rest.iter().rev());
    Ok(out)
}

/// A content hash and length, kept in the manifest so that an unchanged page need not be
/// read back from disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    hash: u64,
    len: u64,
}

impl Stamp {
    fn of(bytes: &[u8]) -> Stamp {
        Stamp {
            // XXH3 is specified and stable across releases, unlike std's `DefaultHasher`,
            // and hashes pages about ten times faster than it.
            hash: xxhash_rust::xxh3::xxh3_64(bytes),
            len: bytes.len() as u64,
        }
    }
}

/// One output file after staging: either unchanged on disk, or waiting in a temporary file.
#[derive(Debug)]
pub(crate) struct Staged {
    path: PathBuf,
    stamp: Stamp,
    /// The temporary file holding the new bytes; `None` when the file on disk is current.
    temp: Option<PathBuf>,
}

impl Staged {
    /// Its stamp as the manifest lists it while the staged files are renamed into place:
    /// none for a file about to be replaced, which may hold either its old bytes or its
    /// new ones if the write is cut short, and must then be compared by its bytes.
    fn unrenamed_stamp(&self) -> Option<Stamp> {
        self.temp.is_none().then_some(self.stamp)
    }
}

/// The output folder while a build is in progress. Files are staged one by one as they are
/// rendered, so the whole site is never held in memory: one whose bytes are already on disk
/// is only noted; any other goes to a hidden temporary file next to its place. Only
/// [`Staging::commit`] changes what the site shows, renaming every staged file into place;
/// [`Staging::abort`] removes the temporary files and the folders made for them, so a
/// failed build leaves the previous site as it was.
pub(crate) struct Staging {
    out: PathBuf,
    /// The previous build's manifest.
    previous: Manifest,
    /// Folders known to exist, and those this build created (to remove on abort).
    dirs: Mutex<(HashSet<PathBuf>, Vec<PathBuf>)>,
}

/// The files a build wrote into an output folder, as its manifest lists them.
/// Each file a manifest lists, with its stamp when the manifest has one.
type Files = HashMap<PathBuf, Option<Stamp>>;

pub(crate) struct Manifest {
    files: Files,
    /// When the manifest was written; a file changed after it is compared by bytes.
    written_at: Option<SystemTime>,
    /// A hash of its text, which says whether the manifest on disk is still this one.
    digest: Option<u64>,
    /// Its text, when this process wrote it.
    listing: Option<Listing>,
}

impl Manifest {
    /// The manifest in the output folder `out`; empty when there is none.
    pub(crate) fn read(out: &Path) -> Manifest {
        let (files, digest) = read_manifest(out);
        Manifest {
            files,
            written_at: written_at(out),
            digest,
            listing: None,
        }
    }

    /// A hash of this manifest's text; `None` when there was none.
    pub(crate) fn digest(&self) -> Option<u64> {
        self.digest
    }

    /// A hash of the text of the manifest in the output folder `out` now.
    pub(crate) fn digest_on_disk(out: &Path) -> Option<u64> {
        fs::read(out.join(MANIFEST)).ok().map(|t| text_hash(&t))
    }

    /// Whether the file at `rel` in the output folder `out` is as this manifest lists
    /// it: there, as long, and not modified since the manifest was written.
    pub(crate) fn intact(&self, out: &Path, rel: &Path) -> bool {
        let Some(Some(stamp)) = self.files.get(rel) else {
            return false;
        };
        fs::metadata(out.join(rel)).is_ok_and(|meta| self.unmodified(&meta, stamp.len))
    }

    fn unmodified(&self, meta: &fs::Metadata, len: u64) -> bool {
        meta.is_file()
            && meta.len() == len
            && matches!(
                (meta.modified(), self.written_at),
                (Ok(m), Some(built)) if m <= built
            )
    }
}

fn written_at(out: &Path) -> Option<SystemTime> {
    fs::metadata(out.join(MANIFEST))
        .and_then(|m| m.modified())
        .ok()
}

impl Staging {
    /// Starts staging the site in `out`, which need not exist, over what its manifest
    /// lists: `manifest` is that manifest as last written (a session keeps it rather than read
    /// it again for every save). Finish with [`Staging::commit_update`].
    pub(crate) fn with_manifest(out: &Path, previous: Manifest) -> Staging {
        Staging {
            out: out.to_path_buf(),
            previous,
            dirs: Mutex::new((HashSet::new(), Vec::new())),
        }
    }

    /// The length of the file at `rel` as the previous build's manifest lists it; 0 when
    /// it does not.
    pub(crate) fn previous_len(&self, rel: &Path) -> u64 {
        match self.previous.files.get(rel) {
            Some(Some(stamp)) => stamp.len,
            _ => 0,
        }
    }

    /// Stages one file: [`Staging::stage`] for rendered bytes, a copied file read first.
    pub(crate) fn stage_file(&self, f: &OutputFile) -> Result<Staged, WriteError> {
        match &f.contents {
            Contents::Bytes(b) => self.stage(&f.path, b),
            Contents::Copy(src) => {
                let bytes = fs::read(src).map_err(|e| WriteError::Io(src.clone(), e))?;
                self.stage(&f.path, &bytes)
            }
        }
    }

    /// Stages the bytes of the file at `rel` (relative to the output folder).
    pub(crate) fn stage(&self, rel: &Path, bytes: &[u8]) -> Result<Staged, WriteError> {
        let stamp = Stamp::of(bytes);
        let path = self.out.join(rel);
        let temp = if self.is_current(rel, &path, stamp, bytes) {
            None
        } else {
            let temp = temp_path(&path);
            self.make_parent(rel)?;
            fs::File::create(&temp)
                .and_then(|mut f| f.write_all(bytes))
                .map_err(|e| {
                    let _ = fs::remove_file(&temp);
                    WriteError::Io(path.clone(), e)
                })?;
            step();
            Some(temp)
        };
        Ok(Staged {
            path: rel.to_path_buf(),
            stamp,
            temp,
        })
    }

    /// Whether the file on disk already holds `bytes`. The manifest's stamp is trusted when
    /// the file has its length and was not modified after the manifest was written;
    /// otherwise the file is read and compared.
    fn is_current(&self, rel: &Path, path: &Path, stamp: Stamp, bytes: &[u8]) -> bool {
        let Ok(meta) = fs::metadata(path) else {
            return false;
        };
        if !meta.is_file() || meta.len() != stamp.len {
            return false;
        }
        match self.previous.files.get(rel) {
            Some(Some(old)) if *old != stamp => return false,
            Some(Some(_)) if self.previous.unmodified(&meta, stamp.len) => return true,
            _ => {}
        }
        fs::read(path).is_ok_and(|old| old == bytes)
    }

    /// Creates the folders above `rel` that do not exist yet, remembering which it made.
    /// Refuses a folder that is a symbolic link: writing through it would change files
    /// outside the output.
    fn make_parent(&self, rel: &Path) -> Result<(), WriteError> {
        let parent = rel.parent().unwrap_or(Path::new(""));
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        if dirs.0.contains(parent) {
            return Ok(());
        }
        if let Some(link) = linked_folder(&self.out, rel) {
            return Err(WriteError::Refused(format!(
                "refusing to write {}: the folder {} is a symbolic link, and coffeechat \
                 writes only inside the output folder; remove the link and build again",
                self.out.join(rel).display(),
                link.display()
            )));
        }
        let mut missing = Vec::new();
        let mut dir = Some(self.out.join(parent));
        // A relative output folder's last parent is the empty path: the current folder.
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty() && !d.is_dir()) {
            dir = d.parent().map(Path::to_path_buf);
            missing.push(d);
        }
        for d in missing.into_iter().rev() {
            fs::create_dir(&d)
                .or_else(|e| if d.is_dir() { Ok(()) } else { Err(e) })
                .map_err(|e| WriteError::Io(d.clone(), e))?;
            dirs.1.push(d);
        }
        dirs.0.insert(parent.to_path_buf());
        Ok(())
    }

    /// Commits when every file was staged, else aborts and returns the first error.
    pub(crate) fn finish(
        self,
        staged: Vec<Result<Staged, WriteError>>,
    ) -> Result<Report, WriteError> {
        let (staging, staged) = self.all_staged(staged)?;
        staging.commit(staged)
    }

    /// The staged files when every file was staged; else aborts and returns the first
    /// error.
    fn all_staged(
        self,
        staged: Vec<Result<Staged, WriteError>>,
    ) -> Result<(Staging, Vec<Staged>), WriteError> {
        let mut ok = Vec::with_capacity(staged.len());
        let mut error = None;
        for s in staged {
            match s {
                Ok(s) => ok.push(s),
                Err(e) => {
                    error.get_or_insert(e);
                }
            }
        }
        match error {
            Some(e) => {
                self.abort(ok);
                Err(e)
            }
            None => Ok((self, ok)),
        }
    }

    /// Renames the staged files into place, removes the files of the previous build that
    /// this one did not make and writes the manifest.
    pub(crate) fn commit(self, staged: Vec<Staged>) -> Result<Report, WriteError> {
        fs::create_dir_all(&self.out).map_err(|e| WriteError::Io(self.out.clone(), e))?;
        let stale: Vec<&PathBuf> = {
            let made: HashSet<&Path> = staged.iter().map(|s| s.path.as_path()).collect();
            let old = self.previous.files.keys();
            old.filter(|p| !made.contains(p.as_path())).collect()
        };
        if staged.iter().any(|s| s.temp.is_some()) {
            let mut ahead: Files = stale.iter().map(|p| (p.to_path_buf(), None)).collect();
            ahead.extend(staged.iter().map(|s| (s.path.clone(), s.unrenamed_stamp())));
            write_manifest(&self.out, &Listing::new(&ahead))?;
        }
        let written = self.move_into_place(&staged)?;
        let mut report = Report {
            written,
            unchanged: staged.len() - written,
            ..Report::default()
        };
        report.removed = stale.iter().filter(|p| remove_stale(&self.out, p)).count();
        let current: Files = staged
            .into_iter()
            .map(|s| (s.path, Some(s.stamp)))
            .collect();
        write_manifest(&self.out, &Listing::new(&current))?;
        Ok(report)
    }

    /// Renames the staged files into place and updates their manifest lines, keeping
    /// the rest of the previous build but the files at `removed`, which it removes if it
    /// wrote them. Returns the updated manifest.
    pub(crate) fn commit_update(
        self,
        staged: Vec<Result<Staged, WriteError>>,
        removed: &[PathBuf],
    ) -> Result<(Report, Manifest), WriteError> {
        let (staging, staged) = self.all_staged(staged)?;
        staging.commit_staged_update(staged, removed)
    }

    fn commit_staged_update(
        mut self,
        staged: Vec<Staged>,
        removed: &[PathBuf],
    ) -> Result<(Report, Manifest), WriteError> {
        let mut listing = self.previous.listing.take();
        let renamed: Vec<Change> = staged
            .iter()
            .filter(|s| s.temp.is_some())
            .map(|s| (s.path.clone(), Some(None)))
            .collect();
        if !renamed.is_empty() {
            let ahead = listing
                .unwrap_or_else(|| Listing::new(&self.previous.files))
                .update(renamed);
            write_manifest(&self.out, &ahead)?;
            listing = Some(ahead);
        }
        let mut report = Report {
            written: self.move_into_place(&staged)?,
            ..Report::default()
        };
        let mut previous = self.previous.files;
        let mut changes: Vec<Change> = Vec::new();
        for s in staged {
            let differs = previous.insert(s.path.clone(), Some(s.stamp)) != Some(Some(s.stamp));
            if differs || s.temp.is_some() {
                changes.push((s.path, Some(Some(s.stamp))));
            }
        }
        // Only files the manifest lists were written by a build, so only those go.
        for rel in removed {
            if previous.remove(rel).is_some() {
                report.removed += usize::from(remove_stale(&self.out, rel));
                changes.push((rel.clone(), None));
            }
        }
        // Left as it is when nothing changed, so that it still matches the record of the
        // site that the next build may resume from (see `session::record`).
        let mut digest = self.previous.digest;
        if !changes.is_empty() {
            let made = match listing {
                Some(listing) => listing.update(changes),
                None => Listing::new(&previous),
            };
            digest = Some(write_manifest(&self.out, &made)?);
            listing = Some(made);
        }
        let manifest = Manifest {
            written_at: written_at(&self.out),
            files: previous,
            digest,
            listing,
        };
        Ok((report, manifest))
    }

    /// Renames the staged files into place and returns how many it renamed. On an
    /// error it stops, removes the temporary files not renamed yet and returns the error.
    fn move_into_place(&self, staged: &[Staged]) -> Result<usize, WriteError> {
        let mut temps = staged.iter().filter_map(|s| Some((s, s.temp.as_ref()?)));
        let mut written = 0;
        while let Some((s, temp)) = temps.next() {
            let path = self.out.join(&s.path);
            if let Err(e) = replace(temp, &path) {
                for (_, temp) in std::iter::once((s, temp)).chain(temps) {
                    let _ = fs::remove_file(temp);
                }
                return Err(WriteError::Io(path, e));
            }
            step();
            written += 1;
        }
        Ok(written)
    }

    /// Removes what staging wrote: the temporary files and the folders made for them.
    pub(crate) fn abort(self, staged: Vec<Staged>) {
        for temp in staged.iter().filter_map(|s| s.temp.as_ref()) {
            let _ = fs::remove_file(temp);
        }
        let dirs = self.dirs.into_inner().unwrap_or_else(|e| e.into_inner());
        for d in dirs.1.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }
}

/// The hidden temporary file a page is written to before it is renamed into place. The
/// process id keeps two processes from writing to one temporary file.
fn temp_path(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    dir.join(format!(".{name}.{}{TEMP_SUFFIX}", std::process::id()))
}

/// Readies the output folder `out` for a write and returns its lock, which the caller
/// holds until the write is over and then ends ([`OutputLock::done`]).
///
/// The folder is marked as coffeechat's, with an empty manifest, before any page is
/// written, so that a first build killed halfway is not taken for someone else's folder.
/// After a writer died while writing, its temporary files and the folders left empty
/// are removed.
pub(crate) fn begin(out: &Path, waiting: Waiting) -> Result<OutputLock, WriteError> {
    let mut lock = OutputLock::take(out, waiting)?;
    step();
    if let Err(refused) = refuse_foreign(out) {
        lock.done(false);
        return Err(refused);
    }
    if lock.interrupted {
        sweep(out);
    }
    if !out.join(MANIFEST).exists() {
        write_manifest(out, &Listing::new(&Files::new()))?;
        lock.marked = true;
    }
    Ok(lock)
}

/// Removes the temporary files under `out` and the folders with nothing in them. Only a
/// lock holder calls this, so no other writer's temporary files are there to remove.
fn sweep(out: &Path) {
    let entries = walkdir::WalkDir::new(out)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .filter_map(Result::ok);
    for entry in entries {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_dir() {
            // Fails, as it should, for a folder with anything in it.
            let _ = fs::remove_dir(entry.path());
        } else if entry.file_type().is_file()
            && name.starts_with('.')
            && name.ends_with(TEMP_SUFFIX)
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A test hook that stands in for the process being killed at any moment of a write:
/// with `COFFEECHAT_TEST_EXIT_AFTER=N` in its environment, the process exits at once,
/// cleaning nothing up, after its Nth change to the output folder (see
/// tests/interrupted.rs).
fn step() {
    use std::sync::LazyLock;
    use std::sync::atomic::{AtomicUsize, Ordering};
    static LEFT: LazyLock<Option<AtomicUsize>> = LazyLock::new(|| {
        let n = std::env::var("COFFEECHAT_TEST_EXIT_AFTER").ok()?;
        n.parse().ok().map(AtomicUsize::new)
    });
    if let Some(left) = LEFT.as_ref()
        && left.fetch_sub(1, Ordering::Relaxed) == 1
    {
        std::process::exit(137);
    }
}

/// Writes through a temporary file in the same folder and renames it into place.
pub(crate) fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temp_path(path);
    let result = fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| replace(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Moves the file at `temp` to `path`, atomically replacing the file there.
///
/// On Linux a file already at `path` is swapped with `temp` (`renameat2` with
/// `RENAME_EXCHANGE`), then removed: a reader sees the old file or the new one, as with a
/// rename. A plain rename over an existing file makes ext4 start writing the new file to
/// disk at once (its `auto_da_alloc` safeguard), which took ~5 ms for the 5 MB follow-up
/// log at 10k notes, on every save. Anything but a regular file at `path`, and file
/// systems without the exchange, get the plain rename.
fn replace(temp: &Path, path: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    if fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, temp, CWD, path, RenameFlags::EXCHANGE).is_ok() {
            // `temp` now holds the old file; a leftover is overwritten by the next stage.
            let _ = fs::remove_file(temp);
            return Ok(());
        }
    }
    fs::rename(temp, path)
}

/// Reads the manifest: one file a line, as `PATH\tHASH\tLENGTH` (or a bare path, as
/// written by earlier versions, whose files are then compared by bytes).
/// Reads the manifest, with a hash of its text (`None` when there is none).
fn read_manifest(out: &Path) -> (HashMap<PathBuf, Option<Stamp>>, Option<u64>) {
    let Ok(text) = fs::read_to_string(out.join(MANIFEST)) else {
        return (HashMap::new(), None);
    };
    let files = text
        .lines()
        .map(|line| {
            let mut parts = line.rsplitn(3, '\t');
            let stamped = match (parts.next(), parts.next(), parts.next()) {
                (Some(len), Some(hash), Some(path)) => {
                    match (u64::from_str_radix(hash, 16), len.parse()) {
                        (Ok(hash), Ok(len)) => Some((path, Stamp { hash, len })),
                        _ => None,
                    }
                }
                _ => None,
            };
            match stamped {
                Some((path, stamp)) => (PathBuf::from(path), Some(stamp)),
                None => (PathBuf::from(line), None),
            }
        })
        .filter(|(p, _)| is_plain_relative(p))
        .collect();
    (files, Some(text_hash(text.as_bytes())))
}

/// Writes the manifest ([`Listing`]) and returns a hash of its text.
fn write_manifest(out: &Path, listing: &Listing) -> Result<u64, WriteError> {
    let path = out.join(MANIFEST);
    atomic_write(&path, listing.text.as_bytes()).map_err(|e| WriteError::Io(path, e))?;
    step();
    Ok(text_hash(listing.text.as_bytes()))
}

fn text_hash(text: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text)
}

/// A manifest line is trusted only if it stays inside the output folder.
fn is_plain_relative(p: &Path) -> bool {
    !p.as_os_str().is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// The first folder on the way from `out` to `rel` that is a symbolic link, if any.
fn linked_folder(out: &Path, rel: &Path) -> Option<PathBuf> {
    let mut folders: Vec<&Path> = rel.ancestors().skip(1).collect();
    folders.pop(); // the empty path: `out` itself, which may well be a link
    folders
        .into_iter()
        .rev()
        .map(|d| out.join(d))
        .find(|d| fs::symlink_metadata(d).is_ok_and(|m| m.file_type().is_symlink()))
}

/// Removes a file of an earlier build, then any folders it leaves empty. A file reached
/// through a symbolic link is not the output's, and stays.
fn remove_stale(out: &Path, rel: &Path) -> bool {
    let path = out.join(rel);
    if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
        || linked_folder(out, rel).is_some()
        || fs::remove_file(&path).is_err()
    {
        return false;
    }
    let mut dir = rel.parent();
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        if fs::remove_dir(out.join(d)).is_err() {
            break;
        }
        dir = d.parent();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_swaps_in_the_new_file_and_leaves_no_temporary_file() {
        let dir = tempfile::TempDir::new().unwrap();
        let (page, temp) = (dir.path().join("page.html"), dir.path().join(".page.tmp"));
        fs::write(&page, "old").unwrap();
        fs::write(&temp, "new").unwrap();
        replace(&temp, &page).unwrap();
        assert_eq!(fs::read_to_string(&page).unwrap(), "new");
        assert!(!temp.exists(), "the old file went with the temporary name");
        fs::write(&temp, "first").unwrap();
        let fresh = dir.path().join("fresh.html");
        replace(&temp, &fresh).unwrap();
        assert_eq!(fs::read_to_string(&fresh).unwrap(), "first");
        assert!(!temp.exists());
    }

    #[test]
    fn replace_never_swaps_a_folder_away() {
        let dir = tempfile::TempDir::new().unwrap();
        let (folder, temp) = (dir.path().join("notes.html"), dir.path().join(".tmp"));
        fs::create_dir(&folder).unwrap();
        fs::write(folder.join("mine.txt"), "keep").unwrap();
        fs::write(&temp, "page").unwrap();
        assert!(replace(&temp, &folder).is_err());
        assert_eq!(fs::read_to_string(folder.join("mine.txt")).unwrap(), "keep");
    }
}
