//! A data-driven corpus of bad inputs: every `tests/bad-inputs/*.case` file is one vault
//! problem and the exact diagnostics `coffeechat` must report for it. The format of a
//! case file is documented in `tests/bad-inputs/README.md`.
//!
//! For each case the harness writes a small valid base vault into a temporary folder,
//! builds it, overlays the case's files (and runs its `generate:` hook), then builds and
//! checks again, asserting that:
//! - the tool never panics and exits 1 exactly when an error is expected (else 0);
//! - a failed build leaves the previous site byte for byte as it was;
//! - the vault is never written to, nothing appears in the temporary folder but the
//!   vault and the site, and `check` writes nothing at all;
//! - `check --format json` reports every expected diagnostic and nothing unexpected.
//!
//! Cases run in parallel; every failing case is listed in one assertion message.
//! Set `BAD_INPUTS=name-fragment` to run only the cases whose name contains it, and
//! `BAD_INPUTS_SHOW=1` (with `--nocapture`) to print what `check` reported for each.
//! The JSON output is read with the small parser at the end of this file, so the test
//! needs no dependency beyond the crate's dev-dependencies.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Mutex;
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

/// The date every command treats as today.
const TODAY: &str = "2026-11-23";

/// The least number of cases the corpus must hold.
const MIN_CASES: usize = 40;

/// Longest any one command may take; a hang (an alias bomb expanding) is a failure.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// The valid base vault every case is overlaid on. It builds without any diagnostic.
const BASE_VAULT: &[(&str, &str)] = &[
    (
        "me.md",
        "---\n\
         name: Nadia Castellanos\n\
         headline: Data analyst moving into product management\n\
         ---\n\
         I turn messy data into decisions and want to do product work full time.\n",
    ),
    (
        "contacts/ada-lovelace.md",
        "---\n\
         name: Ada Lovelace\n\
         title: Lead engineer\n\
         company: Analytical Engines\n\
         source: alumni\n\
         ---\n\
         Wrote the first published program.\n",
    ),
    (
        "companies/analytical-engines.md",
        "---\n\
         name: Analytical Engines\n\
         industry: Computing\n\
         ---\n\
         Builds general-purpose computing machines.\n",
    ),
    (
        "questions/career-path.md",
        "---\n\
         category: Career path\n\
         questions:\n\
         \x20 - id: how-you-got-here\n\
         \x20   ask: \"How did you get to where you are today?\"\n\
         \x20   minutes: 5\n\
         \x20 - What skills took you longest to build?\n\
         ---\n\
         Questions about careers.\n",
    ),
    (
        "interviews/2026-12-01-ada-lovelace.md",
        "---\n\
         with: Ada Lovelace\n\
         date: 2026-12-01 10:00\n\
         duration: 30m\n\
         format: coffee\n\
         status: scheduled\n\
         objectives:\n\
         \x20 - Learn how the engine team plans its work\n\
         questions:\n\
         \x20 - {ref: how-you-got-here, priority: 1}\n\
         \x20 - \"What does a typical week look like for you?\"\n\
         \x20 - ask: \"What do you wish you had known in your first year?\"\n\
         \x20   minutes: 4\n\
         ---\n\
         ## Prep\n\
         Read her notes on the engine.\n",
    ),
];

// ---------------------------------------------------------------------------------------
// Case files

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Severity {
    Error,
    Warning,
}

impl Severity {
    fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One `expect:` line with its indented `message-contains:` / `hint-contains:` lines.
#[derive(Debug, Clone)]
struct Expect {
    severity: Severity,
    rule: String,
    file: String,
    line: Option<u64>,
    column: Option<u64>,
    message_contains: Vec<String>,
    message_lacks: Vec<String>,
    hint_contains: Vec<String>,
    /// The line as written, for messages.
    text: String,
}

/// A text that must (or must not) be in a file of the built site; `*` is every file.
#[derive(Debug, Clone)]
struct SiteText {
    path: String,
    text: String,
}

#[derive(Debug, Clone)]
struct Case {
    name: String,
    expects: Vec<Expect>,
    /// `expect: nothing` was written: the case must give no diagnostic at all.
    expect_nothing: bool,
    allow_extra_warnings: bool,
    generate: Vec<String>,
    site_contains: Vec<SiteText>,
    site_lacks: Vec<SiteText>,
    files: Vec<(String, Vec<u8>)>,
}

impl Case {
    fn expects_error(&self) -> bool {
        self.expects.iter().any(|e| e.severity == Severity::Error)
    }
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs")
}

/// Every case file, sorted by name. Panics with every malformed case file listed.
fn load_cases() -> Vec<Case> {
    let mut paths: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .expect("tests/bad-inputs exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(&path).expect("case files are UTF-8");
        match parse_case(&name, &text) {
            Ok(case) => cases.push(case),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    assert!(
        problems.is_empty(),
        "malformed case files:\n{}",
        problems.join("\n")
    );
    cases
}

fn parse_case(name: &str, text: &str) -> Result<Case, String> {
    let mut case = Case {
        name: name.to_string(),
        expects: Vec::new(),
        expect_nothing: false,
        allow_extra_warnings: false,
        generate: Vec::new(),
        site_contains: Vec::new(),
        site_lacks: Vec::new(),
        files: Vec::new(),
    };
    let mut lines = text.split('\n').enumerate().peekable();
    // The header: comments, directives, up to the first `=== ` line.
    while let Some((i, line)) = lines.peek().copied() {
        if line.starts_with("=== ") {
            break;
        }
        lines.next();
        let at = |e: String| format!("line {}: {e}", i + 1);
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            let (key, value) = directive(line.trim()).map_err(at)?;
            let last = case
                .expects
                .last_mut()
                .ok_or_else(|| at("an indented line must follow an `expect:` line".into()))?;
            match key {
                "message-contains" => last.message_contains.push(value.to_string()),
                "message-lacks" => last.message_lacks.push(value.to_string()),
                "hint-contains" => last.hint_contains.push(value.to_string()),
                _ => return Err(at(format!("unknown expect detail `{key}`"))),
            }
            continue;
        }
        let (key, value) = directive(line).map_err(at)?;
        match key {
            "expect" if value == "nothing" => case.expect_nothing = true,
            "expect" => case.expects.push(parse_expect(value).map_err(at)?),
            "allow" if value == "extra-warnings" => case.allow_extra_warnings = true,
            "generate" => case.generate.push(value.to_string()),
            "site-contains" | "site-lacks" => {
                let (path, text) = value
                    .split_once(' ')
                    .ok_or_else(|| at(format!("`{key}: PATH TEXT` needs a text")))?;
                let item = SiteText {
                    path: path.to_string(),
                    text: text.to_string(),
                };
                if key == "site-contains" {
                    case.site_contains.push(item);
                } else {
                    case.site_lacks.push(item);
                }
            }
            _ => return Err(at(format!("unknown directive `{key}: {value}`"))),
        }
    }
    // The files: `=== PATH` or `=== PATH [escaped]`, then the file's lines.
    let mut current: Option<(String, bool, Vec<&str>)> = None;
    let finish = |current: Option<(String, bool, Vec<&str>)>, case: &mut Case| {
        if let Some((path, escaped, mut body)) = current {
            while body.last().is_some_and(|l| l.trim().is_empty()) {
                body.pop();
            }
            let mut bytes = Vec::new();
            for l in body {
                if escaped {
                    bytes.extend(unescape(l)?);
                } else {
                    bytes.extend_from_slice(l.as_bytes());
                }
                bytes.push(b'\n');
            }
            case.files.push((path, bytes));
        }
        Ok::<(), String>(())
    };
    for (i, line) in lines {
        if let Some(header) = line.strip_prefix("=== ") {
            finish(current.take(), &mut case).map_err(|e| format!("line {}: {e}", i + 1))?;
            let header = header.trim_end();
            let (path, escaped) = match header.strip_suffix(" [escaped]") {
                Some(p) => (p.trim_end(), true),
                None => (header, false),
            };
            check_vault_path(path).map_err(|e| format!("line {}: {e}", i + 1))?;
            current = Some((path.to_string(), escaped, Vec::new()));
        } else if let Some((_, _, body)) = current.as_mut() {
            body.push(line);
        }
    }
    finish(current.take(), &mut case)?;
    if case.expects.is_empty() != case.expect_nothing {
        return Err("write `expect:` lines, or `expect: nothing`, not neither nor both".into());
    }
    if case.files.is_empty() && case.generate.is_empty() {
        return Err("the case has no `=== PATH` file and no `generate:`".into());
    }
    Ok(case)
}

fn directive(line: &str) -> Result<(&str, &str), String> {
    let (key, value) = line
        .split_once(':')
        .ok_or_else(|| format!("expected `key: value`, found `{line}`"))?;
    Ok((key.trim(), value.trim()))
}

/// `SEVERITY RULE FILE[:LINE[:COLUMN]]`.
fn parse_expect(value: &str) -> Result<Expect, String> {
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [severity, rule, place] = parts[..] else {
        return Err(format!(
            "`expect: {value}` is not `SEVERITY RULE FILE[:LINE[:COLUMN]]`"
        ));
    };
    let severity = Severity::parse(severity)
        .ok_or_else(|| format!("severity `{severity}` is not `error` or `warning`"))?;
    let mut bits = place.split(':');
    let file = bits.next().unwrap_or_default().to_string();
    let number = |s: Option<&str>| -> Result<Option<u64>, String> {
        s.map(|s| {
            s.parse::<u64>()
                .map_err(|_| format!("`{s}` is not a number"))
        })
        .transpose()
    };
    let line = number(bits.next())?;
    let column = number(bits.next())?;
    if bits.next().is_some() {
        return Err(format!("`{place}` has too many `:` parts"));
    }
    Ok(Expect {
        severity,
        rule: rule.to_string(),
        file,
        line,
        column,
        message_contains: Vec::new(),
        message_lacks: Vec::new(),
        hint_contains: Vec::new(),
        text: value.to_string(),
    })
}

/// A vault-relative path must stay inside the vault.
fn check_vault_path(path: &str) -> Result<(), String> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..");
    if bad {
        Err(format!("`{path}` is not a relative path inside the vault"))
    } else {
        Ok(())
    }
}

/// Decodes `\xNN`, `\r`, `\t`, `\n` and `\\` in a line of an `[escaped]` file.
fn unescape(line: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut bytes = line.bytes();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'r') => out.push(b'\r'),
            Some(b't') => out.push(b'\t'),
            Some(b'n') => out.push(b'\n'),
            Some(b'\\') => out.push(b'\\'),
            Some(b'x') => {
                let hex: Vec<u8> = bytes.by_ref().take(2).collect();
                let hex = std::str::from_utf8(&hex).unwrap_or("");
                let value = u8::from_str_radix(hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 2)
                    .ok_or_else(|| format!("bad escape `\\x{hex}`"))?;
                out.push(value);
            }
            other => {
                return Err(format!(
                    "unknown escape `\\{}`",
                    other.map_or(String::new(), |c| (c as char).to_string())
                ));
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Generated inputs: too big, too deep or impossible to store as a text file.

fn generate(name: &str, vault: &Path) -> Result<(), String> {
    match name {
        // `tags: [[[[…` ten thousand deep.
        "deep-nesting" => {
            let mut text = String::from("---\nname: Grace Hopper\ntags: ");
            text.push_str(&"[".repeat(10_000));
            text.push_str("\n---\nToo deep.\n");
            write_file(vault, "contacts/grace-hopper.md", text.as_bytes());
        }
        // A 50 MB note: valid front matter, then a huge body.
        "huge-note" => {
            let mut text = b"---\nname: Huge Note\n---\n".to_vec();
            let line = b"All work and no play makes a very long note indeed.\n";
            while text.len() < 50 * 1024 * 1024 {
                text.extend_from_slice(line);
            }
            write_file(vault, "contacts/huge-note.md", &text);
        }
        // A contact whose log holds 20 000 touchpoints, seven values each: past the
        // 100 000 values a front matter may hold, without a single alias.
        "many-values" => contact_with_log(vault, 20_000),
        // A long but ordinary log: 2 000 touchpoints.
        "long-log" => contact_with_log(vault, 2_000),
        // `notes/loop` -> `..`: a folder link back to the vault itself.
        "symlink-loop" => {
            fs::create_dir_all(vault.join("notes")).unwrap();
            std::os::unix::fs::symlink("..", vault.join("notes/loop")).unwrap();
        }
        // `notes/outside` -> a folder outside the vault (the temporary folder's parent).
        "symlink-outside" => {
            fs::create_dir_all(vault.join("notes")).unwrap();
            let outside = vault.parent().unwrap().parent().unwrap();
            std::os::unix::fs::symlink(outside, vault.join("notes/outside")).unwrap();
        }
        other => return Err(format!("unknown generator `{other}`")),
    }
    Ok(())
}

/// `contacts/grace-hopper.md` with a log of `touchpoints` entries.
fn contact_with_log(vault: &Path, touchpoints: usize) {
    let mut text = String::from("---\nname: Grace Hopper\nlog:\n");
    for i in 1..=touchpoints {
        writeln!(
            text,
            "  - {{date: 2026-01-02, type: note, note: touchpoint {i}}}"
        )
        .unwrap();
    }
    text.push_str("---\nA long history.\n");
    write_file(vault, "contacts/grace-hopper.md", text.as_bytes());
}

// ---------------------------------------------------------------------------------------
// Running one case

fn write_file(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// Every entry under `root` (not following links): files by length and hash, links by
/// target, folders by name.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).unwrap();
                out.insert(rel, format!("link to {}", target.display()));
            } else if meta.is_dir() {
                out.insert(rel, "folder".into());
                walk(root, &path, out);
            } else {
                let bytes = fs::read(&path).unwrap();
                let mut h = DefaultHasher::new();
                bytes.hash(&mut h);
                out.insert(
                    rel,
                    format!("{} bytes, hash {:016x}", bytes.len(), h.finish()),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// What differs between two snapshots, one line per path.
fn diff(before: &BTreeMap<PathBuf, String>, after: &BTreeMap<PathBuf, String>) -> String {
    let mut out = String::new();
    for (path, was) in before {
        match after.get(path) {
            None => {
                let _ = writeln!(out, "      removed {}", path.display());
            }
            Some(now) if now != was => {
                let _ = writeln!(out, "      changed {}", path.display());
            }
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        let _ = writeln!(out, "      added {}", path.display());
    }
    out
}

fn command(verb: &str, vault: &Path, site: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coffeechat"))
        .arg(verb)
        .arg(vault)
        .arg("-o")
        .arg(site)
        .args(["--today", TODAY])
        .args(extra)
        .env("NO_COLOR", "1")
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
        )
        .env_remove("RUST_BACKTRACE")
        .timeout(COMMAND_TIMEOUT)
        .output()
        .expect("the coffeechat binary runs")
}

fn show(o: &Output) -> String {
    let stderr = String::from_utf8_lossy(&o.stderr);
    let stderr: String = stderr.chars().take(3000).collect();
    format!(
        "exit {:?}; stderr:\n{}",
        o.status.code(),
        indent(&stderr, "      | ")
    )
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines().map(|l| format!("{prefix}{l}\n")).collect()
}

/// A diagnostic as `check --format json` reports it.
#[derive(Debug)]
struct Diag {
    file: String,
    line: u64,
    column: u64,
    severity: String,
    rule: String,
    message: String,
    hint: String,
}

impl Diag {
    fn show(&self) -> String {
        let hint = if self.hint.is_empty() {
            String::new()
        } else {
            format!(" (hint: {})", self.hint)
        };
        format!(
            "{} {} {}:{}:{}: {}{hint}",
            self.severity, self.rule, self.file, self.line, self.column, self.message
        )
    }
}

impl Expect {
    /// Whether `d` is the diagnostic this line expects (ignoring message and hint).
    fn place_matches(&self, d: &Diag) -> bool {
        d.severity == self.severity.name()
            && d.rule == self.rule
            && d.file == self.file
            && self.line.is_none_or(|l| l == d.line)
            && self.column.is_none_or(|c| c == d.column)
    }

    fn text_matches(&self, d: &Diag) -> bool {
        self.message_contains.iter().all(|t| d.message.contains(t))
            && !self.message_lacks.iter().any(|t| d.message.contains(t))
            && self.hint_contains.iter().all(|t| d.hint.contains(t))
    }
}

/// Reads the JSON report, checking its shape.
fn parse_report(stdout: &str) -> Result<(Vec<Diag>, u64, u64), String> {
    let json = Json::parse(stdout.trim()).map_err(|e| format!("not JSON ({e}): {stdout}"))?;
    let num = |key: &str| {
        json.get(key)
            .and_then(Json::as_u64)
            .ok_or_else(|| format!("no number `{key}` in the report"))
    };
    if num("version")? != 1 {
        return Err("`version` is not 1".into());
    }
    let (errors, warnings) = (num("errors")?, num("warnings")?);
    let Some(Json::Arr(items)) = json.get("diagnostics") else {
        return Err("no `diagnostics` list in the report".into());
    };
    let mut diags = Vec::new();
    for item in items {
        let s = |key: &str| match item.get(key) {
            Some(Json::Str(s)) => Ok(s.clone()),
            Some(Json::Null) if key == "hint" => Ok(String::new()),
            _ => Err(format!("a diagnostic has no text `{key}`")),
        };
        let n = |key: &str| {
            item.get(key)
                .and_then(Json::as_u64)
                .ok_or_else(|| format!("a diagnostic has no number `{key}`"))
        };
        let d = Diag {
            file: s("file")?,
            line: n("line")?,
            column: n("column")?,
            severity: s("severity")?,
            rule: s("rule")?,
            message: s("message")?,
            hint: s("hint")?,
        };
        let (end_line, end_column) = (n("end_line")?, n("end_column")?);
        if d.line == 0 || d.column == 0 || (end_line, end_column) < (d.line, d.column) {
            return Err(format!(
                "bad position {}:{}..{end_line}:{end_column} in {}",
                d.line,
                d.column,
                d.show()
            ));
        }
        diags.push(d);
    }
    Ok((diags, errors, warnings))
}

/// Runs one case; `Err` holds every problem found, one per line.
fn run_case(case: &Case) -> Result<(), String> {
    let mut problems: Vec<String> = Vec::new();
    let tmp = TempDir::new().unwrap();
    let vault = tmp.path().join("vault");
    let site = tmp.path().join("site");
    for (rel, text) in BASE_VAULT {
        write_file(&vault, rel, text.as_bytes());
    }

    // 1. The base vault builds cleanly, without touching the vault.
    let base = snapshot(&vault);
    let first = command("build", &vault, &site, &[]);
    if first.status.code() != Some(0) {
        return Err(format!("the base vault does not build: {}", show(&first)));
    }
    if snapshot(&vault) != base {
        return Err("building the base vault wrote into it".into());
    }
    let site_before = snapshot(&site);
    if !site_before.contains_key(Path::new("index.html")) {
        return Err("building the base vault wrote no index.html".into());
    }

    // 2. Overlay the case.
    for (rel, bytes) in &case.files {
        write_file(&vault, rel, bytes);
    }
    for g in &case.generate {
        generate(g, &vault)?;
    }
    let vault_before = snapshot(&vault);
    let top_level = |problems: &mut Vec<String>, after: &str| {
        let mut names: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        if names != ["site", "vault"] {
            problems.push(format!(
                "after `{after}` the temporary folder holds {names:?}, not only site and vault"
            ));
        }
    };
    let panicked = |o: &Output| {
        let stderr = String::from_utf8_lossy(&o.stderr);
        stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE")
    };

    // 3. Build again.
    let want_code = i32::from(case.expects_error());
    let build = command("build", &vault, &site, &[]);
    if panicked(&build) {
        problems.push(format!("`build` panicked: {}", show(&build)));
    } else if build.status.code() != Some(want_code) {
        problems.push(format!("`build` should exit {want_code}: {}", show(&build)));
    }
    let site_after_build = snapshot(&site);
    if case.expects_error() && site_after_build != site_before {
        problems.push(format!(
            "the case has an error, yet the previous site changed (it must stay as it was):\n{}",
            diff(&site_before, &site_after_build)
        ));
    }
    let vault_after = snapshot(&vault);
    if vault_after != vault_before {
        problems.push(format!(
            "`build` wrote into the vault:\n{}",
            diff(&vault_before, &vault_after)
        ));
    }
    top_level(&mut problems, "build");
    site_texts(case, &site, &mut problems);

    // 4. Check, as JSON.
    let check = command("check", &vault, &site, &["--format", "json"]);
    if panicked(&check) {
        problems.push(format!("`check` panicked: {}", show(&check)));
    } else if check.status.code() != Some(want_code) {
        problems.push(format!("`check` should exit {want_code}: {}", show(&check)));
    }
    if snapshot(&site) != site_after_build {
        problems.push("`check` wrote into the output folder".into());
    }
    if snapshot(&vault) != vault_before {
        problems.push("`check` wrote into the vault".into());
    }
    top_level(&mut problems, "check");
    let stdout = String::from_utf8_lossy(&check.stdout);
    match parse_report(&stdout) {
        Err(e) => problems.push(format!("`check --format json`: {e}; {}", show(&check))),
        Ok((diags, errors, warnings)) => {
            if std::env::var_os("BAD_INPUTS_SHOW").is_some() {
                let shown: String = diags.iter().map(|d| format!("\n  {}", d.show())).collect();
                println!("{}:{shown}", case.name);
            }
            compare(case, &diags, &mut problems);
            let count = |s: &str| diags.iter().filter(|d| d.severity == s).count() as u64;
            if (errors, warnings) != (count("error"), count("warning")) {
                problems.push(format!(
                    "the report counts {errors} errors and {warnings} warnings but lists {} and {}",
                    count("error"),
                    count("warning")
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Matches the reported diagnostics against the case's `expect:` lines.
fn compare(case: &Case, diags: &[Diag], problems: &mut Vec<String>) {
    let actual = || {
        if diags.is_empty() {
            "      (no diagnostics)\n".to_string()
        } else {
            diags
                .iter()
                .map(|d| format!("      {}\n", d.show()))
                .collect()
        }
    };
    for e in &case.expects {
        let placed: Vec<&Diag> = diags.iter().filter(|d| e.place_matches(d)).collect();
        if placed.is_empty() {
            problems.push(format!(
                "missing `expect: {}`; check reported:\n{}",
                e.text,
                actual()
            ));
        } else if !placed.iter().any(|d| e.text_matches(d)) {
            problems.push(format!(
                "`expect: {}` is reported, but its message should contain {:?} and not {:?}, \
                 its hint contain {:?}:\n{}",
                e.text,
                e.message_contains,
                e.message_lacks,
                e.hint_contains,
                placed
                    .iter()
                    .map(|d| format!("      {}\n", d.show()))
                    .collect::<String>()
            ));
        }
    }
    for d in diags {
        let expected = case.expects.iter().any(|e| e.place_matches(d));
        let allowed = d.severity == "warning" && case.allow_extra_warnings;
        if !expected && !allowed {
            problems.push(format!("unexpected diagnostic: {}", d.show()));
        }
    }
}

/// The `site-contains:` and `site-lacks:` checks, on the site as the build left it.
fn site_texts(case: &Case, site: &Path, problems: &mut Vec<String>) {
    let files = |path: &str| -> Vec<PathBuf> {
        if path == "*" {
            snapshot(site)
                .into_iter()
                .filter(|(_, what)| what.contains(" bytes, hash "))
                .map(|(p, _)| site.join(p))
                .collect()
        } else {
            vec![site.join(path)]
        }
    };
    for want in &case.site_contains {
        let found = files(&want.path)
            .iter()
            .any(|p| fs::read(p).is_ok_and(|b| String::from_utf8_lossy(&b).contains(&want.text)));
        if !found {
            problems.push(format!(
                "the site's `{}` does not contain {:?} (or does not exist)",
                want.path, want.text
            ));
        }
    }
    for bad in &case.site_lacks {
        for p in files(&bad.path) {
            if fs::read(&p).is_ok_and(|b| String::from_utf8_lossy(&b).contains(&bad.text)) {
                problems.push(format!(
                    "the site's `{}` contains {:?}",
                    p.strip_prefix(site).unwrap().display(),
                    bad.text
                ));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The test

#[test]
fn bad_inputs() {
    let filter = std::env::var("BAD_INPUTS").unwrap_or_default();
    let cases = load_cases();
    assert!(
        cases.len() >= MIN_CASES,
        "the corpus should hold at least {MIN_CASES} cases, it holds {}",
        cases.len()
    );
    let cases: Vec<Case> = cases
        .into_iter()
        .filter(|c| c.name.contains(&filter))
        .collect();
    let next = Mutex::new(0usize);
    let failures: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(4, |n| n.get().min(8));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut next = next.lock().unwrap();
                        *next += 1;
                        *next - 1
                    };
                    let Some(case) = cases.get(i) else { break };
                    let result = std::panic::catch_unwind(|| run_case(case))
                        .unwrap_or_else(|_| Err("the harness panicked on this case".into()));
                    if let Err(e) = result {
                        failures.lock().unwrap().push((case.name.clone(), e));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    let mut report = String::new();
    for (name, problems) in &failures {
        let _ = writeln!(report, "\n--- {name}\n{}", indent(problems, "  "));
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases failed: {}\n{report}",
        failures.len(),
        cases.len(),
        failures
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
}

#[test]
fn case_format_parses_escapes_and_sections() {
    let case = parse_case(
        "t",
        "# about\nexpect: error not-utf8 contacts/a.md:3:11\n  message-contains: UTF-8\n\
         === contacts/a.md [escaped]\n---\\r\nname: Caf\\xe9\n\n=== b.md\n",
    )
    .unwrap();
    assert_eq!(case.expects[0].line, Some(3));
    assert_eq!(case.expects[0].column, Some(11));
    assert_eq!(case.expects[0].message_contains, ["UTF-8"]);
    assert_eq!(case.files[0].1, b"---\r\nname: Caf\xe9\n");
    assert_eq!(case.files[1], ("b.md".to_string(), Vec::new()));
    assert!(parse_case("t", "expect: nothing\n=== ../x.md\n").is_err());
    assert!(parse_case("t", "=== a.md\n").is_err());
}

// ---------------------------------------------------------------------------------------
// A small JSON reader, enough for the `check --format json` report.

#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn parse(text: &str) -> Result<Json, String> {
        let mut p = JsonParser {
            s: text.as_bytes(),
            i: 0,
        };
        let v = p.value(0)?;
        p.ws();
        if p.i != p.s.len() {
            return Err(format!("trailing text at byte {}", p.i));
        }
        Ok(v)
    }

    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Num(n) if *n >= 0.0 && n.fract() == 0.0 => Some(*n as u64),
            _ => None,
        }
    }
}

struct JsonParser<'a> {
    s: &'a [u8],
    i: usize,
}

impl JsonParser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Result<(), String> {
        self.ws();
        if self.s.get(self.i) == Some(&b) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected `{}` at byte {}", b as char, self.i))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > 64 {
            return Err("nested too deep".into());
        }
        self.ws();
        match self.s.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut entries = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Json::Obj(entries));
                }
                loop {
                    self.ws();
                    let key = self.string()?;
                    self.eat(b':')?;
                    entries.push((key, self.value(depth + 1)?));
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Json::Obj(entries));
                        }
                        _ => return Err(format!("expected `,` or `}}` at byte {}", self.i)),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Json::Arr(items));
                        }
                        _ => return Err(format!("expected `,` or `]` at byte {}", self.i)),
                    }
                }
            }
            Some(b'"') => self.string().map(Json::Str),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            Some(_) => {
                let start = self.i;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|b| b"+-.eE".contains(b) || b.is_ascii_digit())
                {
                    self.i += 1;
                }
                std::str::from_utf8(&self.s[start..self.i])
                    .ok()
                    .and_then(|t| t.parse::<f64>().ok())
                    .map(Json::Num)
                    .ok_or_else(|| format!("bad value at byte {start}"))
            }
            None => Err("unexpected end".into()),
        }
    }

    fn word(&mut self, word: &str, v: Json) -> Result<Json, String> {
        if self.s[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(format!("bad word at byte {}", self.i))
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let hex = self
            .s
            .get(self.i..self.i + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| format!("bad \\u escape at byte {}", self.i))?;
        self.i += 4;
        Ok(hex)
    }

    fn string(&mut self) -> Result<String, String> {
        if self.s.get(self.i) != Some(&b'"') {
            return Err(format!("expected a string at byte {}", self.i));
        }
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&b) = self.s.get(self.i) else {
                return Err("unterminated string".into());
            };
            self.i += 1;
            match b {
                b'"' => return String::from_utf8(out).map_err(|e| e.to_string()),
                b'\\' => {
                    let Some(&e) = self.s.get(self.i) else {
                        return Err("unterminated escape".into());
                    };
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xd800..0xdc00).contains(&hi)
                                && self.s[self.i..].starts_with(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xd800) << 10) + (lo.wrapping_sub(0xdc00) & 0x3ff)
                            } else {
                                hi
                            };
                            char::from_u32(code).unwrap_or('\u{fffd}')
                        }
                        _ => return Err(format!("bad escape at byte {}", self.i)),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                _ => out.push(b),
            }
        }
    }
}

#[test]
fn json_reader_reads_reports() {
    let j =
        Json::parse(r#"{"a":[1,2.5,-3e2],"b":"x\"\u00e9\ud83d\ude00","c":null,"d":true,"e":{}}"#)
            .unwrap();
    assert_eq!(j.get("b"), Some(&Json::Str("x\"é😀".into())));
    assert_eq!(
        j.get("a"),
        Some(&Json::Arr(vec![
            Json::Num(1.0),
            Json::Num(2.5),
            Json::Num(-300.0)
        ]))
    );
    assert!(Json::parse("{\"a\":1,}").is_err());
    assert!(Json::parse("[1] x").is_err());
}
