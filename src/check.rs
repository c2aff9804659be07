//! Lint rules: warnings about the content of a vault that is valid but likely wrong, run
//! on the model after what is due has been worked out. Errors (bad YAML, bad dates,
//! unknown references…) are found earlier, where the notes are read.

use ahash::AHashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Pos, plural};
use crate::model::Vault;
use crate::model::agenda::{Agenda, DueKind, State, briefing_capacity};
use crate::model::note::{Choice, ContactStatus, Data, Kind, NoteId, Ref};
use crate::model::refs::fold;
use crate::model::time::format_minutes;
use crate::rules::Rule;

mod messages;

/// Words that open a yes/no question.
const CLOSED_OPENERS: &[&str] = &[
    "is", "are", "am", "was", "were", "do", "does", "did", "can", "could", "would", "will",
    "should", "have", "has", "had", "shall", "may",
];

/// After "can/could/would you", these verbs invite a story, not a yes.
const OPENING_VERBS: &[&str] = &[
    "tell", "describe", "walk", "explain", "share", "talk", "say", "give",
];

const JOB_PHRASES: &[&str] = &[
    "any openings",
    "job openings",
    "open positions",
    "open roles",
    "are you hiring",
    "is your team hiring",
    "hiring for",
    "refer me",
    "referral for me",
    "hire me",
    "a job for me",
    "get me a job",
    "get a job",
    "give me a job",
    "apply for",
];

const SALARY_PHRASES: &[&str] = &[
    "salary",
    "compensation",
    "how much do you make",
    "how much do you earn",
    "how much does it pay",
    "pay range",
    "benefits",
    "bonus",
    "stock options",
];

/// What the lint rules found: for each note, what its own rules found, and the overdue
/// items of the vault.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lint {
    by_note: Vec<Vec<Diagnostic>>,
    overdue: Vec<Diagnostic>,
    loops: Vec<Diagnostic>,
    names: Vec<Diagnostic>,
}

/// Runs every lint rule. With `before`, what the rules found before, only the notes
/// `touched` are linted again: a note's rules read the note, what the agenda says of
/// it and the settings. The overdue items are gone through again; they are a few of
/// the vault's due items. The introductions are followed again too, one step per
/// contact: a note far from the others in a loop can close or open it; and so are the
/// names, which a note anywhere can share.
pub(crate) fn lint(vault: &Vault, agenda: &Agenda, before: Option<(Lint, &[bool])>) -> Lint {
    let phrases = Phrases::new(vault);
    let rules = |id: NoteId| match vault.notes.get(id) {
        Some(_) => note_rules(vault, agenda, &phrases, id),
        None => Vec::new(),
    };
    let all = 0..vault.notes.bound();
    // Note by note on every core: a watched vault is linted again after each save.
    let by_note = match before {
        None => all.into_par_iter().map(rules).collect(),
        Some((before, touched)) => {
            let mut by_note = before.by_note;
            by_note.resize_with(vault.notes.bound(), Vec::new);
            let redo: Vec<NoteId> = all.filter(|&id| touched[id]).collect();
            let made: Vec<Vec<Diagnostic>> = redo.par_iter().map(|&id| rules(id)).collect();
            for (id, found) in redo.into_iter().zip(made) {
                by_note[id] = found;
            }
            by_note
        }
    };
    // The rules over the whole vault run again after every save, side by side.
    let (overdue, (loops, names)) = rayon::join(
        || overdue_items(vault, agenda),
        || rayon::join(|| introduction_loops(vault), || duplicate_names(vault)),
    );
    Lint {
        by_note,
        overdue,
        loops,
        names,
    }
}

impl Lint {
    /// Everything the rules found.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.by_note
            .iter()
            .flatten()
            .chain(&self.overdue)
            .chain(&self.loops)
            .chain(&self.names)
    }
}

/// What the rules about note `id` alone find.
fn note_rules(vault: &Vault, agenda: &Agenda, phrases: &Phrases, id: NoteId) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let note = &vault.notes[id];
    let rel = note.source.rel.as_path();
    match &note.data {
        Data::Interview(chat) => {
            for q in &chat.questions {
                if let Some(ask) = &q.ask {
                    phrases.question(rel, q.pos, ask, &mut out);
                }
            }
            interview(vault, agenda, id, &mut out);
            messages::thank_you(vault, agenda, &phrases.job, id, chat, &mut out);
        }
        Data::Questions(bank) => {
            for q in &bank.questions {
                phrases.question(rel, q.pos, &q.ask, &mut out);
            }
        }
        Data::Contact(c) => {
            out.extend(status_behind(vault, agenda, id, c.status));
            messages::outreach(vault, agenda, &phrases.job, id, &mut out);
        }
        _ => {}
    }
    out
}

fn overdue_items(vault: &Vault, agenda: &Agenda) -> Vec<Diagnostic> {
    let items = agenda.due().filter(|d| d.state == State::Overdue);
    items
        .map(|d| match d.kind {
            DueKind::ReachOut => reach_out(vault, agenda, d),
            _ => overdue(vault, d),
        })
        .collect()
}

/// Contacts whose `introduced_by` leads back to them: each loop once, at the `introduced_by`
/// of its member first in path order, so that the same vault always says the same.
fn introduction_loops(vault: &Vault) -> Vec<Diagnostic> {
    // Each contact has at most one introducer, so a walk from a contact ends, or comes
    // back onto itself once; it stops at a contact an earlier walk went through, whose
    // loop, if any, that walk found.
    let mut seen = vec![false; vault.notes.bound()];
    let mut out = Vec::new();
    for start in vault.notes.ids() {
        let mut walk = Vec::new();
        let mut at = Some(start);
        while let Some(id) = at.filter(|&id| !seen[id]) {
            seen[id] = true;
            walk.push(id);
            at = introduced_by(vault, id).and_then(|r| r.resolved);
        }
        if let Some(i) = at.and_then(|back| walk.iter().position(|&id| id == back)) {
            out.push(introduction_loop(vault, &walk[i..]));
        }
    }
    out
}

/// The warning for `members`, each introduced by the next and the last by the first.
fn introduction_loop(vault: &Vault, members: &[NoteId]) -> Diagnostic {
    let first = (0..members.len())
        .min_by_key(|&i| vault.notes.rank(members[i]))
        .unwrap_or(0);
    let note = &vault.notes[members[first]];
    let at = introduced_by(vault, members[first]).map_or(Pos::FILE, |r| r.raw.pos);
    let rel = note.source.rel.as_path();
    if let [_] = members {
        return Diagnostic::new(
            Rule::IntroductionLoop,
            rel,
            at,
            format!("{0} is introduced by {0}, this same contact", note.name),
        )
        .with_hint("write who introduced you to them in `introduced_by`, or remove it");
    }
    let name = |i: usize| vault.notes[members[i % members.len()]].name.as_str();
    let steps: Vec<String> = (first + 1..first + members.len())
        .map(|i| format!("{} by {}", name(i), name(i + 1)))
        .collect();
    Diagnostic::new(
        Rule::IntroductionLoop,
        rel,
        at,
        format!(
            "the introductions go round in a circle: {} was introduced by {}, {}",
            name(first),
            name(first + 1),
            steps.join(", ")
        ),
    )
    .with_hint("one of them met you another way: correct or remove that contact's `introduced_by`")
}

/// Contacts, or companies, that share a name or an alias, as references find them:
/// each pair once, at the later note in path order, naming both files. A reference to
/// that name would be an error, and pages would show two people as one name.
fn duplicate_names(vault: &Vault) -> Vec<Diagnostic> {
    let mut first: AHashMap<(Kind, String), NoteId> = AHashMap::new();
    let mut out = Vec::new();
    for id in vault.notes.ids() {
        let note = &vault.notes[id];
        if !matches!(note.kind, Kind::Contact | Kind::Company) {
            continue;
        }
        let names = std::iter::once((&note.name, "name"))
            .chain(note.aliases.iter().map(|a| (a, "aliases")))
            .filter(|(name, _)| !name.trim().is_empty());
        let mut told = Vec::new();
        for (name, field) in names {
            let other = *first.entry((note.kind, fold(name))).or_insert(id);
            if other == id || told.contains(&other) {
                continue;
            }
            told.push(other);
            out.push(duplicate_name(vault, other, id, name, field));
        }
    }
    out
}

/// The warning that note `id` has the name or alias `name` (its `field`), as `other` has.
fn duplicate_name(vault: &Vault, other: NoteId, id: NoteId, name: &str, field: &str) -> Diagnostic {
    let note = &vault.notes[id];
    let path = |id: NoteId| vault.notes[id].source.rel.display().to_string();
    let example = vault.notes[other].source.rel.with_extension("");
    Diagnostic::new(
        Rule::DuplicateName,
        &note.source.rel,
        note.pos_of(field),
        format!(
            "two {} are called `{name}`: {} and {}",
            note.kind.folder(),
            path(other),
            path(id)
        ),
    )
    .with_hint(format!(
        "if they are one, merge the notes; if two, tell them apart by name, or refer to \
         each by its path, like `[[{}]]`",
        example.display()
    ))
}

fn introduced_by(vault: &Vault, id: NoteId) -> Option<&Ref> {
    match &vault.notes.get(id)?.data {
        Data::Contact(c) => c.introduced_by.as_ref(),
        _ => None,
    }
}

struct Phrases {
    job: Vec<String>,
    salary: Vec<String>,
}

impl Phrases {
    fn new(vault: &Vault) -> Phrases {
        let lint = &vault.settings.lint;
        let lower = |builtin: &[&str], extra: &[String]| -> Vec<String> {
            builtin
                .iter()
                .map(|s| s.to_string())
                .chain(extra.iter().map(|s| s.to_lowercase()))
                .collect()
        };
        Phrases {
            job: lower(JOB_PHRASES, &lint.job_phrases),
            salary: lower(SALARY_PHRASES, &lint.salary_phrases),
        }
    }

    fn question(&self, rel: &Path, pos: Pos, ask: &str, out: &mut Vec<Diagnostic>) {
        let lower = ask.to_lowercase();
        if is_closed(&lower) {
            out.push(
                Diagnostic::new(
                    Rule::ClosedQuestion,
                    rel,
                    pos,
                    format!("“{ask}” can be answered with yes or no"),
                )
                .with_hint("ask it open-ended: What…? How…? Tell me about…"),
            );
        }
        if let Some(p) = self.job.iter().find(|p| lower.contains(p.as_str())) {
            out.push(
                Diagnostic::new(
                    Rule::JobQuestion,
                    rel,
                    pos,
                    format!("this question asks for a job or a referral (“{p}”)"),
                )
                .with_hint("an informational interview asks for information and advice, not a job"),
            );
        }
        if let Some(p) = self.salary.iter().find(|p| lower.contains(p.as_str())) {
            out.push(
                Diagnostic::new(Rule::SalaryQuestion,
                    rel,
                    pos,
                    format!("this question is about pay or benefits (“{p}”)"),
                )
                .with_hint("look pay up elsewhere; turn this rule off with `lint: {off: [salary-question]}`"),
            );
        }
    }
}

/// Whether a (lower-cased) question opens like a yes/no question.
fn is_closed(lower: &str) -> bool {
    let mut words = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty());
    let Some(first) = words.next() else {
        return false;
    };
    if !CLOSED_OPENERS.contains(&first) {
        return false;
    }
    let softened = matches!(first, "can" | "could" | "would" | "will")
        && words.next() == Some("you")
        && words
            .next()
            .is_some_and(|verb| OPENING_VERBS.contains(&verb));
    !softened
}

fn interview(vault: &Vault, agenda: &Agenda, id: NoteId, out: &mut Vec<Diagnostic>) {
    let note = &vault.notes[id];
    let Data::Interview(chat) = &note.data else {
        return;
    };
    let Some(facts) = agenda.chats[id].as_ref() else {
        return;
    };
    let rel = note.source.rel.as_path();
    if chat.is_stale(vault.today) {
        out.push(stale(vault, id, chat));
    }
    let upcoming = chat.upcoming(vault.today);
    if let Some(first) = facts.questions.iter().find(|q| q.over).filter(|_| upcoming) {
        let left_out = facts.questions.iter().filter(|q| q.over).count();
        out.push(
            Diagnostic::new(Rule::OverTime,
                rel,
                first.pos,
                format!(
                    "the questions take {} but the chat lasts {}; from this one on, {} will not fit",
                    format_minutes(facts.question_minutes),
                    format_minutes(facts.duration),
                    plural(left_out, "question")
                ),
            )
            .with_hint("trim minutes, drop questions, or raise `duration`"),
        );
    }
    if upcoming && chat.objectives.is_empty() {
        out.push(
            Diagnostic::new(
                Rule::NoObjectives,
                rel,
                note.pos_of("with"),
                "this chat has no objectives",
            )
            .with_hint("add `objectives:`, a list of what you want to learn"),
        );
    }
    if upcoming {
        // The research excerpts and the pitch give way on paper as designed; what this
        // chat's own text loses is worth a warning.
        let (lines, capacity) = (facts.briefing_lines, briefing_capacity(&vault.settings));
        if facts.prep_cut {
            out.push(
                Diagnostic::new(Rule::BriefingTooLong,
                    rel,
                    Pos::FILE,
                    format!(
                        "the briefing is about {lines} lines but a page holds about {capacity}; \
                         even with the research and your pitch trimmed, your prep will be cut short on paper"
                    ),
                )
                .with_hint("shorten the prep, the objectives or the questions; the whole prep stays on the chat's page"),
            );
        }
    }
}

/// The warning for a chat whose day has passed while its note says it is to come.
fn stale(vault: &Vault, id: NoteId, chat: &crate::model::note::Interview) -> Diagnostic {
    let note = &vault.notes[id];
    let (status, date) = (
        chat.status.map_or("", Choice::name),
        chat.when.map(|w| w.date.to_string()).unwrap_or_default(),
    );
    Diagnostic::new(
        Rule::ChatStatusStale,
        &note.source.rel,
        note.pos_of("status"),
        format!("this chat was on {date} but its status is still `{status}`"),
    )
    .with_hint("did it happen? set `status: done`, `cancelled` or `no-show`")
}

/// The warning for a contact whose `status` is a stage behind what happened, if it is.
fn status_behind(
    vault: &Vault,
    agenda: &Agenda,
    id: NoteId,
    written: Option<ContactStatus>,
) -> Option<Diagnostic> {
    let (written, derived) = (written?, agenda.contacts[id].as_ref()?.derived);
    if written.progress()? >= derived.progress()? {
        return None;
    }
    let why = match derived {
        ContactStatus::Met => "a chat with them is done",
        ContactStatus::Scheduled => "a chat with them is coming up",
        _ => "you have reached out to them",
    };
    let note = &vault.notes[id];
    let d = Diagnostic::new(
        Rule::ContactStatusBehind,
        &note.source.rel,
        note.pos_of("status"),
        format!(
            "`status: {}` is behind what happened: {why}, which makes them `{}`",
            written.name(),
            derived.name()
        ),
    );
    Some(d.with_hint(format!(
        "set `status: {}`, or remove `status` to let it follow their chats and log",
        derived.name()
    )))
}

fn overdue(vault: &Vault, d: &crate::model::agenda::DueItem) -> Diagnostic {
    let rel = &vault.notes[d.source].source.rel;
    if d.kind == DueKind::NoReply {
        return no_reply(vault, d);
    }
    let (rule, what) = match d.kind {
        DueKind::ThankYou => (Rule::ThankYouOverdue, "thank-you"),
        DueKind::ReachOut | DueKind::ReportBack => (Rule::IntroductionOverdue, "introduction"),
        DueKind::StayInTouch => (Rule::FollowUpOverdue, "stay-in-touch"),
        _ => (Rule::FollowUpOverdue, "follow-up"),
    };
    let days = (vault.today - d.due).get_days();
    Diagnostic::new(
        rule,
        rel,
        d.pos,
        format!(
            "{what} overdue since {} ({} ago): {}",
            d.due,
            plural(days.max(1) as usize, "day"),
            d.action
        ),
    )
    .with_hint(match d.kind {
        DueKind::ThankYou => "send it, then set `thank_you: DATE`",
        DueKind::StayInTouch => "get in touch, then log it with a dated `log` entry",
        DueKind::ReachOut => {
            "reach out, then log an `outreach` with them (`coffeechat log NAME outreach`)"
        }
        DueKind::ReportBack => {
            "tell them, then log it as an `update` (`coffeechat log NAME update \"...\"`)"
        }
        _ => "do it, then add `done: DATE`",
    })
}

/// The warning for a name given to you and not reached in time; for someone who is not
/// a contact yet, the hint is the command that makes them one.
fn reach_out(vault: &Vault, agenda: &Agenda, d: &crate::model::agenda::DueItem) -> Diagnostic {
    let warning = overdue(vault, d);
    let mut intros = d.contact.into_iter().flat_map(|c| agenda.intros_for(c));
    let intro = intros.find(|i| (i.source, i.pos) == (d.source, d.pos));
    match intro.filter(|i| i.person.is_none()) {
        Some(i) => warning.with_hint(format!(
            "{} is not a contact yet: {}, then log your outreach",
            i.name,
            crate::model::ledger::new_contact_command(&i.name, Some(&vault.notes[i.by].name))
        )),
        None => warning,
    }
}

/// The warning for an unanswered outreach's reminder past its day.
fn no_reply(vault: &Vault, d: &crate::model::agenda::DueItem) -> Diagnostic {
    let mut action = d.action.clone();
    if let Some(first) = action.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    Diagnostic::new(
        Rule::NoReply,
        &vault.notes[d.source].source.rel,
        d.pos,
        format!("{action} (due {})", d.due),
    )
    .with_hint(
        "log their reply, or what you did, as a dated `log` entry; `status: dormant` or \
         `declined` stops these reminders",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_questions() {
        assert!(is_closed("is this role rewarding?"));
        assert!(is_closed("do you like your team?"));
        assert!(!is_closed("what do you find most fulfilling?"));
        assert!(!is_closed("could you tell me about your first year?"));
        assert!(is_closed("could you introduce me to your manager?"));
        assert!(!is_closed("how did you start?"));
    }
}
