//! The `coffeechat` command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jiff::civil::Date;

use coffeechat::diag::{Diagnostic, Printer, Severity};
use coffeechat::site::{Options, Site};

const EXAMPLES: &str = "\
Examples:
  coffeechat build                      build the vault in this folder into public/
  coffeechat build ~/vault -o /tmp/site write the site somewhere else
  coffeechat build --today 2026-12-01   see the dashboard as it will look that day";

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
    Build(BuildArgs),
}

#[derive(clap::Args)]
struct BuildArgs {
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
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let opts = Options {
        vault: args.vault,
        output: args.output,
        today: args.today,
    };
    let mut site = match Site::load(&opts) {
        Ok(site) => site,
        Err(fatal) => return fail(&fatal.0),
    };
    let result = site.build();
    print_diagnostics(&mut site);
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

fn print_diagnostics(site: &mut Site) {
    let diags = std::mem::take(&mut site.diagnostics).sorted();
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let lookup = |rel: &Path| site.source(rel);
    let printer = Printer::new(color, &site.root, &lookup);
    for d in &diags {
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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
