//! `coffeechat import linkedin`, through the binary, on a realistic export
//! (tests/fixtures/linkedin/Connections.csv: a BOM, CRLF line ends, LinkedIn's `Notes:`
//! preamble, quoted commas and quotes, empty emails, a row without a name, a date that
//! is not one, a duplicate row) into a vault that already knows some of the people.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/linkedin/Connections.csv")
}

fn import(csv: &Path, vault: &Path) -> Output {
    coffeechat()
        .args(["import", "linkedin"])
        .arg(csv)
        .arg(vault)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap()
}

/// Imports and insists on success; returns stdout.
fn import_ok(csv: &Path, vault: &Path) -> String {
    let o = import(csv, vault);
    assert_eq!(o.status.code(), Some(0), "import failed:\n{}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn read(vault: &Path, rel: &str) -> String {
    fs::read_to_string(vault.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The front matter's top-level `key: value` lines, as written.
fn field(text: &str, key: &str) -> Option<String> {
    text.lines()
        .skip(1)
        .take_while(|l| *l != "---")
        .find_map(|l| l.strip_prefix(&format!("{key}: ")).map(str::to_string))
}

/// A vault that already has some of the connections.
fn existing_vault() -> (tempfile::TempDir, PathBuf) {
    vault(&[
        (
            "companies/northwind-analytics.md",
            "---\nname: Northwind Analytics\n---\n",
        ),
        (
            "companies/brightline-health.md",
            "---\nname: Brightline Health\n---\n",
        ),
        // Known by LinkedIn URL (written differently from the export's).
        (
            "contacts/priya-raman.md",
            "---\nname: Priya Raman\ncompany: Brightline Health\n\
             linkedin: https://www.linkedin.com/in/priya-raman-product\n---\n",
        ),
        // Known by name and company.
        (
            "contacts/sam-oduya.md",
            "---\nname: Sam Oduya\ncompany: \"[[Northwind Analytics]]\"\n---\n",
        ),
        // A namesake at another company: not to be made ambiguous.
        (
            "contacts/jordan-lee.md",
            "---\nname: Jordan Lee\ncompany: Northwind Analytics\n---\nMet at a meetup.\n",
        ),
        (
            "interviews/2026-12-01-jordan.md",
            "---\nwith: Jordan Lee\ndate: 2026-12-01\nobjectives: [Learn]\n---\n",
        ),
    ])
}

#[test]
fn imports_a_realistic_export_once_and_reruns_change_nothing() {
    let (tmp, vault) = existing_vault();
    let out = import_ok(&fixture(), &vault);
    assert_contains(
        &out,
        "8 contacts and 4 companies created, 3 already in the vault",
    );
    // Problems name the line of the file (1-based, counting LinkedIn's preamble).
    let csv = fixture().display().to_string();
    assert_contains(&out, "3 problems:");
    assert_contains(&out, &format!("{csv}:11: no first or last name; skipped"));
    assert_contains(
        &out,
        &format!("{csv}:12: `sometime in 2020` is not a date like 12 Mar 2024"),
    );
    assert_contains(
        &out,
        &format!("{csv}:15: not imported: the vault already has a contact called `Jordan Lee`"),
    );

    let mut contacts: Vec<String> = fs::read_dir(vault.join("contacts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    contacts.sort();
    assert_eq!(
        contacts,
        [
            "ada-lovelace.md",
            "charles-babbage.md",
            "jordan-lee.md",
            "jose-diaz.md",
            "lena-novak.md",
            "maya-patel.md",
            "priya-raman.md",
            "sam-oduya.md",
            "siobhan-o-brien.md",
            "tom-becker.md",
            "wei-chen-phd.md",
        ]
    );
    let mut companies: Vec<String> = fs::read_dir(vault.join("companies"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    companies.sort();
    assert_eq!(
        companies,
        [
            "acme-inc.md",
            "analytical-engines.md",
            "brightline-health.md",
            "kettle-co.md",
            "northwind-analytics.md",
            "yes.md",
        ]
    );

    // What a row becomes.
    let jose = read(&vault, "contacts/jose-diaz.md");
    assert_eq!(field(&jose, "name").unwrap(), "\"José Díaz\"");
    assert_eq!(
        field(&jose, "title").unwrap(),
        "\"Senior Product Manager, Payments\""
    );
    assert_eq!(field(&jose, "company").unwrap(), "\"[[Acme, Inc.]]\"");
    assert_eq!(field(&jose, "source").unwrap(), "linkedin");
    assert_eq!(field(&jose, "email"), None, "the export had no email");
    // No `status`: the stage follows the outreach and chats logged later.
    assert_eq!(field(&jose, "status"), None);
    assert_contains(
        &jose,
        "{date: 2025-02-28, type: note, note: \"Connected on LinkedIn\"}",
    );
    let charles = read(&vault, "contacts/charles-babbage.md");
    assert_eq!(
        field(&charles, "email").unwrap(),
        "\"charles@analytical.example\""
    );
    assert_eq!(
        field(&read(&vault, "contacts/maya-patel.md"), "company"),
        None
    );
    // A company the vault has, written in another case, is referred to, not duplicated.
    assert_eq!(
        field(&read(&vault, "contacts/lena-novak.md"), "company").unwrap(),
        "\"[[Northwind Analytics]]\""
    );
    // A row without a readable date is imported without a log entry.
    assert!(!read(&vault, "contacts/tom-becker.md").contains("log:"));
    // The namesake is untouched.
    assert_eq!(
        read(&vault, "contacts/jordan-lee.md"),
        "---\nname: Jordan Lee\ncompany: Northwind Analytics\n---\nMet at a meetup.\n"
    );

    // Everything written is a valid note, and the site shows it.
    let check = coffeechat()
        .arg("check")
        .arg(&vault)
        .arg("--deny-warnings")
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let site = tmp.path().join("site");
    build_ok(&vault, &site);
    let siobhan = page(&site, "contacts/siobhan-o-brien.html");
    let text = visible_text(&siobhan);
    assert_contains(&text, "Siobhán O'Brien");
    assert_contains(&text, "Design Lead: \"Mobile\" apps");
    assert_contains(&text, "Connected on LinkedIn");
    assert_shows_date(&text, 2024, 11, 7);
    assert_links_to(
        &siobhan,
        "contacts/siobhan-o-brien.html",
        "Kettle & Co.",
        "companies/kettle-co.html",
    );
    let wei = visible_text(&page(&site, "contacts/wei-chen-phd.html"));
    assert_contains(&wei, "Wei Chen, PhD");
    // Two people at one company: one company page listing both.
    let acme = visible_text(&page(&site, "companies/acme-inc.html"));
    assert_contains(&acme, "Acme, Inc.");
    assert_contains(&acme, "José Díaz");
    assert_contains(&acme, "Wei Chen, PhD");
    // `Yes` stays a name, not a boolean.
    let tom = page(&site, "contacts/tom-becker.html");
    assert_links_to(
        &tom,
        "contacts/tom-becker.html",
        "Yes",
        "companies/yes.html",
    );

    // Again: nothing created, nothing changed, the same rows still reported.
    let before = snapshot(&vault, &[]);
    let out = import_ok(&fixture(), &vault);
    assert_contains(
        &out,
        "0 contacts and 0 companies created, 11 already in the vault",
    );
    assert_contains(&out, "2 problems:");
    assert_contains(&out, &format!("{csv}:11: no first or last name"));
    assert_contains(&out, &format!("{csv}:15: not imported"));
    assert_eq!(
        snapshot(&vault, &[]),
        before,
        "a second import changed the vault"
    );
}

#[test]
fn a_contact_the_user_edited_is_never_overwritten() {
    let (_tmp, vault) = existing_vault();
    import_ok(&fixture(), &vault);
    // The user rewrites Ada's note and even drops her LinkedIn URL; another note loses
    // its company note. Name and company (or the URL) still recognise them.
    let edited = "---\nname: Ada Lovelace\ntitle: Countess\ncompany: Analytical Engines\n\
                  status: met\n---\nMy notes on Ada.\n";
    fs::write(vault.join("contacts/ada-lovelace.md"), edited).unwrap();
    fs::remove_file(vault.join("companies/kettle-co.md")).unwrap();
    let before = snapshot(&vault, &[]);
    let out = import_ok(&fixture(), &vault);
    assert_contains(&out, "0 contacts and 0 companies created");
    assert_eq!(snapshot(&vault, &[]), before);
    assert_eq!(read(&vault, "contacts/ada-lovelace.md"), edited);
}

#[test]
fn an_init_vault_takes_an_import_and_builds() {
    let tmp = tempfile::TempDir::new().unwrap();
    let vault = tmp.path().join("v");
    let o = coffeechat().arg("init").arg(&vault).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = import_ok(&fixture(), &vault);
    assert_contains(
        &out,
        "11 contacts and 6 companies created, 1 already in the vault",
    );
    let check = coffeechat()
        .arg("check")
        .arg(&vault)
        .arg("--deny-warnings")
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    build_ok(&vault, &tmp.path().join("site"));
}

#[test]
fn a_file_that_is_not_a_linkedin_export_is_refused() {
    let (tmp, vault) = existing_vault();
    let before = snapshot(&vault, &[]);
    let other = tmp.path().join("people.csv");
    fs::write(&other, "Name,Email\nAda,ada@example.com\n").unwrap();
    let o = import(&other, &vault);
    assert_eq!(o.status.code(), Some(1));
    assert_contains(&stderr(&o), "does not look like LinkedIn's Connections.csv");
    let o = import(&tmp.path().join("missing.csv"), &vault);
    assert_eq!(o.status.code(), Some(1));
    assert_contains(&stderr(&o), "cannot read");
    assert_eq!(snapshot(&vault, &[]), before);
}

#[test]
fn the_fixture_has_the_quirks_of_a_real_export() {
    // So that the tests above keep testing what they say they test.
    let bytes = fs::read(fixture()).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBFNotes:\r\n\""),
        "BOM and preamble"
    );
    assert!(
        !bytes.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'),
        "CRLF only"
    );
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.contains(
            "\r\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        )
    );
    assert!(
        text.contains(",,\"Acme, Inc.\","),
        "quoted comma, empty email"
    );
}
