//! What follows from the notes as of "today": who is owed what, what is due, how the
//! questions fit the time. Computed once per build through the index, never by scanning
//! all notes per note.

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::diag::Pos;
use crate::model::Vault;
use crate::model::note::{Contact, Data, Interview, Kind, NoteId};
use crate::model::renumber::{Renumber, Renumbering};
use crate::model::time::When;

/// Days ahead that count as "due soon".
pub const SOON_DAYS: i64 = 7;

/// Minutes a question takes when neither the chat nor its bank says.
pub const DEFAULT_QUESTION_MINUTES: u32 = 3;

/// Where a dated item stands relative to today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Overdue,
    Soon,
    Later,
    Done,
}

/// What kind of obligation a due item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DueKind {
    ThankYou,
    FollowUp,
    Action,
    StayInTouch,
}

/// Something to do by a date: a thank-you, a follow-up, a planned log action, or a
/// stay-in-touch check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DueItem {
    pub kind: DueKind,
    pub due: Date,
    pub action: String,
    pub done: Option<Date>,
    pub state: State,
    pub contact: Option<NoteId>,
    /// The note the item is written in (an interview or a contact), and where.
    pub source: NoteId,
    pub pos: Pos,
}

/// A touchpoint that happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Touchpoint {
    #[serde(with = "crate::model::time::exact")]
    pub when: When,
    /// `outreach`, `reply`, `thank-you`, `update`, `referral`, `meeting`, `note`, or `chat`.
    pub kind: String,
    pub note: String,
    pub contact: NoteId,
    pub source: NoteId,
}

/// One question in the order it will be asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedQuestion {
    pub ask: String,
    pub minutes: u32,
    pub priority: Option<u32>,
    pub bank: Option<NoteId>,
    pub pos: Pos,
    /// Minutes used once this question is done.
    pub running: u32,
    /// Whether the running total passes the chat's duration.
    pub over: bool,
}

/// Facts about one interview.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatFacts {
    pub contact: Option<NoteId>,
    pub company: Option<NoteId>,
    pub duration: u32,
    pub thank_you_due: Option<Date>,
    pub thank_you_state: Option<State>,
    pub questions: Vec<PlannedQuestion>,
    pub question_minutes: u32,
    /// An estimate of the printed briefing's length in lines; see [`briefing_capacity`].
    pub briefing_lines: usize,
}

/// Facts about one contact.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactFacts {
    /// Chats with them, oldest first.
    pub chats: Vec<NoteId>,
    /// Contacts they suggested you speak with.
    pub referred: Vec<NoteId>,
    /// Contacts they introduced you to (those whose `introduced_by` is this contact).
    pub introduced: Vec<NoteId>,
    pub last_touch: Option<Date>,
    pub stay_in_touch_due: Option<Date>,
    /// "7 years", from `since`.
    pub tenure: Option<String>,
}

/// Everything derived, indexed by note id.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Agenda {
    pub chats: Vec<Option<ChatFacts>>,
    pub contacts: Vec<Option<ContactFacts>>,
    pub due: Vec<DueItem>,
    pub touchpoints: Vec<Touchpoint>,
    /// For each company, its contacts.
    pub people: Vec<Vec<NoteId>>,
    /// For each company, the chats with its people, by date.
    pub company_chats: Vec<Vec<NoteId>>,
    /// For each contact, positions in `due` of the items about them, in `due` order.
    pub due_by_contact: Vec<Vec<usize>>,
    /// For each note, positions in `due` of the items written in it.
    pub due_by_source: Vec<Vec<usize>>,
    /// For each contact, positions in `touchpoints` of theirs, newest first.
    pub touch_by_contact: Vec<Vec<usize>>,
    /// For each bank question (bank, index), the chats that ask it.
    pub question_uses: HashMap<(NoteId, usize), Vec<NoteId>>,
}

impl Renumber for DueItem {
    fn renumber(&mut self, r: &Renumbering) {
        self.contact.renumber(r);
        self.source.renumber(r);
    }
}

impl Renumber for Touchpoint {
    fn renumber(&mut self, r: &Renumbering) {
        self.contact.renumber(r);
        self.source.renumber(r);
    }
}

impl Renumber for PlannedQuestion {
    fn renumber(&mut self, r: &Renumbering) {
        self.bank.renumber(r);
    }
}

impl Renumber for ChatFacts {
    fn renumber(&mut self, r: &Renumbering) {
        self.contact.renumber(r);
        self.company.renumber(r);
        self.questions.renumber(r);
    }
}

impl Renumber for ContactFacts {
    fn renumber(&mut self, r: &Renumbering) {
        self.chats.renumber(r);
        self.referred.renumber(r);
        self.introduced.renumber(r);
    }
}

impl Agenda {
    pub fn new(vault: &Vault) -> Agenda {
        let n = vault.notes.len();
        let pitch = pitch_lines(vault);
        let mut agenda = Agenda {
            chats: vec![None; n],
            contacts: vec![None; n],
            people: vec![Vec::new(); n],
            company_chats: vec![Vec::new(); n],
            ..Agenda::default()
        };
        for id in vault.ids_of(Kind::Contact) {
            agenda.contacts[id] = Some(ContactFacts::default());
        }
        for id in vault.ids_of(Kind::Interview) {
            agenda.add_interview(vault, id, pitch);
        }
        for id in vault.ids_of(Kind::Contact) {
            agenda.add_contact(vault, id);
        }
        for chats in &mut agenda.company_chats {
            chats.sort_by_key(|&chat| (chat_date(vault, chat), chat));
        }
        agenda.due.sort_by(|a, b| {
            (a.state, a.due, &a.action, a.source).cmp(&(b.state, b.due, &b.action, b.source))
        });
        agenda.touchpoints.sort_by(|a, b| {
            (b.when, a.contact, &a.kind, &a.note).cmp(&(a.when, b.contact, &b.kind, &b.note))
        });
        agenda.due_by_contact = vec![Vec::new(); n];
        agenda.due_by_source = vec![Vec::new(); n];
        for (i, d) in agenda.due.iter().enumerate() {
            if let Some(c) = d.contact {
                agenda.due_by_contact[c].push(i);
            }
            agenda.due_by_source[d.source].push(i);
        }
        agenda.touch_by_contact = vec![Vec::new(); n];
        for (i, t) in agenda.touchpoints.iter().enumerate() {
            agenda.touch_by_contact[t.contact].push(i);
        }
        agenda
    }

    /// This agenda in the ids of a vault where notes were added or removed, to compare
    /// with the agenda of that vault.
    pub fn renumbered(self, r: &Renumbering) -> Agenda {
        fn carried<T: Renumber + Default>(table: Vec<T>, r: &Renumbering) -> Vec<T> {
            let mut table = r.reindex(table);
            table.renumber(r);
            table
        }
        let mut due = self.due;
        due.renumber(r);
        let mut touchpoints = self.touchpoints;
        touchpoints.renumber(r);
        let question_uses = self
            .question_uses
            .into_iter()
            .map(|((bank, i), mut chats)| {
                chats.renumber(r);
                ((r.id(bank), i), chats)
            })
            .collect();
        Agenda {
            chats: carried(self.chats, r),
            contacts: carried(self.contacts, r),
            due,
            touchpoints,
            people: carried(self.people, r),
            company_chats: carried(self.company_chats, r),
            due_by_contact: r.reindex(self.due_by_contact),
            due_by_source: r.reindex(self.due_by_source),
            touch_by_contact: r.reindex(self.touch_by_contact),
            question_uses,
        }
    }

    /// Whether this agenda still holds after the bodies (not the front matter) of notes
    /// `edited` changed. Only the briefings' length estimates read bodies: those of the
    /// chat's contact and company, and the profile.
    pub fn holds_after_body_edits(&self, vault: &Vault, edited: &[NoteId]) -> bool {
        let all = vault.profile.is_some_and(|p| edited.contains(&p));
        let pitch = pitch_lines(vault);
        self.chats.iter().enumerate().all(|(id, facts)| {
            let Some(facts) = facts else { return true };
            let shows = |n: Option<NoteId>| n.is_some_and(|n| edited.contains(&n));
            if !(all || shows(facts.contact) || shows(facts.company)) {
                return true;
            }
            let Data::Interview(chat) = &vault.notes[id].data else {
                return true;
            };
            briefing_lines(vault, chat, facts, pitch) == facts.briefing_lines
        })
    }

    /// The due items about one contact, in `due` order.
    pub fn due_for(&self, contact: NoteId) -> impl Iterator<Item = &DueItem> {
        self.due_by_contact[contact].iter().map(|&i| &self.due[i])
    }

    /// The due items written in one note, in `due` order.
    pub fn due_in(&self, note: NoteId) -> impl Iterator<Item = &DueItem> {
        self.due_by_source[note].iter().map(|&i| &self.due[i])
    }

    /// One contact's touchpoints, newest first.
    pub fn touches_for(&self, contact: NoteId) -> impl Iterator<Item = &Touchpoint> {
        self.touch_by_contact[contact]
            .iter()
            .map(|&i| &self.touchpoints[i])
    }

    fn contact_mut(&mut self, id: NoteId) -> Option<&mut ContactFacts> {
        self.contacts.get_mut(id).and_then(Option::as_mut)
    }

    /// `pitch` is [`pitch_lines`].
    fn add_interview(&mut self, vault: &Vault, id: NoteId, pitch: usize) {
        let Data::Interview(chat) = &vault.notes[id].data else {
            return;
        };
        let contact = chat.with.as_ref().and_then(|r| r.resolved);
        let company = contact.and_then(|c| match &vault.notes[c].data {
            Data::Contact(c) => c.company.as_ref().and_then(|r| r.resolved),
            _ => None,
        });
        let duration = chat.duration.unwrap_or(vault.settings.default_duration);
        let mut facts = ChatFacts {
            contact,
            company,
            duration,
            questions: plan_questions(vault, chat, duration),
            ..ChatFacts::default()
        };
        facts.question_minutes = facts.questions.last().map_or(0, |q| q.running);
        facts.briefing_lines = briefing_lines(vault, chat, &facts, pitch);
        if let Some(c) = company {
            self.company_chats[c].push(id);
        }
        for q in chat.questions.iter().filter_map(|q| q.resolved) {
            let uses = self.question_uses.entry(q).or_default();
            if !uses.contains(&id) {
                uses.push(id);
            }
        }
        if let Some(c) = contact {
            self.chat_touchpoints(vault, id, c, chat);
            if let Some(cf) = self.contact_mut(c) {
                cf.chats.push(id);
                cf.referred
                    .extend(chat.referrals.iter().filter_map(|r| r.resolved));
            }
        }
        // The briefing, printed before the chat, already names the thank-you's due date;
        // it becomes something owed only once the chat is done.
        let skipped = matches!(chat.status.as_str(), "cancelled" | "no-show");
        if let Some(when) = chat.when.filter(|_| !skipped) {
            let due = when.after_minutes(vault.settings.thank_you_within).date();
            facts.thank_you_due = Some(due);
            // A `thank_you` date that did not parse was reported already; do not also
            // ask the user to write one.
            let unreadable_thank_you = chat.thank_you.is_none()
                && vault.notes[id].keys.iter().any(|(k, _)| k == "thank_you");
            if chat.status == "done" && !unreadable_thank_you {
                let state = state_of(vault.today, due, chat.thank_you);
                facts.thank_you_state = Some(state);
                self.due.push(DueItem {
                    kind: DueKind::ThankYou,
                    due,
                    action: format!(
                        "Send a thank-you to {}",
                        name_or(vault, contact, "your contact")
                    ),
                    done: chat.thank_you,
                    state,
                    contact,
                    source: id,
                    pos: vault.notes[id].pos_of("date"),
                });
            }
        }
        for f in &chat.followups {
            self.due.push(DueItem {
                kind: DueKind::FollowUp,
                due: f.due,
                action: f.action.clone(),
                done: f.done,
                state: state_of(vault.today, f.due, f.done),
                contact,
                source: id,
                pos: f.pos,
            });
        }
        self.chats[id] = Some(facts);
    }

    fn chat_touchpoints(&mut self, vault: &Vault, id: NoteId, contact: NoteId, chat: &Interview) {
        let mut add = |when: When, kind: &str, note: String| {
            self.touchpoints.push(Touchpoint {
                when,
                kind: kind.into(),
                note,
                contact,
                source: id,
            })
        };
        if let (Some(when), "done") = (chat.when, chat.status.as_str()) {
            add(when, "chat", vault.notes[id].name.clone());
        }
        if let Some(date) = chat.thank_you {
            add(
                When { date, time: None },
                "thank-you",
                "Thank-you sent".into(),
            );
        }
        for f in chat.followups.iter().filter(|f| f.done.is_some()) {
            let date = f.done.unwrap_or(f.due);
            add(When { date, time: None }, "update", f.action.clone());
        }
    }

    fn add_contact(&mut self, vault: &Vault, id: NoteId) {
        let Data::Contact(c) = &vault.notes[id].data else {
            return;
        };
        for e in &c.log {
            if let Some(when) = e.date {
                self.touchpoints.push(Touchpoint {
                    when,
                    kind: e.kind.clone().unwrap_or_else(|| "note".into()),
                    note: e.note.clone().unwrap_or_default(),
                    contact: id,
                    source: id,
                });
            }
            if let Some(p) = &e.planned {
                self.due.push(DueItem {
                    kind: DueKind::Action,
                    due: p.due,
                    action: p.action.clone(),
                    done: p.done,
                    state: state_of(vault.today, p.due, p.done),
                    contact: Some(id),
                    source: id,
                    pos: p.pos,
                });
            }
        }
        if let Some(company) = c.company.as_ref().and_then(|r| r.resolved) {
            self.people[company].push(id);
        }
        let introducer = c.introduced_by.as_ref().and_then(|r| r.resolved);
        if let Some(f) = introducer.and_then(|by| self.contact_mut(by)) {
            f.introduced.push(id);
        }
        let last_touch = self.last_touch(vault, id, c);
        let cadence_days =
            i64::from(c.stay_in_touch.unwrap_or(vault.settings.stay_in_touch) / 1440);
        let keeps_in_touch = matches!(c.status.as_str(), "met" | "keep-in-touch");
        let stay_due = last_touch
            .filter(|_| keeps_in_touch && cadence_days > 0)
            .map(|d| d.saturating_add(cadence_days.days()));
        if let Some(due) = stay_due {
            self.due.push(DueItem {
                kind: DueKind::StayInTouch,
                due,
                action: format!("Get back in touch with {}", vault.notes[id].name),
                done: None,
                state: state_of(vault.today, due, None),
                contact: Some(id),
                source: id,
                pos: vault.notes[id].pos_of("status"),
            });
        }
        let tenure = c.since_date.map(|since| tenure(since, vault.today));
        if let Some(f) = self.contact_mut(id) {
            f.last_touch = last_touch;
            f.stay_in_touch_due = stay_due;
            f.tenure = tenure;
            f.chats.sort_by_key(|&chat| (chat_date(vault, chat), chat));
        }
    }

    /// The stay-in-touch clock runs from the latest touchpoint: a done chat, a thank-you,
    /// or a dated log entry. Touchpoints for this contact were gathered before.
    fn last_touch(&self, vault: &Vault, id: NoteId, c: &Contact) -> Option<Date> {
        let from_log = c.log.iter().filter_map(|e| e.date).map(|w| w.date);
        let from_chats = self.contacts[id]
            .as_ref()
            .into_iter()
            .flat_map(|f| f.chats.iter())
            .filter_map(|&chat| match &vault.notes[chat].data {
                Data::Interview(i) if i.status == "done" => {
                    Some(i.when.map(|w| w.date).max(i.thank_you))
                }
                _ => None,
            })
            .flatten();
        from_log
            .chain(from_chats)
            .filter(|d| *d <= vault.today)
            .max()
    }
}

fn chat_date(vault: &Vault, id: NoteId) -> Option<When> {
    match &vault.notes[id].data {
        Data::Interview(i) => i.when,
        _ => None,
    }
}

fn name_or(vault: &Vault, id: Option<NoteId>, fallback: &str) -> String {
    id.map_or(fallback.to_string(), |id| vault.notes[id].name.clone())
}

/// Lines a briefing sheet holds, by paper: 10pt type, 1.3 line height, 0.5in margins.
const LETTER_LINES: usize = 58;
const A4_LINES: usize = 62;
/// Characters on one line of the sheet, and on one line of a half-width column.
const LINE_CHARS: usize = 95;
const COLUMN_CHARS: usize = 45;

/// How many lines of text one printed briefing holds on the vault's paper.
pub fn briefing_capacity(settings: &crate::model::settings::Settings) -> usize {
    match settings.paper {
        crate::model::settings::Paper::Letter => LETTER_LINES,
        crate::model::settings::Paper::A4 => A4_LINES,
    }
}

/// An estimate of the printed briefing's length in lines, from the text that goes on
/// it. The print stylesheet keeps the sheet to one page whatever this says; the estimate
/// decides whether the sheet says it was shortened, and feeds the `briefing-too-long`
/// warning.
/// `pitch` is [`pitch_lines`], the same for every chat.
fn briefing_lines(vault: &Vault, chat: &Interview, facts: &ChatFacts, pitch: usize) -> usize {
    let first_paragraph = |id: NoteId| {
        let body = vault.notes[id].source.body();
        body.split("\n\n")
            .find(|p| !p.trim().is_empty() && !p.trim_start().starts_with('#'))
            .map_or(0, |p| wrap(p, COLUMN_CHARS))
    };
    let header = 4;
    let who = facts.contact.map_or(0, |c| 4 + first_paragraph(c));
    let company = facts.company.map_or(0, |c| 2 + first_paragraph(c));
    let objectives = HEADING
        + chat
            .objectives
            .iter()
            .map(|o| wrap(o, LINE_CHARS))
            .sum::<usize>();
    let questions = HEADING
        + 1
        + facts
            .questions
            .iter()
            .filter(|q| !q.over)
            .map(|q| wrap(&q.ask, LINE_CHARS - 20))
            .sum::<usize>();
    let reminders = HEADING + 4;
    let notes_space = HEADING + 3;
    header + HEADING + who.max(company) + pitch + objectives + questions + reminders + notes_space
}

/// Lines a section heading takes on the briefing.
const HEADING: usize = 2;

/// Lines of a text `width` characters wide.
fn wrap(text: &str, width: usize) -> usize {
    text.chars().count().div_ceil(width).max(1)
}

/// Lines the profile's pitch takes on every briefing (it is counted once, not once
/// per chat); 0 without a profile.
fn pitch_lines(vault: &Vault) -> usize {
    vault.profile.map_or(0, |p| {
        HEADING + wrap(vault.notes[p].source.body(), LINE_CHARS)
    })
}

/// Where a due date stands on `today`.
pub fn state_of(today: Date, due: Date, done: Option<Date>) -> State {
    if done.is_some() {
        State::Done
    } else if due < today {
        State::Overdue
    } else if due <= today.saturating_add(SOON_DAYS.days()) {
        State::Soon
    } else {
        State::Later
    }
}

/// Orders a chat's questions by priority (1 first, unprioritised last), then as listed,
/// and runs the clock against the duration.
fn plan_questions(vault: &Vault, chat: &Interview, duration: u32) -> Vec<PlannedQuestion> {
    let mut items: Vec<PlannedQuestion> = chat
        .questions
        .iter()
        .filter_map(|q| {
            let bank_q = q
                .resolved
                .and_then(|(bank, i)| match &vault.notes[bank].data {
                    Data::Questions(b) => Some((bank, &b.questions[i])),
                    _ => None,
                });
            let ask = q
                .ask
                .clone()
                .or_else(|| bank_q.map(|(_, bq)| bq.ask.clone()))?;
            Some(PlannedQuestion {
                ask,
                minutes: q
                    .minutes
                    .or(bank_q.and_then(|(_, bq)| bq.minutes))
                    .unwrap_or(DEFAULT_QUESTION_MINUTES),
                priority: q.priority,
                bank: bank_q.map(|(bank, _)| bank),
                pos: q.pos,
                running: 0,
                over: false,
            })
        })
        .collect();
    items.sort_by_key(|q| q.priority.unwrap_or(u32::MAX));
    let mut running: u32 = 0;
    for q in &mut items {
        running = running.saturating_add(q.minutes);
        q.running = running;
        q.over = running > duration;
    }
    items
}

/// How long someone has been in their role, in words.
pub fn tenure(since: Date, today: Date) -> String {
    let mut months =
        i32::from(today.year() - since.year()) * 12 + i32::from(today.month() - since.month());
    if today.day() < since.day() {
        months -= 1;
    }
    match months {
        m if m < 1 => "less than a month".into(),
        1 => "1 month".into(),
        m if m < 12 => format!("{m} months"),
        m if m < 24 => "1 year".into(),
        m => format!("{} years", m / 12),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn states_relative_to_today() {
        let today = date(2026, 11, 23);
        assert_eq!(state_of(today, date(2026, 11, 22), None), State::Overdue);
        assert_eq!(state_of(today, date(2026, 11, 23), None), State::Soon);
        assert_eq!(state_of(today, date(2026, 11, 30), None), State::Soon);
        assert_eq!(state_of(today, date(2026, 12, 1), None), State::Later);
        assert_eq!(state_of(today, date(2026, 1, 1), Some(today)), State::Done);
    }

    #[test]
    fn tenure_in_words() {
        let today = date(2026, 11, 23);
        assert_eq!(tenure(date(2019, 1, 1), today), "7 years");
        assert_eq!(tenure(date(2026, 3, 24), today), "7 months");
        assert_eq!(tenure(date(2026, 11, 1), today), "less than a month");
    }
}
