//! A build into an existing output resumes from the record the previous build kept
//! (in the cache folder), rendering only the pages that can differ; its output must be
//! what a fresh build into an empty folder writes. Each test runs the real binary.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use tempfile::TempDir;

/// The number in the build summary's "N pages rendered" (or "1 page rendered").
fn rendered(stderr: &str) -> usize {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("built "))
        .unwrap_or_else(|| panic!("no summary in:\n{stderr}"));
    let before = line
        .split(" rendered)")
        .next()
        .and_then(|s| s.rsplit("; ").next())
        .unwrap_or_else(|| panic!("no rendered count in `{line}`"));
    before
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no rendered count in `{line}`"))
}

/// Builds `vault` into a fresh folder and returns what it wrote.
fn fresh(vault: &Path, scratch: &TempDir) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let out = scratch.path().join("fresh");
    let _ = fs::remove_dir_all(&out);
    build_ok(vault, &out);
    snapshot(&out, &[])
}

fn assert_same_as_fresh(vault: &Path, out: &Path, scratch: &TempDir) {
    assert_same_files(&snapshot(out, &[]), &fresh(vault, scratch), "a fresh build");
}

/// `coffeechat build VAULT -o OUT --today TODAY`, with one more environment variable
/// when given; insists that it succeeds and returns what it printed.
fn build_with(vault: &Path, out: &Path, today: &str, env: Option<(&str, &Path)>) -> String {
    let mut cmd = coffeechat();
    if let Some((name, value)) = env {
        cmd.env(name, value);
    }
    let o = cmd
        .args(["build", "-o"])
        .arg(out)
        .args(["--today", today])
        .arg(vault)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    err
}

fn edit(vault: &Path, rel: &str, from: &str, to: &str) {
    let path = vault.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_second_build_renders_only_the_pages_a_change_shows_on() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    let all = rendered(&build_ok(&vault, &out));
    assert!(all > 30, "the first build rendered {all} pages");
    assert_eq!(rendered(&build_ok(&vault, &out)), 0, "nothing changed");
    edit(
        &vault,
        "contacts/priya-raman.md",
        "\n## ",
        "\nA line added since.\n\n## ",
    );
    let err = build_ok(&vault, &out);
    let again = rendered(&err);
    assert!(
        again >= 1 && again < all / 2,
        "rendered {again} of {all}:\n{err}"
    );
    assert!(page(&out, "contacts/priya-raman.html").contains("A line added since."));
    assert_same_as_fresh(&vault, &out, &tmp);
}

#[test]
fn notes_added_and_removed_between_builds_come_and_go() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    write(
        &vault,
        "contacts/new-person.md",
        b"---\nname: New Person\nstatus: prospect\n---\nMet at a meetup.\n",
    );
    let plan = out.join("notes/job-search-plan.html");
    assert!(plan.is_file());
    fs::remove_file(vault.join("notes/job-search-plan.md")).unwrap();
    build_ok(&vault, &out);
    assert!(out.join("contacts/new-person.html").is_file());
    assert!(!plan.exists());
    assert_same_as_fresh(&vault, &out, &tmp);
}

/// Moving an alias changes which note a reference finds, not the referring note.
#[test]
fn a_reference_that_finds_another_note_after_an_alias_moves_shows_it() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    let lena = "contacts/lena-novak.md";
    edit(
        &vault,
        lena,
        "company: \"[[Tallgrass Analytics]]\"",
        "company: Tallgrass",
    );
    build_ok(&vault, &out);
    edit(
        &vault,
        "companies/tallgrass-analytics.md",
        "  - Tallgrass\n",
        "  - Tallgrass Co\n",
    );
    edit(
        &vault,
        "companies/parcelwise.md",
        "aliases:\n",
        "aliases:\n  - Tallgrass\n",
    );
    build_ok(&vault, &out);
    assert!(page(&out, "contacts/lena-novak.html").contains("Parcelwise</a>"));
    assert_same_as_fresh(&vault, &out, &tmp);
}

#[test]
fn a_changed_template_renders_every_page_again() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    let all = rendered(&build_ok(&vault, &out));
    let base = fs::read_to_string("themes/default/templates/base.html").unwrap();
    let marked = base.replace("made by coffeechat", "made by coffeechat, with my template");
    write(&vault, "templates/base.html", marked.as_bytes());
    assert_eq!(rendered(&build_ok(&vault, &out)), all);
    assert!(page(&out, "index.html").contains("with my template"));
    assert_same_as_fresh(&vault, &out, &tmp);
}

#[test]
fn another_today_renders_every_page_again() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    let all = rendered(&build_ok(&vault, &out));
    let err = build_with(&vault, &out, "2026-12-15", None);
    assert_eq!(rendered(&err), all);
    assert!(page(&out, "index.html").contains("As of Tue 15 Dec 2026"));
}

/// calendar.ics spells out the vault's time zone from the system's time-zone database;
/// an update to it (here: another zone's rules under the vault's zone's name, through
/// `TZDIR`) changes the calendar of an unchanged vault.
#[cfg(unix)]
#[test]
fn new_time_zone_rules_make_a_new_calendar() {
    let system = Path::new("/usr/share/zoneinfo/America");
    if !system.join("Regina").is_file() {
        assert!(
            std::env::var("CI").is_err(),
            "CI=true and no time-zone database (tzdata)"
        );
        eprintln!("*** SKIPPED: no system time-zone database (tzdata) ***");
        return;
    }
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    let rules = |from: &str| {
        let dir = tmp.path().join(format!("tz-{from}"));
        fs::create_dir_all(dir.join("America")).unwrap();
        fs::copy(system.join(from), dir.join("America/Chicago")).unwrap();
        dir
    };
    let build_with = |tzdir: &Path| {
        build_with(&vault, &out, TODAY, Some(("TZDIR", tzdir)));
        page(&out, "calendar.ics")
    };
    let chicago = build_with(&rules("Chicago"));
    assert!(chicago.contains("BEGIN:DAYLIGHT"), "{chicago}");
    let regina = build_with(&rules("Regina"));
    assert!(!regina.contains("BEGIN:DAYLIGHT"), "{regina}");
}

#[test]
fn pages_changed_or_removed_in_the_output_are_written_again() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    fs::remove_file(out.join("contacts/grace-liu.html")).unwrap();
    fs::remove_file(out.join("calendar.ics")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let index = out.join("index.html");
    let html = fs::read_to_string(&index).unwrap();
    fs::write(&index, html.replacen("<html", "<HTML", 1)).unwrap();
    let err = build_ok(&vault, &out);
    assert_eq!(rendered(&err), 2, "{err}");
    assert_same_as_fresh(&vault, &out, &tmp);
}

/// A record describes the site as one build wrote it. Another build into the same
/// output (here one keeping its records elsewhere) makes it stale, even when the vault
/// is then put back as the record saw it.
#[test]
fn a_record_of_a_site_rebuilt_since_is_not_trusted() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let contact = "contacts/priya-raman.md";
    let original = fs::read_to_string(vault.join(contact)).unwrap();
    edit(
        &vault,
        contact,
        "\n## ",
        "\nWritten by the other build.\n\n## ",
    );
    let other_cache = tmp.path().join("other-cache");
    build_with(&vault, &out, TODAY, Some(("XDG_CACHE_HOME", &other_cache)));
    assert!(page(&out, "contacts/priya-raman.html").contains("Written by the other build."));
    fs::write(vault.join(contact), original).unwrap();
    build_ok(&vault, &out);
    assert!(!page(&out, "contacts/priya-raman.html").contains("Written by the other build."));
    assert_same_as_fresh(&vault, &out, &tmp);
}

#[test]
fn the_output_holds_no_record() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let before = snapshot(&out, &[]);
    build_ok(&vault, &out);
    assert_eq!(
        before,
        snapshot(&out, &[]),
        "a build with nothing to do changed the output"
    );
    let hidden: Vec<_> = before
        .keys()
        .filter(|p| p.to_string_lossy().starts_with('.'))
        .collect();
    assert_eq!(
        hidden,
        [
            Path::new(".coffeechat-lock"),
            Path::new(".coffeechat-manifest")
        ]
    );
}
