//! References between notes: in front matter (name, slug, alias, quoted Obsidian link)
//! and in bodies (wikilinks with labels and headings, relative Markdown links), and what
//! happens when a reference is ambiguous or leads nowhere.

mod common;

use std::path::PathBuf;

use common::*;
use tempfile::TempDir;

const ADA: &str = "---\n\
name: Ada Lovelace\n\
aliases: [Countess of Lovelace]\n\
title: Analyst of Engines\n\
company: \"[[Analytical Engines]]\"\n\
---\n\
## Early life\n\
Born in London.\n";

const ENGINES: &str = "---\n\
name: Analytical Engines\n\
aliases: [AE]\n\
industry: Computing machinery\n\
---\n\
## History\n\
Founded to build the engine.\n";

const CHARLES: &str = "---\n\
name: Charles Babbage\n\
title: Inventor in Residence\n\
company: AE\n\
introduced_by: countess of lovelace\n\
---\n\
Worked with [Ada](../contacts/ada-lovelace.md) and [[Ada Lovelace|the Countess]].\n\n\
See [[Ada Lovelace#Early life|her early life]], [her youth](ada-lovelace.md#early-life)\n\
and [[Analytical Engines#History|company history]].\n";

const CHAT: &str = "---\n\
with: Countess of Lovelace\n\
date: 2026-12-01 10:00\n\
status: scheduled\n\
---\n";

fn engines_vault() -> (TempDir, PathBuf, PathBuf) {
    let (tmp, vault) = vault(&[
        ("contacts/ada-lovelace.md", ADA),
        ("contacts/charles-babbage.md", CHARLES),
        ("companies/analytical-engines.md", ENGINES),
        ("interviews/2026-12-01-ada.md", CHAT),
    ]);
    let out = tmp.path().join("site");
    (tmp, vault, out)
}

#[test]
fn front_matter_reference_by_quoted_obsidian_link() {
    let (_tmp, vault, out) = engines_vault();
    build_ok(&vault, &out);
    let (path, html) = navigate(&out, &["Contacts", "Ada Lovelace"]);
    let (_, company) = follow(&out, &path, "Analytical Engines");
    assert_contains(&visible_text(&company), "Computing machinery");
    assert_not_contains(&visible_text(&html), "[[");
}

#[test]
fn front_matter_reference_by_alias_case_insensitively() {
    let (_tmp, vault, out) = engines_vault();
    build_ok(&vault, &out);
    // `company: AE` and `introduced_by: countess of lovelace` are aliases.
    let (path, html) = navigate(&out, &["Contacts", "Charles Babbage"]);
    let text = visible_text(&html);
    assert_contains(&text, "Inventor in Residence");
    let (_, company) = follow(&out, &path, "Analytical Engines");
    assert_contains(&visible_text(&company), "Computing machinery");
    assert_links_to(&html, &path, "Ada Lovelace", "contacts/ada-lovelace.html");
    // The company page lists both people by their roles.
    let (_, company) = navigate(&out, &["Companies", "Analytical Engines"]);
    let company = visible_text(&company);
    assert_contains(&company, "Analyst of Engines");
    assert_contains(&company, "Inventor in Residence");
}

#[test]
fn interview_with_an_alias_is_named_after_the_contact() {
    let (_tmp, vault, out) = engines_vault();
    build_ok(&vault, &out);
    let (path, html) = navigate(&out, &["Chats", "Chat with Ada Lovelace, 2026-12-01"]);
    assert_links_to(&html, &path, "Ada Lovelace", "contacts/ada-lovelace.html");
    assert_contains(&visible_text(&html), "Analyst of Engines");
}

#[test]
fn example_vault_alias_marc_resolves_to_marcus_chen() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    // interviews/2026-11-10-marcus-chen.md says `with: Marc`.
    let (path, html) = navigate(&out, &["Chats", "Chat with Marcus Chen, 2026-11-10"]);
    assert_links_to(&html, &path, "Marcus Chen", "contacts/marcus-chen.html");
    assert_contains(&visible_text(&html), "Product Analytics Lead");
    // contacts/priya-raman.md says `introduced_by: Marc` and
    // `company: "[[Brightline Health]]"`.
    let (path, html) = navigate(&out, &["Contacts", "Priya Raman"]);
    assert_links_to(&html, &path, "Marcus Chen", "contacts/marcus-chen.html");
    assert_links_to(
        &html,
        &path,
        "Brightline Health",
        "companies/brightline-health.html",
    );
}

#[test]
fn body_links_by_relative_path_label_and_heading() {
    let (_tmp, vault, out) = engines_vault();
    build_ok(&vault, &out);
    let (path, html) = navigate(&out, &["Contacts", "Charles Babbage"]);
    // A relative Markdown link to another note, and a wikilink with a label.
    assert_links_to(&html, &path, "Ada", "contacts/ada-lovelace.html");
    assert_links_to(&html, &path, "the Countess", "contacts/ada-lovelace.html");
    assert_not_contains(&visible_text(&html), "Ada Lovelace|the Countess");
    // Links to headings land on an element with that id in the target page.
    let mut checked = 0;
    for (href, text) in anchors(&html) {
        if !["her early life", "her youth", "company history"].contains(&text.as_str()) {
            continue;
        }
        let (target, fragment) = resolve(std::path::Path::new(&path), &href).unwrap();
        let fragment = fragment.unwrap_or_else(|| panic!("`{text}` has no #heading: {href}"));
        let target_html = page(&out, &target.to_string_lossy());
        assert!(
            target_html.contains(&format!("id=\"{fragment}\"")),
            "`{text}` -> {href}: no id `{fragment}` in {}",
            target.display()
        );
        let heading = if text == "company history" {
            "History"
        } else {
            "Early life"
        };
        assert_contains(&visible_text(&target_html), heading);
        checked += 1;
    }
    assert_eq!(checked, 3, "links found: {:#?}", anchors(&html));
}

#[test]
fn backlinks_show_where_a_note_is_mentioned() {
    let (_tmp, vault, out) = engines_vault();
    build_ok(&vault, &out);
    let (path, html) = navigate(&out, &["Contacts", "Ada Lovelace"]);
    let mentioned = section_html(&html, "Mentioned in");
    assert_links_to(
        mentioned,
        &path,
        "Charles Babbage",
        "contacts/charles-babbage.html",
    );
    let (path, html) = navigate(&out, &["Companies", "Analytical Engines"]);
    let mentioned = section_html(&html, "Mentioned in");
    assert_links_to(
        mentioned,
        &path,
        "Charles Babbage",
        "contacts/charles-babbage.html",
    );
}

#[test]
fn ambiguous_front_matter_reference_names_every_candidate_and_the_place() {
    let (tmp, vault) = vault(&[
        ("contacts/ada-lovelace.md", "---\nname: Ada Lovelace\n---\n"),
        ("contacts/ada-king.md", "---\nname: Ada Lovelace\n---\n"),
        (
            "interviews/2026-12-01-ada.md",
            "---\ndate: 2026-12-01\nwith: Ada Lovelace\n---\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let err = build_fails(&vault, &out);
    assert_contains(&err, "contacts/ada-lovelace.md");
    assert_contains(&err, "contacts/ada-king.md");
    // `with:` is on line 3; the name starts in column 7.
    assert_contains(&err, "interviews/2026-12-01-ada.md:3:7");
    assert!(!out.join("index.html").exists(), "a site was written");
}

#[test]
fn missing_front_matter_reference_fails_with_did_you_mean() {
    let (tmp, vault) = vault(&[
        ("contacts/ada-lovelace.md", "---\nname: Ada Lovelace\n---\n"),
        (
            "interviews/2026-12-01-ada.md",
            "---\nwith: Ada Lovelce\ndate: 2026-12-01\n---\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let err = build_fails(&vault, &out);
    assert_contains(&err, "interviews/2026-12-01-ada.md:2:7");
    assert_contains(&err, "Ada Lovelce");
    assert_contains(&err.to_lowercase(), "did you mean");
    assert_contains(&err, "Ada Lovelace");
    assert!(!out.join("index.html").exists(), "a site was written");
}

#[test]
fn missing_front_matter_reference_far_from_any_name_has_no_suggestion() {
    let (tmp, vault) = vault(&[
        ("contacts/ada-lovelace.md", "---\nname: Ada Lovelace\n---\n"),
        (
            "contacts/bob.md",
            "---\nname: Bob Byron\nintroduced_by: Zebulon Quux\n---\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let err = build_fails(&vault, &out);
    assert_contains(&err, "contacts/bob.md:3:16");
    assert_contains(&err, "Zebulon Quux");
    assert_not_contains(&err.to_lowercase(), "did you mean");
}

#[test]
fn unresolved_body_links_warn_and_show_as_missing() {
    let (tmp, vault) = vault(&[(
        "contacts/ada-lovelace.md",
        "---\nname: Ada Lovelace\n---\nShe met [[Nobody Yet]] once.\n\nAlso [a friend](../contacts/not-written.md).\n",
    )]);
    let out = tmp.path().join("site");
    let o = build(&vault, &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_contains(&err.to_lowercase(), "warning");
    // The wikilink starts on line 4, column 9; the Markdown link on line 6, column 6.
    assert_contains(&err, "contacts/ada-lovelace.md:4:9");
    assert_contains(&err, "Nobody Yet");
    assert_contains(&err, "contacts/ada-lovelace.md:6:6");
    let (_, html) = navigate(&out, &["Contacts", "Ada Lovelace"]);
    for label in ["Nobody Yet", "a friend"] {
        // Shown, visibly marked as missing, and not a link.
        let marked = html
            .split("class=\"broken-link\"")
            .skip(1)
            .any(|rest| visible_text(&format!("<x {rest}")).starts_with(label));
        assert!(
            marked,
            "`{label}` is not marked as a broken link in:\n{html}"
        );
        assert!(
            !anchors(&html).iter().any(|(_, t)| t == label),
            "`{label}` is still a clickable link"
        );
    }
}

#[test]
fn positions_count_lines_in_files_with_bom_and_crlf() {
    let (tmp, vault) = vault(&[
        (
            "contacts/ada-lovelace.md",
            "\u{feff}---\r\nname: Ada Lovelace\r\n---\r\nSee [[Nobody Yet]].\r\n",
        ),
        (
            "interviews/2026-12-01-ada.md",
            "\u{feff}---\r\ndate: 2026-12-01\r\nwith: Ada Lovelac\r\n---\r\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let err = build_fails(&vault, &out);
    assert_contains(&err, "interviews/2026-12-01-ada.md:3:7");
    assert_contains(&err, "contacts/ada-lovelace.md:4:5");
    // Fixed, the same CRLF notes build.
    write(
        &vault,
        "interviews/2026-12-01-ada.md",
        b"\xef\xbb\xbf---\r\ndate: 2026-12-01\r\nwith: Ada Lovelace\r\n---\r\n",
    );
    build_ok(&vault, &out);
    let (path, html) = navigate(&out, &["Chats", "Chat with Ada Lovelace, 2026-12-01"]);
    assert_links_to(&html, &path, "Ada Lovelace", "contacts/ada-lovelace.html");
}

/// As Obsidian shows them: what was written, but the note's name where a slug or a
/// path was written; an alias stays the alias.
#[test]
fn wikilinks_without_a_label_show_what_was_written_or_the_name_for_a_slug() {
    let (tmp, vault) = vault(&[
        ("contacts/ada-lovelace.md", ADA),
        ("companies/analytical-engines.md", ENGINES),
        (
            "notes/plan.md",
            "---\ntitle: Plan\n---\nAsk [[ada-lovelace]] about [[AE#History]]; thank \
             [[Countess of Lovelace|her]], [[Countess of Lovelace]] and \
             [[companies/analytical-engines]].\n",
        ),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let html = page(&out, "notes/plan.html");
    for (text, target) in [
        ("Ada Lovelace", "contacts/ada-lovelace.html"),
        ("AE › History", "companies/analytical-engines.html"),
        ("her", "contacts/ada-lovelace.html"),
        ("Countess of Lovelace", "contacts/ada-lovelace.html"),
        ("Analytical Engines", "companies/analytical-engines.html"),
    ] {
        assert_links_to(&html, "notes/plan.html", text, target);
    }
    assert_not_contains(&visible_text(&html), "ada-lovelace");
    assert_not_contains(&visible_text(&html), "companies/");
}
