//! `coffeechat import`: notes made from other tools' exports.

pub mod linkedin;

use std::path::PathBuf;

const LINKEDIN_EXAMPLES: &str = "\
Examples:
  coffeechat import linkedin ~/Downloads/Connections.csv
  coffeechat import linkedin Connections.csv ~/vault

Get the file from LinkedIn: Settings → Data privacy → Get a copy of your data →
Connections. Each connection becomes a contact (name, title, company, LinkedIn URL,
email when shared, `source: linkedin`, and a log entry for the day you connected);
each new company gets a company note.

Running it again adds only new connections: a connection whose LinkedIn URL, or name
and company, is already in the vault is skipped, and no existing note is changed.";

/// Where the notes come from.
#[derive(clap::Subcommand, Debug)]
pub enum ImportSource {
    /// Contacts and companies from LinkedIn's Connections.csv
    #[command(after_help = LINKEDIN_EXAMPLES)]
    Linkedin {
        /// LinkedIn's export, Connections.csv
        file: PathBuf,
        /// The vault folder
        #[arg(default_value = ".")]
        vault: PathBuf,
    },
}
