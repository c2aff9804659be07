//! Finding the notes and attachments in a vault.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use crate::diag::{Diagnostic, Pos};
use crate::rules::Rule;

/// Top-level folders that hold site machinery, not notes.
pub(crate) const RESERVED_DIRS: [&str; 3] = ["templates", "static", "themes"];

/// What the walk found: Markdown notes and every other file a note might link to.
#[derive(Debug, Default)]
pub(crate) struct Inventory {
    /// Vault-relative paths of `.md` files, sorted.
    pub notes: Vec<PathBuf>,
    /// Vault-relative paths of other files (images, PDFs…), candidates for attachments.
    pub files: BTreeSet<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the walk followed a symbolic link: a note may then be reached by two
    /// paths, and only a walk says which one it lists.
    pub linked: bool,
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
        if let Ok(e) = &entry {
            inv.linked |= e.path_is_symlink();
        }
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

/// Whether a walk of `root` that followed no symbolic link lists the vault path `rel` as
/// a note: a Markdown file there now, reached through no link, hidden by no name on the
/// way and in neither a reserved folder nor `output`. A watched vault's saves are
/// checked with this instead of walking the vault again.
pub(crate) fn lists_note(root: &Path, output: &Path, rel: &Path) -> bool {
    use std::path::Component;
    let names: Option<Vec<&str>> = rel
        .components()
        .map(|c| match c {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    let Some(names) = names else { return false };
    let last = names.len().saturating_sub(1);
    let skipped = names
        .iter()
        .enumerate()
        .any(|(i, name)| skipped_name(name, i + 1, i < last));
    if skipped || !is_markdown(rel) {
        return false;
    }
    let path = root.join(rel);
    let (Ok(meta), Ok(real), Ok(real_root)) = (
        path.symlink_metadata(),
        path.canonicalize(),
        root.canonicalize(),
    ) else {
        return false;
    };
    let inside_output = output.canonicalize().is_ok_and(|out| real.starts_with(out));
    meta.is_file() && real == real_root.join(rel) && !inside_output
}

/// Whether the walk skips an entry called `name` at `depth` (1 for the vault's own
/// entries): hidden ones, and the reserved folders at the top.
fn skipped_name(name: &str, depth: usize, is_dir: bool) -> bool {
    name.starts_with('.') || (is_dir && depth == 1 && RESERVED_DIRS.contains(&name))
}

fn is_markdown(rel: &Path) -> bool {
    rel.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

fn record(inv: &mut Inventory, root: &Path, path: &Path) {
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    if is_markdown(&rel) {
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
    if skipped_name(&name, e.depth(), e.file_type().is_dir()) {
        return false;
    }
    let is_output = || output.is_some_and(|out| e.path().canonicalize().is_ok_and(|p| p == out));
    if e.file_type().is_dir() && is_output() {
        return false;
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
