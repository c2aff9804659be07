//! The pipeline: load → model → render → write, as one `Site::load` then `Site::build`.
//!
//! `build` uses all of it; `check` stops before writing; `watch` and `serve` build once
//! and then rebuild from the parts kept here (see [`crate::session`]).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;

use crate::check;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::Vault;
use crate::model::agenda::Agenda;
use crate::model::note::NoteId;
use crate::model::settings::{self, Settings};
use crate::render::markdown::Body;
use crate::render::{self, Contents, Inputs, OutputFile, RenderedPage, RowCache, Theme};
use crate::write::{self, Report, Staging, WriteError};

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub vault: PathBuf,
    /// Output folder; default: the settings' `output`, inside the vault.
    pub output: Option<PathBuf>,
    /// The date the build treats as today; default: today in the vault's time zone.
    pub today: Option<Date>,
}

/// A loaded, typed vault with everything found wrong in it.
pub struct Site {
    pub root: PathBuf,
    pub output: PathBuf,
    pub vault: Vault,
    /// Vault files that are not notes, which notes may link to.
    pub files: BTreeSet<PathBuf>,
    pub diagnostics: Diagnostics,
    /// What loading found, by where it came from (also in `diagnostics`).
    pub loaded: LoadDiagnostics,
    /// File texts by vault path, for diagnostics' snippets.
    pub sources: HashMap<PathBuf, Arc<str>>,
}

/// What loading found wrong, kept by origin so that a rebuild can replace only the
/// part it does again.
#[derive(Clone, Debug, Default)]
pub struct LoadDiagnostics {
    pub settings: Vec<Diagnostic>,
    /// Walking the vault and reading its files.
    pub files: Vec<Diagnostic>,
    /// Each note's front matter, by note id.
    pub notes: Vec<Vec<Diagnostic>>,
    /// Across notes: duplicate slugs and profiles, references that do not resolve.
    pub vault: Vec<Diagnostic>,
}

impl LoadDiagnostics {
    pub fn all(&self) -> impl Iterator<Item = &Diagnostic> {
        self.settings
            .iter()
            .chain(&self.files)
            .chain(self.notes.iter().flatten())
            .chain(&self.vault)
    }
}

/// Prints how long each stage took when `COFFEECHAT_TIMINGS` is set, for profiling
/// (BENCHMARKS.md shows where the time goes with it).
pub(crate) struct Stopwatch(Option<std::time::Instant>);

impl Stopwatch {
    pub(crate) fn start() -> Stopwatch {
        Stopwatch(std::env::var_os("COFFEECHAT_TIMINGS").map(|_| std::time::Instant::now()))
    }

    pub(crate) fn lap(&mut self, stage: &str) {
        if let Some(t) = self.0 {
            eprintln!(
                "timing: {stage:<8} {:>8.1} ms{}",
                t.elapsed().as_secs_f64() * 1000.0,
                memory().unwrap_or_default()
            );
            self.0 = Some(std::time::Instant::now());
        }
    }
}

/// Resident and peak memory so far, where `/proc` tells them (Linux).
fn memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: u64 = line[name.len()..]
            .trim()
            .trim_end_matches(" kB")
            .parse()
            .ok()?;
        Some(kb / 1024)
    };
    Some(format!(
        ", resident {} MB, peak {} MB",
        field("VmRSS:")?,
        field("VmHWM:")?
    ))
}

/// What the pages are made from, besides the vault itself.
pub struct Derived {
    pub bodies: Vec<Body>,
    /// For each note, the notes whose bodies link to it.
    pub backlinks: Vec<Vec<NoteId>>,
    pub agenda: Agenda,
    /// For each note, its page URL and link key.
    pub links: Vec<render::view::PageLink>,
}

impl Derived {
    pub fn inputs<'a>(&'a self, vault: &'a Vault) -> Inputs<'a> {
        Inputs {
            vault,
            agenda: &self.agenda,
            bodies: &self.bodies,
            backlinks: &self.backlinks,
            links: &self.links,
        }
    }
}

/// What the pages are rendered from.
pub struct Prepared {
    pub derived: Derived,
    /// What the lint rules found, before the settings silence any.
    pub lint: check::Lint,
    pub theme: Theme,
}

/// What a session keeps made from one build to the next: list rows and calendar entries,
/// each under a hash of what it was made from, so a rebuild makes again only those whose
/// notes changed.
#[derive(Default)]
pub struct Memos {
    pub rows: RowCache,
    pub calendar: crate::calendar::EntryMemo,
}

/// The whole site rendered, each file as a sink made it.
pub struct Rendered<T> {
    pub derived: Derived,
    /// What the lint rules found, before the settings silence any.
    pub lint: check::Lint,
    pub theme: Theme,
    pub pages: Vec<RenderedPage<T>>,
    /// Every other file: the theme's static files, calendar.ics and attachments; none
    /// when a page failed.
    pub other: Vec<T>,
    /// Whether every page rendered.
    pub complete: bool,
}

impl<T> Rendered<T> {
    /// Every file: pages, then the others.
    pub fn files(self) -> impl Iterator<Item = T> {
        self.pages.into_iter().map(|p| p.file).chain(self.other)
    }
}

/// What went wrong outside the vault's content: a refused or unwritable output folder.
#[derive(Debug)]
pub struct Fatal(pub String);

impl Site {
    /// Walks, reads and types the vault. Problems in notes are collected, not fatal.
    pub fn load(opts: &Options) -> Result<Site, Fatal> {
        let root = opts.vault.clone();
        if !root.is_dir() {
            return Err(Fatal(format!("{} is not a folder", root.display())));
        }
        let mut loaded = LoadDiagnostics::default();
        let (settings, settings_text) = Settings::load(&root, &mut loaded.settings);
        let output = opts
            .output
            .clone()
            .unwrap_or_else(|| root.join(&settings.output));
        let today = opts.today.unwrap_or_else(|| today_in(&settings));
        let mut watch = Stopwatch::start();
        let inventory = load::walk(&root, Some(&output));
        watch.lap("walk");
        loaded.files = inventory.diagnostics;
        let (sources, read_diags) = load::read_notes(&root, &inventory.notes);
        watch.lap("read");
        loaded.files.extend(read_diags);
        let mut texts: HashMap<PathBuf, Arc<str>> = sources
            .iter()
            .map(|s| (s.rel.clone(), s.text.clone()))
            .collect();
        if let Some(text) = settings_text {
            texts.insert(settings::FILE_NAME.into(), text.into());
        }
        let (notes, typing) = crate::model::type_notes(sources).into_iter().unzip();
        loaded.notes = typing;
        let (vault, vault_diags) = Vault::new(notes, settings, today);
        watch.lap("model");
        loaded.vault = vault_diags;
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(loaded.all().cloned());
        Ok(Site {
            root,
            output,
            vault,
            files: inventory.files,
            diagnostics,
            loaded,
            sources: texts,
        })
    }

    /// Renders note bodies and works out what is due, running the lint rules on the way.
    pub fn derive(&mut self) -> Derived {
        let mut watch = Stopwatch::start();
        // The agenda is serial work that needs no bodies: made beside them, it takes
        // the gaps in their parallel work.
        let ((bodies, backlinks), agenda) = rayon::join(
            || render::bodies(&self.vault, &self.files),
            || Agenda::new(&self.vault),
        );
        watch.lap("bodies");
        Derived {
            links: render::view::page_links(&self.vault),
            bodies,
            backlinks,
            agenda,
        }
    }

    /// Everything found wrong in the vault: what loading found, what rendering the
    /// bodies found, and the lint rules, minus the rules the settings turn off. Returns
    /// what the lint rules found.
    pub fn diagnose(&mut self, derived: &Derived) -> check::Lint {
        for b in &derived.bodies {
            self.diagnostics.extend(b.diagnostics.iter().cloned());
        }
        let lint = check::lint(&self.vault, &derived.agenda);
        self.diagnostics.extend(lint.iter().cloned());
        self.diagnostics.silence(&self.vault.settings.lint.off);
        lint
    }

    /// Derives what the pages show and loads the theme; `None` when the vault or the
    /// theme has errors, which are then in `self.diagnostics`.
    pub fn prepare(&mut self) -> Option<Prepared> {
        let derived = self.derive();
        let lint = self.diagnose(&derived);
        let theme = Theme::load(&self.root, self.vault.settings.theme.as_deref())
            .map_err(|d| self.diagnostics.extend(d))
            .ok()?;
        if self.diagnostics.has_errors() {
            return None;
        }
        Some(Prepared {
            derived,
            lint,
            theme,
        })
    }

    /// Renders the whole site, handing each file to `sink` as soon as it is ready.
    /// Returns `None` when the vault has errors and nothing was rendered; when a
    /// template fails on some page, [`Rendered::complete`] is false. Either way the
    /// problems are in `self.diagnostics`.
    pub fn render_with<T: Send>(
        &mut self,
        sink: impl Fn(OutputFile) -> T + Sync,
    ) -> Option<Rendered<T>> {
        let prepared = self.prepare()?;
        Some(self.render_prepared(prepared, &Memos::default(), sink))
    }

    /// Renders every page and file from what [`Site::prepare`] made, keeping the list
    /// rows and calendar entries it makes in `memos`.
    pub fn render_prepared<T: Send>(
        &mut self,
        prepared: Prepared,
        memos: &Memos,
        sink: impl Fn(OutputFile) -> T + Sync,
    ) -> Rendered<T> {
        let Prepared {
            derived,
            lint,
            theme,
        } = prepared;
        let mut watch = Stopwatch::start();
        let all = render::pages::all(&self.vault);
        // calendar.ics is one long serial job; made beside the pages, it fills the
        // gaps in their parallel work instead of running alone after them.
        let ((pages, errors), calendar) = rayon::join(
            || {
                render::pages(
                    derived.inputs(&self.vault),
                    &theme,
                    &memos.rows,
                    &all,
                    &sink,
                )
            },
            || crate::calendar::file(&self.vault, &derived.agenda, &memos.calendar),
        );
        watch.lap("pages");
        let complete = errors.is_empty();
        self.diagnostics.extend(errors);
        let mut other = Vec::new();
        if complete {
            other.push(sink(calendar));
            other.extend(others(&self.root, &theme, &derived.bodies).map(&sink));
            watch.lap("others");
        }
        Rendered {
            derived,
            lint,
            theme,
            pages,
            other,
            complete,
        }
    }

    /// Renders every page, as `check` does to find template errors, dropping each page
    /// as soon as it is made: the problems found are in `self.diagnostics`.
    pub fn check(&mut self) {
        self.render_with(drop);
    }

    /// Renders and writes the site, each page staged as soon as it is rendered so the
    /// whole site is never held in memory. Nothing is written when the vault has errors.
    pub fn build(&mut self) -> Result<Option<Report>, Fatal> {
        write::check_output(&self.root, &self.output).map_err(fatal)?;
        let staging = Staging::new(&self.output);
        let Some(rendered) = self.render_with(|f| staging.stage_file(&f)) else {
            return Ok(None);
        };
        let complete = rendered.complete;
        let staged: Vec<_> = rendered.files().collect();
        let mut watch = Stopwatch::start();
        let report = write::settle(staging, staged, complete);
        watch.lap("write");
        report.map_err(fatal)
    }

    /// The text of a vault file, for snippets.
    pub fn source(&self, rel: &Path) -> Option<&str> {
        self.sources.get(rel).map(|t| &**t)
    }
}

fn fatal(e: WriteError) -> Fatal {
    Fatal(e.to_string())
}

/// The files that are neither pages nor calendar.ics: the theme's static files, then
/// the files that note bodies link to, copied under `files/` with their vault path.
pub fn others<'a>(
    root: &'a Path,
    theme: &'a Theme,
    bodies: &'a [Body],
) -> impl Iterator<Item = OutputFile> + 'a {
    let used: BTreeSet<&PathBuf> = bodies.iter().flat_map(|b| &b.attachments).collect();
    let attachments = used.into_iter().map(|rel| OutputFile {
        path: Path::new(render::markdown::FILES_DIR).join(rel),
        contents: Contents::Copy(root.join(rel)),
    });
    theme.static_files.iter().cloned().chain(attachments)
}

/// Today in the vault's time zone, else the system's.
pub(crate) fn today_in(settings: &Settings) -> Date {
    let tz = settings
        .timezone
        .as_deref()
        .and_then(|name| jiff::tz::TimeZone::get(name).ok())
        .unwrap_or_else(jiff::tz::TimeZone::system);
    jiff::Timestamp::now().to_zoned(tz).date()
}
