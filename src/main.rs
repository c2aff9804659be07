//! The `coffeechat` command line.

use ahash::AHashSet;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{CommandFactory, Parser, Subcommand};
use jiff::civil::Date;

use coffeechat::diag::{Diagnostic, Printer, Severity, count, plural, printable};
use coffeechat::edit;
use coffeechat::import::{ImportSource, linkedin};
use coffeechat::scaffold::{self, Refusal};
use coffeechat::serve::{self, Server};
use coffeechat::session::{Options, Outcome, Session, Waiting};
use coffeechat::watch::{self, VaultWatcher};

const EXAMPLES: &str = "\
Examples:
  coffeechat init my-vault              start a vault: settings, your profile, examples
  coffeechat new contact \"Ada Lovelace\" --company \"Analytical Engines\"
                                        add a note from its template
  coffeechat import linkedin Connections.csv
                                        contacts and companies from LinkedIn
  coffeechat check                      list every problem in the vault
  coffeechat build                      build the vault in this folder into public/
  coffeechat serve --open               preview at http://127.0.0.1:4000/, reloading on save
  source <(coffeechat completions bash)
                                        tab completion in bash; zsh, fish, powershell:
                                        see coffeechat completions --help

Each command has its own examples: coffeechat help build, coffeechat new --help, ...";

const BUILD_EXAMPLES: &str = "\
Examples:
  coffeechat build                      build the vault in this folder into public/
  coffeechat build ~/vault -o ~/site    write the site somewhere else
  coffeechat build --today 2026-12-01   see the dashboard as it will look that day
  coffeechat build --no-wait            fail at once if serve or watch is writing now

Writes only the files that changed and removes the ones an earlier build wrote and
this one did not; nothing else in the folder is touched. One coffeechat writes to a
folder at a time: while serve, watch or another build writes there, build waits.";

const WATCH_EXAMPLES: &str = "\
Examples:
  coffeechat watch                      rebuild the vault in this folder on every save
  coffeechat watch ~/vault -o ~/site    write the site somewhere else
  coffeechat watch --poll               on a network drive or WSL, where saves send no events

Ignored: the output folder, hidden files and folders (.git, .obsidian), and editors'
temporary and backup files (4913, *.swp, *~, #*#, *___jb_tmp___, *.tmp, ...).
A vault with errors never stops it: the previous site stays and the next good save
rebuilds. Ctrl-C stops it; nothing is deleted.";

const SERVE_EXAMPLES: &str = "\
Examples:
  coffeechat serve                      preview at http://127.0.0.1:4000/
  coffeechat serve --open               and open it in the browser
  coffeechat serve ~/vault --port 8080  another vault, another port
  coffeechat serve --port 0             any free port; the address is printed

Listens on 127.0.0.1 only and serves only the output folder. Pages reload by
themselves once a rebuild is written; build errors show over the page until fixed.
Ignores what `coffeechat watch` ignores. Ctrl-C stops it; nothing is deleted.";

const CHECK_EXAMPLES: &str = "\
Examples:
  coffeechat check                      every problem, with file:line:column
  coffeechat check ~/vault --deny-warnings
                                        fail (exit 1) on warnings too, for CI
  coffeechat check --format json        one JSON object, schema in the README

Exit codes: 0 no errors (warnings allowed), 1 errors (or warnings with
--deny-warnings), 2 bad usage.";

const STATS_EXAMPLES: &str = "\
Examples:
  coffeechat stats                      this week, the funnel, reply rates, ...
  coffeechat stats ~/vault --today 2026-12-01
  coffeechat stats --format json        one JSON object, the Progress page's numbers

Exit codes: 0 printed, 1 errors in the vault, 2 bad usage.";

const INIT_EXAMPLES: &str = "\
Examples:
  coffeechat init my-vault              a new vault in ./my-vault
  coffeechat init                       make this folder a vault

Writes coffeechat.yaml, .gitignore (ignores the site folder), me.md, and one example
note of each kind: a company, a contact, a chat with them next week and a question
bank. Refuses, writing nothing, if any of these files already exists.";

const NEW_EXAMPLES: &str = "\
Examples:
  coffeechat new company \"Analytical Engines\" --industry Computing
  coffeechat new contact \"Ada Lovelace\" --company \"Analytical Engines\"
  coffeechat new interview \"Ada Lovelace\" --date \"2027-01-12 10:00\"
  coffeechat new questions \"Day to day\"
  coffeechat new contact \"Grace Hopper\" --vault ~/vault
                                        in another vault than this folder

Each note is written from its template (templates/new/KIND.md in the vault, else the
built-in one) and its path printed; an existing file is never overwritten. References
(--company, --with, --introduced-by) must name notes that exist. Run in this order in
a new vault, these examples work as they are.";

const LOG_EXAMPLES: &str = "\
Examples:
  coffeechat log \"Alex Rivera\" reply \"Happy to chat next week\"
  coffeechat log contacts/alex-rivera thank-you --date 2026-12-01
  coffeechat log \"Alex Rivera\" note \"Met at the meetup\" --vault ~/vault

Appends {date, type, note} to the contact's `log` and prints the change as a diff.
Only the lines added change: comments, key order, quoting, line endings and the body
stay as they are. A note with errors is left alone (fix what `coffeechat check` says).
Alex Rivera is the contact `coffeechat init` writes, so in a new vault these work.";

const DONE_EXAMPLES: &str = "\
Examples:
  coffeechat done interviews/*-alex-rivera.md
  coffeechat done interviews/*-alex-rivera.md --thank-you 2026-12-02

Sets the chat's `status: done` (and `thank_you: DATE`), replacing the value where
there is one, else adding the line, and prints the change as a diff. Name the chat by
its slug (2026-12-01-alex-rivera) or path. A note with errors is left alone.";

const IMPORT_EXAMPLES: &str = "\
Examples:
  coffeechat import linkedin Connections.csv
  coffeechat import linkedin ~/Downloads/Connections.csv ~/vault

See `coffeechat import linkedin --help` for where to get the file.";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  source <(coffeechat completions bash)  in ~/.bashrc: complete coffeechat in bash
  mkdir -p ~/.zfunc && coffeechat completions zsh > ~/.zfunc/_coffeechat
                                        then put `fpath=(~/.zfunc $fpath)` before
                                        `compinit` in ~/.zshrc
  mkdir -p ~/.config/fish/completions && coffeechat completions fish > ~/.config/fish/completions/coffeechat.fish
  coffeechat completions powershell > coffeechat.ps1
                                        then add `. /path/to/coffeechat.ps1` to $PROFILE

Prints the script on standard output; it completes commands, options and values
(shells, formats, note kinds), and file names where a folder or file is asked for.";

const MAN_EXAMPLES: &str = "\
Examples:
  coffeechat man > coffeechat.1         the page for coffeechat; read it with man ./coffeechat.1
  coffeechat man build > coffeechat-build.1
                                        the page for one command
  mkdir -p ~/.local/share/man/man1 && coffeechat man > ~/.local/share/man/man1/coffeechat.1
                                        install it, for `man coffeechat`

Prints the page in roff, the format of man pages, on standard output.";

/// Turns a vault of Markdown notes into an offline site that prepares you for
/// informational interviews: a dashboard of what is due, a one-page briefing per chat,
/// timed question lists and a follow-up log.
#[derive(Parser)]
#[command(version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render the vault into a static site (public/ inside the vault by default)
    #[command(after_help = BUILD_EXAMPLES)]
    Build(BuildArgs),
    /// Report every problem in the vault at once, without writing anything
    #[command(
        after_help = CHECK_EXAMPLES,
        mut_arg("output", |a| a.help(CHECK_OUTPUT)),
        mut_arg("today", |a| a.help(CHECK_TODAY)),
    )]
    Check(CheckArgs),
    /// Print the Progress page's numbers: chats a week, the funnel, reply rates, ...
    #[command(after_help = STATS_EXAMPLES)]
    Stats(StatsArgs),
    /// Rebuild the site on every save in the vault
    #[command(after_help = WATCH_EXAMPLES)]
    Watch(WatchArgs),
    /// Rebuild on every save and preview the site on 127.0.0.1, reloading open pages
    #[command(after_help = SERVE_EXAMPLES)]
    Serve(ServeArgs),
    /// Make a new vault: settings, your profile and one example note of each kind
    #[command(after_help = INIT_EXAMPLES)]
    Init {
        /// The folder to make the vault in (created if missing)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Add a note from its template: a contact, company, interview or question bank
    #[command(after_help = NEW_EXAMPLES)]
    New(scaffold::NewArgs),
    /// Log a touchpoint with a contact: an outreach, their reply, a thank-you, ...
    #[command(after_help = LOG_EXAMPLES)]
    Log(edit::LogArgs),
    /// Mark a chat done, and its thank-you sent
    #[command(after_help = DONE_EXAMPLES)]
    Done(edit::DoneArgs),
    /// Make notes from another tool's export
    #[command(after_help = IMPORT_EXAMPLES)]
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Print the tab-completion script for a shell
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell to complete coffeechat in
        shell: clap_complete::Shell,
    },
    /// Print the manual page of coffeechat, or of one of its commands
    #[command(after_help = MAN_EXAMPLES)]
    Man {
        /// The command whose page to print, e.g. `build` or `new contact`
        #[arg(value_name = "COMMAND")]
        command: Vec<String>,
    },
}

/// `check` writes nothing; what `-o` and `--today` mean there.
const CHECK_OUTPUT: &str = "The site folder, which is not read as part of the vault (default: the \
`output` setting, `public` inside the vault); check writes nothing there";
const CHECK_TODAY: &str = "Treat this date (YYYY-MM-DD) as today, for the warnings about what \
is overdue";

#[derive(clap::Args)]
struct BuildArgs {
    #[command(flatten)]
    vault: VaultArgs,
    /// When another coffeechat is writing the site, exit with 1 at once instead of
    /// waiting for it to finish
    #[arg(long)]
    no_wait: bool,
}

#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    vault: VaultArgs,
    /// How to print the problems
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with 1 when there are warnings, not only errors
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(clap::Args)]
struct StatsArgs {
    #[command(flatten)]
    vault: VaultArgs,
    /// How to print them: text, or one JSON object on standard output
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(clap::Args)]
struct WatchArgs {
    #[command(flatten)]
    vault: VaultArgs,
    /// Look at every file twice a second instead of waiting for the system's events
    /// (for network drives, WSL's view of Windows folders and other file systems
    /// without them)
    #[arg(long)]
    poll: bool,
}

#[derive(clap::Args)]
struct ServeArgs {
    #[command(flatten)]
    watch: WatchArgs,
    /// The port to listen on, on 127.0.0.1 only; 0 picks a free one
    #[arg(short, long, default_value_t = serve::DEFAULT_PORT)]
    port: u16,
    /// Open the site in the browser once it is built
    #[arg(long)]
    open: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// rustc-style text with the source line, on standard error
    Human,
    /// one JSON object on standard output
    Json,
}

#[derive(clap::Args)]
struct VaultArgs {
    /// The vault folder
    #[arg(default_value = ".")]
    vault: PathBuf,
    /// Where to write the site (default: the `output` setting, `public` inside the vault)
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Treat this date (YYYY-MM-DD) as today, for what is due; same vault and same date
    /// give byte-identical output
    #[arg(long, value_name = "DATE", value_parser = parse_today)]
    today: Option<Date>,
}

fn parse_today(s: &str) -> Result<Date, String> {
    s.parse::<Date>()
        .map_err(|e| format!("`{s}` is not a date like 2026-12-01 ({e})"))
}

fn main() -> ExitCode {
    let cli = Cli::parse_from(scaffold::join_date_and_time(std::env::args_os().collect()));
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
        Command::Stats(args) => stats(args),
        Command::Watch(args) => watch(args, None),
        Command::Serve(args) => {
            let listener = match serve::bind(args.port) {
                Ok(l) => l,
                Err(e) => return fail(&e.to_string()),
            };
            watch(args.watch, Some((listener, args.open)))
        }
        Command::Init { dir } => init(&dir),
        Command::New(args) => new(args),
        Command::Log(args) => edited(edit::log(args)),
        Command::Done(args) => edited(edit::done(args)),
        Command::Import {
            source: ImportSource::Linkedin { file, vault },
        } => import_linkedin(&file, &vault),
        Command::Completions { shell } => completions(shell),
        Command::Man { command } => man(&command),
    }
}

fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut script = Vec::new();
    // Into memory first: clap_complete panics when its writer fails (`| head`).
    clap_complete::generate(shell, &mut Cli::command(), "coffeechat", &mut script);
    print_bytes(&script)
}

/// Prints the man page of `coffeechat` followed by the words of `path` (`new contact`).
fn man(path: &[String]) -> ExitCode {
    let mut top = Cli::command().disable_help_subcommand(true);
    // Names the subcommands' pages `coffeechat-build` and their usage `coffeechat build`.
    top.build();
    let mut page = &top;
    for name in path {
        page = match page.find_subcommand(name) {
            Some(sub) => sub,
            None => {
                let parent = page.get_bin_name().unwrap_or("coffeechat").to_string();
                let mut cmd = Cli::command();
                cmd.build();
                let man = cmd.find_subcommand_mut("man").expect("man is a command");
                man.error(
                    clap::error::ErrorKind::InvalidSubcommand,
                    format!("`{parent}` has no command `{name}`; see `{parent} --help`"),
                )
                .exit()
            }
        };
    }
    match man_page(page.clone()) {
        Ok(roff) => print_bytes(&roff),
        Err(e) => fail(&format!("cannot make the man page: {e}")),
    }
}

/// The man page of `cmd`: clap_mangen's sections, then its examples as they are in
/// `--help`, unfilled, so that man keeps each command on its line.
fn man_page(cmd: clap::Command) -> std::io::Result<Vec<u8>> {
    let examples = cmd.get_after_help().map(|h| h.to_string());
    let has_subcommands = cmd.has_subcommands();
    let page =
        clap_mangen::Man::new(cmd).source(format!("coffeechat {}", env!("CARGO_PKG_VERSION")));
    let mut roff = Vec::new();
    page.render_title(&mut roff)?;
    page.render_name_section(&mut roff)?;
    page.render_synopsis_section(&mut roff)?;
    page.render_description_section(&mut roff)?;
    page.render_options_section(&mut roff)?;
    if has_subcommands {
        page.render_subcommands_section(&mut roff)?;
    }
    if let Some(text) = examples {
        roff.extend_from_slice(b".SH EXAMPLES\n.nf\n");
        for line in text.lines().skip_while(|l| *l == "Examples:") {
            writeln!(roff, "{}", roff_line(line))?;
        }
        roff.extend_from_slice(b".fi\n");
    }
    Ok(roff)
}

/// `line` as roff text: backslashes and hyphens escaped, and a line that would read as
/// a request (starting with `.` or `'`) kept as text.
fn roff_line(line: &str) -> String {
    let text = line.replace('\\', "\\e").replace('-', "\\-");
    match text.starts_with(['.', '\'']) {
        true => format!("\\&{text}"),
        false => text,
    }
}

/// Writes `bytes` to standard output; a reader that went away (`| head`) is no error.
fn print_bytes(bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            fail(&format!("cannot write to standard output: {e}"))
        }
        _ => ExitCode::SUCCESS,
    }
}

fn refused(r: &Refusal) -> ExitCode {
    eprintln!("error: {}", printable(&r.message));
    if let Some(shown) = &r.shown {
        eprintln!("\n{shown}\n");
    }
    for h in &r.hints {
        eprintln!("help: {}", printable(h));
    }
    ExitCode::from(1)
}

fn init(dir: &Path) -> ExitCode {
    let tz = jiff::tz::TimeZone::system();
    let opts = scaffold::InitOptions {
        today: jiff::Zoned::now().date(),
        // A machine left on UTC most likely was never told where its user lives.
        timezone: tz
            .iana_name()
            .filter(|n| !matches!(*n, "UTC" | "Etc/UTC" | "Etc/Universal" | "Universal"))
            .map(str::to_string),
    };
    match scaffold::init(dir, &opts) {
        Err(r) => refused(&r),
        Ok(created) => {
            println!("Created a coffeechat vault in {}:", dir.display());
            for rel in &created {
                println!("  {}", rel.display());
            }
            let cd = if dir == Path::new(".") {
                String::new()
            } else {
                format!("  cd {}\n", scaffold::shell_quote(&dir.to_string_lossy()))
            };
            println!(
                "\nNext:\n{cd}  edit me.md                              your name and elevator pitch
  coffeechat new contact \"Name\" --company \"Company\"
  coffeechat import linkedin Connections.csv     if you have LinkedIn's export
  coffeechat build                             then open public/index.html"
            );
            ExitCode::SUCCESS
        }
    }
}

fn new(args: scaffold::NewArgs) -> ExitCode {
    let root = args.vault.clone();
    match scaffold::new_note(args) {
        Err(r) => refused(&r),
        Ok(created) => {
            if let Some(w) = &created.warnings {
                eprintln!("{w}\n");
            }
            println!("{}", scaffold::shown(&root, &created.rel).display());
            ExitCode::SUCCESS
        }
    }
}

fn edited(result: Result<String, Refusal>) -> ExitCode {
    match result {
        Err(r) => refused(&r),
        Ok(diff) => print_bytes(diff.as_bytes()),
    }
}

fn import_linkedin(file: &Path, vault: &Path) -> ExitCode {
    let summary = match linkedin::import(file, vault) {
        Ok(s) => s,
        Err(r) => return refused(&r),
    };
    println!(
        "Imported {} into {}: {} and {} created, {} already in the vault",
        file.display(),
        vault.display(),
        plural(summary.contacts.len(), "contact"),
        match summary.companies.len() {
            1 => "1 company".to_string(),
            n => format!("{n} companies"),
        },
        summary.skipped
    );
    if !summary.problems.is_empty() {
        println!("{}:", plural(summary.problems.len(), "problem"));
        for p in &summary.problems {
            let file = file.display().to_string();
            println!(
                "  {}:{}: {}",
                printable(&file),
                p.line,
                printable(&p.message)
            );
        }
    }
    ExitCode::SUCCESS
}

impl VaultArgs {
    fn options(self) -> Options {
        Options {
            vault: self.vault,
            output: self.output,
            today: self.today,
            ..Options::default()
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let mut session = Session::new(args.vault.options());
    let outcome = session.check();
    if let Err(fatal) = outcome.result {
        return fail(&fatal.0);
    }
    let diags = outcome.diagnostics;
    match args.format {
        Format::Human => {
            print_diagnostics(session.root(), &|rel| session.source(rel), &diags);
            if diags.is_empty() {
                eprintln!("no problems found");
            }
        }
        Format::Json => println!("{}", coffeechat::diag::to_json(&diags)),
    }
    let errors = diags.iter().any(|d| d.severity == Severity::Error);
    // As in `build`: the exit frees the vault at once, not note by note.
    std::mem::forget(session);
    if errors || (args.deny_warnings && !diags.is_empty()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn stats(args: StatsArgs) -> ExitCode {
    let mut session = Session::new(args.vault.options());
    let json = matches!(args.format, Format::Json);
    let (text, diags) = match session.stats(json) {
        Ok(found) => found,
        Err(fatal) => return fail(&fatal.0),
    };
    // Figures from a vault with errors would leave out what did not read.
    if diags.iter().any(|d| d.severity == Severity::Error) {
        print_diagnostics(session.root(), &|rel| session.source(rel), &diags);
        return ExitCode::from(1);
    }
    print!("{text}");
    ExitCode::SUCCESS
}

fn build(args: BuildArgs) -> ExitCode {
    let options = Options {
        waiting: match args.no_wait {
            true => Waiting::GiveUp,
            false => Waiting::Wait,
        },
        ..args.vault.options()
    };
    let mut session = Session::new(options).keeping_records(records());
    let outcome = session.build();
    print_diagnostics(
        session.root(),
        &|rel| session.source(rel),
        &outcome.diagnostics,
    );
    match outcome.result {
        Err(fatal) => fail(&fatal.0),
        Ok(None) => {
            eprintln!("error: the site was not built; the previous site is left as it was");
            ExitCode::from(1)
        }
        Ok(Some(report)) => {
            eprintln!(
                "built {} into {} ({} written, {} unchanged, {} removed; {} rendered)",
                plural(report.written + report.unchanged, "file"),
                session.output().unwrap_or(Path::new("")).display(),
                report.written,
                report.unchanged,
                report.removed,
                plural(outcome.rendered, "page"),
            );
            // The process ends here: freeing every note one by one would be tens of
            // milliseconds of serial work at 10k notes, for memory the exit frees anyway.
            std::mem::forget(session);
            ExitCode::SUCCESS
        }
    }
}

/// Where builds keep their records of the sites they wrote, so that the next build
/// renders only what changed: the user's cache folder.
fn records() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("coffeechat").join("sites"))
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {}", printable(message));
    ExitCode::from(1)
}

fn print_diagnostics<'a>(
    root: &'a Path,
    source: &'a dyn Fn(&Path) -> Option<&'a str>,
    diags: &[Diagnostic],
) {
    if diags.is_empty() {
        return;
    }
    print_each(root, source, diags);
    eprintln!("{}", counts(diags));
}

/// Prints each diagnostic, rustc-style, without the closing counts.
fn print_each<'a, 'd>(
    root: &'a Path,
    source: &'a dyn Fn(&Path) -> Option<&'a str>,
    diags: impl IntoIterator<Item = &'d Diagnostic>,
) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let printer = Printer::new(color, root, source);
    // Written at once: stderr is unbuffered, and a vault with a thousand warnings
    // otherwise costs thousands of small writes.
    let mut text = String::new();
    for d in diags {
        let _ = write!(text, "{}\n\n", printer.render(d));
    }
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn counts(diags: &[Diagnostic]) -> String {
    format!(
        "{}, {}",
        plural(count(diags, Severity::Error), "error"),
        plural(count(diags, Severity::Warning), "warning")
    )
}

/// `watch`, and `serve` when given the port it holds: build, then rebuild after every
/// batch of saves until Ctrl-C. Errors in the vault never end it.
fn watch(args: WatchArgs, serve: Option<(serve::Listener, bool)>) -> ExitCode {
    let opts = args.vault.options();
    if !opts.vault.is_dir() {
        return fail(&format!("{} is not a folder", opts.vault.display()));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let stop_on_signal = stop.clone();
    let handler = ctrlc::set_handler(move || {
        if stop_on_signal.swap(true, Ordering::SeqCst) {
            // A second Ctrl-C while a build runs: give up on it now.
            std::process::exit(130);
        }
    });
    if let Err(e) = handler {
        return fail(&format!("cannot handle Ctrl-C: {e}"));
    }
    let mode = if args.poll {
        watch::Mode::Poll
    } else {
        watch::Mode::Events
    };
    // Watch before the first build, so that no save during it is missed.
    let mut watcher = match VaultWatcher::new(&opts.vault, mode) {
        Ok(w) => w,
        Err(e) => return fail(&e.0),
    };
    let mut session = Session::new(opts).rebuilding().keeping_records(records());
    let mut terminal = Terminal::default();
    let started = Instant::now();
    let outcome = session.build();
    if let Err(fatal) = &outcome.result {
        print_diagnostics(
            session.root(),
            &|rel| session.source(rel),
            &outcome.diagnostics,
        );
        return fail(&fatal.0);
    }
    terminal.report(&session, &outcome, started.elapsed(), None);
    let output = session
        .output()
        .expect("a session that built knows its output")
        .to_path_buf();
    watcher.set_output(&output);
    let server = match serve.map(|(listener, open)| start_server(listener, open, &output)) {
        None => None,
        Some(Ok(server)) => Some(server),
        Some(Err(code)) => return code,
    };
    if let Some(server) = &server {
        tell_server(server, &session, &outcome);
    }
    eprintln!(
        "watching {} for changes{} (Ctrl-C to stop)",
        session.root().display(),
        if args.poll { ", polling" } else { "" }
    );
    while !stop.load(Ordering::SeqCst) {
        if let Some(batch) = watcher.next(Duration::from_millis(200)) {
            rebuild(
                &mut session,
                &mut watcher,
                server.as_ref(),
                &mut terminal,
                &batch,
            );
        }
    }
    session.save_record();
    eprintln!("stopped; the site is left as it is");
    ExitCode::SUCCESS
}

/// Starts the preview server on the output folder, opening a browser on it if asked.
fn start_server(listener: serve::Listener, open: bool, output: &Path) -> Result<Server, ExitCode> {
    let server = listener
        .start(output, serve::HEADER_TIMEOUT)
        .map_err(|e| fail(&format!("cannot start the preview server: {e}")))?;
    let url = server.url();
    println!("Serving {} at {url}", output.display());
    let _ = std::io::stdout().flush();
    if open && let Err(why) = serve::open_browser(&url) {
        eprintln!("{why}; open {url} in a browser");
    }
    Ok(server)
}

/// Rebuilds after a batch of changes, and tells the server and the terminal.
fn rebuild(
    session: &mut Session,
    watcher: &mut VaultWatcher,
    server: Option<&Server>,
    terminal: &mut Terminal,
    batch: &watch::Batch,
) {
    for e in &batch.errors {
        eprintln!("warning: {e}");
    }
    if !batch.needs_build() {
        return;
    }
    let started = Instant::now();
    let outcome = session.update(&batch.paths, batch.rescan);
    let took = started.elapsed();
    if let Some(out) = session.output() {
        watcher.set_output(out);
        if let Some(server) = server {
            server.set_output(out);
        }
    }
    // Pages reload first; printing a large vault's problems takes a while.
    if let Some(server) = server {
        tell_server(server, session, &outcome);
    }
    terminal.report(session, &outcome, took, Some(batch));
}

/// What the terminal was last shown, so that a rebuild prints only the problems that
/// are new (and every error), not all warnings of a large vault again on every save.
#[derive(Default)]
struct Terminal {
    diagnostics: Vec<Diagnostic>,
}

impl Terminal {
    /// Prints the diagnostics (all of them after the first build; after a rebuild the
    /// errors and the new warnings) and a one-line summary of the build.
    fn report(
        &mut self,
        session: &Session,
        outcome: &Outcome,
        took: Duration,
        batch: Option<&watch::Batch>,
    ) {
        let diags = &outcome.diagnostics;
        let source = |rel: &Path| session.source(rel);
        let (new, gone) = match batch {
            None => {
                print_diagnostics(session.root(), &source, diags);
                (0, 0)
            }
            Some(_) => {
                let before: AHashSet<&Diagnostic> = self.diagnostics.iter().collect();
                let now: AHashSet<&Diagnostic> = diags.iter().collect();
                let shown = diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error || !before.contains(d));
                print_each(session.root(), &source, shown);
                let new = now.difference(&before).count();
                (new, before.difference(&now).count())
            }
        };
        let clock = jiff::Zoned::now().strftime("%H:%M:%S").to_string();
        let what = match batch {
            None => String::new(),
            Some(b) => format!("{}: ", changed_paths(b)),
        };
        let verb = if batch.is_some() { "rebuilt" } else { "built" };
        let ms = took.as_millis();
        let change = match (batch, new, gone) {
            (None, _, _) => String::new(),
            (Some(_), 0, 0) => " as before".into(),
            (Some(_), new, gone) => format!(" ({new} new, {gone} gone)"),
        };
        match &outcome.result {
            Ok(Some(report)) => {
                let warnings = match count(diags, Severity::Warning) {
                    0 if gone == 0 => String::new(),
                    n => format!("; {}{change}", plural(n, "warning")),
                };
                eprintln!(
                    "[{clock}] {what}{verb} in {ms} ms: {} written, {} removed{warnings}",
                    plural(report.written, "file"),
                    report.removed,
                );
            }
            Ok(None) => eprintln!(
                "[{clock}] {what}{}{change}; the previous site is left as it was",
                counts(diags)
            ),
            Err(fatal) => eprintln!(
                "[{clock}] {what}error: {}; the previous site is left as it was",
                printable(&fatal.0)
            ),
        }
        self.diagnostics = diags.clone();
    }
}

/// The changed paths of a batch, for the summary line: a few, then how many more.
fn changed_paths(batch: &watch::Batch) -> String {
    const SHOWN: usize = 3;
    let mut names: Vec<String> = batch
        .paths
        .iter()
        .take(SHOWN)
        .map(|p| printable(&p.display().to_string()).into_owned())
        .collect();
    if batch.paths.len() > SHOWN {
        names.push(format!("and {} more", batch.paths.len() - SHOWN));
    }
    if names.is_empty() {
        "the vault changed".into()
    } else {
        names.join(", ")
    }
}

/// Reloads open pages after a build that wrote the site, or shows them its errors.
fn tell_server(server: &Server, session: &Session, outcome: &Outcome) {
    match &outcome.result {
        Ok(Some(report)) => server.site_written(report.written + report.removed > 0),
        Ok(None) => {
            let lookup = |rel: &Path| session.source(rel);
            let printer = Printer::new(false, session.root(), &lookup);
            let errors: Vec<String> = outcome
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| printer.render(d))
                .collect();
            let warnings = count(&outcome.diagnostics, Severity::Warning);
            let mut text = errors.join("\n\n");
            if warnings > 0 {
                text.push_str(&format!(
                    "\n\n(and {}; see the terminal)",
                    plural(warnings, "warning")
                ));
            }
            server.build_failed(text);
        }
        Err(fatal) => server.build_failed(format!("error: {}", fatal.0)),
    }
}
