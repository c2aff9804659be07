//! Builds cut short, and builds at the same time: whatever moment a build dies, the
//! next one finishes the site, and two writers never mix their files.
//!
//! A build is "killed" through a test hook, `COFFEECHAT_TEST_EXIT_AFTER=N`, which makes
//! the process exit at once, cleaning nothing up, after its Nth change to the output
//! folder (a temporary file, a rename, a removal, the manifest): every moment of a write,
//! one run each, in a fixed order.

mod common;

use std::fs::{self, File};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Runs a build that exits after its `n`th change to the output; returns whether it
/// got that far (`false`: it finished first, so `n` is past its last change).
fn build_killed_after(vault: &Path, out: &Path, n: usize) -> bool {
    let o = coffeechat()
        .args(["build", "--today", TODAY, "-o"])
        .arg(out)
        .arg(vault)
        .env("COFFEECHAT_TEST_EXIT_AFTER", n.to_string())
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    match o.status.code() {
        Some(137) => true,
        Some(0) => false,
        other => panic!("build exited with {other:?}:\n{}", stderr(&o)),
    }
}

/// Whether any temporary file of a write is left under `out`.
fn temporary_files(out: &Path) -> Vec<String> {
    snapshot(out, &[])
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".coffeechat-tmp"))
        .collect()
}

/// Kills a build of `vault` over `out` (as `before` made it) at each of its moments in
/// turn; after each, builds `after` into it and compares it with `clean`, the folder
/// a build of `after` made from nothing.
fn kill_at_every_moment(before: impl Fn(&Path), vault: &Path, after: impl Fn(), clean: &Path) {
    let want = snapshot(clean, &[]);
    let out = vault.parent().unwrap().join("killed");
    let mut moments = 0;
    for n in 1.. {
        let _ = fs::remove_dir_all(&out);
        before(&out);
        if !build_killed_after(vault, &out, n) {
            break;
        }
        moments += 1;
        after();
        let err = build_ok(vault, &out);
        assert_same_files(
            &snapshot(&out, &[]),
            &want,
            &format!("a clean build, after a build killed at moment {n}:\n{err}"),
        );
        assert!(temporary_files(&out).is_empty());
        assert!(n < 1000, "the build never finished");
    }
    assert!(moments > 10, "only {moments} moments were tried");
}

#[test]
fn a_first_build_killed_at_any_moment_is_finished_by_the_next() {
    let (tmp, vault) = example_vault();
    let clean = tmp.path().join("clean");
    build_ok(&vault, &clean);
    kill_at_every_moment(|_| {}, &vault, || {}, &clean);
}

#[test]
fn a_save_whose_build_was_killed_and_that_was_undone_leaves_nothing_behind() {
    let (tmp, vault) = example_vault();
    let clean = tmp.path().join("clean");
    build_ok(&vault, &clean);
    let (from, to) = (
        vault.join("contacts/priya-raman.md"),
        vault.join("contacts/priya-raman-2.md"),
    );
    let original = fs::read_to_string(&from).unwrap();
    // The save renames a contact, which moves her page and rewrites every page that
    // links to her, and adds a line to her notes.
    let save = || {
        fs::remove_file(&from).unwrap();
        fs::write(&to, format!("{original}\nMet again at the meetup.\n")).unwrap();
    };
    let undo = || {
        fs::remove_file(&to).unwrap();
        fs::write(&from, &original).unwrap();
    };
    let before = |out: &Path| {
        build_ok(&vault, out);
        save();
    };
    kill_at_every_moment(before, &vault, undo, &clean);
}

#[test]
fn a_save_whose_build_was_killed_is_finished_by_the_next() {
    let (tmp, vault) = example_vault();
    let (note, renamed) = (
        vault.join("contacts/priya-raman.md"),
        vault.join("contacts/priya-r.md"),
    );
    let original = fs::read_to_string(&note).unwrap();
    let saved = format!("{original}\nMet again at the meetup.\n");
    let save = || {
        fs::remove_file(&note).unwrap();
        fs::write(&renamed, &saved).unwrap();
    };
    save();
    let clean = tmp.path().join("clean");
    build_ok(&vault, &clean);
    let before = |out: &Path| {
        fs::remove_file(&renamed).unwrap();
        fs::write(&note, &original).unwrap();
        build_ok(&vault, out);
        save();
    };
    kill_at_every_moment(before, &vault, || {}, &clean);
}

/// Holds the lock of the output folder `out` as another coffeechat would, naming itself
/// in the lock file, until dropped.
fn hold_lock(out: &Path) -> File {
    fs::create_dir_all(out).unwrap();
    let mut file = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(out.join(".coffeechat-lock"))
        .unwrap();
    file.lock().unwrap();
    writeln!(file, "coffeechat serve (process 4242)").unwrap();
    file
}

#[test]
fn a_build_with_no_wait_gives_up_at_once_naming_the_writer() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let before = snapshot(&out, &[".coffeechat-lock"]);
    let lock = hold_lock(&out);
    let o = coffeechat()
        .args(["build", "--no-wait", "--today", TODAY, "-o"])
        .arg(&out)
        .arg(&vault)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_contains(
        &stderr(&o),
        "coffeechat serve (process 4242) is writing the site",
    );
    assert_same_files(
        &snapshot(&out, &[".coffeechat-lock"]),
        &before,
        "the site before",
    );
    drop(lock);
}

#[test]
fn a_build_waits_for_the_writer_and_then_writes() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    let lock = hold_lock(&out);
    let mut build = StdCommand::new(assert_cmd::cargo::cargo_bin("coffeechat"))
        .args(["build", "--today", TODAY, "-o"])
        .arg(&out)
        .arg(&vault)
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // It says what it waits for, and writes nothing while it waits.
    let mut said = String::new();
    let mut stderr = build.stderr.take().unwrap();
    let started = Instant::now();
    while !said.ends_with('\n') && started.elapsed() < Duration::from_secs(30) {
        let mut byte = [0];
        if std::io::Read::read(&mut stderr, &mut byte).unwrap() == 0 {
            break;
        }
        said.push(byte[0] as char);
    }
    assert_contains(&said, "waiting for coffeechat serve (process 4242)");
    assert!(
        !out.join("index.html").exists(),
        "it wrote while another held the lock"
    );
    assert_eq!(build.try_wait().unwrap(), None, "it did not wait");
    drop(lock);
    let status = build.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(status.success(), "{said}{rest}");
    assert!(out.join("index.html").is_file());
}

#[test]
fn two_builds_at_once_make_one_whole_site() {
    let (tmp, vault) = example_vault();
    let clean = tmp.path().join("clean");
    build_ok(&vault, &clean);
    let want = snapshot(&clean, &[]);
    for round in 0..10 {
        let out = tmp.path().join(format!("site-{round}"));
        let run = || {
            StdCommand::new(assert_cmd::cargo::cargo_bin("coffeechat"))
                .args(["build", "--today", TODAY, "-o"])
                .arg(&out)
                .arg(&vault)
                .env("XDG_CACHE_HOME", tmp.path().join("cache"))
                .output()
                .unwrap()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(run);
            (run(), a.join().unwrap())
        });
        for o in [a, b] {
            assert!(o.status.success(), "round {round}: {}", stderr(&o));
        }
        assert_same_files(&snapshot(&out, &[]), &want, "a clean build");
        build_ok(&vault, &out);
        assert_same_files(&snapshot(&out, &[]), &want, "a clean build");
    }
}
