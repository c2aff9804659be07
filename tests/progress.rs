//! The Progress page's charts, `coffeechat stats` and the dashboard's weekly rhythm,
//! through the binary: each chart's numbers read back from its SVG's data attributes
//! and compared with the JSON of `stats --format json`, on a vault whose numbers are
//! worked out by hand below.

mod common;

use std::path::Path;

use common::*;

/// Today is Monday 23 Nov 2026. Chats done: Ada on Tue 10 Nov and Wed 11 Nov (two
/// names given in the first, one in the second), Bob on Thu 19 Nov; one to come with
/// Cy. Outreach: Ada (alumni) 2 Nov, Bob (cold) 16 Nov, Cy (cold) 17 Nov, Dee (cold)
/// 18 Nov with no answer. Replies: Ada and Bob met, Cy scheduled; Dee did not.
fn progress_vault() -> (tempfile::TempDir, std::path::PathBuf) {
    let contact = |name: &str, source: &str, outreach: &str| {
        format!(
            "---\nname: {name}\nsource: {source}\nlog:\n  - date: {outreach}\n    type: outreach\n---\n"
        )
    };
    let chat = |with: &str, date: &str, referrals: &str| {
        format!(
            "---\nwith: {with}\ndate: {date}\nthank_you: {date}\nreferrals: [{referrals}]\n---\n## Takeaways\n- One thing\n"
        )
    };
    let files = [
        ("coffeechat.yaml", "weekly_goal: 2\n".to_string()),
        (
            "contacts/ada.md",
            contact("Ada Lovelace", "alumni", "2026-11-02"),
        ),
        (
            "contacts/bob.md",
            contact("Bob Byron", "cold", "2026-11-16"),
        ),
        ("contacts/cy.md", contact("Cy Young", "cold", "2026-11-17")),
        ("contacts/dee.md", contact("Dee Dee", "cold", "2026-11-18")),
        (
            "interviews/2026-11-10-ada.md",
            chat("Ada Lovelace", "2026-11-10", "Wei Zhang, Ann Lee"),
        ),
        (
            "interviews/2026-11-11-ada.md",
            chat("Ada Lovelace", "2026-11-11", "Bob Byron"),
        ),
        (
            "interviews/2026-11-19-bob.md",
            chat("Bob Byron", "2026-11-19", ""),
        ),
        (
            "interviews/2026-11-30-cy.md",
            chat("Cy Young", "2026-11-30", ""),
        ),
    ];
    let owned: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    vault(&owned)
}

fn stats_json(vault: &Path) -> serde_json::Value {
    json_of("stats", vault)
}

/// The values of `attr` on the elements of chart `id` that have it, in order.
fn data(html: &str, id: &str, attr: &str) -> Vec<String> {
    let start = html
        .find(&format!("id=\"chart-{id}\""))
        .expect("the chart is there");
    let svg = &html[start..start + html[start..].find("</svg>").unwrap()];
    let key = format!(" {attr}=\"");
    svg.match_indices(&key)
        .map(|(at, _)| {
            let rest = &svg[at + key.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn each_charts_numbers_are_the_ones_worked_out_by_hand_and_stats_prints_them() {
    let (tmp, vault) = progress_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let html = page(&out, "progress.html");
    let json = stats_json(&vault);

    // Chats a week: the last of 12 weeks is this one; the week of 9 Nov had two chats
    // and met the goal of 2, the week of 16 Nov one.
    let weeks = data(&html, "weekly", "data-week");
    let chats = data(&html, "weekly", "data-chats");
    let outreach = data(&html, "weekly", "data-outreach");
    assert_eq!(weeks.len(), 12);
    assert_eq!(weeks[9..], ["2026-11-09", "2026-11-16", "2026-11-23"]);
    assert_eq!(chats[9..], ["2", "1", "0"]);
    assert_eq!(outreach[8..], ["1", "0", "3", "0"]);
    assert_eq!(data(&html, "weekly", "data-goal"), ["2"]);
    let json_weeks = json["weeks"].as_array().unwrap();
    for (i, w) in json_weeks.iter().enumerate() {
        assert_eq!(w["week"], weeks[i].as_str());
        assert_eq!(w["chats"].to_string(), chats[i]);
    }
    // This week is short of the goal so far; the streak counts back from last week,
    // which missed it too.
    assert_eq!(json["streak"], 0);

    // The funnel: all four reached out; Ada, Bob and Cy replied (met or agreed); Ada
    // and Bob met; Ada gave names.
    assert_eq!(data(&html, "funnel", "data-count"), ["4", "3", "2", "1"]);
    assert_eq!(
        json["funnel"],
        serde_json::json!({"reached_out": 4, "replied": 3, "met": 2, "referred": 1})
    );

    // Reply rate: alumni 1 of 1; cold 2 of 3 (67%).
    assert_eq!(data(&html, "reply-rate", "data-source"), ["alumni", "cold"]);
    assert_eq!(data(&html, "reply-rate", "data-reached"), ["1", "3"]);
    assert_eq!(data(&html, "reply-rate", "data-replied"), ["1", "2"]);
    assert_eq!(data(&html, "reply-rate", "data-rate"), ["100", "67"]);
    assert_eq!(json["reply_rate"][1]["rate"], 67);

    // Names per chat: three done chats gave 2, 1 and 0 names: 1.00 a chat.
    assert_eq!(data(&html, "referrals", "data-chats"), ["1", "1", "1", "0"]);
    assert_eq!(data(&html, "referrals", "data-average"), ["1.00"]);
    assert_eq!(
        json["referrals_per_chat"]["histogram"],
        serde_json::json!([1, 1, 1, 0])
    );

    // Days from outreach to chat: Ada 2 → 10 Nov (8 days), Bob 16 → 19 Nov (3): median 5.5.
    assert_eq!(data(&html, "days", "data-days"), ["8", "3"]);
    assert_eq!(data(&html, "days", "data-median"), ["5.5"]);
    assert_eq!(json["outreach_to_chat"]["median"], "5.5");

    // Each chart has a title and a table of its numbers beside it.
    for id in ["weekly", "funnel", "reply-rate", "referrals", "days"] {
        assert_contains(&html, &format!("<title id=\"chart-{id}-title\">"));
        assert_contains(
            &html,
            &format!("<table class=\"chart-table\" id=\"table-{id}\">"),
        );
    }
    let table = visible_text(html_between(&html, "id=\"table-reply-rate\"", "</table>"));
    assert_contains(&table, "cold 3 2 67%");
    // Nothing is loaded from anywhere: the charts are in the page, and the one script
    // is the theme's search box.
    assert_loads_only_the_search_script(&html);

    // The same figures for people.
    let o = coffeechat()
        .arg("stats")
        .arg(&vault)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert_contains(
        &text,
        "Funnel: 4 reached out, 3 replied, 2 met, 1 referred you on",
    );
    assert_contains(&text, "cold               2 of   3 (67%)");
    assert_contains(&text, "Median days from outreach to chat: 5.5 (2 contacts)");
}

#[test]
fn the_dashboard_shows_this_weeks_rhythm_and_the_streak() {
    let (tmp, vault) = progress_vault();
    let out = tmp.path().join("site");
    // A goal of one chat a week: 9 Nov and 16 Nov met it, this week not yet.
    write(&vault, "coffeechat.yaml", b"weekly_goal: 1\n");
    build_ok(&vault, &out);
    let rhythm = section(&page(&out, "index.html"), "This week");
    assert_contains(&rhythm, "0 of 1 chats");
    assert_contains(&rhythm, "0 outreach");
    assert_contains(&rhythm, "streak: 2 weeks in a row at the goal");
    assert_eq!(stats_json(&vault)["streak"], 2);
    // A chat done today (Monday) meets this week's goal: the streak is three.
    let today = "---\nwith: Dee Dee\ndate: 2026-11-23 08:00\nstatus: done\n---\n";
    write(&vault, "interviews/2026-11-23-dee.md", today.as_bytes());
    build_ok(&vault, &out);
    let rhythm = section(&page(&out, "index.html"), "This week");
    assert_contains(&rhythm, "1 of 1 chats: goal met");
    assert_contains(&rhythm, "streak: 3 weeks");
}
