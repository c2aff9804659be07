//! The search index (search/*.js), the A-Z page it falls back to without scripts, and
//! the saved views the dashboard links to. The search itself, typed into in chromium,
//! is tested in tests/browser.rs.

mod common;

use std::io::Read;
use std::path::Path;

use base64::Engine;
use common::*;

/// Every entry of the index in `out`, as JSON, read as search.js reads it: the shard
/// count from search/index.js, then each shard's base64 inflated.
fn index_entries(out: &Path) -> Vec<serde_json::Value> {
    let manifest = page(out, "search/index.js");
    let count: usize = manifest
        .trim()
        .strip_prefix("coffeechatSearch.shards(")
        .and_then(|s| s.strip_suffix(");"))
        .expect("search/index.js names the shard count")
        .parse()
        .unwrap();
    let mut entries = Vec::new();
    for i in 0..count {
        let shard = page(out, &format!("search/index-{i}.js"));
        let b64 = shard.split('"').nth(1).expect("a shard holds one string");
        let packed = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        let mut json = String::new();
        flate2::read::ZlibDecoder::new(&packed[..])
            .read_to_string(&mut json)
            .unwrap();
        let serde_json::Value::Array(shard) = serde_json::from_str(&json).unwrap() else {
            panic!("a shard is a list of entries")
        };
        entries.extend(shard);
    }
    entries
}

/// The entry of the note whose page is `url`.
fn entry<'a>(entries: &'a [serde_json::Value], url: &str) -> &'a serde_json::Value {
    entries
        .iter()
        .find(|e| e[2] == url)
        .unwrap_or_else(|| panic!("no entry for {url} in {entries:?}"))
}

/// FNV-1a (32 bits) in hex, written here from its definition, as search.js has it.
fn fnv1a(text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

const CONTACT: &str = "---\nname: Ada Lovelace\naliases: [Countess]\ntitle: Head of Research\n\
    company: Analytical Engines\nlocation: London\ntags: [mathematics]\n\
    email: Ada@Engines.example\nphone: \"+44 20 7946 0018\"\n---\n\
    Met at the Difference Engine demo. %%privatejoke about her poetry%%\n\n\
    %%\nwholeblockcomment\n%%\n\nShe asked about punchcards.\n";

fn search_vault() -> (tempfile::TempDir, std::path::PathBuf) {
    vault(&[
        ("contacts/ada.md", CONTACT),
        (
            "companies/engines.md",
            "---\nname: Analytical Engines\nindustry: Computing\n---\n",
        ),
        (
            "interviews/2026-11-10-ada.md",
            "---\nwith: Ada Lovelace\ndate: 2026-11-10 10:00\nstatus: done\n\
             questions:\n  - How do looms inspire your programs?\n---\nPrep.\n",
        ),
        (
            "questions/craft.md",
            "---\ncategory: Craft\nquestions:\n  - What would you automate first?\n---\n",
        ),
        (
            "notes/plan.md",
            "---\ntitle: Plan\n---\nRead about *bernoulli* numbers.\n",
        ),
    ])
}

#[test]
fn the_index_holds_what_a_search_finds_and_never_a_comment_or_an_email() {
    let (tmp, vault) = search_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let entries = index_entries(&out);
    assert_eq!(entries.len(), 5, "{entries:?}");
    let ada = entry(&entries, "contacts/ada.html");
    assert_eq!(ada[0], "people");
    assert_eq!(ada[1], "Ada Lovelace");
    assert_eq!(ada[3], "Countess");
    assert_eq!(
        ada[4],
        "Head of Research · Analytical Engines · London · #mathematics"
    );
    let body = ada[6].as_str().unwrap();
    assert_contains(body, "Difference Engine demo.");
    assert_contains(body, "punchcards");
    // The email and phone are there only as keys of the whole value.
    assert_eq!(
        ada[8],
        serde_json::json!([fnv1a("ada@engines.example"), fnv1a("442079460018")])
    );
    let chat = entry(&entries, "interviews/2026-11-10-ada.html");
    assert_eq!(chat[0], "chats");
    assert_eq!(chat[5], "How do looms inspire your programs?");
    assert_eq!(
        entry(&entries, "questions/craft.html")[5],
        "What would you automate first?"
    );
    assert_contains(
        entry(&entries, "notes/plan.html")[6].as_str().unwrap(),
        "bernoulli numbers",
    );
    let all = serde_json::to_string(&entries).unwrap();
    for hidden in [
        "privatejoke",
        "poetry",
        "wholeblockcomment",
        "Engines.example",
        "engines.example",
        "7946",
    ] {
        assert!(!all.contains(hidden), "`{hidden}` is in the index: {all}");
    }
}

#[test]
fn every_page_has_the_search_box_which_leads_to_the_a_to_z_page_without_scripts() {
    let (tmp, vault) = search_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    for (rel, root) in [
        ("index.html", ""),
        ("contacts/ada.html", "../"),
        ("notes/plan.html", "../"),
    ] {
        let html = page(&out, rel);
        assert_contains(
            &html,
            &format!("<form class=\"search\" role=\"search\" action=\"{root}a-z.html\">"),
        );
        assert_contains(
            &html,
            &format!("<script src=\"{root}static/search.js\" defer></script>"),
        );
    }
    assert!(out.join("static/search.js").exists());
    let az = visible_text(&page(&out, "a-z.html"));
    assert_in_order(
        &az,
        &[
            "Ada Lovelace",
            "Analytical Engines",
            "Chat with Ada Lovelace",
            "Craft",
            "Plan",
        ],
    );
}

#[test]
fn saved_views_list_who_to_get_back_to() {
    let (tmp, vault) = vault(&[
        ("coffeechat.yaml", "not_talked_to: 60d\n"),
        // Last touched 2026-09-01, 83 days before today: past 60 days.
        (
            "contacts/quiet.md",
            "---\nname: Quiet Quinn\nlog:\n  - {date: 2026-09-01, type: reply}\n---\n",
        ),
        // Touched 2026-11-01: recent.
        (
            "contacts/recent.md",
            "---\nname: Recent Rae\nlog:\n  - {date: 2026-11-01, type: reply}\n---\n",
        ),
        (
            "contacts/gone.md",
            "---\nname: Dormant Dee\nstatus: dormant\nlog:\n  - {date: 2026-01-01, type: reply}\n---\n",
        ),
        (
            "contacts/new.md",
            "---\nname: New Nell\nintroduced_by: Quiet Quinn\n---\n",
        ),
        (
            "contacts/reached.md",
            "---\nname: Reached Rob\nintroduced_by: Quiet Quinn\n\
             log:\n  - {date: 2026-11-20, type: outreach}\n---\n",
        ),
        (
            "interviews/2026-11-10-recent.md",
            "---\nwith: Recent Rae\ndate: 2026-11-10 10:00\nreferrals: [Suggested Sue]\n---\n",
        ),
        (
            "interviews/2026-11-12-quiet.md",
            "---\nwith: Reached Rob\ndate: 2026-11-12 10:00\nthank_you: 2026-11-12\n---\n",
        ),
        ("contacts/sue.md", "---\nname: Suggested Sue\n---\n"),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let dashboard = page(&out, "index.html");
    assert_contains(
        &dashboard,
        "<a href=\"not-talked-to.html\">Not talked to in 60 days</a>",
    );
    assert_contains(&dashboard, "<a href=\"no-thank-you.html\">");
    assert_contains(&dashboard, "<a href=\"not-contacted.html\">");

    let quiet = visible_text(&page(&out, "not-talked-to.html"));
    assert_contains(&quiet, "Not talked to in 60 days");
    assert_contains(&quiet, "Quiet Quinn");
    for absent in ["Recent Rae", "Dormant Dee", "New Nell"] {
        assert!(!quiet.contains(absent), "{absent} listed:\n{quiet}");
    }

    let thanks = visible_text(&page(&out, "no-thank-you.html"));
    assert_contains(&thanks, "Recent Rae · Send a thank-you");
    assert!(!thanks.contains("Reached Rob"), "{thanks}");

    let waiting = page(&out, "not-contacted.html");
    let text = visible_text(&waiting);
    assert_in_order(
        &text,
        &["New Nell", "Quiet Quinn", "Suggested Sue", "Recent Rae"],
    );
    assert!(!text.contains("Reached Rob"), "{text}");
}

#[test]
fn a_bad_not_talked_to_is_an_error_at_its_place() {
    let (tmp, vault) = vault(&[
        ("coffeechat.yaml", "not_talked_to: soon\n"),
        ("contacts/a.md", "---\nname: A\n---\n"),
    ]);
    let err = build_fails(&vault, &tmp.path().join("site"));
    assert_contains(&err, "coffeechat.yaml:1:16");
}
