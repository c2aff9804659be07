//! Incremental rebuilds (`watch`, `serve`) must write exactly what a fresh full build
//! writes. A seeded random sequence of edits, creations, deletions, renames and broken
//! saves is applied to a copy of the example vault; after each step the session's
//! output is compared, file by file, with a full build of the same vault.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use coffeechat::diag::Diagnostic;
use coffeechat::session::{Options, Outcome, Session};

/// The front-matter line a broken save adds, and `repair` takes out.
const BROKEN: &str = "status: [unclosed\n";

const CONTACT_STATUSES: &[&str] = &[
    "prospect",
    "reached-out",
    "scheduled",
    "met",
    "keep-in-touch",
];
const CHAT_STATUSES: &[&str] = &["requested", "scheduled", "done", "cancelled"];
/// Log entries a random edit adds: an outreach brings reminders until another entry
/// answers it.
/// An update with a referrer reports back on the people they referred you to.
const LOG_TYPES: &[&str] = &["update", "outreach", "reply", "referral"];
/// Names a chat's referrals give: contacts, and someone who is a contact only once a
/// step creates them.
const REFERRALS: &[&str] = &["Grace Liu", "Priya Raman", "Sam Oduya", "Wei Zhang"];
const CONTACTS: &[&str] = &[
    "Elena Park",
    "Grace Liu",
    "Marcus Chen",
    "Priya Raman",
    "Sam Oduya",
];
const BANK_QUESTIONS: &[&str] = &[
    "analyst-advantage",
    "first-pm-role",
    "typical-week",
    "market-shift",
];
const COMPANIES: &[&str] = &["Ledgerly", "Parcelwise", "Brightline Health"];

fn options(vault: &Path, out: &Path) -> Options {
    Options {
        vault: vault.to_path_buf(),
        output: Some(out.to_path_buf()),
        today: Some(common::TODAY.parse().unwrap()),
        ..Default::default()
    }
}

/// A session on a copy of the example vault, built once into `out` beside it:
/// (scratch folder, vault, out, session).
fn built_example() -> (tempfile::TempDir, PathBuf, PathBuf, Session) {
    let (tmp, vault) = common::example_vault();
    let out = tmp.path().join("out");
    let mut session = Session::new(options(&vault, &out)).rebuilding();
    assert!(session.build().written());
    (tmp, vault, out, session)
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
            files.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// A full build of `vault` into a fresh folder; `None` when the vault has errors.
fn full_build(vault: &Path, scratch: &Path) -> Option<BTreeMap<PathBuf, Vec<u8>>> {
    full_build_reporting(vault, scratch).0
}

/// A full build of `vault` into a fresh folder, and what it reported.
fn full_build_reporting(
    vault: &Path,
    scratch: &Path,
) -> (Option<BTreeMap<PathBuf, Vec<u8>>>, Vec<Diagnostic>) {
    let out = scratch.join("full");
    let _ = fs::remove_dir_all(&out);
    let outcome = Session::new(options(vault, &out)).build();
    let written = outcome.written().then(|| tree(&out));
    (written, outcome.diagnostics)
}

fn assert_same_trees(
    step: usize,
    what: &str,
    got: &BTreeMap<PathBuf, Vec<u8>>,
    want: &BTreeMap<PathBuf, Vec<u8>>,
) {
    let got_paths: Vec<&PathBuf> = got.keys().collect();
    let want_paths: Vec<&PathBuf> = want.keys().collect();
    assert_eq!(
        got_paths, want_paths,
        "step {step} ({what}): different files"
    );
    for (path, bytes) in want {
        assert!(
            got[path] == *bytes,
            "step {step} ({what}): {} differs from a full build:\n--- incremental\n{}\n--- full\n{}",
            path.display(),
            String::from_utf8_lossy(&got[path]),
            String::from_utf8_lossy(bytes)
        );
    }
}

/// The vault's notes, as vault-relative paths.
fn notes(vault: &Path) -> Vec<PathBuf> {
    let mut notes: Vec<PathBuf> = walkdir::WalkDir::new(vault)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| p.strip_prefix(vault).unwrap().to_path_buf())
        .collect();
    notes.sort();
    notes
}

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// Changes the value of the first `key:` line of the front matter, if there is one.
fn set_field(text: &str, key: &str, value: &str) -> Option<String> {
    if text.contains(BROKEN) {
        // Setting the broken line's field would leave the real one twice, which
        // `repair` cannot undo: the vault would stay broken for the rest of the run.
        return None;
    }
    let prefix = format!("{key}: ");
    let end = text[3..].find("\n---").map(|i| i + 3)?;
    let start = text[..end]
        .match_indices(&format!("\n{prefix}"))
        .next()
        .map(|(i, _)| i + 1)?;
    let line_end = start + text[start..].find('\n')?;
    Some(format!(
        "{}{prefix}{value}{}",
        &text[..start],
        &text[line_end..]
    ))
}

/// Changes the value of the first `key:` line of the front matter, or adds one.
fn set_or_add(text: &str, key: &str, value: &str) -> Option<String> {
    if text.contains(BROKEN) {
        return None;
    }
    set_field(text, key, value).or_else(|| Some(add_front_lines(text, &format!("{key}: {value}"))))
}

/// Takes out the first `key:` line of the front matter, if there is one: the status
/// then follows what happened.
fn remove_field(text: &str, key: &str) -> Option<String> {
    let end = text[3..].find("\n---").map(|i| i + 3)?;
    let start = text[..end].find(&format!("\n{key}: "))? + 1;
    let line_end = start + text[start..].find('\n')? + 1;
    Some(format!("{}{}", &text[..start], &text[line_end..]))
}

/// Adds lines at the end of the front matter.
fn add_front_lines(text: &str, lines: &str) -> String {
    let end = text[3..].find("\n---").map(|i| i + 3).unwrap();
    format!("{}\n{lines}{}", &text[..end], &text[end..])
}

/// One random change to the vault. Returns the paths it touched and what it did.
fn random_change(rng: &mut fastrand::Rng, vault: &Path, step: usize) -> (Vec<PathBuf>, String) {
    let all = notes(vault);
    let rel = all[rng.usize(..all.len())].clone();
    let path = vault.join(&rel);
    let text = fs::read_to_string(&path).unwrap();
    let folder = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .to_string();
    // Links to chats matter most: a chat without a title is named after its date.
    let chats: Vec<&PathBuf> = all.iter().filter(|p| p.starts_with("interviews")).collect();
    let target = match rng.bool() {
        true if !chats.is_empty() => chats[rng.usize(..chats.len())].with_extension(""),
        _ => all[rng.usize(..all.len())].with_extension(""),
    };
    match rng.u8(..11) {
        0..=2 => {
            let link = match rng.u8(..3) {
                0 => format!("[[{}]]", target.display()),
                1 => format!("[[{}]]", pick(rng, CONTACTS)),
                // An embed shows the other note's text, which later steps edit.
                _ => format!("\n\n![[{}]]\n", target.display()),
            };
            // An inline tag moves the note on the tag page.
            let tag = format!("#topic-{}", rng.u8(..3));
            let line = format!("Step {step}: see {link} {tag}.\n");
            // A chat's prep is printed on its briefing apart from its notes; a bare
            // address is a link.
            let changed = match rng.u8(..3) {
                0 if text.contains("## Prep\n") => text.replacen(
                    "## Prep\n",
                    &format!("## Prep\n- Read https://example.com/step-{step} first.\n{line}\n"),
                    1,
                ),
                1 => format!("{text}\n---\n\n{line}"),
                _ => format!("{text}\n{line}"),
            };
            fs::write(&path, changed).unwrap();
            (vec![rel.clone()], format!("body edit of {}", rel.display()))
        }
        3 | 4 => {
            let changed = match folder.as_str() {
                "contacts" if rng.bool() && text.contains("\nlog:\n") => Some(text.replacen(
                    "\nlog:\n",
                    &format!(
                        "\nlog:\n  - date: 2026-11-{:02}\n    type: {}\n    note: Step {step}\n",
                        rng.u8(1..23),
                        pick(rng, LOG_TYPES)
                    ),
                    1,
                )),
                "contacts" if rng.u8(..4) == 0 => remove_field(&text, "status"),
                // Who introduced them moves them in the graph and in chains.
                "contacts" if rng.u8(..3) == 0 => {
                    set_or_add(&text, "introduced_by", pick(rng, CONTACTS))
                }
                // What the search index shows of a contact.
                "contacts" if rng.u8(..4) == 0 => {
                    set_field(&text, "title", &format!("Role {step}"))
                }
                // A website, which their page links.
                "contacts" if rng.u8(..4) == 0 => Some(add_front_lines(
                    &text,
                    &format!("website: www.example.com/step-{step}"),
                )),
                "contacts" => set_field(&text, "status", pick(rng, CONTACT_STATUSES))
                    .or_else(|| set_field(&text, "company", pick(rng, COMPANIES))),
                "interviews" => match rng.u8(..8) {
                    // Only a requested chat may lack a date.
                    0 if text.contains("\ndate: ") => match rng.bool() {
                        true => set_field(&text, "status", pick(rng, CHAT_STATUSES)),
                        false => remove_field(&text, "status"),
                    },
                    1 => set_field(&text, "date", &format!("2026-11-{:02}", rng.u8(10..30))),
                    2 => set_field(&text, "duration", pick(rng, &["20m", "30m", "45m", "1h"])),
                    3 if !text.contains("\nfollowups:") => Some(add_front_lines(
                        &text,
                        &format!(
                            "followups:\n  - due: 2026-11-{:02}\n    action: Send the notes from step {step}",
                            rng.u8(10..30)
                        ),
                    )),
                    4 if text.contains("\nquestions:\n") => Some(text.replacen(
                        "\nquestions:\n",
                        &format!("\nquestions:\n  - ref: {}\n", pick(rng, BANK_QUESTIONS)),
                        1,
                    )),
                    // A name given in the chat, which the ledger follows.
                    5 => Some(match text.contains("\nreferrals:\n") {
                        true => text.replacen(
                            "\nreferrals:\n",
                            &format!("\nreferrals:\n  - {}\n", pick(rng, REFERRALS)),
                            1,
                        ),
                        false => add_front_lines(
                            &text,
                            &format!("referrals:\n  - {}", pick(rng, REFERRALS)),
                        ),
                    }),
                    // A thank-you sent takes the chat off the "no thank-you" page.
                    6 => {
                        let date = format!("2026-11-{:02}", rng.u8(10..23));
                        set_field(&text, "thank_you", &date)
                            .or_else(|| Some(add_front_lines(&text, &format!("thank_you: {date}"))))
                    }
                    _ => set_field(&text, "with", pick(rng, CONTACTS)),
                },
                "companies" => set_field(&text, "industry", &format!("Industry {step}")),
                _ => None,
            };
            let Some(changed) = changed else {
                return (Vec::new(), "nothing".into());
            };
            fs::write(&path, changed).unwrap();
            (
                vec![rel.clone()],
                format!("front-matter edit of {}", rel.display()),
            )
        }
        5 => {
            let new = PathBuf::from(format!(
                "interviews/2026-12-{:02}-step-{step}.md",
                rng.u8(1..28)
            ));
            let text = format!(
                "---\nwith: {}\ndate: 2026-12-01 10:00\nduration: 30m\nstatus: scheduled\nquestions:\n  - What changed in step {step}?\n---\nPrep for [[{}]].\n",
                pick(rng, CONTACTS),
                pick(rng, COMPANIES)
            );
            common::write(vault, &new.to_string_lossy(), text.as_bytes());
            (vec![new.clone()], format!("created {}", new.display()))
        }
        6 if rng.u8(..4) == 0 => {
            // Someone a chat named before they were a contact.
            let new = PathBuf::from("contacts/wei-zhang.md");
            let text = format!(
                "---\nname: Wei Zhang\nintroduced_by: {}\nlog:\n  - date: 2026-11-{:02}\n    type: outreach\n---\n",
                pick(rng, CONTACTS),
                rng.u8(1..23)
            );
            common::write(vault, &new.to_string_lossy(), text.as_bytes());
            (vec![new.clone()], format!("created {}", new.display()))
        }
        6 => {
            let new = PathBuf::from(format!("contacts/person-{step}.md"));
            // Some have no status, and an outreach no one has answered yet, some of
            // it months ago (the "not talked to" page lists them); some are LinkedIn
            // connections no one has contacted.
            let status = match rng.u8(..3) {
                0 => format!("status: {}\n", pick(rng, CONTACT_STATUSES)),
                1 => format!(
                    "log:\n  - date: 2026-{:02}-{:02}\n    type: outreach\n",
                    rng.u8(6..12),
                    rng.u8(1..23)
                ),
                _ => "source: linkedin\n".into(),
            };
            // Someone introduced them (the "not yet contacted" page), and the search
            // finds them by an alias and, typed whole, their email.
            let introduced = match rng.bool() {
                true => format!("introduced_by: {}\n", pick(rng, CONTACTS)),
                false => String::new(),
            };
            let text = format!(
                "---\nname: Person {step}\naliases: [P{step}]\nemail: p{step}@example.com\n\
                 company: {}\n{introduced}{status}---\nMet through [[{}]].\n",
                pick(rng, COMPANIES),
                pick(rng, CONTACTS)
            );
            common::write(vault, &new.to_string_lossy(), text.as_bytes());
            (vec![new.clone()], format!("created {}", new.display()))
        }
        7 if folder == "interviews" || is_person(&rel) => {
            fs::remove_file(&path).unwrap();
            (vec![rel.clone()], format!("deleted {}", rel.display()))
        }
        8 if folder == "interviews" || folder == "notes" || is_person(&rel) => {
            let new = rel.with_file_name(format!("renamed-{step}.md"));
            fs::rename(&path, vault.join(&new)).unwrap();
            (
                vec![rel.clone(), new.clone()],
                format!("renamed {} to {}", rel.display(), new.display()),
            )
        }
        9 if all.iter().any(|p| is_person(p)) => {
            // A note moved into another kind's folder changes kind: a contact the
            // sequence created, which nothing refers to, becomes a plain note and back.
            let people: Vec<&PathBuf> = all.iter().filter(|p| is_person(p)).collect();
            let rel = people[rng.usize(..people.len())].clone();
            let new = match rel.starts_with("contacts") {
                true => PathBuf::from(format!("notes/person-moved-{step}.md")),
                false => PathBuf::from(format!("contacts/person-back-{step}.md")),
            };
            fs::rename(vault.join(&rel), vault.join(&new)).unwrap();
            (
                vec![rel.clone(), new.clone()],
                format!("moved {} to {}", rel.display(), new.display()),
            )
        }
        _ => {
            // A save that breaks the front matter, fixed by a later full rewrite.
            fs::write(&path, text.replacen("---\n", &format!("---\n{BROKEN}"), 1)).unwrap();
            (
                vec![rel.clone()],
                format!("broken save of {}", rel.display()),
            )
        }
    }
}

/// Whether `rel` is a contact the sequence created, or one it moved to the plain notes.
fn is_person(rel: &Path) -> bool {
    // By text: `Path::starts_with` compares whole components.
    let rel = rel.to_string_lossy();
    rel.starts_with("contacts/person-") || rel.starts_with("notes/person-")
}

/// Undoes broken saves, so that the vault becomes valid again.
fn repair(vault: &Path) -> Vec<PathBuf> {
    let mut fixed = Vec::new();
    for rel in notes(vault) {
        let path = vault.join(&rel);
        let text = fs::read_to_string(&path).unwrap();
        if text.contains(BROKEN) {
            fs::write(&path, text.replace(BROKEN, "")).unwrap();
            fixed.push(rel);
        }
    }
    fixed
}

/// How each step is built.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Rebuild {
    /// By one session, told which files changed, as `watch` does.
    Session,
    /// By a new session each time, resuming from the record the last build kept, as
    /// `coffeechat build` run again does.
    Record,
}

fn run_sequence(seed: u64, steps: usize, how: Rebuild) -> Partial {
    let (tmp, vault) = common::example_vault();
    let out = tmp.path().join("out");
    let records = tmp.path().join("records");
    let new_session = || {
        Session::new(options(&vault, &out))
            .rebuilding()
            .keeping_records(Some(records.clone()))
    };
    let mut session = new_session();
    assert!(session.build().written(), "the example vault builds");
    let total_pages = tree(&out)
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    eprintln!("seed {seed} ({how:?})");
    let mut rng = fastrand::Rng::with_seed(seed);
    // Steps that wrote the site, and those of them that rendered less than half.
    let (mut written, mut partial_rebuilds) = (0, 0);
    // Steps that add or remove notes, and those of them that rendered less than half.
    let (mut structural, mut partial_structural) = (0, 0);
    for step in 0..steps {
        let (mut changed, what) = random_change(&mut rng, &vault, step);
        if rng.u8(..4) == 0 {
            changed.extend(repair(&vault));
        }
        let before = tree(&out);
        let outcome = match how {
            Rebuild::Session => session.update(&changed, false),
            Rebuild::Record => new_session().build(),
        };
        let (want, diagnostics) = full_build_reporting(&vault, tmp.path());
        assert_eq!(
            outcome.diagnostics, diagnostics,
            "step {step} ({what}): the session reports other problems than a full build"
        );
        let adds_or_removes = ["created", "deleted", "renamed", "moved"]
            .iter()
            .any(|verb| what.starts_with(verb));
        match want {
            Some(want) => {
                assert!(
                    outcome.written(),
                    "step {step} ({what}): the full build succeeds but the session did not write: {:?}",
                    outcome.diagnostics
                );
                assert_same_trees(step, &what, &tree(&out), &want);
                if how == Rebuild::Session && step % 7 == 6 {
                    // As `watch` does when it stops; the next session resumes from the
                    // record, renders nothing, and goes on from there.
                    session.save_record();
                    session = new_session();
                    let resumed = session.build();
                    assert!(
                        resumed.written() && resumed.rendered == 0,
                        "step {step} ({what}): a new session rendered {} pages",
                        resumed.rendered
                    );
                    assert_same_trees(step, &what, &tree(&out), &want);
                }
                partial_rebuilds += usize::from(outcome.rendered < total_pages / 2);
                // The pages over the whole vault (dashboard, indexes, A-Z, network,
                // progress, saved views, search) are about half of these small vaults'
                // pages, and rightly change when a contact comes or goes.
                let most = total_pages * 3 / 4;
                partial_structural += usize::from(adds_or_removes && outcome.rendered < most);
                structural += usize::from(adds_or_removes);
                written += 1;
            }
            None => {
                assert!(
                    !outcome.written(),
                    "step {step} ({what}): the session wrote a broken vault"
                );
                assert_same_trees(step, &what, &tree(&out), &before);
            }
        }
    }
    Partial {
        written,
        partial: partial_rebuilds,
        structural,
        partial_structural,
    }
}

/// How many steps of sequences wrote the site, and how many of them rendered less than
/// half of it; the same for the steps that added or removed notes, against three
/// quarters of it.
#[derive(Default)]
struct Partial {
    written: usize,
    partial: usize,
    structural: usize,
    partial_structural: usize,
}

impl Partial {
    fn add(&mut self, other: Partial) {
        self.written += other.written;
        self.partial += other.partial;
        self.structural += other.structural;
        self.partial_structural += other.partial_structural;
    }

    /// Checks, over all the sequences run, that most written steps rendered less than
    /// half the site (per sequence, a few steps make the share swing).
    fn check(&self) {
        assert!(
            self.partial * 2 >= self.written,
            "only {} of {} written steps rendered less than half the site",
            self.partial,
            self.written
        );
        // A step right after a broken save that added or removed notes builds in full.
        assert!(
            self.partial_structural * 2 >= self.structural,
            "only {} of {} written steps that added or removed notes rendered less than \
             three quarters of the site",
            self.partial_structural,
            self.structural
        );
    }
}

/// The seeds to run: `default`, or those `COFFEECHAT_SEEDS=FIRST..LAST` names (for
/// long runs, e.g. `COFFEECHAT_SEEDS=1..200 cargo test --release --test incremental
/// random_edits`).
fn seeds(default: &[u64]) -> Vec<u64> {
    let Ok(range) = std::env::var("COFFEECHAT_SEEDS") else {
        return default.to_vec();
    };
    let (first, last) = range
        .split_once("..")
        .expect("COFFEECHAT_SEEDS is FIRST..LAST");
    let bound = |s: &str| s.parse::<u64>().expect("a seed is a whole number");
    (bound(first)..=bound(last)).collect()
}

#[test]
fn random_edits_match_a_full_build() {
    let mut partial = Partial::default();
    for seed in seeds(&[1, 2, 3, 4]) {
        partial.add(run_sequence(seed, 50, Rebuild::Session));
    }
    partial.check();
}

#[test]
fn random_edits_between_builds_match_a_full_build() {
    let mut partial = Partial::default();
    for seed in seeds(&[5, 6, 7]) {
        partial.add(run_sequence(seed, 40, Rebuild::Record));
    }
    partial.check();
}

#[test]
fn a_body_edit_renders_only_the_pages_that_show_it() {
    let (_tmp, vault, out, mut session) = built_example();
    let rel = PathBuf::from("notes/job-search-plan.md");
    let text = fs::read_to_string(vault.join(&rel)).unwrap();
    fs::write(vault.join(&rel), format!("{text}\nOne more line.\n")).unwrap();
    let outcome = session.update(&[rel], false);
    assert!(outcome.written());
    // The plain note's own page and its shard of the search index; nothing else
    // shows its body.
    assert_eq!(outcome.rendered, 2);
    let page = fs::read_to_string(out.join("notes/job-search-plan.html")).unwrap();
    assert!(page.contains("One more line."));
}

#[test]
fn a_link_shows_a_chats_new_name_when_its_date_changes() {
    let (tmp, vault) = common::example_vault();
    let out = tmp.path().join("out");
    let plan = PathBuf::from("notes/job-search-plan.md");
    let text = fs::read_to_string(vault.join(&plan)).unwrap();
    fs::write(
        vault.join(&plan),
        format!("{text}\nSee [[interviews/2026-11-10-marcus-chen]].\n"),
    )
    .unwrap();
    let mut session = Session::new(options(&vault, &out)).rebuilding();
    assert!(session.build().written());
    let chat = PathBuf::from("interviews/2026-11-10-marcus-chen.md");
    let text = fs::read_to_string(vault.join(&chat)).unwrap();
    let moved = set_field(&text, "date", "2026-11-12 08:00").unwrap();
    fs::write(vault.join(&chat), moved).unwrap();
    assert!(session.update(&[chat], false).written());
    let page = fs::read_to_string(out.join("notes/job-search-plan.html")).unwrap();
    assert!(page.contains("Chat with Marcus Chen, 2026-11-12"), "{page}");
    assert_same_trees(
        0,
        "date change",
        &tree(&out),
        &full_build(&vault, tmp.path()).unwrap(),
    );
}

#[test]
fn a_folder_reported_alone_is_rebuilt_in_part() {
    let (tmp, vault) = common::example_vault();
    let out = tmp.path().join("out");
    let mut session = Session::new(options(&vault, &out)).rebuilding();
    let total = session.build().rendered;
    // A folder moved in with notes in it, then renamed: watchers may report only the
    // folder's path.
    common::write(
        &vault,
        "notes/trip/packing.md",
        b"---\ntitle: Packing list\n---\nSee [[Itinerary]].\n",
    );
    common::write(
        &vault,
        "notes/trip/itinerary.md",
        b"---\ntitle: Itinerary\n---\nBack to [[Packing list]].\n",
    );
    let steps = [
        vec![PathBuf::from("notes/trip")],
        vec![PathBuf::from("notes/trip"), PathBuf::from("notes/travel")],
    ];
    for (step, changed) in steps.iter().enumerate() {
        if step == 1 {
            fs::rename(vault.join("notes/trip"), vault.join("notes/travel")).unwrap();
        }
        let outcome = session.update(changed, false);
        assert!(outcome.written(), "{:?}", outcome.diagnostics);
        assert!(
            outcome.rendered < total / 2,
            "step {step} rendered {} of {total} pages",
            outcome.rendered
        );
        let want = full_build(&vault, tmp.path()).unwrap();
        assert_same_trees(step, "folder", &tree(&out), &want);
    }
    let page = fs::read_to_string(out.join("notes/travel/packing.html")).unwrap();
    assert!(page.contains("Packing list"), "{page}");
}

/// Applies a change the session is told about, then checks the output and the
/// problems against a full build.
fn update_and_compare(
    session: &mut Session,
    vault: &Path,
    scratch: &Path,
    out: &Path,
    changed: &[&str],
) -> Outcome {
    let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    let outcome = session.update(&changed, false);
    let (want, diagnostics) = full_build_reporting(vault, scratch);
    assert!(outcome.written(), "{changed:?}: {:?}", outcome.diagnostics);
    assert_same_trees(0, &format!("{changed:?}"), &tree(out), &want.unwrap());
    assert_eq!(outcome.diagnostics, diagnostics, "{changed:?}");
    outcome
}

#[test]
fn notes_removed_together_take_all_their_pages_with_them() {
    let (tmp, vault, out, mut session) = built_example();
    let both = ["notes/alpha.md", "notes/beta.md"];
    common::write(&vault, both[0], b"---\ntitle: Alpha\n---\nA.\n");
    common::write(&vault, both[1], b"---\ntitle: Beta\n---\nB.\n");
    update_and_compare(&mut session, &vault, tmp.path(), &out, &both);
    for rel in both {
        fs::remove_file(vault.join(rel)).unwrap();
    }
    update_and_compare(&mut session, &vault, tmp.path(), &out, &both);
    assert!(!out.join("notes/alpha.html").exists());
}

/// A session that builds whole again (as after a settings change) keeps the ids it
/// gave: a note added before the others in path order must not take another note's id
/// in the comparison with the written site.
#[test]
fn a_whole_build_in_a_session_compares_by_the_ids_it_gave() {
    let (tmp, vault, out, mut session) = built_example();
    let first = b"---\nname: Aaa First\nindustry: Tea\n---\nHi.\n";
    common::write(&vault, "companies/aaa-first.md", first);
    let outcome = session.build();
    assert!(outcome.written(), "{:?}", outcome.diagnostics);
    let want = full_build(&vault, tmp.path()).expect("the vault builds");
    assert_same_trees(0, "a whole build", &tree(&out), &want);
    let pages = want
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"));
    assert!(
        outcome.rendered < pages.count() / 2,
        "rendered {} pages: the ids did not match",
        outcome.rendered
    );
}

/// Moving an alias changes which note a reference finds, not the referring note's
/// text: its pages must follow the reference all the same.
#[test]
fn a_reference_that_finds_another_note_after_an_alias_moves_shows_it() {
    let (tmp, vault) = common::example_vault();
    let out = tmp.path().join("out");
    let lena = "contacts/lena-novak.md";
    let text = fs::read_to_string(vault.join(lena)).unwrap();
    let text = text.replace("company: \"[[Tallgrass Analytics]]\"", "company: Tallgrass");
    fs::write(vault.join(lena), text).unwrap();
    let mut session = Session::new(options(&vault, &out)).rebuilding();
    assert!(session.build().written());
    move_alias(
        &vault,
        "companies/tallgrass-analytics.md",
        "companies/parcelwise.md",
    );
    let changed = [
        "companies/tallgrass-analytics.md",
        "companies/parcelwise.md",
    ];
    update_and_compare(&mut session, &vault, tmp.path(), &out, &changed);
    let page = fs::read_to_string(out.join("contacts/lena-novak.html")).unwrap();
    assert!(page.contains("Parcelwise</a>"), "{page}");
}

/// Moves the alias `Tallgrass` from the company at `from` to the one at `to`.
fn move_alias(vault: &Path, from: &str, to: &str) {
    let edit = |rel: &str, old: &str, new: &str| {
        let text = fs::read_to_string(vault.join(rel)).unwrap();
        assert!(text.contains(old), "{rel} has no `{old}`");
        fs::write(vault.join(rel), text.replacen(old, new, 1)).unwrap();
    };
    edit(from, "  - Tallgrass\n", "  - Tallgrass Co\n");
    edit(to, "aliases:\n", "aliases:\n  - Tallgrass\n");
}

#[test]
fn a_note_that_changes_kind_moves_its_page() {
    let (tmp, vault, out, mut session) = built_example();
    common::write(&vault, "notes/alpha.md", b"---\ntitle: Alpha\n---\nA.\n");
    update_and_compare(&mut session, &vault, tmp.path(), &out, &["notes/alpha.md"]);
    let company = b"---\nkind: company\nname: Alpha\n---\nA.\n";
    common::write(&vault, "notes/alpha.md", company);
    update_and_compare(&mut session, &vault, tmp.path(), &out, &["notes/alpha.md"]);
    assert!(!out.join("notes/alpha.html").exists());
    assert!(out.join("companies/alpha.html").exists());
}

#[test]
fn a_chat_named_after_its_contact_follows_the_contacts_new_name() {
    let (tmp, vault) = common::vault(&[
        ("contacts/ada.md", "---\nname: Ada\nstatus: met\n---\nHi.\n"),
        (
            "interviews/chat.md",
            "---\nwith: ada\ndate: 2026-11-10 08:00\nstatus: scheduled\nquestions:\n  - {ref: q1}\n---\nNo links here.\n",
        ),
        (
            "questions/bank.md",
            "---\ncategory: Bank\nquestions:\n  - id: q1\n    ask: \"Why?\"\n---\n",
        ),
    ]);
    let out = tmp.path().join("out");
    let mut session = Session::new(options(&vault, &out)).rebuilding();
    assert!(session.build().written());
    let renamed = b"---\nname: Ada Lovelace\nstatus: met\n---\nHi.\n";
    common::write(&vault, "contacts/ada.md", renamed);
    update_and_compare(&mut session, &vault, tmp.path(), &out, &["contacts/ada.md"]);
    let bank = fs::read_to_string(out.join("questions/bank.html")).unwrap();
    assert!(bank.contains("Chat with Ada Lovelace"), "{bank}");
}

/// List rows and calendar entries are kept across rebuilds under a hash of what they
/// show: a contact's title and a company's name, which show in other notes' rows and
/// entries (and in the reminders of an unanswered outreach to its people), must reach
/// them.
#[test]
fn kept_rows_and_calendar_entries_follow_the_notes_they_show() {
    let (tmp, vault, out, mut session) = built_example();
    let marcus = "contacts/marcus-chen.md";
    let text = fs::read_to_string(vault.join(marcus)).unwrap();
    let text = set_field(&text, "title", "Head of Product Analytics").unwrap();
    fs::write(vault.join(marcus), text).unwrap();
    update_and_compare(&mut session, &vault, tmp.path(), &out, &[marcus]);
    // Unfolded: calendar.ics folds long lines, and escapes commas.
    let calendar = || {
        fs::read_to_string(out.join("calendar.ics"))
            .unwrap()
            .replace("\r\n ", "")
    };
    assert!(
        calendar().contains("(Head of Product Analytics\\, Ledgerly)"),
        "{}",
        calendar()
    );

    let ledgerly = "companies/ledgerly.md";
    let text = fs::read_to_string(vault.join(ledgerly)).unwrap();
    let text = text.replacen(
        "name: Ledgerly\naliases:\n",
        "name: Ledgerly Pay\naliases:\n  - Ledgerly\n",
        1,
    );
    fs::write(vault.join(ledgerly), text).unwrap();
    update_and_compare(&mut session, &vault, tmp.path(), &out, &[ledgerly]);
    let contacts = fs::read_to_string(out.join("contacts.html")).unwrap();
    assert!(contacts.contains("Ledgerly Pay</a>"), "{contacts}");
    assert!(
        calendar().contains("(Head of Product Analytics\\, Ledgerly Pay)"),
        "{}",
        calendar()
    );
    // Dana's unanswered outreach names her company.
    assert!(
        calendar().contains("try someone else at Ledgerly Pay"),
        "{}",
        calendar()
    );

    let text = fs::read_to_string(vault.join(marcus)).unwrap();
    let text = set_field(&text, "status", "keep-in-touch").unwrap();
    fs::write(vault.join(marcus), text).unwrap();
    update_and_compare(&mut session, &vault, tmp.path(), &out, &[marcus]);
}

/// A rebuild makes calendar.ics again only when the key of what it shows changed. A
/// contact's status is not on it, so saving a new status twice keeps the file; a
/// planned action's text is, so changing it must reach the file.
#[test]
fn calendar_is_made_again_only_when_what_it_shows_changed() {
    let (tmp, vault, out, mut session) = built_example();
    let kevin = "contacts/kevin-walsh.md";
    let edit = |f: &dyn Fn(&str) -> String| {
        let text = fs::read_to_string(vault.join(kevin)).unwrap();
        fs::write(vault.join(kevin), f(&text)).unwrap();
    };
    for status in ["keep-in-touch", "met"] {
        edit(&|t| set_field(t, "status", status).unwrap());
        update_and_compare(&mut session, &vault, tmp.path(), &out, &[kevin]);
    }
    let calendar = || fs::read_to_string(out.join("calendar.ics")).unwrap();
    assert!(calendar().contains("SUMMARY:Ping Kevin about a 20-minute call"));

    edit(&|t| t.replace("a 20-minute call", "a 30-minute call"));
    update_and_compare(&mut session, &vault, tmp.path(), &out, &[kevin]);
    assert!(
        calendar().contains("SUMMARY:Ping Kevin about a 30-minute call"),
        "{}",
        calendar()
    );
}

#[test]
fn a_link_added_in_a_save_with_errors_shows_once_the_errors_are_fixed() {
    let (tmp, vault, out, mut session) = built_example();
    let rel = "contacts/elena-park.md";
    let text = fs::read_to_string(vault.join(rel)).unwrap();
    let linked = format!("{text}\nShe asked about my [[Job search plan]].\n");
    let broken = linked.replacen("stay_in_touch: 60d", "stay_in_touch: soon", 1);
    fs::write(vault.join(rel), broken).unwrap();
    let outcome = session.update(&[PathBuf::from(rel)], false);
    assert!(!outcome.written(), "a bad duration is an error");
    // Fixed without touching the body: the link itself is no news in this save.
    fs::write(vault.join(rel), linked).unwrap();
    update_and_compare(&mut session, &vault, tmp.path(), &out, &[rel]);
    let plan = fs::read_to_string(out.join("notes/job-search-plan.html")).unwrap();
    assert!(plan.contains("contacts/elena-park.html"), "{plan}");
}

/// A save with errors renders the bodies that link to a note whose name it changed; the
/// next save, here one that adds a note, renders them again with the name as it is.
#[test]
fn a_name_broken_by_a_save_with_errors_and_mended_with_a_new_note_shows_mended() {
    let (tmp, vault) = common::example_vault();
    let out = tmp.path().join("out");
    let plan = "notes/job-search-plan.md";
    let text = fs::read_to_string(vault.join(plan)).unwrap();
    let linked = format!("{text}\nSee [[interviews/2026-11-10-marcus-chen]].\n");
    fs::write(vault.join(plan), linked).unwrap();
    let mut session = Session::new(options(&vault, &out)).rebuilding();
    assert!(session.build().written());
    let chat = "interviews/2026-11-10-marcus-chen.md";
    let text = fs::read_to_string(vault.join(chat)).unwrap();
    let broken = text.replacen("---\n", "---\nstatus: [unclosed\n", 1);
    fs::write(vault.join(chat), broken).unwrap();
    assert!(!session.update(&[PathBuf::from(chat)], false).written());
    fs::write(vault.join(chat), text).unwrap();
    common::write(&vault, "notes/alpha.md", b"---\ntitle: Alpha\n---\nA.\n");
    update_and_compare(
        &mut session,
        &vault,
        tmp.path(),
        &out,
        &[chat, "notes/alpha.md"],
    );
    let page = fs::read_to_string(out.join("notes/job-search-plan.html")).unwrap();
    assert!(page.contains("Chat with Marcus Chen, 2026-11-10"), "{page}");
}

/// A list long enough to be kept in runs of rows (the follow-up log's touchpoints):
/// a touchpoint added in its middle, another changed in the next save (put together from
/// the runs the first save kept), then one removed, each equal to a full build.
#[test]
fn a_long_list_changed_save_after_save_matches_a_full_build() {
    let (tmp, vault) = common::example_vault();
    let out = tmp.path().join("out");
    let log = |notes: &[String]| {
        let entries: Vec<String> = notes
            .iter()
            .enumerate()
            .map(|(i, note)| {
                let day = 1 + i % 28;
                format!(
                    "  - {{date: 2026-0{}-{day:02}, type: note, note: {note}}}\n",
                    1 + i / 28
                )
            })
            .collect();
        format!(
            "---\nname: Long Log\nstatus: met\nlog:\n{}---\n",
            entries.concat()
        )
    };
    let mut notes: Vec<String> = (0..200).map(|i| format!("Touch {i}")).collect();
    common::write(&vault, "contacts/long-log.md", log(&notes).as_bytes());
    let mut session = Session::new(options(&vault, &out)).rebuilding();
    assert!(session.build().written());
    let followups = || fs::read_to_string(out.join("followups.html")).unwrap();
    assert!(followups().contains("Touch 199"));

    for (step, change) in ["added", "changed", "removed"].into_iter().enumerate() {
        match change {
            "added" => notes.insert(100, "A new touch".into()),
            "changed" => notes[150] = "A changed touch".into(),
            _ => {
                notes.remove(50);
            }
        }
        common::write(&vault, "contacts/long-log.md", log(&notes).as_bytes());
        update_and_compare(
            &mut session,
            &vault,
            tmp.path(),
            &out,
            &["contacts/long-log.md"],
        );
        let page = followups();
        assert!(page.contains("A new touch"), "step {step}");
        assert_eq!(page.contains("A changed touch"), step >= 1, "step {step}");
        assert_eq!(page.contains("Touch 50<"), step < 2, "step {step}");
    }
}

/// A contact's first paragraph goes on the briefing of their chat, so an edit to the
/// contact alone can make the chat's briefing too long: the chat's warnings are found
/// again, then go again when the paragraph is shortened.
#[test]
fn a_contact_edit_warns_of_their_chats_long_briefing() {
    let (tmp, vault, out, mut session) = built_example();
    let contact = "contacts/tomas-alvarez.md";
    let chat = "interviews/2026-12-10-tomas-alvarez.md";
    let too_long = |outcome: &Outcome| {
        outcome
            .diagnostics
            .iter()
            .any(|d| d.rule() == "briefing-too-long" && d.file == Path::new(chat))
    };
    // The contact's research gives way on paper: a long one changes the briefing's
    // page (compared with a fresh build) but is no warning.
    let text = fs::read_to_string(vault.join(contact)).unwrap();
    let long = "He has stories about every part of the job. ".repeat(120);
    let first = "Tomás runs the shipper-experience group at Parcelwise";
    let longer = text.replacen(first, &format!("{long}\n\n{first}"), 1);
    fs::write(vault.join(contact), longer).unwrap();
    let outcome = update_and_compare(&mut session, &vault, tmp.path(), &out, &[contact]);
    assert!(!too_long(&outcome), "{:?}", outcome.diagnostics);
    fs::write(vault.join(contact), &text).unwrap();
    update_and_compare(&mut session, &vault, tmp.path(), &out, &[contact]);
    // The chat's own prep does not: a long one is.
    let text = fs::read_to_string(vault.join(chat)).unwrap();
    let prep = "- Ask about every squad's planning ritual and who decides.\n".repeat(40);
    let longer = text.replacen("## Prep\n", &format!("## Prep\n{prep}"), 1);
    fs::write(vault.join(chat), longer).unwrap();
    let outcome = update_and_compare(&mut session, &vault, tmp.path(), &out, &[chat]);
    assert!(too_long(&outcome), "{:?}", outcome.diagnostics);
    fs::write(vault.join(chat), &text).unwrap();
    let outcome = update_and_compare(&mut session, &vault, tmp.path(), &out, &[chat]);
    assert!(!too_long(&outcome), "{:?}", outcome.diagnostics);
}

/// Markdown saved where a walk of the vault does not look (a hidden folder, a reserved
/// one, the output folder inside the vault) is no note, though the watcher reports it:
/// the site stays as it was.
#[test]
fn markdown_saved_where_the_walk_does_not_look_makes_no_page() {
    let (_tmp, vault) = common::example_vault();
    let out = vault.join("site");
    let mut session = Session::new(options(&vault, &out)).rebuilding();
    assert!(session.build().written(), "the example vault builds");
    let text = b"---\ntitle: Stray\n---\nNot a note of the site.\n";
    for rel in [".obsidian/stray.md", "templates/stray.md", "site/stray.md"] {
        let before = tree(&out);
        common::write(&vault, rel, text);
        let outcome = session.update(&[PathBuf::from(rel)], false);
        assert!(outcome.written(), "{rel}: {:?}", outcome.diagnostics);
        let mut after = tree(&out);
        after.remove(Path::new("stray.md"));
        assert_same_trees(0, rel, &after, &before);
    }
}

/// Through a linked folder a walk can reach a note by two paths, and lists the first
/// in path order: a save inside the folder linked to is that note, not a new one.
#[cfg(unix)]
#[test]
fn a_note_saved_in_a_linked_folder_is_found_by_the_path_a_walk_lists() {
    let (tmp, vault, out, mut session) = built_example();
    std::os::unix::fs::symlink(vault.join("notes"), vault.join("aaa")).unwrap();
    assert!(session.build().written(), "the vault builds with the link");
    let rel = "notes/linked.md";
    common::write(
        &vault,
        rel,
        b"---\ntitle: Linked\n---\nSee [[Nobody at all]].\n",
    );
    update_and_compare(&mut session, &vault, tmp.path(), &out, &[rel]);
}

/// A note embedded in another, and embedded in turn: a save of it rebuilds every page
/// that shows its text, as a full build does.
#[test]
fn a_save_of_an_embedded_note_rebuilds_the_pages_that_embed_it() {
    let (tmp, vault, out, mut session) = built_example();
    let plan = "notes/job-search-plan.md";
    let text = fs::read_to_string(vault.join(plan)).unwrap();
    fs::write(vault.join(plan), format!("{text}\n![[Priya Raman]]\n")).unwrap();
    common::write(
        &vault,
        "notes/digest.md",
        b"---\ntitle: Digest\n---\n![[Job search plan]]\n",
    );
    update_and_compare(
        &mut session,
        &vault,
        tmp.path(),
        &out,
        &[plan, "notes/digest.md"],
    );
    let contact = "contacts/priya-raman.md";
    let text = fs::read_to_string(vault.join(contact)).unwrap();
    fs::write(
        vault.join(contact),
        format!("{text}\nShe moved to the payments team.\n"),
    )
    .unwrap();
    update_and_compare(&mut session, &vault, tmp.path(), &out, &[contact]);
    let digest = fs::read_to_string(out.join("notes/digest.html")).unwrap();
    assert!(
        digest.contains("She moved to the payments team."),
        "{digest}"
    );
}

/// The example vault with 240 more notes, "Idea 0" to "Idea 239": 266 notes, which
/// make two shards of the search index. Built once by the session returned.
fn two_shards() -> (tempfile::TempDir, PathBuf, PathBuf, Session) {
    let (tmp, vault) = common::example_vault();
    let out = tmp.path().join("out");
    for i in 0..240 {
        let text = format!("---\ntitle: Idea {i}\n---\nIdea number {i}.\n");
        common::write(&vault, &format!("notes/idea-{i:03}.md"), text.as_bytes());
    }
    assert_eq!(notes(&vault).len(), 266);
    let mut session = Session::new(options(&vault, &out)).rebuilding();
    assert!(session.build().written());
    (tmp, vault, out, session)
}

/// A note's search entry shows its own front matter, its name and its words, not its
/// backlinks nor where the notes it links to are. So a note that links to ideas in
/// both shards, added or moved, makes again only the shards it joins or leaves, while
/// every idea it links to shows it among its backlinks.
#[test]
fn notes_linked_to_keep_their_search_entries() {
    let (tmp, vault, out, mut session) = two_shards();
    let links: String = (0..20).map(|i| format!("[[Idea {i}]] ")).collect();
    let hub = "notes/hub.md";
    common::write(
        &vault,
        hub,
        format!("---\ntitle: Hub\n---\n{links}\n").as_bytes(),
    );
    let outcome = update_and_compare(&mut session, &vault, tmp.path(), &out, &[hub]);
    // The hub's page, its shard, the manifest, the notes index, A to Z, the dashboard,
    // the tags page, and the twenty ideas' pages, which list it among their backlinks.
    assert_eq!(outcome.rendered, 27);
    let idea = fs::read_to_string(out.join("notes/idea-000.html")).unwrap();
    assert!(idea.contains("notes/hub.html"), "{idea}");

    // Renamed, its page moves: the ideas' backlinks follow, and each idea that links
    // back to it links to the new page, but the ideas' entries stay as they were.
    let back = "notes/idea-001.md";
    let text = "---\ntitle: Idea 1\n---\nIdea number 1, from [[Hub]].\n";
    common::write(&vault, back, text.as_bytes());
    update_and_compare(&mut session, &vault, tmp.path(), &out, &[back]);
    fs::rename(vault.join(hub), vault.join("notes/hub-moved.md")).unwrap();
    let changed = [hub, "notes/hub-moved.md"];
    let outcome = update_and_compare(&mut session, &vault, tmp.path(), &out, &changed);
    // As above, with the page it left; the two paths fall in one shard.
    assert_eq!(outcome.rendered, 27);
}

/// A vault of 266 notes has two shards of the search index: a note added goes into
/// one, and the other, which neither gained nor lost a note, is not made again.
#[test]
fn a_new_note_renders_only_its_own_shard_of_the_search_index() {
    let (tmp, vault, out, mut session) = two_shards();
    let shards = || fs::read_dir(out.join("search")).unwrap().count();
    assert_eq!(shards(), 3, "the manifest and two shards");

    common::write(
        &vault,
        "notes/new-idea.md",
        b"---\ntitle: New idea\n---\nFresh.\n",
    );
    let outcome = update_and_compare(
        &mut session,
        &vault,
        tmp.path(),
        &out,
        &["notes/new-idea.md"],
    );
    // The note's page, its shard, the manifest (which counts the notes) and the pages
    // that list every note or every plain note: the notes index, A to Z, the dashboard
    // and the tags page.
    assert_eq!(outcome.rendered, 7);
    let removed = "notes/idea-007.md";
    fs::remove_file(vault.join(removed)).unwrap();
    let outcome = update_and_compare(&mut session, &vault, tmp.path(), &out, &[removed]);
    // The same but the note's page, which is gone.
    assert_eq!(outcome.rendered, 6);

    // Down to 255 notes: one shard, made again whole, and the second one's file goes.
    let gone: Vec<String> = (0..11)
        .map(|i| format!("notes/idea-{:03}.md", 100 + i))
        .collect();
    for rel in &gone {
        fs::remove_file(vault.join(rel)).unwrap();
    }
    let gone: Vec<&str> = gone.iter().map(String::as_str).collect();
    update_and_compare(&mut session, &vault, tmp.path(), &out, &gone);
    assert_eq!(shards(), 2, "the manifest and one shard");
    common::write(
        &vault,
        "notes/idea-100.md",
        b"---\ntitle: Back\n---\nAgain.\n",
    );
    update_and_compare(
        &mut session,
        &vault,
        tmp.path(),
        &out,
        &["notes/idea-100.md"],
    );
    assert_eq!(shards(), 3);
}

/// A link or reference that finds nothing suggests the closest name: when a note of a
/// close name comes or goes, the suggestion follows, though no key it was looked up by
/// changed. The reference is an error, so its site is not written: the problems are
/// compared with a full build's.
#[test]
fn a_missing_links_suggestion_follows_the_notes_that_come_and_go() {
    let (tmp, vault, _out, mut session) = built_example();
    let linking = "notes/linking.md";
    let text = b"---\ntitle: Linking\n---\nSee [[Elena Parkes]].\n";
    common::write(&vault, linking, text);
    let referring = "contacts/rina-osei.md";
    let contact = b"---\nname: Rina Osei\ncompany: \"[[Ledgerlyy]]\"\n---\nHi.\n";
    common::write(&vault, referring, contact);
    let mut update = |changed: [&str; 2]| {
        let changed = changed.map(PathBuf::from);
        let outcome = session.update(&changed, false);
        let (_, want) = full_build_reporting(&vault, tmp.path());
        assert_eq!(outcome.diagnostics, want, "{changed:?}");
        let hints = outcome.diagnostics.into_iter().filter_map(|d| d.hint);
        hints
            .filter(|h| h.starts_with("did you mean"))
            .collect::<Vec<_>>()
    };
    let first = ["did you mean `Ledgerly`?", "did you mean `Elena Park`?"];
    assert_eq!(update([linking, referring]), first);
    // Closer names join: both suggest them instead.
    let closer = "contacts/elena-parkes-b.md";
    common::write(&vault, closer, b"---\nname: Elena Parke\n---\n");
    let company = "companies/ledgerlyyy.md";
    common::write(&vault, company, b"---\nname: Ledgerlyyy\n---\n");
    let closest = ["did you mean `Ledgerlyyy`?", "did you mean `Elena Parke`?"];
    assert_eq!(update([closer, company]), closest);
    // And leave again: the first suggestions come back.
    fs::remove_file(vault.join(closer)).unwrap();
    fs::remove_file(vault.join(company)).unwrap();
    assert_eq!(update([closer, company]), first);
}

/// A contact whose front matter breaks is read as a plain note, with no references:
/// the problem its company reference had goes with them.
#[test]
fn a_broken_front_matter_takes_its_reference_problems_with_it() {
    let (tmp, vault, _out, mut session) = built_example();
    let rel = "contacts/rina-osei.md";
    let text = "---\nname: Rina Osei\ncompany: \"[[Ledgerlyy]]\"\n---\nHi.\n";
    let mut update = |text: &str| {
        common::write(&vault, rel, text.as_bytes());
        let outcome = session.update(&[PathBuf::from(rel)], false);
        let (_, want) = full_build_reporting(&vault, tmp.path());
        assert_eq!(outcome.diagnostics, want);
        let unknown = |d: &Diagnostic| d.message.contains("no company is called `Ledgerlyy`");
        outcome.diagnostics.iter().any(unknown)
    };
    assert!(update(text));
    let broken = text.replacen("---\n", &format!("---\n{BROKEN}"), 1);
    assert!(!update(&broken));
}
