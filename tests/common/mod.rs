//! Helpers shared by the end-to-end tests: fixture vaults, running the real binary, and
//! reading the generated site the way a user sees it (visible text, links).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// The date every build treats as today, so results do not depend on the calendar.
pub(crate) const TODAY: &str = "2026-11-23";

/// The `coffeechat` binary built by cargo for these tests.
pub(crate) fn coffeechat() -> Command {
    let mut cmd = Command::cargo_bin("coffeechat").expect("the coffeechat binary is built");
    cmd.env("NO_COLOR", "1");
    // Records of built sites go under target/, not the user's cache folder.
    cmd.env(
        "XDG_CACHE_HOME",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
    );
    cmd
}

/// A copy of the repository's example vault in a fresh temporary folder (at `vault/`).
pub(crate) fn example_vault() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let dest = tmp.path().join("vault");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("example-vault"),
        &dest,
    );
    // A site built in the repository's copy (the README's first command) is not part
    // of the vault.
    let _ = fs::remove_dir_all(dest.join("public"));
    (tmp, dest)
}

/// A small vault written into a fresh temporary folder (at `vault/`), from
/// `(relative path, contents)` pairs.
pub(crate) fn vault(files: &[(&str, &str)]) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("vault");
    fs::create_dir_all(&root).unwrap();
    for (rel, text) in files {
        write(&root, rel, text.as_bytes());
    }
    (tmp, root)
}

/// Writes `bytes` to `root/rel`, creating folders.
pub(crate) fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let ty = entry.file_type().unwrap();
        let dest = to.join(entry.file_name());
        if ty.is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Runs `coffeechat build VAULT -o OUT --today TODAY` and returns what happened.
pub(crate) fn build(vault: &Path, out: &Path) -> Output {
    coffeechat()
        .arg("build")
        .arg(vault)
        .arg("-o")
        .arg(out)
        .args(["--today", TODAY])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Builds and insists on success, returning stderr.
pub(crate) fn build_ok(vault: &Path, out: &Path) -> String {
    let o = build(vault, out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "build failed:\n{err}");
    err
}

/// Builds and insists on exit code 1, returning stderr.
pub(crate) fn build_fails(vault: &Path, out: &Path) -> String {
    let o = build(vault, out);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "expected exit code 1 (an error in the vault), got {:?}:\n{err}",
        o.status.code()
    );
    err
}

/// Reads a generated file as text.
pub(crate) fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel))
        .unwrap_or_else(|e| panic!("cannot read generated page {rel}: {e}"))
}

/// Asserts that two [`snapshot`]s hold the same files with the same bytes; `what`
/// says in a failure what `got` was compared with ("a fresh build").
#[track_caller]
pub(crate) fn assert_same_files(
    got: &BTreeMap<PathBuf, Vec<u8>>,
    want: &BTreeMap<PathBuf, Vec<u8>>,
    what: &str,
) {
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "different files from {what}"
    );
    for (path, bytes) in want {
        assert!(
            got[path] == *bytes,
            "{} differs from {what}",
            path.display()
        );
    }
}

/// Every regular file below `dir` with its bytes, keyed by relative path; folders named
/// in `skip` (relative to `dir`) are left out. Symbolic links are recorded by target.
pub(crate) fn snapshot(dir: &Path, skip: &[&str]) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    snap(dir, dir, skip, &mut out);
    out
}

fn snap(root: &Path, dir: &Path, skip: &[&str], out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap().to_path_buf();
        if skip.iter().any(|s| rel == Path::new(s)) {
            continue;
        }
        let ty = entry.file_type().unwrap();
        if ty.is_symlink() {
            let target = fs::read_link(&path).unwrap();
            out.insert(rel, format!("-> {}", target.display()).into_bytes());
        } else if ty.is_dir() {
            out.insert(rel.join(""), b"<dir>".to_vec());
            snap(root, &path, skip, out);
        } else {
            out.insert(rel, fs::read(&path).unwrap());
        }
    }
}

/// Relative paths of every HTML file below `dir`.
pub(crate) fn html_files(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir, &[])
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

/// Decodes the HTML character references that templates and Markdown produce.
pub(crate) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    u32::from_str_radix(&name[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text a reader sees: tags removed (each replaced by a space), entities decoded,
/// whitespace collapsed. `<style>` and `<title>` contents are dropped.
pub(crate) fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        text.push(' ');
        rest = &rest[i..];
        let lower = rest.to_ascii_lowercase();
        let skip_to = ["style", "title", "script"].iter().find_map(|t| {
            lower
                .starts_with(&format!("<{t}"))
                .then(|| lower.find(&format!("</{t}>")).map(|e| e + t.len() + 3))
                .flatten()
        });
        match skip_to {
            Some(e) => rest = &rest[e..],
            None => match rest.find('>') {
                Some(e) => rest = &rest[e + 1..],
                None => rest = "",
            },
        }
    }
    text.push_str(rest);
    decode_entities(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The visible text of `html`, starting at `start` (exclusive) and ending at the first
/// `end` after it (or the end of the page). Panics when `start` is missing.
pub(crate) fn text_between(html: &str, start: &str, end: &str) -> String {
    visible_text(html_between(html, start, end))
}

/// The HTML of `html` after `start` up to the first `end` after it.
pub(crate) fn html_between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found in page"))
        + start.len();
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The visible text of the section whose heading (`<h2>` or `<h3>`) text starts with
/// `heading`, up to the next heading of the same or a higher level.
pub(crate) fn section(html: &str, heading: &str) -> String {
    visible_text(section_html(html, heading))
}

/// The HTML of the section (see [`section`]).
pub(crate) fn section_html<'a>(html: &'a str, heading: &str) -> &'a str {
    for level in [2, 3] {
        let open = format!("<h{level}");
        let mut at = 0;
        while let Some(i) = html[at..].find(&open) {
            let start = at + i;
            let close = format!("</h{level}>");
            let Some(end) = html[start..].find(&close).map(|e| start + e + close.len()) else {
                break;
            };
            if visible_text(&html[start..end]).starts_with(heading) {
                let rest = &html[end..];
                let next = (2..=level)
                    .filter_map(|l| rest.find(&format!("<h{l}")))
                    .min()
                    .unwrap_or(rest.len());
                return &rest[..next];
            }
            at = end;
        }
    }
    panic!("no section headed `{heading}` in page")
}

/// Every `href`/`src` value in `html`, entity-decoded.
pub(crate) fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let before = rest[..i].chars().last();
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            // `data-href="…"` and the like are not links.
            if before.is_none_or(|c| c.is_whitespace()) {
                out.push(decode_entities(&rest[..end]));
            }
            rest = &rest[end..];
        }
    }
    out
}

/// Every `<a href="…">text</a>` in `html` as (href, visible text).
pub(crate) fn anchors(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        rest = &rest[i..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..tag_end];
        let href = tag.find("href=\"").map(|h| {
            let v = &tag[h + 6..];
            decode_entities(&v[..v.find('"').unwrap_or(v.len())])
        });
        let body_end = rest.find("</a>").unwrap_or(rest.len());
        let text = visible_text(&rest[tag_end + 1..body_end.max(tag_end + 1)]);
        if let Some(href) = href {
            out.push((href, text));
        }
        rest = &rest[body_end.min(rest.len())..];
        if rest.starts_with("</a>") {
            rest = &rest[4..];
        }
    }
    out
}

/// Decodes `%XX` escapes in a URL path.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match escaped {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a URL is one the link check skips: another scheme, or a pure `#anchor`.
pub(crate) fn is_external(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    url.starts_with('#')
        || ["mailto:", "http:", "https:", "tel:"]
            .iter()
            .any(|s| lower.starts_with(s))
}

/// Resolves a relative URL found on page `from` (relative to the output folder) to a
/// path relative to the output folder, and its fragment. `None` when it climbs out.
pub(crate) fn resolve(from: &Path, url: &str) -> Option<(PathBuf, Option<String>)> {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let decoded = percent_decode(path);
    let base = if decoded.is_empty() {
        return Some((from.to_path_buf(), fragment));
    } else {
        from.parent().unwrap_or(Path::new("")).join(decoded)
    };
    let mut out = PathBuf::new();
    for c in base.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some((out, fragment))
}

/// Checks every relative href/src of every HTML page under `out`; returns how many links
/// were checked and a list of problems (empty when all resolve to existing files).
pub(crate) fn broken_links(out: &Path) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut problems = Vec::new();
    for rel in html_files(out) {
        let html = fs::read_to_string(out.join(&rel)).unwrap();
        for url in urls(&html) {
            if is_external(&url) {
                continue;
            }
            checked += 1;
            match resolve(&rel, &url) {
                None => problems.push(format!("{}: `{url}` climbs out of the site", rel.display())),
                Some((target, _)) if !out.join(&target).is_file() => problems.push(format!(
                    "{}: `{url}` -> {} does not exist",
                    rel.display(),
                    target.display()
                )),
                Some(_) => {}
            }
        }
    }
    (checked, problems)
}

/// Checks that every link with a `#fragment` to an HTML page of the site lands on an
/// element with that id; returns how many were checked and the problems.
pub(crate) fn broken_fragments(out: &Path) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut problems = Vec::new();
    for rel in html_files(out) {
        let html = fs::read_to_string(out.join(&rel)).unwrap();
        for url in urls(&html) {
            if is_external(&url) && !url.starts_with('#') {
                continue;
            }
            let Some((target, Some(fragment))) = resolve(&rel, &url) else {
                continue;
            };
            if fragment.is_empty() {
                continue;
            }
            let Ok(target_html) = fs::read_to_string(out.join(&target)) else {
                continue;
            };
            checked += 1;
            let ids = [format!("id=\"{fragment}\""), format!("name=\"{fragment}\"")];
            if !ids.iter().any(|id| target_html.contains(id.as_str())) {
                problems.push(format!(
                    "{}: `{url}`: {} has no element with id `{fragment}`",
                    rel.display(),
                    target.display()
                ));
            }
        }
    }
    (checked, problems)
}

/// Whether `text` shows the date in one of the usual human or ISO forms.
pub(crate) fn shows_date(text: &str, y: i32, m: usize, d: u32) -> bool {
    const SHORT: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const LONG: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let forms = [
        format!("{y}-{m:02}-{d:02}"),
        format!("{d} {} {y}", SHORT[m - 1]),
        format!("{d} {} {y}", LONG[m - 1]),
        format!("{} {d}, {y}", SHORT[m - 1]),
        format!("{} {d}, {y}", LONG[m - 1]),
    ];
    forms.iter().any(|f| text.contains(f.as_str()))
}

#[track_caller]
pub(crate) fn assert_shows_date(text: &str, y: i32, m: usize, d: u32) {
    assert!(
        shows_date(text, y, m, d),
        "expected the date {y}-{m:02}-{d:02} in:\n{text}"
    );
}

/// Asserts that `haystack` contains every needle, in the order given.
#[track_caller]
pub(crate) fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut at = 0;
    for n in needles {
        match haystack[at..].find(n) {
            Some(i) => at += i + n.len(),
            None => {
                panic!("expected `{n}` after position {at} (order: {needles:?}) in:\n{haystack}")
            }
        }
    }
}

/// Asserts that `haystack` contains `needle`, showing the haystack otherwise.
#[track_caller]
pub(crate) fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected to find `{needle}` in:\n{haystack}"
    );
}

#[track_caller]
pub(crate) fn assert_not_contains(haystack: &str, needle: &str) {
    assert!(
        !haystack.contains(needle),
        "did not expect `{needle}` in:\n{haystack}"
    );
}

/// Whether any anchor in `html` has visible text containing `text` and resolves (from
/// page `from`) to the output file `target`.
pub(crate) fn links_to(html: &str, from: &str, text: &str, target: &str) -> bool {
    anchors(html).iter().any(|(href, t)| {
        t.contains(text)
            && resolve(Path::new(from), href).is_some_and(|(p, _)| p == Path::new(target))
    })
}

#[track_caller]
pub(crate) fn assert_links_to(html: &str, from: &str, text: &str, target: &str) {
    assert!(
        links_to(html, from, text, target),
        "expected a link with text `{text}` to {target} (from {from}); links were:\n{:#?}",
        anchors(html)
    );
}

/// A generated page reached the way a reader would: by clicking, on page `from`, the
/// first link whose visible text is exactly `text`. Returns the page's path and HTML.
#[track_caller]
pub(crate) fn follow(out: &Path, from: &str, text: &str) -> (String, String) {
    let html = page(out, from);
    let (href, _) = anchors(&html)
        .into_iter()
        .find(|(_, t)| t == text)
        .unwrap_or_else(|| {
            panic!(
                "no link `{text}` on {from}; links were:\n{:#?}",
                anchors(&html)
            )
        });
    let (target, _) = resolve(Path::new(from), &href)
        .unwrap_or_else(|| panic!("link `{href}` on {from} leaves the site"));
    let target = target.to_string_lossy().replace('\\', "/");
    let html = page(out, &target);
    (target, html)
}

/// Like [`follow`], but clicks the first link `text` that comes after the link `after`
/// on the page (such as the "questions" link in a chat's table row).
#[track_caller]
pub(crate) fn follow_after(out: &Path, from: &str, after: &str, text: &str) -> (String, String) {
    let html = page(out, from);
    let all = anchors(&html);
    let start = all
        .iter()
        .position(|(_, t)| t == after)
        .unwrap_or_else(|| panic!("no link `{after}` on {from}"));
    let (href, _) = all[start + 1..]
        .iter()
        .find(|(_, t)| t == text)
        .unwrap_or_else(|| panic!("no link `{text}` after `{after}` on {from}"));
    let (target, _) = resolve(Path::new(from), href)
        .unwrap_or_else(|| panic!("link `{href}` on {from} leaves the site"));
    let target = target.to_string_lossy().replace('\\', "/");
    let html = page(out, &target);
    (target, html)
}

/// Follows a path of link texts from the dashboard, e.g. `["Contacts", "Priya Raman"]`.
#[track_caller]
pub(crate) fn navigate(out: &Path, texts: &[&str]) -> (String, String) {
    let mut at = ("index.html".to_string(), page(out, "index.html"));
    for t in texts {
        at = follow(out, &at.0, t);
    }
    at
}

/// Runs `coffeechat ARGS VAULT --today TODAY --format json` and reads the JSON object
/// it prints (`check`, `stats`).
pub(crate) fn json_of(command: &str, vault: &Path) -> serde_json::Value {
    let o = coffeechat()
        .arg(command)
        .arg(vault)
        .args(["--today", TODAY, "--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stderr(&o)))
}

/// Writes a vault of `contacts` people at `contacts / 5` companies into `root`: about
/// half introduced by someone earlier, some without a company, names of every length
/// (a few long, a few not in Latin script), and chats that suggest other people.
pub(crate) fn network_vault(root: &Path, contacts: usize) {
    const FIRST: &[&str] = &[
        "Ada",
        "Wilhelmina",
        "Li",
        "Maximiliano",
        "Zoë",
        "Grace",
        "Mwangi",
    ];
    const LAST: &[&str] = &[
        "Hopper",
        "Montgomery-Worthington",
        "Ng",
        "Ødegård",
        "Wu",
        "Papadopoulos",
    ];
    write(root, "me.md", b"---\nname: Net Person\n---\nMe.\n");
    let companies = (contacts / 5).max(1);
    for c in 0..companies {
        let name = match c % 9 {
            0 => format!("Worldwide Manufacturing Megacorporation {c}"),
            _ => format!("Company {c}"),
        };
        write(
            root,
            &format!("companies/company-{c}.md"),
            format!("---\nname: {name}\n---\n").as_bytes(),
        );
    }
    let name = |i: usize| match i % 37 {
        0 => format!("株式会社の山田 太郎 {i}"),
        _ => format!(
            "{} {} {i}",
            FIRST[i % FIRST.len()],
            LAST[(i / FIRST.len()) % LAST.len()]
        ),
    };
    for i in 0..contacts {
        let mut fm = format!("---\nname: {}\n", name(i));
        if i % 11 != 3 {
            fm += &format!("company: company-{}\n", (i * 7919) % companies);
        }
        if i > 0 && i % 2 == 0 {
            let by = (i as u64).wrapping_mul(2654435761) >> 7;
            fm += &format!("introduced_by: {}\n", name(by as usize % i));
        }
        if i % 4 == 0 {
            fm += "source: linkedin\n";
        } else {
            fm += "source: friend\nstatus: met\n";
        }
        write(
            root,
            &format!("contacts/person-{i}.md"),
            format!("{fm}---\nNotes.\n").as_bytes(),
        );
    }
    for k in 0..contacts / 10 {
        let (with, suggested) = ((k * 13) % contacts, (k * 17 + 5) % contacts);
        let text = format!(
            "---\nwith: {}\ndate: 2026-11-{:02} 10:00\nstatus: done\nreferrals:\n  - {}\n---\n",
            name(with),
            1 + k % 20,
            name(suggested)
        );
        write(
            root,
            &format!("interviews/2026-11-{:02}-chat-{k}.md", 1 + k % 20),
            text.as_bytes(),
        );
    }
}

/// Asserts that the one script `html` loads is the theme's search box, from the site
/// itself: whatever else a page does runs inline and loads nothing.
pub(crate) fn assert_loads_only_the_search_script(html: &str) {
    let scripts: Vec<&str> = html.split("<script src=").skip(1).collect();
    assert!(
        scripts
            .iter()
            .all(|s| s.starts_with("\"static/search.js\"")
                || s.starts_with("\"../static/search.js\"")),
        "{scripts:?}"
    );
}
