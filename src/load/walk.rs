//! Finding the notes and attachments in a vault.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use crate::diag::{Diagnostic, Pos};
use crate::rules::Rule;

/// Top-level folders that hold site machinery, not notes.
const RESERVED_DIRS: [&str; 3] = ["templates", "static", "themes"];

/// What the walk found: Markdown notes and every other file a note might link to.
#[derive(Debug, Default)]
pub(crate) struct Inventory {
    /// Vault-relative paths of `.md` files, sorted.
    pub notes: Vec<PathBuf>,
    /// Vault-relative paths of other files (images, PDFs…), candidates for attachments.
    pub files: BTreeSet<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks `root`, skipping hidden entries, the reserved folders and `output` (when it lies
/// inside the vault). Symbolic links are followed only when they stay inside the vault.
pub(crate) fn walk(root: &Path, output: Option<&Path>) -> Inventory {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let output = output.and_then(|o| o.canonicalize().ok());
    let mut inv = Inventory::default();
    let mut escaping = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| keep(e, &canonical_root, output.as_deref(), &mut escaping));
    // A link to a folder inside the vault would show its notes twice; keep each real
    // file once. Only paths below a followed link need resolving.
    let mut linked_dirs: Vec<PathBuf> = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_dir() => {
                if e.path_is_symlink() {
                    linked_dirs.push(e.path().to_path_buf());
                }
            }
            Ok(e) if e.file_type().is_file() => {
                let via_link =
                    e.path_is_symlink() || linked_dirs.iter().any(|d| e.path().starts_with(d));
                let real = if via_link {
                    e.path()
                        .canonicalize()
                        .unwrap_or_else(|_| e.path().to_path_buf())
                } else {
                    canonical_root.join(e.path().strip_prefix(root).unwrap_or(e.path()))
                };
                if seen.insert(real) {
                    record(&mut inv, root, e.path());
                }
            }
            Ok(_) => {}
            Err(err) => inv.diagnostics.push(walk_error(root, &err)),
        }
    }
    inv.diagnostics
        .extend(escaping.iter().map(|p| escaping_link(root, p)));
    inv
}

fn record(inv: &mut Inventory, root: &Path, path: &Path) {
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    if rel
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
    {
        inv.notes.push(rel);
    } else {
        inv.files.insert(rel);
    }
}

/// Whether the walk should enter or list `e`; links leading out of the vault are noted
/// in `escaping` and skipped.
fn keep(
    e: &DirEntry,
    canonical_root: &Path,
    output: Option<&Path>,
    escaping: &mut Vec<PathBuf>,
) -> bool {
    if e.depth() == 0 {
        return true;
    }
    let name = e.file_name().to_string_lossy();
    if name.starts_with('.') {
        return false;
    }
    if e.file_type().is_dir() {
        if e.depth() == 1 && RESERVED_DIRS.contains(&name.as_ref()) {
            return false;
        }
        if output.is_some_and(|out| e.path().canonicalize().is_ok_and(|p| p == out)) {
            return false;
        }
    }
    if e.path_is_symlink() && !points_inside(e.path(), canonical_root) {
        escaping.push(e.path().to_path_buf());
        return false;
    }
    true
}

fn points_inside(path: &Path, canonical_root: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|target| target.starts_with(canonical_root))
}

fn escaping_link(root: &Path, path: &Path) -> Diagnostic {
    let rel = path.strip_prefix(root).unwrap_or(path);
    Diagnostic::new(
        Rule::LinkOutsideVault,
        rel,
        Pos::FILE,
        "this symbolic link points outside the vault (or nowhere) and was not followed",
    )
}

fn walk_error(root: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err.path().unwrap_or(root);
    let rel = path.strip_prefix(root).unwrap_or(path);
    if let Some(ancestor) = err.loop_ancestor() {
        let target = match ancestor.strip_prefix(root) {
            Ok(t) if t.as_os_str().is_empty() => "the vault folder".to_string(),
            Ok(t) => format!("`{}`", t.display()),
            Err(_) => format!("`{}`", ancestor.display()),
        };
        return Diagnostic::new(
            Rule::SymlinkLoop,
            rel,
            Pos::FILE,
            format!("this symbolic link loops back to {target} and was not followed"),
        );
    }
    Diagnostic::new(
        Rule::Unreadable,
        rel,
        Pos::FILE,
        format!("cannot read: {err}"),
    )
}
