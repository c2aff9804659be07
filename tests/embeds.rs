//! Embeds of notes, as Obsidian shows them: `![[Note]]`, `![[Note#Heading]]` and
//! `![[Note#^block]]` show that text in place, in a box that links to its note.

mod common;

use common::*;

const PLAN: &str = "---\ntitle: Plan\n---\nBefore.\n\n![[Research]]\n\n\
    ![[Research#Open questions]]\n\n![[Research#^pricing]]\n\n\
    In a line ![[Research#Open questions]] stays a link.\n\n![[Research#Nowhere]]\n";

const RESEARCH: &str = "---\ntitle: Research\n---\n## Findings\n\nTeams price per seat. \
    ^pricing\n\nSee [[#Open questions]] and [[Contacts list]].\n\n\
    ## Open questions\n\nWho decides the budget?\n\n## Later\n\nNot yet.\n";

#[test]
fn an_embedded_note_or_its_part_shows_in_a_box_linking_to_it() {
    let (tmp, vault) = vault(&[
        ("notes/plan.md", PLAN),
        ("notes/research.md", RESEARCH),
        (
            "notes/contacts-list.md",
            "---\ntitle: Contacts list\n---\nNobody yet.\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    let html = page(&out, "notes/plan.html");
    let boxes: Vec<&str> = html.split("<div class=\"embed\">").skip(1).collect();
    assert_eq!(boxes.len(), 3, "{html}");
    // The whole note, its links made for this page, its headings without ids.
    let whole = visible_text(boxes[0]);
    assert_in_order(
        &whole,
        &[
            "Research",
            "Teams price per seat.",
            "Who decides",
            "Not yet.",
        ],
    );
    assert_links_to(
        boxes[0],
        "notes/plan.html",
        "Contacts list",
        "notes/contacts-list.html",
    );
    assert_contains(boxes[0], "href=\"../notes/research.html#open-questions\"");
    assert_not_contains(boxes[0], "<h2 id=");
    // A heading's section: up to the next heading of its level.
    let section = visible_text(boxes[1]);
    assert_contains(&section, "Who decides the budget?");
    assert_not_contains(&section, "Not yet.");
    assert_not_contains(&section, "Teams price");
    // A block: that paragraph alone.
    let block = visible_text(boxes[2]);
    assert_contains(&block, "Teams price per seat.");
    assert_not_contains(&block, "Who decides");
    assert_contains(boxes[2], "<p>Teams price per seat.</p>");
    for b in &boxes {
        assert_links_to(b, "notes/plan.html", "Research", "notes/research.html");
    }
    // Inside a line of text, a box cannot sit: a link.
    assert_contains(&html, "In a line <a class=\"embed-link\"");
    // A part the note does not have is reported and shown as missing.
    assert_contains(&err, "`Research` has no heading or block `Nowhere`");
    assert_contains(&err, "notes/plan.md:14:1");
    let (_, problems) = broken_links(&out);
    assert!(problems.is_empty(), "{problems:#?}");
    let (_, problems) = broken_fragments(&out);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn notes_that_embed_each_other_are_warned_and_shown_once() {
    let (tmp, vault) = vault(&[
        ("notes/a.md", "---\ntitle: A\n---\nA's text.\n\n![[B]]\n"),
        ("notes/b.md", "---\ntitle: B\n---\nB's text.\n\n![[A]]\n"),
        ("notes/self.md", "---\ntitle: Self\n---\nMe.\n\n![[Self]]\n"),
    ]);
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    let a = page(&out, "notes/a.html");
    assert_eq!(a.matches("<div class=\"embed\">").count(), 1, "{a}");
    assert_eq!(visible_text(&a).matches("B's text.").count(), 1);
    assert_links_to(&a, "notes/a.html", "A", "notes/a.html");
    assert_eq!(err.matches("warning[embed-loop]").count(), 3, "{err}");
    assert_contains(&err, "notes/a.md:6:1");
    assert_contains(&err, "notes/b.md:6:1");
    assert_contains(&err, "notes/self.md:6:1");
}

#[test]
fn embeds_nest_to_a_fixed_depth() {
    let chain: Vec<(String, String)> = (0..8)
        .map(|n| {
            let next = n + 1;
            (
                format!("notes/n{n}.md"),
                format!("---\ntitle: N{n}\n---\nText {n}.\n\n![[N{next}]]\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = chain
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let (tmp, vault) = vault(&files);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let text = visible_text(&page(&out, "notes/n0.html"));
    assert_in_order(&text, &["Text 0.", "Text 1.", "Text 2.", "Text 3."]);
    assert_not_contains(&text, "Text 4.");
}
