//! Embeds of notes, `![[Note]]`, `![[Note#Heading]]`, `![[Note#^block]]`: the note's
//! body, or that part of it, rendered for the page that embeds it, in a box that links
//! to it.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Body, Embedded, Linker, Place, html_escape, page_url, render_in};
use crate::diag::{Diagnostic, Pos};
use crate::model::note::{NoteId, slugify};
use crate::render::obsidian;
use crate::rules::Rule;

/// How deep embeds go: past a note embedded in a note embedded in … this many times, an
/// embed is shown as a link.
const MAX_DEPTH: usize = 4;

/// Stands for an embedded note's box until the body's events are all made: `\0box`
/// and the box's number. The parser turns NUL into U+FFFD, so no note holds it.
const BOX: &str = "\0box";

impl Linker<'_> {
    /// Embeds note `to` (or its `part`), whose page is at `url`: its text in a box, or,
    /// past the deepest embed or where it would show itself, a link.
    pub(super) fn embed_note(
        &mut self,
        to: NoteId,
        url: String,
        shown: String,
        part: Option<&str>,
        pos: Pos,
    ) -> Embedded {
        let outermost = self.within.first().copied().unwrap_or(self.id);
        if to == self.id || self.within.contains(&to) {
            // Reported once, by the render of the note the loop starts from.
            if to == outermost {
                self.embeds_itself(to, pos);
            }
            return Embedded::Note(url, shown);
        }
        if self.within.len() + 1 >= MAX_DEPTH {
            return Embedded::Note(url, shown);
        }
        let place = Place {
            root: self.root.clone(),
            within: [self.within.as_slice(), &[self.id]].concat(),
        };
        let Some(body) = render_in(self.vault, self.files, to, &place, part) else {
            let what = part.unwrap_or_default();
            let why = format!(
                "`{}` has no heading or block `{what}`",
                self.vault.notes[to].name
            );
            self.warn_missing(&shown, pos, &why);
            return Embedded::Missing(shown);
        };
        let html = self.take_in(to, body);
        Embedded::Shown(url, shown, html)
    }

    /// Keeps what the embedded note's body depends on as this body's own: the notes it
    /// links to and looked for, its files, and the notes it embeds. Returns its HTML.
    fn take_in(&mut self, to: NoteId, body: Body) -> String {
        for link in body.links {
            if !self.body.links.contains(&link) {
                self.body.links.push(link);
            }
        }
        self.body.lookups.extend(body.lookups);
        for file in body.attachments {
            if !self.body.attachments.contains(&file) {
                self.body.attachments.push(file);
            }
        }
        for note in std::iter::once(to).chain(body.embeds) {
            if !self.body.embeds.contains(&note) {
                self.body.embeds.push(note);
            }
        }
        let loops = body.diagnostics.into_iter();
        let loops = loops.filter(|d| d.rule == Rule::EmbedLoop);
        self.body.diagnostics.extend(loops);
        body.html
    }

    fn embeds_itself(&mut self, to: NoteId, pos: Pos) {
        let rel = &self.vault.notes[self.id].source.rel;
        let name = &self.vault.notes[to].name;
        let d = Diagnostic::new(
            Rule::EmbedLoop,
            rel,
            pos,
            format!(
                "this embed of `{name}` would show `{name}` inside itself, since `{name}` \
                 embeds this note; on its page it is shown as a link"
            ),
        )
        .with_hint("embed a part of the note that does not embed this one, or link to it");
        self.body.diagnostics.push(d);
    }

    /// Stands for the box of an embedded note until [`Linker::place_boxes`].
    pub(super) fn boxed(&mut self, url: &str, shown: &str, html: &str) -> String {
        let (url, shown) = (html_escape(url), html_escape(shown));
        let block = format!(
            "<div class=\"embed\">\n<p class=\"embed-source\"><a href=\"{url}\">{shown}</a></p>\n{html}</div>\n"
        );
        let inline = format!("<a class=\"embed-link\" href=\"{url}\">{shown}</a>");
        self.boxes.push((block, inline));
        format!("{BOX}{}", self.boxes.len() - 1)
    }

    /// Puts each embedded note's box in place of its paragraph, where the embed is the
    /// paragraph's only content; an embed inside a line of text becomes a link, since a
    /// box cannot sit in a line.
    pub(super) fn place_boxes(&mut self, events: &mut [Event]) {
        let boxes = std::mem::take(&mut self.boxes);
        for at in 0..events.len() {
            let Event::InlineHtml(html) = &events[at] else {
                continue;
            };
            let number = html.strip_prefix(BOX).and_then(|n| n.parse().ok());
            let Some((block, inline)) = number.and_then(|n: usize| boxes.get(n)) else {
                continue;
            };
            match alone_in_paragraph(events, at) {
                Some((open, close)) => {
                    events[open] = Event::Text("".into());
                    events[close] = Event::Text("".into());
                    events[at] = Event::Html(block.clone().into());
                }
                None => events[at] = Event::InlineHtml(inline.clone().into()),
            }
        }
    }

    /// The URL of this body's own page from the page it is shown on: empty on its own
    /// page, its page's address inside an embed.
    pub(super) fn own_page(&self) -> String {
        match self.within.is_empty() {
            true => String::new(),
            false => {
                let note = &self.vault.notes[self.id];
                format!("{}{}", self.root, page_url(note.kind, &note.slug))
            }
        }
    }
}

/// The part of a body's `events` that `part` names: a heading and what follows it up
/// to the next heading of its level or higher, or (`^id`) the block with that id.
pub(super) fn part<'e>(events: Vec<Event<'e>>, part: &str) -> Option<Vec<Event<'e>>> {
    match part.strip_prefix('^') {
        Some(block) => block_part(events, &obsidian::block_anchor(block.trim())),
        None => section(events, part),
    }
}

fn section<'e>(events: Vec<Event<'e>>, heading: &str) -> Option<Vec<Event<'e>>> {
    let wanted = slugify(heading);
    let start = (0..events.len()).find(|&i| {
        matches!(events[i], Event::Start(Tag::Heading { .. }))
            && slugify(&heading_text(&events, i)) == wanted
    })?;
    let Event::Start(Tag::Heading { level, .. }) = events[start] else {
        return None;
    };
    let end = (start + 1..events.len())
        .find(|&i| matches!(events[i], Event::Start(Tag::Heading { level: l, .. }) if l <= level))
        .unwrap_or(events.len());
    Some(events.into_iter().take(end).skip(start).collect())
}

/// The block whose opening tag (written by the block-id pass) has `id="anchor"`, up
/// to where it closes; a list item is put in a list of its own.
fn block_part<'e>(events: Vec<Event<'e>>, anchor: &str) -> Option<Vec<Event<'e>>> {
    let marker = format!(" id=\"{anchor}\"");
    let start = events
        .iter()
        .position(|e| matches!(e, Event::Html(h) if h.contains(&marker)))?;
    let mut depth = 0usize;
    let mut end = None;
    for (i, e) in events.iter().enumerate().skip(start + 1) {
        match e {
            Event::Start(_) => depth += 1,
            Event::Html(h) if h.starts_with("<div") => depth += 1,
            Event::End(TagEnd::Paragraph | TagEnd::Item) if depth == 0 => end = Some(i),
            Event::Html(h) if h.starts_with("</div") && depth == 0 => end = Some(i),
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(h) if h.starts_with("</div") => depth -= 1,
            _ => {}
        }
        if end.is_some() {
            break;
        }
    }
    let end = end?;
    let is_item = matches!(&events[start], Event::Html(h) if h.starts_with("<li"));
    let mut taken: Vec<Event<'e>> = events.into_iter().take(end + 1).skip(start).collect();
    if is_item {
        taken.insert(0, Event::Html("<ul>\n".into()));
        taken.push(Event::Html("</ul>\n".into()));
    }
    Some(taken)
}

/// The text of the heading that starts at `at`.
fn heading_text(events: &[Event], at: usize) -> String {
    events[at + 1..]
        .iter()
        .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// The paragraph around the event at `at`, when the event is all it holds (but for
/// empty text): its start and its end.
fn alone_in_paragraph(events: &[Event], at: usize) -> Option<(usize, usize)> {
    let empty = |e: &Event| matches!(e, Event::Text(t) if t.is_empty());
    let before = (0..at).rev().find(|&i| !empty(&events[i]))?;
    let after = (at + 1..events.len()).find(|&i| !empty(&events[i]))?;
    let opens = matches!(events[before], Event::Start(Tag::Paragraph));
    let closes = matches!(events[after], Event::End(TagEnd::Paragraph));
    (opens && closes).then_some((before, after))
}

/// Takes the ids off an embedded body: the page's ids are its own note's. Headings lose
/// theirs; a block's opening tag, written by the block-id pass, loses its `id`.
pub(super) fn drop_ids(events: &mut [Event]) {
    for e in events {
        match e {
            Event::Start(Tag::Heading { id, .. }) => *id = None,
            Event::Html(h) if h.contains(" id=\"block-") => {
                let start = h.find(" id=\"block-").unwrap_or_default();
                let end = h[start + 5..]
                    .find('"')
                    .map_or(h.len(), |e| start + 5 + e + 1);
                *h = format!("{}{}", &h[..start], &h[end..]).into();
            }
            _ => {}
        }
    }
}
