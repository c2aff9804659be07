//! What follows from the notes as of "today": who is owed what, what is due, how the
//! questions fit the time. Computed once per build through the index, never by scanning
//! all notes per note, and updated in place after an edit ([`Agenda::update`]).

use std::collections::{BTreeSet, HashMap};

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
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
    pub due_by_contact: ByNote,
    /// For each note, positions in `due` of the items written in it.
    pub due_by_source: ByNote,
    /// For each contact, positions in `touchpoints` of theirs, newest first.
    pub touch_by_contact: ByNote,
    /// For each bank question (bank, index), the chats that ask it.
    pub question_uses: HashMap<(NoteId, usize), Vec<NoteId>>,
    /// For each note, the ties that the tables of ties above were made from.
    ties: Vec<Ties>,
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
        let mut agenda = Agenda {
            chats: vec![None; n],
            contacts: vec![None; n],
            ..Agenda::default()
        };
        let links = Links::new(vault);
        let pitch = pitch_lines(vault);
        for id in vault.ids_of(Kind::Interview) {
            agenda.add_chat(vault, id, links.chat_with[id], pitch);
        }
        for id in vault.ids_of(Kind::Contact) {
            agenda.add_contact(vault, id, &links.contact_chats[id]);
        }
        agenda.set_links(links);
        agenda.order();
        agenda
    }

    /// Updates this agenda in place after notes `edited` changed (front matter or
    /// body) while keeping their kind, names and path, as an edit that leaves every
    /// reference where it was does ([`crate::model::refs::Index::same_keys`]). Only
    /// the facts of the chats and contacts the edit can reach are worked out again;
    /// the ties between notes ([`Links`]) are worked out anew, as they are cheap.
    ///
    /// Returns what differs from the agenda as it was; `None`, changing nothing, when
    /// the edit reaches every chat (the profile, whose pitch each briefing counts, or
    /// a question bank): make the agenda anew then.
    pub fn update(&mut self, vault: &Vault, edited: &BTreeSet<NoteId>) -> Option<Changed> {
        let n = vault.notes.len();
        let everywhere =
            |id: NoteId| matches!(vault.notes[id].kind, Kind::Profile | Kind::Questions);
        if self.ties.len() != n || edited.iter().any(|&id| everywhere(id)) {
            return None;
        }
        // The tables of ties hold unless an edited note's own ties moved (a status or
        // a log entry moves none).
        let moved = edited
            .iter()
            .any(|&id| self.ties[id] != Ties::of(vault, id));
        let links = moved.then(|| Links::new(vault));
        let mut changed = BTreeSet::new();
        if let Some(links) = &links {
            changed.extend((0..n).filter(|&id| self.links_differ(links, id)));
            changed.extend(question_uses_differ(
                &self.question_uses,
                &links.question_uses,
            ));
        }
        let with = |id: NoteId| match &links {
            Some(links) => links.chat_with[id],
            None => self.chats[id]
                .as_ref()
                .map_or((None, None), |f| (f.contact, f.company)),
        };
        let chats = reached_chats(vault, edited, with);
        let contacts: Vec<(NoteId, Vec<NoteId>)> = self
            .reached_contacts(vault, edited, with)
            .into_iter()
            .map(|id| {
                let chats = match &links {
                    Some(links) => links.contact_chats[id].clone(),
                    None => self.contacts[id]
                        .as_ref()
                        .map(|f| f.chats.clone())
                        .unwrap_or_default(),
                };
                (id, chats)
            })
            .collect();
        let swap = self.redo(vault, &chats, &contacts, &mut changed);
        if let Some(links) = links {
            self.set_links(links);
        }
        self.order();
        changed.extend(swap.notes());
        Some(Changed {
            notes: changed.into_iter().collect(),
            due: swap.due[0] != swap.due[1],
            touchpoints: swap.touches[0] != swap.touches[1],
        })
    }

    /// Works out the facts of `chats` (with their contact and company) and `contacts`
    /// (with their chats) again, adding the notes whose own facts differ to `changed`;
    /// their ties to other notes stay as they were. Returns their due items and
    /// touchpoints as they were and as they are; the lists are left to sort.
    fn redo(
        &mut self,
        vault: &Vault,
        chats: &[(NoteId, With)],
        contacts: &[(NoteId, Vec<NoteId>)],
        changed: &mut BTreeSet<NoteId>,
    ) -> Swap {
        let mut source = vec![false; self.chats.len()];
        for &id in chats
            .iter()
            .map(|(id, _)| id)
            .chain(contacts.iter().map(|(id, _)| id))
        {
            source[id] = true;
        }
        let removed_due = self.due.extract_if(.., |d| source[d.source]).collect();
        let removed_touches = self
            .touchpoints
            .extract_if(.., |t| source[t.source])
            .collect();
        let (due_from, touches_from) = (self.due.len(), self.touchpoints.len());
        let pitch = pitch_lines(vault);
        for &(id, with) in chats {
            let old = self.chats[id].take();
            self.add_chat(vault, id, with, pitch);
            if self.chats[id] != old {
                changed.insert(id);
            }
        }
        for (id, chats) in contacts {
            let old = self.contacts[*id].take();
            self.add_contact(vault, *id, chats);
            if let (Some(f), Some(old)) = (&mut self.contacts[*id], &old) {
                f.chats = chats.clone();
                f.referred = old.referred.clone();
                f.introduced = old.introduced.clone();
            }
            if self.contacts[*id] != old {
                changed.insert(*id);
            }
        }
        let mut added_due = self.due[due_from..].to_vec();
        added_due.sort_by(due_order);
        let mut added_touches = self.touchpoints[touches_from..].to_vec();
        added_touches.sort_by(touch_order);
        Swap {
            due: [removed_due, added_due],
            touches: [removed_touches, added_touches],
        }
    }

    /// Whether anything this agenda says about note `id` differs in `other`.
    pub fn differs_for(&self, other: &Agenda, id: NoteId) -> bool {
        self.chats[id] != other.chats[id]
            || self.contacts[id] != other.contacts[id]
            || self.people[id] != other.people[id]
            || self.company_chats[id] != other.company_chats[id]
            || !self.due_for(id).eq(other.due_for(id))
            || !self.due_in(id).eq(other.due_in(id))
            || !self.touches_for(id).eq(other.touches_for(id))
    }

    /// The banks whose questions are used by other chats in `other`.
    pub fn question_uses_differ(&self, other: &Agenda) -> Vec<NoteId> {
        question_uses_differ(&self.question_uses, &other.question_uses)
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
            question_uses,
            ties: carried(self.ties, r),
            ..Agenda::default()
        }
        .indexed(r.new_len())
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
        self.due_by_contact
            .get(contact)
            .iter()
            .map(|&i| &self.due[i])
    }

    /// The due items written in one note, in `due` order.
    pub fn due_in(&self, note: NoteId) -> impl Iterator<Item = &DueItem> {
        self.due_by_source.get(note).iter().map(|&i| &self.due[i])
    }

    /// One contact's touchpoints, newest first.
    pub fn touches_for(&self, contact: NoteId) -> impl Iterator<Item = &Touchpoint> {
        self.touch_by_contact
            .get(contact)
            .iter()
            .map(|&i| &self.touchpoints[i])
    }

    /// Whether the ties `links` has for note `id` differ from this agenda's.
    fn links_differ(&self, links: &Links, id: NoteId) -> bool {
        let chat = self.chats[id].as_ref().map(|f| (f.contact, f.company));
        let contact = self.contacts[id].as_ref();
        chat.is_some_and(|with| with != links.chat_with[id])
            || contact.is_some_and(|f| {
                f.chats != links.contact_chats[id]
                    || f.referred != links.referred[id]
                    || f.introduced != links.introduced[id]
            })
            || self.people[id] != links.people[id]
            || self.company_chats[id] != links.company_chats[id]
    }

    /// The contacts whose own facts an edit of `edited` can change: those edited, and
    /// those an edited chat was or is with (their last touch follows their chats).
    fn reached_contacts(
        &self,
        vault: &Vault,
        edited: &BTreeSet<NoteId>,
        with: impl Fn(NoteId) -> With,
    ) -> BTreeSet<NoteId> {
        let mut reached = BTreeSet::new();
        for &id in edited {
            let was = self.chats[id].as_ref().and_then(|f| f.contact);
            reached.extend([Some(id), was, with(id).0].into_iter().flatten());
        }
        reached.retain(|&id| vault.notes[id].kind == Kind::Contact);
        reached
    }

    /// Puts the ties between notes in place, over those of the notes worked out again.
    fn set_links(&mut self, links: Links) {
        for (facts, with) in self.chats.iter_mut().zip(links.chat_with) {
            if let Some(f) = facts {
                (f.contact, f.company) = with;
            }
        }
        let contact_links = links
            .contact_chats
            .into_iter()
            .zip(links.referred)
            .zip(links.introduced);
        for (facts, ((chats, referred), introduced)) in self.contacts.iter_mut().zip(contact_links)
        {
            if let Some(f) = facts {
                (f.chats, f.referred, f.introduced) = (chats, referred, introduced);
            }
        }
        self.people = links.people;
        self.company_chats = links.company_chats;
        self.question_uses = links.question_uses;
        self.ties = links.ties;
    }

    /// Sorts the due items and touchpoints, and indexes them by note.
    fn order(&mut self) {
        // Stable sorts, over what is mostly one sorted run after an update.
        self.due.sort_by(due_order);
        self.touchpoints.sort_by(touch_order);
        let n = self.chats.len();
        *self = std::mem::take(self).indexed(n);
    }

    /// This agenda with its due items and touchpoints indexed by the `n` notes; items
    /// about notes that are gone (renumbered past `n`) are left out of the indexes.
    fn indexed(mut self, n: usize) -> Agenda {
        self.due_by_contact = ByNote::new(n, self.due.iter().map(|d| d.contact));
        self.due_by_source = ByNote::new(n, self.due.iter().map(|d| Some(d.source)));
        self.touch_by_contact = ByNote::new(n, self.touchpoints.iter().map(|t| Some(t.contact)));
        self
    }

    /// Works out chat `id`'s facts, and adds its due items and touchpoints. `with` is
    /// its contact and company, `pitch` is [`pitch_lines`].
    fn add_chat(&mut self, vault: &Vault, id: NoteId, with: With, pitch: usize) {
        let Data::Interview(chat) = &vault.notes[id].data else {
            return;
        };
        let (contact, company) = with;
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
        if let Some(c) = contact {
            self.chat_touchpoints(vault, id, c, chat);
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

    /// Works out contact `id`'s own facts (its ties to other notes are set apart, by
    /// [`Agenda::set_links`]), and adds its due items and touchpoints. `chats` are the
    /// chats with them.
    fn add_contact(&mut self, vault: &Vault, id: NoteId, chats: &[NoteId]) {
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
        let last_touch = last_touch(vault, c, chats);
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
        let f = self.contacts[id].get_or_insert_default();
        f.last_touch = last_touch;
        f.stay_in_touch_due = stay_due;
        f.tenure = c.since_date.map(|since| tenure(since, vault.today));
    }
}

/// For each note, positions in a list of the items about it, in list order. Two flat
/// vectors rather than a vector a note: made again after every update, the ~20k small
/// vectors of a 10k-note vault took most of the update's time to allocate and free.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ByNote {
    /// Note `id`'s positions are `at[starts[id]..starts[id + 1]]`.
    starts: Vec<usize>,
    at: Vec<usize>,
}

impl ByNote {
    /// Indexes a list by the note each item is about (`None`, or a note past `n`: in
    /// no note's entry).
    fn new(n: usize, about: impl Iterator<Item = Option<NoteId>> + Clone) -> ByNote {
        let mut starts = vec![0; n + 1];
        for id in about.clone().flatten().filter(|&id| id < n) {
            starts[id + 1] += 1;
        }
        for id in 0..n {
            starts[id + 1] += starts[id];
        }
        let mut next = starts.clone();
        let mut at = vec![0; starts[n]];
        for (i, id) in about.enumerate() {
            if let Some(id) = id.filter(|&id| id < n) {
                at[next[id]] = i;
                next[id] += 1;
            }
        }
        ByNote { starts, at }
    }

    /// The positions of the items about note `id`.
    pub fn get(&self, id: NoteId) -> &[usize] {
        &self.at[self.starts[id]..self.starts[id + 1]]
    }
}

/// The due items and touchpoints an update took out of the agenda, and those it put
/// back, each in list order.
struct Swap {
    due: [Vec<DueItem>; 2],
    touches: [Vec<Touchpoint>; 2],
}

impl Swap {
    /// The notes whose due items or touchpoints differ. The items the update did not
    /// take out kept their order, so a note's items differ exactly where what was
    /// taken out and what was put back of them does.
    fn notes(&self) -> Vec<NoteId> {
        let [was_due, due] = &self.due;
        let [was_touches, touches] = &self.touches;
        let due_notes = was_due
            .iter()
            .chain(due)
            .flat_map(|d| [d.contact, Some(d.source)]);
        let touch_notes = was_touches.iter().chain(touches).map(|t| Some(t.contact));
        let differ = |id: NoteId| {
            let due_for = |d: &&DueItem| d.contact == Some(id);
            let due_in = |d: &&DueItem| d.source == id;
            let about = |t: &&Touchpoint| t.contact == id;
            !was_due
                .iter()
                .filter(due_for)
                .eq(due.iter().filter(due_for))
                || !was_due.iter().filter(due_in).eq(due.iter().filter(due_in))
                || !was_touches
                    .iter()
                    .filter(about)
                    .eq(touches.iter().filter(about))
        };
        due_notes
            .chain(touch_notes)
            .flatten()
            .filter(|&id| differ(id))
            .collect()
    }
}

/// What an [`Agenda::update`] changed.
#[derive(Debug)]
pub struct Changed {
    /// The notes anything the agenda says about differs for (see
    /// [`Agenda::differs_for`]), and the banks whose questions are used elsewhere now.
    pub notes: Vec<NoteId>,
    /// Whether the due items of the vault differ.
    pub due: bool,
    /// Whether the touchpoints of the vault differ.
    pub touchpoints: bool,
}

/// A chat's contact and the contact's company.
type With = (Option<NoteId>, Option<NoteId>);

/// What one note's references tie it to, as far as the agenda goes. The tables of
/// [`Links`] follow from these alone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Ties {
    /// A chat's contact, or a contact's introducer.
    person: Option<NoteId>,
    /// A contact's company, or a chat's contact's.
    company: Option<NoteId>,
    /// A chat's date, which orders the chats of a contact and of a company.
    when: Option<(Date, Option<jiff::civil::Time>)>,
    /// The contacts a chat's contact suggested.
    referrals: Vec<NoteId>,
    /// The bank questions a chat asks, as (bank, index).
    asks: Vec<(NoteId, usize)>,
}

impl Ties {
    fn of(vault: &Vault, id: NoteId) -> Ties {
        let resolved = |r: &Option<crate::model::note::Ref>| r.as_ref().and_then(|r| r.resolved);
        match &vault.notes[id].data {
            Data::Interview(chat) => {
                let person = resolved(&chat.with);
                Ties {
                    person,
                    company: person.and_then(|c| match &vault.notes[c].data {
                        Data::Contact(c) => resolved(&c.company),
                        _ => None,
                    }),
                    when: chat.when.map(|w| (w.date, w.time)),
                    referrals: chat.referrals.iter().filter_map(|r| r.resolved).collect(),
                    asks: chat.questions.iter().filter_map(|q| q.resolved).collect(),
                }
            }
            Data::Contact(c) => Ties {
                person: resolved(&c.introduced_by),
                company: resolved(&c.company),
                ..Ties::default()
            },
            _ => Ties::default(),
        }
    }
}

impl Renumber for Ties {
    fn renumber(&mut self, r: &Renumbering) {
        self.person.renumber(r);
        self.company.renumber(r);
        self.referrals.renumber(r);
        self.asks.renumber(r);
    }
}

/// The tables of ties between notes: who each chat is with and where they work, each
/// contact's chats, referrals and introductions, each company's people and chats, and
/// which chats ask each bank question. They make no text, so working them out for the
/// whole vault is cheap next to the rest of the agenda.
struct Links {
    ties: Vec<Ties>,
    chat_with: Vec<With>,
    /// For each contact, its chats by date.
    contact_chats: Vec<Vec<NoteId>>,
    referred: Vec<Vec<NoteId>>,
    introduced: Vec<Vec<NoteId>>,
    people: Vec<Vec<NoteId>>,
    /// For each company, the chats with its people, by date.
    company_chats: Vec<Vec<NoteId>>,
    question_uses: HashMap<(NoteId, usize), Vec<NoteId>>,
}

impl Links {
    fn new(vault: &Vault) -> Links {
        let n = vault.notes.len();
        let mut links = Links {
            ties: (0..n).map(|id| Ties::of(vault, id)).collect(),
            chat_with: vec![(None, None); n],
            contact_chats: vec![Vec::new(); n],
            referred: vec![Vec::new(); n],
            introduced: vec![Vec::new(); n],
            people: vec![Vec::new(); n],
            company_chats: vec![Vec::new(); n],
            question_uses: HashMap::new(),
        };
        let is_contact = |id: NoteId| vault.notes[id].kind == Kind::Contact;
        for id in 0..n {
            let t = &links.ties[id];
            match vault.notes[id].kind {
                Kind::Interview => {
                    links.chat_with[id] = (t.person, t.company);
                    if let Some(c) = t.company {
                        links.company_chats[c].push(id);
                    }
                    for &q in &t.asks {
                        let uses = links.question_uses.entry(q).or_default();
                        if !uses.contains(&id) {
                            uses.push(id);
                        }
                    }
                    if let Some(c) = t.person.filter(|&c| is_contact(c)) {
                        links.contact_chats[c].push(id);
                        links.referred[c].extend(&t.referrals);
                    }
                }
                Kind::Contact => {
                    if let Some(company) = t.company {
                        links.people[company].push(id);
                    }
                    if let Some(by) = t.person.filter(|&by| is_contact(by)) {
                        links.introduced[by].push(id);
                    }
                }
                _ => {}
            }
        }
        let ties = &links.ties;
        for chats in links
            .company_chats
            .iter_mut()
            .chain(&mut links.contact_chats)
        {
            chats.sort_by_key(|&chat| (ties[chat].when, chat));
        }
        links
    }
}

/// The chats whose facts an edit of `edited` can change, with their contact and
/// company: those edited, and those whose contact or company was (a briefing counts
/// their research).
fn reached_chats(
    vault: &Vault,
    edited: &BTreeSet<NoteId>,
    with: impl Fn(NoteId) -> With,
) -> Vec<(NoteId, With)> {
    vault
        .ids_of(Kind::Interview)
        .map(|id| (id, with(id)))
        .filter(|&(id, (contact, company))| {
            [Some(id), contact, company]
                .into_iter()
                .flatten()
                .any(|n| edited.contains(&n))
        })
        .collect()
}

/// The banks with a question whose chats differ between `was` and `now`.
fn question_uses_differ(
    was: &HashMap<(NoteId, usize), Vec<NoteId>>,
    now: &HashMap<(NoteId, usize), Vec<NoteId>>,
) -> Vec<NoteId> {
    let mut banks: Vec<NoteId> = was
        .keys()
        .chain(now.keys())
        .filter(|key| was.get(key) != now.get(key))
        .map(|key| key.0)
        .collect();
    banks.sort_unstable();
    banks.dedup();
    banks
}

/// The order of the due items: by state, date and action, then as each note lists them.
fn due_order(a: &DueItem, b: &DueItem) -> std::cmp::Ordering {
    (a.state, a.due, &a.action, a.source).cmp(&(b.state, b.due, &b.action, b.source))
}

/// The order of the touchpoints: newest first, by contact, type and note, then chats'
/// before log entries, each by note and then as the note lists them.
fn touch_order(a: &Touchpoint, b: &Touchpoint) -> std::cmp::Ordering {
    let rank = |t: &Touchpoint| (t.source == t.contact, t.source);
    (b.when, a.contact, &a.kind, &a.note, rank(a)).cmp(&(
        a.when,
        b.contact,
        &b.kind,
        &b.note,
        rank(b),
    ))
}

/// The stay-in-touch clock runs from the latest touchpoint: a done chat, a thank-you,
/// or a dated log entry.
fn last_touch(vault: &Vault, c: &Contact, chats: &[NoteId]) -> Option<Date> {
    let from_log = c.log.iter().filter_map(|e| e.date).map(|w| w.date);
    let from_chats = chats
        .iter()
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

    /// The example vault as of 23 Nov 2026.
    fn example_vault() -> Vault {
        let opts = crate::site::Options {
            vault: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-vault"),
            output: Some(std::env::temp_dir().join("coffeechat-unused-output")),
            today: Some(date(2026, 11, 23)),
        };
        let site = crate::site::Site::load(&opts).unwrap_or_else(|_| panic!("it loads"));
        site.vault
    }

    /// Saves, each of one note, that an update in place takes: some leave every tie
    /// where it was, some move a chat to another contact or a contact to another company.
    const EDITS: &[(&str, &str, &str)] = &[
        (
            "contacts/elena-park.md",
            "status: keep-in-touch",
            "status: dormant",
        ),
        ("contacts/elena-park.md", "status: dormant", "status: met"),
        (
            "interviews/2026-11-19-sam-oduya.md",
            "status: done",
            "status: cancelled",
        ),
        (
            "interviews/2026-11-10-marcus-chen.md",
            "date: 2026-11-10 08:00",
            "date: 2026-09-01",
        ),
        (
            "contacts/marcus-chen.md",
            "company: Ledgerly",
            "company: Parcelwise",
        ),
        (
            "interviews/2026-11-24-priya-raman.md",
            "with: \"[[Priya Raman]]\"",
            "with: Elena Park",
        ),
        (
            "interviews/2026-11-10-marcus-chen.md",
            "with: Marc",
            "with: Jonah Feld",
        ),
        ("contacts/marcus-chen.md", "status: met", "status: declined"),
    ];

    #[test]
    fn an_update_in_place_equals_an_agenda_made_anew_and_says_what_changed() {
        let mut vault = example_vault();
        let mut agenda = Agenda::new(&vault);
        for &(rel, from, to) in EDITS {
            let id = vault.index.at_path(std::path::Path::new(rel)).unwrap();
            let text = vault.notes[id].source.text.replacen(from, to, 1);
            assert!(text.contains(to), "{rel} has `{from}`");
            let source = crate::load::parse_note(rel.as_ref(), text.into_bytes()).unwrap();
            let mut diags = Vec::new();
            let note = crate::model::note::read_note(source, &mut diags);
            assert!(
                diags.is_empty() && vault.replace(id, note).is_empty(),
                "{diags:?}"
            );
            let before = agenda.clone();
            let changed = agenda.update(&vault, &BTreeSet::from([id])).unwrap();
            let anew = Agenda::new(&vault);
            assert!(agenda == anew, "{rel}: `{to}` updated in place differs");
            let mut differ: Vec<NoteId> = (0..vault.notes.len())
                .filter(|&n| before.differs_for(&anew, n))
                .chain(before.question_uses_differ(&anew))
                .collect();
            differ.sort_unstable();
            differ.dedup();
            assert_eq!(changed.notes, differ, "{rel}: `{to}`");
            assert!(!changed.notes.is_empty(), "{rel}: `{to}` changes something");
            assert_eq!(changed.due, before.due != anew.due, "{rel}: `{to}`");
            assert_eq!(changed.touchpoints, before.touchpoints != anew.touchpoints);
        }
    }

    #[test]
    fn the_profile_and_banks_are_not_updated_in_place() {
        let vault = example_vault();
        let mut agenda = Agenda::new(&vault);
        for rel in ["me.md", "questions/career-path.md"] {
            let id = vault.index.at_path(std::path::Path::new(rel)).unwrap();
            assert!(agenda.update(&vault, &BTreeSet::from([id])).is_none());
        }
    }

    #[test]
    fn tenure_in_words() {
        let today = date(2026, 11, 23);
        assert_eq!(tenure(date(2019, 1, 1), today), "7 years");
        assert_eq!(tenure(date(2026, 3, 24), today), "7 months");
        assert_eq!(tenure(date(2026, 11, 1), today), "less than a month");
    }
}
