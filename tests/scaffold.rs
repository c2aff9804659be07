//! `coffeechat init` and `coffeechat new`, through the binary: a vault from nothing to a
//! built site, notes from templates, references checked, and files never overwritten.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;
use tempfile::TempDir;

fn run(cwd: &Path, args: &[&str]) -> Output {
    coffeechat()
        .current_dir(cwd)
        .args(args)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs and insists on exit code `code`, returning (stdout, stderr).
fn expect(cwd: &Path, args: &[&str], code: i32) -> (String, String) {
    let o = run(cwd, args);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(
        o.status.code(),
        Some(code),
        "`coffeechat {}` exited {:?}\nstdout:\n{out}\nstderr:\n{err}",
        args.join(" "),
        o.status.code()
    );
    (out, err)
}

/// `check --deny-warnings` passes as of [`TODAY`]: no errors and no warnings.
fn assert_clean(vault: &Path) {
    let o = coffeechat()
        .arg("check")
        .arg(vault)
        .arg("--deny-warnings")
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "check found:\n{}", stderr(&o));
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn init_then_new_then_build_works_end_to_end() {
    let tmp = TempDir::new().unwrap();
    let (out, _) = expect(tmp.path(), &["init", "vault"], 0);
    let vault = tmp.path().join("vault");
    let created = [
        "coffeechat.yaml",
        ".gitignore",
        "me.md",
        "companies/northwind-analytics.md",
        "contacts/alex-rivera.md",
        "questions/career-path.md",
    ];
    for rel in created {
        assert!(vault.join(rel).is_file(), "init did not create {rel}");
        assert_contains(&out, rel);
    }
    let chats: Vec<_> = fs::read_dir(vault.join("interviews")).unwrap().collect();
    assert_eq!(chats.len(), 1, "one example chat");
    // It says what to run next.
    assert_contains(&out, "cd vault");
    assert_contains(&out, "coffeechat new contact");
    assert_contains(&out, "coffeechat build");
    // The output folder is ignored by git.
    assert!(
        read(&vault.join(".gitignore"))
            .lines()
            .any(|l| l == "/public/")
    );
    assert_clean(&vault);

    let v = vault.to_str().unwrap();
    let (out, _) = expect(
        tmp.path(),
        &[
            "new",
            "company",
            "Analytical Engines",
            "--industry",
            "Computing",
            "--vault",
            v,
        ],
        0,
    );
    assert_eq!(
        out.trim(),
        vault
            .join("companies/analytical-engines.md")
            .display()
            .to_string()
    );
    let (out, _) = expect(
        tmp.path(),
        &[
            "new",
            "contact",
            "Ada Lovelace",
            "--company",
            "analytical engines",
            "--title",
            "Head of Research",
            "--introduced-by",
            "Alex Rivera",
            "--vault",
            v,
        ],
        0,
    );
    assert_eq!(
        out.trim(),
        vault.join("contacts/ada-lovelace.md").display().to_string()
    );
    // Interviews are named DATE-slug.md; running inside the vault prints a relative path.
    let (out, _) = expect(
        &vault,
        &[
            "new",
            "interview",
            "Ada Lovelace",
            "--date",
            "2026-12-01 10:00",
            "--where",
            "Café Royal, 68 Regent St",
            "--format",
            "coffee",
            "--duration",
            "45m",
        ],
        0,
    );
    assert_eq!(out.trim(), "interviews/2026-12-01-ada-lovelace.md");
    let (out, _) = expect(&vault, &["new", "questions", "Day to day"], 0);
    assert_eq!(out.trim(), "questions/day-to-day.md");
    // A chat without a date is a requested one, named after the contact.
    let (out, _) = expect(&vault, &["new", "interview", "--with", "alex-rivera"], 0);
    assert_eq!(out.trim(), "interviews/alex-rivera.md");
    assert_contains(
        &read(&vault.join("interviews/alex-rivera.md")),
        "status: requested",
    );
    assert_clean(&vault);

    let site = tmp.path().join("site");
    build_ok(&vault, &site);
    let briefing = visible_text(&page(&site, "interviews/2026-12-01-ada-lovelace.html"));
    assert_contains(&briefing, "Ada Lovelace");
    assert_contains(&briefing, "Café Royal, 68 Regent St");
    assert_contains(&briefing, "Head of Research");
    assert_contains(&briefing, "Analytical Engines");
    assert_contains(&briefing, "45 min");
    let contact = page(&site, "contacts/ada-lovelace.html");
    assert_links_to(
        &contact,
        "contacts/ada-lovelace.html",
        "Analytical Engines",
        "companies/analytical-engines.html",
    );
    assert_links_to(
        &contact,
        "contacts/ada-lovelace.html",
        "Alex Rivera",
        "contacts/alex-rivera.html",
    );
    let bank = visible_text(&page(&site, "questions/day-to-day.html"));
    assert_contains(&bank, "Day to day");
    // The example chat made by init is on the dashboard and in the calendar.
    let dashboard = visible_text(&page(&site, "index.html"));
    assert_contains(&dashboard, "Alex Rivera");
    let ics = page(&site, "calendar.ics");
    assert_contains(&ics, "UID:interview-2026-12-01-ada-lovelace@coffeechat");
    let (checked, broken) = broken_links(&site);
    assert!(checked > 50, "only {checked} links checked");
    assert!(
        broken.is_empty(),
        "broken links in a new vault's site: {broken:#?}"
    );
}

#[test]
fn init_makes_the_current_folder_a_vault() {
    let tmp = TempDir::new().unwrap();
    let (out, _) = expect(tmp.path(), &["init"], 0);
    assert!(tmp.path().join("me.md").is_file());
    assert!(!out.contains("cd "), "no folder to change into:\n{out}");
    assert_clean(tmp.path());
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let vault = tmp.path().join("vault");
    write(
        &vault,
        "me.md",
        b"---\nname: Me, already\n---\nMy own pitch.\n",
    );
    write(&vault, "notes/keep.md", b"# mine\n");
    let before = snapshot(&vault, &[]);
    let (_, err) = expect(tmp.path(), &["init", "vault"], 1);
    assert_contains(&err, "me.md");
    assert_contains(&err, "already exists");
    assert_contains(&err, "nothing was written");
    assert_eq!(snapshot(&vault, &[]), before, "init changed the folder");

    // A second init over a first one refuses too, naming every file.
    let tmp = TempDir::new().unwrap();
    expect(tmp.path(), &["init", "v"], 0);
    let before = snapshot(&tmp.path().join("v"), &[]);
    let (_, err) = expect(tmp.path(), &["init", "v"], 1);
    assert_contains(&err, "coffeechat.yaml");
    assert_contains(&err, ".gitignore");
    assert_eq!(snapshot(&tmp.path().join("v"), &[]), before);
}

#[test]
fn init_refuses_a_file_as_its_folder() {
    let tmp = TempDir::new().unwrap();
    fs::write(tmp.path().join("notes.txt"), "x").unwrap();
    let (_, err) = expect(tmp.path(), &["init", "notes.txt"], 1);
    assert_contains(&err, "not a folder");
}

/// A vault with one company and one contact, made through the binary.
fn small_vault() -> (TempDir, PathBuf) {
    let (tmp, vault) = vault(&[
        (
            "companies/analytical-engines.md",
            "---\nname: Analytical Engines\n---\n",
        ),
        (
            "contacts/ada-lovelace.md",
            "---\nname: Ada Lovelace\ncompany: Analytical Engines\n---\nMy own notes.\n",
        ),
    ]);
    (tmp, vault)
}

#[test]
fn new_never_overwrites() {
    let (_tmp, vault) = small_vault();
    let before = snapshot(&vault, &[]);
    // By file name, by display name in any case, by slug.
    for name in ["Ada Lovelace", "ada lovelace", "ada-lovelace"] {
        let (out, err) = expect(&vault, &["new", "contact", name], 1);
        assert_eq!(out, "", "nothing printed on stdout when refused");
        assert_contains(&err, "already has a contact called");
        assert_contains(&err, "contacts/ada-lovelace.md");
    }
    let (_, err) = expect(&vault, &["new", "company", "Analytical Engines"], 1);
    assert_contains(&err, "companies/analytical-engines.md");
    assert_eq!(snapshot(&vault, &[]), before);

    expect(
        &vault,
        &["new", "interview", "Ada Lovelace", "--date", "2026-12-01"],
        0,
    );
    let chat = vault.join("interviews/2026-12-01-ada-lovelace.md");
    fs::write(
        &chat,
        "---\nwith: Ada Lovelace\ndate: 2026-12-01\nobjectives: [mine]\n---\n",
    )
    .unwrap();
    let before = snapshot(&vault, &[]);
    let (_, err) = expect(
        &vault,
        &[
            "new",
            "interview",
            "Ada Lovelace",
            "--date",
            "2026-12-01T15:00",
        ],
        1,
    );
    assert_contains(&err, "interviews/2026-12-01-ada-lovelace.md already exists");
    assert_eq!(snapshot(&vault, &[]), before, "the edited chat was touched");

    // A file in the way that is not a note of that kind is not replaced either.
    write(
        &vault,
        "questions/day-to-day.md",
        b"scribbles, not a bank\n",
    );
    let (_, err) = expect(&vault, &["new", "questions", "Day to day"], 1);
    assert_contains(&err, "day-to-day.md");
    assert_eq!(
        read(&vault.join("questions/day-to-day.md")),
        "scribbles, not a bank\n"
    );

    // A bank is called one in the refusal, as the front matter's `questions` is not.
    expect(&vault, &["new", "questions", "Product sense"], 0);
    let (_, err) = expect(&vault, &["new", "questions", "Product sense"], 1);
    assert_contains(
        &err,
        "the vault already has a question bank called `Product sense`",
    );
}

/// The command a refusal suggests does what it says when pasted into a shell, even for
/// a name a shell would otherwise expand.
#[test]
fn a_suggested_command_works_when_pasted() {
    let (_tmp, vault) = small_vault();
    let name = "Bob $HOME `date` O'Brien!";
    let (_, err) = expect(&vault, &["new", "interview", name], 1);
    let line = err
        .lines()
        .find_map(|l| l.strip_prefix("help: to add it: "));
    let command = line.unwrap_or_else(|| panic!("no command suggested:\n{err}"));
    assert!(command.starts_with("coffeechat new contact "), "{command}");
    let bin = assert_cmd::cargo::cargo_bin("coffeechat");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let pasted = std::process::Command::new("sh")
        .args(["-c", command])
        .current_dir(&vault)
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(pasted.status.success(), "{command}: {}", stderr(&pasted));
    let made = read(&vault.join(String::from_utf8_lossy(&pasted.stdout).trim()));
    assert_contains(&made, "name: \"Bob $HOME `date` O'Brien!\"");
}

#[test]
fn references_are_checked_with_suggestions() {
    let (_tmp, vault) = small_vault();
    let before = snapshot(&vault, &[]);
    let (out, err) = expect(
        &vault,
        &[
            "new",
            "interview",
            "--with",
            "Ada Lovlace",
            "--date",
            "2026-12-01",
        ],
        1,
    );
    assert_eq!(out, "");
    assert_contains(&err, "--with: no contact is called `Ada Lovlace`");
    assert_contains(&err, "did you mean `Ada Lovelace`?");
    let (_, err) = expect(&vault, &["new", "interview", "Grace Hopper"], 1);
    assert_contains(&err, "no contact is called `Grace Hopper`");
    assert_contains(&err, "coffeechat new contact \"Grace Hopper\"");
    let (_, err) = expect(
        &vault,
        &[
            "new",
            "contact",
            "Charles Babbage",
            "--company",
            "Analytical Engine",
        ],
        1,
    );
    assert_contains(&err, "--company: no company is called `Analytical Engine`");
    assert_contains(&err, "did you mean `Analytical Engines`?");
    let (_, err) = expect(
        &vault,
        &[
            "new",
            "contact",
            "Charles Babbage",
            "--company",
            "Ada Lovelace",
        ],
        1,
    );
    assert_contains(&err, "is a contact note, but a company is expected");
    let (_, err) = expect(
        &vault,
        &[
            "new",
            "contact",
            "Charles Babbage",
            "--introduced-by",
            "Nobody Known",
        ],
        1,
    );
    assert_contains(&err, "--introduced-by: no contact is called `Nobody Known`");
    assert_eq!(
        snapshot(&vault, &[]),
        before,
        "a refused `new` wrote something"
    );
}

#[test]
fn names_with_yaml_special_characters_survive() {
    let (tmp, vault) = small_vault();
    let name = "Zoë \"Z\" O'Neil: #1 [ops] \\ yes";
    let (out, _) = expect(
        &vault,
        &[
            "new",
            "contact",
            name,
            "--title",
            "yes",
            "--company",
            "Analytical Engines",
            "--email",
            "@zoe",
        ],
        0,
    );
    let rel = out.trim().to_string();
    assert!(rel.starts_with("contacts/zoe-z-o-neil-1-ops"), "{rel}");
    // `#` would cut a name-link short, so the chat points at the contact by path.
    expect(
        &vault,
        &["new", "interview", name, "--date", "2026-12-02"],
        0,
    );
    let (out, _) = expect(&vault, &["new", "company", "Yes: No & Co. #2"], 0);
    assert_eq!(out.trim(), "companies/yes-no-co-2.md");
    expect(
        &vault,
        &[
            "new",
            "contact",
            "Tom Null",
            "--company",
            "Yes: No & Co. #2",
        ],
        0,
    );
    assert_clean(&vault);

    let site = tmp.path().join("site");
    build_ok(&vault, &site);
    let slug = Path::new(&rel).file_stem().unwrap().to_str().unwrap();
    let contact = visible_text(&page(&site, &format!("contacts/{slug}.html")));
    assert_contains(&contact, name);
    assert_contains(&contact, "yes");
    assert_contains(&contact, "@zoe");
    let chat = visible_text(&page(&site, &format!("interviews/2026-12-02-{slug}.html")));
    assert_contains(&chat, name);
    let tom = page(&site, "contacts/tom-null.html");
    assert_links_to(
        &tom,
        "contacts/tom-null.html",
        "Yes: No & Co. #2",
        "companies/yes-no-co-2.html",
    );
}

#[test]
fn a_vault_template_replaces_the_built_in_one() {
    let (tmp, vault) = small_vault();
    write(
        &vault,
        "templates/new/company.md",
        b"---\nname: {{ name | yaml }}\ntags: [from-my-template]\n---\nResearch on {{ name }} started {{ today }}.\n",
    );
    let (out, _) = expect(&vault, &["new", "company", "Ledgerly"], 0);
    let text = read(&vault.join(out.trim()));
    assert_contains(&text, "tags: [from-my-template]");
    assert_contains(&text, "Research on Ledgerly started ");
    // Other kinds still use the built-in template.
    let (out, _) = expect(&vault, &["new", "contact", "Grace Hopper"], 0);
    assert_contains(&read(&vault.join(out.trim())), "## Career history");
    assert_clean(&vault);
    build_ok(&vault, &tmp.path().join("site"));
}

#[test]
fn a_broken_vault_template_is_refused_before_anything_is_written() {
    let (_tmp, vault) = small_vault();
    // A Tera syntax error.
    write(
        &vault,
        "templates/new/company.md",
        b"---\nname: {{ name | yaml \n---\n",
    );
    let (_, err) = expect(&vault, &["new", "company", "Ledgerly"], 1);
    assert_contains(&err, "templates/new/company.md");
    assert!(!vault.join("companies/ledgerly.md").exists());
    // A template whose notes would not build: the name is not quoted.
    write(
        &vault,
        "templates/new/company.md",
        b"---\nname: {{ name }}\n---\n",
    );
    let (_, err) = expect(&vault, &["new", "company", "Ledgerly: payments"], 1);
    assert_contains(&err, "templates/new/company.md");
    assert_contains(&err, "nothing was written");
    assert!(!vault.join("companies/ledgerly-payments.md").exists());
}

#[test]
fn bad_usage_exits_2() {
    let (_tmp, vault) = small_vault();
    for args in [
        &["new", "interview"][..],
        &["new", "interview", "Ada Lovelace", "--with", "Ada Lovelace"],
        &["new", "interview", "Ada Lovelace", "--date", "2026-13-01"],
        &["new", "interview", "Ada Lovelace", "--duration", "banana"],
        &[
            "new",
            "interview",
            "Ada Lovelace",
            "--format",
            "carrier-pigeon",
        ],
        &["new", "contact"],
        &["new", "contact", "Grace", "--source", "banana"],
        &["new", "robot", "R2"],
    ] {
        let (_, err) = expect(&vault, args, 2);
        assert!(!err.is_empty());
    }
    let (_, err) = expect(
        &vault,
        &["new", "interview", "Ada Lovelace", "--date", "2026-02-30"],
        2,
    );
    assert_contains(&err, "2026-02-30");
}

#[test]
fn help_shows_examples() {
    let tmp = TempDir::new().unwrap();
    let (top, _) = expect(tmp.path(), &["--help"], 0);
    for cmd in ["init", "new", "import"] {
        assert!(
            top.lines().any(|l| l.trim_start().starts_with(cmd)),
            "--help does not list {cmd}:\n{top}"
        );
    }
    for (args, example) in [
        (&["init", "--help"][..], "coffeechat init my-vault"),
        (
            &["new", "contact", "--help"],
            "coffeechat new contact \"Ada Lovelace\"",
        ),
        (&["new", "interview", "--help"], "--date"),
        (&["new", "company", "--help"], "coffeechat new company"),
        (&["new", "questions", "--help"], "coffeechat new questions"),
        (
            &["import", "linkedin", "--help"],
            "coffeechat import linkedin",
        ),
    ] {
        let (out, _) = expect(tmp.path(), args, 0);
        assert_contains(&out, "Examples:");
        assert_contains(&out, example);
    }
}

/// The `date:` line of a note `new` wrote.
fn date_line(vault: &Path, rel: &str) -> String {
    let text = read(&vault.join(rel));
    let line = text.lines().find(|l| l.starts_with("date:"));
    line.unwrap_or_else(|| panic!("no date in {rel}:\n{text}"))
        .to_string()
}

#[test]
fn new_interview_takes_dates_and_times_as_people_type_them() {
    let (_tmp, vault) = small_vault();
    for (date, rel, written) in [
        // Quoted, with a one-digit hour; then without quotes, as two or three words.
        (
            &["--date", "2026-12-20 9:00"][..],
            "interviews/2026-12-20-ada-lovelace.md",
            "date: 2026-12-20 09:00",
        ),
        (
            &["--date", "2026-12-21", "10:00"],
            "interviews/2026-12-21-ada-lovelace.md",
            "date: 2026-12-21 10:00",
        ),
        (
            &["--date", "2026-12-22", "2:30", "pm"],
            "interviews/2026-12-22-ada-lovelace.md",
            "date: 2026-12-22 14:30",
        ),
        (
            &["--date=2026-12-3", "10am"],
            "interviews/2026-12-03-ada-lovelace.md",
            "date: 2026-12-03 10:00",
        ),
    ] {
        let args: Vec<&str> = ["new", "interview", "Ada Lovelace"]
            .into_iter()
            .chain(date.iter().copied())
            .collect();
        let (out, err) = expect(&vault, &args, 0);
        assert_eq!(out.trim(), rel, "{err}");
        assert_eq!(date_line(&vault, rel), written);
    }
    // The contact after the date and its time still reads as the contact.
    let args = [
        "new",
        "interview",
        "--date",
        "2026-12-23",
        "11:15",
        "Ada Lovelace",
    ];
    let (out, _) = expect(&vault, &args, 0);
    assert_eq!(out.trim(), "interviews/2026-12-23-ada-lovelace.md");
    assert_clean(&vault);
    // Where the intent is unclear, the fix is named.
    let args = [
        "new",
        "interview",
        "Ada Lovelace",
        "--date",
        "2026-12-24",
        "10",
    ];
    let (_, err) = expect(&vault, &args, 2);
    assert_contains(
        &err,
        "has an hour without minutes; did you mean 2026-12-24 10:00?",
    );
    let args = ["new", "interview", "Ada Lovelace", "--date", "2026-11-31"];
    let (_, err) = expect(&vault, &args, 2);
    assert_contains(&err, "`2026-11-31` is not a date: November has 30 days");
}

#[test]
fn names_two_notes_share_are_told_apart_by_path_as_the_command_line_takes_it() {
    let (_tmp, vault) = small_vault();
    write(
        &vault,
        "contacts/dev-patel.md",
        b"---\nname: Dev Patel\n---\n",
    );
    write(
        &vault,
        "contacts/dev-patel-2.md",
        b"---\nname: Dev Patel\n---\n",
    );
    let (_, err) = expect(&vault, &["new", "interview", "Dev Patel"], 1);
    assert_contains(&err, "`Dev Patel` could mean any of");
    assert_contains(
        &err,
        "help: name the one you mean by its path: `contacts/dev-patel-2` or `contacts/dev-patel`",
    );
    assert!(
        !err.contains("[["),
        "a note's link form on the command line:\n{err}"
    );
    // As the hint says, it works.
    let (out, _) = expect(&vault, &["new", "interview", "contacts/dev-patel-2"], 0);
    assert_eq!(out.trim(), "interviews/dev-patel-2.md");
    // `check` names both files.
    let o = coffeechat().arg("check").arg(&vault).output().unwrap();
    assert_contains(
        &stderr(&o),
        "warning[duplicate-name]: two contacts are called `Dev Patel`: \
         contacts/dev-patel-2.md and contacts/dev-patel.md",
    );
}

#[test]
fn referral_is_a_source() {
    let (_tmp, vault) = small_vault();
    let args = [
        "new",
        "contact",
        "Grace Hopper",
        "--source",
        "referral",
        "--introduced-by",
        "Ada Lovelace",
    ];
    expect(&vault, &args, 0);
    assert_contains(
        &read(&vault.join("contacts/grace-hopper.md")),
        "source: referral",
    );
    assert_clean(&vault);
}
