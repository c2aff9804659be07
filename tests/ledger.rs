//! The introduction ledger through the binary: a name given in a chat, or by
//! `introduced_by`, goes given → contacted → met → reported back as the vault records
//! what happened, and what it leaves owed shows on the dashboard, the follow-up log,
//! both people's pages, the referrer's briefing, `check` and calendar.ics.

mod common;

use std::path::Path;

use common::*;

const ME: &str = "---\nname: Nadia Castellanos\n---\nMy pitch.\n";
const MARCUS: &str = "---\nname: Marcus Chen\n---\nResearch.\n";
const PRIYA: &str = "---\nname: Priya Raman\n---\nResearch.\n";
/// A chat with Marcus on 10 Nov in which he gave two names: Priya, a contact, and Wei
/// Zhang, who is not one.
const CHAT: &str = "---\nwith: Marcus Chen\ndate: 2026-11-10\nstatus: done\nthank_you: \
                    2026-11-10\nreferrals:\n  - \"[[Priya Raman]]\"\n  - Wei Zhang\n---\nNotes.\n";
/// A chat to come with Marcus, whose briefing lists what you owe him.
const NEXT_CHAT: &str =
    "---\nwith: Marcus Chen\ndate: 2026-12-01 09:00\nobjectives: [Catch up]\n---\n";

fn ledger_vault() -> (tempfile::TempDir, std::path::PathBuf) {
    vault(&[
        ("me.md", ME),
        ("contacts/marcus-chen.md", MARCUS),
        ("contacts/priya-raman.md", PRIYA),
        ("interviews/2026-11-10-marcus-chen.md", CHAT),
        ("interviews/2026-12-01-marcus-chen.md", NEXT_CHAT),
    ])
}

/// What `check --format json` warns of with this rule, as (file:line, message).
fn warnings(vault: &Path, rule: &str) -> Vec<(String, String)> {
    let json = json_of("check", vault);
    let all = json["diagnostics"].as_array().unwrap();
    all.iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| {
            let at = format!("{}:{}", d["file"].as_str().unwrap(), d["line"]);
            (at, d["message"].as_str().unwrap().to_string())
        })
        .collect()
}

/// The visible text of a contact's Introductions section.
fn intros(out: &Path, slug: &str) -> String {
    section(
        &page(out, &format!("contacts/{slug}.html")),
        "Introductions",
    )
}

fn rebuild(vault: &Path, out: &Path) {
    build_ok(vault, out);
}

#[test]
fn a_referral_goes_from_given_to_reported_back_as_the_vault_records_it() {
    let (tmp, vault) = ledger_vault();
    let out = tmp.path().join("site");
    rebuild(&vault, &out);

    // Given on 10 Nov, not reached: due three days later, overdue on 23 Nov.
    let reach = "Reach out to Priya Raman (from Marcus Chen)";
    // A row that names the person says the rest of the action after their name.
    let reach_row = "Priya Raman · Reach out (from Marcus Chen)";
    assert_contains(&intros(&out, "priya-raman"), "Priya Raman from Marcus Chen");
    assert_contains(&intros(&out, "priya-raman"), "given");
    assert_contains(&intros(&out, "marcus-chen"), "Priya Raman from Marcus Chen");
    let dashboard = visible_text(&page(&out, "index.html"));
    assert_contains(&dashboard, reach_row);
    assert_shows_date(&section(&page(&out, "index.html"), "Overdue"), 2026, 11, 13);
    assert_contains(&section(&page(&out, "index.html"), "Overdue"), reach_row);
    assert_contains(
        &section(&page(&out, "followups.html"), "Overdue"),
        reach_row,
    );
    assert_contains(
        &section(&page(&out, "contacts/priya-raman.html"), "What"),
        reach_row,
    );
    let found = warnings(&vault, "introduction-overdue");
    let at_referral = "interviews/2026-11-10-marcus-chen.md:7".to_string();
    assert!(
        found
            .iter()
            .any(|(at, m)| *at == at_referral && m.contains(reach)),
        "{found:?}"
    );
    let ics = page(&out, "calendar.ics");
    assert_contains(&ics, "UID:reach-out-2026-11-10-marcus-chen-1@coffeechat");
    assert_contains(&ics, "SUMMARY:Reach out to Priya Raman (from Marcus Chen)");

    // Contacted: an outreach logged with Priya on 12 Nov closes the reach-out.
    let contacted = "---\nname: Priya Raman\nlog:\n  - date: 2026-11-12\n    type: outreach\n---\n";
    write(&vault, "contacts/priya-raman.md", contacted.as_bytes());
    rebuild(&vault, &out);
    assert_contains(&intros(&out, "priya-raman"), "contacted on Thu 12 Nov 2026");
    assert_contains(&section(&page(&out, "followups.html"), "Done"), reach_row);
    assert_not_contains(&section(&page(&out, "index.html"), "Overdue"), reach_row);
    assert!(
        warnings(&vault, "introduction-overdue")
            .iter()
            .all(|(_, m)| !m.contains("Priya"))
    );

    // Met: a done chat with Priya on 18 Nov; telling Marcus is due two days later.
    let met_chat = "---\nwith: Priya Raman\ndate: 2026-11-18\nthank_you: 2026-11-18\n---\n";
    write(
        &vault,
        "interviews/2026-11-18-priya-raman.md",
        met_chat.as_bytes(),
    );
    rebuild(&vault, &out);
    let tell = "Tell Marcus Chen how it went with Priya Raman";
    assert_contains(&intros(&out, "marcus-chen"), "met on Wed 18 Nov 2026");
    assert_contains(&section(&page(&out, "index.html"), "Overdue"), tell);
    assert_contains(
        &section(&page(&out, "contacts/marcus-chen.html"), "What"),
        tell,
    );
    let briefing = visible_text(&page(&out, "interviews/2026-12-01-marcus-chen.html"));
    assert_contains(&briefing, "You met Priya on Wed 18 Nov 2026 — tell Marcus");
    let found = warnings(&vault, "introduction-overdue");
    assert!(found.iter().any(|(_, m)| m.contains(tell)), "{found:?}");
    assert_contains(
        &page(&out, "calendar.ics"),
        "UID:report-back-2026-11-10-marcus-chen-1@coffeechat",
    );

    // Reported back: an update logged with Marcus after the chat.
    let told = "---\nname: Marcus Chen\nlog:\n  - date: 2026-11-21\n    type: update\n    note: Told him about Priya\n---\n";
    write(&vault, "contacts/marcus-chen.md", told.as_bytes());
    rebuild(&vault, &out);
    assert_contains(
        &intros(&out, "marcus-chen"),
        "reported back on Sat 21 Nov 2026",
    );
    assert_contains(&section(&page(&out, "followups.html"), "Done"), tell);
    let briefing = visible_text(&page(&out, "interviews/2026-12-01-marcus-chen.html"));
    assert_not_contains(&briefing, "You met Priya");
    assert!(
        warnings(&vault, "introduction-overdue")
            .iter()
            .all(|(_, m)| !m.contains("Priya"))
    );
}

#[test]
fn a_name_that_is_not_a_contact_yet_is_listed_with_the_command_that_makes_it_one() {
    let (tmp, vault) = ledger_vault();
    let out = tmp.path().join("site");
    rebuild(&vault, &out);
    let listed = intros(&out, "marcus-chen");
    let command =
        "coffeechat new contact \"Wei Zhang\" --source referral --introduced-by \"Marcus Chen\"";
    assert_contains(&listed, "Wei Zhang from Marcus Chen");
    assert_contains(&listed, &format!("Not a contact yet: {command}"));
    assert_contains(
        &section(&page(&out, "index.html"), "Overdue"),
        "Marcus Chen · Reach out to Wei Zhang (from Marcus Chen)",
    );
    let found = warnings(&vault, "introduction-overdue");
    assert!(
        found
            .iter()
            .any(|(at, m)| at.ends_with(":8") && m.contains("Wei Zhang")),
        "{found:?}"
    );

    // The command, run as printed, makes the contact the ledger then links to.
    coffeechat()
        .args(["new", "contact", "Wei Zhang", "--source", "referral"])
        .args(["--introduced-by", "Marcus Chen", "--vault"])
        .arg(&vault)
        .assert()
        .success();
    rebuild(&vault, &out);
    let marcus = page(&out, "contacts/marcus-chen.html");
    assert_links_to(
        &marcus,
        "contacts/marcus-chen.html",
        "Wei Zhang",
        "contacts/wei-zhang.html",
    );
    assert_not_contains(&section(&marcus, "Introductions"), "Not a contact yet");
    // Listed once, from the chat, though `introduced_by` names Marcus too.
    assert_eq!(
        intros(&out, "wei-zhang").matches("Wei Zhang from").count(),
        1
    );
}

#[test]
fn an_introduced_by_is_given_on_the_day_of_its_referral_log_entry() {
    let lena = "---\nname: Lena Novak\nintroduced_by: Marcus Chen\nlog:\n  - date: 2026-11-02\n    type: referral\n    note: Marcus emailed us both\n---\n";
    let (tmp, vault) = vault(&[
        ("contacts/marcus-chen.md", MARCUS),
        ("contacts/lena-novak.md", lena),
    ]);
    let out = tmp.path().join("site");
    rebuild(&vault, &out);
    let listed = intros(&out, "lena-novak");
    assert_contains(&listed, "Lena Novak from Marcus Chen");
    assert_contains(&listed, "Mon 2 Nov 2026: given");
    let overdue = section(&page(&out, "index.html"), "Overdue");
    assert_contains(&overdue, "Lena Novak · Reach out (from Marcus Chen)");
    assert_shows_date(&overdue, 2026, 11, 5);
    let found = warnings(&vault, "introduction-overdue");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "contacts/lena-novak.md:3");
    // `referral_reach_out` moves it.
    write(&vault, "coffeechat.yaml", b"referral_reach_out: 30\n");
    assert!(warnings(&vault, "introduction-overdue").is_empty());
}

#[test]
fn a_referral_close_to_a_contacts_name_is_an_error_that_offers_both_fixes() {
    let chat = CHAT.replace("\"[[Priya Raman]]\"", "Priya Ramen");
    let (tmp, vault) = vault(&[
        ("contacts/marcus-chen.md", MARCUS),
        ("contacts/priya-raman.md", PRIYA),
        ("interviews/2026-11-10-marcus-chen.md", &chat),
    ]);
    let err = build_fails(&vault, &tmp.path().join("site"));
    assert_contains(&err, "no contact is called `Priya Ramen`");
    assert_contains(
        &err,
        "did you mean `Priya Raman`? If `Priya Ramen` is someone else, create them: coffeechat new contact \"Priya Ramen\" --source referral",
    );
}
