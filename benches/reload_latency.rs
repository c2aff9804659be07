//! Save-to-reload latency of `coffeechat serve` (a benchmark, not a test; figures in
//! BENCHMARKS.md).
//!
//!   cargo bench --bench reload_latency -- VAULT [EDITS] [body|front|log|create|delete|rename]
//!
//! Starts the real `serve` on a copy of VAULT, listens on its event stream like a page
//! does, then changes one contact note at a time (`body`: appends a line to one;
//! `front`: moves its `status` on, through three states that come round again; `log`:
//! logs a touchpoint never seen before in its front matter; `create`: writes a new one;
//! `delete`: deletes a plain note; `rename`: renames a contact's file) and measures from the
//! write to the `reload` event. `std::fs::write` closes the file, which on Linux the
//! watcher takes as a completed save without waiting for its debounce; elsewhere the
//! debounce (100 ms) is part of every figure. The server's own "rebuilt in" time is
//! reported beside it.

#[path = "../tests/live/mod.rs"]
mod live;

use std::path::{Path, PathBuf};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let source = PathBuf::from(args.first().expect("usage: reload_latency VAULT [EDITS]"));
    let edits: usize = args.get(1).map_or(20, |n| n.parse().unwrap());
    let mode = args.get(2).map_or("body", String::as_str);
    assert!(
        ["body", "front", "log", "create", "delete", "rename"].contains(&mode),
        "the mode is body, front, log, create, delete or rename"
    );
    let tmp = tempfile::TempDir::new().unwrap();
    let vault = tmp.path().join("vault");
    copy(&source, &vault);
    let out = tmp.path().join("out");
    let out_arg = out.to_string_lossy().to_string();
    let mut server = live::start(
        &[
            "serve",
            "--port",
            "0",
            "--today",
            "2026-11-23",
            "-o",
            &out_arg,
        ],
        &vault,
    );
    let addr = server.addr();
    server.wait_ready();
    let (events, _) = live::Events::connect(addr, None);
    let folder = if mode == "delete" {
        "notes"
    } else {
        "contacts"
    };
    let mut notes: Vec<PathBuf> = std::fs::read_dir(vault.join(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    notes.sort();
    let (mut total, mut rebuild) = (Vec::new(), Vec::new());
    for i in 0..edits {
        let note = &notes[i * 7919 % notes.len()];
        let start = Instant::now();
        match mode {
            "delete" => std::fs::remove_file(note).unwrap(),
            "rename" => {
                std::fs::rename(note, note.with_file_name(format!("renamed-{i}.md"))).unwrap()
            }
            _ => {
                let (note, text) = change(note, i, mode);
                std::fs::write(note, text).unwrap();
            }
        }
        events.wait_for("reload");
        total.push(start.elapsed().as_secs_f64() * 1e3);
        let line = server.wait_rebuild();
        rebuild.push(rebuilt_ms(&line));
    }
    println!(
        "{} notes, {edits} one-note {mode} changes: save to reload event median {:.1} ms \
         (min {:.1}, max {:.1}); rebuild alone median {:.1} ms",
        count_notes(&vault),
        median(total.clone()),
        total.iter().copied().fold(f64::MAX, f64::min),
        total.iter().copied().fold(0.0, f64::max),
        median(rebuild)
    );
}

/// The `i`-th change of contact `note`: which file to write, and what.
fn change(note: &Path, i: usize, mode: &str) -> (PathBuf, String) {
    if mode == "create" {
        let text = format!("---\nname: New Person {i}\nstatus: prospect\n---\nMet at a meetup.\n");
        return (note.with_file_name(format!("new-person-{i}.md")), text);
    }
    let text = std::fs::read_to_string(note).unwrap();
    let edited = match mode {
        "front" => next_status(&text),
        "log" => text.replacen(
            "\nlog:\n",
            &format!("\nlog:\n  - {{date: 2026-11-20, type: note, note: Logged in edit {i}}}\n"),
            1,
        ),
        _ => format!("{text}\nEdit {i}.\n"),
    };
    (note.to_path_buf(), edited)
}

/// The note with its contact `status` moved to the next one.
fn next_status(text: &str) -> String {
    const ORDER: [&str; 3] = ["prospect", "reached-out", "met"];
    let line = text
        .lines()
        .find(|l| l.starts_with("status: "))
        .expect("a status line");
    let now = line.trim_start_matches("status: ");
    let next = ORDER[(ORDER.iter().position(|s| *s == now).unwrap_or(0) + 1) % ORDER.len()];
    text.replacen(line, &format!("status: {next}"), 1)
}

/// The milliseconds in a summary line like `[12:00:01] contacts/a.md: rebuilt in 8 ms: …`.
fn rebuilt_ms(line: &str) -> f64 {
    let after = line
        .split("rebuilt in ")
        .nth(1)
        .unwrap_or_else(|| panic!("no time in `{line}`"));
    after.split_whitespace().next().unwrap().parse().unwrap()
}

fn count_notes(vault: &Path) -> usize {
    walkdir::WalkDir::new(vault)
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count()
}

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}
