//! The introduction graph (network.html), the chain of introductions on a contact's
//! page, and who you know at a company (issue #24, items 2 and 3), through the binary.

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// The graph's SVG on the Network page.
fn graph_svg(out: &Path) -> String {
    let html = page(out, "network.html");
    let start = html.find("<svg xmlns").expect("the page has the graph");
    let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
    html[start..end].to_string()
}

/// The value of attribute `name` in the tag that starts `tag`.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let tag = &tag[..tag.find('>')?];
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[at..at + tag[at..].find('"')?])
}

/// Each label of the graph: its box (left, top, right, bottom) and its text. Its width
/// is bounded as the widest common sans-serif fonts draw it: 1 em for m, w, M, W and
/// every letter outside ASCII, 0.8 em for other capitals, 0.65 em for other letters
/// and digits, 0.4 em for spaces and narrow punctuation; bold is a tenth wider. Its
/// height is 1.6 em around the baseline, taller than chromium's box of a line.
fn labels(svg: &str) -> Vec<((f32, f32, f32, f32), String)> {
    let mut out = Vec::new();
    for piece in svg.split("<text").skip(1) {
        let num = |n: &str| attr(piece, n).unwrap().parse::<f32>().unwrap();
        let (x, y) = (num("x"), num("y"));
        let class = attr(piece, "class").unwrap_or("");
        let size = if class == "you" { 14.0 } else { 12.0 };
        let bold = if class == "you" || class == "title" {
            1.1
        } else {
            1.0
        };
        let text =
            decode_entities(&piece[piece.find('>').unwrap() + 1..piece.find("</text>").unwrap()]);
        let em: f32 = text
            .chars()
            .map(|c| match c {
                'm' | 'w' | 'M' | 'W' | '@' | '%' => 1.0,
                'A'..='Z' => 0.8,
                ' ' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | '-' | '(' | ')' => 0.4,
                c if c.is_ascii() => 0.65,
                _ => 1.0,
            })
            .sum();
        let width = em * size * bold;
        let left = match attr(piece, "text-anchor") {
            Some("middle") => x - width / 2.0,
            _ => x,
        };
        out.push(((left, y - 0.9 * size, left + width, y + 0.7 * size), text));
    }
    out
}

#[test]
fn the_network_page_draws_everyone_as_a_link_around_you() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    assert_links_to(
        &page(&out, "index.html"),
        "index.html",
        "Network",
        "network.html",
    );
    let svg = graph_svg(&out);
    let hrefs: Vec<&str> = svg
        .split("<a href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    for entry in fs::read_dir(vault.join("contacts")).unwrap() {
        let stem = entry
            .unwrap()
            .path()
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        assert!(
            hrefs.contains(&format!("contacts/{stem}.html").as_str()),
            "{stem} is not a link in the graph"
        );
    }
    for company in [
        "ledgerly",
        "parcelwise",
        "brightline-health",
        "tallgrass-analytics",
    ] {
        assert!(
            hrefs.contains(&format!("companies/{company}.html").as_str()),
            "{company}"
        );
    }
    assert!(
        hrefs.contains(&"profile/me.html") || hrefs.iter().any(|h| h.starts_with("profile/")),
        "you: {hrefs:?}"
    );
    // Elena introduced Marcus, Marcus Priya, Jonah Lena, Sam Tomás, Ruth Sam; Marcus
    // suggested Grace in a chat (his suggestion of Priya is the introduction already
    // drawn).
    assert_eq!(svg.matches("class=\"intro\"").count(), 5, "{svg}");
    assert_eq!(svg.matches("class=\"referral\"").count(), 1);
    let text = visible_text(&page(&out, "network.html"));
    assert_contains(
        &text,
        "11 people at 4 companies: 5 introduced to you by someone you know",
    );
    assert_loads_only_the_search_script(&page(&out, "network.html"));
}

#[test]
fn a_contact_page_shows_the_chain_from_you_and_whom_they_introduced() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let priya = page(&out, "contacts/priya-raman.html");
    assert_contains(
        &visible_text(&priya),
        "You → Elena Park (former-coworker) → Marcus Chen (friend) → Priya Raman",
    );
    assert_links_to(
        &priya,
        "contacts/priya-raman.html",
        "Elena Park",
        "contacts/elena-park.html",
    );
    let elena = page(&out, "contacts/elena-park.html");
    assert_contains(&visible_text(&elena), "You → Elena Park");
    let introduced = section(&elena, "People they pointed you to");
    assert_contains(&introduced, "Marcus Chen");
}

#[test]
fn a_chain_that_loops_stops_where_it_closes() {
    let (tmp, vault) = vault(&[
        ("me.md", "---\nname: Me\n---\n"),
        ("contacts/a.md", "---\nname: Ann\nintroduced_by: Bob\n---\n"),
        ("contacts/b.md", "---\nname: Bob\nintroduced_by: Ann\n---\n"),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    assert_contains(
        &visible_text(&page(&out, "contacts/a.html")),
        "You → Bob → Ann",
    );
}

const CONNECTIONS: &str = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n\
    Noor,Haddad,https://www.linkedin.com/in/noor-haddad,,Ledgerly,Staff Product Designer,12 Mar 2024\r\n";

#[test]
fn a_company_page_lists_who_you_know_and_linkedin_connections_to_reach() {
    let (tmp, vault) = example_vault();
    let csv = tmp.path().join("Connections.csv");
    fs::write(&csv, CONNECTIONS).unwrap();
    let o = coffeechat()
        .args(["import", "linkedin"])
        .arg(&csv)
        .arg(&vault)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let ledgerly = page(&out, "companies/ledgerly.html");
    let known = section(&ledgerly, "Who you know here");
    assert_in_order(&known, &["Dana Whitfield", "Grace Liu", "Marcus Chen"]);
    assert_contains(&known, "Elena Park");
    assert_not_contains(&known, "Noor Haddad");
    let marcus_row = text_between(&ledgerly, "Marcus Chen", "</tr>");
    assert_contains(&marcus_row, "Elena Park");
    assert_shows_date(&marcus_row, 2026, 11, 10);
    let reach = section(&ledgerly, "LinkedIn connections to reach");
    assert_contains(&reach, "Noor Haddad , Staff Product Designer");
    assert_contains(&reach, "not contacted yet");
    assert_links_to(
        &ledgerly,
        "companies/ledgerly.html",
        "Noor Haddad",
        "contacts/noor-haddad.html",
    );
    // Tomás came from LinkedIn too, but Sam introduced him and a chat is planned.
    let parcelwise = page(&out, "companies/parcelwise.html");
    assert_contains(&section(&parcelwise, "Who you know here"), "Tomás Alvarez");
    assert_not_contains(&parcelwise, "LinkedIn connections to reach");
    let index = visible_text(&page(&out, "companies.html"));
    assert_contains(&index, "Ledgerly");
    let ledgerly_row = text_between(&page(&out, "companies.html"), "Ledgerly</a>", "</tr>");
    assert_contains(&visible_text(&ledgerly_row), "1 met / 1 to reach");
}

#[test]
fn no_two_labels_of_a_thousand_contacts_overlap_and_two_builds_draw_the_same() {
    let tmp = tempfile::TempDir::new().unwrap();
    let vault = tmp.path().join("vault");
    network_vault(&vault, 1000);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let svg = graph_svg(&out);
    let labels = labels(&svg);
    assert!(labels.len() > 1000, "{} labels", labels.len());
    assert!(
        labels.iter().any(|(_, t)| t.ends_with('…')),
        "long names are cut"
    );
    let mut sorted = labels.clone();
    sorted.sort_by(|a, b| a.0.0.total_cmp(&b.0.0));
    for (i, (a, ta)) in sorted.iter().enumerate() {
        for (b, tb) in sorted[i + 1..].iter().take_while(|(b, _)| b.0 < a.2) {
            let apart = a.3 <= b.1 || b.3 <= a.1;
            assert!(apart, "`{ta}` {a:?} overlaps `{tb}` {b:?}");
        }
    }
    let again = tmp.path().join("again");
    build_ok(&vault, &again);
    assert_eq!(
        graph_svg(&again),
        svg,
        "a second build draws the same graph"
    );
}

#[test]
fn a_note_outside_the_graph_leaves_it_where_it_was() {
    let tmp = tempfile::TempDir::new().unwrap();
    let vault = tmp.path().join("vault");
    network_vault(&vault, 200);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let before = graph_svg(&out);
    let person = vault.join("contacts/person-7.md");
    let text = fs::read_to_string(&person).unwrap();
    fs::write(&person, text + "\nA longer body, with [[Company 3]].\n").unwrap();
    write(&vault, "notes/plan.md", b"---\ntitle: Plan\n---\nMore.\n");
    build_ok(&vault, &out);
    assert_eq!(
        graph_svg(&out),
        before,
        "a body edit and a plain note move nothing"
    );
}

#[test]
fn a_save_draws_the_graph_again_only_when_what_it_shows_moved() {
    use coffeechat::session::{Options, Session};
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    let options = Options {
        vault: vault.clone(),
        output: Some(out.clone()),
        today: Some(TODAY.parse().unwrap()),
        ..Default::default()
    };
    let mut session = Session::new(options).rebuilding();
    assert!(session.build().written());
    let rel = Path::new("contacts/ruth-adebayo.md");
    let text = fs::read_to_string(vault.join(rel)).unwrap();
    fs::write(vault.join(rel), format!("{text}\nOne more line.\n")).unwrap();
    let outcome = session.update(&[rel.to_path_buf()], false);
    assert_eq!(
        outcome.rendered, 2,
        "only her page and her search shard show her body"
    );
    let intro = text.replacen(
        "\nsource: professor\n",
        "\nsource: professor\nintroduced_by: Grace Liu\n",
        1,
    );
    assert_ne!(intro, text);
    fs::write(vault.join(rel), intro).unwrap();
    assert!(session.update(&[rel.to_path_buf()], false).written());
    assert_eq!(
        graph_svg(&out).matches("class=\"intro\"").count(),
        6,
        "Grace introduced Ruth"
    );
    let ruth = visible_text(&page(&out, "contacts/ruth-adebayo.html"));
    assert_contains(&ruth, "You → Grace Liu (recruiter) → Ruth Adebayo");
}
