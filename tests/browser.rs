//! Checks in a real browser and with real validators:
//! - every briefing prints on exactly one page, on Letter and on A4 (headless chromium
//!   prints to PDF, pdfinfo counts the pages), with the chat's prep on it (pdftotext),
//!   also for a deliberately overfull chat;
//! - every page of the example site is valid HTML (the Nu HTML Checker, `vnu-jar`);
//! - the main pages have no serious or critical accessibility violations (axe-core);
//! - no page of the example site or of a generated 1,000-note vault scrolls sideways
//!   at a phone's width (390 px), and the navigation's tap targets are 44 px tall.
//! - the search box, opened from disk, finds an alias, a question and a body word first.
//! - a draft's copy button copies, from disk, with and without the clipboard API;
//! - no two labels of the network graph of 1,000 contacts overlap.
//!
//! `.ci/run` installs chromium, poppler-utils and the npm packages in tests/browser/.
//! This file has its own test runner (libtest-mimic) so that a test whose tools are
//! missing is reported as ignored, counted in the summary ("N ignored") with the reason
//! printed; with `CI=true` it runs and fails instead.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use libtest_mimic::{Arguments, Trial};

const CHROMIUM: &str = "/usr/bin/chromium";

/// What a test needs from the machine.
#[derive(Clone, Copy, PartialEq)]
enum Needs {
    /// chromium and poppler-utils (pdfinfo, pdftotext).
    Printing,
    /// Java and the Nu HTML Checker (npm).
    Validator,
    /// chromium, node and playwright-core (and axe-core) from npm.
    Node,
}

impl Needs {
    /// `None` when it is all there, else what is missing.
    fn missing(self) -> Option<&'static str> {
        let ok = match self {
            Needs::Printing => {
                Path::new(CHROMIUM).exists() && has_command("pdfinfo") && has_command("pdftotext")
            }
            Needs::Validator => vnu_jar().exists() && has_command("java"),
            Needs::Node => {
                Path::new(CHROMIUM).exists()
                    && has_command("node")
                    && ["axe-core", "playwright-core"]
                        .iter()
                        .all(|p| browser_dir().join("node_modules").join(p).exists())
            }
        };
        (!ok).then_some(match self {
            Needs::Printing => "chromium or poppler-utils",
            Needs::Validator => "vnu-jar (npm) or java",
            Needs::Node => "chromium, node or the npm packages in tests/browser",
        })
    }
}

fn main() {
    let args = Arguments::from_args();
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let tests: [(&str, Needs, fn()); 11] = [
        (
            "draft_copy_buttons_copy_from_file_urls_with_and_without_the_clipboard_api",
            Needs::Node,
            draft_copy_buttons_copy_from_file_urls_with_and_without_the_clipboard_api,
        ),
        (
            "search_from_disk_finds_an_alias_a_question_and_a_body_word_first",
            Needs::Node,
            search_from_disk_finds_an_alias_a_question_and_a_body_word_first,
        ),
        (
            "no_two_labels_of_the_network_graph_overlap_in_chromium",
            Needs::Node,
            no_two_labels_of_the_network_graph_overlap_in_chromium,
        ),
        (
            "the_indexes_sort_and_filter_from_disk",
            Needs::Node,
            the_indexes_sort_and_filter_from_disk,
        ),
        (
            "every_briefing_prints_on_exactly_one_page_on_letter_and_a4",
            Needs::Printing,
            every_briefing_prints_on_exactly_one_page_on_letter_and_a4,
        ),
        (
            "the_question_list_prints_without_navigation",
            Needs::Printing,
            the_question_list_prints_without_navigation,
        ),
        (
            "every_page_of_the_example_site_is_valid_html",
            Needs::Validator,
            every_page_of_the_example_site_is_valid_html,
        ),
        (
            "main_pages_have_no_serious_accessibility_violations",
            Needs::Node,
            main_pages_have_no_serious_accessibility_violations,
        ),
        (
            "pages_from_hostile_notes_load_nothing_from_the_network_and_run_no_script",
            Needs::Node,
            pages_from_hostile_notes_load_nothing_from_the_network_and_run_no_script,
        ),
        (
            "no_page_of_the_example_site_scrolls_sideways_on_a_phone",
            Needs::Node,
            no_page_of_the_example_site_scrolls_sideways_on_a_phone,
        ),
        (
            "no_page_of_a_generated_1000_note_vault_scrolls_sideways_on_a_phone",
            Needs::Node,
            no_page_of_a_generated_1000_note_vault_scrolls_sideways_on_a_phone,
        ),
    ];
    let trials = tests.into_iter().map(|(name, needs, test)| {
        let missing = needs.missing().filter(|_| !in_ci);
        if let Some(what) = missing {
            eprintln!("ignored {name}: {what} is not installed; run .ci/run to install it");
        }
        Trial::test(name, move || {
            if let Some(what) = needs.missing() {
                panic!("{what} is missing: .ci/run installs it");
            }
            test();
            Ok(())
        })
        .with_ignored_flag(missing.is_some())
    });
    libtest_mimic::run(&args, trials.collect()).exit();
}

fn vnu_jar() -> PathBuf {
    browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar")
}

fn has_command(name: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Prints `page` to a PDF with headless chromium and returns the PDF's path.
fn print_to_pdf(page: &Path, pdf: &Path, profile: &Path) {
    let status = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        status.status.success(),
        "chromium failed on {}",
        page.display()
    );
}

/// `(pages, page size line)` from pdfinfo.
fn pdf_info(pdf: &Path) -> (u32, String) {
    let out = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .map(|l| l[name.len()..].trim().to_string())
            .unwrap_or_default()
    };
    (field("Pages:").parse().unwrap_or(0), field("Page size:"))
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// A chat that cannot fit: twelve long questions in an hour, long objectives, a long
/// research paragraph and long notes.
fn add_stress_chat(vault: &Path) {
    let long = "She led the platform migration across four regions and wrote about the \
                trade-offs of moving analytics in-house, the hiring plan that followed, \
                and what she would change about the team's planning rituals. "
        .repeat(6);
    write(
        vault,
        "contacts/stress-person.md",
        format!("---\nname: Stress Person\ntitle: Director of Everything\ncompany: Ledgerly\nsince: 2015\nsource: event\nstatus: scheduled\n---\n{long}\n\n## More\n\n{long}\n")
            .as_bytes(),
    );
    let mut fm = String::from(
        "---\nwith: Stress Person\ndate: 2026-11-26 09:00\nduration: 1h\nformat: office\nstatus: scheduled\nwhere: A very long address, Floor 12, Suite 1200, 1 Long Street, Chicago\nobjectives:\n",
    );
    for i in 1..=6 {
        fm.push_str(&format!(
            "  - \"Objective {i}: understand in detail how the team decides what to build next and how that has changed since the reorganisation last spring\"\n"
        ));
    }
    fm.push_str("questions:\n");
    for i in 1..=12 {
        fm.push_str(&format!(
            "  - {{ask: \"Question {i}: how did the way your team measures success change over the last two years, and what would you keep?\", minutes: 6}}\n"
        ));
    }
    fm.push_str("---\n## Prep\n\n");
    fm.push_str(&long);
    write(
        vault,
        "interviews/2026-11-26-stress-person.md",
        fm.as_bytes(),
    );
}

fn set_paper(vault: &Path, paper: &str) {
    let path = vault.join("coffeechat.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("paper:") {
                format!("paper: {paper}")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&path, text.join("\n") + "\n").unwrap();
}

fn briefings(out: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(out.join("interviews"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".html") && !name.ends_with(".questions.html")
        })
        .collect();
    pages.sort();
    pages
}

fn every_briefing_prints_on_exactly_one_page_on_letter_and_a4() {
    for (paper, size) in [("letter", "(letter)"), ("a4", "(A4)")] {
        let (tmp, vault) = example_vault();
        set_paper(&vault, paper);
        add_stress_chat(&vault);
        let out = tmp.path().join("site");
        build_ok(&vault, &out);
        let stress = page(&out, "interviews/2026-11-26-stress-person.html");
        assert_contains(&stress, "Shortened to fit one page");
        let pages = briefings(&out);
        assert_eq!(pages.len(), 7, "six example chats and the stress chat");
        for briefing in pages {
            let pdf = tmp.path().join("briefing.pdf");
            print_to_pdf(&briefing, &pdf, &tmp.path().join("chromium-profile"));
            let (count, page_size) = pdf_info(&pdf);
            let name = briefing.file_name().unwrap().to_string_lossy().to_string();
            assert_eq!(count, 1, "{name} on {paper} printed on {count} pages");
            assert!(
                page_size.contains(size),
                "{name}: page size {page_size} is not {paper}"
            );
            let text = pdf_text(&pdf);
            assert_prep_printed(&vault, &name, &text);
            // What never gives way: the title, the reminders.
            assert_contains(&text, "Reminders");
            assert_contains(&text, "Who else should I talk to");
            assert_not_contains(&text, "made by coffeechat");
        }
    }
}

fn the_question_list_prints_without_navigation() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let list = out.join("interviews/2026-11-24-priya-raman.questions.html");
    let pdf = tmp.path().join("questions.pdf");
    print_to_pdf(&list, &pdf, &tmp.path().join("chromium-profile"));
    let (count, _) = pdf_info(&pdf);
    assert_eq!(count, 1, "the question list took {count} pages");
    let text = pdf_text(&pdf);
    assert_contains(&text, "Questions for Priya Raman");
    assert_contains(&text, "How did you get to where you are today");
    for nav in ["Companies", "Follow-ups", "made by coffeechat"] {
        assert_not_contains(&text, nav);
    }
}

fn every_page_of_the_example_site_is_valid_html() {
    let jar = vnu_jar();
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let result = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "text"])
        .arg(&out)
        .output()
        .expect("java runs");
    let report = String::from_utf8_lossy(&result.stderr).to_string()
        + &String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "the Nu HTML Checker found errors:\n{report}"
    );
    assert!(html_files(&out).len() > 30, "the site was checked whole");
}

/// Runs the node script `script` of tests/browser on the pages `pages` of the site in
/// `out`: whether it succeeded, and what it printed.
fn run_node(script: &str, out: &Path, pages: &[&str]) -> (bool, String) {
    let result = Command::new("node")
        .arg(browser_dir().join(script))
        .arg(out)
        .args(pages)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&result.stdout).to_string()
        + &String::from_utf8_lossy(&result.stderr);
    (result.status.success(), report)
}

fn main_pages_have_no_serious_accessibility_violations() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let pages = [
        "index.html",
        "contacts.html",
        "interviews.html",
        "contacts/priya-raman.html",
        "companies/parcelwise.html",
        "interviews/2026-11-24-priya-raman.html",
        "interviews/2026-11-24-priya-raman.questions.html",
        "interviews/2026-11-19-sam-oduya.html",
        "followups.html",
        "network.html",
        "progress.html",
        "a-z.html",
        "not-contacted.html",
        "contacts/lena-novak.html",
    ];
    let (ok, report) = run_node("axe.mjs", &out, &pages);
    assert!(ok, "axe-core found problems:\n{report}");
    // Each page was checked in the light and the dark scheme.
    assert_eq!(
        report.matches("checked,").count(),
        2 * pages.len(),
        "{report}"
    );
}

fn pages_from_hostile_notes_load_nothing_from_the_network_and_run_no_script() {
    let tmp = tempfile::TempDir::new().unwrap();
    let vault = tmp.path().join("vault");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile-bodies"),
        &vault,
    );
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let pages = ["contacts/clip.html", "interviews/2026-12-09-clip.html"];
    let (ok, report) = run_node("requests.mjs", &out, &pages);
    assert!(ok, "the pages reached out or ran a script:\n{report}");
    assert_eq!(report.matches(": opened").count(), 2, "{report}");
}

/// Each line of the chat's prep as written (its `## Prep` section, up to `## Notes` or
/// `## Takeaways`), read here on its own, is in the printed text; or the sheet says the
/// prep continues on screen. Spaces are left out of both: pdftotext breaks lines.
fn assert_prep_printed(vault: &Path, page: &str, printed: &str) {
    let note = vault.join("interviews").join(page.replace(".html", ".md"));
    let text = std::fs::read_to_string(&note).unwrap();
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let printed = squeeze(printed);
    if printed.contains("continuedonscreen") {
        return;
    }
    let Some((_, prep)) = text.split_once("## Prep\n") else {
        return;
    };
    let prep = prep.split("\n## ").next().unwrap_or_default();
    let mut lines = 0;
    for line in prep.split("\n- ").map(|l| l.trim_start_matches("- ")) {
        // A link prints its label: `[[Ruth Adebayo|Professor Adebayo]]` as the latter.
        let line = line
            .split("[[")
            .map(|part| match part.split_once("]]") {
                Some((link, rest)) => {
                    let label = link.rsplit_once('|').map_or(link, |(_, label)| label);
                    format!("{label}{rest}")
                }
                None => part.to_string(),
            })
            .collect::<String>();
        let line = squeeze(&line);
        if line.is_empty() {
            continue;
        }
        lines += 1;
        assert!(
            printed.contains(&line),
            "{page}: the prep line `{line}` is not printed:\n{printed}"
        );
    }
    assert!(lines > 0, "{page} has prep to look for");
}

/// Runs widths.mjs on every page of the site in `out`.
fn assert_fits_a_phone(out: &Path) {
    let pages: Vec<String> = html_files(out)
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
    let (ok, report) = run_node("widths.mjs", out, &refs);
    assert!(
        ok,
        "pages too wide for a phone, or tap targets too small:\n{report}"
    );
    assert_eq!(report.matches(": checked").count(), pages.len(), "{report}");
}

fn no_page_of_the_example_site_scrolls_sideways_on_a_phone() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    assert_fits_a_phone(&out);
}

fn no_page_of_a_generated_1000_note_vault_scrolls_sideways_on_a_phone() {
    // `cargo test` builds the examples next to the test binaries' folder.
    let exe = std::env::current_exe().unwrap();
    let gen_vault = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/gen_vault");
    assert!(
        gen_vault.exists(),
        "{} is missing: run `cargo test`, which builds it",
        gen_vault.display()
    );
    let tmp = tempfile::TempDir::new().unwrap();
    let vault = tmp.path().join("vault");
    let made = Command::new(&gen_vault)
        .arg("1000")
        .arg(&vault)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    assert_fits_a_phone(&out);
}

/// The names of the rows `indexes.mjs` saw for `key` on `index`.
fn names(seen: &serde_json::Value, index: &str, key: &str) -> Vec<String> {
    let rows = seen[index][key]
        .as_array()
        .unwrap_or_else(|| panic!("no `{key}` on {index}: {seen}"));
    rows.iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

fn the_indexes_sort_and_filter_from_disk() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let result = Command::new("node")
        .arg(browser_dir().join("indexes.mjs"))
        .arg(&out)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&result.stdout).to_string();
    assert!(
        result.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let seen: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(
        seen["contacts"]["shown"], true,
        "the controls appear once the script ran"
    );
    let by_name = names(&seen, "contacts", "name:asc");
    assert_eq!(by_name.first().map(String::as_str), Some("Dana Whitfield"));
    assert_eq!(by_name.last().map(String::as_str), Some("Tomás Alvarez"));
    // Reaching out to Lena, whom Jonah introduced (due 2026-10-27), is the oldest thing
    // due, then Elena's stay-in-touch (2026-11-03), then Ruth's action (2026-11-16).
    let by_next = names(&seen, "contacts", "next:asc");
    assert_eq!(by_next[..3], ["Lena Novak", "Elena Park", "Ruth Adebayo"]);
    // Last touch, newest first; those never touched last.
    let lasts: Vec<&str> = seen["contacts"]["last:desc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["last"].as_str().unwrap_or(""))
        .collect();
    let touched: Vec<&str> = lasts
        .iter()
        .copied()
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(touched.windows(2).all(|w| w[0] >= w[1]), "{lasts:?}");
    assert!(
        lasts[touched.len()..].iter().all(|l| l.is_empty()),
        "{lasts:?}"
    );
    assert_eq!(
        names(&seen, "contacts", "stage=met"),
        ["Marcus Chen", "Sam Oduya"]
    );
    assert_eq!(
        names(&seen, "contacts", "tags=illinois-alum"),
        ["Lena Novak", "Priya Raman"]
    );
    let oldest_first = names(&seen, "interviews", "date:asc");
    assert_eq!(oldest_first[0], "Chat with Kevin Walsh, 2026-10-14");
    // A chat without a date (requested) comes last either way.
    assert_eq!(
        oldest_first.last().map(String::as_str),
        Some("Chat with Grace Liu")
    );
    assert_eq!(
        names(&seen, "interviews", "status=done"),
        [
            "Chat with Sam Oduya, 2026-11-19",
            "Chat with Marcus Chen, 2026-11-10"
        ]
    );
}

fn draft_copy_buttons_copy_from_file_urls_with_and_without_the_clipboard_api() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    // A thank-you on a contact's page and on its chat's, an outreach request.
    let pages = [
        "contacts/sam-oduya.html",
        "interviews/2026-11-19-sam-oduya.html",
        "contacts/lena-novak.html",
    ];
    let (ok, report) = run_node("copy.mjs", &out, &pages);
    assert!(ok, "a copy button did not copy:\n{report}");
    assert_eq!(report.matches(": copied").count(), 6, "{report}");
}

fn search_from_disk_finds_an_alias_a_question_and_a_body_word_first() {
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    // Elena Park's alias; a word only in a question of the industry-trends bank; a
    // word only in the job-search plan's text. Enter then opens the last one's page.
    let args = [
        "contacts/priya-raman.html",
        "Ellie",
        "contacts/elena-park.html",
        "sources",
        "questions/industry-trends.html",
        "Sunday",
        "notes/job-search-plan.html",
    ];
    let (ok, report) = run_node("search.mjs", &out, &args);
    assert!(ok, "the search did not find them first:\n{report}");
    assert_eq!(report.matches(": first ").count(), 3, "{report}");
    assert!(
        report.contains("enter: opened notes/job-search-plan.html"),
        "{report}"
    );
}

fn no_two_labels_of_the_network_graph_overlap_in_chromium() {
    let tmp = tempfile::TempDir::new().unwrap();
    let vault = tmp.path().join("vault");
    network_vault(&vault, 1000);
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let (ok, report) = run_node("network.mjs", &out, &["network.html"]);
    assert!(
        ok,
        "the graph's labels overlap, or the page failed:\n{report}"
    );
    assert_contains(&report, "network.html: 0 of 1");
}
