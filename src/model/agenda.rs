//! What follows from the notes as of "today": who is owed what, what is due, how the
//! questions fit the time. Computed whole for every build through the index, never by
//! scanning all notes per note; a rebuild compares it with the written site's
//! ([`Agenda::differs_for`]).

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::Date;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diag::Pos;
use crate::model::Vault;
use crate::model::drafts::{self, Draft};
use crate::model::ledger::{self, Introduction};
use crate::model::note::{
    ChatStatus, Contact, ContactStatus, Data, Interview, Kind, LogEntry, NoteId,
};
use crate::model::time::{When, after_business_days};

/// Days ahead that count as "due soon".
pub(crate) const SOON_DAYS: i64 = 7;

/// Minutes a question takes when neither the chat nor its bank says.
pub(crate) const DEFAULT_QUESTION_MINUTES: u32 = 3;

/// Where a dated item stands relative to today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum State {
    Overdue,
    Soon,
    Later,
    Done,
}

/// What kind of obligation a due item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum DueKind {
    ThankYou,
    FollowUp,
    Action,
    StayInTouch,
    /// An outreach no one answered: try someone else, then follow up.
    NoReply,
    /// A name you were given, to reach out to.
    ReachOut,
    /// Telling the person who referred you how it went.
    ReportBack,
}

/// Something to do by a date: a thank-you, a follow-up, a planned log action, a
/// stay-in-touch check, or a reminder of an unanswered outreach.
#[derive(Clone, Debug, PartialEq, Hash, Serialize)]
pub(crate) struct DueItem {
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
#[derive(Clone, Debug, PartialEq, Hash)]
pub(crate) struct Touchpoint {
    pub when: When,
    /// `outreach`, `reply`, `thank-you`, `update`, `referral`, `meeting`, `note`, or `chat`.
    pub kind: String,
    pub note: String,
    pub contact: NoteId,
    pub source: NoteId,
}

/// One question in the order it will be asked.
#[derive(Clone, Debug, PartialEq, Hash, Serialize)]
pub(crate) struct PlannedQuestion {
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
#[derive(Clone, Debug, Default, PartialEq, Hash, Serialize)]
pub(crate) struct ChatFacts {
    pub contact: Option<NoteId>,
    pub company: Option<NoteId>,
    pub duration: u32,
    pub thank_you_due: Option<Date>,
    pub thank_you_state: Option<State>,
    pub questions: Vec<PlannedQuestion>,
    pub question_minutes: u32,
    /// An estimate of the printed briefing's length in lines; see [`briefing_capacity`].
    pub briefing_lines: usize,
    /// A thank-you to send, for a done chat without one.
    pub thank_you_draft: Option<Draft>,
    /// Whether, by the same estimate, the chat's prep is cut short on the printed
    /// sheet even once the research excerpts and the pitch have given way.
    pub prep_cut: bool,
}

/// Facts about one contact.
#[derive(Clone, Debug, Default, PartialEq, Hash, Serialize)]
pub(crate) struct ContactFacts {
    /// Where they stand: their `status` as written, else [`ContactFacts::derived`].
    pub status: ContactStatus,
    /// The stage what happened puts them at; see [`derived_stage`].
    pub derived: ContactStatus,
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
    /// An outreach request to send, for a prospect.
    pub outreach_draft: Option<Draft>,
}

/// Everything derived, indexed by note id.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Agenda {
    pub chats: Vec<Option<ChatFacts>>,
    pub contacts: Vec<Option<ContactFacts>>,
    /// Each note's due items and touchpoints, as it lists them, by id.
    items: Vec<Items>,
    /// Every due item, in order: (note, place among its due items).
    due: Vec<(NoteId, usize)>,
    /// Every touchpoint, newest first: (note, place among its touchpoints).
    touchpoints: Vec<(NoteId, usize)>,
    /// Every introduction, as the notes list them in path order.
    intros: Vec<(NoteId, usize)>,
    /// For each contact, positions in `intros` of those they gave or were given as.
    intros_by_contact: ByNote,
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
}

impl Agenda {
    /// The agenda of `vault`. With `before`, the agenda of the vault before the notes
    /// `edited` changed (were edited, added or removed, or their references now find
    /// other notes; none of them read by every chat, see [`read_by_every_chat`]), only
    /// the chats and contacts those changes reach are worked out again ([`reached`]);
    /// the others keep their facts and items. Either way every chat's and contact's part is made
    /// by the same function, and the whole put together by the same steps.
    ///
    /// Returns it with the notes anything it says about may differ from `before`, as a
    /// table by id; `None` for every note.
    pub(crate) fn new(
        vault: &Vault,
        before: Option<(Agenda, &[NoteId])>,
    ) -> (Agenda, Option<Vec<bool>>) {
        let n = vault.notes.bound();
        let links = Links::new(vault);
        let (mut agenda, redo) = match before {
            Some((old, edited)) => {
                let redo = reached(vault, &old, &links, edited);
                (old, redo)
            }
            None => (Agenda::default(), None),
        };
        agenda.chats.resize(n, None);
        agenda.contacts.resize(n, None);
        agenda.items.resize_with(n, Items::default);
        let redone = |id: &NoteId| redo.as_ref().is_none_or(|r| r[*id]);
        // What is worked out again starts from nothing: a note removed, or one that is
        // no longer a chat or a contact, has no part.
        for id in (0..n).filter(redone) {
            (agenda.chats[id], agenda.contacts[id]) = (None, None);
            agenda.items[id] = Items::default();
        }
        let pitch = pitch_lines(vault);
        // Each chat and contact is worked out on its own, on every core.
        let chats: Vec<NoteId> = vault.ids_of(Kind::Interview).filter(redone).collect();
        let chats: Vec<_> = chats
            .into_par_iter()
            .map(|id| (id, Agenda::chat(vault, id, &links, pitch)))
            .collect();
        let contacts: Vec<NoteId> = vault.ids_of(Kind::Contact).filter(redone).collect();
        let contacts: Vec<_> = contacts
            .into_par_iter()
            .map(|id| (id, Agenda::contact(vault, id, &links)))
            .collect();
        // A note read again may have no part now (front matter that did not read).
        for (id, part) in chats.into_iter().filter_map(|(id, p)| Some((id, p?))) {
            (agenda.chats[id], agenda.items[id]) = (Some(part.facts), part.items);
        }
        for (id, part) in contacts.into_iter().filter_map(|(id, p)| Some((id, p?))) {
            (agenda.contacts[id], agenda.items[id]) = (Some(part.facts), part.items);
        }
        let moved = agenda.set_links(links);
        agenda.order(vault);
        let touched = redo.map(|mut touched| {
            for id in moved {
                touched[id] = true;
            }
            touched
        });
        (agenda, touched)
    }

    /// Every due item, in order: by state, date and action, then as the notes list
    /// them in path order.
    pub(crate) fn due(&self) -> impl Iterator<Item = &DueItem> + Clone {
        self.due.iter().map(|&(id, i)| &self.items[id].due[i])
    }

    /// A hash of every due item in order: what the pages that list them whole show.
    pub(crate) fn due_digest(&self) -> u64 {
        self.digest(&self.due, 0)
    }

    /// A hash of every touchpoint in order.
    pub(crate) fn touch_digest(&self) -> u64 {
        self.digest(&self.touchpoints, 1)
    }

    /// A hash of the items at `places`, by their hashes of kind `which` (see [`Items`]).
    fn digest(&self, places: &[(NoteId, usize)], which: usize) -> u64 {
        let mut h = crate::memo::hasher();
        for &(id, i) in places {
            std::hash::Hasher::write_u64(&mut h, self.items[id].hashes[which][i]);
        }
        std::hash::Hasher::finish(&h)
    }

    /// Every introduction, as the notes list them in path order.
    pub(crate) fn intros(&self) -> impl Iterator<Item = &Introduction> + Clone {
        self.intros.iter().map(|&(id, i)| &self.items[id].intros[i])
    }

    /// The introductions a contact gave, or was given as, in [`Agenda::intros`] order.
    pub(crate) fn intros_for(&self, contact: NoteId) -> impl Iterator<Item = &Introduction> {
        self.intros_by_contact.get(contact).iter().map(|&i| {
            let (id, at) = self.intros[i];
            &self.items[id].intros[at]
        })
    }

    /// Every touchpoint, newest first.
    pub(crate) fn touchpoints(&self) -> impl Iterator<Item = &Touchpoint> + Clone {
        self.touchpoints
            .iter()
            .map(|&(id, i)| &self.items[id].touches[i])
    }

    /// Hashes everything this agenda says about note `id`, which the note's card shows:
    /// a rebuild compares these hashes with the written site's.
    pub(crate) fn hash_about(&self, vault: &Vault, id: NoteId, h: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        self.chats[id].hash(h);
        self.contacts[id].hash(h);
        self.people[id].hash(h);
        self.company_chats[id].hash(h);
        self.due_for(id).for_each(|d| d.hash(h));
        0xd1u8.hash(h);
        self.due_in(id).for_each(|d| d.hash(h));
        0xd2u8.hash(h);
        self.touches_for(id).for_each(|t| t.hash(h));
        0xd3u8.hash(h);
        self.intros_for(id).for_each(|i| i.hash(h));
        if let Data::Questions(bank) = &vault.notes[id].data {
            for i in 0..bank.questions.len() {
                self.question_uses.get(&(id, i)).hash(h);
            }
        }
    }

    /// The due items about one contact, in `due` order.
    pub(crate) fn due_for(&self, contact: NoteId) -> impl Iterator<Item = &DueItem> {
        self.due_by_contact
            .get(contact)
            .iter()
            .map(|&i| self.due_at(i))
    }

    /// The due items written in one note, in `due` order.
    pub(crate) fn due_in(&self, note: NoteId) -> impl Iterator<Item = &DueItem> {
        self.due_by_source.get(note).iter().map(|&i| self.due_at(i))
    }

    fn due_at(&self, i: usize) -> &DueItem {
        let (id, at) = self.due[i];
        &self.items[id].due[at]
    }

    /// One contact's touchpoints, newest first.
    pub(crate) fn touches_for(&self, contact: NoteId) -> impl Iterator<Item = &Touchpoint> {
        self.touch_by_contact.get(contact).iter().map(|&i| {
            let (id, at) = self.touchpoints[i];
            &self.items[id].touches[at]
        })
    }

    /// Puts the ties between notes in place. Returns the notes whose ties differ from
    /// those in place before.
    fn set_links(&mut self, links: Links) -> Vec<NoteId> {
        let mut moved = Vec::new();
        for (id, (facts, with)) in self.chats.iter_mut().zip(links.chat_with).enumerate() {
            if let Some(f) = facts.as_mut().filter(|f| (f.contact, f.company) != with) {
                (f.contact, f.company) = with;
                moved.push(id);
            }
        }
        let contact_links = links
            .contact_chats
            .into_iter()
            .zip(links.referred)
            .zip(links.introduced);
        for (id, (facts, ties)) in self.contacts.iter_mut().zip(contact_links).enumerate() {
            let ((chats, referred), introduced) = ties;
            let ties = (chats, referred, introduced);
            if let Some(f) = facts.as_mut()
                && (&f.chats, &f.referred, &f.introduced) != (&ties.0, &ties.1, &ties.2)
            {
                (f.chats, f.referred, f.introduced) = ties;
                moved.push(id);
            }
        }
        let differ =
            |was: &[Vec<NoteId>], now: &[Vec<NoteId>], id: usize| was.get(id) != now.get(id);
        let tables = (0..links.people.len()).filter(|&id| {
            differ(&self.people, &links.people, id)
                || differ(&self.company_chats, &links.company_chats, id)
        });
        moved.extend(tables.collect::<Vec<_>>());
        let (was, now) = (&self.question_uses, &links.question_uses);
        let uses = was
            .keys()
            .chain(now.keys())
            .filter(|key| was.get(key) != now.get(key));
        moved.extend(uses.map(|&(bank, _)| bank).collect::<Vec<_>>());
        self.people = links.people;
        self.company_chats = links.company_chats;
        self.question_uses = links.question_uses;
        moved
    }

    /// Sorts the due items and touchpoints, and indexes them by note.
    fn order(&mut self, vault: &Vault) {
        let rank = |id| vault.notes.rank(id);
        let items = &self.items;
        // Each item is sorted by a key made once, which ends in its place (its note's
        // rank, its index there), so no two keys tie and the order is the same however
        // the sort goes.
        let due = sorted(vault, |id| {
            let due = items[id].due.iter().enumerate();
            due.map(move |(i, d)| ((d.state, d.due, d.action.as_str(), rank(d.source)), i))
        });
        let touchpoints = sorted(vault, |id| {
            let touches = items[id].touches.iter().enumerate();
            touches.map(move |(i, t)| (touch_key(t, rank), i))
        });
        (self.due, self.touchpoints) = (due, touchpoints);
        // Introductions are listed in path order.
        self.intros = sorted(vault, |id| (0..items[id].intros.len()).map(|i| ((), i)));
        let n = self.chats.len();
        self.due_by_contact = ByNote::new(n, self.due().map(|d| d.contact));
        self.due_by_source = ByNote::new(n, self.due().map(|d| Some(d.source)));
        self.touch_by_contact = ByNote::new(n, self.touchpoints().map(|t| Some(t.contact)));
        // Each introduction is about two people: it is listed under each.
        let pairs = self.intros().enumerate();
        let pairs = pairs.flat_map(|(i, x)| [Some((i, x.by)), x.person.map(|p| (i, p))]);
        self.intros_by_contact = ByNote::pairs(n, pairs.flatten());
    }

    /// Works out chat `id`'s facts, and adds its due items, touchpoints and
    /// introductions. `pitch` is [`pitch_lines`].
    fn chat(vault: &Vault, id: NoteId, links: &Links, pitch: usize) -> Option<Part<ChatFacts>> {
        let Data::Interview(chat) = &vault.notes[id].data else {
            return None;
        };
        let mut part: Part<_> = Part::default();
        let (contact, company) = links.chat_with[id];
        let duration = chat.duration.unwrap_or(vault.settings.default_duration);
        let mut facts = ChatFacts {
            contact,
            company,
            duration,
            questions: plan_questions(vault, chat, duration),
            ..ChatFacts::default()
        };
        facts.question_minutes = facts.questions.last().map_or(0, |q| q.running);
        let estimate = briefing_lines(vault, id, chat, &facts, pitch);
        facts.briefing_lines = estimate.lines;
        facts.prep_cut = estimate.floor > briefing_capacity(&vault.settings);
        if let Some(c) = contact {
            part.items.touches = chat_touchpoints(vault, id, c, chat);
        }
        // The briefing, printed before the chat, already names the thank-you's due date;
        // it becomes something owed only once the chat is done.
        let status = chat.status_on(vault.today);
        let skipped = matches!(status, ChatStatus::Cancelled | ChatStatus::NoShow);
        if let Some(when) = chat.when.filter(|_| !skipped) {
            let due = when.after_minutes(vault.settings.thank_you_within).date();
            facts.thank_you_due = Some(due);
            // A `thank_you` date that did not parse was reported already; do not also
            // ask the user to write one.
            let unreadable_thank_you = chat.thank_you.is_none()
                && vault.notes[id].keys.iter().any(|(k, _)| k == "thank_you");
            if status == ChatStatus::Done && !unreadable_thank_you {
                let state = state_of(vault.today, due, chat.thank_you);
                facts.thank_you_state = Some(state);
                part.items.due.push(DueItem {
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
            part.items.due.push(DueItem {
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
        part.add_intros(
            vault,
            ledger::of_chat(vault, id, contact, &links.contact_chats),
        );
        facts.thank_you_draft = drafts::thank_you(vault, id, chat, contact);
        part.facts = facts;
        Some(part.sealed())
    }
}

/// A chat's touchpoints with `contact`, as the chat lists them.
fn chat_touchpoints(
    vault: &Vault,
    id: NoteId,
    contact: NoteId,
    chat: &Interview,
) -> Vec<Touchpoint> {
    let mut touches = Vec::new();
    let mut add = |when: When, kind: &str, note: String| {
        touches.push(Touchpoint {
            when,
            kind: kind.into(),
            note,
            contact,
            source: id,
        })
    };
    if let (Some(when), ChatStatus::Done) = (chat.when, chat.status_on(vault.today)) {
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
    touches
}

impl Agenda {
    /// Works out contact `id`'s own facts (its ties to other notes are set apart, by
    /// `set_links`), and adds its due items and touchpoints. `chats` are the
    /// chats with them.
    fn contact(vault: &Vault, id: NoteId, links: &Links) -> Option<Part<ContactFacts>> {
        let Data::Contact(c) = &vault.notes[id].data else {
            return None;
        };
        let chats = links.contact_chats[id].as_slice();
        let mut part: Part<ContactFacts> = Part::default();
        let intro = ledger::of_contact(vault, id, c, &links.contact_chats);
        part.add_intros(vault, intro.into_iter().collect());
        for e in &c.log {
            if let Some(when) = e.date {
                part.items.touches.push(Touchpoint {
                    when,
                    kind: e.kind.clone().unwrap_or_else(|| "note".into()),
                    note: e.note.clone().unwrap_or_default(),
                    contact: id,
                    source: id,
                });
            }
            if let Some(p) = &e.planned {
                part.items.due.push(DueItem {
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
        let derived = derived_stage(vault, c, chats);
        let status = c.status.unwrap_or(derived);
        let last_touch = last_touch(vault, c, chats);
        let stay_due = stay_in_touch(vault, c, status, derived, last_touch);
        if let Some(due) = stay_due {
            part.items.due.push(DueItem {
                kind: DueKind::StayInTouch,
                due,
                action: format!("Get back in touch with {}", vault.notes[id].name),
                done: None,
                state: state_of(vault.today, due, None),
                contact: Some(id),
                source: id,
                pos: status_or_name(&vault.notes[id]),
            });
        }
        if !matches!(status, ContactStatus::Dormant | ContactStatus::Declined) {
            part.items.due.extend(no_reply(vault, id, c, chats));
        }
        let f = &mut part.facts;
        (f.status, f.derived) = (status, derived);
        f.last_touch = last_touch;
        f.stay_in_touch_due = stay_due;
        // A role that starts after today has lasted no time yet: no tenure, not "less than a month".
        let started = c.since_date.filter(|since| *since <= vault.today);
        f.tenure = started.map(|since| tenure(since, vault.today));
        let introducer = c.introduced_by.as_ref().and_then(|r| r.resolved);
        let referrer = introducer.or(links.referred_by[id].first().copied());
        f.outreach_draft = drafts::outreach(vault, id, status, referrer);
        Some(part.sealed())
    }
}

/// Where a contact's `status` is written, else their `name`: a stay-in-touch follows it.
fn status_or_name(note: &crate::model::note::Note) -> Pos {
    match note.keys.iter().any(|(k, _)| k == "status") {
        true => note.pos_of("status"),
        false => note.pos_of("name"),
    }
}

/// When a stay-in-touch is due: `stay_in_touch` (the contact's, else the vault's) after
/// the last touch, for everyone you have met (a done chat, or `status: met` or
/// `keep-in-touch`) unless their `status` is `dormant` or `declined`.
fn stay_in_touch(
    vault: &Vault,
    c: &Contact,
    status: ContactStatus,
    derived: ContactStatus,
    last_touch: Option<Date>,
) -> Option<Date> {
    let cadence_days = i64::from(c.stay_in_touch.unwrap_or(vault.settings.stay_in_touch) / 1440);
    let keeps_in_touch = match status {
        ContactStatus::Met | ContactStatus::KeepInTouch => true,
        ContactStatus::Dormant | ContactStatus::Declined => false,
        // A `status` behind what happened does not stop the reminders.
        _ => derived == ContactStatus::Met,
    };
    last_touch
        .filter(|_| keeps_in_touch && cadence_days > 0)
        .map(|d| d.saturating_add(cadence_days.days()))
}

/// The stage what happened puts a contact at: `met` after a done chat, `scheduled`
/// with a chat to come, `reached-out` after a logged outreach or a chat asked for
/// (requested, called off, or past and not yet marked), else `prospect`.
fn derived_stage(vault: &Vault, c: &Contact, chats: &[NoteId]) -> ContactStatus {
    let today = vault.today;
    let reached_out = c
        .log
        .iter()
        .any(|e| is_outreach(e) && e.date.is_some_and(|w| w.date <= today));
    let from_chats = chats.iter().filter_map(|&id| match &vault.notes[id].data {
        Data::Interview(chat) => Some(match chat.status_on(today) {
            ChatStatus::Done => ContactStatus::Met,
            ChatStatus::Scheduled if chat.upcoming(today) => ContactStatus::Scheduled,
            _ => ContactStatus::ReachedOut,
        }),
        _ => None,
    });
    let from_log = reached_out.then_some(ContactStatus::ReachedOut);
    from_chats
        .chain(from_log)
        .max_by_key(|stage| stage.progress())
        .unwrap_or(ContactStatus::Prospect)
}

fn is_outreach(e: &LogEntry) -> bool {
    e.kind.as_deref() == Some("outreach")
}

/// The reminders of contact `id`'s latest outreach, when nothing answered it: no reply,
/// no chat and no touchpoint logged on its day or after. After `outreach_nudge` business
/// days, try someone else at their company; after `outreach_follow_up`, follow up.
fn no_reply(vault: &Vault, id: NoteId, c: &Contact, chats: &[NoteId]) -> Vec<DueItem> {
    let outreaches = c.log.iter().enumerate().filter(|(_, e)| is_outreach(e));
    let latest = outreaches
        .filter_map(|(i, e)| Some((e.date?, i, e)))
        .max_by_key(|&(w, i, _)| (w, i));
    let Some((when, at, outreach)) = latest else {
        return Vec::new();
    };
    let since = when.date;
    if answered(vault, c, chats, at) {
        return Vec::new();
    }
    let settings = &vault.settings;
    let company = c.company.as_ref().and_then(|r| r.resolved);
    let elsewhere = match company {
        Some(co) => format!("try someone else at {}", vault.notes[co].name),
        None => "try someone else".into(),
    };
    let steps = [
        (settings.outreach_nudge, elsewhere),
        (settings.outreach_follow_up, "send a short follow-up".into()),
    ];
    let name = &vault.notes[id].name;
    steps
        .into_iter()
        .map(|(days, step)| {
            let due = after_business_days(since, days);
            DueItem {
                kind: DueKind::NoReply,
                due,
                action: format!("No reply from {name} to your outreach of {since}: {step}"),
                done: None,
                state: state_of(vault.today, due, None),
                contact: Some(id),
                source: id,
                pos: outreach.pos,
            }
        })
        .collect()
}

/// Whether something answered the outreach at `at` in `c`'s log: another log entry,
/// not an outreach, on its day or after; a chat with them on its day or after that is
/// more than requested; or a thank-you or a done follow-up since.
fn answered(vault: &Vault, c: &Contact, chats: &[NoteId], at: usize) -> bool {
    let Some(since) = c.log[at].date.map(|w| w.date) else {
        return false;
    };
    let in_log = c
        .log
        .iter()
        .enumerate()
        .any(|(i, e)| i != at && !is_outreach(e) && e.date.is_some_and(|w| w.date >= since));
    in_log
        || chats.iter().any(|&id| match &vault.notes[id].data {
            Data::Interview(chat) => {
                let agreed = chat.status_on(vault.today) != ChatStatus::Requested;
                let met = chat.when.filter(|_| agreed).map(|w| w.date);
                let done = chat.followups.iter().filter_map(|f| f.done);
                let mut dates = met.into_iter().chain(chat.thank_you).chain(done);
                dates.any(|d| d >= since)
            }
            _ => false,
        })
}

/// Whether every chat's part reads notes of `kind`: question banks (the questions it
/// asks) and the profile (the pitch). A change to one makes the whole agenda again.
pub(crate) fn read_by_every_chat(kind: Kind) -> bool {
    matches!(kind, Kind::Profile | Kind::Questions)
}

/// The notes whose part of the agenda a change of the notes `edited` can change, as a
/// table by id; `None` for all of them. A chat's part reads the chat, its contact and
/// their company (names, and the first paragraphs the briefing estimate counts), the
/// banks it asks from and the profile's pitch; a contact's part reads the contact,
/// their chats and their company's name. A note whose name changed is among `edited`,
/// as is every note whose references find other notes now.
fn reached(vault: &Vault, old: &Agenda, links: &Links, edited: &[NoteId]) -> Option<Vec<bool>> {
    if old.chats.len() > vault.notes.bound() {
        return None;
    }
    let mut redo = vec![false; vault.notes.bound()];
    let mut is_edited = vec![false; vault.notes.bound()];
    let was_with = |id: NoteId| {
        old.chats
            .get(id)
            .and_then(Option::as_ref)
            .map_or((None, None), |f| (f.contact, f.company))
    };
    for &id in edited {
        (redo[id], is_edited[id]) = (true, true);
        // A contact's last touch follows their chats.
        for contact in [links.chat_with[id].0, was_with(id).0]
            .into_iter()
            .flatten()
        {
            redo[contact] = true;
        }
    }
    // An unanswered outreach names the contact's company.
    for contact in vault.ids_of(Kind::Contact) {
        if links.ties[contact].company.is_some_and(|c| is_edited[c]) {
            redo[contact] = true;
        }
    }
    for chat in vault.ids_of(Kind::Interview) {
        let (contact, company) = links.chat_with[chat];
        let (was_contact, was_company) = was_with(chat);
        let with = [contact, company, was_contact, was_company];
        if with.into_iter().flatten().any(|n| is_edited[n]) {
            redo[chat] = true;
        }
    }
    reached_by_intros(vault, old, links, edited, &mut redo);
    Some(redo)
}

/// Adds to `redo` the notes whose introductions a change of the notes `edited` can
/// change, and the people those introductions are listed under. An introduction reads
/// the person given and the one who gave the name: their names, logs and chats.
fn reached_by_intros(
    vault: &Vault,
    old: &Agenda,
    links: &Links,
    edited: &[NoteId],
    redo: &mut [bool],
) {
    let mut people = vec![false; redo.len()];
    for &id in edited {
        people[id] = true;
        let was = old
            .chats
            .get(id)
            .and_then(Option::as_ref)
            .and_then(|f| f.contact);
        for c in [links.chat_with[id].0, was].into_iter().flatten() {
            people[c] = true;
        }
    }
    let records = |id: NoteId| match vault.notes[id].kind {
        Kind::Interview | Kind::Contact => {
            let t = &links.ties[id];
            let given = t.referrals.iter().copied();
            let own = (vault.notes[id].kind == Kind::Contact).then_some(id);
            t.person.into_iter().chain(given).chain(own).collect()
        }
        _ => Vec::new(),
    };
    let mut listed = Vec::new();
    for id in vault.notes.ids() {
        let about = records(id);
        if !(redo[id] || about.iter().any(|&p| people[p])) {
            continue;
        }
        redo[id] = true;
        let was = old.items.get(id).map_or(&[][..], |items| &items.intros[..]);
        let was = was.iter().flat_map(|i| [Some(i.by), i.person]).flatten();
        listed.extend(about.into_iter().chain(was));
    }
    for p in listed {
        if let Some(r) = redo.get_mut(p) {
            *r = true;
        }
    }
}

/// What one chat or contact adds to the agenda: its facts, and its items.
#[derive(Default)]
struct Part<F> {
    facts: F,
    items: Items,
}

/// A note's due items, touchpoints and introductions, as it lists them, with the hash
/// of each due item and touchpoint.
#[derive(Clone, Debug, Default, PartialEq)]
struct Items {
    due: Vec<DueItem>,
    touches: Vec<Touchpoint>,
    intros: Vec<Introduction>,
    /// The hashes of `due` and of `touches`, made once with them: the vault's lists are
    /// compared with the written site's after every save.
    hashes: [Vec<u64>; 2],
}

impl<F> Part<F> {
    /// Adds introductions and what they make due.
    fn add_intros(&mut self, vault: &Vault, intros: Vec<Introduction>) {
        let due = intros.iter().flat_map(|i| ledger::due_items(vault, i));
        self.items.due.extend(due);
        self.items.intros = intros;
    }

    /// The part, with its items' hashes made.
    fn sealed(mut self) -> Part<F> {
        let items = &mut self.items;
        items.hashes = [
            items.due.iter().map(crate::memo::hash).collect(),
            items.touches.iter().map(crate::memo::hash).collect(),
        ];
        self
    }
}

/// For each note, positions in a list of the items about it, in list order. Two flat
/// vectors rather than a vector a note: made again after every update, the ~20k small
/// vectors of a 10k-note vault took most of the update's time to allocate and free.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ByNote {
    /// Note `id`'s positions are `at[starts[id]..starts[id + 1]]`.
    starts: Vec<usize>,
    at: Vec<usize>,
}

impl ByNote {
    /// Indexes a list by the note each item is about (`None`: in no note's entry).
    fn new(n: usize, about: impl Iterator<Item = Option<NoteId>> + Clone) -> ByNote {
        let pairs = about.enumerate().filter_map(|(i, id)| Some((i, id?)));
        ByNote::pairs(n, pairs)
    }

    /// Indexes a list by (position, note it is about) pairs, in position order; an
    /// item may be about several notes.
    fn pairs(n: usize, about: impl Iterator<Item = (usize, NoteId)> + Clone) -> ByNote {
        let mut starts = vec![0; n + 1];
        for (_, id) in about.clone().filter(|&(_, id)| id < n) {
            starts[id + 1] += 1;
        }
        for id in 0..n {
            starts[id + 1] += starts[id];
        }
        let mut next = starts.clone();
        let mut at = vec![0; starts[n]];
        for (i, id) in about.filter(|&(_, id)| id < n) {
            at[next[id]] = i;
            next[id] += 1;
        }
        ByNote { starts, at }
    }

    /// The positions of the items about note `id`.
    pub(crate) fn get(&self, id: NoteId) -> &[usize] {
        &self.at[self.starts[id]..self.starts[id + 1]]
    }
}

/// A chat's contact and the contact's company.
type With = (Option<NoteId>, Option<NoteId>);

/// What one note's references tie it to, as far as the agenda goes. The tables of
/// [`Links`] follow from these alone.
#[derive(Clone, Default)]
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
    /// For each contact, who referred them in a chat, by the chats' path order.
    referred_by: Vec<Vec<NoteId>>,
    introduced: Vec<Vec<NoteId>>,
    people: Vec<Vec<NoteId>>,
    /// For each company, the chats with its people, by date.
    company_chats: Vec<Vec<NoteId>>,
    question_uses: HashMap<(NoteId, usize), Vec<NoteId>>,
}

impl Links {
    fn new(vault: &Vault) -> Links {
        let n = vault.notes.bound();
        let ties: Vec<Ties> = (0..n)
            .into_par_iter()
            .map(|id| match vault.notes.get(id) {
                Some(_) => Ties::of(vault, id),
                None => Ties::default(),
            })
            .collect();
        let mut links = Links {
            ties,
            chat_with: vec![(None, None); n],
            contact_chats: vec![Vec::new(); n],
            referred: vec![Vec::new(); n],
            referred_by: vec![Vec::new(); n],
            introduced: vec![Vec::new(); n],
            people: vec![Vec::new(); n],
            company_chats: vec![Vec::new(); n],
            question_uses: HashMap::new(),
        };
        let is_contact = |id: NoteId| vault.notes[id].kind == Kind::Contact;
        for id in vault.notes.ids() {
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
                        for &p in &t.referrals {
                            links.referred_by[p].push(c);
                        }
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
            chats.sort_by_key(|&chat| (ties[chat].when, vault.notes.rank(chat)));
        }
        links
    }
}

/// The order of the touchpoints: newest first, by contact, type and note, then chats'
/// before log entries, each by note and then as the note lists them. Notes are in path
/// order (`rank`), which ids are not.
/// What touchpoints are listed by: the latest first, then by contact in path order, what
/// happened, and whether it is written in the contact's own note.
fn touch_key(t: &Touchpoint, rank: impl Fn(NoteId) -> usize) -> impl Ord + Send + '_ {
    let tie = (t.source == t.contact, rank(t.source));
    (
        std::cmp::Reverse(t.when),
        rank(t.contact),
        t.kind.as_str(),
        t.note.as_str(),
        tie,
    )
}

/// The places `(note, index)` of every note's items, in the order of the keys `items`
/// gives each; equal keys keep path order.
fn sorted<'a, K, I>(vault: &'a Vault, items: impl Fn(NoteId) -> I) -> Vec<(NoteId, usize)>
where
    K: Ord + Send,
    I: Iterator<Item = (K, usize)> + 'a,
{
    let mut keyed: Vec<_> = vault
        .notes
        .ids()
        .flat_map(|id| {
            let rank = vault.notes.rank(id);
            items(id).map(move |(key, i)| ((key, rank, i), id))
        })
        .collect();
    keyed.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|((_, _, i), id)| (id, i)).collect()
}

/// The stay-in-touch clock runs from the latest touchpoint: a done chat, a thank-you,
/// or a dated log entry.
fn last_touch(vault: &Vault, c: &Contact, chats: &[NoteId]) -> Option<Date> {
    let from_log = c.log.iter().filter_map(|e| e.date).map(|w| w.date);
    let from_chats = chats
        .iter()
        .filter_map(|&chat| match &vault.notes[chat].data {
            Data::Interview(i) if i.status_on(vault.today) == ChatStatus::Done => {
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
pub(crate) fn briefing_capacity(settings: &crate::model::settings::Settings) -> usize {
    match settings.paper {
        crate::model::settings::Paper::Letter => LETTER_LINES,
        crate::model::settings::Paper::A4 => A4_LINES,
    }
}

/// An estimate of the printed briefing's length in lines: whole, and with the
/// research excerpts, the pitch and the notes space shrunk as far as they go.
struct Estimate {
    lines: usize,
    floor: usize,
}

/// An estimate of the printed briefing's length in lines, from the text that goes on
/// it. The print stylesheet keeps the sheet to one page whatever this says; the estimate
/// decides whether the sheet says it was shortened (and whether the prep is cut), and
/// feeds the `briefing-too-long` warning.
/// `pitch` is [`pitch_lines`], the same for every chat.
fn briefing_lines(
    vault: &Vault,
    id: NoteId,
    chat: &Interview,
    facts: &ChatFacts,
    pitch: usize,
) -> Estimate {
    let first_paragraph = |id: NoteId| {
        let body = vault.notes[id].source.body();
        body.split("\n\n")
            .find(|p| !p.trim().is_empty() && !p.trim_start().starts_with('#'))
            .map_or(0, |p| wrap(p, COLUMN_CHARS))
    };
    // The time and place are set large (about two lines each), and how you are
    // connected has a line.
    let header = 7;
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
    let fixed = header + objectives + prep_lines(vault, id, chat) + questions + reminders;
    let research = HEADING + who.max(company);
    Estimate {
        lines: fixed + research + pitch + notes_space,
        // The research keeps about 4 lines, the pitch 3 (style.css's min-heights).
        floor: fixed + research.min(HEADING + 4) + pitch.min(HEADING + 3),
    }
}

/// Lines the chat's prep takes on the briefing: each of its lines of text wraps over
/// the full width.
fn prep_lines(vault: &Vault, id: NoteId, chat: &Interview) -> usize {
    let prep = &vault.notes[id].source.body()[chat.prep.clone()];
    let lines: usize = prep
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| wrap(l, LINE_CHARS))
        .sum();
    if lines == 0 { 0 } else { HEADING + lines }
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
pub(crate) fn state_of(today: Date, due: Date, done: Option<Date>) -> State {
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
pub(crate) fn tenure(since: Date, today: Date) -> String {
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
    fn example_site() -> crate::site::Site {
        let opts = crate::site::Options {
            vault: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-vault"),
            output: Some(std::env::temp_dir().join("coffeechat-unused-output")),
            today: Some(date(2026, 11, 23)),
            ..Default::default()
        };
        crate::site::Site::load(&opts, |_| Default::default())
            .unwrap_or_else(|_| panic!("it loads"))
    }

    /// Saves of one note each: some leave every tie where it was, some move a chat to
    /// another contact or a contact to another company, some reach every chat.
    const EDITS: &[(&str, &str, &str)] = &[
        (
            "contacts/priya-raman.md",
            "in Chicago.",
            "in Chicago. She moved there for her first job at the hospital system, stayed \
             through three reorganisations, and now runs the care navigation product that \
             nurses use to schedule follow-up visits after a discharge, which is the kind \
             of work I would like to be doing in two years' time, give or take.",
        ),
        (
            "contacts/elena-park.md",
            "status: keep-in-touch",
            "status: dormant",
        ),
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
        ("questions/career-path.md", "minutes: 5", "minutes: 9"),
        ("contacts/marcus-chen.md", "status: met", "status: declined"),
        // A status written behind what happened, and one taken out.
        (
            "contacts/priya-raman.md",
            "source: alumni",
            "source: alumni\nstatus: prospect",
        ),
        ("contacts/elena-park.md", "status: dormant\n", ""),
        // An outreach answered, and a chat whose status follows its date.
        (
            "contacts/dana-whitfield.md",
            "type: outreach",
            "type: reply",
        ),
        (
            "interviews/2026-11-24-priya-raman.md",
            "date: 2026-11-24",
            "date: 2026-11-20",
        ),
        // A save whose front matter does not read leaves the chat with no part.
        (
            "interviews/2026-11-19-sam-oduya.md",
            "---\n",
            "---\nstatus: [unclosed\n",
        ),
    ];

    #[test]
    fn an_agenda_made_from_a_kept_one_equals_one_made_whole() {
        let mut site = example_site();
        let (mut agenda, _) = Agenda::new(&site.vault, None);
        for &(rel, from, to) in EDITS {
            let vault = &mut site.vault;
            let id = vault.index.at_path(std::path::Path::new(rel)).unwrap();
            let text = vault.notes[id].source.text.replacen(from, to, 1);
            assert!(
                text.contains(to) && text != *vault.notes[id].source.text,
                "{rel} has `{from}`"
            );
            let source = crate::load::parse_note(rel.as_ref(), text.into_bytes()).unwrap();
            let note = crate::model::note::read_note(source, &mut Vec::new());
            assert!(vault.replace(id, note).is_empty(), "{rel}: `{to}` resolves");
            let (whole, _) = Agenda::new(vault, None);
            assert!(whole != agenda, "{rel}: `{to}` changes the agenda");
            let before = agenda.clone();
            let touched;
            let edited = [id];
            let kept = (!read_by_every_chat(vault.notes[id].kind)).then_some((agenda, &edited[..]));
            (agenda, touched) = Agenda::new(vault, kept);
            // Where it says the agenda may differ, it does not leave one out.
            let touched = touched.unwrap_or_else(|| vec![true; vault.notes.bound()]);
            for n in vault.notes.ids() {
                let about = |a: &Agenda| {
                    let mut h = crate::memo::hasher();
                    a.hash_about(vault, n, &mut h);
                    std::hash::Hasher::finish(&h)
                };
                assert!(
                    touched[n] || about(&before) == about(&whole),
                    "{rel}: note {n} left out"
                );
            }
            assert!(
                agenda == whole,
                "{rel}: `{to}` made from the kept agenda differs"
            );
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
