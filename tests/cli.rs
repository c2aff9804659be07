//! The command line as a newcomer meets it: every command's `--help` and its examples,
//! pasted into a shell; shell completions and man pages; a folder that is not a vault;
//! and the README's install steps and quick start.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};
use std::time::Duration;

use common::*;
use tempfile::TempDir;

/// Every command and subcommand, as its words after `coffeechat`.
const COMMANDS: [&str; 16] = [
    "build",
    "check",
    "watch",
    "serve",
    "init",
    "new",
    "new contact",
    "new company",
    "new interview",
    "new questions",
    "log",
    "done",
    "import",
    "import linkedin",
    "completions",
    "man",
];

fn run(cwd: &Path, args: &[&str]) -> Output {
    coffeechat()
        .current_dir(cwd)
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

fn help(words: &str) -> String {
    let tmp = TempDir::new().unwrap();
    let mut args: Vec<&str> = words.split_whitespace().collect();
    args.push("--help");
    let o = run(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

/// The commands of a help text's "Examples:" block: each starts two spaces in, and
/// what it does follows after two or more spaces or on the lines below, indented more.
fn examples(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Examples:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split("  ").next().unwrap().trim_end().to_string())
        .collect()
}

/// A home folder as a user would have it: `~/vault` and the current folder
/// `~/here` are vaults fresh from `coffeechat init` (`~/here` is empty for `init`
/// itself), and LinkedIn's export is in `~/Downloads` and in the current folder.
struct Sandbox {
    _tmp: TempDir,
    home: PathBuf,
    here: PathBuf,
}

impl Sandbox {
    fn new(here_is_a_vault: bool) -> Sandbox {
        let tmp = TempDir::new().unwrap();
        let home = tmp.path().join("home");
        let here = home.join("here");
        fs::create_dir_all(&here).unwrap();
        let init = |dir: &Path| {
            let o = run(&home, &["init", dir.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        };
        init(&home.join("vault"));
        if here_is_a_vault {
            init(&here);
        }
        let csv =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/linkedin/Connections.csv");
        fs::create_dir_all(home.join("Downloads")).unwrap();
        fs::copy(&csv, home.join("Downloads/Connections.csv")).unwrap();
        fs::copy(&csv, here.join("Connections.csv")).unwrap();
        Sandbox {
            _tmp: tmp,
            home,
            here,
        }
    }

    /// Runs `lines` in bash as pasted, one after another, stopping at the first that
    /// fails, with the `coffeechat` under test first on the PATH.
    fn paste(&self, lines: &[String]) -> Output {
        let bin = assert_cmd::cargo::cargo_bin("coffeechat");
        let path = format!(
            "{}:{}",
            bin.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let script = format!("set -ex\n{}\n", lines.join("\n"));
        Process::new("bash")
            .arg("-c")
            .arg(script)
            .current_dir(&self.here)
            .env("HOME", &self.home)
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env_remove("DISPLAY")
            .output()
            .unwrap()
    }
}

/// `watch` and `serve` run until Ctrl-C: their examples are checked for what clap
/// accepts (arguments before `--help` are still parsed) rather than run.
fn runnable(example: &str) -> String {
    match ["coffeechat watch", "coffeechat serve"]
        .iter()
        .any(|c| example.starts_with(c))
    {
        true => format!("{example} --help"),
        false => example.to_string(),
    }
}

#[test]
fn every_command_has_its_own_examples_and_they_work_when_pasted() {
    for words in COMMANDS {
        let text = help(words);
        let own = examples(&text);
        assert!(
            !own.is_empty(),
            "`coffeechat {words} --help` has no examples:\n{text}"
        );
        let name = format!("coffeechat {words}");
        for example in &own {
            assert!(
                example.contains(&name),
                "`{name} --help` shows another command's example: {example}"
            );
        }
        let sandbox = Sandbox::new(words != "init");
        let lines: Vec<String> = own.iter().map(|e| runnable(e)).collect();
        let o = sandbox.paste(&lines);
        assert_eq!(
            o.status.code(),
            Some(0),
            "an example of `{name} --help` fails when pasted:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            stderr(&o)
        );
    }
}

#[test]
fn the_overview_shows_examples_of_the_commands_that_work_there_too() {
    let top = help("");
    let tour = examples(&top);
    assert!(tour.len() >= 5, "{top}");
    let all: Vec<String> = COMMANDS.iter().flat_map(|c| examples(&help(c))).collect();
    for example in &tour {
        assert!(
            all.contains(example),
            "`coffeechat --help` shows `{example}`, which no command's own examples run"
        );
    }
}

#[test]
fn check_describes_its_options_for_what_check_does() {
    let text = help("check");
    assert!(
        !text.contains("Where to write the site"),
        "check writes no site:\n{text}"
    );
    assert_contains(&text, "check writes nothing there");
    assert_contains(&text, "for the warnings about what is overdue");
    // The option still works as before: the folder it names is not read.
    let (_tmp, vault) = vault(&[
        ("contacts/ada.md", "---\nname: Ada\n---\n"),
        ("site/stray.md", "---\nkind: contact\n---\n"),
    ]);
    let o = run(&vault, &["check", "-o", "site"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

const SUBCOMMANDS: [&str; 9] = [
    "build",
    "check",
    "watch",
    "serve",
    "init",
    "new",
    "import",
    "completions",
    "man",
];

#[test]
fn completions_for_each_shell_know_every_command() {
    let tmp = TempDir::new().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = run(tmp.path(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = String::from_utf8(o.stdout).unwrap();
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "the {shell} script lacks `{sub}`");
        }
    }
    let o = run(tmp.path(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2), "an unknown shell is bad usage");
    assert_contains(&stderr(&o), "possible values: bash");
}

#[test]
fn the_bash_script_completes_commands_and_options() {
    let sandbox = Sandbox::new(true);
    let complete = |words: &str| {
        let o = sandbox.paste(&[
            "source <(coffeechat completions bash)".into(),
            format!("COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))"),
            "_coffeechat coffeechat \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\""
                .into(),
            "echo \"${COMPREPLY[@]}\"".into(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    assert_eq!(complete("coffeechat bu").trim(), "build");
    assert_contains(&complete("coffeechat build --no"), "--no-wait");
    assert_contains(&complete("coffeechat completions f"), "fish");
}

#[test]
fn man_prints_a_page_for_coffeechat_and_for_each_command() {
    let tmp = TempDir::new().unwrap();
    let page = |args: &[&str]| {
        let o = run(tmp.path(), args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let top = page(&["man"]);
    assert_contains(&top, ".TH coffeechat 1");
    for sub in SUBCOMMANDS {
        assert_contains(&top, &format!("coffeechat\\-{sub}(1)"));
    }
    let build = page(&["man", "build"]);
    assert_contains(&build, ".TH coffeechat-build 1");
    assert_contains(&build, "\\-\\-no\\-wait");
    // The examples keep their lines: not filled into a paragraph.
    assert_contains(&build, ".SH EXAMPLES\n.nf\n");
    assert_contains(&build, "coffeechat build \\-\\-no\\-wait");
    let contact = page(&["man", "new", "contact"]);
    assert_contains(&contact, ".TH coffeechat-new-contact 1");
    assert_contains(&contact, "\\-\\-introduced\\-by");
    let o = run(tmp.path(), &["man", "new", "robot"]);
    assert_eq!(o.status.code(), Some(2));
    assert_contains(&stderr(&o), "`coffeechat new` has no command `robot`");
}

#[test]
fn a_folder_without_notes_or_settings_is_not_a_vault() {
    let tmp = TempDir::new().unwrap();
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    fs::write(empty.join("notes.txt"), "not Markdown").unwrap();
    for args in [
        &["build"][..],
        &["check"],
        &["watch"],
        &["serve", "--port", "0"],
    ] {
        let o = run(&empty, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert_contains(
            &stderr(&o),
            "error: this folder is not a vault (no notes found); run `coffeechat init`",
        );
        let names: Vec<_> = fs::read_dir(&empty)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["notes.txt"], "{args:?} wrote into the folder");
    }
    let o = run(tmp.path(), &["build", "empty"]);
    assert_eq!(o.status.code(), Some(1));
    assert_contains(
        &stderr(&o),
        "error: empty is not a vault (no notes found); run `coffeechat init empty`",
    );
}

#[test]
fn a_folder_with_only_settings_or_only_notes_is_a_vault() {
    for (rel, text) in [
        ("coffeechat.yaml", "title: Mine\n"),
        ("ideas.md", "Someone to meet.\n"),
    ] {
        let (_tmp, vault) = vault(&[(rel, text)]);
        for command in ["check", "build"] {
            let o = run(&vault, &[command]);
            assert_eq!(o.status.code(), Some(0), "{rel}, {command}: {}", stderr(&o));
        }
        assert!(vault.join("public/index.html").is_file());
    }
}

fn readme() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The README's text outside code blocks and code spans.
fn prose(markdown: &str) -> String {
    let mut text = String::new();
    let mut in_block = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
        } else if !in_block {
            let spans: Vec<&str> = line.split('`').collect();
            text.extend(spans.iter().step_by(2).copied());
            text.push('\n');
        }
    }
    text
}

/// The lines of the first ```sh block under the heading `heading`.
fn sh_block(markdown: &str, heading: &str) -> Vec<String> {
    markdown
        .lines()
        .skip_while(|l| *l != heading)
        .skip_while(|l| *l != "```sh")
        .skip(1)
        .take_while(|l| *l != "```")
        .map(str::to_string)
        .collect()
}

#[test]
fn the_readme_starts_with_how_to_install() {
    let readme = readme();
    let first = readme.lines().find(|l| l.starts_with("## ")).unwrap();
    assert_eq!(first, "## Install");
    let install = readme.split("## Install\n").nth(1).unwrap();
    let install = install.split("\n## ").next().unwrap();
    assert_contains(install, "cargo install --path .");
    assert_contains(install, "cargo run --release -- build example-vault");
}

#[test]
fn the_readme_quick_start_works_when_pasted() {
    let readme = readme();
    let heading = "## Your own vault";
    let lines = sh_block(&readme, heading);
    let commands: Vec<String> = lines
        .iter()
        .map(|l| l.split(" #").next().unwrap().trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    assert!(
        (3..=10).contains(&commands.len()),
        "the quick start is {} lines",
        commands.len()
    );
    let sandbox = Sandbox::new(false);
    let pasted: Vec<String> = commands.iter().map(|c| runnable(c)).collect();
    let o = sandbox.paste(&pasted);
    assert_eq!(
        o.status.code(),
        Some(0),
        "the README's quick start fails:\n{}",
        stderr(&o)
    );
}

#[test]
fn the_readme_points_nowhere_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = prose(&readme());
    assert!(!text.contains("../"), "a path out of the repository");
    for target in text
        .split("](")
        .skip(1)
        .map(|s| s.split(')').next().unwrap())
    {
        let path = target.split('#').next().unwrap();
        assert!(
            path.is_empty() || root.join(path).exists(),
            "the README links to {target}, which is not in the repository"
        );
    }
    for (line, html) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("src=\""))
    {
        let src = html
            .split("src=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(root.join(src).exists(), "line {line}: {src}");
    }
}

#[test]
fn the_readme_leaves_internals_to_architecture() {
    let readme = readme();
    let user = readme.split("## Dependencies and why").next().unwrap();
    for internal in ["renameat2", "RENAME_EXCHANGE", "ext4", "content hash"] {
        assert!(
            !user.contains(internal),
            "the README explains `{internal}`, an internal: ARCHITECTURE.md's"
        );
    }
    let architecture =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md")).unwrap();
    for internal in ["RENAME_EXCHANGE", "content hash", "record::Key"] {
        assert_contains(&architecture, internal);
    }
}

#[test]
fn the_readme_says_which_warnings_the_example_vault_shows_on_purpose() {
    let (_tmp, vault) = example_vault();
    let o = run(&vault, &["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let readme = readme();
    let said = readme
        .split("\n\n")
        .find(|p| p.contains("on purpose"))
        .expect("a paragraph of the README says which warnings are on purpose");
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    assert_contains(said, &format!("{} warnings", diagnostics.len()));
    for d in diagnostics {
        for key in ["rule", "file"] {
            let value = d[key].as_str().unwrap();
            assert!(
                said.contains(&format!("`{value}`")),
                "the README does not say `{value}` of the example's warning is on purpose:\n{said}"
            );
        }
    }
}
