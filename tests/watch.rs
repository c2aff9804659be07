//! `coffeechat watch`: the real binary on a small vault on disk, edited the ways
//! editors save (in place, by rename, truncate-then-write), with the rebuilt site read
//! back from disk.

mod common;
mod live;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use common::TODAY;
use live::{Running, eventually, is_rebuild};

const PLAN: &str = "---\ntitle: Job search plan\n---\nFirst version of the plan.\n";

fn small_vault() -> (tempfile::TempDir, PathBuf) {
    common::vault(&[
        (
            "me.md",
            "---\nname: Nadia Haddad\n---\nAnalyst moving into product.\n",
        ),
        ("notes/plan.md", PLAN),
    ])
}

/// `coffeechat watch VAULT --today TODAY [extra]`, after its first build.
fn watch(vault: &Path, extra: &[&str]) -> Running {
    let mut args = vec!["watch", "--today", TODAY];
    args.extend_from_slice(extra);
    let mut p = live::start(&args, vault);
    p.wait_ready();
    p
}

/// The generated page (relative to the output folder) that contains `text`, if any.
fn page_with(out: &Path, text: &str) -> Option<PathBuf> {
    common::html_files(out)
        .into_iter()
        .find(|rel| fs::read_to_string(out.join(rel)).is_ok_and(|h| h.contains(text)))
}

#[track_caller]
fn wait_for_page(out: &Path, text: &str) -> PathBuf {
    eventually(&format!("a page with `{text}`"), || page_with(out, text))
}

#[track_caller]
fn wait_for_no_page(out: &Path, text: &str) {
    eventually(&format!("no page with `{text}`"), || {
        page_with(out, text).is_none().then_some(())
    })
}

#[test]
fn ignored_files_do_not_rebuild_and_a_real_save_does() {
    let (_tmp, vault) = small_vault();
    let mut p = watch(&vault, &[]);
    let out = vault.join("public");
    let writes: &[(&str, &str)] = &[
        ("public/stray.txt", "written into the output"),
        (".obsidian/workspace.json", "{}"),
        (".git/HEAD", "ref: refs/heads/main"),
        ("notes/.hidden.md", "---\ntitle: Secret Plan Zeta\n---\n"),
        ("notes/4913", ""),
        ("notes/plan.md.swp", "swap"),
        ("notes/.plan.md.swp", "swap"),
        ("notes/plan.md~", "backup"),
        ("notes/#plan.md#", "auto-save"),
        ("notes/.#plan.md", "lock"),
        ("notes/plan.md___jb_tmp___", "jetbrains"),
        ("notes/plan.md___jb_old___", "jetbrains"),
        ("notes/plan.md.tmp", "temp"),
        ("notes/plan.md.vsctmp", "vs code"),
    ];
    for (rel, text) in writes {
        common::write(&vault, rel, text.as_bytes());
    }
    fs::remove_file(vault.join("notes/4913")).unwrap();
    // Nothing should happen now. Give a wrong rebuild the time to show up before
    // the real save, so that it would be seen first.
    thread::sleep(Duration::from_millis(1500));
    fs::write(vault.join("notes/plan.md"), PLAN.replace("First", "Second")).unwrap();
    let line = p.wait_rebuild();
    assert!(line.contains("] notes/plan.md: rebuilt in"), "{line}");
    let rebuilds: Vec<&String> = p.seen().iter().filter(|l| is_rebuild(l)).collect();
    assert_eq!(
        rebuilds.len(),
        1,
        "only the real save rebuilt:\n{}",
        p.log()
    );
    wait_for_page(&out, "Second version of the plan.");
    assert!(page_with(&out, "Secret Plan Zeta").is_none());
    assert!(
        out.join("stray.txt").is_file(),
        "nothing is deleted from the output but its own files"
    );
}

#[test]
fn a_vim_save_by_rename_is_picked_up() {
    let (_tmp, vault) = small_vault();
    let mut p = watch(&vault, &[]);
    let out = vault.join("public");
    let note = vault.join("notes/plan.md");
    let backup = vault.join("notes/plan.md~");
    // What vim does with `backupcopy=no`: probe the folder, move the note to its
    // backup, write the note anew, delete the backup.
    fs::write(vault.join("notes/4913"), "").unwrap();
    fs::remove_file(vault.join("notes/4913")).unwrap();
    fs::rename(&note, &backup).unwrap();
    fs::write(&note, PLAN.replace("First", "Vim-saved")).unwrap();
    fs::remove_file(&backup).unwrap();
    wait_for_page(&out, "Vim-saved version of the plan.");
    let line = p.wait_rebuild();
    assert!(line.contains("notes/plan.md"), "{line}");
    assert!(!line.contains('~') && !line.contains("4913"), "{line}");
}

#[test]
fn a_jetbrains_safe_write_is_picked_up() {
    let (_tmp, vault) = small_vault();
    let mut p = watch(&vault, &[]);
    let out = vault.join("public");
    let note = vault.join("notes/plan.md");
    let tmp = vault.join("notes/plan.md___jb_tmp___");
    let old = vault.join("notes/plan.md___jb_old___");
    // Write a temporary file, move the note aside, move the temporary file over it,
    // delete the old one.
    fs::write(&tmp, PLAN.replace("First", "Safely written")).unwrap();
    fs::rename(&note, &old).unwrap();
    fs::rename(&tmp, &note).unwrap();
    fs::remove_file(&old).unwrap();
    wait_for_page(&out, "Safely written version of the plan.");
    let line = p.wait_rebuild();
    assert!(line.contains("] notes/plan.md: "), "{line}");
}

#[test]
fn truncate_then_write_ends_with_the_whole_note() {
    let (_tmp, vault) = small_vault();
    let _p = watch(&vault, &[]);
    let out = vault.join("public");
    // VS Code's save: truncate the file, then write it, possibly in pieces.
    let mut f = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(vault.join("notes/plan.md"))
        .unwrap();
    f.flush().unwrap();
    thread::sleep(Duration::from_millis(150));
    f.write_all(b"---\ntitle: Job search plan\n---\nTruncated, ")
        .unwrap();
    f.flush().unwrap();
    thread::sleep(Duration::from_millis(150));
    f.write_all(b"then written in full.\n").unwrap();
    drop(f);
    wait_for_page(&out, "Truncated, then written in full.");
}

#[test]
fn deleted_and_recreated_notes_and_folders() {
    let (_tmp, vault) = small_vault();
    let mut p = watch(&vault, &[]);
    let out = vault.join("public");
    assert!(page_with(&out, "First version of the plan.").is_some());

    fs::remove_file(vault.join("notes/plan.md")).unwrap();
    wait_for_no_page(&out, "First version of the plan.");
    fs::write(
        vault.join("notes/plan.md"),
        PLAN.replace("First", "Recreated"),
    )
    .unwrap();
    wait_for_page(&out, "Recreated version of the plan.");

    // A new folder, deep, with a note written at once.
    fs::create_dir_all(vault.join("notes/trips/2026")).unwrap();
    fs::write(
        vault.join("notes/trips/2026/lisbon.md"),
        "---\ntitle: Lisbon meetup\n---\nMet two PMs at the meetup.\n",
    )
    .unwrap();
    wait_for_page(&out, "Met two PMs at the meetup.");
    fs::remove_dir_all(vault.join("notes/trips")).unwrap();
    wait_for_no_page(&out, "Met two PMs at the meetup.");

    // A new top-level folder is watched too, also after it is renamed.
    fs::create_dir(vault.join("research")).unwrap();
    fs::write(
        vault.join("research/ideas.md"),
        "---\ntitle: Ideas\n---\nFirst idea.\n",
    )
    .unwrap();
    wait_for_page(&out, "First idea.");
    fs::rename(vault.join("research"), vault.join("archive")).unwrap();
    // Once the rename is handled, edits inside the renamed folder count.
    p.wait_stderr("the rename's rebuild", |l| {
        is_rebuild(l) && l.contains("archive")
    });
    fs::write(
        vault.join("archive/ideas.md"),
        "---\ntitle: Ideas\n---\nSecond idea.\n",
    )
    .unwrap();
    wait_for_page(&out, "Second idea.");
    wait_for_no_page(&out, "First idea.");
}

#[test]
fn errors_never_stop_watching() {
    let (_tmp, vault) = small_vault();
    let mut p = watch(&vault, &[]);
    let out = vault.join("public");
    fs::write(
        vault.join("notes/plan.md"),
        "---\ntitle: [broken\n---\nBroken.\n",
    )
    .unwrap();
    let line = p.wait_rebuild();
    assert!(line.contains("1 error"), "{line}");
    assert!(
        line.contains("the previous site is left as it was"),
        "{line}"
    );
    assert!(p.log().contains("error[yaml-syntax]"), "{}", p.log());
    assert!(p.log().contains("notes/plan.md:2:"), "{}", p.log());
    assert!(
        page_with(&out, "First version of the plan.").is_some(),
        "the last good site stays"
    );
    fs::write(vault.join("notes/plan.md"), PLAN.replace("First", "Fixed")).unwrap();
    wait_for_page(&out, "Fixed version of the plan.");
    let line = p.wait_rebuild();
    assert!(line.contains("rebuilt in"), "{line}");
}

/// A new note saved before its front matter is closed, then saved whole: the error goes
/// with the save that fixes it (the fuzz target `saves` found it staying).
#[test]
fn a_new_note_saved_unreadable_then_fixed_builds() {
    let (_tmp, vault) = small_vault();
    let mut p = watch(&vault, &[]);
    let out = vault.join("public");
    common::write(&vault, "notes/idea.md", b"---\ntitle: Idea\n");
    p.wait_stderr("the unclosed front matter", |l| {
        l.contains("error[unclosed-front-matter]")
    });
    common::write(
        &vault,
        "notes/idea.md",
        b"---\ntitle: Idea\n---\nA fixed idea.\n",
    );
    p.wait_stderr("a rebuild without errors", |l| {
        is_rebuild(l) && l.contains("rebuilt in")
    });
    wait_for_page(&out, "A fixed idea.");
}

/// Two contacts whose file names make one slug: a save of one of them that keeps its
/// name keeps the error (the fuzz target `saves` found it dropped, and both contacts
/// then written to one page).
#[test]
fn a_save_keeps_a_duplicate_slug_error() {
    let (_tmp, vault) = common::vault(&[
        ("contacts/ada-x.md", "---\nname: Ada Xavier\n---\n"),
        ("contacts/ada_x.md", "---\nname: Ada Xu\n---\n"),
    ]);
    let mut p = watch(&vault, &[]);
    assert!(p.log().contains("error[duplicate-slug]"), "{}", p.log());
    common::write(
        &vault,
        "contacts/ada_x.md",
        b"---\nname: Ada Xu\n---\nMet at a meetup.\n",
    );
    let line = p.wait_rebuild();
    assert!(
        line.contains("1 error") && line.contains("the previous site is left as it was"),
        "{line}\n{}",
        p.log()
    );
    assert!(!vault.join("public/contacts/ada-x.html").exists());
}

#[test]
fn poll_picks_up_saves_even_within_one_second() {
    let (_tmp, vault) = small_vault();
    let _p = watch(&vault, &["--poll"]);
    let out = vault.join("public");
    fs::write(vault.join("notes/plan.md"), PLAN.replace("First", "Polled")).unwrap();
    wait_for_page(&out, "Polled version of the plan.");
    // At once again: a modification time in the same second as before.
    fs::write(
        vault.join("notes/plan.md"),
        PLAN.replace("First", "Repolled"),
    )
    .unwrap();
    wait_for_page(&out, "Repolled version of the plan.");
    fs::create_dir_all(vault.join("research/deep")).unwrap();
    fs::write(
        vault.join("research/deep/ideas.md"),
        "---\ntitle: Ideas\n---\nA polled idea.\n",
    )
    .unwrap();
    wait_for_page(&out, "A polled idea.");
}

#[test]
fn a_refused_output_folder_on_the_first_build_exits_1() {
    let (_tmp, vault) = small_vault();
    let mut p = live::start(&["watch", "-o", vault.to_str().unwrap()], &vault);
    assert_eq!(p.wait_exit(), Some(1), "{}", p.log());
    assert!(p.log().contains("refusing"), "{}", p.log());
}

#[test]
fn a_rebuild_prints_only_the_problems_that_are_new() {
    let (_tmp, vault) = common::vault(&[
        ("notes/a.md", "---\ntitle: A\n---\nSee [[Nobody Alpha]].\n"),
        ("notes/b.md", "---\ntitle: B\n---\nNothing yet.\n"),
    ]);
    let mut p = watch(&vault, &[]);
    assert!(p.log().contains("Nobody Alpha"), "{}", p.log());
    let printed = |p: &Running, from: usize| p.seen()[from..].join("\n");

    let before = p.seen().len();
    common::write(
        &vault,
        "notes/b.md",
        b"---\ntitle: B\n---\nSee [[Nobody Beta]].\n",
    );
    let line = p.wait_rebuild();
    let text = printed(&p, before);
    assert!(
        text.contains("Nobody Beta"),
        "the new warning is shown:\n{text}"
    );
    assert!(
        !text.contains("Nobody Alpha"),
        "the old one is not again:\n{text}"
    );
    assert!(line.ends_with("; 2 warnings (1 new, 0 gone)"), "{line}");

    let before = p.seen().len();
    common::write(&vault, "notes/b.md", b"---\ntitle: B\n---\nFixed.\n");
    let line = p.wait_rebuild();
    let text = printed(&p, before);
    assert!(!text.contains("Nobody"), "nothing is shown again:\n{text}");
    assert!(line.ends_with("; 1 warning (0 new, 1 gone)"), "{line}");
}

/// Rebuilds after saves leave the last build's record behind; stopping saves a new one,
/// so that the next `build` renders nothing the session already wrote.
#[cfg(unix)]
#[test]
fn a_build_after_watch_stops_resumes_from_its_record() {
    let (_tmp, vault) = small_vault();
    let out = vault.join("public");
    let mut p = watch(&vault, &[]);
    fs::write(vault.join("notes/plan.md"), PLAN.replace("First", "Second")).unwrap();
    p.wait_rebuild();
    wait_for_page(&out, "Second version of the plan.");
    assert_eq!(p.interrupt(), Some(0), "{}", p.log());
    let err = common::build_ok(&vault, &out);
    assert!(err.contains("; 0 pages rendered)"), "{err}");
}

/// A build into the same output while `watch` runs makes what the session holds
/// describe another site: stopping must not save it as the record of the site there.
#[cfg(unix)]
#[test]
fn a_session_stopped_after_another_build_wrote_its_output_saves_no_record() {
    let (_tmp, vault) = small_vault();
    let out = vault.join("public");
    let mut p = watch(&vault, &[]);
    fs::write(vault.join("notes/plan.md"), PLAN.replace("First", "Second")).unwrap();
    p.wait_rebuild();
    let other = common::coffeechat()
        .args(["build", "--today", "2026-12-15"])
        .arg(&vault)
        .output()
        .unwrap();
    assert!(other.status.success());
    assert_eq!(p.interrupt(), Some(0), "{}", p.log());
    common::build_ok(&vault, &out);
    let dashboard = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(dashboard.contains("As of Mon 23 Nov 2026"), "{dashboard}");
}
