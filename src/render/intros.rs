//! The introduction ledger as pages show it: each name given, who gave it, and how far
//! the loop is closed.

use serde::Serialize;

use crate::model::ledger::{Introduction, Stage, new_contact_command};
use crate::model::note::NoteId;
use crate::render::view::{Link, Views, show_date};

/// One introduction as templates see it.
#[derive(Serialize)]
pub(crate) struct IntroRow<'a> {
    /// Their name, and their page when they are a contact.
    pub name: String,
    pub person: Option<Link<'a>>,
    pub by: Link<'a>,
    /// The chat the name was given in.
    pub chat: Option<Link<'a>>,
    pub given: Option<String>,
    pub contacted: Option<String>,
    pub met: Option<String>,
    pub reported: Option<String>,
    /// `given`, `contacted`, `met` or `reported-back`.
    pub stage: Stage,
    /// The stage in words.
    pub stage_name: &'static str,
    /// For someone who is not a contact yet, the command that makes them one.
    pub create: Option<String>,
}

fn row<'a>(views: &Views<'a>, i: &'a Introduction) -> IntroRow<'a> {
    let by = views.link(i.by);
    let create = match i.person {
        Some(_) => None,
        None => Some(new_contact_command(&i.name, Some(by.name))),
    };
    IntroRow {
        name: i.name.clone(),
        person: i.person.map(|p| views.link(p)),
        by,
        chat: i.chat.map(|c| views.link(c)),
        given: i.given.map(show_date),
        contacted: i.contacted.map(show_date),
        met: i.met.map(|(d, _)| show_date(d)),
        reported: i.reported.map(show_date),
        stage: i.stage,
        stage_name: i.stage.name(),
        create,
    }
}

/// The introductions a contact gave, or was given as, on their page.
pub(crate) fn of_contact<'a>(views: &Views<'a>, id: NoteId) -> Vec<IntroRow<'a>> {
    views.intros_for(id).map(|i| row(views, i)).collect()
}

/// What you owe the person a chat is with: for each person they referred you to whom
/// you met and have not told them about, "You met Priya on … — tell Marcus".
pub(crate) fn owed<'a>(views: &Views<'a>, contact: NoteId) -> Vec<String> {
    let by = views.link(contact).name;
    let first = by.split_whitespace().next().unwrap_or(by);
    views
        .intros_for(contact)
        .filter(|i| i.by == contact && i.stage == Stage::Met)
        .filter_map(|i| {
            let (met, _) = i.met?;
            let who = i.name.split_whitespace().next().unwrap_or(&i.name);
            Some(format!(
                "You met {who} on {} — tell {first}",
                show_date(met)
            ))
        })
        .collect()
}
