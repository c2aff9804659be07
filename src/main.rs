//! The `coffeechat` command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jiff::civil::Date;

use coffeechat::diag::{Diagnostic, Printer, Severity, plural};
use coffeechat::site::{Options, Site};

const EXAMPLES: &str = "\
Examples:
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
    }
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
    let count = |s| {
        diags
            .iter()
            .filter(|d: &&Diagnostic| d.severity == s)
            .count()
    };
    eprintln!(
        "{}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning")
    );
}
