//! What issue 23 ("the site as a product") promises a user sees, on the built pages:
//! web addresses are links, the briefing carries the chat's prep, a done chat leads with
//! what came of it, the dashboard leads with the next chat and lists no empty stage.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use tempfile::TempDir;

fn example_site() -> (TempDir, PathBuf, PathBuf) {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    (tmp, vault, out)
}

/// `(note, key, value)` for every `linkedin`, `website` and `link` in the vault's front
/// matter, read line by line: the example writes each on one line.
fn web_addresses(vault: &Path) -> Vec<(PathBuf, String, String)> {
    let mut found = Vec::new();
    for dir in ["contacts", "companies", "interviews", "."] {
        for entry in fs::read_dir(vault.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = fs::read_to_string(&path).unwrap();
            let front = text.split("\n---").next().unwrap_or_default();
            for line in front.lines() {
                for key in ["linkedin", "website", "link"] {
                    if let Some(value) = line.strip_prefix(&format!("{key}: ")) {
                        let value = value.trim().trim_matches('"').to_string();
                        let rel = path.strip_prefix(vault).unwrap().to_path_buf();
                        found.push((rel, key.to_string(), value));
                    }
                }
            }
        }
    }
    found
}

/// The page a note is shown on: its kind's folder and its file's name.
fn page_of(note: &Path) -> String {
    let stem = note.file_stem().unwrap().to_string_lossy();
    match note.parent().and_then(|p| p.to_str()) {
        Some("contacts") => format!("contacts/{stem}.html"),
        Some("companies") => format!("companies/{stem}.html"),
        Some("interviews") => format!("interviews/{stem}.html"),
        _ => "me.html".to_string(),
    }
}

#[test]
fn every_web_address_of_the_example_vault_is_a_link_on_its_page() {
    let (_tmp, vault, out) = example_site();
    let addresses = web_addresses(&vault);
    // Every contact but two has a LinkedIn; each company a website; Sam's chat a link.
    assert!(addresses.len() >= 15, "{addresses:?}");
    for (note, key, value) in addresses {
        let rel = page_of(&note);
        let rel = if rel == "me.html" {
            // The profile's page is named by its slug, found through the dashboard.
            navigate(&out, &["Me"]).0
        } else {
            rel
        };
        let html = page(&out, &rel);
        let hrefs = urls(&html);
        assert!(
            hrefs.contains(&value),
            "{key} `{value}` of {} is not an <a href> on {rel}; links there: {hrefs:?}",
            note.display()
        );
    }
}

#[test]
fn emails_and_phones_are_mailto_and_tel_links() {
    let (_tmp, _vault, out) = example_site();
    let tomas = page(&out, "contacts/tomas-alvarez.html");
    assert_contains(&tomas, "href=\"mailto:tomas.alvarez@parcelwise.example\"");
    let with_phone = fs::read_dir(out.join("contacts"))
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
        .find(|html| html.contains("+1 312-555-0148"))
        .expect("the contact with a phone number");
    assert_contains(&with_phone, "href=\"tel:+13125550148\"");
}

#[test]
fn bare_addresses_in_bodies_are_links_and_other_schemes_are_not() {
    let (tmp, vault) = vault(&[(
        "contacts/ada.md",
        "---\nname: Ada Lovelace\nwebsite: \"javascript:alert(1)\"\n---\n\
         Her talk: https://talks.example/ada_(2026). Mail ada@example.com.\n\n\
         `https://in.code.example` and javascript://x.example/%0aalert(1)\n",
    )]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let html = page(&out, "contacts/ada.html");
    assert_contains(
        &html,
        "<a href=\"https://talks.example/ada_(2026)\">https://talks.example/ada_(2026)</a>.",
    );
    assert_contains(&html, "<a href=\"mailto:ada@example.com\">");
    assert_contains(&html, "<code>https://in.code.example</code>");
    assert!(
        !urls(&html).iter().any(|u| u.starts_with("javascript")),
        "{html}"
    );
}

#[test]
fn the_briefing_carries_the_chats_prep_once_without_a_doubled_heading() {
    let (_tmp, _vault, out) = example_site();
    let html = page(&out, "interviews/2026-11-24-priya-raman.html");
    let prep = html_between(&html, "<section class=\"prep\">", "</section>");
    assert_contains(prep, "Your prep");
    assert_contains(
        prep,
        "Bring: printed quote-form case study (one page), a pen, the notes sheet.",
    );
    assert_contains(prep, "Do not bring up open roles.");
    let text = visible_text(&html);
    assert_not_contains(&text, "Prep and notes");
    assert_eq!(
        text.matches("Bring: printed quote-form").count(),
        1,
        "{text}"
    );
    // Time and place lead the sheet, and the connection is said in words.
    assert_in_order(
        &text,
        &[
            "How you are connected: introduced by Marcus Chen",
            "alumni",
            "Tue 24 Nov 2026, 10:00",
            "Brightline Health lobby café",
            "Objectives",
            "Your prep",
        ],
    );
}

#[test]
fn a_prep_ends_at_a_thematic_break_and_how_you_are_connected_is_left_out_when_unknown() {
    let (tmp, vault) = vault(&[
        (
            "contacts/ada.md",
            "---\nname: Ada Lovelace\nsource: other\n---\n",
        ),
        (
            "interviews/2026-12-01-ada.md",
            "---\nwith: Ada Lovelace\ndate: 2026-12-01 10:00\n---\nBring the engine notes.\n\n---\n\nShe said the notes were long.\n",
        ),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let html = page(&out, "interviews/2026-12-01-ada.html");
    let prep = html_between(&html, "<section class=\"prep\">", "</section>");
    assert_contains(prep, "Bring the engine notes.");
    assert_not_contains(prep, "She said");
    assert_not_contains(&visible_text(&html), "How you are connected");
}

#[test]
fn a_done_chat_leads_with_its_notes_and_what_is_owed_and_folds_its_prep() {
    let (_tmp, _vault, out) = example_site();
    let html = page(&out, "interviews/2026-11-19-sam-oduya.html");
    let text = visible_text(&html);
    assert_in_order(
        &text,
        &[
            "Notes",
            "His week: Monday incident review",
            "Takeaways",
            "They referred you to",
            "Tomás Alvarez",
            "What you owe",
            "Send a thank-you",
            "Read the Parcelwise carrier API changelog",
            "Briefing: prep, pitch and questions",
            "Your prep",
            "Your pitch",
        ],
    );
    let folded = html_between(&html, "<details class=\"sheet-fold\">", "</details>");
    assert_contains(folded, "Met Sam at the October product meetup");
}

#[test]
fn the_dashboard_leads_with_the_next_chat_and_lists_no_empty_stage() {
    let (tmp, vault) = vault(&[
        ("contacts/ada.md", "---\nname: Ada Lovelace\n---\n"),
        (
            "interviews/2026-12-01-ada.md",
            "---\nwith: Ada Lovelace\ndate: 2026-12-01 10:00\nwhere: The Old Library\nobjectives: [Hear how the engine was planned]\n---\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let o = coffeechat()
        .args(["build"])
        .arg(&vault)
        .arg("-o")
        .arg(&out)
        .args(["--today", "2026-11-29"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let html = page(&out, "index.html");
    let text = visible_text(&html);
    assert_in_order(
        &text,
        &[
            "Next chat",
            "Ada Lovelace",
            "in 2 days",
            "Tue 1 Dec 2026, 10:00",
            "The Old Library",
            "Hear how the engine was planned",
            "Print briefing",
            "Overdue",
        ],
    );
    assert_links_to(
        &html,
        "index.html",
        "Print briefing",
        "interviews/2026-12-01-ada.html",
    );
    let pipeline = section(&html, "Pipeline");
    assert_contains(&pipeline, "scheduled 1");
    for empty in ["prospect", "met", "dormant", "declined"] {
        assert_not_contains(&pipeline, empty);
    }
}

#[test]
fn the_contacts_index_carries_what_it_sorts_and_filters_by() {
    let (_tmp, _vault, out) = example_site();
    let html = page(&out, "contacts.html");
    // Sam: last touch his chat of 2026-11-19; next due his overdue thank-you.
    let sam = html_between(&html, "data-name=\"sam oduya\"", "</tr>");
    assert_contains(sam, "data-last=\"2026-11-19\"");
    assert_contains(sam, "data-next=\"2026-11-20\"");
    assert_contains(sam, "data-stage=\"met\"");
    assert_contains(&html, "<select data-sort>");
    // The page works from disk: the sorting script is inline; the one script loaded is
    // the theme's search box, from the site itself.
    assert_loads_only_the_search_script(&html);
}
