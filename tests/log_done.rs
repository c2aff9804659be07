//! `coffeechat log` and `coffeechat done`, through the binary: each changes only the
//! lines it must, keeps every other byte of the note, prints the change as a diff and
//! leaves a note with errors alone.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::*;

fn run(root: &Path, args: &[&str]) -> Output {
    coffeechat()
        .current_dir(root)
        .args(args)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap()
}

/// Runs, insisting on exit code `code`; returns (stdout, stderr).
fn expect(root: &Path, args: &[&str], code: i32) -> (String, String) {
    let o = run(root, args);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        o.status.code(),
        Some(code),
        "`coffeechat {}`\nstdout:\n{out}\nstderr:\n{}",
        args.join(" "),
        stderr(&o)
    );
    (out, stderr(&o))
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap()
}

const CHAT: &str = "---\nwith: \"[[Dev Patel]]\"\ndate: 2026-11-19 10:00\n---\nNotes.\n";

/// A vault with the contact `contact` as contacts/dev-patel.md and a chat with them.
fn with_contact(contact: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    vault(&[
        ("contacts/dev-patel.md", contact),
        ("interviews/2026-11-19-dev-patel.md", CHAT),
    ])
}

#[test]
fn log_appends_to_a_block_list_keeping_comments_and_quoting() {
    let before = "---\n# who\nname: 'Dev Patel'   # as they write it\nlog:\n    - date: 2026-11-01 # first\n      type: outreach\n      note: \"Asked\"\n    # more to come\ntags: [a]\n---\nBody with log: in it.\n";
    let (_tmp, root) = with_contact(before);
    let (out, _) = expect(
        &root,
        &[
            "log",
            "Dev Patel",
            "reply",
            "Happy to \"chat\"",
            "--date",
            "2026-11-20",
        ],
        0,
    );
    let after = "---\n# who\nname: 'Dev Patel'   # as they write it\nlog:\n    - date: 2026-11-01 # first\n      type: outreach\n      note: \"Asked\"\n    - date: 2026-11-20\n      type: reply\n      note: \"Happy to \\\"chat\\\"\"\n    # more to come\ntags: [a]\n---\nBody with log: in it.\n";
    assert_eq!(read(&root, "contacts/dev-patel.md"), after);
    assert_eq!(
        out,
        "--- contacts/dev-patel.md\n+++ contacts/dev-patel.md\n@@ -7,0 +8,3 @@\n\
         +    - date: 2026-11-20\n+      type: reply\n+      note: \"Happy to \\\"chat\\\"\"\n"
    );
}

#[test]
fn log_inserts_into_a_flow_list_before_its_bracket() {
    let before = "---\nname: Dev Patel\nlog: [{date: 2026-11-01, type: outreach}]  # short\nstatus: reached-out\n---\n";
    let (_tmp, root) = with_contact(before);
    expect(
        &root,
        &["log", "dev-patel", "thank-you", "--date", "2026-11-20"],
        0,
    );
    assert_eq!(
        read(&root, "contacts/dev-patel.md"),
        "---\nname: Dev Patel\nlog: [{date: 2026-11-01, type: outreach}, {date: 2026-11-20, type: thank-you}]  # short\nstatus: reached-out\n---\n"
    );
}

#[test]
fn log_appends_to_a_flow_list_over_several_lines_after_its_last_item() {
    let before = "---\nname: Dev Patel\n\"log\": [\n  {date: 2026-11-01, type: outreach},  # first\n  # more later\n]\n---\n";
    let (_tmp, root) = with_contact(before);
    expect(
        &root,
        &["log", "Dev Patel", "reply", "--date", "2026-11-20"],
        0,
    );
    assert_eq!(
        read(&root, "contacts/dev-patel.md"),
        "---\nname: Dev Patel\n\"log\": [\n  {date: 2026-11-01, type: outreach}, {date: 2026-11-20, type: reply}  # first\n  # more later\n]\n---\n"
    );
}

#[test]
fn log_keeps_crlf_and_a_bom_and_adds_a_log_where_there_is_none() {
    let before = "\u{feff}---\r\nname: Dev Patel\r\n# no log yet\r\n---\r\nBody\r\n";
    let (_tmp, root) = with_contact(before);
    expect(
        &root,
        &[
            "log",
            "Dev Patel",
            "note",
            "Met at the meetup",
            "--date",
            "2026-11-20",
        ],
        0,
    );
    assert_eq!(
        read(&root, "contacts/dev-patel.md"),
        "\u{feff}---\r\nname: Dev Patel\r\n# no log yet\r\nlog:\r\n  - date: 2026-11-20\r\n    type: note\r\n    note: \"Met at the meetup\"\r\n---\r\nBody\r\n"
    );
    let (out, _) = expect(&root, &["check", "."], 0);
    assert!(!out.contains("error"), "{out}");
}

#[test]
fn done_replaces_the_status_keeps_its_comment_and_adds_the_thank_you() {
    let before = "\u{feff}---\r\nwith: \"[[Dev Patel]]\"\r\nstatus: scheduled   # moved once\r\ndate: 2026-11-19 10:00\r\nquestions: [\"Why?\"]\r\n---\r\nNotes.\r\n";
    let (_tmp, root) = vault(&[
        ("contacts/dev-patel.md", "---\nname: Dev Patel\n---\n"),
        ("interviews/2026-11-19-dev-patel.md", before),
    ]);
    let (out, _) = expect(
        &root,
        &["done", "2026-11-19-dev-patel", "--thank-you", "2026-11-20"],
        0,
    );
    assert_eq!(
        read(&root, "interviews/2026-11-19-dev-patel.md"),
        "\u{feff}---\r\nwith: \"[[Dev Patel]]\"\r\nstatus: done   # moved once\r\ndate: 2026-11-19 10:00\r\nquestions: [\"Why?\"]\r\nthank_you: 2026-11-20\r\n---\r\nNotes.\r\n"
    );
    assert_eq!(
        out,
        "--- interviews/2026-11-19-dev-patel.md\n+++ interviews/2026-11-19-dev-patel.md\n\
         @@ -3 +3 @@\n-status: scheduled   # moved once\n+status: done   # moved once\n\
         @@ -5,0 +6 @@\n+thank_you: 2026-11-20\n"
    );
}

#[test]
fn done_finds_a_chat_by_its_path_as_the_shell_completes_it() {
    let (_tmp, root) = with_contact("---\nname: Dev Patel\n---\n");
    expect(&root, &["done", "interviews/2026-11-19-dev-patel.md"], 0);
    assert_eq!(
        read(&root, "interviews/2026-11-19-dev-patel.md"),
        "---\nwith: \"[[Dev Patel]]\"\ndate: 2026-11-19 10:00\nstatus: done\n---\nNotes.\n"
    );
}

#[test]
fn a_note_with_errors_is_left_alone_and_its_errors_named() {
    let before = "---\nname: Dev Patel\nstatus: sleeping\nlog: []\n---\n";
    let (_tmp, root) = with_contact(before);
    let (_, err) = expect(&root, &["log", "Dev Patel", "reply"], 1);
    assert!(err.contains("contacts/dev-patel.md has errors"), "{err}");
    assert!(err.contains("contacts/dev-patel.md:3:9"), "{err}");
    assert!(err.contains("\n3 | status: sleeping\n"), "{err}");
    assert_eq!(read(&root, "contacts/dev-patel.md"), before);
}

#[test]
fn an_ambiguous_name_is_refused_with_the_paths_to_type() {
    let (_tmp, root) = vault(&[
        ("contacts/dev-patel.md", "---\nname: Dev Patel\n---\n"),
        ("contacts/old/dev-patel.md", "---\nname: Dev Patel\n---\n"),
    ]);
    let (_, err) = expect(&root, &["log", "Dev Patel", "reply"], 1);
    assert!(err.contains("`contacts/dev-patel`"), "{err}");
    assert!(err.contains("`contacts/old/dev-patel`"), "{err}");
    assert_eq!(
        read(&root, "contacts/dev-patel.md"),
        "---\nname: Dev Patel\n---\n"
    );
}

#[cfg(unix)]
#[test]
fn a_note_that_is_a_symbolic_link_stays_one_and_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let (_tmp, root) = vault(&[("interviews/2026-11-19-dev-patel.md", CHAT)]);
    // In a hidden folder of the vault, which is read only through the link.
    let real = root.join(".store/dev-patel.md");
    fs::create_dir_all(root.join(".store")).unwrap();
    fs::write(&real, "---\nname: Dev Patel\n---\n").unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
    fs::create_dir_all(root.join("contacts")).unwrap();
    std::os::unix::fs::symlink(&real, root.join("contacts/dev-patel.md")).unwrap();
    expect(
        &root,
        &["log", "Dev Patel", "reply", "--date", "2026-11-20"],
        0,
    );
    let link = fs::symlink_metadata(root.join("contacts/dev-patel.md")).unwrap();
    assert!(link.file_type().is_symlink());
    assert_eq!(
        fs::read_to_string(&real).unwrap(),
        "---\nname: Dev Patel\nlog:\n  - date: 2026-11-20\n    type: reply\n---\n"
    );
    let mode = fs::metadata(&real).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}
