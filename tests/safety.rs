//! Hostile or odd input: markup in names, symbolic links, bad command lines.

mod common;

use std::fs;
use std::time::Duration;

use common::*;

#[test]
fn markup_in_names_and_fields_is_escaped() {
    let (tmp, vault) = vault(&[
        (
            "contacts/eve.md",
            "---\n\
             name: \"Eve <script>alert(1)</script>\"\n\
             aliases: [Evil]\n\
             title: \"<script>alert(2)</script> & Co\"\n\
             company: Acme\n\
             log:\n  - date: 2026-11-01\n    type: note\n    note: \"<script>alert(3)</script>\"\n\
             ---\nMet through [[Evil]].\n",
        ),
        (
            "companies/acme.md",
            "---\nname: Acme\naliases: [\"Acme <script>alert(4)</script>\"]\nindustry: \"<img src=x onerror=alert(5)>\"\n---\n",
        ),
        (
            "interviews/2026-12-01-eve.md",
            "---\n\
             with: Evil\n\
             date: 2026-12-01 10:00\n\
             status: scheduled\n\
             where: \"<script>alert(6)</script>\"\n\
             objectives: [\"<script>alert(7)</script>\"]\n\
             questions:\n  - \"<script>alert(8)</script>\"\n\
             ---\n",
        ),
        (
            "questions/q.md",
            "---\ncategory: \"Cat <script>alert(9)</script>\"\nquestions:\n  - \"<b>bold</b> question?\"\n---\n",
        ),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let pages = html_files(&out);
    assert!(pages.len() >= 10, "{pages:?}");
    for rel in &pages {
        let html = page(&out, &rel.to_string_lossy());
        assert_not_contains(&html, "<script>alert(");
        assert_not_contains(&html, "<img src=x");
        assert_not_contains(&html, "<b>bold</b>");
    }
    // The names still read as written.
    let (_, html) = navigate(&out, &["Contacts", "Eve <script>alert(1)</script>"]);
    let text = visible_text(&html);
    assert_contains(&text, "<script>alert(2)</script> & Co");
    assert_contains(&text, "<script>alert(3)</script>");
    let (_, html) = navigate(
        &out,
        &[
            "Chats",
            "Chat with Eve <script>alert(1)</script>, 2026-12-01",
        ],
    );
    let text = visible_text(&html);
    assert_contains(&text, "<script>alert(6)</script>");
    assert_contains(&text, "<script>alert(8)</script>");
    assert_contains(&text, "<img src=x onerror=alert(5)>");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_and_does_not_hang() {
    use std::os::unix::fs::symlink;
    let (tmp, vault) = vault(&[
        ("contacts/ada.md", "---\nname: Ada Lovelace\n---\n"),
        ("notes/plan.md", "---\ntitle: Plan\n---\nText.\n"),
    ]);
    symlink("..", vault.join("notes/up")).unwrap();
    symlink(".", vault.join("notes/here")).unwrap();
    let out = tmp.path().join("site");
    let o = coffeechat()
        .arg("build")
        .arg(&vault)
        .arg("-o")
        .arg(&out)
        .args(["--today", TODAY])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_contains(&err.to_lowercase(), "loop");
    assert_contains(&err, "notes/up");
    assert_contains(&err, "notes/here");
    // Each note is rendered once, not once per trip round the loop.
    let (_, notes) = navigate(&out, &["Notes"]);
    assert_eq!(
        anchors(&notes).iter().filter(|(_, t)| t == "Plan").count(),
        1,
        "{notes}"
    );
    assert!(visible_text(&page(&out, "contacts.html")).contains("Ada Lovelace"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_message_says_where_it_leads() {
    // A link back to the vault's top folder should say so, not name an empty path.
    use std::os::unix::fs::symlink;
    let (tmp, vault) = vault(&[("notes/plan.md", "---\ntitle: Plan\n---\n")]);
    symlink("..", vault.join("notes/up")).unwrap();
    let err = build_ok(&vault, &tmp.path().join("site"));
    assert_contains(&err, "notes/up");
    assert_not_contains(&err, "``");
}

#[cfg(unix)]
#[test]
fn a_symlink_pointing_outside_the_vault_is_not_followed() {
    use std::os::unix::fs::symlink;
    let (tmp, vault) = vault(&[("contacts/ada.md", "---\nname: Ada Lovelace\n---\n")]);
    // Someone else's notes, outside the vault.
    let outside = tmp.path().join("outside");
    write(
        &outside,
        "contacts/secret.md",
        b"---\nname: Secret Sam\n---\nPrivate things.\n",
    );
    write(&outside, "passwords.txt", b"hunter2");
    symlink(&outside, vault.join("elsewhere")).unwrap();
    symlink(
        outside.join("contacts/secret.md"),
        vault.join("contacts/secret.md"),
    )
    .unwrap();
    write(
        &vault,
        "notes/n.md",
        b"---\ntitle: N\n---\n[pw](../elsewhere/passwords.txt)\n",
    );
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    assert_contains(&err, "elsewhere");
    assert_contains(&err, "contacts/secret.md");
    for (rel, bytes) in snapshot(&out, &[]) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Secret Sam") && !text.contains("Private things"),
            "{} shows a note from outside the vault",
            rel.display()
        );
        assert!(
            !text.contains("hunter2"),
            "{} is a file from outside the vault",
            rel.display()
        );
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_file_inside_the_vault_is_followed() {
    use std::os::unix::fs::symlink;
    let png: &[u8] = b"\x89PNG\r\n\x1a\nshared logo";
    let (tmp, vault) = vault(&[(
        "notes/plan.md",
        "---\ntitle: Plan\n---\n![logo](images/logo.png)\n",
    )]);
    write(&vault, "shared/logo.png", png);
    fs::create_dir_all(vault.join("notes/images")).unwrap();
    symlink("../../shared/logo.png", vault.join("notes/images/logo.png")).unwrap();
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    assert_not_contains(&err, "outside");
    let (path, html) = navigate(&out, &["Notes", "Plan"]);
    let src = urls(&html)
        .into_iter()
        .find(|u| u.contains("logo.png"))
        .unwrap_or_else(|| panic!("no image in {html}"));
    let (file, _) = resolve(std::path::Path::new(&path), &src).unwrap();
    assert_eq!(fs::read(out.join(file)).unwrap(), png);
}

#[cfg(unix)]
#[test]
fn a_folder_linked_inside_the_vault_does_not_count_its_notes_twice() {
    // `companies` is a link to `archive/companies`, inside the vault: following it must
    // not turn the one file into two notes that clash.
    use std::os::unix::fs::symlink;
    let (tmp, vault) = vault(&[(
        "archive/companies/acme.md",
        "---\nname: Acme Rockets\nkind: company\n---\n",
    )]);
    symlink("archive/companies", vault.join("companies")).unwrap();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let (_, companies) = navigate(&out, &["Companies"]);
    assert_contains(&visible_text(&companies), "Acme Rockets");
}

#[test]
fn a_note_over_ten_megabytes_is_refused_with_a_clear_error() {
    let (tmp, vault) = vault(&[("contacts/ada.md", "---\nname: Ada\n---\n")]);
    let mut big = b"---\nname: Big Dump\n---\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b'x');
    write(&vault, "contacts/big.md", &big);
    let out = tmp.path().join("site");
    let err = build_fails(&vault, &out);
    assert_contains(&err, "contacts/big.md");
    assert_contains(&err, "MB");
    assert!(!out.exists());
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let (tmp, vault) = vault(&[("contacts/ada.md", "---\nname: Ada\n---\n")]);
    let out = tmp.path().join("site");
    let o = coffeechat()
        .arg("build")
        .arg(&vault)
        .arg("-o")
        .arg(&out)
        .args(["--today", TODAY, "--frobnicate"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_contains(&stderr(&o), "--frobnicate");
    assert!(!out.exists());
}

#[test]
fn a_today_that_is_not_a_date_is_a_usage_error() {
    let (tmp, vault) = vault(&[("contacts/ada.md", "---\nname: Ada\n---\n")]);
    let out = tmp.path().join("site");
    let o = coffeechat()
        .arg("build")
        .arg(&vault)
        .arg("-o")
        .arg(&out)
        .args(["--today", "banana"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_contains(&stderr(&o), "banana");
    assert!(!out.exists());
}

#[test]
fn an_unknown_command_is_a_usage_error() {
    let o = coffeechat().arg("bake").output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_vault_that_does_not_exist_is_an_error_not_a_panic() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = tmp.path().join("site");
    let err = build_fails(&tmp.path().join("no-such-vault"), &out);
    assert_contains(&err, "no-such-vault");
    assert_not_contains(&err, "panicked");
    assert!(!out.exists());
}
