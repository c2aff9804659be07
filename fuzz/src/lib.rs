//! What the fuzz targets share: vaults packed into one input, scratch folders, and
//! checks of what a build wrote.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use coffeechat::diag::Diagnostic;
use coffeechat::session::Options;
use tempfile::TempDir;

/// Separates the files of a packed vault. 0xFF and 0xFE never occur in UTF-8, so a
/// note's text never holds them.
pub const FILE: u8 = 0xFF;
/// Separates the saves of a packed sequence (see the `incremental` target).
pub const SAVE: u8 = 0xFE;

/// At most this many files are taken from one input: more only slows a run down.
const MAX_FILES: usize = 24;

/// The date every build treats as today, so that a run does not depend on the calendar.
pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 23)
}

/// One file of a packed vault: a vault path and its bytes, `None` to delete it.
pub struct Entry {
    pub rel: PathBuf,
    pub bytes: Option<Vec<u8>>,
}

/// The files packed in `data`: parts separated by [`FILE`], each a vault path (with
/// `/`), a newline and the file's bytes; a part with no newline deletes the path. Parts
/// whose path is not a plain relative path of at most four names are left out.
pub fn unpack(data: &[u8]) -> Vec<Entry> {
    data.split(|&b| b == FILE)
        .filter_map(|part| {
            let (path, bytes) = match part.iter().position(|&b| b == b'\n') {
                Some(i) => (&part[..i], Some(part[i + 1..].to_vec())),
                None => (part, None),
            };
            let rel = plain_path(std::str::from_utf8(path).ok()?)?;
            Some(Entry { rel, bytes })
        })
        .take(MAX_FILES)
        .collect()
}

fn plain_path(path: &str) -> Option<PathBuf> {
    let names: Vec<&str> = path.split('/').collect();
    let plain = |n: &&str| !n.is_empty() && *n != "." && *n != ".." && !n.contains(['\\', '\0']);
    (path.len() <= 120 && names.len() <= 4 && names.iter().all(plain))
        .then(|| names.iter().collect())
}

/// Writes (or deletes) `entries` under `root`; returns the paths it changed, as
/// `Session::update` takes them. A write that cannot be done (a file where a folder
/// must go) is left out.
pub fn apply(root: &Path, entries: &[Entry]) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    for e in entries {
        let path = root.join(&e.rel);
        let done = match &e.bytes {
            Some(bytes) => {
                path.parent().is_some_and(|p| fs::create_dir_all(p).is_ok())
                    && fs::write(&path, bytes).is_ok()
            }
            None if path.is_dir() => fs::remove_dir_all(&path).is_ok(),
            None => fs::remove_file(&path).is_ok(),
        };
        if done {
            changed.push(e.rel.clone());
        }
    }
    changed
}

/// Writes fixed `(vault path, text)` files under `root`.
pub fn write_all(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().expect("a file has a folder"))
            .expect("scratch is writable");
        fs::write(path, text).expect("scratch is writable");
    }
}

/// A fresh scratch folder holding an empty `vault/`: (folder, vault, output folder).
/// Set TMPDIR to a RAM disk (`/dev/shm`) for speed.
pub fn scratch() -> (TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::Builder::new()
        .prefix("coffeechat-fuzz")
        .tempdir()
        .expect("a scratch folder");
    let vault = tmp.path().join("vault");
    fs::create_dir(&vault).expect("scratch is writable");
    let out = tmp.path().join("out");
    (tmp, vault, out)
}

/// A build of `vault` into `out` as of [`today`].
pub fn options(vault: &Path, out: &Path) -> Options {
    Options {
        vault: vault.to_path_buf(),
        output: Some(out.to_path_buf()),
        today: Some(today()),
        ..Options::default()
    }
}

/// Every file under `dir` with its bytes, by relative path; empty when there is none.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir").to_path_buf();
            let bytes = fs::read(e.path()).expect("a file just listed is readable");
            (rel, bytes)
        })
        .collect()
}

/// Panics, naming the first difference, unless the two trees hold the same files with
/// the same bytes.
pub fn assert_same_tree(got: &BTreeMap<PathBuf, Vec<u8>>, want: &BTreeMap<PathBuf, Vec<u8>>) {
    let paths = |t: &BTreeMap<PathBuf, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(got), paths(want), "not the same files");
    for (path, bytes) in want {
        assert!(
            got[path] == *bytes,
            "{} differs:\n--- got\n{}\n--- want\n{}",
            path.display(),
            String::from_utf8_lossy(&got[path]),
            String::from_utf8_lossy(bytes)
        );
    }
}

/// Whether `rel` stays inside the folder it is relative to.
pub fn stays_inside(rel: &Path) -> bool {
    rel.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Checks `calendar.ics` against RFC 5545's syntax: CRLF line ends and nothing else
/// that ends a line, lines of at most 75 octets folded by a leading space, every
/// content line `NAME[;PARAM…]:VALUE` with no control character but tab, BEGIN and END
/// nested properly in one VCALENDAR, and every event and to-do with its UID.
pub fn check_calendar(ics: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(ics).map_err(|e| format!("not UTF-8: {e}"))?;
    let body = text.strip_suffix("\r\n").ok_or("does not end in CRLF")?;
    let mut lines: Vec<String> = Vec::new();
    for raw in body.split("\r\n") {
        if raw.len() > 75 {
            return Err(format!("a line of {} octets: {raw:?}", raw.len()));
        }
        match raw.strip_prefix([' ', '\t']) {
            Some(rest) => lines
                .last_mut()
                .ok_or("starts with a folded line")?
                .push_str(rest),
            None => lines.push(raw.to_string()),
        }
    }
    let mut open: Vec<String> = Vec::new();
    let mut uid = false;
    for line in &lines {
        check_content_line(line)?;
        if let Some(name) = line.strip_prefix("BEGIN:") {
            if open.is_empty() != (name == "VCALENDAR") {
                return Err(format!("{line} at depth {}", open.len()));
            }
            open.push(name.to_string());
            uid = false;
        } else if let Some(name) = line.strip_prefix("END:") {
            if open.pop().as_deref() != Some(name) {
                return Err(format!("{line} closes nothing open"));
            }
            if matches!(name, "VEVENT" | "VTODO") && !uid {
                return Err(format!("a {name} without UID"));
            }
        } else if line.starts_with("UID:") {
            uid = true;
        }
        if open.is_empty() && line != "END:VCALENDAR" {
            return Err(format!("{line:?} outside VCALENDAR"));
        }
    }
    match (open.is_empty(), lines.last().map(String::as_str)) {
        (true, Some("END:VCALENDAR")) => Ok(()),
        _ => Err(format!("unclosed: {open:?}")),
    }
}

fn check_content_line(line: &str) -> Result<(), String> {
    if let Some(c) = line.chars().find(|&c| c.is_control() && c != '\t') {
        return Err(format!("control character {c:?} in {line:?}"));
    }
    let name_end = line.find([';', ':']).ok_or(format!("no `:` in {line:?}"))?;
    let name = &line[..name_end];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!("bad property name in {line:?}"));
    }
    // Parameter values may quote a `:`; the value starts at the first one outside quotes.
    let mut quoted = false;
    for c in line[name_end..].chars() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => return Ok(()),
            _ => {}
        }
    }
    Err(format!("no value in {line:?}"))
}

/// A small vault that builds without a problem (`fuzz/vault/`): settings, a profile, a
/// company, two contacts, a chat held and one to come, and a question bank.
pub const VAULT: &[(&str, &str)] = &[
    ("coffeechat.yaml", include_str!("../vault/coffeechat.yaml")),
    ("me.md", include_str!("../vault/me.md")),
    (
        "companies/brightline-health.md",
        include_str!("../vault/companies/brightline-health.md"),
    ),
    (
        "contacts/priya-raman.md",
        include_str!("../vault/contacts/priya-raman.md"),
    ),
    (
        "contacts/marcus-chen.md",
        include_str!("../vault/contacts/marcus-chen.md"),
    ),
    (
        "interviews/2026-11-10-marcus-chen.md",
        include_str!("../vault/interviews/2026-11-10-marcus-chen.md"),
    ),
    (
        "interviews/2026-11-24-priya-raman.md",
        include_str!("../vault/interviews/2026-11-24-priya-raman.md"),
    ),
    (
        "questions/day-to-day.md",
        include_str!("../vault/questions/day-to-day.md"),
    ),
];

/// Panics unless every problem found in a vault file points into it: a line the file
/// has (or the one after its end) and a column on that line (or just after it); the
/// column is not checked in files with a `\r`, which YAML alone counts as a line end.
pub fn check_positions(root: &Path, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let Ok(bytes) = fs::read(root.join(&d.file)) else {
            // Built-in templates, and files a save has removed since.
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        // YAML also ends a line at a lone `\r`.
        let breaks = text.matches('\n').count() + text.matches('\r').count();
        let (line, column) = (d.pos.line as usize, d.pos.column as usize);
        assert!(
            (1..=breaks + 1).contains(&line) && column >= 1,
            "{}:{line}:{column} is outside the file: {d:?}",
            d.file.display()
        );
        if text.contains('\r') {
            continue;
        }
        if let Some(shown) = text.split('\n').nth(line - 1) {
            assert!(
                column <= shown.chars().count() + 1,
                "{}:{line}:{column} is past the end of the line {shown:?}: {d:?}",
                d.file.display()
            );
        }
    }
}

/// Builds the vault at `vault` into `out` in a new session and checks what any build
/// must do: leave the vault as it was, point every problem into its file, and write a
/// valid calendar.ics with the site. Returns whether the site was written.
pub fn build_and_check(vault: &Path, out: &Path) -> bool {
    let before = tree(vault);
    let outcome = coffeechat::session::Session::new(options(vault, out)).build();
    assert_same_tree(&tree(vault), &before);
    check_positions(vault, &outcome.diagnostics);
    if !outcome.written() {
        return false;
    }
    let ics = fs::read(out.join("calendar.ics")).expect("a written site has calendar.ics");
    check_calendar(&ics).unwrap_or_else(|e| panic!("calendar.ics: {e}"));
    true
}
