//! Stage 3, render: note bodies to HTML, then every page through Tera templates.

pub(crate) mod autolink;
pub(crate) mod charts;
pub(crate) mod dates;
pub(crate) mod drafts;
pub(crate) mod files;
pub(crate) mod intros;
pub(crate) mod markdown;
pub(crate) mod network;
pub(crate) mod obsidian;
pub(crate) mod pages;
pub(crate) mod rows;
pub(crate) mod sanitize;
pub(crate) mod search;
pub(crate) mod theme;
pub(crate) mod view;

use std::collections::BTreeSet;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::model::Vault;
use crate::model::note::NoteId;
use markdown::Body;
pub(crate) use pages::Page;
pub(crate) use rows::RowCache;
pub(crate) use theme::Theme;
use view::Views;
pub(crate) use view::{Aspect, Deps, Inputs};

/// `text` with `&`, `<`, `>` and quotes escaped, for HTML text or an attribute.
pub(crate) fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// A file of the finished site, in memory.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct OutputFile {
    /// Path relative to the output folder.
    pub path: PathBuf,
    pub contents: Contents,
}

/// Bytes rendered here, or a file to copy as is from the vault or theme.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Contents {
    Bytes(Vec<u8>),
    Copy(PathBuf),
}

/// Renders every note body in parallel, by id (a removed note's is empty).
pub(crate) fn bodies(vault: &Vault, files: &BTreeSet<PathBuf>) -> Vec<Body> {
    (0..vault.notes.bound())
        .into_par_iter()
        .map(|id| match vault.notes.get(id) {
            Some(_) => markdown::render(vault, files, id),
            None => Body::default(),
        })
        .collect()
}

/// For each note, the notes whose bodies link to it, in path order.
pub(crate) fn backlinks(vault: &Vault, bodies: &[Body]) -> Vec<Vec<NoteId>> {
    let mut backlinks = vec![Vec::new(); bodies.len()];
    for from in vault.notes.ids() {
        for &to in &bodies[from].links {
            if to != from {
                backlinks[to].push(from);
            }
        }
    }
    backlinks
}

/// A page rendered, with what it showed.
#[derive(Debug)]
pub(crate) struct RenderedPage<T = OutputFile> {
    /// What the caller's sink made of the page's file.
    pub file: T,
    pub deps: Deps,
}

/// Renders `pages` in parallel and hands each file to `sink` as soon as it is rendered,
/// so that the caller need not hold the whole site; `rows`, when given, keeps the list
/// rows rendered for the next render. Returns the pages that rendered, and the template
/// errors of those that did not.
pub(crate) fn pages<T: Send>(
    inputs: Inputs,
    theme: &Theme,
    rows: Option<&RowCache>,
    pages: &[Page],
    sink: impl Fn(OutputFile) -> T + Sync,
) -> (Vec<RenderedPage<T>>, Vec<Diagnostic>) {
    let shared = pages::Shared::new(inputs, rows);
    // A page to a job: a rebuild's few long pages come first (see `session`), and
    // rayon would otherwise hand them to one core as a single run while the other
    // takes the short ones.
    let results: Vec<Result<RenderedPage<T>, Diagnostic>> = pages
        .par_iter()
        .with_max_len(1)
        .map(|&page| {
            let views = Views::new(inputs);
            let file = pages::render(inputs.vault, &views, &shared, theme, &page)?;
            Ok(RenderedPage {
                file: sink(file),
                deps: views.into_deps(),
            })
        })
        .collect();
    if let Some(rows) = rows {
        rows.trim();
    }
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
