//! `coffeechat check`: every problem at once, human and JSON output, exit codes, and the
//! lint settings in coffeechat.yaml.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

fn check(vault: &Path, extra: &[&str]) -> Output {
    coffeechat()
        .arg("check")
        .arg(vault)
        .args(["--today", TODAY])
        .args(extra)
        .output()
        .unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(&o.stdout)))
}

const CLEAN_CONTACT: &str = "---\nname: Ada Lovelace\nstatus: prospect\n---\nResearch.\n";

#[test]
fn the_example_vault_has_warnings_only_and_check_shows_each_in_place() {
    let (_tmp, vault) = example_vault();
    let o = check(&vault, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    // The over-time warning points at the first question past the cut line, with the
    // line of the file and a caret under it.
    assert_contains(&err, "warning[over-time]");
    assert_contains(&err, "interviews/2026-11-24-priya-raman.md:22:5");
    assert_contains(&err, "22 |   - {ref: regulation, minutes: 4, priority: 3}");
    assert_contains(&err, "warning[thank-you-overdue]");
    assert_contains(&err, "interviews/2026-11-19-sam-oduya.md:3:1");
    // Dana has not answered the outreach of 2026-11-12 (a Thursday) in three business
    // days: the warning points at its date.
    assert_contains(&err, "warning[no-reply]");
    assert_contains(&err, "contacts/dana-whitfield.md:11:11");
    assert_contains(&err, "0 errors, 8 warnings");
    assert!(o.stdout.is_empty(), "human output goes to standard error");
}

#[test]
fn deny_warnings_turns_warnings_into_a_failure() {
    let (_tmp, vault) = example_vault();
    let o = check(&vault, &["--deny-warnings"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_clean_vault_passes_even_with_deny_warnings() {
    let (_tmp, vault) = vault(&[("contacts/ada-lovelace.md", CLEAN_CONTACT)]);
    let o = check(&vault, &["--deny-warnings"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_contains(&stderr(&o), "no problems found");
}

#[test]
fn json_output_follows_the_documented_schema_sorted_by_file_and_line() {
    let (_tmp, vault) = vault(&[
        (
            "contacts/ada-lovelace.md",
            "---\nname: Ada Lovelace\ncompnay: X\n---\n",
        ),
        (
            "interviews/2026-12-01-ada.md",
            "---\nwith: Ada Lovlace\ndate: 2026-12-01\nobjectives: [Learn]\n---\n",
        ),
        ("contacts/bob.md", "---\nname: Bob\nstatus: metx\n---\n"),
    ]);
    let o = check(&vault, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["version"], 1);
    assert_eq!(v["errors"], 2);
    assert_eq!(v["warnings"], 1);
    let items = v["diagnostics"].as_array().unwrap();
    let places: Vec<String> = items
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["rule"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            "contacts/ada-lovelace.md:3:1 unknown-field",
            "contacts/bob.md:3:9 invalid-value",
            "interviews/2026-12-01-ada.md:2:7 unknown-reference",
        ]
    );
    let unknown = &items[0];
    assert_eq!(unknown["severity"], "warning");
    assert_eq!(unknown["end_line"], 3);
    assert_eq!(
        unknown["end_column"], 8,
        "`compnay` is 7 characters from column 1"
    );
    assert_eq!(unknown["hint"], "did you mean `company`?");
    assert_eq!(items[2]["hint"], "did you mean `Ada Lovelace`?");
}

#[test]
fn build_prints_the_same_problems_as_check() {
    let (tmp, vault) = vault(&[
        (
            "contacts/ada-lovelace.md",
            "---\nname: Ada Lovelace\ncompnay: X\n---\n",
        ),
        (
            "contacts/bob.md",
            "---\nname: Bob\nsince: 2026-02-30\n---\n",
        ),
    ]);
    let checked = stderr(&check(&vault, &[]));
    let built = build_fails(&vault, &tmp.path().join("site"));
    for place in ["contacts/ada-lovelace.md:3:1", "contacts/bob.md:3:8"] {
        assert_contains(&checked, place);
        assert_contains(&built, place);
    }
}

#[test]
fn question_rules_catch_closed_job_and_salary_questions() {
    let (_tmp, vault) = vault(&[
        ("contacts/ada-lovelace.md", CLEAN_CONTACT),
        (
            "interviews/2026-12-01-ada.md",
            "---\nwith: Ada Lovelace\ndate: 2026-12-01\nobjectives: [Learn]\nquestions:\n  - Is this role rewarding?\n  - Are you hiring for my team?\n  - What is the salary range?\n  - What do you find most fulfilling?\n---\n",
        ),
    ]);
    let v = json(&check(&vault, &["--format", "json"]));
    let rules: Vec<(String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(rules.contains(&("closed-question".into(), 6)), "{rules:?}");
    assert!(rules.contains(&("closed-question".into(), 7)), "{rules:?}");
    assert!(rules.contains(&("job-question".into(), 7)), "{rules:?}");
    assert!(rules.contains(&("salary-question".into(), 8)), "{rules:?}");
    assert!(
        !rules.iter().any(|(_, line)| *line == 9),
        "the open question is fine: {rules:?}"
    );
}

#[test]
fn lint_settings_turn_rules_off_and_add_phrases() {
    let (_tmp, vault) = vault(&[
        (
            "coffeechat.yaml",
            "lint:\n  off: [closed-question, salery-question]\n  salary_phrases: [\"equity refresh\"]\n",
        ),
        ("contacts/ada-lovelace.md", CLEAN_CONTACT),
        (
            "interviews/2026-12-01-ada.md",
            "---\nwith: Ada Lovelace\ndate: 2026-12-01\nobjectives: [Learn]\nquestions:\n  - Is this role rewarding?\n  - How does the equity refresh work?\n---\n",
        ),
    ]);
    let v = json(&check(&vault, &["--format", "json"]));
    let items = v["diagnostics"].as_array().unwrap();
    let rules: Vec<&str> = items.iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert!(!rules.contains(&"closed-question"), "turned off: {rules:?}");
    let salary = items
        .iter()
        .find(|d| d["rule"] == "salary-question")
        .expect("added phrase");
    assert_eq!(salary["line"], 7);
    let typo = items
        .iter()
        .find(|d| d["file"] == "coffeechat.yaml")
        .expect("the misspelt rule name is reported");
    assert_eq!(typo["hint"], "did you mean `salary-question`?");
}

#[test]
fn introductions_that_go_round_are_warned_once_each_at_their_first_contact() {
    let contact =
        |name: &str, by: &str| format!("---\nname: {name}\nintroduced_by: {by}\n---\nMet.\n");
    let files = [
        ("contacts/ada.md", contact("Ada", "Ada")),
        ("contacts/bea.md", contact("Bea", "Cy")),
        ("contacts/cy.md", contact("Cy", "\"[[Bea]]\"")),
        // Abe comes first in path order but only leads into the loop of Dan, Eve and Fay.
        ("contacts/abe.md", contact("Abe", "Eve")),
        ("contacts/dan.md", contact("Dan", "Eve")),
        ("contacts/eve.md", contact("Eve", "Fay")),
        ("contacts/fay.md", contact("Fay", "Dan")),
        ("contacts/gil.md", contact("Gil", "Ada")),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let (_tmp, vault) = vault(&files);
    let o = check(&vault, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "warnings only: {}", stderr(&o));
    let v = json(&o);
    let loops: Vec<(String, u64, u64, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "introduction-loop")
        .map(|d| {
            assert_eq!(d["severity"], "warning");
            assert!(d["hint"].as_str().unwrap().contains("introduced_by"), "{d}");
            let at = |k: &str| d[k].as_u64().unwrap();
            let text = |k: &str| d[k].as_str().unwrap().to_string();
            (text("file"), at("line"), at("column"), text("message"))
        })
        .collect();
    let expected = [
        (
            "contacts/ada.md",
            "Ada is introduced by Ada, this same contact",
        ),
        (
            "contacts/bea.md",
            "the introductions go round in a circle: Bea was introduced by Cy, Cy by Bea",
        ),
        (
            "contacts/dan.md",
            "the introductions go round in a circle: Dan was introduced by Eve, Eve by Fay, Fay by Dan",
        ),
    ];
    let expected: Vec<(String, u64, u64, String)> = expected
        .iter()
        .map(|(file, message)| (file.to_string(), 3, 16, message.to_string()))
        .collect();
    assert_eq!(loops, expected);
    // The same vault says the same, in the same order.
    assert_eq!(check(&vault, &["--format", "json"]).stdout, o.stdout);
    let human = stderr(&check(&vault, &[]));
    assert_contains(&human, "warning[introduction-loop]");
    assert_contains(&human, "contacts/dan.md:3:16");
}
