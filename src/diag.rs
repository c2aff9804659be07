//! Diagnostics: problems found in a vault, each pinned to a file, line and column.
//!
//! Every stage reports through [`Diagnostics`] instead of failing on the first problem,
//! so one run shows the user everything that is wrong.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::rules::Rule;
pub use crate::rules::Severity;

/// A place in a source file. Lines and columns are 1-based and count in the file itself
/// (the opening `---` of the front matter is line 1); columns count characters.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Width of the offending text in characters, at least 1 when known.
    pub len: u32,
}

impl Pos {
    /// A position at the very start of a file, for problems with the file as a whole.
    pub const FILE: Pos = Pos {
        line: 1,
        column: 1,
        len: 0,
    };

    /// A position at `line`, `column`, `len` characters long.
    pub fn new(line: u32, column: u32, len: u32) -> Pos {
        Pos { line, column, len }
    }
}

/// One problem in the vault.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The rule's severity, as the registry has it.
    pub severity: Severity,
    pub(crate) rule: Rule,
    /// The file, relative to the vault.
    pub file: PathBuf,
    /// Where in the file.
    pub pos: Pos,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is a fix to name.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem `rule` finds at `pos` in `file` (relative to the vault).
    pub fn new(rule: Rule, file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: rule.severity(),
            rule,
            file: file.to_path_buf(),
            pos,
            message: message.into(),
            hint: None,
        }
    }

    /// This diagnostic with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The name of the rule that found it, such as `unknown-field`.
    pub fn rule(&self) -> &'static str {
        self.rule.name()
    }

    fn sort_key(&self) -> (&Path, Pos, Severity) {
        (&self.file, self.pos, self.severity)
    }
}

/// A collection of diagnostics gathered across the pipeline.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds several.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether any is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All of them, as gathered.
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Drops warnings of the rules the user turned off; errors always stay.
    pub fn silence(&mut self, rules: &[Rule]) {
        self.items
            .retain(|d| d.severity == Severity::Error || !rules.contains(&d.rule));
    }

    /// The diagnostics sorted by file, then position, deduplicated.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }
}

/// Renders diagnostics as rustc-style text with a source snippet and a caret.
pub struct Printer<'a> {
    renderer: Renderer,
    /// Looks up the text of a vault-relative file, for the snippet.
    source_of: &'a dyn Fn(&Path) -> Option<&'a str>,
    /// Prefix shown before each file path, so paths are clickable from the user's shell.
    display_root: &'a Path,
}

impl<'a> Printer<'a> {
    /// A printer for diagnostics, with paths shown below `display_root` and source lines from `source_of`.
    pub fn new(
        color: bool,
        display_root: &'a Path,
        source_of: &'a dyn Fn(&Path) -> Option<&'a str>,
    ) -> Self {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        Printer {
            renderer,
            source_of,
            display_root,
        }
    }

    /// One diagnostic, with its source line underlined where it can be shown.
    pub fn render(&self, d: &Diagnostic) -> String {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = if self.display_root == Path::new(".") {
            d.file.display().to_string()
        } else {
            self.display_root.join(&d.file).display().to_string()
        };
        let path = printable(&path).into_owned();
        let title = level.primary_title(printable(&d.message)).id(d.rule.name());
        let line_text = (self.source_of)(&d.file).and_then(|src| nth_line(src, d.pos.line));
        // A very long line is not shown: annotate-snippets measures all of it for each
        // of its findings, which made printing thousands of them take minutes.
        let shown = line_text.filter(|text| text.len() <= LONGEST_SHOWN_LINE);
        let mut groups = vec![match (shown, line_text) {
            (Some(text), _) => title.element(
                Snippet::source(text)
                    .line_start(d.pos.line as usize)
                    .path(path.clone())
                    .annotation(AnnotationKind::Primary.span(char_span(text, d.pos))),
            ),
            (None, Some(_)) => title.element(
                annotate_snippets::Origin::path(path.clone())
                    .line(d.pos.line as usize)
                    .char_column(d.pos.column as usize),
            ),
            (None, None) => title.element(annotate_snippets::Origin::path(path.clone())),
        }];
        if let Some(hint) = &d.hint {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(printable(hint)),
            ));
        }
        let mut out = self.renderer.render(&groups);
        // annotate-snippets omits line and column when no snippet is shown; keep them findable.
        if line_text.is_none() {
            let _ = write!(out, "\n  at {path}:{}:{}", d.pos.line, d.pos.column);
        }
        out
    }
}

/// `text` with its control characters escaped (`\u{1b}`, `\n`): a file name or a
/// note's text with terminal escapes or line breaks in it must not clear the screen or
/// print a line that looks like one of ours.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c.is_control() {
            true => out.extend(c.escape_default()),
            false => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The diagnostics as one JSON object, the schema documented in the README:
/// `{"version": 1, "errors": N, "warnings": N, "diagnostics": [{file, line, column,
/// end_line, end_column, severity, rule, message, hint}]}`. `end_column` is exclusive.
pub fn to_json(diags: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.file.to_string_lossy().replace('\\', "/"),
                "line": d.pos.line,
                "column": d.pos.column,
                "end_line": d.pos.line,
                "end_column": d.pos.column + d.pos.len.max(1),
                "severity": match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                "rule": d.rule.name(),
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    let count = |s| count(diags, s);
    serde_json::json!({
        "version": 1,
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
        "diagnostics": items,
    })
    .to_string()
}

/// How many of `diags` have `severity`.
pub fn count(diags: &[Diagnostic], severity: Severity) -> usize {
    diags.iter().filter(|d| d.severity == severity).count()
}

/// "1 error", "2 errors".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The text of 1-based line `n`, without its line ending.
fn nth_line(src: &str, n: u32) -> Option<&str> {
    let line = src.split('\n').nth(n.checked_sub(1)? as usize)?;
    Some(line.strip_suffix('\r').unwrap_or(line))
}

/// The longest line, in bytes, that a diagnostic shows.
const LONGEST_SHOWN_LINE: usize = 1000;

/// Converts a 1-based character column and width into a byte range of `line`.
fn char_span(line: &str, pos: Pos) -> std::ops::Range<usize> {
    let byte_at = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(i, _)| i)
    };
    let start = byte_at(pos.column.saturating_sub(1) as usize);
    let end = byte_at((pos.column.saturating_sub(1) + pos.len.max(1)) as usize);
    start..end.max(start)
}
