//! The introduction ledger: every name you were given (a chat's `referrals`, a
//! contact's `introduced_by`) and how far the loop around it is closed: given, contacted
//! (an outreach logged with them, or a chat), met (a done chat) and reported back (an
//! `update` with the person who referred you, after that chat).
//!
//! Each entry is part of the note it is written in, made with that note's part of the
//! agenda, so that a rebuild makes it again exactly when the agenda's `reached` says.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use crate::diag::Pos;
use crate::model::Vault;
use crate::model::agenda::{DueItem, DueKind, state_of};
use crate::model::note::{ChatStatus, Contact, Data, NoteId, Ref};

/// How far the loop around an introduction is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Stage {
    Given,
    Contacted,
    Met,
    ReportedBack,
}

impl Stage {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Stage::Given => "given",
            Stage::Contacted => "contacted",
            Stage::Met => "met",
            Stage::ReportedBack => "reported back",
        }
    }
}

/// One name given to you, and what came of it.
#[derive(Clone, Debug, PartialEq, Hash)]
pub(crate) struct Introduction {
    /// The person, when they are a contact.
    pub person: Option<NoteId>,
    /// Their name: the contact's, else as the referral writes it.
    pub name: String,
    /// Who gave you the name.
    pub by: NoteId,
    /// The chat the name was given in, if it was.
    pub chat: Option<NoteId>,
    pub given: Option<Date>,
    pub contacted: Option<Date>,
    /// The first done chat with them since, and its day.
    pub met: Option<(Date, NoteId)>,
    pub reported: Option<Date>,
    pub stage: Stage,
    /// The note it is written in, and where.
    pub source: NoteId,
    pub pos: Pos,
}

/// The introductions chat `id` records: each name in its `referrals`, once, given by
/// the person the chat is with on the chat's day. `contact_chats` are each contact's
/// chats by date.
pub(crate) fn of_chat(
    vault: &Vault,
    id: NoteId,
    by: Option<NoteId>,
    contact_chats: &[Vec<NoteId>],
) -> Vec<Introduction> {
    let (Data::Interview(chat), Some(by)) = (&vault.notes[id].data, by) else {
        return Vec::new();
    };
    let given = chat.when.map(|w| w.date);
    // Names are given at the chat: one still to come has given none yet.
    if given.is_some_and(|d| d > vault.today) {
        return Vec::new();
    }
    // A name given again in a later chat with the same person is the same
    // introduction, listed once, from the first.
    let earlier: Vec<&Ref> = contact_chats[by]
        .iter()
        .take_while(|&&chat| chat != id)
        .filter_map(|&chat| match &vault.notes[chat].data {
            Data::Interview(i) => Some(&i.referrals),
            _ => None,
        })
        .flatten()
        .collect();
    let same = |a: &Ref, b: &Ref| match (a.resolved, b.resolved) {
        (Some(x), Some(y)) => x == y,
        (None, None) => a.key == b.key,
        _ => false,
    };
    let mut out: Vec<Introduction> = Vec::new();
    for (n, r) in chat.referrals.iter().enumerate() {
        let name = r
            .resolved
            .map_or_else(|| r.target.clone(), |p| vault.notes[p].name.clone());
        let given_before = || {
            let before = chat.referrals[..n].iter();
            earlier.iter().copied().chain(before).any(|e| same(e, r))
        };
        if r.resolved == Some(by) || name.trim().is_empty() || given_before() {
            continue;
        }
        let mut intro = Introduction {
            person: r.resolved,
            name,
            by,
            chat: Some(id),
            given,
            contacted: None,
            met: None,
            reported: None,
            stage: Stage::Given,
            source: id,
            pos: r.raw.pos,
        };
        follow(vault, &mut intro, contact_chats);
        out.push(intro);
    }
    out
}

/// The introduction contact `id`'s `introduced_by` records, unless a chat with the
/// person who introduced them already lists them among its referrals. The name was
/// given on the day of their earliest `referral` log entry, else of their earliest
/// dated log entry.
pub(crate) fn of_contact(
    vault: &Vault,
    id: NoteId,
    c: &Contact,
    contact_chats: &[Vec<NoteId>],
) -> Option<Introduction> {
    let by = c.introduced_by.as_ref()?.resolved.filter(|&by| by != id)?;
    let in_a_chat = contact_chats[by]
        .iter()
        .any(|&chat| match &vault.notes[chat].data {
            Data::Interview(i) => i.referrals.iter().any(|r| r.resolved == Some(id)),
            _ => false,
        });
    if in_a_chat {
        return None;
    }
    let dated = || c.log.iter().filter_map(|e| Some((e.date?.date, e)));
    let referral = dated()
        .filter(|(_, e)| e.kind.as_deref() == Some("referral"))
        .map(|(d, _)| d)
        .min();
    let mut intro = Introduction {
        person: Some(id),
        name: vault.notes[id].name.clone(),
        by,
        chat: None,
        given: referral.or_else(|| dated().map(|(d, _)| d).min()),
        contacted: None,
        met: None,
        reported: None,
        stage: Stage::Given,
        source: id,
        pos: vault.notes[id].pos_of("introduced_by"),
    };
    follow(vault, &mut intro, contact_chats);
    Some(intro)
}

/// Works out how far `intro` has come, from the person's log and chats and the
/// referrer's log and chats.
fn follow(vault: &Vault, intro: &mut Introduction, contact_chats: &[Vec<NoteId>]) {
    let since = intro.given.unwrap_or(Date::MIN);
    let today = vault.today;
    if let Some(p) = intro.person {
        let outreach = log_dates(vault, p, "outreach").filter(|&d| d >= since);
        let chats = contact_chats[p]
            .iter()
            .filter_map(|&id| match &vault.notes[id].data {
                Data::Interview(chat) => Some((id, chat)),
                _ => None,
            });
        let chats: Vec<_> = chats
            .filter_map(|(id, chat)| Some((chat.when?.date, id, chat.status_on(today))))
            .filter(|&(d, ..)| d >= since)
            .collect();
        let asked = chats.iter().map(|&(d, ..)| d);
        intro.contacted = outreach.chain(asked).filter(|&d| d <= today).min();
        intro.met = chats
            .iter()
            .filter(|&&(d, _, status)| status == ChatStatus::Done && d <= today)
            .map(|&(d, id, _)| (d, id))
            .min();
    }
    if let Some((met, _)) = intro.met {
        intro.contacted = intro.contacted.min(Some(met)).or(Some(met));
        intro.reported = updates_to(vault, intro.by, contact_chats)
            .filter(|&d| d >= met && d <= today)
            .min();
    }
    intro.stage = match (intro.contacted, intro.met, intro.reported) {
        (_, Some(_), Some(_)) => Stage::ReportedBack,
        (_, Some(_), None) => Stage::Met,
        (Some(_), ..) => Stage::Contacted,
        _ => Stage::Given,
    };
}

/// The days of contact `id`'s dated log entries of type `kind`.
fn log_dates<'a>(vault: &'a Vault, id: NoteId, kind: &'a str) -> impl Iterator<Item = Date> + 'a {
    let log = match &vault.notes[id].data {
        Data::Contact(c) => c.log.as_slice(),
        _ => &[],
    };
    log.iter()
        .filter(move |e| e.kind.as_deref() == Some(kind))
        .filter_map(|e| Some(e.date?.date))
}

/// The days of the `update` touchpoints with contact `id`: `update` log entries, and
/// follow-ups done on chats with them.
fn updates_to<'a>(
    vault: &'a Vault,
    id: NoteId,
    contact_chats: &'a [Vec<NoteId>],
) -> impl Iterator<Item = Date> + 'a {
    let followups = contact_chats[id]
        .iter()
        .flat_map(move |&chat| match &vault.notes[chat].data {
            Data::Interview(i) => i.followups.as_slice(),
            _ => &[],
        })
        .filter_map(|f| f.done);
    log_dates(vault, id, "update").chain(followups)
}

/// What an introduction makes due: reaching out `referral_reach_out` days after the
/// name was given, and telling the referrer how it went `report_back` days after you
/// met.
pub(crate) fn due_items(vault: &Vault, intro: &Introduction) -> Vec<DueItem> {
    let settings = &vault.settings;
    let today = vault.today;
    let by = &vault.notes[intro.by].name;
    let mut out = Vec::new();
    if let Some(given) = intro.given {
        let due = given.saturating_add(i64::from(settings.referral_reach_out).days());
        let done = intro.contacted;
        out.push(DueItem {
            kind: DueKind::ReachOut,
            due,
            action: format!("Reach out to {} (from {by})", intro.name),
            done,
            state: state_of(today, due, done),
            contact: intro.person.or(Some(intro.by)),
            source: intro.source,
            pos: intro.pos,
        });
    }
    if let Some((met, _)) = intro.met {
        let due = met.saturating_add(i64::from(settings.report_back).days());
        out.push(DueItem {
            kind: DueKind::ReportBack,
            due,
            action: format!("Tell {by} how it went with {}", intro.name),
            done: intro.reported,
            state: state_of(today, due, intro.reported),
            contact: Some(intro.by),
            source: intro.source,
            pos: intro.pos,
        });
    }
    out
}

/// The command that makes a contact for `name`, introduced by `by`.
pub(crate) fn new_contact_command(name: &str, by: Option<&str>) -> String {
    let quote = crate::scaffold::shell_quote;
    let mut command = format!("coffeechat new contact {} --source referral", quote(name));
    if let Some(by) = by {
        command.push_str(&format!(" --introduced-by {}", quote(by)));
    }
    command
}
