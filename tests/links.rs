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
