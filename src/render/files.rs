//! Vault files that notes embed (`![[chart.png|300]]`), found and shown as Obsidian
//! finds and shows them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// How an embedded file is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shown {
    Image,
    Audio,
    Video,
    /// Anything else, a PDF among them: a link to it.
    Link,
}

impl Shown {
    pub(crate) fn of(path: &Path) -> Shown {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "avif" | "bmp" => Shown::Image,
            "mp3" | "wav" | "m4a" | "ogg" | "flac" | "3gp" => Shown::Audio,
            "mp4" | "webm" | "ogv" | "mov" | "mkv" => Shown::Video,
            _ => Shown::Link,
        }
    }
}

/// The vault file an embed in the note at `from` names: its vault path, its path from
/// the note's folder, or else, as in Obsidian, a file of that name anywhere in the
/// vault, the one in the note's folder first, then the one with the shortest path.
pub(crate) fn find(files: &BTreeSet<PathBuf>, name: &str, from: &Path) -> Option<PathBuf> {
    let folder = from.parent().unwrap_or(Path::new(""));
    let exact = [PathBuf::from(name), folder.join(name)];
    if let Some(found) = exact.into_iter().find(|p| files.contains(p)) {
        return Some(found);
    }
    let wanted = Path::new(name).file_name()?;
    files
        .iter()
        .filter(|p| p.file_name() == Some(wanted))
        .min_by_key(|p| (p.parent() != Some(folder), p.as_os_str().len()))
        .cloned()
}

/// A size written as an embed's label, `300` or `300x200`: width and height.
pub(crate) fn size(label: &str) -> Option<(u32, Option<u32>)> {
    let (width, height) = match label.trim().split_once('x') {
        Some((w, h)) => (w, Some(h)),
        None => (label.trim(), None),
    };
    let width = width.parse().ok()?;
    match height {
        Some(h) => Some((width, Some(h.parse().ok()?))),
        None => Some((width, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_found_by_path_then_by_name_nearest_first() {
        let files: BTreeSet<PathBuf> = [
            "assets/chart.png",
            "notes/chart.png",
            "a/b/deep/chart.png",
            "notes/sub/photo.jpg",
        ]
        .into_iter()
        .map(PathBuf::from)
        .collect();
        let from = Path::new("notes/plan.md");
        let found = |name| find(&files, name, from).map(|p| p.display().to_string());
        assert_eq!(found("chart.png").as_deref(), Some("notes/chart.png"));
        assert_eq!(
            found("assets/chart.png").as_deref(),
            Some("assets/chart.png")
        );
        assert_eq!(
            found("sub/photo.jpg").as_deref(),
            Some("notes/sub/photo.jpg")
        );
        assert_eq!(found("photo.jpg").as_deref(), Some("notes/sub/photo.jpg"));
        assert_eq!(found("missing.png"), None);
        // From a folder with none: the shortest path.
        let elsewhere = find(&files, "chart.png", Path::new("other/x.md"));
        assert_eq!(elsewhere, Some(PathBuf::from("notes/chart.png")));
    }

    #[test]
    fn sizes_are_a_width_or_width_x_height() {
        assert_eq!(size("300"), Some((300, None)));
        assert_eq!(size("300x200"), Some((300, Some(200))));
        assert_eq!(size("a chart"), None);
        assert_eq!(size("300x"), None);
    }
}
