//! Every relative link of the generated site leads to a file of the site, so it works
//! opened straight from disk.

mod common;

use std::fs;
use std::path::Path;

use common::*;

#[test]
fn every_relative_link_in_the_example_site_resolves() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let (checked, problems) = broken_links(&out);
    assert!(
        checked > 200,
        "only {checked} links checked; is the site empty?"
    );
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_heading_link_in_the_example_site_lands_on_an_anchor() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    // Priya's note links to [[Brightline Health#Culture]].
    let (checked, problems) = broken_fragments(&out);
    assert!(checked >= 1, "no link with a #fragment was checked");
    assert!(
        problems.is_empty(),
        "links to missing anchors:\n{}",
        problems.join("\n")
    );
}

#[test]
fn links_to_files_with_spaces_and_nested_notes_resolve() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\nnot really an image";
    let pdf: &[u8] = b"%PDF-1.4 fake";
    let (tmp, vault) = vault(&[
        (
            "contacts/ada-lovelace.md",
            "---\nname: Ada Lovelace\n---\n## Early life\nBorn in London.\n",
        ),
        (
            "research/deep/folder/plan.md",
            "---\ntitle: Deep plan\n---\n\
             ![a chart](<my chart.png>)\n\n\
             ![same chart](my%20chart.png)\n\n\
             [the report](files%20and%20more/report%20v2.pdf)\n\n\
             [Ada](../../../contacts/ada-lovelace.md) and [her youth](../../../contacts/ada-lovelace.md#early-life)\n\n\
             [[Ada Lovelace#Early life|early life]] and [[Deep plan]] and [web](https://example.com)\n",
        ),
        ("me.md", "---\nname: Me Myself\n---\nMy pitch.\n"),
    ]);
    write(&vault, "research/deep/folder/my chart.png", png);
    write(
        &vault,
        "research/deep/folder/files and more/report v2.pdf",
        pdf,
    );
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let (checked, problems) = broken_links(&out);
    assert!(checked > 20, "only {checked} links checked");
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
    let (_, fragment_problems) = broken_fragments(&out);
    assert!(
        fragment_problems.is_empty(),
        "links to missing anchors:\n{}",
        fragment_problems.join("\n")
    );

    // The attachments are copied byte for byte, wherever the site puts them.
    let (path, html) = navigate(&out, &["Notes", "Deep plan"]);
    let mut found = Vec::new();
    for url in urls(&html) {
        if is_external(&url) {
            continue;
        }
        let (target, _) = resolve(Path::new(&path), &url).unwrap();
        let name = target.to_string_lossy().into_owned();
        if name.ends_with("my chart.png") {
            assert_eq!(fs::read(out.join(&target)).unwrap(), png);
            found.push("png");
        }
        if name.ends_with("report v2.pdf") {
            assert_eq!(fs::read(out.join(&target)).unwrap(), pdf);
            found.push("pdf");
        }
    }
    assert!(
        found.contains(&"png") && found.contains(&"pdf"),
        "{found:?}"
    );
    assert_links_to(&html, &path, "her youth", "contacts/ada-lovelace.html");
    assert_links_to(&html, &path, "early life", "contacts/ada-lovelace.html");
}

/// `[[#Heading]]` and `[text](#heading)` link to a heading of the same note, as in
/// Obsidian; one to a heading that is not there is reported and shown as missing.
#[test]
fn links_to_a_heading_of_the_same_note_land_on_it() {
    let (tmp, vault) = vault(&[(
        "notes/plan.md",
        "---\ntitle: Plan\n---\nSee [[#Questions to ask]], [[#Open points money & time|the open points]], \
         [below](#Questions%20to%20ask) and [[#Nowhere]].\n\n\
         ## Questions to ask\n\nWhat changed?\n\n## Open points: money & time\n\nNone.\n",
    )]);
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    let html = page(&out, "notes/plan.html");
    assert_links_to(
        &html,
        "notes/plan.html",
        "Questions to ask",
        "notes/plan.html",
    );
    let (checked, problems) = broken_fragments(&out);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked >= 3, "only {checked} fragments checked");
    let hrefs: Vec<String> = anchors(&html).into_iter().map(|(h, _)| h).collect();
    assert_eq!(
        hrefs
            .iter()
            .filter(|h| h.as_str() == "#questions-to-ask")
            .count(),
        2,
        "{hrefs:?}"
    );
    assert!(
        hrefs.iter().any(|h| h == "#open-points-money-time"),
        "{hrefs:?}"
    );
    assert_contains(&html, "the open points</a>");
    assert_contains(&err, "this note has no heading or block `Nowhere`");
    assert_contains(&err, "notes/plan.md:4:");
    assert_contains(
        &html,
        "<span class=\"broken-link\" title=\"No heading “Nowhere” in this note\">",
    );
}

/// A body link whose name fits several notes goes to the nearest (same folder, then
/// shortest path) with a warning naming them all; a front-matter reference stays strict.
#[test]
fn a_body_link_that_fits_several_notes_goes_to_the_nearest_with_a_warning() {
    let (tmp, vault) = vault(&[
        (
            "contacts/ann-longname.md",
            "---\nname: Ann Long\naliases: [Mentor]\n---\n",
        ),
        ("companies/mc.md", "---\nname: MC\naliases: [Mentor]\n---\n"),
        ("contacts/bob.md", "---\nname: Bob\n---\nAsk [[Mentor]].\n"),
        ("notes/plan.md", "---\ntitle: Plan\n---\nAsk [[Mentor]].\n"),
    ]);
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    let bob = page(&out, "contacts/bob.html");
    assert_links_to(
        &bob,
        "contacts/bob.html",
        "Mentor",
        "contacts/ann-longname.html",
    );
    let plan = page(&out, "notes/plan.html");
    assert_links_to(&plan, "notes/plan.html", "Mentor", "companies/mc.html");
    assert_eq!(err.matches("warning[ambiguous-link]").count(), 2, "{err}");
    assert_contains(
        &err,
        "`Mentor` fits 2 notes (companies/mc.md, contacts/ann-longname.md); the link goes \
         to contacts/ann-longname.md, the nearest",
    );
    assert_contains(&err, "the link goes to companies/mc.md, the nearest");
    assert_contains(&err, "write its path to choose: [[companies/mc]]");
    // A chat with "Mentor", when two contacts are called so, is with nobody for sure.
    write(
        &vault,
        "contacts/cy.md",
        b"---\nname: Cy\naliases: [Mentor]\n---\n",
    );
    write(
        &vault,
        "interviews/2026-12-01-mentor.md",
        b"---\ndate: 2026-12-01\nwith: Mentor\n---\n",
    );
    let err = build_fails(&vault, &out);
    assert_contains(&err, "error[ambiguous-reference]");
}

/// Plain notes keep their folders in the site, so two notes of one name in two folders
/// are two pages, as Obsidian allows; every link from and to them still works.
#[test]
fn plain_notes_in_folders_keep_their_folders_and_links_work() {
    let (tmp, vault) = vault(&[
        (
            "Obsidian Sync/Security and privacy.md",
            "---\ntitle: Sync security\n---\nSee [[Overview]] and [[Security and privacy]].\n",
        ),
        (
            "Publish/Security and privacy.md",
            "---\ntitle: Publish security\n---\nBack to [[Overview]]; see ![[diagram.png]].\n",
        ),
        (
            "Publish/Overview.md",
            "---\ntitle: Overview\n---\nRead [[Security and privacy]] first.\n",
        ),
        (
            "notes/plan.md",
            "---\ntitle: Plan\n---\nStart at [[Publish/Overview]].\n",
        ),
    ]);
    write(&vault, "Publish/diagram.png", b"\x89PNG\r\n\x1a\n");
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    for page_path in [
        "notes/obsidian-sync/security-and-privacy.html",
        "notes/publish/security-and-privacy.html",
        "notes/publish/overview.html",
        "notes/plan.html",
    ] {
        assert!(out.join(page_path).is_file(), "{page_path} missing:\n{err}");
    }
    let (checked, problems) = broken_links(&out);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 20, "only {checked} links checked");
    let overview = page(&out, "notes/publish/overview.html");
    assert_links_to(
        &overview,
        "notes/publish/overview.html",
        "Security and privacy",
        "notes/publish/security-and-privacy.html",
    );
    let sync = page(&out, "notes/obsidian-sync/security-and-privacy.html");
    assert_links_to(
        &sync,
        "notes/obsidian-sync/security-and-privacy.html",
        "Security and privacy",
        "notes/obsidian-sync/security-and-privacy.html",
    );
    assert_contains(&err, "warning[ambiguous-link]");
    assert_not_contains(&err, "duplicate-slug");
}

/// `![[file]]` finds the file by name anywhere in the vault, as Obsidian does, takes
/// `|300` or `|300x200` as a size and leaves `#fragment` out of the lookup; images,
/// audio and video play in the page, a PDF is a link, and each is copied.
#[test]
fn embedded_files_are_found_by_name_anywhere_and_shown_by_kind() {
    let (tmp, vault) = vault(&[(
        "notes/plan.md",
        "---\ntitle: Plan\n---\n![[chart.png]] ![[chart.png|300]] ![[chart.png|300x200]] \
         ![[chart.png|Sales chart]] ![[icon.svg#icon]] ![[talk.mp3]] ![[clip.mp4]] \
         ![[paper.pdf]] ![[missing.png]]\n",
    )]);
    for file in [
        "Attachments/chart.png",
        "Attachments/deep/icon.svg",
        "Media/talk.mp3",
        "Media/clip.mp4",
        "Media/paper.pdf",
    ] {
        write(&vault, file, b"bytes");
    }
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    let html = page(&out, "notes/plan.html");
    for want in [
        "<img src=\"../files/Attachments/chart.png\" alt=\"chart.png\">",
        "<img src=\"../files/Attachments/chart.png\" alt=\"chart.png\" width=\"300\">",
        "<img src=\"../files/Attachments/chart.png\" alt=\"chart.png\" width=\"300\" height=\"200\">",
        "<img src=\"../files/Attachments/chart.png\" alt=\"Sales chart\">",
        "<img src=\"../files/Attachments/deep/icon.svg\" alt=\"icon.svg\">",
        "<audio controls src=\"../files/Media/talk.mp3\"></audio>",
        "<video controls src=\"../files/Media/clip.mp4\"></video>",
        "<a href=\"../files/Media/paper.pdf\">paper.pdf</a>",
    ] {
        assert_contains(&html, want);
    }
    let (checked, problems) = broken_links(&out);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked >= 8, "only {checked} links checked");
    assert_contains(
        &err,
        "the link `missing.png` leads nowhere: no such file in the vault",
    );
    assert_contains(&err, "notes/plan.md:4:");
}

/// Front matter as Obsidian writes it on a plain note: tags as one text, an alias as
/// one text, and Obsidian's and Publish's own properties, with no unknown-field noise.
#[test]
fn obsidian_properties_on_plain_notes_are_read_without_noise() {
    let (tmp, vault) = vault(&[
        (
            "Research/Pricing.md",
            "---\ntags: \"pricing, #research saas\"\naliases: Price study\n\
             cssclasses: [wide]\npublish: true\npermalink: pricing\ncreated: 2026-11-01\n---\nNotes.\n",
        ),
        (
            "notes/plan.md",
            "---\ntitle: Plan\n---\nRead [[Price study]].\n",
        ),
        (
            "contacts/ann.md",
            "---\nname: Ann\ntags: \"mentor pm\"\nnickname: A\n---\n",
        ),
    ]);
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    let pricing = visible_text(&page(&out, "notes/research/pricing.html"));
    assert_contains(&pricing, "pricing, research, saas");
    let plan = page(&out, "notes/plan.html");
    assert_links_to(
        &plan,
        "notes/plan.html",
        "Price study",
        "notes/research/pricing.html",
    );
    assert_not_contains(&err, "Research/Pricing.md");
    // Our own kinds still flag what they do not know.
    assert_contains(&err, "unknown field `nickname`");
    assert!(visible_text(&page(&out, "contacts/ann.html")).contains("mentor"));
}

/// `[[paper.pdf]]` links to a vault file found by its name anywhere, as Obsidian does.
#[test]
fn a_wikilink_to_a_file_finds_it_by_name() {
    let (tmp, vault) = vault(&[(
        "notes/plan.md",
        "---\ntitle: Plan\n---\nRead [[paper.pdf]].\n",
    )]);
    write(&vault, "Attachments/paper.pdf", b"%PDF-1.4");
    let out = tmp.path().join("site");
    let err = build_ok(&vault, &out);
    let html = page(&out, "notes/plan.html");
    assert_links_to(
        &html,
        "notes/plan.html",
        "paper.pdf",
        "files/Attachments/paper.pdf",
    );
    assert!(out.join("files/Attachments/paper.pdf").is_file());
    assert_not_contains(&err, "paper.pdf");
}
