//! Stage 3, render: note bodies to HTML, then every page through Tera templates.

pub mod dates;
pub mod markdown;
pub mod pages;
pub mod rows;
pub mod theme;
pub mod view;

use std::collections::BTreeSet;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::model::Vault;
use crate::model::note::NoteId;
use markdown::Body;
pub use pages::Page;
pub use rows::RowCache;
pub use theme::Theme;
use view::Views;
pub use view::{Aspect, Deps, Inputs};

/// A file of the finished site, in memory.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OutputFile {
    /// Path relative to the output folder.
    pub path: PathBuf,
    pub contents: Contents,
}

/// Bytes rendered here, or a file to copy as is from the vault or theme.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Contents {
    Bytes(Vec<u8>),
    Copy(PathBuf),
}

/// Renders every note body in parallel and returns them with each note's backlinks.
pub fn bodies(vault: &Vault, files: &BTreeSet<PathBuf>) -> (Vec<Body>, Vec<Vec<NoteId>>) {
    let bodies: Vec<Body> = (0..vault.notes.len())
        .into_par_iter()
        .map(|id| markdown::render(vault, files, id))
        .collect();
    let backlinks = backlinks(&bodies);
    (bodies, backlinks)
}

/// For each note, the notes whose bodies link to it.
pub fn backlinks(bodies: &[Body]) -> Vec<Vec<NoteId>> {
    let mut backlinks = vec![Vec::new(); bodies.len()];
    for (from, body) in bodies.iter().enumerate() {
        for &to in &body.links {
            if to != from {
                backlinks[to].push(from);
            }
        }
    }
    backlinks
}

/// A page rendered, with what it showed.
#[derive(Debug)]
pub struct RenderedPage<T = OutputFile> {
    pub page: Page,
    /// What the caller's sink made of the page's file.
    pub file: T,
    pub deps: Deps,
}

/// Renders `pages` in parallel and hands each file to `sink` as soon as it is rendered,
/// so that the caller need not hold the whole site. Returns the pages that rendered,
/// and the template errors of those that did not.
pub fn pages<T: Send>(
    inputs: Inputs,
    theme: &Theme,
    rows: &RowCache,
    pages: &[Page],
    sink: impl Fn(OutputFile) -> T + Sync,
) -> (Vec<RenderedPage<T>>, Vec<Diagnostic>) {
    let shared = pages::Shared::new(inputs, rows);
    let results: Vec<Result<RenderedPage<T>, Diagnostic>> = pages
        .par_iter()
        .map(|&page| {
            let views = Views::new(inputs);
            let file = pages::render(inputs.vault, &views, Some(&shared), theme, &page)?;
            Ok(RenderedPage {
                page,
                file: sink(file),
                deps: views.into_deps(),
            })
        })
        .collect();
    theme.list_html.clear();
    rows.trim();
    let mut rendered = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(p) => rendered.push(p),
            Err(d) => errors.push(d),
        }
    }
    errors.dedup_by(|a, b| a.message == b.message);
    (rendered, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{Options, Site};

    /// Every page of the example vault renders to the same bytes and records the same
    /// dependencies whether it takes values shared across pages or converts its own.
    #[test]
    fn shared_values_leave_pages_and_deps_unchanged() {
        let opts = Options {
            vault: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-vault"),
            output: Some(std::env::temp_dir().join("coffeechat-unused-output")),
            today: Some(jiff::civil::date(2026, 11, 23)),
        };
        let mut site = Site::load(&opts).unwrap_or_else(|_| panic!("the example vault loads"));
        let derived = site.derive();
        let inputs = derived.inputs(&site.vault);
        let theme = Theme::load(&site.root, None).unwrap();
        let rows = RowCache::default();
        let shared = pages::Shared::new(inputs, &rows);
        let all = pages::all(&site.vault);
        assert!(all.len() > 30);
        for page in all {
            let render = |shared| {
                let views = Views::new(inputs);
                let file = pages::render(&site.vault, &views, shared, &theme, &page).unwrap();
                (file, views.into_deps())
            };
            let (alone, alone_deps) = render(None);
            let (with_shared, shared_deps) = render(Some(&shared));
            assert!(alone == with_shared, "{page:?} differs");
            assert_eq!(alone_deps, shared_deps, "{page:?} records other deps");
        }
    }
}
