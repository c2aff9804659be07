//! Stage 4, write: put the rendered site on disk safely.
//!
//! - The output folder is checked before anything is written: it must not be the vault,
//!   hold the vault, or be a non-empty folder that coffeechat did not create.
//! - Only files whose bytes changed are written, each through a temporary file and a
//!   rename, so a reader never sees half a page.
//! - Files that the previous build wrote and this one did not are removed; the list of
//!   what was written is kept in a manifest. Nothing else is ever deleted.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::render::{Contents, OutputFile};

/// The manifest of files the last build wrote, one relative path a line.
pub const MANIFEST: &str = ".coffeechat-manifest";

/// What a write did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Why an output folder was refused, or what failed while writing.
#[derive(Debug)]
pub enum WriteError {
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
pub fn check_output(vault: &Path, out: &Path) -> Result<(), WriteError> {
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
    if out.is_file() {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to {}: it is a file, not a folder",
            out.display()
        )));
    }
    let foreign = out.is_dir()
        && !out.join(MANIFEST).is_file()
        && fs::read_dir(out)
            .map_err(|e| WriteError::Io(out.to_path_buf(), e))?
            .next()
            .is_some();
    if foreign {
        return Err(WriteError::Refused(format!(
            "refusing to write the site to {}: the folder is not empty and was not made \
             by coffeechat; empty it or choose another folder with -o",
            out.display()
        )));
    }
    Ok(())
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

/// Writes `files` into `out`. Call [`check_output`] first.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<Report, WriteError> {
    fs::create_dir_all(out).map_err(|e| WriteError::Io(out.to_path_buf(), e))?;
    let previous = read_manifest(out);
    let dirs: BTreeSet<&Path> = files.iter().filter_map(|f| f.path.parent()).collect();
    for dir in dirs {
        let d = out.join(dir);
        fs::create_dir_all(&d).map_err(|e| WriteError::Io(d, e))?;
    }
    let changed: Vec<Result<bool, WriteError>> = files
        .par_iter()
        .map(|f| write_if_changed(&out.join(&f.path), &f.contents))
        .collect();
    let mut report = Report::default();
    for r in changed {
        if r? {
            report.written += 1;
        } else {
            report.unchanged += 1;
        }
    }
    let current: BTreeSet<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    write_manifest(out, &current)?;
    for stale in previous.difference(&current) {
        if remove_stale(out, stale) {
            report.removed += 1;
        }
    }
    Ok(report)
}

/// Writes `files` into `out`, where a build already wrote the same set of files, as
/// [`write_site`] would but without reading or changing the manifest. Returns how many
/// files it wrote.
pub fn write_files(out: &Path, files: &[OutputFile]) -> Result<usize, WriteError> {
    let mut written = 0;
    for f in files {
        if write_if_changed(&out.join(&f.path), &f.contents)? {
            written += 1;
        }
    }
    Ok(written)
}

/// Writes a file unless it already holds exactly these bytes. Returns whether it wrote.
fn write_if_changed(path: &Path, contents: &Contents) -> Result<bool, WriteError> {
    let owned;
    let bytes: &[u8] = match contents {
        Contents::Bytes(b) => b,
        Contents::Copy(src) => {
            owned = fs::read(src).map_err(|e| WriteError::Io(src.clone(), e))?;
            &owned
        }
    };
    let same = fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes);
    if same {
        return Ok(false);
    }
    atomic_write(path, bytes).map_err(|e| WriteError::Io(path.to_path_buf(), e))?;
    Ok(true)
}

/// Writes through a temporary file in the same folder and renames it into place.
fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.coffeechat-tmp"));
    let result = fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn read_manifest(out: &Path) -> BTreeSet<PathBuf> {
    fs::read_to_string(out.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .map(PathBuf::from)
        .filter(|p| is_plain_relative(p))
        .collect()
}

fn write_manifest(out: &Path, files: &BTreeSet<PathBuf>) -> Result<(), WriteError> {
    let mut text = String::new();
    for f in files {
        text.push_str(&f.to_string_lossy());
        text.push('\n');
    }
    let path = out.join(MANIFEST);
    atomic_write(&path, text.as_bytes()).map_err(|e| WriteError::Io(path, e))
}

/// A manifest line is trusted only if it stays inside the output folder.
fn is_plain_relative(p: &Path) -> bool {
    !p.as_os_str().is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Removes a file of an earlier build, then any folders it leaves empty.
fn remove_stale(out: &Path, rel: &Path) -> bool {
    let path = out.join(rel);
    if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) || fs::remove_file(&path).is_err() {
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
