//! One writer at a time: an advisory lock on a file in the output folder.
//!
//! `serve` may be running while the user types `coffeechat build`; without the lock the
//! two would stage, rename and remove each other's files. Each writer takes the lock
//! ([`OutputLock::take`]) only while it writes, so a `serve` waiting for the next save
//! never holds up a `build`.
//!
//! The lock file also says who holds it: its holder writes its name and process id
//! there, for a waiting build to name, and empties it once its write is done. A lock file
//! found with a name in it was left by a writer that died while writing: the new holder
//! then sweeps up what the dead one left ([`super::sweep`]).
//!
//! The file is never removed or replaced: a lock is held on a file, and a writer holding
//! the lock on a removed file would shut no one out.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use super::WriteError;

/// The lock file's name in the output folder.
pub(crate) const LOCK: &str = ".coffeechat-lock";

/// What a writer does when another holds the lock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Waiting {
    /// Wait for it, saying so on standard error.
    #[default]
    Wait,
    /// Give up at once with an error naming the other writer.
    GiveUp,
}

/// The lock on an output folder, held until dropped.
pub(crate) struct OutputLock {
    /// `None` where the file system has no locks: writing goes ahead unguarded there,
    /// as it did before there was a lock.
    file: Option<File>,
    out: PathBuf,
    /// Whether the last writer died while writing, or the folder has had no lock yet:
    /// it may hold temporary files of a write that never finished.
    pub(crate) interrupted: bool,
    /// The folders made for the output, outermost first, and whether its manifest is
    /// the empty one written to mark it ([`super::begin`]): what a first write takes
    /// away again when it writes nothing.
    made: Vec<PathBuf>,
    pub(crate) marked: bool,
}

impl OutputLock {
    /// Takes the lock on the output folder `out`, creating the folder if needed.
    pub(crate) fn take(out: &Path, waiting: Waiting) -> Result<OutputLock, WriteError> {
        let made = make_folders(out)?;
        let path = out.join(LOCK);
        let io_error = |e| WriteError::Io(path.clone(), e);
        loop {
            let created = !path.exists();
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(io_error)?;
            let locked = lock(&mut file, out, waiting)?;
            // A first build that wrote nothing removes the lock file it made; whoever
            // waited on that file must lock the one there now.
            if locked && !is_at(&file, &path) {
                continue;
            }
            let interrupted = created || file.metadata().map_err(io_error)?.len() > 0;
            if locked {
                sign(&mut file).map_err(io_error)?;
            }
            return Ok(OutputLock {
                file: locked.then_some(file),
                out: out.to_path_buf(),
                interrupted,
                made,
                marked: false,
            });
        }
    }

    /// Ends the write. `wrote_nothing` says it failed before any file was moved into
    /// place: a folder that it made and marked is then taken away again, so that a failed
    /// first build leaves nothing behind. Otherwise the lock file is emptied, which says
    /// the next writer need not sweep. The lock itself goes with `self`.
    pub(crate) fn done(self, wrote_nothing: bool) {
        if wrote_nothing && self.marked {
            let _ = fs::remove_file(self.out.join(super::MANIFEST));
            let _ = fs::remove_file(self.out.join(LOCK));
            for dir in self.made.iter().rev() {
                let _ = fs::remove_dir(dir);
            }
        } else if let Some(file) = &self.file {
            let _ = file.set_len(0);
        }
    }
}

/// Creates `out` and the folders above it that are missing; returns those it made,
/// outermost first.
fn make_folders(out: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let mut made: Vec<PathBuf> = out
        .ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && !d.is_dir())
        .map(Path::to_path_buf)
        .collect();
    made.reverse();
    fs::create_dir_all(out).map_err(|e| WriteError::Io(out.to_path_buf(), e))?;
    Ok(made)
}

/// Locks `file`, waiting for another holder as `waiting` says; `false` when the file
/// system has no locks.
fn lock(file: &mut File, out: &Path, waiting: Waiting) -> Result<bool, WriteError> {
    let io_error = |e| WriteError::Io(out.join(LOCK), e);
    match file.try_lock() {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => {
            let holder = holder(file);
            if waiting == Waiting::GiveUp {
                return Err(WriteError::Refused(format!(
                    "{holder} is writing the site to {}; try again once it is done, \
                     or leave out --no-wait to wait for it",
                    out.display()
                )));
            }
            eprintln!(
                "waiting for {holder} to finish writing the site to {}...",
                out.display()
            );
            file.lock().map_err(io_error)?;
            Ok(true)
        }
        Err(TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => Ok(false),
        Err(TryLockError::Error(e)) => Err(io_error(e)),
    }
}

/// Whether `file` is the file at `path`.
fn is_at(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// Who holds the lock, as the lock file names them.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.read_to_string(&mut text);
    match text.trim() {
        "" => "another coffeechat".to_string(),
        name => name.chars().filter(|c| !c.is_control()).take(200).collect(),
    }
}

/// Writes this process's name into the lock file, for a waiting writer to show.
fn sign(file: &mut File) -> io::Result<()> {
    let command = std::env::args()
        .nth(1)
        .filter(|a| matches!(a.as_str(), "build" | "watch" | "serve"))
        .map_or_else(|| "coffeechat".to_string(), |c| format!("coffeechat {c}"));
    file.set_len(0)?;
    file.rewind()?;
    writeln!(file, "{command} (process {})", std::process::id())
}
