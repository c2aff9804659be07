//! Obsidian's own Markdown, as its help describes it, read the way Obsidian shows it:
//! block ids, callouts, comments and highlights. The vault is tests/fixtures/obsidian.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use tempfile::TempDir;

/// A copy of tests/fixtures/obsidian, built; returns the folder and the site.
fn built() -> (TempDir, PathBuf, String) {
    let tmp = TempDir::new().unwrap();
    let vault = tmp.path().join("vault");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/obsidian"),
        &vault,
    );
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    (tmp, out, err)
}

/// The note's body as the page shows it.
fn body(out: &Path, rel: &str) -> String {
    html_between(&page(out, rel), "</h1>", "</article>").to_string()
}

#[test]
fn block_ids_become_anchors_and_are_not_shown() {
    let (_tmp, out, _) = built();
    let html = body(&out, "notes/block-ids.html");
    assert_contains(
        &html,
        "<p id=\"block-first-para\">The first paragraph has an id at its end.</p>",
    );
    assert_contains(
        &html,
        "<p id=\"block-second-para\">A paragraph whose id sits on a line of its own</p>",
    );
    assert_contains(
        &html,
        "<li id=\"block-item-one\">a list item with an id</li>",
    );
    // An id on a line of its own after a table names the table.
    assert_contains(&html, "<div id=\"block-tool-table\">\n<table>");
    let text = visible_text(&html);
    for id in [
        "first-para",
        "second-para",
        "item-one",
        "tool-table",
        "tip-box",
    ] {
        assert_not_contains(&text, &format!("^{id}"));
    }
    // On a callout's title line, it names the callout.
    assert_contains(
        &html,
        "<div id=\"block-tip-box\" class=\"callout callout-tip\">\n\
         <p class=\"callout-title\">A callout named by its title line</p>",
    );
    // A caret inside a word, or in code, is not an id.
    assert_contains(&text, "a caret^in-the-middle is left alone");
    assert_contains(&html, "<code>code ^kept</code>");
    // On a contact's page too.
    let contact = page(&out, "contacts/mira-okafor.html");
    assert_contains(&contact, "<p id=\"block-retries-talk\">");
    assert_contains(
        &contact,
        "<li id=\"block-prefers-email\">Prefers email to calls</li>",
    );
    // The briefing's snapshot of a paragraph with an id shows it; the id stays on the
    // company's page, where links to it lead.
    let briefing = page(&out, "interviews/2026-12-02-mira-okafor.html");
    assert_contains(
        &visible_text(&briefing),
        "About forty people, half of them remote. Objectives",
    );
    assert_not_contains(&briefing, "block-harbor-intro");
    assert_contains(
        &page(&out, "companies/harbor-labs.html"),
        "<p id=\"block-harbor-intro\">",
    );
}

#[test]
fn every_callout_type_and_alias_is_a_titled_box() {
    let (_tmp, out, _) = built();
    let html = body(&out, "notes/callouts.html");
    let types = [
        ("note", "note", "Note"),
        ("abstract", "abstract", "In short"),
        ("summary", "abstract", "Summary"),
        ("tldr", "abstract", "Tldr"),
        ("info", "info", "Worth knowing"),
        ("todo", "todo", "Todo"),
        ("hint", "tip", "Hint"),
        ("important", "tip", "Important"),
        ("success", "success", "Success"),
        ("check", "success", "Check"),
        ("done", "success", "Done"),
        ("question", "question", "Ask this?"),
        ("help", "question", "Help"),
        ("faq", "question", "Faq"),
        ("warning", "warning", "Warning"),
        ("caution", "warning", "Caution"),
        ("attention", "warning", "Attention"),
        ("failure", "failure", "Failure"),
        ("fail", "failure", "Fail"),
        ("missing", "failure", "Missing"),
        ("danger", "danger", "Danger"),
        ("error", "danger", "Error"),
        ("bug", "bug", "Bug"),
        ("example", "example", "Example"),
        ("quote", "quote", "Quote"),
        ("cite", "quote", "Cite"),
        ("mystery-type", "note", "Unknown types"),
    ];
    for (written, style, title) in types {
        let callout = format!(
            "<div class=\"callout callout-{style}\">\n<p class=\"callout-title\">{title}</p>"
        );
        assert!(
            html.contains(&callout),
            "`[!{written}]`: no `{callout}` in:\n{html}"
        );
    }
    assert_contains(
        &html,
        "<p class=\"callout-title\">A custom title with <strong>bold</strong> words</p>\n\
         <div class=\"callout-body\">\n<p>A tip.</p>\n</div>\n</div>",
    );
    // A plain quote stays one; no callout shows its marker.
    assert_contains(&html, "<blockquote>\n<p>A plain quote stays a quote.</p>");
    assert_not_contains(&visible_text(&html), "[!");
}

#[test]
fn foldable_callouts_are_details_open_or_closed() {
    let (_tmp, out, _) = built();
    let html = body(&out, "notes/callouts.html");
    assert_contains(
        &html,
        "<details open class=\"callout callout-tip\">\n\
         <summary class=\"callout-title\">Open but foldable</summary>\n\
         <div class=\"callout-body\">\n<p>Shown until folded.</p>\n</div>\n</details>",
    );
    assert_contains(
        &html,
        "<details class=\"callout callout-question\">\n\
         <summary class=\"callout-title\">Folded until opened</summary>",
    );
    // Printed, a folded callout is open.
    let css = page(&out, "static/style.css");
    let print = &css[css.find("@media print").unwrap()..];
    assert_contains(
        print,
        "details.callout::details-content { display: block; content-visibility: visible; }",
    );
}

#[test]
fn callouts_nest_and_github_alerts_are_callouts() {
    let (_tmp, out, _) = built();
    let html = body(&out, "notes/callouts.html");
    assert_in_order(
        &html,
        &[
            "<div class=\"callout callout-question\">\n<p class=\"callout-title\">Outer</p>",
            "<p>Outer text.</p>",
            "<div class=\"callout callout-warning\">\n<p class=\"callout-title\">Inner</p>",
            "<p>Inner text.</p>\n</div>\n</div>\n</div>\n</div>",
        ],
    );
    assert_contains(
        &html,
        "<div class=\"callout callout-note\">\n<p class=\"callout-title\">Note</p>\n\
         <div class=\"callout-body\">\n<p>A GitHub alert.</p>",
    );
}

#[test]
fn comments_reach_no_file_of_the_site() {
    let (_tmp, out, _) = built();
    let files = snapshot(&out, &[]);
    assert!(files.contains_key(Path::new("calendar.ics")));
    for (rel, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("PRIVATE"),
            "{} shows a comment",
            rel.display()
        );
    }
    // What is around a comment is shown: on the briefing's snapshots of the contact and
    // the company, and in the printed pitch.
    let briefing = page(&out, "interviews/2026-12-02-mira-okafor.html");
    let text = visible_text(&briefing);
    assert_contains(
        &text,
        "writes their release notes . We met at a meetup in Utrecht.",
    );
    assert_contains(&text, "testing webhooks. About forty people");
    assert_contains(
        &text,
        "troubleshooting guides. I want to spend my days teaching",
    );
    // In code, `%%` is text.
    assert_contains(&briefing, "<code>echo %%done%%</code>");
    assert_contains(&briefing, "printf '%%s\\n' ready");
}

#[test]
fn an_unclosed_comment_hides_the_rest_of_the_note_and_is_reported() {
    let (_tmp, out, err) = built();
    assert_contains(
        &err,
        "warning[unclosed-comment]: this `%%` opens a comment that is never closed",
    );
    assert_contains(&err, "notes/unclosed.md:6:1");
    let text = visible_text(&body(&out, "notes/unclosed.html"));
    assert_contains(&text, "Shown before the comment.");
    assert_not_contains(&text, "Everything after it");
}

#[test]
fn problems_after_a_comment_point_at_their_place_in_the_file() {
    let (tmp, vault) = vault(&[(
        "notes/n.md",
        "---\ntitle: N\n---\n%%one\ntwo%% and é %%x%% [[Nobody Here]]\n",
    )]);
    let err = build_ok(&vault, &tmp.path().join("site"));
    assert_contains(&err, "no note is called `Nobody Here`");
    // Line 5, after `two%% and é %%x%% ` (18 characters).
    assert_contains(&err, "notes/n.md:5:19");
}

#[test]
fn highlights_are_marked_except_in_code() {
    let (_tmp, out, _) = built();
    let html = body(&out, "notes/highlights.html");
    assert_contains(
        &html,
        "Ask about <mark>onboarding for new advocates</mark> first.",
    );
    assert_contains(
        &html,
        "A <mark>highlight with <strong>bold</strong> inside</mark>",
    );
    assert_contains(&html, "<li><mark>listed</mark></li>");
    assert_contains(&html, "<code>==not marked==</code>");
    assert_contains(&html, "Comparisons like a == b == c stay too.");
}

#[test]
fn obsidian_syntax_survives_the_html_cleaner() {
    // A body with raw HTML goes through the cleaner; what these features write stays.
    let (_tmp, out, _) = built();
    let html = body(&out, "notes/clipped.html");
    assert_contains(&html, "<b>raw HTML</b>");
    assert_contains(
        &html,
        "<details class=\"callout callout-tip\">\n\
         <summary class=\"callout-title\">Folded in a page with HTML</summary>\n\
         <div class=\"callout-body\">\n\
         <p id=\"block-clipped-para\">Still <mark>marked</mark> here.</p>",
    );
    assert_contains(
        &html,
        "<details open=\"\" class=\"callout callout-info\">\n\
         <summary class=\"callout-title\">Open in a page with HTML</summary>",
    );
}

#[test]
fn a_block_id_given_twice_belongs_to_the_first_block() {
    let (tmp, vault) = vault(&[
        (
            "notes/twice.md",
            "# Twice\n\nThe first one. ^same\n\nBetween. ^same-too\n\n- an item ^same\n\n\
             The third. ^same\n\nAnother. ^other\n",
        ),
        (
            "notes/linker.md",
            "See [[Twice#^same]].\n\n![[Twice#^same]]\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    // Each repeat is named where it is written, line and column.
    assert_contains(&err, "warning[duplicate-block-id]");
    assert_contains(&err, "notes/twice.md:7:");
    assert_contains(&err, "notes/twice.md:9:");
    assert_eq!(
        err.matches("warning[duplicate-block-id]").count(),
        2,
        "{err}"
    );
    let html = body(&out, "notes/twice.html");
    assert_eq!(html.matches("id=\"block-same\"").count(), 1, "{html}");
    assert_contains(&html, "<p id=\"block-same\">The first one.</p>");
    assert_contains(&html, "<li>an item</li>");
    assert_contains(&html, "<p>The third.</p>");
    assert_contains(&html, "<p id=\"block-other\">Another.</p>");
    assert_contains(&html, "<p id=\"block-same-too\">Between.</p>");
    assert_not_contains(&visible_text(&html), "^same");
    // The link and the embed find the first block.
    let linker = body(&out, "notes/linker.html");
    assert_contains(&linker, "twice.html#block-same");
    assert_contains(&visible_text(&linker), "The first one.");
    assert_not_contains(&visible_text(&linker), "The third.");
}
