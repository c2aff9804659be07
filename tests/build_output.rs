//! What a build does to the disk: deterministic output, only changed files written, stale
//! pages removed, the vault never touched, dangerous output folders refused, and a failed
//! build leaving the previous site as it was.

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// The number in the build summary's "N written".
fn written(stderr: &str) -> usize {
    let at = stderr
        .find(" written")
        .unwrap_or_else(|| panic!("no \"written\" count in:\n{stderr}"));
    let digits: String = stderr[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number before \"written\" in:\n{stderr}"))
}

#[test]
fn two_builds_with_the_same_today_are_byte_identical() {
    let (tmp, vault) = example_vault();
    let a = tmp.path().join("site-a");
    let b = tmp.path().join("elsewhere/site-b");
    build_ok(&vault, &a);
    build_ok(&vault, &b);
    let sa = snapshot(&a, &[]);
    let sb = snapshot(&b, &[]);
    assert!(sa.len() > 30, "only {} files built", sa.len());
    assert_same_files(&sb, &sa, "the first build");
}

#[test]
fn two_copies_of_a_vault_in_different_places_build_the_same_site() {
    let (tmp_a, vault_a) = example_vault();
    let (tmp_b, vault_b) = example_vault();
    let a = tmp_a.path().join("site");
    let b = tmp_b.path().join("some/other/site");
    build_ok(&vault_a, &a);
    build_ok(&vault_b, &b);
    assert_same_files(
        &snapshot(&b, &[]),
        &snapshot(&a, &[]),
        "the other copy's site",
    );
}

#[test]
fn the_vault_is_unchanged_by_a_build_into_its_default_output() {
    let (_tmp, vault) = example_vault();
    let before = snapshot(&vault, &["public"]);
    // No -o: the site goes to `public/` inside the vault (the `output` setting).
    let o = coffeechat()
        .arg("build")
        .arg(&vault)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(vault.join("public/index.html").is_file());
    assert_eq!(before, snapshot(&vault, &["public"]), "the vault changed");
    // A second build does not read the output as notes or change the vault either.
    let o = coffeechat()
        .current_dir(&vault)
        .args(["build", "--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(before, snapshot(&vault, &["public"]), "the vault changed");
}

#[test]
fn the_vault_is_unchanged_by_a_build_elsewhere() {
    let (tmp, vault) = example_vault();
    let before = snapshot(&vault, &[]);
    build_ok(&vault, &tmp.path().join("site"));
    assert_eq!(before, snapshot(&vault, &[]), "the vault changed");
}

#[test]
fn a_second_identical_build_writes_nothing() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    let first = build_ok(&vault, &out);
    assert!(written(&first) > 30, "{first}");
    let mtime = |rel: &str| fs::metadata(out.join(rel)).unwrap().modified().unwrap();
    let before = (mtime("index.html"), mtime("contacts/priya-raman.html"));
    let before_files = snapshot(&out, &[]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let err = build_ok(&vault, &out);
    assert_eq!(written(&err), 0, "{err}");
    assert_eq!(
        before,
        (mtime("index.html"), mtime("contacts/priya-raman.html")),
        "unchanged pages were rewritten"
    );
    assert_eq!(before_files, snapshot(&out, &[]));
}

#[test]
fn a_change_to_one_note_rewrites_only_what_shows_it() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let before = snapshot(&out, &[]);
    let ruth = vault.join("contacts/ruth-adebayo.md");
    let text = fs::read_to_string(&ruth).unwrap();
    fs::write(&ruth, text.replace("Champaign, IL", "Urbana, IL")).unwrap();
    let err = build_ok(&vault, &out);
    assert!(written(&err) >= 1, "{err}");
    let after = snapshot(&out, &[]);
    assert_contains(&page(&out, "contacts/ruth-adebayo.html"), "Urbana, IL");
    assert_eq!(
        before[Path::new("companies/ledgerly.html")],
        after[Path::new("companies/ledgerly.html")],
        "an unrelated page changed"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site_intact() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let before = snapshot(&out, &[]);
    // Break the YAML of one note: a second `key:` on one line (line 10).
    let grace = vault.join("contacts/grace-liu.md");
    let text = fs::read_to_string(&grace).unwrap();
    assert_eq!(text.lines().nth(9), Some("status: reached-out"));
    fs::write(
        &grace,
        text.replacen("status: reached-out", "status: reached-out: yes", 1),
    )
    .unwrap();
    let err = build_fails(&vault, &out);
    assert_contains(&err, "contacts/grace-liu.md:10:");
    assert_eq!(before, snapshot(&out, &[]), "the previous site was changed");
}

#[test]
fn a_failed_build_after_a_note_is_deleted_keeps_its_page() {
    // Deleting a note others refer to breaks the build; nothing is removed then.
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let before = snapshot(&out, &[]);
    fs::remove_file(vault.join("contacts/jonah-feld.md")).unwrap();
    let err = build_fails(&vault, &out);
    // Lena's `introduced_by: Jonah Feld` (line 9, column 16) no longer resolves.
    assert_contains(&err, "contacts/lena-novak.md:9:16");
    assert_eq!(before, snapshot(&out, &[]), "the previous site was changed");
}

/// A contact template that fails only on Bob's page, after other pages have rendered.
const FAILS_ON_BOB: &[u8] = b"{% extends \"theme/contact.html\" %}\n\
{% block content %}{% if note.name == \"Bob Byron\" %}{{ no_such_variable.x }}{% endif %}\
{% endblock content %}\n";

#[test]
fn a_template_error_on_one_page_leaves_the_previous_site_intact() {
    let (tmp, vault) = vault(&[("contacts/ada.md", "---\nname: Ada Lovelace\n---\n")]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let before = snapshot(&out, &[]);
    // A new note in a new folder, a changed page, and a template failing on one page.
    write(&vault, "contacts/bob.md", b"---\nname: Bob Byron\n---\n");
    write(&vault, "companies/acme.md", b"---\nname: Acme\n---\n");
    write(&vault, "templates/contact.html", FAILS_ON_BOB);
    let err = build_fails(&vault, &out);
    assert_contains(&err, "no_such_variable");
    // No page, temporary file or folder of the failed build is left behind.
    assert_eq!(before, snapshot(&out, &[]), "the previous site was changed");
}

#[test]
fn a_template_error_on_one_page_writes_no_new_site() {
    let (tmp, vault) = vault(&[
        ("contacts/ada.md", "---\nname: Ada Lovelace\n---\n"),
        ("contacts/bob.md", "---\nname: Bob Byron\n---\n"),
    ]);
    write(&vault, "templates/contact.html", FAILS_ON_BOB);
    let out = tmp.path().join("new/site");
    build_fails(&vault, &out);
    assert!(!tmp.path().join("new").exists(), "a site was written");
}

#[test]
fn a_page_edited_in_the_output_is_restored() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let before = snapshot(&out, &[]);
    // Same length, different bytes: only reading the file can tell.
    let rel = "contacts/priya-raman.html";
    let html = page(&out, rel);
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(out.join(rel), html.replacen("<html", "<HTML", 1)).unwrap();
    let err = build_ok(&vault, &out);
    assert_eq!(written(&err), 1, "{err}");
    assert_eq!(before, snapshot(&out, &[]));
}

#[test]
fn stale_pages_are_removed_and_user_files_kept() {
    let (tmp, vault) = vault(&[
        ("contacts/ada.md", "---\nname: Ada Lovelace\n---\n"),
        ("contacts/bob.md", "---\nname: Bob Byron\n---\n"),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    assert!(out.join("contacts/bob.html").is_file());
    let bob_page = out.join("contacts/bob.html");
    // The user drops their own files into the output after the build.
    write(&out, "my-notes.txt", b"mine");
    write(&out, "contacts/keep-me.txt", b"also mine");
    fs::remove_file(vault.join("contacts/bob.md")).unwrap();
    build_ok(&vault, &out);
    assert!(
        !bob_page.exists(),
        "the page of the deleted note is still there"
    );
    assert!(out.join("contacts/ada.html").is_file());
    assert_eq!(fs::read(out.join("my-notes.txt")).unwrap(), b"mine");
    assert_eq!(
        fs::read(out.join("contacts/keep-me.txt")).unwrap(),
        b"also mine"
    );
    let contacts = visible_text(&page(&out, "contacts.html"));
    assert_not_contains(&contacts, "Bob Byron");
}

#[test]
fn refuses_to_write_into_the_vault_itself() {
    let (tmp, vault) = example_vault();
    let before = snapshot(tmp.path(), &[]);
    let err = build_fails(&vault, &vault);
    assert_contains(&err.to_lowercase(), "refus");
    assert_eq!(before, snapshot(tmp.path(), &[]), "files changed");
    // Written differently, it is still the vault.
    let err = build_fails(&vault, &vault.join("contacts/.."));
    assert_contains(&err.to_lowercase(), "refus");
    assert_eq!(before, snapshot(tmp.path(), &[]), "files changed");
}

#[test]
fn refuses_to_write_into_a_folder_holding_the_vault() {
    let (tmp, vault) = example_vault();
    write(tmp.path(), "unrelated/report.txt", b"keep");
    let before = snapshot(tmp.path(), &[]);
    let err = build_fails(&vault, tmp.path());
    assert_contains(&err.to_lowercase(), "refus");
    assert_contains(&err.to_lowercase(), "vault");
    assert_eq!(before, snapshot(tmp.path(), &[]), "files changed");
}

#[test]
fn refuses_a_non_empty_folder_not_made_by_coffeechat() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("documents");
    write(&out, "thesis.docx", b"four years of work");
    write(&out, "index.html", b"<p>my own homepage</p>");
    write(&out, "contacts/people.csv", b"a,b");
    let before = snapshot(&out, &[]);
    let err = build_fails(&vault, &out);
    assert_contains(&err.to_lowercase(), "refus");
    assert_contains(&err, "documents");
    assert_eq!(before, snapshot(&out, &[]), "the user's files changed");
}

#[test]
fn refuses_an_output_setting_that_holds_the_vault() {
    let (tmp, vault) = example_vault();
    let settings = fs::read_to_string(vault.join("coffeechat.yaml")).unwrap();
    fs::write(
        vault.join("coffeechat.yaml"),
        settings.replace("output: public", "output: \"..\""),
    )
    .unwrap();
    let before = snapshot(tmp.path(), &[]);
    let o = coffeechat()
        .arg("build")
        .arg(&vault)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_contains(&stderr(&o).to_lowercase(), "refus");
    assert_eq!(before, snapshot(tmp.path(), &[]), "files changed");
}

#[cfg(unix)]
#[test]
fn refuses_an_output_folder_that_is_a_link_to_the_vault() {
    let (tmp, vault) = example_vault();
    let link = tmp.path().join("site");
    std::os::unix::fs::symlink(&vault, &link).unwrap();
    let before = snapshot(&vault, &[]);
    let err = build_fails(&vault, &link);
    assert_contains(&err.to_lowercase(), "refus");
    assert_eq!(before, snapshot(&vault, &[]), "the vault changed");
}

#[test]
fn an_empty_existing_folder_is_accepted() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("empty");
    fs::create_dir(&out).unwrap();
    build_ok(&vault, &out);
    assert!(Path::new(&out.join("index.html")).is_file());
}

/// `-o site`, relative and not there yet, is made in the current folder.
#[test]
fn a_relative_output_folder_that_is_not_there_yet_is_made() {
    let (tmp, vault) = example_vault();
    let name = vault.file_name().unwrap();
    let o = coffeechat()
        .current_dir(tmp.path())
        .arg("build")
        .arg(name)
        .args(["-o", "site", "--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(tmp.path().join("site/index.html").is_file());
}

/// `output: static` once copied the site into itself on every build, and
/// `output: templates` turned pages into templates.
#[test]
fn refuses_an_output_inside_a_folder_coffeechat_reads() {
    for (setting, folder) in [
        ("static", "static"),
        ("templates", "templates"),
        ("themes/mine/static", "themes"),
    ] {
        let (tmp, vault) = example_vault();
        let settings = fs::read_to_string(vault.join("coffeechat.yaml")).unwrap();
        let settings = settings.replace("output: public", &format!("output: {setting}"));
        fs::write(vault.join("coffeechat.yaml"), settings).unwrap();
        let before = snapshot(tmp.path(), &[]);
        let o = coffeechat()
            .arg("build")
            .arg(&vault)
            .args(["--today", TODAY])
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{setting}: {err}");
        assert_contains(&err, &format!("reads the vault's `{folder}` folder"));
        assert_contains(&err, "choose a folder outside it");
        assert_eq!(
            before,
            snapshot(tmp.path(), &[]),
            "{setting}: files changed"
        );
    }
}

/// A folder of the output replaced by a link to one elsewhere: nothing outside the
/// output is written or removed through it.
#[cfg(unix)]
#[test]
fn a_linked_folder_in_the_output_is_never_written_or_emptied_through() {
    let (tmp, vault) = vault(&[
        ("contacts/ada.md", "---\nname: Ada Lovelace\n---\n"),
        ("contacts/bob.md", "---\nname: Bob Byron\n---\n"),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let elsewhere = tmp.path().join("elsewhere");
    fs::rename(out.join("contacts"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("contacts")).unwrap();
    let theirs = snapshot(&elsewhere, &[]);
    // Bob's page is stale: the build removes it, but not through the link.
    fs::remove_file(vault.join("contacts/bob.md")).unwrap();
    build_ok(&vault, &out);
    assert!(
        snapshot(&elsewhere, &[]) == theirs,
        "a file outside the output changed"
    );
    // A page to write there is refused, naming the link.
    write(&vault, "contacts/ada.md", b"---\nname: Ada King\n---\n");
    let err = build_fails(&vault, &out);
    assert_contains(&err, "is a symbolic link");
    assert_contains(&err, "remove the link");
    assert!(
        snapshot(&elsewhere, &[]) == theirs,
        "a file outside the output changed"
    );
}
