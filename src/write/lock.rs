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
use std::path::Path;

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
    /// Whether the last writer died while writing, or the folder has had no lock yet:
    /// it may hold temporary files of a write that never finished.
    pub(crate) interrupted: bool,
}

impl OutputLock {
    /// Takes the lock on the output folder `out`, creating the folder if needed.
    pub(crate) fn take(out: &Path, waiting: Waiting) -> Result<OutputLock, WriteError> {
        let io_error = |e| WriteError::Io(out.join(LOCK), e);
        fs::create_dir_all(out).map_err(|e| WriteError::Io(out.to_path_buf(), e))?;
        let path = out.join(LOCK);
        let created = !path.exists();
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_error)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = holder(&mut file);
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
            }
            Err(TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {
                return Ok(OutputLock {
                    file: None,
                    interrupted: created,
                });
            }
            Err(TryLockError::Error(e)) => return Err(io_error(e)),
        }
        let interrupted = created || file.metadata().map_err(io_error)?.len() > 0;
        sign(&mut file).map_err(io_error)?;
        Ok(OutputLock {
            file: Some(file),
            interrupted,
        })
    }

    /// Says the write finished: the next writer need not sweep. The lock itself goes
    /// when this is dropped.
    pub(crate) fn done(&mut self) {
        if let Some(file) = &self.file {
            let _ = file.set_len(0);
        }
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
