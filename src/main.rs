//! The `coffeechat` command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jiff::civil::Date;

use coffeechat::diag::{Diagnostic, Printer, Severity, count, plural};
use coffeechat::import::{ImportSource, linkedin};
use coffeechat::scaffold::{self, Refusal};
use coffeechat::site::{Options, Site};

const EXAMPLES: &str = "\
Examples:
  coffeechat init my-vault              start a vault: settings, your profile, examples
  coffeechat new contact \"Ada Lovelace\" --company \"Analytical Engines\"
                                        add a note from its template
  coffeechat import linkedin Connections.csv
                                        contacts and companies from LinkedIn
  coffeechat build                      build the vault in this folder into public/
  coffeechat build ~/vault -o /tmp/site write the site somewhere else
  coffeechat build --today 2026-12-01   see the dashboard as it will look that day
  coffeechat check                      list every problem in the vault
  coffeechat check --format json        the same, for editors and CI";

const CHECK_EXAMPLES: &str = "\
Examples:
  coffeechat check                      every problem, with file:line:column
  coffeechat check ~/vault --deny-warnings
                                        fail (exit 1) on warnings too, for CI
  coffeechat check --format json        one JSON object, schema in the README

Exit codes: 0 no errors (warnings allowed), 1 errors (or warnings with
--deny-warnings), 2 bad usage.";

const INIT_EXAMPLES: &str = "\
Examples:
  coffeechat init my-vault              a new vault in ./my-vault
  coffeechat init                       make this folder a vault

Writes coffeechat.yaml, .gitignore (ignores the site folder), me.md, and one example
note of each kind: a company, a contact, a chat with them next week and a question
bank. Refuses, writing nothing, if any of these files already exists.";

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
    #[command(after_help = EXAMPLES)]
    Build(VaultArgs),
    /// Report every problem in the vault at once, without writing anything
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Make a new vault: settings, your profile and one example note of each kind
    #[command(after_help = INIT_EXAMPLES)]
    Init {
        /// The folder to make the vault in (created if missing)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Add a note from its template: a contact, company, interview or question bank
    New(scaffold::NewArgs),
    /// Make notes from another tool's export
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
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
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
        Command::Init { dir } => init(&dir),
        Command::New(args) => new(args),
        Command::Import {
            source: ImportSource::Linkedin { file, vault },
        } => import_linkedin(&file, &vault),
    }
}

fn refused(r: &Refusal) -> ExitCode {
    eprintln!("error: {}", r.message);
    for h in &r.hints {
        eprintln!("help: {h}");
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
            println!("  {}:{}: {}", file.display(), p.line, p.message);
        }
    }
    ExitCode::SUCCESS
}

impl VaultArgs {
    fn load(self) -> Result<Site, ExitCode> {
        let opts = Options {
            vault: self.vault,
            output: self.output,
            today: self.today,
        };
        Site::load(&opts).map_err(|fatal| fail(&fatal.0))
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let mut site = match args.vault.load() {
        Ok(site) => site,
        Err(code) => return code,
    };
    site.render();
    let diags = std::mem::take(&mut site.diagnostics).sorted();
    match args.format {
        Format::Human => {
            print_human(&site, &diags);
            if diags.is_empty() {
                eprintln!("no problems found");
            }
        }
        Format::Json => println!("{}", coffeechat::diag::to_json(&diags)),
    }
    let errors = diags.iter().any(|d| d.severity == Severity::Error);
    if errors || (args.deny_warnings && !diags.is_empty()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn build(args: VaultArgs) -> ExitCode {
    let mut site = match args.load() {
        Ok(site) => site,
        Err(code) => return code,
    };
    let result = site.build();
    let diags = std::mem::take(&mut site.diagnostics).sorted();
    print_human(&site, &diags);
    match result {
        Err(fatal) => fail(&fatal.0),
        Ok(None) => {
            eprintln!("error: the site was not built; the previous site is left as it was");
            ExitCode::from(1)
        }
        Ok(Some(report)) => {
            eprintln!(
                "built {} into {} ({} written, {} unchanged, {} removed)",
                plural(report.written + report.unchanged, "file"),
                site.output.display(),
                report.written,
                report.unchanged,
                report.removed
            );
            ExitCode::SUCCESS
        }
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(1)
}

fn print_human(site: &Site, diags: &[Diagnostic]) {
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let lookup = |rel: &Path| site.source(rel);
    let printer = Printer::new(color, &site.root, &lookup);
    for d in diags {
        eprintln!("{}\n", printer.render(d));
    }
    eprintln!(
        "{}, {}",
        plural(count(diags, Severity::Error), "error"),
        plural(count(diags, Severity::Warning), "warning")
    );
}
