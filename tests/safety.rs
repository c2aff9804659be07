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

/// A copy of tests/fixtures/hostile-bodies: one contact whose body holds what web-clipped
/// notes carry (scripts, handlers, frames, trackers, remote images), and a chat with them,
/// whose briefing copies the contact's first paragraph.
fn hostile_vault() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::TempDir::new().unwrap();
    let vault = tmp.path().join("vault");
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile-bodies");
    copy_dir(&fixture, &vault);
    (tmp, vault)
}

#[test]
fn hostile_html_in_bodies_runs_nothing_and_loads_nothing() {
    let (tmp, vault) = hostile_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    for rel in html_files(&out) {
        // The theme's search box in the header is the one form a page has; any other
        // came from a note.
        let html = page(&out, &rel.to_string_lossy()).replacen(
            "<form class=\"search\" role=\"search\"",
            "",
            1,
        );
        let rel = rel.display();
        for bad in [
            "alert(",
            "msgbox",
            "onerror",
            "<iframe",
            "<object",
            "<embed",
            "<form",
            "<base",
            "http-equiv",
            "@import",
            "background:",
            "javascript:",
            "vbscript:",
        ] {
            assert!(!html.contains(bad), "{rel} has `{bad}`");
        }
        // No attribute that makes the browser fetch names a web address.
        for attr in ["src=", "srcset=", "poster=", "data="] {
            for (i, _) in html.match_indices(attr) {
                let value = html[i + attr.len()..].trim_start_matches(['"', '\'']);
                assert!(
                    !value.starts_with("http") && !value.starts_with("//"),
                    "{rel}: {}",
                    &html[i..(i + 60).min(html.len())]
                );
            }
        }
    }
    let contact = page(&out, "contacts/clip.html");
    // Web images and media, in Markdown or HTML, are links saying what they are;
    // harmless markup is kept.
    for link in [
        "<a class=\"remote\" href=\"https://example.com/chart.png?utm=1\">remote image: example.com/chart.png</a>",
        "<a class=\"remote\" href=\"https://tracker.example/pixel.gif\">remote image: tracker.example/pixel.gif</a>",
        "<a class=\"remote\" href=\"https://example.com/clip.mp4\">remote video: example.com/clip.mp4</a>",
    ] {
        assert_contains(&contact, link);
    }
    for kept in [
        "<details>",
        "<kbd>Ctrl</kbd>",
        "<mark>marked</mark>",
        "<abbr title=\"kept\">",
        "<sup>2</sup>",
        "style=\"text-align: center\"",
    ] {
        assert_contains(&contact, kept);
    }
    // The briefing's snapshot of the contact has the text, not the tracker.
    let briefing = page(&out, "interviews/2026-12-09-clip.html");
    assert_contains(&briefing, "Clipped from the web.");
    // `check` names each web resource with its place.
    let o = coffeechat()
        .arg("check")
        .arg(&vault)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    let err = stderr(&o);
    for (url, line) in [
        ("https://tracker.example/pixel.gif", 5),
        ("https://example.com/chart.png?utm=1", 7),
        ("https://example.com/frame", 13),
        ("https://example.com/movie.swf", 21),
        ("https://example.com/embed.swf", 23),
        ("https://example.com/poster.jpg", 27),
        ("https://example.com/clip.mp4", 27),
        (
            "https://example.com/a.png 1x, https://example.com/b.png 2x",
            29,
        ),
    ] {
        assert_contains(&err, &format!("`{url}` would be loaded from the web"));
        assert_contains(&err, &format!("contacts/clip.md:{line}:"));
    }
    assert_eq!(err.matches("warning[remote-resource]").count(), 8, "{err}");
}

#[test]
fn repeated_headings_get_ids_that_are_never_given_twice() {
    let (tmp, vault) = vault(&[(
        "notes/intro.md",
        "---\ntitle: Intro\n---\n## Intro\n\nA.\n\n## Intro\n\nB.\n\n## Intro 1\n\nC.\n",
    )]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let html = page(&out, "notes/intro.html");
    for id in ["intro", "intro-1", "intro-1-1"] {
        let attr = format!("id=\"{id}\"");
        assert_eq!(html.matches(&attr).count(), 1, "{attr} in {html}");
    }
}

/// Each finding's place is found from the last one's: 20,000 broken links on one line
/// took 85 s when each was found from the top of the file. The timeout only stops a
/// run that would take minutes; the speed is in BENCHMARKS.md.
#[test]
fn thousands_of_broken_links_on_one_line_are_each_placed() {
    let links = "[[Nobody]] ".repeat(20_000);
    let note = format!("---\ntitle: Many\n---\nFirst line.\n{links}\n");
    let (_tmp, vault) = vault(&[("notes/many.md", &note)]);
    let o = coffeechat()
        .arg("check")
        .arg(&vault)
        .args(["--today", TODAY])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(err.matches("warning[unresolved-link]").count(), 20_000);
    // The last link starts 19,999 links of 11 characters into line 5.
    assert_contains(&err, &format!("notes/many.md:5:{}", 19_999 * 11 + 1));
}

/// A file name, or a link in a note, holding terminal escapes or a line break could
/// clear the screen or print a line that looks like coffeechat's own.
#[cfg(unix)]
#[test]
fn control_characters_in_names_are_printed_escaped() {
    let forged = "contacts/a\u{1b}[2J\nerror: forged.md";
    let (tmp, vault) = vault(&[
        (forged, "---\nname: Ann\n---\nSee [[Nobody]].\n"),
        (
            "contacts/bo.md",
            "---\nname: Bo\n---\nSee [[\u{1b}]0;title\u{7}]].\n",
        ),
    ]);
    for command in ["check", "build"] {
        let o = coffeechat()
            .arg(command)
            .arg(&vault)
            .args(["-o"])
            .arg(tmp.path().join("site"))
            .output()
            .unwrap();
        let err = stderr(&o);
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{7}'),
            "{command}: {err:?}"
        );
        assert!(
            !err.lines().any(|l| l.starts_with("error: forged")),
            "{command}: {err}"
        );
        assert_contains(&err, r"a\u{1b}[2J\nerror: forged.md:4:5");
        assert_contains(&err, r"no note is called `\u{1b}]0;title\u{7}`");
    }
}
