//! Stage 3, render: note bodies to HTML, then every page through Tera templates.

pub mod markdown;
pub mod pages;
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
    pages: &[Page],
    sink: impl Fn(OutputFile) -> T + Sync,
) -> (Vec<RenderedPage<T>>, Vec<Diagnostic>) {
    let results: Vec<Result<RenderedPage<T>, Diagnostic>> = pages
        .par_iter()
        .map(|&page| {
            let views = Views::new(inputs);
            let file = pages::render(inputs.vault, &views, theme, &page)?;
            Ok(RenderedPage {
                page,
                file: sink(file),
                deps: views.into_deps(),
            })
        })
        .collect();
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
