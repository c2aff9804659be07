//! `calendar.ics`: every dated chat as an event and every thank-you, follow-up, log
//! action and reminder of an unanswered outreach as a to-do, for calendar apps.
//!
//! Ids are derived from note slugs (`interview-<slug>@coffeechat`…), so importing the file
//! again updates the entries instead of duplicating them. The output is a function of the
//! vault and "today" only: `DTSTAMP` is today at midnight UTC, never the clock.
//!
//! Times are written in the vault's `timezone` (`DTSTART;TZID=Europe/Berlin:…`) with the
//! `VTIMEZONE` that RFC 5545 requires for each `TZID`, or as floating local times when the
//! vault names no time zone. Chats without a time of day are all-day events.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use icalendar::{
    Calendar, CalendarDateTime, Component, DatePerhapsTime, Event, EventLike, EventStatus,
    Property, Todo, TodoStatus,
};
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::memo::Memo;
use crate::model::Vault;
use crate::model::agenda::{Agenda, ChatFacts, DueItem, DueKind};
use crate::model::note::{ChatStatus, Data, Interview, Kind, Note, NoteId, Planned, page_url};
use crate::render::{Contents, OutputFile};

/// The calendar's path in the output folder.
pub(crate) const FILE_NAME: &str = "calendar.ics";

/// Entries of the calendar as written, each by [`Memo::key`] of what it is made from, so
/// that a rebuild writes again only the entries of the notes that changed. Shared, as
/// a kept entry is then only copied into the file.
pub(crate) type EntryMemo = Memo<Arc<Entries>>;

/// The rules of the vault's time zone as the system's time-zone database has them now
/// (each change from 1900 to 2200: when, the offset after it in seconds, whether it is
/// summer time); empty without a zone. calendar.ics's VTIMEZONE comes from them, and a
/// database update can change them under an unchanged vault: a build record keeps them.
pub(crate) fn zone_rules(vault: &Vault) -> Vec<(i64, i32, bool)> {
    let Some(tz) = vault
        .settings
        .timezone
        .as_ref()
        .and_then(|n| TimeZone::get(n).ok())
    else {
        return Vec::new();
    };
    let from = Timestamp::from_second(-2_208_988_800).unwrap_or(Timestamp::MIN);
    let to = Timestamp::from_second(7_258_118_400).unwrap_or(Timestamp::MAX);
    tz.following(from)
        .take_while(|t| t.timestamp() < to)
        .map(|t| {
            (
                t.timestamp().as_second(),
                t.offset().seconds(),
                t.dst().is_dst(),
            )
        })
        .collect()
}

/// The vault's time zone, by name, when the settings give one that exists.
struct Zone {
    name: String,
    tz: TimeZone,
}

/// What calendar.ics is made of: every entry in order, each under the key of what it
/// shows ([`Memo::key`]), so that a rebuild can tell whether the file can differ
/// before making it.
///
/// Each entry is written out on its own, in parallel, rather than gathered into one
/// `icalendar::Calendar`: gathered, every entry's properties were held at once
/// (megabytes at 10k notes), and writing them was one long serial job.
pub(crate) struct Plan<'a> {
    make: Maker<'a>,
    /// Chats by date, with the key of both their entries' input.
    chats: Vec<(NoteId, u64)>,
    /// Contacts by slug, with the key of their planned actions' and reminders' input.
    contacts: Vec<(NoteId, u64)>,
}

impl<'a> Plan<'a> {
    pub(crate) fn new(vault: &'a Vault, agenda: &'a Agenda) -> Plan<'a> {
        let zone = vault.settings.timezone.as_ref().and_then(|name| {
            TimeZone::get(name).ok().map(|tz| Zone {
                name: name.clone(),
                tz,
            })
        });
        let make = Maker {
            vault,
            agenda,
            zone,
            stamp: utc(vault.today.to_datetime(Time::midnight()), None),
        };
        let mut chats: Vec<NoteId> = vault.ids_of(Kind::Interview).collect();
        let by_date = |&id: &NoteId| (chat_when(&vault.notes[id]), &vault.notes[id].slug);
        chats.sort_by(|a, b| by_date(a).cmp(&by_date(b)));
        let chats = chats
            .into_par_iter()
            .map(|id| (id, make.key(make.chat_input(id))))
            .collect();
        let mut contacts: Vec<NoteId> = vault.ids_of(Kind::Contact).collect();
        contacts.sort_by(|&a, &b| vault.notes[a].slug.cmp(&vault.notes[b].slug));
        let contacts = contacts
            .into_par_iter()
            .map(|id| (id, make.key(make.contact_input(id))))
            .collect();
        Plan {
            make,
            chats,
            contacts,
        }
    }

    /// A key of everything the file shows: two plans with the same key make the same
    /// file.
    pub(crate) fn key(&self) -> u64 {
        let chats: Vec<u64> = self.chats.iter().map(|(_, key)| *key).collect();
        let contacts: Vec<u64> = self.contacts.iter().map(|(_, key)| *key).collect();
        let title = &self.make.vault.settings.title;
        self.make.key((title, chats, contacts))
    }

    /// The calendar as a file of the site, taking unchanged entries from `memo`.
    pub(crate) fn file(&self, memo: &EntryMemo) -> OutputFile {
        let text = self.render(memo);
        memo.trim();
        OutputFile {
            path: FILE_NAME.into(),
            contents: Contents::Bytes(text.into_bytes()),
        }
    }

    fn render(&self, memo: &EntryMemo) -> String {
        let make = &self.make;
        let chat_parts: Vec<[Arc<Entries>; 2]> = self
            .chats
            .par_iter()
            .map(|&(id, key)| {
                [
                    memo.kept(Part::Event, key, |out| make.event(id, out)),
                    memo.kept(Part::ChatTodos, key, |out| make.chat_todos(id, out)),
                ]
            })
            .collect();
        let actions: Vec<Arc<Entries>> = self
            .contacts
            .par_iter()
            .map(|&(id, key)| memo.kept(Part::Actions, key, |out| make.planned_actions(id, out)))
            .collect();
        let events = chat_parts.iter().map(|[event, _]| event);
        let todos = chat_parts.iter().map(|[_, todos]| todos);
        let entries: Vec<&Arc<Entries>> = events.chain(todos).chain(&actions).collect();

        let zone = make.zone.as_ref();
        let mut text = header(&make.vault.settings.title, zone);
        let years: BTreeSet<i16> = entries
            .iter()
            .flat_map(|e| e.years.iter().copied())
            .collect();
        if let Some(z) = zone.filter(|_| !years.is_empty()) {
            text.push_str(&vtimezone(z, &years));
        }
        text.reserve(entries.iter().map(|e| e.text.len()).sum::<usize>() + END.len());
        for e in entries {
            text.push_str(&e.text);
        }
        text.push_str(END);
        text
    }
}

/// The last line of calendar.ics.
const END: &str = "END:VCALENDAR\r\n";

/// `BEGIN:VCALENDAR` and the calendar's own properties, as icalendar writes them.
fn header(title: &str, zone: Option<&Zone>) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new(
        "PRODID",
        concat!(
            "-//coffeechat//coffeechat ",
            env!("CARGO_PKG_VERSION"),
            "//EN"
        ),
    ));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    cal.name(title);
    if let Some(z) = zone {
        cal.timezone(z.name.as_str());
    }
    let mut text = cal.to_string();
    // The entries go before the end, which is written once they are all there.
    text.truncate(text.len() - END.len());
    text
}

/// Written calendar entries, and the years their timed events fall in (for the
/// VTIMEZONE).
#[derive(Clone, Default)]
pub(crate) struct Entries {
    text: String,
    years: BTreeSet<i16>,
}

impl Entries {
    fn push(&mut self, component: &impl Component) {
        // Writing into a String cannot fail.
        let _ = component.fmt_write(&mut self.text);
    }
}

/// Which of a note's entries: a chat's event, a chat's to-dos, a contact's actions.
#[derive(Clone, Copy, Hash)]
enum Part {
    Event,
    ChatTodos,
    Actions,
}

/// What every entry is made from.
struct Maker<'a> {
    vault: &'a Vault,
    agenda: &'a Agenda,
    zone: Option<Zone>,
    stamp: chrono::DateTime<chrono::Utc>,
}

/// Everything a chat's entries show: the chat's slug, name, path and front matter, what
/// the agenda says of it (duration, thank-you due and state), its contact's name and
/// title, and its company's name.
type ChatInput<'a> = (
    &'a str,
    &'a str,
    &'a std::path::Path,
    &'a str,
    Option<(u32, Option<Date>, Option<crate::model::agenda::State>)>,
    Option<(&'a str, Option<&'a str>)>,
    Option<&'a str>,
    Vec<(DueKind, Date, &'a str, Option<Date>)>,
);

/// Everything a contact's to-dos show: its slug, name and path, and each planned
/// action's and each reminder of an unanswered outreach's due date, text and done date.
type ActionsInput<'a> = (
    &'a str,
    &'a str,
    &'a std::path::Path,
    Vec<(Date, &'a str, Option<Date>)>,
    Vec<(Date, &'a str)>,
    Vec<(DueKind, Date, &'a str, Option<Date>)>,
);

fn chat_when(note: &Note) -> Option<crate::model::time::When> {
    match &note.data {
        Data::Interview(i) => i.when,
        _ => None,
    }
}

fn rel(note: &Note) -> String {
    note.source.rel.to_string_lossy().replace('\\', "/")
}

impl EntryMemo {
    /// The entries `write` makes for `part` of a note whose input has `key`, as kept
    /// from an earlier build when the input was the same.
    fn kept(&self, part: Part, key: u64, write: impl FnOnce(&mut Entries)) -> Arc<Entries> {
        let key = crate::memo::hash(&(part, key));
        self.get(key).unwrap_or_else(|| {
            let mut made = Entries::default();
            write(&mut made);
            let made = Arc::new(made);
            self.insert(key, made.clone());
            made
        })
    }
}

impl Maker<'_> {
    /// The key of `input` in this vault's zone on this day, which every entry shows.
    fn key(&self, input: impl std::hash::Hash) -> u64 {
        let zone = self.zone.as_ref().map(|z| z.name.as_str());
        crate::memo::hash(&(zone, self.stamp, input))
    }

    fn contact_input(&self, id: NoteId) -> ActionsInput<'_> {
        let note = &self.vault.notes[id];
        let log = match &note.data {
            Data::Contact(c) => c.log.as_slice(),
            _ => &[],
        };
        let planned = log.iter().filter_map(|e| e.planned.as_ref());
        (
            &note.slug,
            &note.name,
            &note.source.rel,
            planned
                .map(|p| (p.due, p.action.as_str(), p.done))
                .collect(),
            self.no_reply(id)
                .map(|d| (d.due, d.action.as_str()))
                .collect(),
            self.intro_input(id),
        )
    }

    /// What the introductions written in note `id` make due.
    fn intro_items(&self, id: NoteId) -> impl Iterator<Item = &DueItem> {
        let items = self.agenda.due_in(id);
        items.filter(|d| matches!(d.kind, DueKind::ReachOut | DueKind::ReportBack))
    }

    fn intro_input(&self, id: NoteId) -> Vec<(DueKind, Date, &str, Option<Date>)> {
        let items = self.intro_items(id);
        items
            .map(|d| (d.kind, d.due, d.action.as_str(), d.done))
            .collect()
    }

    /// The to-dos of the introductions written in note `id`: its reach-outs and
    /// report-backs, each counted from 1 in the order the note lists them.
    fn intro_todos(&self, id: NoteId, about: &str, out: &mut Entries) {
        let (zone, stamp) = (self.zone.as_ref(), self.stamp);
        let slug = &self.vault.notes[id].slug;
        let mut counts = [0usize; 2];
        let mut items: Vec<&DueItem> = self.intro_items(id).collect();
        items.sort_by_key(|d| d.pos);
        for d in items {
            let (which, name) = match d.kind {
                DueKind::ReachOut => (0, "reach-out"),
                _ => (1, "report-back"),
            };
            counts[which] += 1;
            let todo = Planned {
                due: d.due,
                action: d.action.clone(),
                done: d.done,
                pos: d.pos,
            };
            let uid = format!("{name}-{slug}-{}@coffeechat", counts[which]);
            out.push(&planned_todo(&uid, &todo, about, zone, stamp));
        }
    }

    /// The reminders of contact `id`'s unanswered outreach.
    fn no_reply(&self, id: NoteId) -> impl Iterator<Item = &DueItem> {
        let items = self.agenda.due_in(id);
        items.filter(|d| d.kind == DueKind::NoReply)
    }

    fn chat_input(&self, id: NoteId) -> ChatInput<'_> {
        let note = &self.vault.notes[id];
        let facts = self.agenda.chats.get(id).and_then(Option::as_ref);
        let contact = facts.and_then(|f| f.contact).map(|c| {
            let person = &self.vault.notes[c];
            let title = match &person.data {
                Data::Contact(c) => c.title.as_deref(),
                _ => None,
            };
            (person.name.as_str(), title)
        });
        let company = facts.and_then(|f| f.company);
        (
            &note.slug,
            &note.name,
            &note.source.rel,
            note.source.front_text(),
            facts.map(|f| (f.duration, f.thank_you_due, f.thank_you_state)),
            contact,
            company.map(|c| self.vault.notes[c].name.as_str()),
            self.intro_input(id),
        )
    }

    /// One dated chat as an event; nothing for a chat without a date.
    fn event(&self, id: NoteId, out: &mut Entries) {
        if let Some(ev) = self.make_event(id, &mut out.years) {
            out.push(&ev);
        }
    }

    /// Chat `id`, its interview data and what the agenda worked out about it.
    fn chat(&self, id: NoteId) -> Option<(&Note, &Interview, Option<&ChatFacts>)> {
        let note = &self.vault.notes[id];
        let Data::Interview(chat) = &note.data else {
            return None;
        };
        Some((
            note,
            chat,
            self.agenda.chats.get(id).and_then(Option::as_ref),
        ))
    }

    fn make_event(&self, id: NoteId, years: &mut BTreeSet<i16>) -> Option<Event> {
        let (vault, zone) = (self.vault, self.zone.as_ref());
        let (note, chat, facts) = self.chat(id)?;
        let when = chat.when?;
        let duration = facts.map_or(vault.settings.default_duration, |f| f.duration);
        let mut ev = Event::new();
        ev.uid(&format!("interview-{}@coffeechat", note.slug));
        ev.timestamp(self.stamp);
        ev.summary(&note.name);
        match when.time {
            Some(_) => {
                let start = when.datetime();
                let end = end_of(start, duration, zone);
                years.insert(start.year());
                years.insert(end.year());
                ev.starts(local(start, zone));
                ev.ends(local(end, zone));
            }
            None => {
                ev.starts(DatePerhapsTime::Date(naive_date(when.date)));
                let next = when.date.tomorrow().unwrap_or(when.date);
                ev.ends(DatePerhapsTime::Date(naive_date(next)));
            }
        }
        if let Some(place) = chat.place.as_deref().or(chat.link.as_deref()) {
            ev.location(place);
        }
        ev.status(match chat.status_on(vault.today) {
            ChatStatus::Cancelled => EventStatus::Cancelled,
            ChatStatus::Requested => EventStatus::Tentative,
            _ => EventStatus::Confirmed,
        });
        let mut text = String::new();
        let contact = facts.and_then(|f| f.contact).map(|c| &vault.notes[c]);
        if let Some(person) = contact {
            let _ = write!(text, "With {}", person.name);
            if let Data::Contact(c) = &person.data {
                let role: Vec<&str> = [
                    c.title.as_deref(),
                    facts
                        .and_then(|f| f.company)
                        .map(|co| vault.notes[co].name.as_str()),
                ]
                .into_iter()
                .flatten()
                .collect();
                if !role.is_empty() {
                    let _ = write!(text, " ({})", role.join(", "));
                }
            }
            text.push('\n');
        }
        let _ = writeln!(
            text,
            "Briefing: {} in your coffeechat site",
            page_url(Kind::Interview, &note.slug)
        );
        if let Some(link) = &chat.link {
            let _ = writeln!(text, "Link: {link}");
        }
        if !chat.objectives.is_empty() {
            text.push_str("Objectives:\n");
            for o in &chat.objectives {
                let _ = writeln!(text, "- {o}");
            }
        }
        ev.description(text.trim_end());
        Some(ev.done())
    }

    /// The thank-you and follow-ups of one chat.
    fn chat_todos(&self, id: NoteId, out: &mut Entries) {
        let (vault, zone, stamp) = (self.vault, self.zone.as_ref(), self.stamp);
        let Some((note, chat, facts)) = self.chat(id) else {
            return;
        };
        let who = facts
            .and_then(|f| f.contact)
            .map_or("your contact", |c| vault.notes[c].name.as_str());
        let about = format!("After {}; written in {}", note.name, rel(note));
        // The agenda owes a thank-you only for chats that are done.
        if let Some((due, _)) = facts.and_then(|f| f.thank_you_due.zip(f.thank_you_state)) {
            let thanks = Planned {
                due,
                action: format!("Send a thank-you to {who}"),
                done: chat.thank_you,
                pos: Default::default(),
            };
            let uid = format!("thank-you-{}@coffeechat", note.slug);
            out.push(&planned_todo(&uid, &thanks, &about, zone, stamp));
        }
        for (n, f) in chat.followups.iter().enumerate() {
            let uid = format!("followup-{}-{}@coffeechat", note.slug, n + 1);
            out.push(&planned_todo(&uid, f, &about, zone, stamp));
        }
        self.intro_todos(id, &about, out);
    }

    /// The actions planned in a contact's log, and the reminders of their unanswered
    /// outreach.
    fn planned_actions(&self, id: NoteId, out: &mut Entries) {
        let note = &self.vault.notes[id];
        let Data::Contact(c) = &note.data else {
            return;
        };
        let about = format!("About {}; written in {}", note.name, rel(note));
        let (zone, stamp) = (self.zone.as_ref(), self.stamp);
        let planned = c.log.iter().filter_map(|e| e.planned.as_ref());
        for (n, p) in planned.enumerate() {
            let uid = format!("action-{}-{}@coffeechat", note.slug, n + 1);
            out.push(&planned_todo(&uid, p, &about, zone, stamp));
        }
        for (n, d) in self.no_reply(id).enumerate() {
            let reminder = Planned {
                due: d.due,
                action: d.action.clone(),
                done: None,
                pos: d.pos,
            };
            let uid = format!("no-reply-{}-{}@coffeechat", note.slug, n + 1);
            out.push(&planned_todo(&uid, &reminder, &about, zone, stamp));
        }
        self.intro_todos(id, &about, out);
    }
}

fn planned_todo(
    uid: &str,
    p: &Planned,
    about: &str,
    zone: Option<&Zone>,
    stamp: chrono::DateTime<chrono::Utc>,
) -> Todo {
    let mut todo = Todo::new();
    todo.uid(uid);
    todo.timestamp(stamp);
    todo.summary(&p.action);
    todo.description(about);
    todo.due(DatePerhapsTime::Date(naive_date(p.due)));
    match p.done {
        Some(done) => {
            // COMPLETED must be a UTC date-time; the vault only knows the day, so say noon
            // of that day where the user lives.
            let noon = done.to_datetime(Time::constant(12, 0, 0, 0));
            todo.completed(utc(noon, zone));
            todo.status(TodoStatus::Completed);
            todo.percent_complete(100);
        }
        None => {
            todo.status(TodoStatus::NeedsAction);
        }
    }
    todo.done()
}

/// The end of a chat of `minutes` starting at `start`, in wall-clock time of the zone.
fn end_of(start: DateTime, minutes: u32, zone: Option<&Zone>) -> DateTime {
    let span = i64::from(minutes).minutes();
    zone.and_then(|z| z.tz.to_zoned(start).ok())
        .and_then(|zoned| zoned.checked_add(span).ok())
        .map(|zoned| zoned.datetime())
        .or_else(|| start.checked_add(span).ok())
        .unwrap_or(DateTime::MAX)
}

/// A local time: with the vault's TZID, else floating.
fn local(dt: DateTime, zone: Option<&Zone>) -> CalendarDateTime {
    let naive = naive_datetime(dt);
    match zone {
        Some(z) => CalendarDateTime::WithTimezone {
            date_time: naive,
            tzid: z.name.clone(),
        },
        None => CalendarDateTime::Floating(naive),
    }
}

/// A local time as UTC: in the vault's zone, else taken as UTC.
fn utc(dt: DateTime, zone: Option<&Zone>) -> chrono::DateTime<chrono::Utc> {
    let ts = zone
        .and_then(|z| z.tz.to_timestamp(dt).ok())
        .or_else(|| dt.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp()))
        .unwrap_or(Timestamp::UNIX_EPOCH);
    chrono::DateTime::from_timestamp(ts.as_second(), 0).unwrap_or_default()
}

fn naive_date(d: Date) -> NaiveDate {
    // jiff's years (-9999..=9999) are all within chrono's range.
    NaiveDate::from_ymd_opt(
        i32::from(d.year()),
        u32::try_from(d.month()).unwrap_or(1),
        u32::try_from(d.day()).unwrap_or(1),
    )
    .unwrap_or_default()
}

fn naive_datetime(dt: DateTime) -> NaiveDateTime {
    let t = dt.time();
    let time = NaiveTime::from_hms_opt(
        u32::try_from(t.hour()).unwrap_or(0),
        u32::try_from(t.minute()).unwrap_or(0),
        u32::try_from(t.second()).unwrap_or(0),
    )
    .unwrap_or_default();
    naive_date(dt.date()).and_time(time)
}

/// The VTIMEZONE for the vault's zone, covering the years that events fall in: the
/// offset in force at the start of each year and every change during it, each as a
/// one-off observance (no recurrence rules to get wrong).
///
/// The icalendar crate builds VEVENT and VTODO well, but not VTIMEZONE: its writer gives
/// every component a `DTSTAMP` (the clock's) and a random `UID`, which a VTIMEZONE and its
/// observances must not have. So this one component is written here.
fn vtimezone(zone: &Zone, years: &BTreeSet<i16>) -> String {
    let mut changes: BTreeSet<Timestamp> = BTreeSet::new();
    let jan1 = |year: i16| {
        Date::new(year, 1, 1)
            .ok()
            .and_then(|d| zone.tz.to_timestamp(d.to_datetime(Time::midnight())).ok())
    };
    for &year in years {
        let Some(start) = jan1(year) else { continue };
        let end = jan1(year.saturating_add(1)).unwrap_or(Timestamp::MAX);
        if let Some(before) = zone.tz.preceding(start).next() {
            changes.insert(before.timestamp());
        }
        for t in zone.tz.following(start) {
            if t.timestamp() >= end {
                break;
            }
            changes.insert(t.timestamp());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, s: &str| {
        out.push_str(s);
        out.push_str("\r\n");
    };
    line(&mut out, "BEGIN:VTIMEZONE");
    line(&mut out, &format!("TZID:{}", zone.name));
    if changes.is_empty() {
        // A zone with a fixed offset: one observance since 1970.
        let info = zone.tz.to_offset_info(Timestamp::UNIX_EPOCH);
        let offset = info.offset();
        let abbrev = info.abbreviation();
        line(&mut out, "BEGIN:STANDARD");
        line(&mut out, "DTSTART:19700101T000000");
        line(&mut out, &format!("TZOFFSETFROM:{}", ical_offset(offset)));
        line(&mut out, &format!("TZOFFSETTO:{}", ical_offset(offset)));
        line(&mut out, &format!("TZNAME:{abbrev}"));
        line(&mut out, "END:STANDARD");
    }
    for ts in changes {
        let before = ts
            .checked_sub(1.nanosecond())
            .map_or(jiff::tz::Offset::UTC, |b| zone.tz.to_offset(b));
        let info = zone.tz.to_offset_info(ts);
        let kind = if info.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        let onset = ts.to_zoned(TimeZone::fixed(before)).datetime();
        line(&mut out, &format!("BEGIN:{kind}"));
        line(
            &mut out,
            &format!("DTSTART:{}", onset.strftime("%Y%m%dT%H%M%S")),
        );
        line(&mut out, &format!("TZOFFSETFROM:{}", ical_offset(before)));
        line(
            &mut out,
            &format!("TZOFFSETTO:{}", ical_offset(info.offset())),
        );
        line(&mut out, &format!("TZNAME:{}", info.abbreviation()));
        line(&mut out, &format!("END:{kind}"));
    }
    line(&mut out, "END:VTIMEZONE");
    out
}

/// `-0600`, `+0530`; seconds are dropped except where a zone has them.
fn ical_offset(offset: jiff::tz::Offset) -> String {
    let total = offset.seconds();
    let sign = if total < 0 { '-' } else { '+' };
    let abs = total.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}
