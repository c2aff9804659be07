//! Tags, from front matter and from `#tags` in a note's text, as Obsidian counts them:
//! a page lists the notes of each tag, and an inline tag links to its place there.

mod common;

use common::*;

#[test]
fn tags_from_front_matter_and_text_are_listed_on_the_tag_page() {
    let (tmp, vault) = vault(&[
        (
            "notes/plan.md",
            "---\ntitle: Plan\ntags: [job-search]\n---\nFocus on #fintech and #Pricing/saas.\n\n\
             Not tags: C#, issue #123, `#code`, [a #link](https://example.com).\n\n\
             ```\n#fenced\n```\n",
        ),
        (
            "notes/idea.md",
            "---\ntitle: Idea\n---\nMore #FinTech here.\n",
        ),
        (
            "contacts/ann.md",
            "---\nname: Ann\ntags: \"mentor, fintech\"\n---\n",
        ),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let plan = page(&out, "notes/plan.html");
    assert_contains(
        &plan,
        "<a class=\"tag\" href=\"../tags.html#tag-fintech\">#fintech</a>",
    );
    assert_contains(
        &plan,
        "<a class=\"tag\" href=\"../tags.html#tag-pricing-saas\">#Pricing/saas</a>",
    );
    for not_tag in ["tag-123", "tag-code", "tag-link", "tag-fenced"] {
        assert_not_contains(&plan, not_tag);
    }
    let tags = page(&out, "tags.html");
    let fintech = section(&tags, "#fintech");
    assert_in_order(&fintech, &["Ann", "Idea", "Plan"]);
    assert_links_to(&tags, "tags.html", "Ann", "contacts/ann.html");
    assert_contains(&section(&tags, "#job-search"), "Plan");
    assert_contains(&section(&tags, "#mentor"), "Ann");
    let (_, problems) = broken_fragments(&out);
    assert!(problems.is_empty(), "{problems:#?}");
    let notes = page(&out, "notes.html");
    assert_links_to(&notes, "notes.html", "Notes by tag", "tags.html");
}
