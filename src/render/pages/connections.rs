//! What the pages show of how you are connected: the Network page, the chain of
//! introductions on a contact's page, and who you know (and could reach) at a company.

use serde::Serialize;
use tera::Context;

use super::Cx;
use crate::model::note::{Choice, Data, NoteId};
use crate::render::network::{self, Group};
use crate::render::view::{ChatRow, Link, Views};

#[derive(Serialize)]
struct NetworkCounts {
    people: usize,
    companies: usize,
    introductions: usize,
    suggestions: usize,
    met: usize,
}

/// The Network page: `svg`, the graph drawn, and `counts` of what it shows.
pub(super) fn network(cx: &Cx, ctx: &mut Context) {
    let views = cx.views;
    let graph = views.network();
    let svg = network::svg(&graph, |id| views.link(id), |id| views.rank(id), cx.root);
    let people = &graph.people;
    let mut companies: Vec<NoteId> = (people.iter())
        .filter_map(|p| match p.group {
            Group::Company(c) => Some(c),
            _ => None,
        })
        .collect();
    companies.sort_unstable();
    companies.dedup();
    let counts = NetworkCounts {
        people: people.len(),
        companies: companies.len(),
        introductions: people.iter().filter(|p| p.introducer.is_some()).count(),
        suggestions: people.iter().map(|p| p.referred.len()).sum(),
        met: people.iter().filter(|p| p.met).count(),
    };
    ctx.insert("svg", &svg);
    ctx.insert("counts", &counts);
}

/// One step of a chain of introductions: who, and how you came to know them.
#[derive(Serialize)]
struct Step<'a> {
    link: Link<'a>,
    source: Option<&'a str>,
}

fn contact_data<'a>(views: &Views<'a>, id: NoteId) -> &'a crate::model::note::Contact {
    match &views.card(id).data {
        Data::Contact(c) => c,
        _ => unreachable!("note {id} is a contact"),
    }
}

/// The contact who introduced `id`, as their card says.
fn introducer(views: &Views, id: NoteId) -> Option<NoteId> {
    network::introducer(|c| views.card(c), id)
}

/// `chain` on a contact's page: the people from the one you knew first to them.
pub(super) fn chain(views: &Views, id: NoteId, ctx: &mut Context) {
    let steps: Vec<Step> = network::chain(id, |c| introducer(views, c))
        .into_iter()
        .map(|c| Step {
            link: views.link(c),
            source: contact_data(views, c).source.as_deref(),
        })
        .collect();
    ctx.insert("chain", &steps);
}

/// A person at a company, as its page lists them.
#[derive(Serialize)]
struct Colleague<'a> {
    link: Link<'a>,
    title: Option<&'a str>,
    status: &'static str,
    introduced_by: Option<Link<'a>>,
    chats: Vec<ChatRow<'a>>,
}

/// Whether contact `id` came from a LinkedIn export (`source: linkedin`) and no one
/// has contacted them yet.
fn linkedin_to_reach(views: &Views, id: NoteId) -> bool {
    let from_linkedin = (contact_data(views, id).source.as_deref())
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("linkedin"));
    from_linkedin && views.contact_facts(id).is_some_and(network::to_reach)
}

/// On a company's page: `people`, those you know there, with who introduced you and
/// your chats, and `to_reach`, its LinkedIn connections no one has contacted yet.
pub(super) fn colleagues(views: &Views, company: NoteId, ctx: &mut Context) {
    let (to_reach, known): (Vec<NoteId>, Vec<NoteId>) =
        (views.people(company).iter()).partition(|&&id| linkedin_to_reach(views, id));
    let person = |id: NoteId| {
        let facts = views.contact_facts(id).cloned().unwrap_or_default();
        Colleague {
            link: views.link(id),
            title: contact_data(views, id).title.as_deref(),
            status: facts.status.name(),
            introduced_by: introducer(views, id).map(|by| views.link(by)),
            chats: (facts.chats.iter())
                .map(|&chat| views.chat_input(chat).row())
                .collect(),
        }
    };
    let mut known: Vec<Colleague> = known.into_iter().map(person).collect();
    let mut to_reach: Vec<Colleague> = to_reach.into_iter().map(person).collect();
    for list in [&mut known, &mut to_reach] {
        list.sort_by_cached_key(|c| c.link.name.to_lowercase());
    }
    ctx.insert("people", &known);
    ctx.insert("to_reach", &to_reach);
}

/// How many people you met at a company, and how many there no one contacted yet.
pub(super) fn met_and_to_reach(views: &Views, company: NoteId) -> (usize, usize) {
    let facts = views
        .people(company)
        .iter()
        .filter_map(|&id| views.contact_facts(id));
    facts.fold((0, 0), |(met, reach), f| {
        (
            met + network::met(f) as usize,
            reach + network::to_reach(f) as usize,
        )
    })
}
