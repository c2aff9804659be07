//! A vault as Obsidian users keep one: 150+ ordinary notes in nested folders, notes of
//! one name in several folders, attachments in their own folder, embeds, callouts,
//! headings and comments. It builds with no errors, and every link of the site works.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::*;

const TOPICS: [&str; 6] = [
    "Product",
    "Research",
    "Interviews",
    "Reading",
    "Daily",
    "Ideas",
];
const SUBTOPICS: [&str; 3] = ["Inbox", "Archive", "2026"];

/// Writes the vault: per topic and subfolder, eight notes that link to each other, to
/// headings, to notes of one name elsewhere, and embed files and notes.
fn write_vault(root: &Path) {
    for (t, topic) in TOPICS.iter().enumerate() {
        for sub in SUBTOPICS {
            for n in 0..8 {
                let rel = format!("{topic}/{sub}/Note {n}.md");
                write(root, &rel, note(t, topic, sub, n).as_bytes());
            }
            // The same name in every folder, as Obsidian allows.
            let shared = format!(
                "---\ntags: {topic} shared\n---\n# Overview\n\nThe {sub} overview of \
                 [[Note 0]].\n\n> [!tip] Kept here\n> See [[#Overview]].\n"
            );
            write(
                root,
                &format!("{topic}/{sub}/Overview.md"),
                shared.as_bytes(),
            );
        }
    }
    write(root, "Attachments/diagram.png", b"\x89PNG\r\n\x1a\n");
    write(root, "Attachments/talk.mp3", b"ID3");
    write(root, "Attachments/paper.pdf", b"%PDF-1.4");
    write(root, "Home.md", home().as_bytes());
}

fn note(t: usize, topic: &str, sub: &str, n: usize) -> String {
    let mut text = format!(
        "---\naliases: [{topic} {sub} {n}]\ntags: [{topic}, note]\ncssclasses: [wide]\n---\n"
    );
    let next = (n + 1) % 8;
    let _ = write!(
        text,
        "# Note {n}\n\nIn {topic}/{sub}. Next: [[Note {next}]], back [[Home]], \
         the [[Overview]] and [[{other}/Inbox/Note {n}|the same note elsewhere]].\n\n\
         ## Details\n\nA ==key== point %%a private remark%% and a [link](#details).\n\n\
         ![[diagram.png|300]] ![[talk.mp3]] ![[paper.pdf]]\n\n\
         > [!note]- Folded\n> Hidden at first, with [[Note {next}#Details]].\n\n\
         ![[Note {next}#Details]]\n",
        other = TOPICS[(t + 1) % TOPICS.len()],
    );
    text
}

fn home() -> String {
    let mut text = String::from("---\ntitle: Home\n---\n# Home\n\n");
    for topic in TOPICS {
        for sub in SUBTOPICS {
            let _ = writeln!(text, "- [[{topic}/{sub}/Overview|{topic} {sub}]]");
        }
    }
    text
}

#[test]
fn an_ordinary_obsidian_vault_builds_without_errors_and_every_link_works() {
    let (tmp, vault) = vault(&[]);
    write_vault(&vault);
    let notes = walkdir_count(&vault);
    assert!(notes >= 150, "only {notes} notes");
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    assert_contains(&err, "0 errors");
    let (checked, problems) = broken_links(&out);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 2000, "only {checked} links checked");
    let (checked, problems) = broken_fragments(&out);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 150, "only {checked} fragments checked");
    for (rel, bytes) in snapshot(&out, &[]) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("private remark"),
            "{} shows a comment",
            rel.display()
        );
    }
}

fn walkdir_count(root: &Path) -> usize {
    snapshot(root, &[])
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .count()
}
