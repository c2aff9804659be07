//! `coffeechat init` and `coffeechat new`: a new vault, and new notes from templates.
//!
//! Note templates are Tera templates: the built-in ones live in `themes/default/new/`
//! (compiled into the binary) and a vault's `templates/new/<kind>.md` replaces the
//! built-in one of that kind. Nothing here ever overwrites a file: every file is created
//! with `create_new`, and everything is checked before the first one is written.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use crate::diag::{Diagnostic, Pos, Printer, Severity};
use crate::load;
use crate::model::note::{
    self, ChatStatus, Choice, Format, Kind, NoteId, SOURCES, link_target, slugify,
};
use crate::model::refs::Miss;
use crate::model::time::{When, parse_minutes, parse_when};
use crate::model::{Vault, miss_diagnostic};
use crate::site::{Options, Site};
use crate::yaml;

/// Why a command did not do what was asked: a message, and what to do about it.
#[derive(Debug)]
pub struct Refusal {
    /// What was refused.
    pub message: String,
    /// How to go on.
    pub hints: Vec<String>,
    /// Diagnostics already rendered (their text made printable by the printer), shown
    /// as they are between the message and the hints.
    pub shown: Option<String>,
}

impl Refusal {
    pub(crate) fn new(message: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            hints: Vec::new(),
            shown: None,
        }
    }

    pub(crate) fn showing(mut self, rendered: String) -> Refusal {
        self.shown = Some(rendered);
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Refusal {
        self.hints.push(hint.into());
        self
    }
}

/// Where a vault keeps its own note templates, relative to the vault.
pub const TEMPLATES_DIR: &str = "templates/new";

/// The built-in note templates, by kind.
const NOTE_TEMPLATES: &[(Kind, &str)] = &[
    (
        Kind::Contact,
        include_str!("../themes/default/new/contact.md"),
    ),
    (
        Kind::Company,
        include_str!("../themes/default/new/company.md"),
    ),
    (
        Kind::Interview,
        include_str!("../themes/default/new/interview.md"),
    ),
    (
        Kind::Questions,
        include_str!("../themes/default/new/questions.md"),
    ),
];

/// A Tera instance with the `yaml` filter (see [`yaml::quote`]).
fn tera() -> tera::Tera {
    let mut tera = tera::Tera::new();
    tera.register_filter("yaml", |s: &str, _: tera::Kwargs, _: &tera::State| {
        yaml::quote(s)
    });
    tera
}

/// The note templates of one vault: built-in, overridden by `templates/new/<kind>.md`.
pub struct Templates {
    tera: tera::Tera,
    /// For each kind, the file its template came from (for messages).
    origin: Vec<(Kind, String)>,
}

impl Templates {
    /// The built-in note templates, overridden by the vault's `templates/notes/`.
    pub fn load(vault: &Path) -> Result<Templates, Refusal> {
        let mut tera = tera();
        let mut origin = Vec::new();
        for (kind, builtin) in NOTE_TEMPLATES {
            let name = format!("{}.md", kind.name());
            let rel = format!("{TEMPLATES_DIR}/{name}");
            let (text, from) = match std::fs::read_to_string(vault.join(&rel)) {
                Ok(text) => (text, rel),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    (builtin.to_string(), format!("(built-in) new/{name}"))
                }
                Err(e) => return Err(Refusal::new(format!("cannot read {rel}: {e}"))),
            };
            tera.add_raw_templates([(name.clone(), text)])
                .map_err(|e| template_refusal(&e, &from))?;
            origin.push((*kind, from));
        }
        Ok(Templates { tera, origin })
    }

    /// The file the template of `kind` came from, for messages.
    pub fn origin(&self, kind: Kind) -> &str {
        self.origin
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or("", |(_, o)| o.as_str())
    }

    /// Renders the note template of `kind` with `vars`.
    pub fn render(&self, kind: Kind, vars: &impl Serialize) -> Result<String, Refusal> {
        let ctx = tera::Context::from_serialize(vars)
            .map_err(|e| Refusal::new(format!("cannot fill the template: {e}")))?;
        self.tera
            .render(&format!("{}.md", kind.name()), &ctx)
            .map_err(|e| template_refusal(&e, self.origin(kind)))
    }
}

fn template_refusal(e: &tera::Error, origin: &str) -> Refusal {
    let d = crate::render::theme::template_error(e, "");
    Refusal::new(format!(
        "the note template {origin} has an error at line {}, column {}: {}",
        d.pos.line, d.pos.column, d.message
    ))
    .hint(format!(
        "fix it, or delete {TEMPLATES_DIR}/ to use the built-in templates"
    ))
}

/// Reads a note that is about to be written the way `build` will, so that a template
/// that makes broken notes is caught before anything is written.
pub fn validate(rel: &Path, text: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    match load::parse_note(rel, text.as_bytes().to_vec()) {
        Ok(source) => {
            note::read_note(source, &mut diags);
        }
        Err(d) => diags.push(d),
    }
    diags
}

/// The diagnostics of a note not yet on disk, rendered rustc-style.
pub fn render_diagnostics(root: &Path, rel: &Path, text: &str, diags: &[Diagnostic]) -> String {
    let lookup = |p: &Path| (p == rel).then_some(text);
    let printer = Printer::new(false, root, &lookup);
    diags
        .iter()
        .map(|d| printer.render(d))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Writes a new file, never replacing one; creates its folder.
pub fn create_file(root: &Path, rel: &Path, bytes: &[u8]) -> Result<(), Refusal> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Refusal::new(format!("cannot create {}: {e}", parent.display())))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => already_exists(root, rel),
            _ => Refusal::new(format!("cannot create {}: {e}", path.display())),
        })?;
    file.write_all(bytes)
        .map_err(|e| Refusal::new(format!("cannot write {}: {e}", path.display())))
}

fn already_exists(root: &Path, rel: &Path) -> Refusal {
    Refusal::new(format!(
        "{} already exists; coffeechat never overwrites a file",
        shown(root, rel).display()
    ))
}

/// `rel` as the user should see it: inside the vault folder they named.
pub fn shown(root: &Path, rel: &Path) -> PathBuf {
    if root == Path::new(".") {
        rel.to_path_buf()
    } else {
        root.join(rel)
    }
}

// ---------------------------------------------------------------------------------------
// init

macro_rules! init_file {
    ($name:literal) => {
        include_str!(concat!("../themes/default/init/", $name))
    };
}

/// What `init` needs to know about the day and place it runs.
pub struct InitOptions {
    /// The date the example chat is planned from.
    pub today: Date,
    /// The IANA name of the user's time zone, if known, for the settings.
    pub timezone: Option<String>,
}

/// Makes a new vault in `dir`: settings, `.gitignore`, a profile and one example note of
/// each kind. Refuses, writing nothing, if any of those files exists. Returns the files
/// created, relative to `dir`.
pub fn init(dir: &Path, opts: &InitOptions) -> Result<Vec<PathBuf>, Refusal> {
    if dir.exists() && !dir.is_dir() {
        return Err(Refusal::new(format!(
            "{} exists and is not a folder",
            dir.display()
        )));
    }
    let chat_date = opts.today.saturating_add(7.days());
    let interview_stem = format!("{chat_date}-alex-rivera");
    #[derive(Serialize)]
    struct Vars<'a> {
        today: String,
        date: String,
        since: i16,
        interview: &'a str,
        timezone: Option<&'a str>,
    }
    let vars = Vars {
        today: opts.today.to_string(),
        date: chat_date.to_string(),
        since: opts.today.year().saturating_sub(2),
        interview: &interview_stem,
        timezone: opts.timezone.as_deref(),
    };
    let interview_rel = format!("interviews/{interview_stem}.md");
    let files: [(&str, &str, &str); 7] = [
        (
            crate::model::settings::FILE_NAME,
            "coffeechat.yaml",
            init_file!("coffeechat.yaml"),
        ),
        (".gitignore", "gitignore", init_file!("gitignore")),
        ("me.md", "me.md", init_file!("me.md")),
        (
            "companies/northwind-analytics.md",
            "company.md",
            init_file!("company.md"),
        ),
        (
            "contacts/alex-rivera.md",
            "contact.md",
            init_file!("contact.md"),
        ),
        (&interview_rel, "interview.md", init_file!("interview.md")),
        (
            "questions/career-path.md",
            "questions.md",
            init_file!("questions.md"),
        ),
    ];
    refuse_existing(dir, files.iter().map(|(rel, _, _)| *rel))?;
    let mut tera = tera();
    let ctx = tera::Context::from_serialize(&vars)
        .map_err(|e| Refusal::new(format!("cannot fill the templates: {e}")))?;
    let mut rendered = Vec::new();
    for (rel, name, text) in files {
        tera.add_raw_templates([(name, text)])
            .map_err(|e| template_refusal(&e, name))?;
        let out = tera
            .render(name, &ctx)
            .map_err(|e| template_refusal(&e, name))?;
        rendered.push((PathBuf::from(rel), out));
    }
    create_all(dir, rendered)
}

/// Refuses to make a vault where any of the files at `rels` exists already.
fn refuse_existing<'a>(dir: &Path, rels: impl Iterator<Item = &'a str>) -> Result<(), Refusal> {
    let existing: Vec<String> = rels
        .filter(|rel| dir.join(rel).symlink_metadata().is_ok())
        .map(|rel| shown(dir, Path::new(rel)).display().to_string())
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    let verb = if existing.len() == 1 {
        "exists"
    } else {
        "exist"
    };
    Err(Refusal::new(format!(
        "not creating a vault in {}: {} already {verb}; coffeechat never overwrites a file",
        dir.display(),
        existing.join(", "),
    ))
    .hint("nothing was written; choose an empty folder, or move those files away first"))
}

/// Creates the files of a new vault, saying which were written if one cannot be.
fn create_all(dir: &Path, rendered: Vec<(PathBuf, String)>) -> Result<Vec<PathBuf>, Refusal> {
    let mut created = Vec::new();
    for (rel, text) in rendered {
        create_file(dir, &rel, text.as_bytes()).map_err(|r| {
            let hint = if created.is_empty() {
                "nothing was written".to_string()
            } else {
                format!("these were written before: {}", list(&created))
            };
            r.hint(hint)
        })?;
        created.push(rel);
    }
    Ok(created)
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------
// new

/// `coffeechat new`'s arguments.
#[derive(clap::Args, Debug)]
pub struct NewArgs {
    #[command(subcommand)]
    /// The kind of note, and its fields.
    pub note: NewNote,
    /// The vault folder
    #[arg(long, global = true, value_name = "VAULT", default_value = ".")]
    pub vault: PathBuf,
}

const CONTACT_EXAMPLES: &str = "\
Examples:
  coffeechat new contact \"Ada Lovelace\"
  coffeechat new contact \"Grace Hopper\" --company \"Northwind Analytics\" --title \"Head of Research\"
  coffeechat new contact \"Mary Somerville\" --introduced-by \"Ada Lovelace\" --source friend

Writes contacts/SLUG.md and prints its path. --company and --introduced-by must name
notes that exist (create a company with `coffeechat new company NAME`); Northwind
Analytics is the company `coffeechat init` writes, so in a new vault these work as
they are.";

const COMPANY_EXAMPLES: &str = "\
Examples:
  coffeechat new company \"Analytical Engines\"
  coffeechat new company \"Difference Engines\" --industry Computing --website https://example.com

Writes companies/SLUG.md and prints its path.";

const INTERVIEW_EXAMPLES: &str = "\
Examples:
  coffeechat new interview \"Alex Rivera\" --date \"2026-12-01 10:00\"
  coffeechat new interview --with \"Alex Rivera\" --date 2026-12-03 --format coffee --where \"Café Royal\"
  coffeechat new interview \"Alex Rivera\"            a requested chat, no date yet
  coffeechat new interview \"Alex Rivera\" --date 2026-11-02 --status done

Writes interviews/DATE-CONTACT.md (interviews/CONTACT.md without a date) and prints
its path. Without --status a dated chat has none: it is `scheduled` until its day and
`done` after. The contact must exist (`coffeechat new contact NAME`); Alex Rivera is the
contact `coffeechat init` writes, so in a new vault these work as they are.";

/// The chat statuses `new interview --status` takes only with a `--date`.
const DATED_STATUSES: [(&str, &str); 4] = [
    ("status", "scheduled"),
    ("status", "done"),
    ("status", "cancelled"),
    ("status", "no-show"),
];

const QUESTIONS_EXAMPLES: &str = "\
Examples:
  coffeechat new questions \"Day to day\"

Writes questions/SLUG.md, a question bank, and prints its path.";

/// The kind of note to create, with its fields.
#[derive(clap::Subcommand, Debug)]
pub enum NewNote {
    /// A person you want to meet: contacts/SLUG.md
    #[command(after_help = CONTACT_EXAMPLES)]
    Contact {
        /// Their full name
        name: String,
        /// Their job title
        #[arg(long)]
        title: Option<String>,
        /// The company they work at (a company note of the vault)
        #[arg(long)]
        company: Option<String>,
        #[arg(long)]
        /// Their email address
        email: Option<String>,
        #[arg(long)]
        /// Their phone number
        phone: Option<String>,
        /// Their LinkedIn profile URL
        #[arg(long)]
        linkedin: Option<String>,
        #[arg(long)]
        /// Where they are, like "Berlin"
        location: Option<String>,
        /// How you found them
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(SOURCES))]
        source: Option<String>,
        /// The contact who introduced you (a contact note of the vault)
        #[arg(long, value_name = "CONTACT")]
        introduced_by: Option<String>,
    },
    /// A company you are researching: companies/SLUG.md
    #[command(after_help = COMPANY_EXAMPLES)]
    Company {
        /// The company's name
        name: String,
        #[arg(long)]
        /// The company's industry
        industry: Option<String>,
        #[arg(long)]
        /// The company's website
        website: Option<String>,
        #[arg(long)]
        /// Where the company is
        location: Option<String>,
        /// e.g. "51-200 employees"
        #[arg(long)]
        size: Option<String>,
    },
    /// A coffee chat: interviews/DATE-CONTACT.md
    #[command(after_help = INTERVIEW_EXAMPLES)]
    Interview {
        /// The contact you meet (or use --with)
        #[arg(
            value_name = "CONTACT",
            required_unless_present = "with",
            conflicts_with = "with"
        )]
        contact: Option<String>,
        /// The contact you meet
        #[arg(long, value_name = "CONTACT")]
        with: Option<String>,
        /// When: 2026-12-01, "2026-12-01 10:00" or "2026-12-01 2:30 pm"; without it the chat is `requested`
        #[arg(
            long,
            value_name = "DATE",
            value_parser = parse_date_arg,
            required_if_eq_any = DATED_STATUSES
        )]
        date: Option<When>,
        /// Where it stands (default: none written, so `scheduled` until its day and
        /// `done` after; `requested` without --date)
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(ChatStatus::NAMES))]
        status: Option<String>,
        /// How long: 30m, 1h, 1h30m (default: the vault's default_duration)
        #[arg(long, value_parser = parse_duration_arg)]
        duration: Option<String>,
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(Format::NAMES))]
        /// How you meet
        format: Option<String>,
        /// The place or address
        #[arg(long = "where", value_name = "PLACE")]
        place: Option<String>,
        /// The meeting link
        #[arg(long)]
        link: Option<String>,
        /// A title (default: "Chat with NAME, DATE")
        #[arg(long)]
        title: Option<String>,
    },
    /// A question bank: questions/SLUG.md
    #[command(after_help = QUESTIONS_EXAMPLES)]
    Questions {
        /// The bank's category, e.g. "Day to day"
        category: String,
    },
}

/// `coffeechat new interview NAME --date 2026-12-01 10:00`, typed without quotes,
/// reaches the program as two arguments, `2026-12-01` and `10:00` (`2:30 pm` as
/// three). `args` (the whole command line) with those put back into one `--date` value
/// where the arguments after a date look like a time of day; `--date` then reads it,
/// or says what is wrong with it.
pub fn join_date_and_time(args: Vec<OsString>) -> Vec<OsString> {
    if args.get(1).is_none_or(|a| a != "new") {
        return args;
    }
    let clock = |a: &OsString| {
        a.to_str().is_some_and(|a| {
            a.starts_with(|c: char| c.is_ascii_digit())
                && a.chars()
                    .all(|c| c.is_ascii_digit() || ":.apmAPM".contains(c))
        })
    };
    let half = |a: &OsString| {
        let lower = a.to_string_lossy().to_ascii_lowercase();
        matches!(lower.as_str(), "am" | "pm" | "a.m." | "p.m.")
    };
    let mut out: Vec<OsString> = Vec::with_capacity(args.len());
    let mut rest = args.into_iter().peekable();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            out.push(arg);
            out.extend(rest);
            break;
        }
        let is_date = out.last().is_some_and(|prev| prev == "--date")
            || arg.to_string_lossy().starts_with("--date=");
        let mut value = arg;
        let timeless = is_date && !value.to_string_lossy().trim().contains(' ');
        if let Some(time) = rest.next_if(|a| timeless && clock(a)) {
            value.push(" ");
            value.push(time);
            if let Some(half) = rest.next_if(half) {
                value.push(" ");
                value.push(half);
            }
        }
        out.push(value);
    }
    out
}

fn parse_date_arg(s: &str) -> Result<When, String> {
    parse_when(s).map_err(|e| e.to_string())
}

fn parse_duration_arg(s: &str) -> Result<String, String> {
    parse_minutes(s, 1).map(|_| s.trim().to_string())
}

/// The fields a note template is filled with. Absent ones are null.
#[derive(Serialize, Default)]
pub struct NoteVars {
    /// The note's name (a contact's or company's name, a bank's category).
    pub name: String,
    /// The note's slug.
    pub slug: String,
    /// Today, as `YYYY-MM-DD`.
    pub today: String,
    /// A contact's job title, or a chat's title.
    pub title: Option<String>,
    /// A contact's company, as a reference.
    pub company: Option<String>,
    /// A contact's email.
    pub email: Option<String>,
    /// A contact's phone.
    pub phone: Option<String>,
    /// A contact's LinkedIn address.
    pub linkedin: Option<String>,
    /// Where a contact or company is.
    pub location: Option<String>,
    /// How you know a contact.
    pub source: Option<String>,
    /// Who introduced a contact, as a reference.
    pub introduced_by: Option<String>,
    /// A contact's or chat's status.
    pub status: Option<String>,
    /// A contact's first log entries.
    pub log: Vec<LogVar>,
    /// A company's industry.
    pub industry: Option<String>,
    /// A company's website.
    pub website: Option<String>,
    /// A company's size.
    pub size: Option<String>,
    /// A chat's contact, as a reference.
    pub with: Option<String>,
    /// A chat's date and time.
    pub date: Option<String>,
    /// A chat's duration, like `30m`.
    pub duration: Option<String>,
    /// How a chat happens.
    pub format: Option<String>,
    #[serde(rename = "where")]
    /// Where a chat happens.
    pub place: Option<String>,
    /// A video chat's meeting link.
    pub link: Option<String>,
}

/// A log entry for the contact template.
#[derive(Serialize)]
pub struct LogVar {
    /// When, as `YYYY-MM-DD`.
    pub date: String,
    #[serde(rename = "type")]
    /// Its `type`.
    pub kind: String,
    /// What happened.
    pub note: String,
}

/// What `new` made.
pub struct Created {
    /// The new note, relative to the vault.
    pub rel: PathBuf,
    /// Warnings about it (from a vault's own template), rendered.
    pub warnings: Option<String>,
}

/// Creates one note from its template. References are resolved against the vault the
/// way `build` resolves them; nothing is written unless everything checks out.
pub fn new_note(args: NewArgs) -> Result<Created, Refusal> {
    let root = args.vault;
    let site = load_vault(&root)?;
    let vault = &site.vault;
    let templates = Templates::load(&root)?;
    let mut vars = NoteVars {
        today: vault.today.to_string(),
        ..NoteVars::default()
    };
    let (kind, rel) = note_vars(vault, &root, args.note, &mut vars)?;
    vars.slug = rel
        .file_stem()
        .map(|s| slugify(&s.to_string_lossy()))
        .unwrap_or_default();
    let text = templates.render(kind, &vars)?;
    let warnings = checked(&root, &rel, &text, templates.origin(kind))?;
    create_file(&root, &rel, text.as_bytes())?;
    Ok(Created { rel, warnings })
}

/// The kind and path of the note `note` asks for, filling in `vars` from its fields
/// and the notes it names.
fn note_vars(
    vault: &crate::model::Vault,
    root: &Path,
    note: NewNote,
    vars: &mut NoteVars,
) -> Result<(Kind, PathBuf), Refusal> {
    Ok(match note {
        NewNote::Contact {
            name,
            title,
            company,
            email,
            phone,
            linkedin,
            location,
            source,
            introduced_by,
        } => {
            let rel = named(vault, root, Kind::Contact, name, "the contact's name", vars)?;
            vars.company = find_ref(vault, company, Kind::Company, "--company")?;
            let introducer = find_ref(vault, introduced_by, Kind::Contact, "--introduced-by")?;
            vars.introduced_by = introducer;
            vars.title = title;
            vars.email = email;
            vars.phone = phone;
            vars.linkedin = linkedin;
            vars.location = location;
            vars.source = source;
            (Kind::Contact, rel)
        }
        NewNote::Company {
            name,
            industry,
            website,
            location,
            size,
        } => {
            let rel = named(vault, root, Kind::Company, name, "the company's name", vars)?;
            vars.industry = industry;
            vars.website = website;
            vars.location = location;
            vars.size = size;
            (Kind::Company, rel)
        }
        NewNote::Interview {
            contact,
            with,
            date,
            duration,
            format,
            place,
            link,
            title,
            status,
        } => {
            let who = match (contact, with) {
                (Some(c), _) => Some((c, "CONTACT")),
                (None, w) => w.map(|w| (w, "--with")),
            };
            let rel = interview_path(vault, root, who, date, vars)?;
            // A chat without a date can only be requested; a dated one follows its date.
            let undated = date
                .is_none()
                .then(|| ChatStatus::Requested.name().to_string());
            vars.status = status.or(undated);
            vars.duration = duration;
            vars.format = format;
            vars.place = place;
            vars.link = link;
            vars.title = title;
            (Kind::Interview, rel)
        }
        NewNote::Questions { category } => {
            let what = "the bank's category";
            let rel = named(vault, root, Kind::Questions, category, what, vars)?;
            (Kind::Questions, rel)
        }
    })
}

/// The reference to write for the note of `kind` that `name`, given with `flag`, finds.
fn find_ref(
    vault: &crate::model::Vault,
    name: Option<String>,
    kind: Kind,
    flag: &str,
) -> Result<Option<String>, Refusal> {
    name.map(|n| Ok(reference(vault, find(vault, &n, kind, flag)?)))
        .transpose()
}

/// The path of a new note of `kind` called `name` (`what` it is, for the refusal of an
/// empty one), which becomes its `name`.
fn named(
    vault: &crate::model::Vault,
    root: &Path,
    kind: Kind,
    name: String,
    what: &str,
    vars: &mut NoteVars,
) -> Result<PathBuf, Refusal> {
    let name = non_empty(name, what)?;
    let rel = fresh(vault, kind, &name, root)?;
    vars.name = name;
    Ok(rel)
}

/// The vault `new` adds a note to, loaded.
pub(crate) fn load_vault(root: &Path) -> Result<Site, Refusal> {
    let opts = Options {
        vault: root.to_path_buf(),
        ..Default::default()
    };
    Site::load(&opts, |_| Default::default())
        .map_err(|f| Refusal::new(f.0).hint("make a vault first with `coffeechat init`"))
}

/// Where a new chat on `date` with the contact `who` (named by the argument or flag
/// given with it) goes, filling in its contact and date; refused when the
/// vault has that chat already.
fn interview_path(
    vault: &crate::model::Vault,
    root: &Path,
    who: Option<(String, &str)>,
    date: Option<When>,
    vars: &mut NoteVars,
) -> Result<PathBuf, Refusal> {
    let (who, flag) = who.ok_or_else(|| Refusal::new("name the contact you meet"))?;
    let id = find(vault, &who, Kind::Contact, flag)?;
    let person = &vault.notes[id];
    let stem = match date {
        Some(w) => format!("{}-{}", w.date, person.slug),
        None => person.slug.clone(),
    };
    let slug = slugify(&stem);
    if let Some(other) = vault
        .notes
        .values()
        .find(|n| n.kind == Kind::Interview && n.slug == slug)
    {
        return Err(already_exists(root, &other.source.rel)
            .hint("a chat with them on that day is already in the vault; edit that note"));
    }
    vars.name = person.name.clone();
    vars.with = Some(reference(vault, id));
    vars.date = date.map(when_text);
    Ok(PathBuf::from(format!("interviews/{stem}.md")))
}

/// Checks a rendered note: errors refuse it, warnings are returned for printing.
pub fn checked(
    root: &Path,
    rel: &Path,
    text: &str,
    origin: &str,
) -> Result<Option<String>, Refusal> {
    let diags = validate(rel, text);
    if diags.is_empty() {
        return Ok(None);
    }
    let shown = render_diagnostics(root, rel, text, &diags);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(Refusal::new(format!(
            "the note template {origin} makes a note with errors, so nothing was written:\n\n{shown}"
        ))
        .hint(format!("fix {origin}")));
    }
    Ok(Some(shown))
}

fn non_empty(s: String, what: &str) -> Result<String, Refusal> {
    let t = s.trim();
    if t.is_empty() {
        Err(Refusal::new(format!("{what} is empty")))
    } else {
        Ok(t.to_string())
    }
}

fn when_text(w: When) -> String {
    match w.time {
        Some(t) => format!("{} {}", w.date, t.strftime("%H:%M")),
        None => w.date.to_string(),
    }
}

/// The path for a new note of `kind` called `name`, refusing when the vault already has a
/// note of that kind with that name or slug.
fn fresh(vault: &Vault, kind: Kind, name: &str, root: &Path) -> Result<PathBuf, Refusal> {
    let existing = match vault.index.resolve(&vault.notes, name, Some(kind)) {
        Ok(id) => Some(vault.notes[id].source.rel.clone()),
        Err(Miss::Ambiguous(paths)) => paths.into_iter().next(),
        Err(_) => None,
    };
    let slug = slugify(name);
    let existing = existing.or_else(|| {
        vault
            .notes
            .values()
            .find(|n| n.kind == kind && n.slug == slug)
            .map(|n| n.source.rel.clone())
    });
    if let Some(rel) = existing {
        return Err(Refusal::new(format!(
            "the vault already has a {} called `{name}`: {}",
            kind.noun(),
            shown(root, &rel).display()
        ))
        .hint("coffeechat never overwrites a note; edit that one, or pick another name"));
    }
    Ok(PathBuf::from(format!("{}/{slug}.md", kind_folder(kind))))
}

/// The vault folder notes of a kind live in.
pub fn kind_folder(kind: Kind) -> &'static str {
    match kind {
        Kind::Contact => "contacts",
        Kind::Company => "companies",
        Kind::Interview => "interviews",
        Kind::Questions => "questions",
        Kind::Profile | Kind::Note => "",
    }
}

/// Resolves a name given on the command line to a note of `kind`, as `build` would.
pub fn find(vault: &Vault, target: &str, kind: Kind, flag: &str) -> Result<NoteId, Refusal> {
    vault
        .index
        .resolve(&vault.notes, target, Some(kind))
        .map_err(|miss| {
            let nothing = matches!(miss, Miss::Nothing(_));
            let no_suggestion = matches!(miss, Miss::Nothing(None));
            // On the command line a note is named by its path as it is typed there,
            // not as a note's `[[link]]`.
            let paths: Vec<String> = match &miss {
                Miss::Ambiguous(paths) => paths
                    .iter()
                    .map(|p| {
                        shell_quote(&p.with_extension("").to_string_lossy().replace('\\', "/"))
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let d = miss_diagnostic(Path::new(flag), Pos::FILE, target, kind.noun(), miss);
            let mut r = Refusal::new(format!("{flag}: {}", d.message));
            if !paths.is_empty() {
                r = r.hint(format!(
                    "name the one you mean by its path: `{}`",
                    paths.join("` or `")
                ));
            } else if let Some(h) = d.hint.filter(|_| !no_suggestion) {
                r = r.hint(h);
            }
            if nothing {
                r = r.hint(format!(
                    "to add it: coffeechat new {} {}",
                    kind.name(),
                    shell_quote(target)
                ));
            }
            r
        })
}

/// How a front-matter reference to note `id` is written: an Obsidian link by its display
/// name when that finds exactly this note again, else by its vault path.
pub fn reference(vault: &Vault, id: NoteId) -> String {
    let note = &vault.notes[id];
    let name = note.name.trim();
    let by_name = format!("[[{name}]]");
    let finds_it = |text: &str| {
        vault
            .index
            .resolve(&vault.notes, link_target(text), Some(note.kind))
            == Ok(id)
    };
    if link_target(&by_name) == name && finds_it(&by_name) {
        return by_name;
    }
    let path = note
        .source
        .rel
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    format!("[[{path}]]")
}

/// Quotes a word for a shell command in a hint, so that pasting the command passes the
/// word as it is. Double quotes read best, but a shell still expands `$`, `` ` `` and
/// (in an interactive bash) `!` inside them: a word with any of those, or with `\` or
/// `"`, is put in single quotes, inside which nothing is special but `'` itself.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    {
        s.to_string()
    } else if s.contains(['$', '`', '!', '\\', '"']) {
        format!("'{}'", s.replace('\'', r"'\''"))
    } else {
        format!("\"{s}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_read_back_as_the_same_text() {
        for s in [
            "Ada Lovelace",
            "yes",
            "0123",
            "a: b # c",
            "[[x]]",
            "*star",
            "@at",
            "say \"hi\"",
            "back\\slash",
            "tab\there",
            "line\nbreak",
            "null",
            "~",
            "- dash",
            "Zoë 😀",
        ] {
            let text = format!("---\nname: {}\n---\n", yaml::quote(s));
            let mut diags = Vec::new();
            let source = load::parse_note(Path::new("contacts/x.md"), text.into_bytes()).unwrap();
            let note = note::read_note(source, &mut diags);
            assert!(diags.is_empty(), "{s:?}: {diags:?}");
            assert_eq!(note.name, s);
        }
    }

    /// Each word, quoted and given to a real shell, comes back as it was.
    #[test]
    fn quoted_words_read_back_the_same_in_a_shell() {
        let words = [
            "Ada Lovelace",
            "plain",
            "O'Brien",
            "Bob $HOME",
            "`date`",
            "Wow! Inc",
            "say \"hi\"",
            "back\\slash",
            "it's $5",
            "",
        ];
        for shell in ["sh", "bash"] {
            let script: String = (words.iter())
                .map(|w| format!("printf '%s\\n' {}\n", shell_quote(w)))
                .collect();
            let out = std::process::Command::new(shell)
                .args(["-c", &script])
                .env("HOME", "/home/someone")
                .output()
                .unwrap_or_else(|e| panic!("{shell}: {e}"));
            let printed = String::from_utf8(out.stdout).unwrap();
            assert_eq!(
                printed.lines().collect::<Vec<_>>(),
                words,
                "{shell}: {script}"
            );
        }
    }

    #[test]
    fn built_in_templates_make_valid_notes() {
        let dir = tempfile::tempdir().unwrap();
        let t = Templates::load(dir.path()).unwrap();
        let vars = NoteVars {
            name: "O'Brien: \"Ops\" #1".into(),
            slug: "o-brien-ops-1".into(),
            today: "2026-11-23".into(),
            with: Some("[[contacts/o-brien]]".into()),
            date: Some("2026-12-01 10:00".into()),
            status: Some("scheduled".into()),
            log: vec![LogVar {
                date: "2024-03-12".into(),
                kind: "note".into(),
                note: "Connected on LinkedIn".into(),
            }],
            ..NoteVars::default()
        };
        for (kind, _) in NOTE_TEMPLATES {
            let rel = PathBuf::from(format!("{}/x.md", kind_folder(*kind)));
            let text = t.render(*kind, &vars).unwrap();
            let diags = validate(&rel, &text);
            assert!(diags.is_empty(), "{kind:?}:\n{text}\n{diags:?}");
        }
    }
}
