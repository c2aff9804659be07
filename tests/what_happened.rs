//! Statuses that follow what happened, and reminders of unanswered outreach: a chat's
//! status from its date, a contact's stage from their chats and log, and what to do
//! when no one answers. Today is 2026-11-23, a Monday.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;
use tempfile::TempDir;

/// `check --format json` on `vault`: its exit code and diagnostics.
fn check(vault: &Path) -> (Option<i32>, Vec<Value>) {
    let o = coffeechat()
        .arg("check")
        .arg(vault)
        .args(["--today", TODAY, "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stderr(&o)));
    (
        o.status.code(),
        report["diagnostics"].as_array().unwrap().clone(),
    )
}

/// The diagnostics of `rule`, each as `file:line:column message`.
fn found(diags: &[Value], rule: &str) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap()
            )
        })
        .collect()
}

/// A vault of `files`, built into `site/` beside it.
fn site(files: &[(&str, &str)]) -> (TempDir, PathBuf, PathBuf) {
    let (tmp, vault) = vault(files);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    (tmp, vault, out)
}

/// The names listed under each stage of the dashboard's pipeline.
fn pipeline(out: &Path) -> Vec<(String, Vec<String>)> {
    let html = page(out, "index.html");
    let pipeline = section_html(&html, "Pipeline");
    pipeline
        .split("<h3>")
        .skip(1)
        .map(|stage| {
            let status = visible_text(&stage[..stage.find("<span").unwrap()]);
            let names = anchors(stage).into_iter().map(|(_, t)| t).collect();
            (status, names)
        })
        .collect()
}

fn stage_of(out: &Path, name: &str) -> String {
    let stages = pipeline(out);
    let mut found = stages
        .iter()
        .filter(|(_, names)| names.iter().any(|n| n == name));
    let (status, _) = found
        .next()
        .unwrap_or_else(|| panic!("{name} is in no stage: {stages:?}"));
    assert!(
        found.next().is_none(),
        "{name} is in two stages: {stages:?}"
    );
    status.clone()
}

const ADA: &str = "---\nname: Ada Lovelace\n---\n";
const BOB: &str = "---\nname: Bob Byte\n---\n";

#[test]
fn a_chat_without_status_is_done_once_its_day_has_passed() {
    let (_tmp, vault, out) = site(&[
        ("contacts/ada-lovelace.md", ADA),
        ("contacts/bob-byte.md", BOB),
        (
            "interviews/2026-11-18-ada.md",
            "---\nwith: Ada Lovelace\ndate: 2026-11-18 14:00\nobjectives: [Learn]\n---\n",
        ),
        // Today's chat is still to come: a build knows the day, not the hour.
        (
            "interviews/2026-11-23-bob.md",
            "---\nwith: Bob Byte\ndate: 2026-11-23 16:00\nobjectives: [Learn]\n---\n",
        ),
        (
            "interviews/2026-11-30-bob.md",
            "---\nwith: Bob Byte\ndate: 2026-11-30 10:00\nobjectives: [Learn]\n---\n",
        ),
    ]);
    let html = page(&out, "index.html");
    let recent = section(&html, "Recent chats");
    assert_contains(&recent, "Chat with Ada Lovelace, 2026-11-18");
    assert_contains(&recent, "done");
    let upcoming = section(&html, "Upcoming chats");
    assert_in_order(
        &upcoming,
        &[
            "Chat with Bob Byte, 2026-11-23",
            "Chat with Bob Byte, 2026-11-30",
        ],
    );
    assert_not_contains(&upcoming, "Ada Lovelace");
    assert_not_contains(&html, "Needs an update");
    // Done on 2026-11-18 at 14:00: a thank-you was due a day later.
    let overdue = section(&html, "Overdue");
    // The row names Ada once, then what to do.
    assert_contains(&overdue, "Ada Lovelace · Send a thank-you");
    assert_shows_date(&overdue, 2026, 11, 19);
    let briefing = visible_text(&page(&out, "interviews/2026-11-18-ada.html"));
    assert_contains(&briefing, "done");
    let (code, diags) = check(&vault);
    assert_eq!(code, Some(0));
    assert_eq!(
        found(&diags, "thank-you-overdue"),
        [
            "interviews/2026-11-18-ada.md:3:1 thank-you overdue since 2026-11-19 (4 days ago): \
          Send a thank-you to Ada Lovelace"
        ]
    );
    assert!(found(&diags, "chat-status-stale").is_empty(), "{diags:?}");
}

#[test]
fn a_past_chat_still_marked_to_come_is_flagged_and_needs_an_update() {
    let (_tmp, vault, out) = site(&[
        ("contacts/ada-lovelace.md", ADA),
        ("contacts/bob-byte.md", BOB),
        (
            "interviews/2026-11-18-ada.md",
            "---\nwith: Ada Lovelace\ndate: 2026-11-18 14:00\nstatus: scheduled\nobjectives: [Learn]\n---\n",
        ),
        (
            "interviews/2026-11-20-bob.md",
            "---\nwith: Bob Byte\ndate: 2026-11-20\nstatus: requested\n---\n",
        ),
        (
            "interviews/2026-11-30-bob.md",
            "---\nwith: Bob Byte\ndate: 2026-11-30\nstatus: scheduled\nobjectives: [Learn]\n---\n",
        ),
    ]);
    let (code, diags) = check(&vault);
    assert_eq!(code, Some(0));
    assert_eq!(
        found(&diags, "chat-status-stale"),
        [
            "interviews/2026-11-18-ada.md:4:1 this chat was on 2026-11-18 but its status is still `scheduled`",
            "interviews/2026-11-20-bob.md:4:1 this chat was on 2026-11-20 but its status is still `requested`",
        ]
    );
    let stale = diags
        .iter()
        .find(|d| d["rule"] == "chat-status-stale")
        .unwrap();
    assert_eq!(
        stale["hint"],
        "did it happen? set `status: done`, `cancelled` or `no-show`"
    );
    // Nothing is owed for a chat that may not have happened, and a chat that is past
    // is not warned of as one to prepare for.
    assert!(found(&diags, "thank-you-overdue").is_empty(), "{diags:?}");
    assert!(found(&diags, "no-objectives").is_empty(), "{diags:?}");

    let html = page(&out, "index.html");
    let needs = section(&html, "Needs an update");
    assert_in_order(
        &needs,
        &[
            "Chat with Ada Lovelace, 2026-11-18",
            "Chat with Bob Byte, 2026-11-20",
        ],
    );
    assert_contains(&needs, "status: done");
    let upcoming = section(&html, "Upcoming chats");
    assert_contains(&upcoming, "Chat with Bob Byte, 2026-11-30");
    assert_not_contains(&upcoming, "2026-11-18");
    assert_not_contains(&upcoming, "2026-11-20");
    assert_not_contains(&section(&html, "Overdue"), "thank-you");
}

#[test]
fn new_interview_takes_a_status_and_writes_none_unless_given() {
    let (tmp, vault) = vault(&[("contacts/ada-lovelace.md", ADA)]);
    let new = |args: &[&str]| {
        coffeechat()
            .args(["new", "interview", "Ada Lovelace", "--vault"])
            .arg(&vault)
            .args(args)
            .output()
            .unwrap()
    };
    let o = new(&["--date", "2026-11-02 18:00", "--status", "done"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let past =
        std::fs::read_to_string(vault.join("interviews/2026-11-02-ada-lovelace.md")).unwrap();
    assert_contains(&past, "\nstatus: done\n");
    let o = new(&["--date", "2026-12-01 10:00"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let coming =
        std::fs::read_to_string(vault.join("interviews/2026-12-01-ada-lovelace.md")).unwrap();
    assert_not_contains(&coming, "status:");
    // Without a date a chat can only be requested.
    let o = new(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let asked = std::fs::read_to_string(vault.join("interviews/ada-lovelace.md")).unwrap();
    assert_contains(&asked, "\nstatus: requested\n");
    let o = new(&["--status", "done"]);
    assert_eq!(o.status.code(), Some(2));
    assert_contains(&stderr(&o), "--date");
    let o = new(&["--date", "2026-12-02", "--status", "finished"]);
    assert_eq!(o.status.code(), Some(2));
    assert_contains(&stderr(&o), "no-show");

    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let html = page(&out, "index.html");
    assert_contains(&section(&html, "Recent chats"), "2026-11-02");
    assert_contains(&section(&html, "Upcoming chats"), "2026-12-01");
}

#[test]
fn a_contacts_stage_follows_what_happened_unless_set() {
    let chat = |who: &str, date: &str| {
        format!("---\nwith: {who}\ndate: {date}\nobjectives: [Learn]\n---\n")
    };
    let (_tmp, vault, out) = site(&[
        ("contacts/pat.md", "---\nname: Pat Prospect\n---\n"),
        (
            "contacts/rae.md",
            "---\nname: Rae Reached\nlog:\n  - {date: 2026-11-20, type: outreach, note: Asked for 20 minutes}\n  - {date: 2026-11-20, type: reply, note: Yes}\n---\n",
        ),
        ("contacts/sol.md", "---\nname: Sol Soon\n---\n"),
        (
            "interviews/2026-11-30-sol.md",
            &chat("Sol Soon", "2026-11-30"),
        ),
        ("contacts/meg.md", "---\nname: Meg Met\n---\n"),
        (
            "interviews/2026-11-10-meg.md",
            &chat("Meg Met", "2026-11-10"),
        ),
        (
            "interviews/2026-11-30-meg.md",
            &chat("Meg Met", "2026-11-30"),
        ),
        (
            "contacts/kay.md",
            "---\nname: Kay Kept\nstatus: keep-in-touch\n---\n",
        ),
        (
            "interviews/2026-11-10-kay.md",
            &chat("Kay Kept", "2026-11-10"),
        ),
    ]);
    for (name, stage) in [
        ("Pat Prospect", "prospect"),
        ("Rae Reached", "reached-out"),
        ("Sol Soon", "scheduled"),
        ("Meg Met", "met"),
        ("Kay Kept", "keep-in-touch"),
    ] {
        assert_eq!(stage_of(&out, name), stage, "{name}");
    }
    let card = visible_text(&page(&out, "contacts/meg.html"));
    assert_contains(&card, "Status met");
    let index = page(&out, "contacts.html");
    let row = html_between(&index, "Sol Soon</a>", "</tr>");
    assert_contains(&visible_text(row), "scheduled");
    // Derived stages are never behind the facts.
    let (_, diags) = check(&vault);
    assert!(
        found(&diags, "contact-status-behind").is_empty(),
        "{diags:?}"
    );
    // A contact made by `new` has no status: their stage follows what happens.
    let o = coffeechat()
        .args(["new", "contact", "Nia New", "--vault"])
        .arg(&vault)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let nia = std::fs::read_to_string(vault.join("contacts/nia-new.md")).unwrap();
    assert_not_contains(&nia, "status:");
}

#[test]
fn a_status_set_behind_what_happened_warns_and_stay_in_touch_still_runs() {
    let done = |who: &str| {
        format!("---\nwith: {who}\ndate: 2026-06-01\nstatus: done\nthank_you: 2026-06-02\n---\n")
    };
    let (_tmp, vault, out) = site(&[
        (
            "contacts/ada-lovelace.md",
            "---\nname: Ada Lovelace\nstatus: prospect\n---\n",
        ),
        ("interviews/2026-06-01-ada.md", &done("Ada Lovelace")),
        (
            "contacts/dot.md",
            "---\nname: Dot Dormant\nstatus: dormant\n---\n",
        ),
        ("interviews/2026-06-01-dot.md", &done("Dot Dormant")),
        // Ahead of the facts (met at an event, say) is not a mistake.
        ("contacts/cy.md", "---\nname: Cy Ahead\nstatus: met\n---\n"),
    ]);
    let (code, diags) = check(&vault);
    assert_eq!(code, Some(0));
    assert_eq!(
        found(&diags, "contact-status-behind"),
        [
            "contacts/ada-lovelace.md:3:1 `status: prospect` is behind what happened: a chat with \
          them is done, which makes them `met`"
        ]
    );
    let behind = diags
        .iter()
        .find(|d| d["rule"] == "contact-status-behind")
        .unwrap();
    assert_contains(behind["hint"].as_str().unwrap(), "set `status: met`");
    // The status as written still shows; the reminders follow the chat.
    assert_eq!(stage_of(&out, "Ada Lovelace"), "prospect");
    let html = page(&out, "index.html");
    let stay = section(&html, "Due a stay-in-touch");
    // 90 days after the thank-you of 2026-06-02.
    assert_contains(&stay, "Ada Lovelace · Get back in touch");
    assert_shows_date(&stay, 2026, 8, 31);
    assert_not_contains(&stay, "Dot Dormant");
    assert_eq!(
        found(&diags, "follow-up-overdue"),
        [
            "contacts/ada-lovelace.md:3:1 stay-in-touch overdue since 2026-08-31 (84 days ago): \
          Get back in touch with Ada Lovelace"
        ]
    );
}

/// Dana, at Ledgerly, was written to on Thursday 12 November and has not answered:
/// three business days later (Tuesday 17) try someone else there, seven (Monday 23)
/// send a follow-up.
const DANA: &str = "---\nname: Dana Whitfield\ncompany: Ledgerly\nlog:\n  - date: 2026-11-12\n    type: outreach\n    note: Asked for 20 minutes\n---\n";

/// Contacts whose outreach was answered, one way or another.
const ANSWERED: &[(&str, &str)] = &[
    ("companies/ledgerly.md", "---\nname: Ledgerly\n---\n"),
    (
        "contacts/rae.md",
        "---\nname: Rae Replied\nlog:\n  - {date: 2026-11-12, type: outreach, note: Asked}\n  - {date: 2026-11-13, type: reply, note: Next week}\n---\n",
    ),
    (
        "contacts/sol.md",
        "---\nname: Sol Scheduled\nlog:\n  - {date: 2026-11-12, type: outreach, note: Asked}\n---\n",
    ),
    (
        "interviews/2026-11-30-sol.md",
        "---\nwith: Sol Scheduled\ndate: 2026-11-30\nobjectives: [Learn]\n---\n",
    ),
    (
        "contacts/jo.md",
        "---\nname: Jo Declined\nstatus: declined\nlog:\n  - {date: 2026-11-12, type: outreach, note: Asked}\n---\n",
    ),
    // Answered once, then written to again on Monday 16 November without an answer;
    // no company to suggest.
    (
        "contacts/lee.md",
        "---\nname: Lee Later\nlog:\n  - {date: 2026-11-02, type: outreach, note: Asked}\n  - {date: 2026-11-03, type: reply, note: Busy}\n  - {date: 2026-11-16, type: outreach, note: Asked again}\n---\n",
    ),
];

#[test]
fn an_unanswered_outreach_says_to_try_someone_else_then_to_follow_up() {
    let mut files = ANSWERED.to_vec();
    files.push(("contacts/dana.md", DANA));
    let (_tmp, vault, out) = site(&files);
    let try_else =
        "Dana Whitfield · No reply to your outreach of 2026-11-12: try someone else at Ledgerly";
    let follow_up =
        "Dana Whitfield · No reply to your outreach of 2026-11-12: send a short follow-up";
    let html = page(&out, "index.html");
    let overdue = section(&html, "Overdue");
    assert_contains(&overdue, try_else);
    assert_shows_date(&overdue, 2026, 11, 17);
    assert_contains(
        &overdue,
        "Lee Later · No reply to your outreach of 2026-11-16: try someone else",
    );
    let soon = section(&html, "Due this week");
    assert_contains(&soon, follow_up);
    assert_contains(
        &soon,
        "Lee Later · No reply to your outreach of 2026-11-16: send a short follow-up",
    );
    let log = page(&out, "followups.html");
    assert_contains(&section(&log, "Overdue"), try_else);
    assert_contains(&section(&log, "Due in the next 7 days"), follow_up);
    for answered in ["Rae Replied", "Sol Scheduled", "Jo Declined"] {
        assert_not_contains(&visible_text(&html), &format!("{answered} · No reply"));
        assert_not_contains(&visible_text(&log), &format!("{answered} · No reply"));
    }
    // Dana is reached-out: the outreach is logged.
    assert_eq!(stage_of(&out, "Dana Whitfield"), "reached-out");

    let (code, diags) = check(&vault);
    assert_eq!(code, Some(0));
    assert_eq!(
        found(&diags, "no-reply"),
        [
            "contacts/dana.md:5:11 no reply from Dana Whitfield to your outreach of 2026-11-12: \
             try someone else at Ledgerly (due 2026-11-17)",
            "contacts/lee.md:6:12 no reply from Lee Later to your outreach of 2026-11-16: \
             try someone else (due 2026-11-19)",
        ]
    );

    let ics = page(&out, "calendar.ics").replace("\r\n ", "");
    let todo = |uid: &str| {
        let at = ics
            .find(&format!("UID:{uid}"))
            .unwrap_or_else(|| panic!("no {uid} in:\n{ics}"));
        let start = ics[..at].rfind("BEGIN:VTODO").unwrap();
        let end = at + ics[at..].find("END:VTODO").unwrap();
        ics[start..end].to_string()
    };
    let first = todo("no-reply-dana-1@coffeechat");
    assert_contains(&first, "DUE;VALUE=DATE:20261117");
    // The calendar's to-do is on its own: it names Dana in its text.
    let whole = "No reply from Dana Whitfield to your outreach of 2026-11-12: ";
    assert_contains(
        &first,
        &format!("SUMMARY:{whole}try someone else at Ledgerly"),
    );
    let second = todo("no-reply-dana-2@coffeechat");
    assert_contains(&second, "DUE;VALUE=DATE:20261123");
    assert_contains(&second, &format!("SUMMARY:{whole}send a short follow-up"));
    assert_not_contains(&ics, "no-reply-rae");
}

#[test]
fn the_waits_after_an_outreach_are_set_in_coffeechat_yaml() {
    let mut files = ANSWERED.to_vec();
    files.push(("contacts/dana.md", DANA));
    files.push((
        "coffeechat.yaml",
        "outreach_nudge: 2\noutreach_follow_up: 10\n",
    ));
    let (_tmp, vault, out) = site(&files);
    let log = visible_text(&page(&out, "followups.html"));
    // Two business days after Thursday 12 November is Monday 16; ten is Thursday 26.
    let since = "Dana Whitfield · No reply to your outreach of 2026-11-12: ";
    let nudge = between_dates(&log, &format!("{since}try someone else at Ledgerly"));
    assert!(shows_date(&nudge, 2026, 11, 16), "{nudge}");
    let follow_up = between_dates(&log, &format!("{since}send a short follow-up"));
    assert!(shows_date(&follow_up, 2026, 11, 26), "{follow_up}");

    std::fs::write(vault.join("coffeechat.yaml"), "outreach_nudge: 3d\n").unwrap();
    let (code, diags) = check(&vault);
    assert_eq!(code, Some(1));
    assert_eq!(
        found(&diags, "invalid-value"),
        [
            "coffeechat.yaml:1:17 `3d` is not a number of business days; write a whole number \
          from 1 to 1000, like 3 (Monday to Friday count, weekends do not)"
        ]
    );
}

/// The text just before `action` in `text`, where its due date and kind are shown
/// ("Mon 16 Nov 2026 no-reply").
fn between_dates(text: &str, action: &str) -> String {
    let at = text
        .find(action)
        .unwrap_or_else(|| panic!("no `{action}` in:\n{text}"));
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(25)
        .map_or(0, |(i, _)| i);
    text[start..at].to_string()
}
