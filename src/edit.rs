//! `coffeechat log` and `coffeechat done`: small edits to an existing note's front
//! matter, made on its text so that every byte they do not need to change (comments,
//! key order, quoting, line endings, a BOM, the body) stays as the user wrote it.

use std::ops::Range;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diag::Severity;
use crate::model::note::{Kind, LOG_TYPES};
use crate::model::time::parse_date;
use crate::scaffold::{Refusal, find, load_vault, render_diagnostics, shown, validate};
use crate::yaml;

/// `coffeechat log`'s arguments.
#[derive(clap::Args, Debug)]
pub struct LogArgs {
    /// The contact (name, alias, slug or path like contacts/alex-rivera)
    pub contact: String,
    /// What happened
    #[arg(value_name = "TYPE", value_parser = clap::builder::PossibleValuesParser::new(LOG_TYPES))]
    pub kind: String,
    /// A few words about it
    pub note: Option<String>,
    /// The day it happened: 2026-12-01 (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub date: Option<Date>,
    /// The vault folder
    #[arg(long, value_name = "VAULT", default_value = ".")]
    pub vault: PathBuf,
}

/// `coffeechat done`'s arguments.
#[derive(clap::Args, Debug)]
pub struct DoneArgs {
    /// The chat (its slug like 2026-12-01-alex-rivera, or its path)
    pub chat: String,
    /// The day you sent the thank-you: 2026-12-01
    #[arg(long = "thank-you", value_name = "DATE", value_parser = parse_day)]
    pub thank_you: Option<Date>,
    /// The vault folder
    #[arg(long, value_name = "VAULT", default_value = ".")]
    pub vault: PathBuf,
}

fn parse_day(s: &str) -> Result<Date, String> {
    parse_date(s).map_err(|e| e.to_string())
}

/// Appends a touchpoint to a contact's `log`; the diff of what changed.
pub fn log(args: LogArgs) -> Result<String, Refusal> {
    let note = Opened::new(&args.vault, &args.contact, Kind::Contact, "CONTACT")?;
    let date = args.date.unwrap_or(note.today);
    let item = Item {
        date: date.to_string(),
        kind: args.kind,
        note: args.note.map(|n| yaml::quote(&n)),
    };
    let text = append_log(&note.text, &item)?;
    note.save(text)
}

/// Marks a chat done, and its thank-you sent when asked; the diff of what changed.
pub fn done(args: DoneArgs) -> Result<String, Refusal> {
    let note = Opened::new(&args.vault, &args.chat, Kind::Interview, "CHAT")?;
    let mut text = set_scalar(&note.text, "status", "done")?;
    if let Some(day) = args.thank_you {
        text = set_scalar(&text, "thank_you", &day.to_string())?;
    }
    note.save(text)
}

/// A note found by name, read as bytes on disk and known to have no errors.
struct Opened {
    root: PathBuf,
    rel: PathBuf,
    today: Date,
    bom: bool,
    /// The file's text without its BOM.
    text: String,
}

impl Opened {
    fn new(root: &Path, target: &str, kind: Kind, what: &str) -> Result<Opened, Refusal> {
        let site = load_vault(root)?;
        // A path as the shell completes it ends in `.md`, which references leave out.
        let id = find(&site.vault, target, kind, what).or_else(|miss| {
            match target.strip_suffix(".md") {
                Some(stem) => find(&site.vault, stem, kind, what).map_err(|_| miss),
                None => Err(miss),
            }
        })?;
        let rel = site.vault.notes[id].source.rel.clone();
        let errors: Vec<_> = site
            .loaded
            .all()
            .filter(|d| d.file == rel && d.severity == Severity::Error)
            .cloned()
            .collect();
        let path = shown(root, &rel);
        if !errors.is_empty() {
            let source = site.sources.get(&rel).map(|s| s.to_string());
            let shown_diags = render_diagnostics(root, &rel, &source.unwrap_or_default(), &errors);
            return Err(Refusal::new(format!(
                "{} has errors, so it was left as it is:",
                path.display()
            ))
            .showing(shown_diags)
            .hint("fix them (`coffeechat check` lists them), then run this again"));
        }
        let bytes = std::fs::read(root.join(&rel))
            .map_err(|e| Refusal::new(format!("cannot read {}: {e}", path.display())))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Refusal::new(format!("{} is not UTF-8", path.display())))?;
        let bom = text.starts_with('\u{feff}');
        Ok(Opened {
            root: root.to_path_buf(),
            rel,
            today: site.vault.today,
            bom,
            text: text.trim_start_matches('\u{feff}').to_string(),
        })
    }

    /// Writes `text` in place of the note, once it reads without errors; the diff of
    /// what changed.
    fn save(self, text: String) -> Result<String, Refusal> {
        let path = shown(&self.root, &self.rel);
        let broken: Vec<_> = validate(&self.rel, &text)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if !broken.is_empty() {
            let shown_diags = render_diagnostics(&self.root, &self.rel, &text, &broken);
            return Err(Refusal::new(format!(
                "the edit would leave {} with errors, so it was left as it is:",
                path.display()
            ))
            .showing(shown_diags)
            .hint("make this change by hand"));
        }
        if text == self.text {
            return Ok(format!(
                "{} already says so; nothing changed\n",
                path.display()
            ));
        }
        let diff = diff(&path, &self.text, &text);
        let bom = if self.bom { "\u{feff}" } else { "" };
        write_over(
            &self.root.join(&self.rel),
            format!("{bom}{text}").as_bytes(),
        )
        .map_err(|e| Refusal::new(format!("cannot write {}: {e}", path.display())))?;
        Ok(diff)
    }
}

/// Replaces the file at `path` by way of a hidden file beside it, so that a failed
/// write never leaves half a note. A symbolic link stays one (the file it points to is
/// replaced), and the file keeps its permissions.
fn write_over(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let path = std::fs::canonicalize(path)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.coffeechat-edit"));
    std::fs::write(&tmp, bytes)?;
    let kept =
        std::fs::metadata(&path).and_then(|m| std::fs::set_permissions(&tmp, m.permissions()));
    kept.and_then(|()| std::fs::rename(&tmp, &path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

/// A touchpoint to log, its note already quoted.
struct Item {
    date: String,
    kind: String,
    note: Option<String>,
}

/// The lines of `text` with the byte offset each starts at; each keeps its line end.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start, line))
    })
}

/// The line end the note uses: CRLF when its first line has one.
fn eol(text: &str) -> &'static str {
    match text.split_inclusive('\n').next() {
        Some(l) if l.ends_with("\r\n") => "\r\n",
        _ => "\n",
    }
}

/// The byte range of the front matter's lines, between its `---` lines.
fn front_matter(text: &str) -> Result<Range<usize>, Refusal> {
    let mut all = lines(text);
    let opened = all.next().is_some_and(|(_, l)| l.trim_end() == "---");
    let start = text.split_inclusive('\n').next().map_or(0, str::len);
    let end = all
        .find(|(_, l)| matches!(l.trim_end(), "---" | "..."))
        .map(|(at, _)| at);
    match (opened, end) {
        (true, Some(end)) => Ok(start..end),
        _ => Err(Refusal::new(
            "the note has no front matter between `---` lines",
        )),
    }
}

/// A top-level key's line in the front matter: its value (from after the colon to the
/// line end) and where the next line starts.
struct KeyLine {
    value: Range<usize>,
    next_line: usize,
}

fn key_line(text: &str, fm: &Range<usize>, key: &str) -> Option<KeyLine> {
    let spellings = [key.to_string(), format!("\"{key}\""), format!("'{key}'")];
    lines(&text[fm.clone()]).find_map(|(at, line)| {
        let name = spellings.iter().find(|k| line.starts_with(k.as_str()))?;
        let rest = line[name.len()..].strip_prefix(':')?;
        let start = fm.start + at + name.len() + 1;
        let content = rest.trim_end_matches(['\r', '\n']).len();
        Some(KeyLine {
            value: start..start + content,
            next_line: fm.start + at + line.len(),
        })
    })
}

/// Where a plain value's comment starts (` # …`), or its end.
fn comment_start(value: &str) -> usize {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in value.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev.is_whitespace() => {
                return value[..i].trim_end().len();
            }
            _ => {}
        }
        prev = c;
    }
    value.len()
}

/// Sets a top-level scalar key: its value replaced (a comment after it kept), or a line
/// added at the end of the front matter.
fn set_scalar(text: &str, key: &str, value: &str) -> Result<String, Refusal> {
    let fm = front_matter(text)?;
    Ok(match key_line(text, &fm, key) {
        Some(k) => {
            let old = &text[k.value.clone()];
            let keep = &old[comment_start(old)..];
            format!(
                "{} {value}{keep}{}",
                &text[..k.value.start],
                &text[k.value.end..]
            )
        }
        None => splice(text, fm.end, &format!("{key}: {value}{}", eol(text))),
    })
}

fn splice(text: &str, at: usize, insert: &str) -> String {
    format!("{}{insert}{}", &text[..at], &text[at..])
}

/// Appends `item` to the `log` list, in the list's own style.
fn append_log(text: &str, item: &Item) -> Result<String, Refusal> {
    let fm = front_matter(text)?;
    let nl = eol(text);
    let Some(k) = key_line(text, &fm, "log") else {
        let block = format!("log:{nl}{}", block_item(item, "  ", nl));
        return Ok(splice(text, fm.end, &block));
    };
    let value = &text[k.value.clone()];
    let value = value[..comment_start(value)].trim();
    if value.is_empty() {
        return Ok(append_block(text, &fm, &k, item));
    }
    if value.starts_with('[') {
        let open = k.value.start + text[k.value.clone()].find('[').unwrap_or(0);
        if let Some(at) = flow_insert_point(text, open, fm.end) {
            let sep = match text[..at].chars().next_back() {
                Some('[') => "",
                Some(',') => " ",
                _ => ", ",
            };
            return Ok(splice(text, at, &format!("{sep}{}", flow_item(item))));
        }
    }
    Err(Refusal::new(format!(
        "the note's `log:` is `{value}`, not a list; make it a list to log in it"
    )))
}

/// Adds `item` after the last item of the block list that starts after `k`.
fn append_block(text: &str, fm: &Range<usize>, k: &KeyLine, item: &Item) -> String {
    let mut indent = None;
    let mut after = k.next_line;
    for (at, line) in lines(&text[k.next_line..fm.end]) {
        let body = line.trim_start_matches([' ', '\t']);
        let blank = body.trim().is_empty() || body.starts_with('#');
        let depth = line.len() - body.len();
        if !blank && depth == 0 && !body.starts_with('-') {
            break;
        }
        if body.starts_with('-') && indent.is_none() {
            indent = Some(&line[..depth]);
        }
        if !blank {
            after = k.next_line + at + line.len();
        }
    }
    splice(
        text,
        after,
        &block_item(item, indent.unwrap_or("  "), eol(text)),
    )
}

fn block_item(item: &Item, indent: &str, nl: &str) -> String {
    let mut s = format!(
        "{indent}- date: {}{nl}{indent}  type: {}{nl}",
        item.date, item.kind
    );
    if let Some(note) = &item.note {
        s.push_str(&format!("{indent}  note: {note}{nl}"));
    }
    s
}

fn flow_item(item: &Item) -> String {
    match &item.note {
        Some(note) => format!("{{date: {}, type: {}, note: {note}}}", item.date, item.kind),
        None => format!("{{date: {}, type: {}}}", item.date, item.kind),
    }
}

/// Where a new item goes in the flow list opening at `open`: just after its last item
/// (before the spaces, line breaks and comments ahead of its closing `]`).
fn flow_insert_point(text: &str, open: usize, end: usize) -> Option<usize> {
    let mut depth = 0;
    let mut quote = None;
    let mut comment = false;
    let mut last = open + 1;
    let mut prev = ' ';
    for (i, c) in text[open..end].char_indices() {
        let at = open + i;
        match (comment, quote, c) {
            (true, _, '\n') => comment = false,
            (true, ..) => {}
            (_, Some(q), c) if c == q => quote = None,
            (_, Some(_), _) => {}
            (_, None, '#') if prev.is_whitespace() => comment = true,
            (_, None, '"' | '\'') => quote = Some(c),
            (_, None, '[' | '{') => depth += 1,
            (_, None, ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return Some(last);
                }
            }
            _ => {}
        }
        if !comment && !c.is_whitespace() {
            last = at + c.len_utf8();
        }
        prev = c;
    }
    None
}

/// The changed lines of `old` and `new`, as a unified diff without context.
fn diff(path: &Path, old: &str, new: &str) -> String {
    let shown = path.to_string_lossy().replace('\\', "/");
    // Shown on a terminal: line ends as the terminal writes them, whatever the file's.
    let (old, new) = (old.replace("\r\n", "\n"), new.replace("\r\n", "\n"));
    similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(0)
        .header(&shown, &shown)
        .to_string()
}
