//! Typed notes: what each kind of note holds, read from its front matter.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;

use crate::diag::{Diagnostic, Pos};
use crate::load::{FIRST_YAML_LINE, SourceNote};
use crate::model::time::{BadDate, When, integer, parse_date, parse_minutes, parse_when};
use crate::rules::Rule;
use crate::yaml::{self, Fields, Node, Text};

/// Index of a note in [`crate::model::Vault::notes`].
pub(crate) type NoteId = usize;

/// What a note is about, from its `kind:` field or its top-level folder.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Profile,
    Contact,
    Company,
    Interview,
    Questions,
    Note,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Profile,
        Kind::Contact,
        Kind::Company,
        Kind::Interview,
        Kind::Questions,
        Kind::Note,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Profile => "profile",
            Kind::Contact => "contact",
            Kind::Company => "company",
            Kind::Interview => "interview",
            Kind::Questions => "questions",
            Kind::Note => "note",
        }
    }

    /// What a note of this kind is called in a sentence: "a question bank", where the
    /// front matter and the `new` command say `questions`.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Questions => "question bank",
            kind => kind.name(),
        }
    }

    /// The output folder of this kind's pages.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Profile => "profile",
            Kind::Contact => "contacts",
            Kind::Company => "companies",
            Kind::Interview => "interviews",
            Kind::Questions => "questions",
            Kind::Note => "notes",
        }
    }

    fn from_folder(rel: &Path) -> Kind {
        let mut parts = rel.components();
        let first = parts.next();
        if parts.next().is_none() {
            let is_me = rel
                .file_stem()
                .is_some_and(|s| s.eq_ignore_ascii_case("me"));
            return if is_me { Kind::Profile } else { Kind::Note };
        }
        match first {
            Some(Component::Normal(dir)) => match dir.to_string_lossy().as_ref() {
                "contacts" => Kind::Contact,
                "companies" => Kind::Company,
                "interviews" => Kind::Interview,
                "questions" => Kind::Questions,
                _ => Kind::Note,
            },
            _ => Kind::Note,
        }
    }
}

/// A reference to another note, as written, and (after resolution) what it points at.
#[derive(Clone, Debug, Serialize)]
pub struct Ref {
    #[serde(skip)]
    pub raw: Text,
    /// The target name with any `[[ ]]`, `|label` and `#heading` removed.
    pub target: String,
    /// The target folded as the name index keys it, made once when the note is read.
    #[serde(skip)]
    pub key: String,
    #[serde(skip)]
    pub resolved: Option<NoteId>,
}

impl Ref {
    pub fn new(raw: Text) -> Ref {
        let target = link_target(&raw.value).to_string();
        Ref {
            key: crate::model::refs::fold(&target),
            target,
            raw,
            resolved: None,
        }
    }
}

/// The name part of a reference: `[[Ada Lovelace|Ada]]` and `Ada Lovelace#Career` give
/// `Ada Lovelace`.
pub(crate) fn link_target(text: &str) -> &str {
    let t = text.trim();
    let t = t
        .strip_prefix("[[")
        .and_then(|t| t.strip_suffix("]]"))
        .unwrap_or(t);
    let t = t.split('|').next().unwrap_or(t);
    t.split('#').next().unwrap_or(t).trim()
}

#[derive(Clone, Debug, Serialize)]
pub struct Profile {
    pub headline: Option<String>,
    pub email: Option<String>,
    pub linkedin: Option<String>,
    pub goals: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Contact {
    pub title: Option<String>,
    pub company: Option<Ref>,
    pub since: Option<String>,
    #[serde(skip)]
    pub since_date: Option<Date>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub linkedin: Option<String>,
    pub website: Option<String>,
    pub location: Option<String>,
    pub source: Option<String>,
    pub introduced_by: Option<Ref>,
    /// As written; without it the stage follows what happened (`ContactFacts::status`).
    pub status: Option<ContactStatus>,
    /// Cadence in minutes, overriding the vault default.
    #[serde(skip)]
    pub stay_in_touch: Option<u32>,
    pub tags: Vec<String>,
    pub log: Vec<LogEntry>,
}

/// A touchpoint that happened, or an action planned.
#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    pub date: Option<When>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub note: Option<String>,
    pub planned: Option<Planned>,
    /// Where its `date` is written.
    #[serde(skip)]
    pub pos: Pos,
}

/// An action with a due date, done once it has a `done` date.
#[derive(Clone, Debug, Serialize)]
pub struct Planned {
    #[serde(serialize_with = "date_string")]
    pub due: Date,
    pub action: String,
    #[serde(serialize_with = "opt_date_string")]
    pub done: Option<Date>,
    #[serde(skip)]
    pub pos: Pos,
}

#[derive(Clone, Debug, Serialize)]
pub struct Company {
    pub industry: Option<String>,
    pub website: Option<String>,
    pub location: Option<String>,
    pub size: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Interview {
    pub with: Option<Ref>,
    pub when: Option<When>,
    /// Minutes; `None` means the vault default.
    pub duration: Option<u32>,
    pub format: Option<Format>,
    #[serde(rename = "where")]
    pub place: Option<String>,
    pub link: Option<String>,
    /// As written; see [`Interview::status_on`] for where the chat stands.
    pub status: Option<ChatStatus>,
    pub objectives: Vec<String>,
    pub questions: Vec<QuestionItem>,
    #[serde(serialize_with = "opt_date_string")]
    pub thank_you: Option<Date>,
    pub referrals: Vec<Ref>,
    pub followups: Vec<Planned>,
    /// Where the prep lies in the body ([`crate::model::prep`]), found once as the note
    /// is read: the briefing's length estimate and the chat's page both need it.
    #[serde(skip)]
    pub prep: Range<usize>,
}

impl Interview {
    /// Where the chat stands on `today`: as its `status` says, else `scheduled` until
    /// its day and `done` from the day after. Builds know the day, not the hour, so a
    /// chat is to come for the whole of its day.
    pub(crate) fn status_on(&self, today: Date) -> ChatStatus {
        self.status.unwrap_or(match self.past(today) {
            true => ChatStatus::Done,
            false => ChatStatus::Scheduled,
        })
    }

    /// Whether the note still says the chat is to come (`scheduled` or `requested`)
    /// though its day has passed: it needs an update.
    pub(crate) fn is_stale(&self, today: Date) -> bool {
        let to_come = matches!(
            self.status,
            Some(ChatStatus::Scheduled | ChatStatus::Requested)
        );
        to_come && self.past(today)
    }

    /// Whether the chat is still to come on `today`: scheduled or requested, and its
    /// day (if it has one) not yet past.
    pub(crate) fn upcoming(&self, today: Date) -> bool {
        let to_come = matches!(
            self.status_on(today),
            ChatStatus::Scheduled | ChatStatus::Requested
        );
        to_come && !self.past(today)
    }

    fn past(&self, today: Date) -> bool {
        self.when.is_some_and(|w| w.date < today)
    }
}

/// One question planned for a chat: own text, or a reference into a bank.
#[derive(Clone, Debug, Serialize)]
pub struct QuestionItem {
    pub ask: Option<String>,
    #[serde(skip)]
    pub bank_ref: Option<Text>,
    /// (bank note, index in its list) once resolved.
    #[serde(skip)]
    pub resolved: Option<(NoteId, usize)>,
    pub minutes: Option<u32>,
    pub priority: Option<u32>,
    /// Where the question's text (or the item) stands, for lint warnings.
    #[serde(skip)]
    pub pos: Pos,
}

#[derive(Clone, Debug, Serialize)]
pub struct Bank {
    pub questions: Vec<BankQuestion>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BankQuestion {
    pub id: String,
    pub ask: String,
    pub minutes: Option<u32>,
    #[serde(skip)]
    pub pos: Pos,
}

/// The kind-specific part of a note.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Data {
    Profile(Profile),
    Contact(Contact),
    Company(Company),
    Interview(Interview),
    Questions(Bank),
    Note(Plain),
}

#[derive(Clone, Debug, Serialize)]
pub struct Plain {
    pub tags: Vec<String>,
}

/// A note read from the vault.
#[derive(Clone, Debug)]
pub struct Note {
    pub kind: Kind,
    pub source: SourceNote,
    pub slug: String,
    /// `name`, `title` or `category`, as the kind has it; may be empty before resolution
    /// for an interview without a title.
    pub name: String,
    /// The `title` field, where the kind has one (a contact's job title is in `Contact`).
    pub title: Option<String>,
    pub aliases: Vec<String>,
    pub data: Data,
    /// Each top-level front-matter field and where its name stands.
    pub keys: Vec<(String, Pos)>,
}

impl Note {
    /// Where each front-matter reference resolved, in order: the note, and for a
    /// question the index in its bank (0 for other references); `None` for one that
    /// did not. The same text can find another note once names or aliases move.
    pub fn resolved(&self) -> Vec<Option<(NoteId, usize)>> {
        let note = |r: &Option<Ref>| r.as_ref().map(|r| r.resolved.map(|id| (id, 0)));
        match &self.data {
            Data::Contact(c) => [note(&c.company), note(&c.introduced_by)]
                .into_iter()
                .flatten()
                .collect(),
            Data::Interview(i) => note(&i.with)
                .into_iter()
                .chain(i.referrals.iter().map(|r| r.resolved.map(|id| (id, 0))))
                .chain(i.questions.iter().map(|q| q.resolved))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The tags of its front matter.
    pub fn tags(&self) -> &[String] {
        match &self.data {
            Data::Contact(c) => &c.tags,
            Data::Company(c) => &c.tags,
            Data::Note(n) => &n.tags,
            _ => &[],
        }
    }

    /// Where field `key` is written, else the top of the file.
    pub fn pos_of(&self, key: &str) -> Pos {
        self.keys
            .iter()
            .find(|(k, _)| k == key)
            .map_or(Pos::FILE, |(_, p)| *p)
    }
}

/// A value a field takes from a fixed list, written in notes by name.
pub(crate) trait Choice: Copy + 'static {
    /// Every value, in the order the README lists them.
    const ALL: &'static [Self];
    /// The values' names, in the same order.
    const NAMES: &'static [&'static str];

    /// The name notes write.
    fn name(self) -> &'static str;
}

/// An enum of [`Choice`] values, each with the name notes write.
macro_rules! choices {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl Choice for $name {
            const ALL: &'static [$name] = &[$($name::$variant),+];
            const NAMES: &'static [&'static str] = &[$($text),+];

            fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl Serialize for $name {
            /// As its name.
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
    };
}

choices!(
    /// Where a contact stands.
    ContactStatus {
        Prospect = "prospect",
        ReachedOut = "reached-out",
        Scheduled = "scheduled",
        Met = "met",
        KeepInTouch = "keep-in-touch",
        Dormant = "dormant",
        Declined = "declined",
    }
);

impl Default for ContactStatus {
    /// Where someone stands before anything happened.
    fn default() -> ContactStatus {
        ContactStatus::Prospect
    }
}

impl ContactStatus {
    /// How far along the way to meeting someone the stage is, for the stages that
    /// follow from what happened (`prospect` to `met`); `None` for those only ever set
    /// by hand.
    pub(crate) fn progress(self) -> Option<u8> {
        match self {
            ContactStatus::Prospect => Some(0),
            ContactStatus::ReachedOut => Some(1),
            ContactStatus::Scheduled => Some(2),
            ContactStatus::Met => Some(3),
            ContactStatus::KeepInTouch | ContactStatus::Dormant | ContactStatus::Declined => None,
        }
    }
}

choices!(
    /// Where a chat stands.
    ChatStatus {
        Requested = "requested",
        Scheduled = "scheduled",
        Done = "done",
        Cancelled = "cancelled",
        NoShow = "no-show",
    }
);

choices!(
    /// How a chat happens.
    Format {
        Coffee = "coffee",
        Video = "video",
        Phone = "phone",
        Office = "office",
        Event = "event",
    }
);

pub(crate) const SOURCES: &[&str] = &[
    "alumni",
    "friend",
    "family",
    "professor",
    "former-coworker",
    "recruiter",
    "referral",
    "linkedin",
    "event",
    "cold",
    "other",
];
pub(crate) const LOG_TYPES: &[&str] = &[
    "outreach",
    "reply",
    "thank-you",
    "update",
    "referral",
    "meeting",
    "note",
];
const KINDS: &[&str] = &[
    "profile",
    "contact",
    "company",
    "interview",
    "questions",
    "note",
];

/// A plain note's slug keeps its folders, so that notes of one name in two folders are
/// two pages, as Obsidian allows: `Obsidian Sync/Security and privacy.md` is
/// `obsidian-sync/security-and-privacy`. The vault's own `notes/` folder is the one
/// plain notes' pages are in, so `notes/plan.md` is `plan`.
fn plain_slug(rel: &Path) -> String {
    let bare = rel.with_extension("");
    let mut parts: Vec<String> = bare
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(slugify(&part.to_string_lossy())),
            _ => None,
        })
        .filter(|part| !part.is_empty())
        .collect();
    if parts.len() > 1 && parts[0] == Kind::Note.folder() {
        parts.remove(0);
    }
    parts.join("/")
}

/// The URL-safe slug of a file stem or text.
pub(crate) fn slugify(text: &str) -> String {
    let s = slug::slugify(text);
    if s.is_empty() { "untitled".into() } else { s }
}

/// Reads the typed note out of a source note. Problems go to `diags`; a note whose front
/// matter cannot be read at all is still returned (as far as it goes) so that links to it
/// resolve and one mistake does not cascade into many.
pub(crate) fn read_note(source: SourceNote, diags: &mut Vec<Diagnostic>) -> Note {
    let rel = source.rel.clone();
    // A note without front matter has its (missing) fields reported at line 1.
    let parsed = match source.front {
        Some(_) => yaml::parse(source.front_text(), &rel, FIRST_YAML_LINE),
        None => yaml::parse("", &rel, 1),
    };
    let stem = rel
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let kind = Kind::from_folder(&rel);
    let mut note = Note {
        kind,
        slug: match kind {
            Kind::Note => plain_slug(&rel),
            _ => slugify(&stem),
        },
        name: String::new(),
        title: None,
        aliases: Vec::new(),
        data: Data::Note(Plain { tags: Vec::new() }),
        keys: Vec::new(),
        source,
    };
    // After a YAML error the fields are unknown; reporting them missing would only
    // bury the real problem.
    match parsed {
        Ok(node) => {
            if let Some(mut f) = Fields::new(&node, &rel, "front matter", diags) {
                note.keys = f.keys();
                read_fields(&mut note, &mut f);
            }
        }
        Err(d) => diags.push(d),
    }
    if note.name.is_empty() && note.kind != Kind::Interview {
        note.name = stem;
    }
    note
}

fn read_fields(note: &mut Note, f: &mut Fields) {
    if let Some(kind) = f.text("kind") {
        match Kind::ALL.iter().find(|k| k.name() == kind.value) {
            Some(k) => note.kind = *k,
            None => one_of(f, &kind, "kind", KINDS),
        }
    }
    note.aliases = f
        .text_list("aliases")
        .into_iter()
        .map(|t| t.value)
        .collect();
    let kind = note.kind;
    note.data = match kind {
        Kind::Profile => Data::Profile(profile(f, note)),
        Kind::Contact => Data::Contact(contact(f, note)),
        Kind::Company => Data::Company(company(f, note)),
        Kind::Interview => Data::Interview(interview(f, note)),
        Kind::Questions => Data::Questions(bank(f, note)),
        Kind::Note => {
            note.title = text(f, "title");
            Data::Note(Plain { tags: tags(f) })
        }
    };
    if note.name.is_empty() {
        note.name = note.title.clone().unwrap_or_default();
    }
    // A plain note is the user's, as Obsidian and its plugins write it (`cssclasses`,
    // `publish`, `permalink`, `created`…): only our own kinds have a set of fields.
    if kind != Kind::Note {
        f.finish(known_fields(kind));
    }
}

/// Every field each kind understands, for "unknown field" warnings.
pub(crate) fn known_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Profile => &[
            "kind", "aliases", "name", "headline", "email", "linkedin", "goals",
        ],
        Kind::Contact => &[
            "kind",
            "aliases",
            "name",
            "title",
            "company",
            "since",
            "email",
            "phone",
            "linkedin",
            "website",
            "location",
            "source",
            "introduced_by",
            "status",
            "stay_in_touch",
            "tags",
            "log",
        ],
        Kind::Company => &[
            "kind", "aliases", "name", "industry", "website", "location", "size", "tags",
        ],
        Kind::Interview => &[
            "kind",
            "aliases",
            "title",
            "with",
            "date",
            "duration",
            "format",
            "where",
            "link",
            "status",
            "objectives",
            "questions",
            "thank_you",
            "referrals",
            "followups",
        ],
        Kind::Questions => &["kind", "aliases", "category", "questions"],
        Kind::Note => &["kind", "aliases", "title", "tags"],
    }
}

fn profile(f: &mut Fields, note: &mut Note) -> Profile {
    note.name = required_name(f, "name");
    Profile {
        headline: text(f, "headline"),
        email: text(f, "email"),
        linkedin: text(f, "linkedin"),
        goals: texts(f, "goals"),
    }
}

fn contact(f: &mut Fields, note: &mut Note) -> Contact {
    note.name = required_name(f, "name");
    let since = f.text("since");
    let since_date = since.as_ref().and_then(|t| parse_since(f, t));
    Contact {
        title: text(f, "title"),
        company: f.text("company").map(Ref::new),
        since: since.map(|t| t.value),
        since_date,
        email: text(f, "email"),
        phone: text(f, "phone"),
        linkedin: text(f, "linkedin"),
        website: text(f, "website"),
        location: text(f, "location"),
        source: choice(f, "source", SOURCES),
        introduced_by: f.text("introduced_by").map(Ref::new),
        status: chosen(f, "status"),
        stay_in_touch: f.text("stay_in_touch").and_then(|t| minutes_of(f, &t)),
        tags: tags(f),
        log: f
            .list("log")
            .into_iter()
            .filter_map(|n| log_entry(f, n))
            .collect(),
    }
}

/// `since` is a year (`2019`) or a date, when the contact started in their role: from
/// 1900 on, so that a slip like `-5` or `19` does not read as a role held for millennia.
fn parse_since(f: &mut Fields, t: &Text) -> Option<Date> {
    let text = t.value.trim();
    let (date, wrong) = match integer(text) {
        Some(year) => (
            i16::try_from(year)
                .ok()
                .and_then(|y| Date::new(y, 1, 1).ok()),
            "is not a year from 1900 to 9999",
        ),
        None => (Some(date_of(f, t)?), "is before 1900"),
    };
    if let Some(d) = date.filter(|d| d.year() >= 1900) {
        return Some(d);
    }
    let message = format!(
        "`{text}` {wrong}; `since` is when the contact started in their role, a year like \
         2019 or a date like 2019-03-01"
    );
    invalid(f, t, message);
    None
}

fn company(f: &mut Fields, note: &mut Note) -> Company {
    note.name = required_name(f, "name");
    Company {
        industry: text(f, "industry"),
        website: text(f, "website"),
        location: text(f, "location"),
        size: text(f, "size"),
        tags: tags(f),
    }
}

fn interview(f: &mut Fields, note: &mut Note) -> Interview {
    note.title = text(f, "title");
    if let Some(t) = &note.title {
        note.name = t.clone();
    }
    let with = f
        .required_text("with", " (the contact you meet)")
        .map(Ref::new);
    let status = chosen(f, "status");
    let date = f.text("date");
    if date.is_none() && status != Some(ChatStatus::Requested) {
        let d = Diagnostic::new(
            Rule::MissingField,
            f.file(),
            f.pos(),
            "missing required field `date` (only a `requested` chat may have no date yet)",
        );
        f.report(d);
    }
    Interview {
        with,
        when: date.and_then(|t| when_of(f, &t)),
        duration: f.text("duration").and_then(|t| minutes_of(f, &t)),
        format: chosen(f, "format"),
        place: text(f, "where"),
        link: text(f, "link"),
        status,
        objectives: texts(f, "objectives"),
        questions: f
            .list("questions")
            .into_iter()
            .filter_map(|n| question_item(f, n))
            .collect(),
        thank_you: f.text("thank_you").and_then(|t| date_of(f, &t)),
        referrals: f.text_list("referrals").into_iter().map(Ref::new).collect(),
        followups: f
            .list("followups")
            .into_iter()
            .filter_map(|n| planned_item(f, n))
            .collect(),
        prep: crate::model::prep::split(note.source.body()).prep,
    }
}

fn bank(f: &mut Fields, note: &mut Note) -> Bank {
    note.name = required_name(f, "category");
    let questions = f
        .list("questions")
        .into_iter()
        .filter_map(|n| bank_question(f, n))
        .collect();
    Bank { questions }
}

fn bank_question(f: &mut Fields, node: &Node) -> Option<BankQuestion> {
    if let Some(t) = node.value.as_scalar_text() {
        return Some(BankQuestion {
            id: slugify(&t),
            ask: t,
            minutes: None,
            pos: node.pos,
        });
    }
    yaml::nested(f, node, "a question", |q| {
        let ask = q.required_text("ask", " (the question's text)");
        let id = q.text("id").map(|t| t.value);
        let minutes = q.text("minutes").and_then(|t| minutes_of(q, &t));
        q.finish_weighing(&["id", "ask", "minutes"], &[MINUTES_AS_WRITTEN]);
        let ask = ask?;
        Some(BankQuestion {
            id: id.unwrap_or_else(|| slugify(&ask.value)),
            ask: ask.value,
            minutes,
            pos: ask.pos,
        })
    })
}

/// What a question with a misspelt `minutes` or `priority` would do as written: the
/// misspelling is an error, since it changes the chat's plan without a word.
const MINUTES_AS_WRITTEN: (&str, &str) = (
    "minutes",
    "this question would be timed at the default minutes instead",
);
const PRIORITY_AS_WRITTEN: (&str, &str) = (
    "priority",
    "this question would have no priority and be asked after every question that has one",
);

fn question_item(f: &mut Fields, node: &Node) -> Option<QuestionItem> {
    if let Some(t) = node.value.as_scalar_text() {
        return Some(QuestionItem {
            ask: Some(t),
            bank_ref: None,
            resolved: None,
            minutes: None,
            priority: None,
            pos: node.pos,
        });
    }
    yaml::nested(f, node, "a question", |q| {
        let ask = q.text("ask");
        let bank_ref = q.text("ref");
        if ask.is_none() && bank_ref.is_none() {
            let d = Diagnostic::new(
                Rule::MissingField,
                q.file(),
                q.pos(),
                "a question needs `ask` (your own words) or `ref` (a bank question's id)",
            );
            q.report(d);
        }
        let minutes = q.text("minutes").and_then(|t| minutes_of(q, &t));
        let priority = q.text("priority").and_then(|t| priority_of(q, &t));
        q.finish_weighing(
            &["ask", "ref", "minutes", "priority"],
            &[MINUTES_AS_WRITTEN, PRIORITY_AS_WRITTEN],
        );
        Some(QuestionItem {
            pos: ask.as_ref().map_or(node.pos, |t| t.pos),
            ask: ask.map(|t| t.value),
            bank_ref,
            resolved: None,
            minutes,
            priority,
        })
    })
}

fn log_entry(f: &mut Fields, node: &Node) -> Option<LogEntry> {
    yaml::nested(f, node, "a log entry", |e| {
        if e.node("due").is_some() {
            return planned_fields(e).map(|p| LogEntry {
                pos: p.pos,
                date: None,
                kind: None,
                note: None,
                planned: Some(p),
            });
        }
        let date = e.required_text("date", " (when it happened), or `due` for a planned action");
        let pos = date.as_ref().map_or(e.pos(), |t| t.pos);
        let date = date.and_then(|t| when_of(e, &t));
        let kind = choice(e, "type", LOG_TYPES);
        let note = text(e, "note");
        e.finish(&["date", "type", "note", "due", "action", "done"]);
        date.map(|d| LogEntry {
            date: Some(d),
            kind,
            note,
            planned: None,
            pos,
        })
    })
}

fn planned_item(f: &mut Fields, node: &Node) -> Option<Planned> {
    yaml::nested(f, node, "a follow-up", planned_fields)
}

fn planned_fields(e: &mut Fields) -> Option<Planned> {
    let due = e
        .required_text("due", " (when the action is due)")
        .and_then(|t| date_of(e, &t));
    let action = e.required_text("action", " (what to do)");
    let done = e.text("done").and_then(|t| date_of(e, &t));
    e.finish(&["due", "action", "done"]);
    let action = action?;
    Some(Planned {
        due: due?,
        pos: action.pos,
        action: action.value,
        done,
    })
}

fn required_name(f: &mut Fields, key: &'static str) -> String {
    f.required_text(key, "")
        .map(|t| t.value)
        .unwrap_or_default()
}

fn text(f: &mut Fields, key: &'static str) -> Option<String> {
    f.text(key)
        .map(|t| t.value)
        .filter(|s| !s.trim().is_empty())
}

/// `tags` as Obsidian writes them: a list, or one text of tags parted by spaces or
/// commas, each with or without its `#`.
fn tags(f: &mut Fields) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for text in texts(f, "tags") {
        let words = text.split([' ', ',']).map(|t| t.trim_start_matches('#'));
        for tag in words.filter(|t| !t.is_empty()) {
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_string());
            }
        }
    }
    tags
}

fn texts(f: &mut Fields, key: &'static str) -> Vec<String> {
    f.text_list(key).into_iter().map(|t| t.value).collect()
}

/// A field whose value must be one of `allowed`.
fn choice(f: &mut Fields, key: &'static str, allowed: &[&'static str]) -> Option<String> {
    let t = f.text(key)?;
    let value = t.value.trim().to_ascii_lowercase();
    if allowed.contains(&value.as_str()) {
        return Some(value);
    }
    one_of(f, &t, key, allowed);
    None
}

/// The [`Choice`] the field `key` names, if it names one; reported if not.
fn chosen<T: Choice>(f: &mut Fields, key: &'static str) -> Option<T> {
    let name = choice(f, key, T::NAMES)?;
    let i = T::NAMES.iter().position(|n| *n == name)?;
    Some(T::ALL[i])
}

fn one_of(f: &mut Fields, t: &Text, key: &str, allowed: &[&str]) {
    let mut d = Diagnostic::new(
        Rule::InvalidValue,
        f.file(),
        t.pos,
        format!(
            "`{}` is not a valid {key}; use one of: {}",
            t.value,
            allowed.join(", ")
        ),
    );
    if let Some(best) = yaml::did_you_mean(&t.value, allowed) {
        d = d.with_hint(format!("did you mean `{best}`?"));
    }
    f.report(d);
}

fn invalid(f: &mut Fields, t: &Text, message: String) {
    let d = Diagnostic::new(Rule::InvalidValue, f.file(), t.pos, message);
    f.report(d);
}

fn when_of(f: &mut Fields, t: &Text) -> Option<When> {
    parse_when(&t.value).map_err(|e| bad_date(f, t, e)).ok()
}

fn date_of(f: &mut Fields, t: &Text) -> Option<Date> {
    parse_date(&t.value).map_err(|e| bad_date(f, t, e)).ok()
}

fn bad_date(f: &mut Fields, t: &Text, e: BadDate) {
    let d = Diagnostic::new(Rule::InvalidValue, f.file(), t.pos, e.message);
    f.report(match e.hint {
        Some(hint) => d.with_hint(hint),
        None => d,
    });
}

/// How long something lasts or how often it comes back: at least a minute.
fn minutes_of(f: &mut Fields, t: &Text) -> Option<u32> {
    parse_minutes(&t.value, 1)
        .map_err(|e| invalid(f, t, e))
        .ok()
}

/// A question's priority: 1 is asked first.
fn priority_of(f: &mut Fields, t: &Text) -> Option<u32> {
    let text = t.value.trim();
    let message = match integer(text).map(u32::try_from) {
        Some(Ok(p)) if p >= 1 => return Some(p),
        Some(_) => format!(
            "`{text}` is not a priority; a priority is a whole number from 1 (asked first) to {}",
            u32::MAX
        ),
        None => format!("`{text}` is not a whole number like 1, 2 or 3"),
    };
    invalid(f, t, message);
    None
}

fn date_string<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn opt_date_string<S: serde::Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

/// Where the note's output page lives, relative to the site root.
pub(crate) fn page_path(kind: Kind, slug: &str) -> PathBuf {
    PathBuf::from(page_url(kind, slug))
}

/// [`page_path`] as a URL relative to the site root: `contacts/ada-lovelace.html`.
pub(crate) fn page_url(kind: Kind, slug: &str) -> String {
    format!("{}/{slug}.html", kind.folder())
}
