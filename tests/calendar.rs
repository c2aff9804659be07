//! `calendar.ics`, read back by an independent parser (Python's `icalendar` package):
//! one event per dated chat at the right local time, one to-do per thank-you, follow-up
//! and log action, ids that survive edits, and byte-identical output for the same day.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::Value;

/// Reads a calendar file with Python's icalendar and prints what a calendar app would
/// see. Offsets are computed twice: by the parser (from its own time-zone database) and
/// from the file's VTIMEZONE alone, so a wrong VTIMEZONE cannot hide.
const READER: &str = r#"
import datetime, json, sys
from icalendar import Calendar

cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
zones = {str(z["TZID"]): z.to_tz(lookup_tzid=False) for z in cal.walk("VTIMEZONE")}

def iso(v):
    return v.isoformat() if v is not None else None

def offset(v):
    if isinstance(v, datetime.datetime) and v.tzinfo is not None:
        return int(v.utcoffset().total_seconds())
    return None

def own_offset(prop, value):
    tzid = prop.params.get("TZID")
    if tzid not in zones or not isinstance(value, datetime.datetime):
        return None
    local = value.replace(tzinfo=None).replace(tzinfo=zones[tzid])
    return int(local.utcoffset().total_seconds())

out = {"name": str(cal.get("X-WR-CALNAME")), "timezones": sorted(zones), "events": [], "todos": []}
for c in cal.walk("VEVENT"):
    start, end = c.decoded("DTSTART"), c.decoded("DTEND")
    out["events"].append({
        "uid": str(c["UID"]),
        "summary": str(c["SUMMARY"]),
        "start": iso(start),
        "end": iso(end),
        "tzid": c["DTSTART"].params.get("TZID"),
        "offset": offset(start),
        "vtimezone_offset": own_offset(c["DTSTART"], start),
        "location": str(c.get("LOCATION", "")),
        "description": str(c.get("DESCRIPTION", "")),
        "status": str(c.get("STATUS", "")),
        "dtstamp": iso(c.decoded("DTSTAMP")),
    })
for c in cal.walk("VTODO"):
    out["todos"].append({
        "uid": str(c["UID"]),
        "summary": str(c["SUMMARY"]),
        "due": iso(c.decoded("DUE")),
        "status": str(c.get("STATUS", "")),
        "completed": iso(c.decoded("COMPLETED")) if "COMPLETED" in c else None,
        "description": str(c.get("DESCRIPTION", "")),
    })
print(json.dumps(out))
"#;

/// Whether Python's icalendar is installed. In CI (`CI=true`) it must be: `.ci/run`
/// installs it, and a test that silently skipped there would prove nothing.
fn python_icalendar() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import icalendar"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("Python's icalendar package is missing; .ci/run installs it with pip");
        }
        eprintln!(
            "\n*** SKIPPED: Python's icalendar package is not installed \
             (pip install icalendar); calendar.ics was not checked ***\n"
        );
    }
    ok
}

/// The calendar as the independent parser reads it.
fn parse_ics(path: &Path) -> Value {
    let o = Command::new("python3")
        .args(["-c", READER])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "Python's icalendar could not read {}:\n{}",
        path.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn by_uid<'a>(items: &'a Value, uid: &str) -> &'a Value {
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["uid"] == uid)
        .unwrap_or_else(|| panic!("no item with UID {uid} in {items:#}"))
}

fn uids(items: &Value) -> Vec<String> {
    let mut v: Vec<String> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["uid"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

const ADA: &str = "---
name: Ada Lovelace
title: Head of Research
company: Analytical Engines
status: met
log:
  - {date: 2026-11-01, type: outreach, note: Wrote to her}
  - {due: 2026-11-20, action: Send her the engine paper, done: 2026-11-19}
  - {due: 2026-12-15, action: \"Tell her how the notes helped; and thank her, again\"}
---
";

const ENGINES: &str = "---\nname: Analytical Engines\n---\n";

/// A done chat in winter time, with a sent thank-you and two follow-ups.
const WINTER: &str = "---
with: Ada Lovelace
date: 2026-11-10 08:00
duration: 45m
where: \"Café Royal; 68 Regent St, London\"
status: done
thank_you: 2026-11-10
objectives: [Learn how the engine is programmed]
followups:
  - {due: 2026-11-13, action: Send the article, done: 2026-11-12}
  - {due: 2026-12-01, action: Introduce her to Charles}
---
";

/// A done chat in summer time whose thank-you is still owed.
const SUMMER: &str = "---
with: Ada Lovelace
date: 2026-07-15 14:00
status: done
---
";

/// An upcoming video chat with only a link.
const UPCOMING: &str = "---
title: Second chat with Ada
with: Ada Lovelace
date: 2026-12-01 10:00
duration: 1h
format: video
link: https://meet.example.com/ada
objectives: [Hear about the new engine]
---
";

const ALL_DAY: &str = "---
with: Ada Lovelace
date: 2026-12-05
format: event
objectives: [Meet her team]
---
";

const CANCELLED: &str = "---
with: Ada Lovelace
date: 2026-10-20 09:00
status: cancelled
---
";

const REQUESTED: &str = "---\nwith: Ada Lovelace\nstatus: requested\n---\n";

fn calendar_vault(settings: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    vault(&[
        ("coffeechat.yaml", settings),
        ("contacts/ada-lovelace.md", ADA),
        ("companies/analytical-engines.md", ENGINES),
        ("interviews/2026-11-10-ada.md", WINTER),
        ("interviews/2026-07-15-ada.md", SUMMER),
        ("interviews/2026-12-01-ada.md", UPCOMING),
        ("interviews/2026-12-05-ada.md", ALL_DAY),
        ("interviews/2026-10-20-ada.md", CANCELLED),
        ("interviews/ada-requested.md", REQUESTED),
    ])
}

#[test]
fn chats_are_events_and_what_is_owed_is_to_dos() {
    if !python_icalendar() {
        return;
    }
    let (tmp, vault) = calendar_vault("title: Ada's chats\ntimezone: America/Chicago\n");
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let cal = parse_ics(&out.join("calendar.ics"));
    assert_eq!(cal["name"], "Ada's chats");
    assert_eq!(cal["timezones"], serde_json::json!(["America/Chicago"]));

    // Every dated chat, and only those: the requested one has no date.
    let events = &cal["events"];
    assert_eq!(
        uids(events),
        [
            "interview-2026-07-15-ada@coffeechat",
            "interview-2026-10-20-ada@coffeechat",
            "interview-2026-11-10-ada@coffeechat",
            "interview-2026-12-01-ada@coffeechat",
            "interview-2026-12-05-ada@coffeechat",
        ]
    );
    let winter = by_uid(events, "interview-2026-11-10-ada@coffeechat");
    assert_eq!(winter["tzid"], "America/Chicago");
    assert_eq!(winter["start"], "2026-11-10T08:00:00-06:00");
    assert_eq!(
        winter["end"], "2026-11-10T08:45:00-06:00",
        "45m from `duration`"
    );
    assert_eq!(winter["vtimezone_offset"], -6 * 3600);
    assert_eq!(winter["location"], "Café Royal; 68 Regent St, London");
    assert_eq!(winter["summary"], "Chat with Ada Lovelace, 2026-11-10");
    assert_eq!(winter["status"], "CONFIRMED");
    let text = winter["description"].as_str().unwrap();
    assert_contains(
        text,
        "With Ada Lovelace (Head of Research, Analytical Engines)",
    );
    assert_contains(text, "interviews/2026-11-10-ada.html");
    assert_contains(text, "- Learn how the engine is programmed");

    let summer = by_uid(events, "interview-2026-07-15-ada@coffeechat");
    assert_eq!(
        summer["start"], "2026-07-15T14:00:00-05:00",
        "daylight time"
    );
    assert_eq!(
        summer["end"], "2026-07-15T14:30:00-05:00",
        "the default 30m"
    );
    assert_eq!(summer["vtimezone_offset"], -5 * 3600);

    let upcoming = by_uid(events, "interview-2026-12-01-ada@coffeechat");
    assert_eq!(upcoming["summary"], "Second chat with Ada");
    assert_eq!(upcoming["end"], "2026-12-01T11:00:00-06:00");
    assert_eq!(upcoming["location"], "https://meet.example.com/ada");
    assert_contains(
        upcoming["description"].as_str().unwrap(),
        "Link: https://meet.example.com/ada",
    );

    let all_day = by_uid(events, "interview-2026-12-05-ada@coffeechat");
    assert_eq!(all_day["start"], "2026-12-05");
    assert_eq!(all_day["end"], "2026-12-06");

    let cancelled = by_uid(events, "interview-2026-10-20-ada@coffeechat");
    assert_eq!(cancelled["status"], "CANCELLED");
    assert_eq!(cancelled["start"], "2026-10-20T09:00:00-05:00");

    // Thank-yous for done chats, every follow-up, every planned log action; done ones
    // are completed, the others still to do.
    let todos = &cal["todos"];
    assert_eq!(
        uids(todos),
        [
            "action-ada-lovelace-1@coffeechat",
            "action-ada-lovelace-2@coffeechat",
            "followup-2026-11-10-ada-1@coffeechat",
            "followup-2026-11-10-ada-2@coffeechat",
            "thank-you-2026-07-15-ada@coffeechat",
            "thank-you-2026-11-10-ada@coffeechat",
        ]
    );
    let thanked = by_uid(todos, "thank-you-2026-11-10-ada@coffeechat");
    assert_eq!(thanked["summary"], "Send a thank-you to Ada Lovelace");
    assert_eq!(thanked["due"], "2026-11-11", "24h after the chat");
    assert_eq!(thanked["status"], "COMPLETED");
    assert!(
        thanked["completed"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-10T")
    );
    let owed = by_uid(todos, "thank-you-2026-07-15-ada@coffeechat");
    assert_eq!(owed["due"], "2026-07-16");
    assert_eq!(owed["status"], "NEEDS-ACTION");
    assert_eq!(owed["completed"], Value::Null);
    let sent = by_uid(todos, "followup-2026-11-10-ada-1@coffeechat");
    assert_eq!(sent["summary"], "Send the article");
    assert_eq!(sent["status"], "COMPLETED");
    assert!(
        sent["completed"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-12T")
    );
    let intro = by_uid(todos, "followup-2026-11-10-ada-2@coffeechat");
    assert_eq!(intro["due"], "2026-12-01");
    assert_eq!(intro["status"], "NEEDS-ACTION");
    assert_contains(
        intro["description"].as_str().unwrap(),
        "interviews/2026-11-10-ada.md",
    );
    let action = by_uid(todos, "action-ada-lovelace-2@coffeechat");
    assert_eq!(
        action["summary"],
        "Tell her how the notes helped; and thank her, again"
    );
    assert_eq!(action["due"], "2026-12-15");
    assert_eq!(action["status"], "NEEDS-ACTION");
    assert_eq!(
        by_uid(todos, "action-ada-lovelace-1@coffeechat")["status"],
        "COMPLETED"
    );

    // The dashboard links to it.
    let dashboard = page(&out, "index.html");
    assert!(
        anchors(&dashboard)
            .iter()
            .any(|(href, text)| href == "calendar.ics" && text.contains("calendar")),
        "no link to calendar.ics on the dashboard"
    );
}

#[test]
fn without_a_timezone_times_are_floating() {
    if !python_icalendar() {
        return;
    }
    let (tmp, vault) = calendar_vault("title: Chats\n");
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let cal = parse_ics(&out.join("calendar.ics"));
    assert_eq!(cal["timezones"], serde_json::json!([]));
    let winter = by_uid(&cal["events"], "interview-2026-11-10-ada@coffeechat");
    assert_eq!(winter["tzid"], Value::Null);
    assert_eq!(
        winter["start"], "2026-11-10T08:00:00",
        "local time, no zone"
    );
    assert_eq!(winter["end"], "2026-11-10T08:45:00");
}

#[test]
fn same_day_same_bytes_and_ids_survive_edits() {
    if !python_icalendar() {
        return;
    }
    let (tmp, vault) = calendar_vault("timezone: Europe/Berlin\n");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_ok(&vault, &a);
    build_ok(&vault, &b);
    let first = fs::read(a.join("calendar.ics")).unwrap();
    assert_eq!(
        first,
        fs::read(b.join("calendar.ics")).unwrap(),
        "two builds with the same --today differ"
    );
    // DTSTAMP is the build's today, not the clock.
    let cal = parse_ics(&a.join("calendar.ics"));
    for e in cal["events"].as_array().unwrap() {
        assert_eq!(e["dtstamp"], format!("{TODAY}T00:00:00+00:00"));
    }
    let before = (uids(&cal["events"]), uids(&cal["todos"]));

    // Move a chat, rename it, mark a follow-up done: a calendar app must see the same
    // entries changed, not new ones.
    let moved = WINTER
        .replace("2026-11-10 08:00", "2026-11-10 16:30")
        .replace("status: done", "title: Coffee at the Royal\nstatus: done")
        .replace(
            "action: Introduce her to Charles}",
            "action: Introduce her to Charles, done: 2026-11-25}",
        );
    write(&vault, "interviews/2026-11-10-ada.md", moved.as_bytes());
    build_ok(&vault, &a);
    let cal = parse_ics(&a.join("calendar.ics"));
    assert_eq!((uids(&cal["events"]), uids(&cal["todos"])), before);
    let winter = by_uid(&cal["events"], "interview-2026-11-10-ada@coffeechat");
    assert_eq!(winter["summary"], "Coffee at the Royal");
    assert_eq!(winter["start"], "2026-11-10T16:30:00+01:00");
    assert_eq!(winter["vtimezone_offset"], 3600);
    assert_eq!(
        by_uid(&cal["todos"], "followup-2026-11-10-ada-2@coffeechat")["status"],
        "COMPLETED"
    );
}

#[test]
fn a_vault_without_chats_still_gets_a_valid_calendar() {
    if !python_icalendar() {
        return;
    }
    let (tmp, vault) = vault(&[("coffeechat.yaml", "timezone: Asia/Tokyo\n")]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let cal = parse_ics(&out.join("calendar.ics"));
    assert_eq!(cal["events"], serde_json::json!([]));
    assert_eq!(cal["todos"], serde_json::json!([]));
}
