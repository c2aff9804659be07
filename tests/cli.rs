//! The command line as a newcomer meets it: every command's `--help` and its examples,
//! pasted into a shell; shell completions and man pages; a folder that is not a vault.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};
use std::time::Duration;

use common::*;
use tempfile::TempDir;

/// Every command and subcommand, as its words after `coffeechat`.
const COMMANDS: [&str; 14] = [
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
