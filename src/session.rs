//! Repeated builds of one vault, for `watch` and `serve`.
//!
//! A [`Session`] builds the site once, then rebuilds it after each batch of changed
//! files. The output always equals what `build` would write for the same vault and
//! `--today`; an error leaves the last good site in place.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::site::{Fatal, Options, Site};
use crate::write::Report;

/// What one build or rebuild did.
#[derive(Debug)]
pub struct Outcome {
    /// Every problem in the vault, sorted; errors mean nothing was written.
    pub diagnostics: Vec<Diagnostic>,
    /// `Ok(Some)` when the site was written, `Ok(None)` when the vault has errors.
    pub result: Result<Option<Report>, Fatal>,
}

impl Outcome {
    /// Whether the output now holds the site for the vault as it is.
    pub fn written(&self) -> bool {
        matches!(self.result, Ok(Some(_)))
    }
}

/// One vault being watched and rebuilt.
pub struct Session {
    opts: Options,
    /// The vault as last loaded, for diagnostics' snippets.
    site: Option<Site>,
}

impl Session {
    /// A session for the vault in `opts`; nothing is built until [`Session::build`].
    pub fn new(opts: Options) -> Session {
        Session { opts, site: None }
    }

    /// Builds the whole site from scratch.
    pub fn build(&mut self) -> Outcome {
        let mut site = match Site::load(&self.opts) {
            Ok(site) => site,
            Err(fatal) => {
                return Outcome {
                    diagnostics: Vec::new(),
                    result: Err(fatal),
                };
            }
        };
        let result = site.build();
        let diagnostics = std::mem::take(&mut site.diagnostics).sorted();
        self.site = Some(site);
        Outcome {
            diagnostics,
            result,
        }
    }

    /// Rebuilds after the files at `changed` (relative to the vault) were created,
    /// edited or deleted. `rescan` says the watcher lost track and everything may have
    /// changed.
    pub fn update(&mut self, changed: &[PathBuf], rescan: bool) -> Outcome {
        let _ = (changed, rescan);
        self.build()
    }

    /// The vault folder.
    pub fn root(&self) -> &Path {
        &self.opts.vault
    }

    /// The output folder, once the first build has run.
    pub fn output(&self) -> Option<&Path> {
        self.site.as_ref().map(|s| s.output.as_path())
    }

    /// The text of a vault file as last read, for diagnostics' snippets.
    pub fn source(&self, rel: &Path) -> Option<&str> {
        self.site.as_ref().and_then(|s| s.source(rel))
    }
}
