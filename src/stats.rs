//! Progress you can see: chats a week against the goal, the funnel from outreach to
//! referral, reply rates by how you found people, names given per chat, and the days
//! from outreach to chat. The Progress page draws them, the dashboard shows the week,
//! and `coffeechat stats` prints them. Made whole from the vault and the agenda: a
//! pass over the contacts and chats, cheap next to the rest of a build.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::Serialize;

use crate::model::Vault;
use crate::model::agenda::Agenda;
use crate::model::note::{ChatStatus, Contact, Data, Kind, NoteId};

/// How many weeks the weekly chart shows, ending with this one.
pub(crate) const WEEKS: usize = 12;

/// Every figure, as `coffeechat stats --format json` prints it.
#[derive(Clone, Debug, PartialEq, Hash, Serialize)]
pub(crate) struct Stats {
    pub version: u32,
    pub today: String,
    pub weekly_goal: u32,
    /// The last [`WEEKS`] weeks, oldest first, this week last.
    pub weeks: Vec<Week>,
    /// Weeks in a row, back from this week (or last week, while this one is under
    /// way and short of the goal), that met the goal.
    pub streak: usize,
    pub funnel: Funnel,
    /// By contact `source`, in name order; "not noted" for contacts without one.
    pub reply_rate: Vec<Replies>,
    pub referrals_per_chat: Referrals,
    pub outreach_to_chat: Days,
}

/// One week, Monday to Sunday.
#[derive(Clone, Debug, PartialEq, Hash, Serialize)]
pub(crate) struct Week {
    /// Its Monday.
    pub week: String,
    /// Chats done that week.
    pub chats: usize,
    /// Outreach logged that week.
    pub outreach: usize,
    pub met_goal: bool,
}

/// How many contacts got how far.
#[derive(Clone, Debug, Default, PartialEq, Hash, Serialize)]
pub(crate) struct Funnel {
    /// An outreach logged, or a chat.
    pub reached_out: usize,
    /// A reply logged, or a chat agreed (scheduled or done).
    pub replied: usize,
    /// A done chat.
    pub met: usize,
    /// They gave you at least one name.
    pub referred: usize,
}

#[derive(Clone, Debug, PartialEq, Hash, Serialize)]
pub(crate) struct Replies {
    pub source: String,
    pub reached_out: usize,
    pub replied: usize,
    /// Replied out of reached, in whole percent.
    pub rate: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Hash, Serialize)]
pub(crate) struct Referrals {
    /// Done chats.
    pub chats: usize,
    /// Names given in them.
    pub referrals: usize,
    /// Names per chat, to two decimals, as text ("0.75").
    pub average: String,
    /// How many chats gave 0, 1, 2, and 3 or more names.
    pub histogram: [usize; 4],
}

#[derive(Clone, Debug, Default, PartialEq, Hash, Serialize)]
pub(crate) struct Days {
    /// For each contact met after an outreach: days from their first outreach to the
    /// first done chat after it, in contact path order.
    pub days: Vec<i64>,
    /// The median, to one decimal, as text; null without any.
    pub median: Option<String>,
}

impl Stats {
    pub(crate) fn new(vault: &Vault, agenda: &Agenda) -> Stats {
        let today = vault.today;
        let goal = vault.settings.weekly_goal;
        let weeks = weeks(vault, goal);
        let current_short = weeks.last().is_some_and(|w| !w.met_goal);
        let back = weeks.iter().rev().skip(usize::from(current_short));
        let streak = back.take_while(|w| w.met_goal).count();
        let people = people(vault, agenda);
        Stats {
            version: 1,
            today: today.to_string(),
            weekly_goal: goal,
            weeks,
            streak,
            funnel: funnel(&people),
            reply_rate: reply_rate(&people),
            referrals_per_chat: referrals(vault, agenda),
            outreach_to_chat: days(&people),
        }
    }

    /// The figures as `coffeechat stats` prints them for people.
    pub(crate) fn human(&self) -> String {
        let mut out = String::new();
        let week = self.weeks.last();
        let this = week.map_or(0, |w| w.chats);
        let outreach = week.map_or(0, |w| w.outreach);
        out.push_str(&format!(
            "This week: {this} of {} chats, {outreach} outreach; streak: {} weeks met the goal\n",
            self.weekly_goal, self.streak
        ));
        out.push_str("\nChats a week (Monday):\n");
        for w in &self.weeks {
            let mark = if w.met_goal { "  goal met" } else { "" };
            out.push_str(&format!(
                "  {}  {:>3} chats  {:>3} outreach{mark}\n",
                w.week, w.chats, w.outreach
            ));
        }
        let f = &self.funnel;
        out.push_str(&format!(
            "\nFunnel: {} reached out, {} replied, {} met, {} referred you on\n",
            f.reached_out, f.replied, f.met, f.referred
        ));
        out.push_str("\nReply rate by source:\n");
        for r in &self.reply_rate {
            out.push_str(&format!(
                "  {:<16} {:>3} of {:>3} ({}%)\n",
                r.source, r.replied, r.reached_out, r.rate
            ));
        }
        let r = &self.referrals_per_chat;
        out.push_str(&format!(
            "\nReferrals per chat: {} names from {} chats ({} a chat)\n",
            r.referrals, r.chats, r.average
        ));
        let median = self
            .outreach_to_chat
            .median
            .as_deref()
            .unwrap_or("none yet");
        out.push_str(&format!(
            "Median days from outreach to chat: {median} ({} contacts)\n",
            self.outreach_to_chat.days.len()
        ));
        out
    }
}

/// The Monday of `d`'s week.
fn monday(d: Date) -> Date {
    let back = i64::from(d.weekday().to_monday_zero_offset());
    d.saturating_sub(back.days())
}

fn weeks(vault: &Vault, goal: u32) -> Vec<Week> {
    let today = vault.today;
    let first = monday(today).saturating_sub(((WEEKS as i64 - 1) * 7).days());
    let slot = |d: Date| -> Option<usize> {
        let i = (d - first).get_days().div_euclid(7);
        (d >= first && d <= today && (i as usize) < WEEKS).then_some(i as usize)
    };
    let (mut chats, mut outreach) = ([0usize; WEEKS], [0usize; WEEKS]);
    for id in vault.ids_of(Kind::Interview) {
        if let Data::Interview(chat) = &vault.notes[id].data
            && chat.status_on(today) == ChatStatus::Done
            && let Some(i) = chat.when.and_then(|w| slot(w.date))
        {
            chats[i] += 1;
        }
    }
    for id in vault.ids_of(Kind::Contact) {
        if let Data::Contact(c) = &vault.notes[id].data {
            let dates = outreach_dates(c);
            dates.filter_map(slot).for_each(|i| outreach[i] += 1);
        }
    }
    (0..WEEKS)
        .map(|i| {
            let week = first.saturating_add((i as i64 * 7).days());
            debug_assert_eq!(week.weekday(), Weekday::Monday);
            Week {
                week: week.to_string(),
                chats: chats[i],
                outreach: outreach[i],
                met_goal: chats[i] >= goal as usize,
            }
        })
        .collect()
}

fn outreach_dates(c: &Contact) -> impl Iterator<Item = Date> + '_ {
    let outreach = c
        .log
        .iter()
        .filter(|e| e.kind.as_deref() == Some("outreach"));
    outreach.filter_map(|e| Some(e.date?.date))
}

/// What the funnel and the rates read of one contact.
struct Person<'a> {
    source: Option<&'a str>,
    first_outreach: Option<Date>,
    replied: bool,
    /// Their done chats' days, oldest first.
    met: Vec<Date>,
    any_chat: bool,
    referred: bool,
}

fn people<'a>(vault: &'a Vault, agenda: &Agenda) -> Vec<Person<'a>> {
    let today = vault.today;
    let ids: Vec<NoteId> = vault.ids_of(Kind::Contact).collect();
    ids.into_iter()
        .filter_map(|id| {
            let Data::Contact(c) = &vault.notes[id].data else {
                return None;
            };
            let chats = agenda.contacts[id]
                .as_ref()
                .map_or(&[][..], |f| &f.chats[..]);
            let statuses: Vec<(Option<Date>, ChatStatus)> = chats
                .iter()
                .filter_map(|&chat| match &vault.notes[chat].data {
                    Data::Interview(i) => Some((i.when.map(|w| w.date), i.status_on(today))),
                    _ => None,
                })
                .collect();
            let agreed = statuses
                .iter()
                .any(|(_, s)| matches!(s, ChatStatus::Scheduled | ChatStatus::Done));
            let reply = c.log.iter().any(|e| e.kind.as_deref() == Some("reply"));
            let done = statuses.iter().filter(|(_, s)| *s == ChatStatus::Done);
            Some(Person {
                source: c.source.as_deref(),
                first_outreach: outreach_dates(c).filter(|&d| d <= today).min(),
                replied: reply || agreed,
                met: done.filter_map(|(d, _)| *d).collect(),
                any_chat: !statuses.is_empty(),
                referred: agenda.intros_for(id).any(|i| i.by == id),
            })
        })
        .collect()
}

fn funnel(people: &[Person]) -> Funnel {
    let count = |f: &dyn Fn(&Person) -> bool| people.iter().filter(|p| f(p)).count();
    Funnel {
        reached_out: count(&|p| p.first_outreach.is_some() || p.any_chat),
        replied: count(&|p| p.replied),
        met: count(&|p| !p.met.is_empty()),
        referred: count(&|p| p.referred),
    }
}

fn reply_rate(people: &[Person]) -> Vec<Replies> {
    let mut by_source: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for p in people.iter().filter(|p| p.first_outreach.is_some()) {
        let entry = by_source
            .entry(p.source.unwrap_or("not noted"))
            .or_default();
        entry.0 += 1;
        entry.1 += usize::from(p.replied);
    }
    by_source
        .into_iter()
        .map(|(source, (reached_out, replied))| Replies {
            source: source.to_string(),
            reached_out,
            replied,
            rate: (replied * 100 + reached_out / 2) / reached_out,
        })
        .collect()
}

fn referrals(vault: &Vault, agenda: &Agenda) -> Referrals {
    let today = vault.today;
    let mut given: BTreeMap<NoteId, usize> = BTreeMap::new();
    for i in agenda.intros() {
        if let Some(chat) = i.chat {
            *given.entry(chat).or_default() += 1;
        }
    }
    let mut r = Referrals::default();
    for id in vault.ids_of(Kind::Interview) {
        let Data::Interview(chat) = &vault.notes[id].data else {
            continue;
        };
        if chat.status_on(today) != ChatStatus::Done {
            continue;
        }
        let names = given.get(&id).copied().unwrap_or(0);
        r.chats += 1;
        r.referrals += names;
        r.histogram[names.min(3)] += 1;
    }
    r.average = match r.chats {
        0 => "0.00".into(),
        n => format!("{:.2}", r.referrals as f64 / n as f64),
    };
    r
}

fn days(people: &[Person]) -> Days {
    let days: Vec<i64> = people
        .iter()
        .filter_map(|p| {
            let from = p.first_outreach?;
            let met = p.met.iter().copied().filter(|&d| d >= from).min()?;
            Some((met - from).get_days().into())
        })
        .collect();
    let mut sorted = days.clone();
    sorted.sort_unstable();
    let n = sorted.len();
    let median = match n {
        0 => None,
        _ if n % 2 == 1 => Some(format!("{:.1}", sorted[n / 2] as f64)),
        _ => Some(format!(
            "{:.1}",
            (sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0
        )),
    };
    Days { days, median }
}
