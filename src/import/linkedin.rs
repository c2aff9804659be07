//! `coffeechat import linkedin`: contacts and companies from LinkedIn's `Connections.csv`.
//!
//! The export is not a plain CSV: it may start with a BOM, then a `Notes:` line and a
//! quoted paragraph before the real header (`First Name,Last Name,URL,Email Address,
//! Company,Position,Connected On`); it has CRLF line endings, quoted fields with commas,
//! empty emails (most people do not share theirs) and dates like `12 Mar 2024`.
//!
//! Importing is idempotent: a connection whose LinkedIn URL is already on a contact, or
//! whose name and company match one, is skipped. Existing notes are never changed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diag::Severity;
use crate::model::Vault;
use crate::model::note::{Data, Kind, NoteId, link_target, slugify};
use crate::model::refs::Miss;
use crate::scaffold::{self, LogVar, NoteVars, Refusal, Templates};

/// One row of the export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connection {
    /// The line of the file the row starts on (1-based), for messages.
    pub line: u64,
    /// `First Name`.
    pub first_name: String,
    /// `Last Name`.
    pub last_name: String,
    /// `URL`, their profile.
    pub url: String,
    /// `Email Address`, often empty.
    pub email: String,
    /// `Company`.
    pub company: String,
    /// `Position`.
    pub position: String,
    /// `Connected On`, like `12 Mar 2024`.
    pub connected_on: String,
}

impl Connection {
    /// First and last name, trimmed.
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name.trim(), self.last_name.trim())
            .trim()
            .to_string()
    }
}

/// A row that could not be imported as it is, by line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line of the file it is about.
    pub line: u64,
    /// What happened.
    pub message: String,
}

/// The columns we read, by their header in the export.
const COLUMNS: [&str; 7] = [
    "first name",
    "last name",
    "url",
    "email address",
    "company",
    "position",
    "connected on",
];

/// Reads the rows of a `Connections.csv`. Fails when no header row is found; rows that
/// cannot be read are returned as problems.
pub fn parse(bytes: &[u8]) -> Result<(Vec<Connection>, Vec<Problem>), String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut columns: Option<[Option<usize>; 7]> = None;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.byte_records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(bytes, p.byte()));
                problems.push(Problem {
                    line,
                    message: format!("cannot read this row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_at(bytes, p.byte()));
        let fields: Result<Vec<String>, _> = record
            .iter()
            .map(|f| String::from_utf8(f.to_vec()))
            .collect();
        let Ok(fields) = fields else {
            problems.push(Problem {
                line,
                message: "this row is not valid UTF-8; skipped".into(),
            });
            continue;
        };
        let Some(cols) = columns else {
            // Before the header: LinkedIn's notes.
            let lower: Vec<String> = fields.iter().map(|f| f.trim().to_lowercase()).collect();
            if lower.iter().any(|f| f == "first name") && lower.iter().any(|f| f == "last name") {
                columns = Some(COLUMNS.map(|c| lower.iter().position(|f| f == c)));
            }
            continue;
        };
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |i: usize| {
            cols[i]
                .and_then(|c| fields.get(c))
                .map(|f| f.trim().to_string())
                .unwrap_or_default()
        };
        rows.push(Connection {
            line,
            first_name: get(0),
            last_name: get(1),
            url: get(2),
            email: get(3),
            company: get(4),
            position: get(5),
            connected_on: get(6),
        });
    }
    if columns.is_none() {
        return Err(
            "this does not look like LinkedIn's Connections.csv: no row has the \
                    columns `First Name` and `Last Name`"
                .into(),
        );
    }
    Ok((rows, problems))
}

/// The 1-based line a record starting at byte `offset` is on. The csv crate's own line
/// count misses blank lines between CRLF line ends (LinkedIn's export has one), and its
/// offset may point at the line end before the record, which is skipped here: a record
/// never starts with a line end.
fn line_at(bytes: &[u8], offset: u64) -> u64 {
    let mut start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64
}

/// `12 Mar 2024` as LinkedIn writes it; also `2024-03-12` and `3/12/24`, which older
/// exports and spreadsheet round trips produce.
pub fn parse_connected_on(text: &str) -> Option<Date> {
    let text = text.trim();
    ["%d %b %Y", "%Y-%m-%d", "%m/%d/%y", "%m/%d/%Y"]
        .iter()
        .find_map(|f| Date::strptime(f, text).ok())
}

/// A LinkedIn profile URL reduced to what identifies the profile: no scheme, no `www.`
/// or country subdomain, no query, no trailing slash, lower case.
pub fn normalize_url(url: &str) -> String {
    let u = url.trim().to_lowercase();
    let u = u
        .split_once("://")
        .map_or(u.as_str(), |(_, rest)| rest)
        .to_string();
    let u = u
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/');
    match u.split_once('/') {
        Some((host, path)) if host.ends_with("linkedin.com") => format!("linkedin.com/{path}"),
        _ => u.to_string(),
    }
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Contact notes created.
    pub contacts: Vec<PathBuf>,
    /// Company notes created.
    pub companies: Vec<PathBuf>,
    /// Connections already in the vault (or twice in the file).
    pub skipped: usize,
    /// Rows not imported, or imported with a problem.
    pub problems: Vec<Problem>,
}

/// Whether a connection is known already.
enum Known {
    New,
    /// In the vault or earlier in the file: skipped.
    Already,
    /// Someone else of the same name is in the vault: not imported, for this reason.
    Namesake(String),
}

/// A company note to create.
struct NewCompany {
    name: String,
    rel: PathBuf,
}

/// Imports `csv` into the vault at `root`.
pub fn import(csv: &Path, root: &Path) -> Result<Summary, Refusal> {
    let bytes = std::fs::read(csv).map_err(|e| Refusal {
        message: format!("cannot read {}: {e}", csv.display()),
        hints: Vec::new(),
        shown: None,
    })?;
    let (rows, mut problems) = parse(&bytes).map_err(|m| Refusal {
        message: format!("{}: {m}", csv.display()),
        hints: vec![
            "download it from LinkedIn: Settings → Data privacy → Get a copy of your data \
             → Connections"
                .into(),
        ],
        shown: None,
    })?;
    let site = scaffold::load_vault(root)?;
    let vault = &site.vault;
    let templates = Templates::load(root)?;
    let mut plan = Plan::new(vault, root);
    let mut summary = Summary::default();
    let mut contacts: Vec<(u64, PathBuf, NoteVars)> = Vec::new();
    for row in &rows {
        if let Some((rel, vars)) = plan.contact(row, &mut problems) {
            contacts.push((row.line, rel, vars));
        }
    }
    summary.skipped = plan.skipped;
    // Companies first, so that no contact is written pointing at a company that is not.
    let failed = write_companies(&plan, &templates, root, &mut summary, &mut problems);
    write_contacts(
        &plan,
        contacts,
        &failed,
        &templates,
        root,
        &mut summary,
        &mut problems,
    );
    // Read the vault again, as `build` will: anything wrong in what was just written
    // is reported here rather than discovered later.
    if !summary.contacts.is_empty() || !summary.companies.is_empty() {
        problems.extend(recheck(&plan, root));
    }
    problems.sort_by_key(|p| p.line);
    summary.problems = problems;
    Ok(summary)
}

/// Writes the new company notes; returns the paths of those that could not be.
fn write_companies(
    plan: &Plan,
    templates: &Templates,
    root: &Path,
    summary: &mut Summary,
    problems: &mut Vec<Problem>,
) -> HashSet<PathBuf> {
    let mut failed = HashSet::new();
    for c in &plan.new_companies {
        let vars = NoteVars {
            name: c.name.clone(),
            slug: stem_slug(&c.rel),
            today: plan.vault.today.to_string(),
            ..NoteVars::default()
        };
        match write_note(templates, root, Kind::Company, &c.rel, &vars) {
            Ok(()) => summary.companies.push(c.rel.clone()),
            Err(r) => {
                failed.insert(c.rel.clone());
                problems.push(Problem {
                    line: plan.company_line(&c.rel),
                    message: format!("company `{}` not created: {}", c.name, r.message),
                });
            }
        }
    }
    failed
}

/// Writes the new contact notes (`(line, path, fields)`), but those whose company
/// note is among `failed`.
fn write_contacts(
    plan: &Plan,
    contacts: Vec<(u64, PathBuf, NoteVars)>,
    failed: &HashSet<PathBuf>,
    templates: &Templates,
    root: &Path,
    summary: &mut Summary,
    problems: &mut Vec<Problem>,
) {
    for (line, rel, vars) in contacts {
        let company_failed = plan
            .company_of
            .get(&rel)
            .is_some_and(|c| failed.contains(c));
        let written = match company_failed {
            true => Err(Refusal::new("their company note could not be created")),
            false => write_note(templates, root, Kind::Contact, &rel, &vars),
        };
        match written {
            Ok(()) => summary.contacts.push(rel),
            Err(r) => problems.push(Problem {
                line,
                message: format!("`{}` not imported: {}", vars.name, r.message),
            }),
        }
    }
}

/// Renders, checks and creates one note.
fn write_note(
    templates: &Templates,
    root: &Path,
    kind: Kind,
    rel: &Path,
    vars: &NoteVars,
) -> Result<(), Refusal> {
    let text = templates.render(kind, vars)?;
    scaffold::checked(root, rel, &text, templates.origin(kind))?;
    scaffold::create_file(root, rel, text.as_bytes())
}

/// The errors loading the vault finds in the notes `plan` wrote, by their lines in
/// the file.
fn recheck(plan: &Plan, root: &Path) -> Vec<Problem> {
    let written: HashMap<&Path, u64> = plan
        .lines
        .iter()
        .map(|(rel, line)| (rel.as_path(), *line))
        .collect();
    let Ok(after) = scaffold::load_vault(root) else {
        return Vec::new();
    };
    let mut diags = crate::diag::Diagnostics::default();
    diags.extend(after.loaded.all().cloned());
    let mut diags = diags.sorted();
    diags.retain(|d| d.severity == Severity::Error && written.contains_key(d.file.as_path()));
    diags
        .into_iter()
        .map(|d| Problem {
            line: written[d.file.as_path()],
            message: format!(
                "{}:{}: {} (run `coffeechat check`)",
                d.file.display(),
                d.pos.line,
                d.message
            ),
        })
        .collect()
}

fn stem_slug(rel: &Path) -> String {
    rel.file_stem()
        .map(|s| slugify(&s.to_string_lossy()))
        .unwrap_or_default()
}

/// Decisions for the rows of one import, before anything is written.
struct Plan<'v> {
    vault: &'v Vault,
    root: &'v Path,
    /// Profile URLs of the vault's contacts and of contacts planned, normalised.
    urls: HashMap<String, Option<NoteId>>,
    /// (name slug, company slug) of contacts planned in this import.
    planned_names: HashSet<(String, String)>,
    /// Contact and company file slugs taken in this import.
    taken: HashSet<(Kind, String)>,
    new_companies: Vec<NewCompany>,
    /// New companies by the slug of their name.
    company_by_slug: HashMap<String, usize>,
    /// For each planned contact, the new company it refers to.
    company_of: HashMap<PathBuf, PathBuf>,
    /// The line each planned note comes from.
    lines: HashMap<PathBuf, u64>,
    skipped: usize,
}

impl<'v> Plan<'v> {
    fn new(vault: &'v Vault, root: &'v Path) -> Plan<'v> {
        let mut urls = HashMap::new();
        for id in vault.ids_of(Kind::Contact) {
            if let Data::Contact(c) = &vault.notes[id].data
                && let Some(url) = c.linkedin.as_deref().filter(|u| !u.trim().is_empty())
            {
                urls.insert(normalize_url(url), Some(id));
            }
        }
        Plan {
            vault,
            root,
            urls,
            planned_names: HashSet::new(),
            taken: HashSet::new(),
            new_companies: Vec::new(),
            company_by_slug: HashMap::new(),
            company_of: HashMap::new(),
            lines: HashMap::new(),
            skipped: 0,
        }
    }

    fn company_line(&self, rel: &Path) -> u64 {
        self.lines.get(rel).copied().unwrap_or(0)
    }

    /// The contact to create for a row, or `None` when it is skipped or has a problem.
    fn contact(
        &mut self,
        row: &Connection,
        problems: &mut Vec<Problem>,
    ) -> Option<(PathBuf, NoteVars)> {
        let problem = |problems: &mut Vec<Problem>, message: String| {
            problems.push(Problem {
                line: row.line,
                message,
            })
        };
        let name = row.name();
        if name.is_empty() {
            problem(problems, "no first or last name; skipped".into());
            return None;
        }
        let url = normalize_url(&row.url);
        let name_key = (slugify(&name), slugify(&row.company));
        match self.known(row, &name, &url, &name_key) {
            Known::New => {}
            Known::Already => {
                self.skipped += 1;
                return None;
            }
            Known::Namesake(message) => {
                problem(problems, message);
                return None;
            }
        }
        let connected = (!row.connected_on.is_empty())
            .then(|| parse_connected_on(&row.connected_on))
            .and_then(|d| {
                if d.is_none() {
                    problem(
                        problems,
                        format!(
                            "`{}` is not a date like 12 Mar 2024; `{name}` was imported \
                             without the date you connected",
                            row.connected_on
                        ),
                    );
                }
                d
            });
        let rel = self.free_path(Kind::Contact, &name);
        let company = self.company(row, &rel, problems);
        self.planned_names.insert(name_key);
        if !row.url.is_empty() {
            self.urls.insert(url, None);
        }
        self.lines.insert(rel.clone(), row.line);
        let non_empty = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        let vars = NoteVars {
            slug: stem_slug(&rel),
            today: self.vault.today.to_string(),
            title: non_empty(&row.position),
            company,
            email: non_empty(&row.email),
            linkedin: non_empty(&row.url),
            source: Some("linkedin".into()),
            log: connected
                .map(|d| LogVar {
                    date: d.to_string(),
                    kind: "note".into(),
                    note: "Connected on LinkedIn".into(),
                })
                .into_iter()
                .collect(),
            name,
            ..NoteVars::default()
        };
        Some((rel, vars))
    }

    /// Whether the connection in `row`, called `name`, with its LinkedIn `url`
    /// normalised and its `name_key`, is in the vault or the file already.
    fn known(&self, row: &Connection, name: &str, url: &str, name_key: &(String, String)) -> Known {
        if !row.url.is_empty() && self.urls.contains_key(url) {
            return Known::Already;
        }
        if self.planned_names.contains(name_key) {
            return Known::Already;
        }
        // Someone of that name already in the vault: the same person if the company
        // matches too. Otherwise importing would make every reference to that name
        // ambiguous, so leave it to the user.
        let namesakes = self.namesakes(name);
        let Some(&first) = namesakes.first() else {
            return Known::New;
        };
        if namesakes
            .iter()
            .any(|&id| self.same_company(id, &row.company))
        {
            return Known::Already;
        }
        let rel = &self.vault.notes[first].source.rel;
        Known::Namesake(format!(
            "not imported: the vault already has a contact called `{name}` ({}) at another \
             company; if it is the same person, add `linkedin: {}` to that note",
            rel.display(),
            row.url
        ))
    }

    /// Contacts of the vault called `name`.
    fn namesakes(&self, name: &str) -> Vec<NoteId> {
        match self
            .vault
            .index
            .resolve(&self.vault.notes, name, Some(Kind::Contact))
        {
            Ok(id) => vec![id],
            Err(Miss::Ambiguous(paths)) => paths
                .iter()
                .filter_map(|p| self.vault.index.at_path(p))
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Whether contact `id` works at `company` (both without one counts).
    fn same_company(&self, id: NoteId, company: &str) -> bool {
        let Data::Contact(c) = &self.vault.notes[id].data else {
            return false;
        };
        match (&c.company, company.trim()) {
            (None, "") => true,
            (None, _) | (Some(_), "") => false,
            (Some(r), row) => {
                let theirs = r.resolved;
                let row_company = self
                    .vault
                    .index
                    .resolve(&self.vault.notes, row, Some(Kind::Company))
                    .ok();
                (theirs.is_some() && theirs == row_company) || slugify(&r.target) == slugify(row)
            }
        }
    }

    /// The front-matter reference to the row's company, planning a company note when the
    /// vault has none.
    fn company(
        &mut self,
        row: &Connection,
        contact: &Path,
        problems: &mut Vec<Problem>,
    ) -> Option<String> {
        let name = row.company.trim();
        if name.is_empty() {
            return None;
        }
        match self
            .vault
            .index
            .resolve(&self.vault.notes, name, Some(Kind::Company))
        {
            Ok(id) => return Some(scaffold::reference(self.vault, id)),
            Err(Miss::Ambiguous(paths)) => {
                let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                problems.push(Problem {
                    line: row.line,
                    message: format!(
                        "`{name}` could mean any of: {}; `{}` was imported without a company",
                        list.join(", "),
                        row.name()
                    ),
                });
                return None;
            }
            Err(_) => {}
        }
        let key = slugify(name);
        let i = match self.company_by_slug.get(&key) {
            Some(&i) => i,
            None => {
                let rel = self.free_path(Kind::Company, name);
                self.lines.insert(rel.clone(), row.line);
                self.new_companies.push(NewCompany {
                    name: name.to_string(),
                    rel,
                });
                self.company_by_slug
                    .insert(key, self.new_companies.len() - 1);
                self.new_companies.len() - 1
            }
        };
        let company = &self.new_companies[i];
        self.company_of
            .insert(contact.to_path_buf(), company.rel.clone());
        // By name when the name reads back as itself, else by path.
        let by_name = format!("[[{}]]", company.name);
        Some(if link_target(&by_name) == company.name {
            by_name
        } else {
            format!("[[{}]]", company.rel.with_extension("").display())
        })
    }

    /// `folder/slug.md`, or `folder/slug-2.md`… when that is taken by a file, a note of
    /// the kind, or an earlier row.
    fn free_path(&mut self, kind: Kind, name: &str) -> PathBuf {
        let base = slugify(name);
        let folder = scaffold::kind_folder(kind);
        for n in 1.. {
            let slug = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            let rel = PathBuf::from(format!("{folder}/{slug}.md"));
            let taken = self.taken.contains(&(kind, slug.clone()))
                || self.root.join(&rel).symlink_metadata().is_ok()
                || self
                    .vault
                    .notes
                    .values()
                    .any(|n| n.kind == kind && n.slug == slug);
            if !taken {
                self.taken.insert((kind, slug));
                return rel;
            }
        }
        unreachable!("some numbered name is free")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_compare_without_decoration() {
        assert_eq!(
            normalize_url("https://www.linkedin.com/in/Ada-Lovelace/"),
            normalize_url("http://uk.linkedin.com/in/ada-lovelace?trk=x")
        );
    }

    #[test]
    fn linkedin_dates() {
        assert_eq!(
            parse_connected_on("12 Mar 2024"),
            Some(jiff::civil::date(2024, 3, 12))
        );
        assert_eq!(
            parse_connected_on("01 Sep 2023"),
            Some(jiff::civil::date(2023, 9, 1))
        );
        assert_eq!(parse_connected_on("yesterday"), None);
    }

    #[test]
    fn rows_know_their_line_in_the_file() {
        for (input, line) in [
            (
                "Notes:\r\n\"a, b\"\r\n\r\nFirst Name,Last Name\r\nAda,Lovelace\r\n",
                5,
            ),
            (
                "Notes:\n\"a,\nb\"\n\nFirst Name,Last Name\nAda,Lovelace\n",
                6,
            ),
        ] {
            let (rows, _) = parse(input.as_bytes()).unwrap();
            assert_eq!(rows[0].line, line, "{input:?}");
            assert_eq!(rows[0].name(), "Ada Lovelace");
        }
    }
}
