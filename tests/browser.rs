//! Checks in a real browser and with real validators:
//! - every briefing prints on exactly one page, on Letter and on A4 (headless chromium
//!   prints to PDF, pdfinfo counts the pages), also for a deliberately overfull chat;
//! - every page of the example site is valid HTML (the Nu HTML Checker, `vnu-jar`);
//! - the main pages have no serious or critical accessibility violations (axe-core);
//! - the search box, opened from disk, finds an alias, a question and a body word first.
//!
//! `.ci/run` installs chromium, poppler-utils and the npm packages in tests/browser/.
//! With `CI=true` a missing tool fails the test; elsewhere the test says loudly that it
//! skipped.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Returns false (after saying so) when `what` is missing outside CI; panics in CI.
fn available(ok: bool, what: &str) -> bool {
    if ok {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what} is missing, and CI=true: .ci/run should have installed it");
    }
    eprintln!("\n*** SKIPPED: {what} is not installed; run .ci/run to install it ***\n");
    false
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

#[test]
fn every_briefing_prints_on_exactly_one_page_on_letter_and_a4() {
    let tools = Path::new(CHROMIUM).exists() && has_command("pdfinfo") && has_command("pdftotext");
    if !available(tools, "chromium or poppler-utils") {
        return;
    }
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
            // What never gives way: the title, the reminders.
            assert_contains(&text, "Reminders");
            assert_contains(&text, "Who else should I talk to");
            assert_not_contains(&text, "made by coffeechat");
        }
    }
}

#[test]
fn the_question_list_prints_without_navigation() {
    let tools = Path::new(CHROMIUM).exists() && has_command("pdftotext");
    if !available(tools, "chromium or poppler-utils") {
        return;
    }
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

#[test]
fn every_page_of_the_example_site_is_valid_html() {
    let jar = browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    if !available(jar.exists() && has_command("java"), "vnu-jar (npm) or java") {
        return;
    }
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

/// Whether chromium, node and the npm packages `packages` (in tests/browser) are there;
/// see [`available`].
fn node_ready(packages: &[&str]) -> bool {
    let ready = Path::new(CHROMIUM).exists()
        && has_command("node")
        && packages
            .iter()
            .all(|p| browser_dir().join("node_modules").join(p).exists());
    available(ready, "chromium, node or the npm packages in tests/browser")
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

#[test]
fn main_pages_have_no_serious_accessibility_violations() {
    if !node_ready(&["axe-core", "playwright-core"]) {
        return;
    }
    let (tmp, vault) = example_vault();
    let out = tmp.path().join("site");
    build_ok(&vault, &out);
    let pages = [
        "index.html",
        "contacts/priya-raman.html",
        "interviews/2026-11-24-priya-raman.html",
        "followups.html",
        "network.html",
    ];
    let (ok, report) = run_node("axe.mjs", &out, &pages);
    assert!(ok, "axe-core found problems:\n{report}");
    // Each page was checked in the light and the dark scheme.
    assert_eq!(report.matches("checked,").count(), 10, "{report}");
}

#[test]
fn pages_from_hostile_notes_load_nothing_from_the_network_and_run_no_script() {
    if !node_ready(&["playwright-core"]) {
        return;
    }
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

#[test]
fn draft_copy_buttons_copy_from_file_urls_with_and_without_the_clipboard_api() {
    if !node_ready(&["playwright-core"]) {
        return;
    }
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

#[test]
fn search_from_disk_finds_an_alias_a_question_and_a_body_word_first() {
    if !node_ready(&["playwright-core"]) {
        return;
    }
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

#[test]
fn no_two_labels_of_the_network_graph_overlap_in_chromium() {
    if !node_ready(&["playwright-core"]) {
        return;
    }
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
