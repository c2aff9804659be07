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
use crate::model::agenda::Agenda;
use crate::model::note::NoteId;
use markdown::Body;
pub use pages::Page;
pub use theme::Theme;

/// A file of the finished site, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder.
    pub path: PathBuf,
    pub contents: Contents,
}

/// Bytes rendered here, or a file to copy as is from the vault or theme.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    let mut backlinks = vec![Vec::new(); vault.notes.len()];
    for (from, body) in bodies.iter().enumerate() {
        for &to in &body.links {
            if to != from {
                backlinks[to].push(from);
            }
        }
    }
    (bodies, backlinks)
}

/// Renders every page of the site. Template errors are returned as diagnostics.
pub fn site(
    vault: &Vault,
    agenda: &Agenda,
    bodies: &[Body],
    backlinks: &[Vec<NoteId>],
    theme: &Theme,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let urls = view::page_urls(vault);
    let views = view::Views {
        vault,
        agenda,
        bodies,
        backlinks,
        urls: &urls,
    };
    let results: Vec<Result<OutputFile, Diagnostic>> = pages::all(vault)
        .into_par_iter()
        .map(|page| pages::render(&views, theme, &page))
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        errors.dedup_by(|a, b| a.message == b.message);
        return Err(errors);
    }
    Ok(files)
}
