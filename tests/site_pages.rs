//! The example vault, built as a user would, and each kind of page checked for the facts
//! PRODUCT.md says it shows. Expected values are worked out from the example notes and
//! the spec (today is 2026-11-23), not copied from the program's output.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use tempfile::TempDir;

/// Builds a copy of the example vault into a folder next to it.
fn example_site() -> (TempDir, PathBuf, PathBuf) {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    (tmp, vault, out)
}

/// The text between the first occurrence of `from` and the first `to` after it.
fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("`{from}` not found in:\n{text}"));
    let rest = &text[start + from.len()..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[test]
fn dashboard_shows_upcoming_chats_in_date_order() {
    let (_tmp, _vault, out) = example_site();
    let html = page(&out, "index.html");
    let upcoming = section(&html, "Upcoming chats");
    // Scheduled chats on or after today, soonest first.
    assert_in_order(&upcoming, &["Priya Raman", "Tomás Alvarez"]);
    assert_shows_date(&upcoming, 2026, 11, 24);
    assert_contains(&upcoming, "10:00");
    assert_shows_date(&upcoming, 2026, 12, 10);
    // A done chat and a cancelled one are not upcoming.
    assert_not_contains(&upcoming, "Marcus Chen");
    assert_not_contains(&upcoming, "Kevin Walsh");
    assert_links_to(
        section_html(&html, "Upcoming chats"),
        "index.html",
        "Chat with Priya Raman, 2026-11-24",
        "interviews/2026-11-24-priya-raman.html",
    );
    // The next chat leads the page, naming who it is with, and when in words.
    let next = section(&html, "Next chat");
    assert_in_order(&next, &["Priya Raman", "tomorrow", "Print briefing"]);
    assert_links_to(
        section_html(&html, "Next chat"),
        "index.html",
        "Priya Raman",
        "contacts/priya-raman.html",
    );
}

#[test]
fn dashboard_shows_overdue_thank_yous_and_follow_ups() {
    let (_tmp, _vault, out) = example_site();
    let html = page(&out, "index.html");
    let overdue = section(&html, "Overdue");
    // Chat with Sam on 2026-11-19 12:30, done, no thank-you: due 24h later, 2026-11-20.
    let lower = overdue.to_lowercase();
    assert!(
        lower.contains("thank-you") || lower.contains("thank you"),
        "{overdue}"
    );
    assert_contains(&overdue, "Sam Oduya");
    assert_shows_date(&overdue, 2026, 11, 20);
    // Ruth's planned action was due 2026-11-16 and is not done.
    assert_contains(
        &overdue,
        "Send Professor Adebayo the draft case study on the quote-form experiment",
    );
    // Done items and items due later are not overdue.
    assert_not_contains(&overdue, "Send Marcus my write-up");
    assert_not_contains(&overdue, "Send Grace three time options");
    assert_not_contains(&overdue, "Send Lena a LinkedIn note");
}

#[test]
fn dashboard_shows_contacts_due_a_stay_in_touch() {
    let (_tmp, _vault, out) = example_site();
    let html = page(&out, "index.html");
    // Leave out the pipeline, which lists every contact, and the chats.
    let mut rest = html.clone();
    for s in ["Pipeline", "Recent chats", "Upcoming chats"] {
        rest = rest.replace(section_html(&html, s), "");
    }
    let text = visible_text(&rest);
    // Elena: keep-in-touch every 60 days; latest touchpoint 2026-09-04, so due 2026-11-03.
    assert_contains(&text, "Elena Park");
    assert_shows_date(&text, 2026, 11, 3);
    // Marcus (met, 90 days from the chat on 2026-11-10) is not due until February
    // (the dashboard names him elsewhere: Elena is owed word of how the chat went).
    assert_not_contains(&section(&html, "Due a stay-in-touch"), "Marcus Chen");
}

#[test]
fn dashboard_shows_what_is_due_this_week() {
    let (_tmp, _vault, out) = example_site();
    let html = page(&out, "index.html");
    let soon = section(&html, "Due this week");
    // Due within 7 days of 2026-11-23: Lena's outreach (11-25), Sam follow-up (11-27).
    assert_in_order(
        &soon,
        &[
            "Send Lena a LinkedIn note mentioning Jonah",
            "Read the Parcelwise carrier API changelog",
        ],
    );
    // Tomás's registration is due 2026-12-08, more than a week away; Ruth's is overdue.
    assert_not_contains(&soon, "visitor registration");
    assert_not_contains(&soon, "Send Professor Adebayo");
}

#[test]
fn dashboard_shows_pipeline_by_contact_status() {
    let (_tmp, _vault, out) = example_site();
    let html = page(&out, "index.html");
    let pipeline = section(&html, "Pipeline");
    let stages: [(&str, &[&str]); 7] = [
        ("prospect", &["Lena Novak"]),
        ("reached-out", &["Grace Liu"]),
        ("scheduled", &["Priya Raman", "Tomás Alvarez"]),
        ("met", &["Marcus Chen", "Sam Oduya"]),
        ("keep-in-touch", &["Elena Park", "Ruth Adebayo"]),
        ("dormant", &["Kevin Walsh"]),
        ("declined", &["Jonah Feld"]),
    ];
    let mut rest = pipeline.as_str();
    for (i, (status, people)) in stages.iter().enumerate() {
        let at = rest
            .find(status)
            .unwrap_or_else(|| panic!("stage `{status}` missing or out of order in:\n{pipeline}"));
        rest = &rest[at + status.len()..];
        let end = stages
            .get(i + 1)
            .and_then(|(next, _)| rest.find(next))
            .unwrap_or(rest.len());
        let stage = &rest[..end];
        for p in *people {
            assert!(
                stage.contains(p),
                "{p} should be under `{status}`; stage text: {stage}"
            );
        }
    }
}

#[test]
fn dashboard_shows_recent_chats_newest_first() {
    let (_tmp, _vault, out) = example_site();
    let html = page(&out, "index.html");
    let recent = section(&html, "Recent chats");
    assert_in_order(&recent, &["Sam Oduya", "Marcus Chen"]);
    assert_not_contains(&recent, "Priya Raman");
    assert_not_contains(&recent, "Kevin Walsh");
}

#[test]
fn contact_page_shows_card_chats_timeline_backlinks_and_research() {
    let (_tmp, _vault, out) = example_site();
    let (path, html) = navigate(&out, &["Contacts", "Priya Raman"]);
    let text = visible_text(&html);
    assert_contains(&text, "Priya Raman");
    // Card: role, company, tenure (since 2022 → 4 years on 2026-11-23), introducer.
    assert_contains(&text, "Senior Product Manager, Care Navigation");
    assert_contains(&text, "4 years");
    let (_, company) = follow(&out, &path, "Brightline Health");
    assert_contains(&visible_text(&company), "Health tech (care navigation)");
    // `introduced_by: Marc` is Marcus Chen's alias.
    let (_, introducer) = follow(&out, &path, "Marcus Chen");
    assert_contains(&visible_text(&introducer), "Product Analytics Lead");
    // Every chat with her.
    let (_, briefing) = follow(&out, &path, "Chat with Priya Raman, 2026-11-24");
    assert_contains(
        &visible_text(&briefing),
        "Brightline Health lobby café, 222 W Hubbard St, Chicago",
    );
    // The full timeline of her log.
    for note in [
        "Marcus offered to introduce us at the end of our coffee",
        "Replied to the intro (Marcus to BCC)",
        "Said yes. Booked Tuesday, November 24 at 10:00",
    ] {
        assert_contains(&text, note);
    }
    // Notes that mention her.
    let mentioned = section_html(&html, "Mentioned in");
    for (name, target) in [
        ("Job search plan, winter 2026", "notes/job-search-plan.html"),
        ("Elena Park", "contacts/elena-park.html"),
        ("Kevin Walsh", "contacts/kevin-walsh.html"),
        ("Ruth Adebayo", "contacts/ruth-adebayo.html"),
        ("Brightline Health", "companies/brightline-health.html"),
        (
            "Chat with Marcus Chen, 2026-11-10",
            "interviews/2026-11-10-marcus-chen.html",
        ),
    ] {
        assert_links_to(mentioned, &path, name, target);
    }
    // Research from the note body.
    assert_contains(
        &text,
        "Lakeside Health System: Clinical Data Analyst, readmissions reporting",
    );
    assert_contains(&text, "Career history");
}

#[test]
fn contact_page_shows_what_is_due_next() {
    let (_tmp, _vault, out) = example_site();
    let (_, html) = navigate(&out, &["Contacts", "Sam Oduya"]);
    let text = visible_text(&html);
    // The overdue thank-you for the chat of 2026-11-19, due 2026-11-20.
    assert!(text.to_lowercase().contains("thank-you"), "{text}");
    assert_shows_date(&text, 2026, 11, 20);
    // The follow-up planned in that chat.
    assert_contains(
        &text,
        "Read the Parcelwise carrier API changelog Sam recommended",
    );
    assert_shows_date(&text, 2026, 11, 27);
    assert_contains(&text, "3 years"); // since 2023
}

/// A contact whose card facts appear nowhere else in the vault, so each one can only
/// come from its field.
fn card_vault() -> (TempDir, PathBuf, PathBuf) {
    let (tmp, vault) = vault(&[
        (
            "contacts/lily.md",
            "---\n\
             name: Lily Harbor\n\
             title: Keeper of Lighthouses\n\
             company: Beacon Works\n\
             since: 2019-06-01\n\
             source: professor\n\
             introduced_by: Otto Quill\n\
             status: scheduled\n\
             ---\n\
             Runs the northern lights.\n",
        ),
        ("contacts/otto.md", "---\nname: Otto Quill\n---\n"),
        (
            "companies/beacon.md",
            "---\nname: Beacon Works\nindustry: Maritime safety\n---\n",
        ),
        (
            "interviews/2026-12-02-lily.md",
            "---\n\
             with: Lily Harbor\n\
             date: 2026-12-02 09:15\n\
             duration: 1h30m\n\
             format: phone\n\
             where: Room 42 of the harbour office\n\
             link: https://meet.example.com/lily-harbor\n\
             status: scheduled\n\
             objectives:\n  - Learn how lights are kept\n\
             ---\n",
        ),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    (tmp, vault, out)
}

#[test]
fn contact_card_shows_role_company_tenure_source_and_introducer() {
    let (_tmp, _vault, out) = card_vault();
    let (path, html) = navigate(&out, &["Contacts", "Lily Harbor"]);
    let text = visible_text(&html);
    assert_contains(&text, "Keeper of Lighthouses");
    // Since 2019-06-01, on 2026-11-23: 7 years and a few months.
    assert_contains(&text, "7 years");
    assert_contains(&text, "professor");
    let (_, company) = follow(&out, &path, "Beacon Works");
    assert_contains(&visible_text(&company), "Maritime safety");
    let (_, otto) = follow(&out, &path, "Otto Quill");
    assert_contains(&visible_text(&otto), "Otto Quill");
    assert_contains(&text, "Runs the northern lights.");
}

#[test]
fn briefing_shows_format_duration_place_and_link() {
    let (_tmp, _vault, out) = card_vault();
    let (_, html) = navigate(&out, &["Chats", "Chat with Lily Harbor, 2026-12-02"]);
    let text = visible_text(&html);
    assert_shows_date(&text, 2026, 12, 2);
    assert_contains(&text, "09:15");
    assert!(
        ["1 h 30 min", "1h30m", "1h 30m", "90 min", "1 hour 30"]
            .iter()
            .any(|d| text.contains(d)),
        "no duration of 1h30m in:\n{text}"
    );
    assert_contains(&text, "phone");
    assert_contains(&text, "Room 42 of the harbour office");
    assert_contains(&text, "https://meet.example.com/lily-harbor");
    assert_contains(&text, "Keeper of Lighthouses");
    assert_contains(&text, "7 years");
    assert_contains(&text, "professor");
    assert_contains(&text, "Otto Quill");
    assert_contains(&text, "Maritime safety");
    assert_contains(&text, "Learn how lights are kept");
}

#[test]
fn contact_page_lists_the_people_they_referred_you_to() {
    // Bodies are empty so the only way Bob can appear on Ada's page is as her referral.
    let (tmp, vault) = vault(&[
        (
            "contacts/ada.md",
            "---\nname: Ada Lovelace\nstatus: met\n---\n",
        ),
        ("contacts/bob.md", "---\nname: Bob Byron\n---\n"),
        (
            "interviews/2026-11-02-ada.md",
            "---\nwith: Ada Lovelace\ndate: 2026-11-02\nstatus: done\nthank_you: 2026-11-02\nreferrals:\n  - Bob Byron\n---\n",
        ),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let (path, _) = navigate(&out, &["Contacts", "Ada Lovelace"]);
    let (_, bob) = follow(&out, &path, "Bob Byron");
    assert_contains(&visible_text(&bob), "Bob Byron");
}

#[test]
fn a_person_pointed_to_many_times_is_listed_once() {
    // Bob is referred in two chats with Ada, twice in the second, and was introduced by
    // her too.
    let chat = |date: &str, referrals: &str| {
        format!(
            "---\nwith: Ada Lovelace\ndate: {date}\nstatus: done\nthank_you: {date}\n\
             referrals: [{referrals}]\n---\n"
        )
    };
    let (first, second) = (
        chat("2026-11-02", "Bob Byron"),
        chat("2026-11-09", "Bob Byron, \"[[contacts/bob]]\""),
    );
    let (tmp, vault) = vault(&[
        (
            "contacts/ada.md",
            "---\nname: Ada Lovelace\nstatus: met\n---\n",
        ),
        (
            "contacts/bob.md",
            "---\nname: Bob Byron\nsource: referral\nintroduced_by: Ada Lovelace\n---\n",
        ),
        ("interviews/2026-11-02-ada.md", &first),
        ("interviews/2026-11-09-ada.md", &second),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let (_, ada) = navigate(&out, &["Contacts", "Ada Lovelace"]);
    let text = visible_text(&ada);
    let pointed = between(&text, "People they pointed you to", "Timeline");
    assert_eq!(pointed.matches("Bob Byron").count(), 1, "{pointed}");
    let (_, chat) = navigate(&out, &["Chats", "Chat with Ada Lovelace, 2026-11-09"]);
    let text = visible_text(&chat);
    let referred = between(&text, "They referred you to", "Prep and notes");
    assert_eq!(referred.matches("Bob Byron").count(), 1, "{referred}");
}

#[test]
fn company_page_shows_facts_contacts_chats_and_research() {
    let (_tmp, _vault, out) = example_site();
    let (path, html) = navigate(&out, &["Companies", "Brightline Health"]);
    let text = visible_text(&html);
    for fact in [
        "Health tech (care navigation)",
        "Chicago, IL",
        "501-1,000 employees",
        "brightlinehealth.example",
    ] {
        assert_contains(&text, fact);
    }
    // Its contacts (Kevin's `company: Brightline` is an alias), shown with their roles,
    // which the company's own research does not mention.
    assert_contains(&text, "Senior Product Manager, Care Navigation");
    assert_contains(&text, "Group Product Manager, Member Experience");
    // Its chats: with Priya (scheduled) and with Kevin (cancelled).
    assert_links_to(
        &html,
        &path,
        "Chat with Priya Raman, 2026-11-24",
        "interviews/2026-11-24-priya-raman.html",
    );
    assert_links_to(
        &html,
        &path,
        "Chat with Kevin Walsh, 2026-10-14",
        "interviews/2026-10-14-kevin-walsh.html",
    );
    // Research from the body.
    assert_contains(
        &text,
        "Brightline sells a care-navigation benefit to self-insured employers",
    );
    // Other companies' people are not listed.
    assert_not_contains(&text, "Product Analytics Lead");
}

/// Priya's ten questions in the order the spec asks them (priority, then list order;
/// unprioritised last), with their minutes and the running total. Bank minutes come
/// from questions/*.md; the unprioritised string question takes the default 3.
const PRIYA_QUESTIONS: [(&str, u32, u32); 10] = [
    ("How did you get to where you are today", 5, 5),
    (
        "Which parts of an analytics background have helped you most",
        4,
        9,
    ),
    (
        "What does a product manager at Brightline own end to end",
        5,
        14,
    ),
    ("What does a strong first product role look like", 5, 19),
    ("Who else would you recommend I talk to", 2, 21),
    (
        "How does your team use data when deciding what to build next",
        4,
        25,
    ),
    (
        "How do you and your engineering lead divide up decisions",
        3,
        28,
    ),
    (
        "How do regulations and compliance shape your roadmap",
        4,
        32,
    ),
    ("How is AI changing the way your product team works", 4, 36),
    (
        "How did the nurse-triage launch change the way your team plans its work",
        3,
        39,
    ),
];

/// Checks the order, the minute each question starts at (the running total before it)
/// and the cut line (after 28 of 30 minutes).
fn assert_priya_questions(text: &str) {
    let asks: Vec<&str> = PRIYA_QUESTIONS.iter().map(|q| q.0).collect();
    assert_in_order(text, &asks);
    for (i, (ask, minutes, running)) in PRIYA_QUESTIONS.iter().enumerate() {
        let before = if i == 0 {
            "Questions"
        } else {
            PRIYA_QUESTIONS[i - 1].0
        };
        let lead = between(text, before, ask);
        // Only look at the text right before the question itself.
        let lead: String = lead
            .chars()
            .rev()
            .take(60)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let start = running - minutes;
        assert!(
            lead.contains(&format!("{start}′")),
            "question `{ask}` should start at minute {start}; got: {lead}"
        );
    }
    let cut = text
        .to_lowercase()
        .find("time runs out")
        .unwrap_or_else(|| panic!("no cut line in:\n{text}"));
    let seventh = text.find(PRIYA_QUESTIONS[6].0).unwrap();
    let eighth = text.find(PRIYA_QUESTIONS[7].0).unwrap();
    assert!(
        seventh < cut && cut < eighth,
        "the cut line should fall between question 7 (28 min) and 8 (32 min)"
    );
    assert_eq!(
        text.to_lowercase().matches("time runs out").count(),
        1,
        "one cut line"
    );
}

#[test]
fn briefing_shows_who_when_where_and_how() {
    let (_tmp, _vault, out) = example_site();
    let (path, html) = navigate(&out, &["Chats", "Chat with Priya Raman, 2026-11-24"]);
    let text = visible_text(&html);
    // Who, with role and company.
    assert_links_to(&html, &path, "Priya Raman", "contacts/priya-raman.html");
    assert_contains(&text, "Senior Product Manager, Care Navigation");
    // When, where, how long, format.
    assert_shows_date(&text, 2026, 11, 24);
    assert_contains(&text, "10:00");
    assert_contains(
        &text,
        "Brightline Health lobby café, 222 W Hubbard St, Chicago",
    );
    // How you are connected, and tenure.
    assert_links_to(&html, &path, "Marcus Chen", "contacts/marcus-chen.html");
    assert_contains(&text, "4 years");
    // Company snapshot.
    assert_links_to(
        &html,
        &path,
        "Brightline Health",
        "companies/brightline-health.html",
    );
    assert_contains(&text, "Health tech (care navigation)");
    assert_contains(&text, "501-1,000 employees");
    // Your pitch, from me.md's body.
    assert_contains(
        &text,
        "I'm Nadia Castellanos, a data analyst at Lakeshore Freight in Chicago.",
    );
    // Objectives.
    assert_in_order(
        &text,
        &[
            "Understand how Priya moved from clinical data analyst to senior PM",
            "Learn what a Brightline PM owns end to end",
            "Get her read on how to frame my quote-form experiment as a product story",
        ],
    );
}

#[test]
fn briefing_orders_questions_by_priority_with_running_total_and_cut_line() {
    let (_tmp, _vault, out) = example_site();
    let (_, html) = navigate(&out, &["Chats", "Chat with Priya Raman, 2026-11-24"]);
    let text = visible_text(&html);
    assert_priya_questions(&text);
    assert_contains(&text, "39 min");
}

#[test]
fn briefing_shows_reminders() {
    let (_tmp, _vault, out) = example_site();
    let (_, html) = navigate(&out, &["Chats", "Chat with Priya Raman, 2026-11-24"]);
    let reminders = section(&html, "Reminders").to_lowercase();
    assert_contains(&reminders, "take notes");
    assert_contains(&reminders, "not for a job");
    assert_contains(&reminders, "who else should i talk to");
    assert_contains(&reminders, "thank-you");
}

#[test]
fn briefing_reminds_of_the_thank_you_due_date_before_the_chat() {
    // The briefing is printed before the chat: Priya's is on 2026-11-24 10:00 and
    // thank_you_within is 24h, so the sheet should say the thank-you is due 2026-11-25.
    let (_tmp, _vault, out) = example_site();
    let (_, html) = navigate(&out, &["Chats", "Chat with Priya Raman, 2026-11-24"]);
    let reminders = section(&html, "Reminders");
    assert_shows_date(&reminders, 2026, 11, 25);
}

#[test]
fn briefing_of_a_done_chat_shows_the_thank_you_due_date() {
    let (_tmp, _vault, out) = example_site();
    let (_, html) = navigate(&out, &["Chats", "Chat with Sam Oduya, 2026-11-19"]);
    let reminders = section(&html, "Reminders");
    assert_shows_date(&reminders, 2026, 11, 20);
    let text = visible_text(&html);
    assert_contains(&text, "video");
    assert_contains(&text, "20 min");
    assert_contains(&text, "https://meet.example.com/nadia-sam-oduya");
}

#[test]
fn question_list_page_lists_the_questions_in_order() {
    let (_tmp, _vault, out) = example_site();
    let (_, html) = follow_after(
        &out,
        "interviews.html",
        "Chat with Priya Raman, 2026-11-24",
        "questions",
    );
    let text = visible_text(&html);
    assert_contains(&text, "Priya Raman");
    assert_priya_questions(&text);
    assert_contains(&text, "39 min");
    // It does not carry the briefing's research and pitch.
    assert_not_contains(&text, "I'm Nadia Castellanos");
}

#[test]
fn question_bank_page_shows_where_each_question_is_used() {
    let (_tmp, _vault, out) = example_site();
    let (path, html) = navigate(&out, &["Questions", "Career path"]);
    let text = visible_text(&html);
    for ask in [
        "How did you get to where you are today",
        "What skills took you longest to build?",
        "How do you decide when it is time for your next career move?",
        "Who else would you recommend I talk to",
    ] {
        assert_contains(&text, ask);
    }
    // `how-you-got-here` is used by Marcus's and Priya's chats.
    let first = html_between(
        &html,
        "How did you get to where you are today",
        "Which parts of an analytics background",
    );
    assert_links_to(
        first,
        &path,
        "Chat with Marcus Chen, 2026-11-10",
        "interviews/2026-11-10-marcus-chen.html",
    );
    assert_links_to(
        first,
        &path,
        "Chat with Priya Raman, 2026-11-24",
        "interviews/2026-11-24-priya-raman.html",
    );
    assert!(!links_to(
        first,
        &path,
        "Sam Oduya",
        "interviews/2026-11-19-sam-oduya.html"
    ));
    // An unused question links to no chat.
    let unused = html_between(
        &html,
        "How do you decide when it is time for your next career move?",
        "Who else would you recommend",
    );
    assert!(
        anchors(unused).is_empty(),
        "unused question shows links: {unused}"
    );
    // `who-else` is in every chat except Grace's.
    let who_else = html_between(&html, "Who else would you recommend", "</ol>");
    for (name, target) in [
        (
            "Chat with Kevin Walsh, 2026-10-14",
            "interviews/2026-10-14-kevin-walsh.html",
        ),
        (
            "Chat with Marcus Chen, 2026-11-10",
            "interviews/2026-11-10-marcus-chen.html",
        ),
        (
            "Chat with Sam Oduya, 2026-11-19",
            "interviews/2026-11-19-sam-oduya.html",
        ),
        (
            "Chat with Priya Raman, 2026-11-24",
            "interviews/2026-11-24-priya-raman.html",
        ),
        (
            "Parcelwise office visit with Tomás",
            "interviews/2026-12-10-tomas-alvarez.html",
        ),
    ] {
        assert_links_to(who_else, &path, name, target);
    }
    assert_not_contains(&visible_text(who_else), "Grace Liu");
}

#[test]
fn follow_up_log_puts_overdue_first_and_touchpoints_newest_first() {
    let (_tmp, _vault, out) = example_site();
    let (_, html) = navigate(&out, &["Follow-ups"]);
    let text = visible_text(&html);
    // Overdue, then due soon, then later, then what happened.
    assert_in_order(
        &text,
        &[
            "Send Professor Adebayo the draft case study", // overdue since 11-16
            "Send Lena a LinkedIn note",                   // due 11-25
            "Send Tomás my full name and email",           // due 12-08
            "Invited me to the Parcelwise office",         // touchpoint of 11-21
        ],
    );
    let overdue = section(&html, "Overdue");
    assert_contains(&overdue, "Sam Oduya");
    assert_contains(&overdue, "Elena Park");
    // Planned actions of every contact.
    for action in [
        "Ping Kevin about a 20-minute call",
        "Offer to speak to her spring product analytics class",
        "Tell Marcus how the chat with Priya went",
    ] {
        assert_contains(&text, action);
    }
    // Touchpoints across all contacts, newest first.
    let log = section_html(&html, "Touchpoints");
    let log_text = visible_text(log);
    for note in [
        "Lunch near the old Lakeshore office",   // Elena, 2026-05-20
        "Cancelled the day before: Q4 planning", // Kevin, 2026-10-13
        "Kindly declined: planning season",      // Jonah, 2026-10-24
        "Invited me to the Parcelwise office",   // Tomás, 2026-11-21
        "Thank-you email with the link to the quote-abandonment analysis", // Ruth
    ] {
        assert_contains(&log_text, note);
    }
    let dates: Vec<String> = log
        .split("datetime=\"")
        .skip(1)
        .map(|s| s[..10].to_string())
        .collect();
    // 26 dated log entries in the example contacts, plus the chats that happened.
    assert!(
        dates.len() >= 26,
        "only {} touchpoints: {dates:?}",
        dates.len()
    );
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "touchpoints are not newest first");
    assert_in_order(
        &log_text,
        &[
            "Invited me to the Parcelwise office",
            "Kindly declined",
            "Lunch near the old Lakeshore office",
        ],
    );
}

#[test]
fn indexes_list_every_contact_company_and_chat() {
    let (_tmp, vault, out) = example_site();
    let (contacts_path, contacts) = navigate(&out, &["Contacts"]);
    let contact_names = [
        "Dana Whitfield",
        "Elena Park",
        "Grace Liu",
        "Jonah Feld",
        "Kevin Walsh",
        "Lena Novak",
        "Marcus Chen",
        "Priya Raman",
        "Ruth Adebayo",
        "Sam Oduya",
        "Tomás Alvarez",
    ];
    assert_eq!(
        fs::read_dir(vault.join("contacts")).unwrap().count(),
        contact_names.len()
    );
    for name in contact_names {
        let (_, html) = follow(&out, &contacts_path, name);
        assert_contains(&visible_text(&html), name);
    }
    let (companies_path, _) = navigate(&out, &["Companies"]);
    for name in [
        "Brightline Health",
        "Ledgerly",
        "Parcelwise",
        "Tallgrass Analytics",
    ] {
        let (_, html) = follow(&out, &companies_path, name);
        assert_contains(&visible_text(&html), name);
    }
    let (chats_path, chats) = navigate(&out, &["Chats"]);
    for name in [
        "Chat with Kevin Walsh, 2026-10-14",
        "Chat with Marcus Chen, 2026-11-10",
        "Chat with Sam Oduya, 2026-11-19",
        "Chat with Priya Raman, 2026-11-24",
        "Parcelwise office visit with Tomás",
    ] {
        let (_, html) = follow(&out, &chats_path, name);
        assert_contains(&visible_text(&html), name);
    }
    // Grace's chat is only requested and has no date yet.
    assert!(
        anchors(&chats)
            .iter()
            .any(|(_, t)| t.starts_with("Chat with Grace Liu")),
        "{chats}"
    );
    assert!(visible_text(&contacts).contains("Tomás Alvarez"));
}

#[test]
fn plain_note_is_rendered_with_its_image_copied() {
    let (_tmp, vault, out) = example_site();
    let (path, html) = navigate(&out, &["Notes", "Job search plan, winter 2026"]);
    let text = visible_text(&html);
    assert_contains(
        &text,
        "The plan for moving from data analyst to product manager",
    );
    let images: Vec<String> = html
        .split("<img ")
        .skip(1)
        .flat_map(|tag| urls(&format!(" {}", &tag[..tag.find('>').unwrap()])))
        .collect();
    assert_eq!(images.len(), 1, "one image in the note: {images:?}");
    let (file, _) = resolve(Path::new(&path), &images[0]).unwrap();
    let copied = fs::read(out.join(&file))
        .unwrap_or_else(|e| panic!("image {} not in the output: {e}", file.display()));
    assert_eq!(
        copied,
        fs::read(vault.join("notes/images/role-map.png")).unwrap(),
        "the copied image differs from the vault's"
    );
    // A relative Markdown link to a company note becomes a link to its page.
    let (_, company) = follow(&out, &path, "Company research");
    assert_contains(
        &visible_text(&company),
        "Logistics software (shipping platform)",
    );
}

#[test]
fn profile_page_shows_pitch_and_goals() {
    let (_tmp, _vault, out) = example_site();
    let (_, html) = navigate(&out, &["Me"]);
    let text = visible_text(&html);
    assert_contains(&text, "Nadia Castellanos");
    assert_contains(
        &text,
        "Data analyst at Lakeshore Freight, moving into product management",
    );
    assert_contains(
        &text,
        "Build real relationships with product people in Chicago",
    );
}

/// Due items on the same day in the same state are listed by what to do, and only
/// then by where they are written: the note whose file comes first in the vault is not
/// listed first.
#[test]
fn follow_up_log_lists_same_day_items_by_action_then_note() {
    let chat = |who: &str| format!("---\nwith: {who}\ndate: 2026-11-10 10:00\nstatus: done\n---\n");
    let (tmp, vault) = vault(&[
        ("contacts/zed.md", "---\nname: Zed Young\n---\n"),
        ("contacts/amy.md", "---\nname: Amy Ames\n---\n"),
        ("interviews/a-chat.md", &chat("Zed Young")),
        ("interviews/b-chat.md", &chat("Amy Ames")),
    ]);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let text = visible_text(&fs::read_to_string(out.join("followups.html")).unwrap());
    // Each row names its contact once, then what to do.
    let amy = text
        .find("Amy Ames · Send a thank-you")
        .expect("Amy's thank-you");
    let zed = text
        .find("Zed Young · Send a thank-you")
        .expect("Zed's thank-you");
    assert!(amy < zed, "{text}");
}
