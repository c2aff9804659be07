//! Drafts through the binary: a thank-you for a done chat without one and an outreach
//! request for a prospect, filled from the vault, on the chat and contact pages with a
//! filled `mailto:` link and a copy button; the vault's own templates replace them.

mod common;

use std::path::Path;

use common::*;

const ME: &str = "---\nname: Nadia Castellanos\nheadline: Data analyst moving into product\n---\nI'm Nadia, a data analyst in Chicago. I build dashboards.\n";
const MARCUS: &str =
    "---\nname: Marcus Chen\nemail: marcus@ledgerly.example\ncompany: Ledgerly\n---\n";
const LEDGERLY: &str = "---\nname: Ledgerly\n---\n";
const PRIYA: &str = "---\nname: Priya Raman\nstatus: prospect\ncompany: Ledgerly\n---\n";
/// A done chat with takeaways and a referral, and no thank-you yet.
const CHAT: &str = "---\nwith: Marcus Chen\ndate: 2026-11-20\nreferrals: [Priya Raman]\n---\n## Notes\n- Long talk.\n\n## Takeaways\n1. Tell the quote-form work as a *product* story.\n2. Read Inspired.\n";

fn draft_vault() -> (tempfile::TempDir, std::path::PathBuf) {
    vault(&[
        ("me.md", ME),
        ("contacts/marcus-chen.md", MARCUS),
        ("contacts/priya-raman.md", PRIYA),
        ("companies/ledgerly.md", LEDGERLY),
        ("interviews/2026-11-20-marcus-chen.md", CHAT),
    ])
}

/// The draft of `kind` on a page: its subject, its text and its mailto link.
fn draft(out: &Path, rel: &str, kind: &str) -> (String, String, String) {
    let html = page(out, rel);
    let start = html
        .find(&format!("<div class=\"draft {kind}\">"))
        .unwrap_or_else(|| panic!("no {kind} draft on {rel}"));
    let div = &html[start..start + html[start..].find("</div>").unwrap()];
    let subject = text_between(div, "Subject: <strong>", "</strong>");
    let body = decode_entities(&text_between_raw(div, "readonly", "</textarea>"));
    let href = &div[div.find("href=\"mailto:").unwrap() + 6..];
    let mailto = decode_entities(&href[..href.find('"').unwrap()]);
    (subject, body, mailto)
}

fn text_between_raw(html: &str, start: &str, end: &str) -> String {
    let at = html.find(start).unwrap() + start.len();
    let rest = &html[at..];
    let rest = rest.strip_prefix(|c| c != '>').map_or(rest, |r| r);
    let rest = &rest[rest.find('>').map_or(0, |i| i + 1)..];
    rest[..rest.find(end).unwrap()].to_string()
}

#[test]
fn a_done_chat_without_a_thank_you_has_a_draft_on_its_page_and_the_contacts() {
    let (tmp, vault) = draft_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let (subject, body, mailto) =
        draft(&out, "interviews/2026-11-20-marcus-chen.html", "thank-you");
    assert_eq!(subject, "Thank you, Marcus");
    assert!(body.starts_with("Hi Marcus,"), "{body}");
    assert_contains(&body, "on Fri 20 Nov 2026");
    // The first takeaway, as plain text.
    assert_contains(
        &body,
        "What stayed with me: Tell the quote-form work as a product story.",
    );
    assert!(body.ends_with("Nadia Castellanos"), "{body}");
    // The link opens a message to Marcus with the subject and body filled, every
    // character that is not plain percent-encoded and line ends as CRLF.
    let expected_body = percent(&body.replace('\n', "\r\n"));
    assert_eq!(
        mailto,
        format!(
            "mailto:marcus@ledgerly.example?subject=Thank%20you%2C%20Marcus&body={expected_body}"
        )
    );
    assert_eq!(
        percent_decode(&mailto[mailto.find("&body=").unwrap() + 6..]),
        body.replace('\n', "\r\n")
    );
    // The same draft on Marcus's page, with a copy button for its text.
    let (_, on_contact, _) = draft(&out, "contacts/marcus-chen.html", "thank-you");
    assert_eq!(on_contact, body);
    let contact = page(&out, "contacts/marcus-chen.html");
    assert_contains(
        &contact,
        "data-copy=\"draft-thank-you-2026-11-20-marcus-chen\"",
    );
    assert_contains(&contact, "document.execCommand(\"copy\")");

    // Sent: the draft goes.
    let sent = CHAT.replace("referrals:", "thank_you: 2026-11-20\nreferrals:");
    write(
        &vault,
        "interviews/2026-11-20-marcus-chen.md",
        sent.as_bytes(),
    );
    build_ok(&vault, &out);
    assert_not_contains(
        &page(&out, "interviews/2026-11-20-marcus-chen.html"),
        "class=\"draft",
    );
}

#[test]
fn a_prospect_has_an_outreach_draft_that_names_who_referred_them() {
    let (tmp, vault) = draft_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let (subject, body, mailto) = draft(&out, "contacts/priya-raman.html", "outreach");
    assert_eq!(subject, "Marcus Chen suggested I get in touch");
    assert_contains(&body, "Hi Priya,");
    assert_contains(
        &body,
        "Marcus Chen suggested I reach out to you. I'm Nadia, a data analyst in Chicago.",
    );
    assert_contains(&body, "your role at Ledgerly");
    assert!(body.split_whitespace().count() < 100);
    // No address is known: the link fills the rest.
    assert!(
        mailto.starts_with("mailto:?subject=Marcus%20Chen%20suggested"),
        "{mailto}"
    );
    // Marcus has met you: no outreach draft for him.
    assert_not_contains(
        &page(&out, "contacts/marcus-chen.html"),
        "class=\"draft outreach\"",
    );
}

#[test]
fn the_vaults_own_draft_templates_replace_the_built_in_ones() {
    let (tmp, vault) = draft_vault();
    write(
        &vault,
        "templates/drafts/outreach.md",
        b"Subject: Hello {{ first_name }}\n\nDear {{ name }} of {{ company }}, from {{ me.name }} ({{ me.headline }}).\n",
    );
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let (subject, body, _) = draft(&out, "contacts/priya-raman.html", "outreach");
    assert_eq!(subject, "Hello Priya");
    assert_eq!(
        body,
        "Dear Priya Raman of Ledgerly, from Nadia Castellanos (Data analyst moving into product)."
    );
    // The thank-you keeps the built-in template.
    let (subject, ..) = draft(&out, "interviews/2026-11-20-marcus-chen.html", "thank-you");
    assert_eq!(subject, "Thank you, Marcus");
    // A template that does not compile is an error in its file.
    write(
        &vault,
        "templates/drafts/outreach.md",
        b"Subject: {{ name\n",
    );
    let err = build_fails(&vault, &out);
    assert_contains(&err, "templates/drafts/outreach.md");
}

#[test]
fn your_own_message_in_the_note_is_the_draft() {
    let (tmp, vault) = draft_vault();
    let own = format!(
        "{CHAT}\n## Thank-you note\nMarcus, your “tell it as a product story” stuck with me.\n"
    );
    write(
        &vault,
        "interviews/2026-11-20-marcus-chen.md",
        own.as_bytes(),
    );
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let (subject, body, _) = draft(&out, "interviews/2026-11-20-marcus-chen.html", "thank-you");
    assert_eq!(subject, "Thank you, Marcus");
    assert_eq!(
        body,
        "Marcus, your “tell it as a product story” stuck with me."
    );
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
