//! Note bodies: Markdown to HTML, with wikilinks and relative links turned into page links.

use std::collections::{BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::diag::{Diagnostic, Pos};
use crate::model::Vault;
use crate::model::note::{Data, NoteId, link_target, page_url, slugify};
use crate::model::refs::{Miss, Touched, fold};
use crate::render::{files, html_escape, obsidian, sanitize};
use crate::rules::Rule;

mod embed;

/// The page that lists the notes of each tag, at the site's root.
pub(crate) const TAGS_PAGE: &str = "tags.html";

/// Output folder for attachments, which keep their vault path below it.
pub(crate) const FILES_DIR: &str = "files";

/// A note body rendered for a page one folder below the site root.
#[derive(Debug, Default, Clone)]
pub(crate) struct Body {
    pub html: String,
    /// A hash of `html`, made once: a rebuild compares every body's.
    pub hash: u64,
    /// A hash of `text` and `words` alone, which is all the search index shows of the
    /// body.
    pub text_hash: u64,
    /// Notes this body links to, in order of first appearance.
    pub links: Vec<NoteId>,
    /// Vault files this body links to, to copy into the output.
    pub attachments: Vec<PathBuf>,
    /// The inline `#tags` of the body, as first written, without repeats.
    pub tags: Vec<String>,
    /// The start of the words the body shows on its own page, without markup, for the
    /// search index; `words` has the rest ([`crate::render::search::body_words`]).
    pub text: String,
    /// Each word the body shows past `text` that `text` lacks, once, in lower case.
    pub words: String,
    /// Notes whose text this body shows, embedded (`![[Note]]`), at any depth: it is
    /// rendered again when one of them changes.
    pub embeds: Vec<NoteId>,
    pub diagnostics: Vec<Diagnostic>,
    /// For a chat's body on its own page, where its prep lies in `html`
    /// ([`crate::model::prep`]); the notes follow it. Empty for other bodies.
    pub prep: std::ops::Range<usize>,
    /// Each note this body looked for and the note found, if one was, so that a
    /// rebuild after notes are added or removed can tell whether this body changes.
    pub lookups: Vec<(Lookup, Option<NoteId>)>,
    /// The targets of this body's links that found no note, as written: the warning
    /// of each suggests the closest name.
    pub missing: Vec<String>,
}

/// How a body looked for a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// By name (folded, as the index keys it), from a `[[wikilink]]` in a note in the
    /// folder given.
    Name(String, PathBuf),
    /// By vault path, from a relative link.
    Path(PathBuf),
}

impl Lookup {
    /// The note found now, if exactly one is.
    pub(crate) fn find(&self, vault: &Vault) -> Option<NoteId> {
        match self {
            Lookup::Name(target, from) => {
                match vault.index.resolve_link(&vault.notes, target, from) {
                    Ok((id, many)) => many.is_empty().then_some(id),
                    Err(_) => None,
                }
            }
            Lookup::Path(rel) => vault.index.at_path(rel),
        }
    }

    /// Whether notes leaving or joining the index under `touched` may change what this
    /// lookup finds.
    pub(crate) fn touched_by(&self, touched: &Touched) -> bool {
        match self {
            Lookup::Name(key, _) => touched.name(key),
            Lookup::Path(rel) => touched.path(rel),
        }
    }
}

/// The parser's options for note bodies; comments are found with the same ones.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
}

/// Renders note `id`'s body. Links are written relative to the note's own page
/// (`contacts/…`, or deeper for a plain note in a folder), where the body is shown.
pub(crate) fn render(vault: &Vault, files: &BTreeSet<PathBuf>, id: NoteId) -> Body {
    let note = &vault.notes[id];
    let depth = page_url(note.kind, &note.slug).matches('/').count();
    let place = Place {
        root: "../".repeat(depth),
        within: Vec::new(),
    };
    let mut body = render_in(vault, files, id, &place, None).unwrap_or_default();
    // Every body is kept until all pages are rendered: drop the slack of its growth.
    body.html.shrink_to_fit();
    // Split once here, as the search index keeps it: a body is rendered again only
    // when it changed, and the index's shards are made again far more often.
    let (kept, words) = crate::render::search::body_words(&body.text);
    (body.text, body.words) = (kept.to_string(), words);
    body.text_hash = crate::memo::hash(&(&body.text, &body.words));
    body.hash = crate::memo::hash(&(&body.html, body.text_hash));
    body
}

/// Where a body is shown: the way from the page up to the site's root folder, and the
/// notes it is embedded in, outermost first (none on its own page).
struct Place {
    root: String,
    within: Vec<NoteId>,
}

/// Renders note `id`'s body for `place`: whole, or only the `#Heading` or `#^block`
/// that `part` names, for an embed; `None` when the note has no such part.
fn render_in(
    vault: &Vault,
    files: &BTreeSet<PathBuf>,
    id: NoteId,
    place: &Place,
    part: Option<&str>,
) -> Option<Body> {
    let note = &vault.notes[id];
    let text = note.source.body();
    let mut ctx = Linker {
        vault,
        files,
        id,
        root: place.root.clone(),
        within: place.within.clone(),
        body: Body::default(),
        in_broken_link: false,
        relabel: None,
        in_remote_image: false,
        embed: None,
        boxes: Vec::new(),
        raw: false,
        same_page: Vec::new(),
    };
    let mut events: Vec<Event> = Vec::new();
    let positions = std::cell::RefCell::new(Positions::new(&note.source.text));
    // A chat's prep is marked on its own page, where the briefing finds it.
    let mut prep = PrepMarks::new(match &note.data {
        Data::Interview(chat) if place.within.is_empty() => Some(chat.prep.clone()),
        _ => None,
    });
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        prep.mark(&mut events, &event, range.start);
        let start = note.source.text_offset(range.start);
        let at = || positions.borrow_mut().of(start, range.len());
        events.push(ctx.rewrite(event, at));
    }
    prep.finish(&mut events);
    if let Some(open) = note.source.uncommented.as_ref().and_then(|u| u.unclosed) {
        let at = positions.borrow_mut().of(note.source.body_start + open, 2);
        ctx.unclosed_comment(at);
    }
    let (events, mut anchors) = obsidian::callouts(events);
    let (events, blocks) = obsidian::block_ids(events);
    anchors.extend(blocks.anchors);
    ctx.repeated_blocks(&blocks.repeated, &mut positions.borrow_mut());
    let events = obsidian::highlights(events);
    let (mut events, tags) = obsidian::tags(events, &format!("{}{TAGS_PAGE}", ctx.root));
    ctx.body.tags = tags;
    let ids = add_heading_ids(&mut events, anchors);
    ctx.check_same_page(&mut events, &ids);
    ctx.place_boxes(&mut events);
    let mut events = crate::render::autolink::autolink(events);
    if !place.within.is_empty() {
        events = match part {
            Some(part) => embed::part(events, part)?,
            None => events,
        };
        embed::drop_ids(&mut events);
    } else {
        ctx.body.text = plain_text(&events);
    }
    html::push_html(&mut ctx.body.html, events.into_iter());
    // Markdown alone makes safe HTML: only raw HTML and odd link schemes need cleaning.
    if ctx.raw {
        let (clean, remote) = sanitize::clean(&ctx.body.html);
        ctx.body.html = clean;
        for (url, instead) in remote {
            let offset = note.source.text_offset(text.find(&url).unwrap_or(0));
            let at = positions.borrow_mut().of(offset, url.len());
            ctx.remote(&url, at, instead);
        }
    }
    ctx.body.prep = prep.take(&mut ctx.body.html);
    Some(ctx.body)
}

/// The text of a body's events, a line per block: what a reader sees, for search.
/// Embedded notes (raw HTML placeholders here) are left out: they are found on their
/// own pages.
fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) if !text.ends_with('\n') => text.push('\n'),
            _ => {}
        }
    }
    text.truncate(text.trim_end().len());
    text
}

/// Stands in a chat's events where its prep starts and ends until they are HTML: the
/// passes over events move and merge them, but keep a raw block between blocks.
const PREP_MARK: &str = "<div class=\"coffeechat-prep-mark\"></div>\n";

/// Puts [`PREP_MARK`]s between the top-level blocks of a chat's body where its prep
/// starts and ends, and finds them again in its HTML.
struct PrepMarks {
    /// The source offsets still to mark, first last.
    todo: Vec<usize>,
    depth: usize,
    on: bool,
}

impl PrepMarks {
    /// Marks for the prep at `prep` (source offsets in the body), if any.
    fn new(prep: Option<std::ops::Range<usize>>) -> PrepMarks {
        PrepMarks {
            on: prep.is_some(),
            todo: prep.map_or_else(Vec::new, |p| vec![p.end, p.start]),
            depth: 0,
        }
    }

    /// Marks before `event`, which starts at source offset `at`, when it is the first
    /// top-level block at or after the next place to mark.
    fn mark(&mut self, events: &mut Vec<Event>, event: &Event, at: usize) {
        if self.depth == 0 {
            while self.todo.last().is_some_and(|&next| at >= next) {
                self.todo.pop();
                events.push(Event::Html(PREP_MARK.into()));
            }
        }
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth -= 1,
            _ => {}
        }
    }

    /// Marks the places left at the end of the body.
    fn finish(&mut self, events: &mut Vec<Event>) {
        for _ in self.todo.drain(..) {
            events.push(Event::Html(PREP_MARK.into()));
        }
    }

    /// Takes the marks out of `html` and returns where the prep lies in it.
    fn take(&self, html: &mut String) -> std::ops::Range<usize> {
        if !self.on {
            return 0..0;
        }
        let mut at = [0; 2];
        for place in &mut at {
            match html.find(PREP_MARK) {
                Some(found) => {
                    html.replace_range(found..found + PREP_MARK.len(), "");
                    *place = found;
                }
                None => *place = html.len(),
            }
        }
        at[0]..at[1].max(at[0])
    }
}

struct Linker<'a> {
    vault: &'a Vault,
    files: &'a BTreeSet<PathBuf>,
    id: NoteId,
    /// The way from the page the body is shown on up to the site's root folder.
    root: String,
    /// The notes this body is embedded in, outermost first.
    within: Vec<NoteId>,
    body: Body,
    in_broken_link: bool,
    /// The text to show for a `[[Target]]` without a `|label`: the note's name, as
    /// Obsidian shows it, instead of the raw target.
    relabel: Option<String>,
    /// Inside a web image written in Markdown, which is shown as a link instead.
    in_remote_image: bool,
    /// Inside an embed, `![[file]]`, whose label is gathered to write it at its end.
    embed: Option<Embed>,
    /// Embedded notes, each as a box and as a link: a box where it is a paragraph of
    /// its own, a link inside a line of text.
    boxes: Vec<(String, String)>,
    /// Whether the body has raw HTML or a link with an unusual scheme, to clean.
    raw: bool,
    /// Links to a place on the note's own page, checked once its ids are known.
    same_page: Vec<SamePageLink>,
}

/// An embed being read: what it found, and its label as written (after `|`).
struct Embed {
    found: Embedded,
    label: Option<String>,
}

enum Embedded {
    File(PathBuf),
    /// A note shown as a link to it, its URL and the text to show: past the deepest
    /// embed, or where it would embed itself.
    Note(String, String),
    /// A note's text in a box: its URL, the text to show and its rendered part.
    Shown(String, String, String),
    Missing(String),
}

/// Stands for a link to a place on the note's own page until the page's ids are
/// known: `#` and this, then the link's number. The parser turns NUL into U+FFFD, so no
/// link in a note is written so.
const SAME_PAGE: &str = "#\0";

/// A link to `#fragment` on the note's own page.
struct SamePageLink {
    /// The ids it may mean, best first: as written, then as a heading's or a block's id.
    ids: Vec<String>,
    /// The fragment as written.
    written: String,
    pos: Pos,
}

impl<'a> Linker<'a> {
    fn rewrite<'e>(&mut self, event: Event<'e>, at: impl Fn() -> Pos) -> Event<'e> {
        match event {
            Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                self.start_embed(&dest_url, has_pothole, &at);
                Event::Text("".into())
            }
            Event::End(TagEnd::Image) if self.embed.is_some() => {
                Event::InlineHtml(self.end_embed().into())
            }
            Event::Text(text) if self.embed.is_some() => {
                if let Some(label) = self.embed.as_mut().and_then(|e| e.label.as_mut()) {
                    label.push_str(&text);
                }
                Event::Text("".into())
            }
            _ if self.embed.is_some() => Event::Text("".into()),
            // The alt text of a web image is not shown: its link says what it is.
            Event::End(TagEnd::Image) if self.in_remote_image => {
                self.in_remote_image = false;
                Event::Text("".into())
            }
            _ if self.in_remote_image => Event::Text("".into()),
            Event::Html(_) | Event::InlineHtml(_) => {
                self.raw = true;
                event
            }
            Event::Start(Tag::Image { dest_url, .. }) if sanitize::loads_remote(&dest_url) => {
                self.in_remote_image = true;
                self.remote(&dest_url, at(), "is shown as a link");
                Event::InlineHtml(sanitize::remote_link(&dest_url, "image").into())
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.link(link_type, dest_url, title, id, at),
            Event::Text(_) if self.relabel.is_some() => {
                Event::Text(self.relabel.take().unwrap_or_default().into())
            }
            Event::End(TagEnd::Link) if self.in_broken_link => {
                self.in_broken_link = false;
                Event::InlineHtml("</span>".into())
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.raw |= sanitize::unusual_scheme(&dest_url);
                let url = self
                    .relative(&dest_url, at)
                    .flatten()
                    .map_or(dest_url, CowStr::from);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: url,
                    title,
                    id,
                })
            }
            other => other,
        }
    }

    /// A link's start, made to point where it leads on the site; a link that leads
    /// nowhere starts a span shown as missing.
    fn link<'e>(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'e>,
        title: CowStr<'e>,
        id: CowStr<'e>,
        at: impl Fn() -> Pos,
    ) -> Event<'e> {
        self.raw |= sanitize::unusual_scheme(&dest_url);
        let dest = match link_type {
            LinkType::WikiLink { has_pothole } => {
                let found = self.wikilink(&dest_url, at);
                if let (Some((_, label, _)), false) = (&found, has_pothole) {
                    self.relabel = Some(label.clone());
                }
                found.map(|(url, _, _)| url)
            }
            _ if dest_url.len() > 1 && dest_url.starts_with('#') => {
                let written = percent_decode(&dest_url[1..]);
                let ids = vec![written.clone(), slugify(&written)];
                Some(self.same_page(ids, &written, at()))
            }
            _ => self
                .relative(&dest_url, at)
                .unwrap_or(Some(dest_url.to_string())),
        };
        match dest {
            Some(url) => Event::Start(Tag::Link {
                link_type,
                dest_url: url.into(),
                title,
                id,
            }),
            None => {
                self.in_broken_link = true;
                broken_link(&format!("No note called “{}” yet", link_target(&dest_url)))
            }
        }
    }

    /// Starts reading `![[dest]]`: a vault file, found as Obsidian finds it, or a note.
    fn start_embed(&mut self, dest: &str, labelled: bool, at: impl Fn() -> Pos + Copy) {
        // `![[icon.svg#icon]]`: the fragment is the file's business.
        let name = dest.split('#').next().unwrap_or(dest).trim();
        let rel = &self.vault.notes[self.id].source.rel;
        let is_file = Path::new(name).extension().is_some_and(|e| e != "md");
        let found = match files::find(self.files, name, rel) {
            Some(path) => {
                if !self.body.attachments.contains(&path) {
                    self.body.attachments.push(path.clone());
                }
                Embedded::File(path)
            }
            None if is_file => {
                self.warn_missing(dest, at(), "no such file in the vault");
                Embedded::Missing(name.to_string())
            }
            None => match self.wikilink(dest, at) {
                Some((url, label, Some(to))) => {
                    let part = dest.split_once('#').map(|(_, p)| p.trim());
                    self.embed_note(to, url, label, part, at())
                }
                Some((url, label, None)) => Embedded::Note(url, label),
                None => Embedded::Missing(name.to_string()),
            },
        };
        let label = labelled.then(String::new);
        self.embed = Some(Embed { found, label });
    }

    /// The HTML of the embed just read: an image, audio or video player, or a link.
    fn end_embed(&mut self) -> String {
        let Some(Embed { found, label }) = self.embed.take() else {
            return String::new();
        };
        let size = label.as_deref().and_then(files::size);
        let label = label.filter(|_| size.is_none());
        match found {
            Embedded::File(path) => {
                let url = html_escape(&format!("{}{FILES_DIR}/{}", self.root, url_path(&path)));
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                let alt = html_escape(label.as_deref().unwrap_or(&name));
                let (width, height) = match size {
                    Some((w, h)) => (
                        format!(" width=\"{w}\""),
                        h.map(|h| format!(" height=\"{h}\"")),
                    ),
                    None => (String::new(), None),
                };
                let height = height.unwrap_or_default();
                match files::Shown::of(&path) {
                    files::Shown::Image => {
                        format!("<img src=\"{url}\" alt=\"{alt}\"{width}{height}>")
                    }
                    files::Shown::Audio => format!("<audio controls src=\"{url}\"></audio>"),
                    files::Shown::Video => {
                        format!("<video controls src=\"{url}\"{width}{height}></video>")
                    }
                    files::Shown::Link => format!("<a href=\"{url}\">{alt}</a>"),
                }
            }
            Embedded::Note(url, shown) => format!(
                "<a href=\"{}\">{}</a>",
                html_escape(&url),
                html_escape(label.as_deref().unwrap_or(&shown))
            ),
            Embedded::Shown(url, shown, html) => {
                let shown = label.as_deref().unwrap_or(&shown);
                self.boxed(&url, shown, &html)
            }
            Embedded::Missing(name) => format!(
                "<span class=\"broken-link\" title=\"{}\">{}</span>",
                html_escape(&format!("Nothing called “{name}” to show")),
                html_escape(&name)
            ),
        }
    }

    /// `[[Target]]`, `[[Target#Heading]]`, `[[#Heading]]`: the URL, the text to show
    /// when the link has no label of its own, and the note (none for one on this
    /// page); `None` when nothing matches.
    fn wikilink(
        &mut self,
        dest: &str,
        at: impl Fn() -> Pos,
    ) -> Option<(String, String, Option<NoteId>)> {
        let target = link_target(dest);
        let heading = dest.split_once('#').map(|(_, h)| h.trim());
        if target.is_empty() {
            let heading = heading.unwrap_or_default();
            let url = self.same_page(vec![anchor_of(heading)], heading, at());
            return Some((url, heading.to_string(), None));
        }
        let rel = &self.vault.notes[self.id].source.rel;
        // `[[paper.pdf]]`: a vault file, found as an embed finds it.
        let file_like = Path::new(target).extension().is_some_and(|e| e != "md");
        if let Some(file) = file_like
            .then(|| files::find(self.files, target, rel))
            .flatten()
        {
            let url = format!("{}{FILES_DIR}/{}", self.root, url_path(&file));
            if !self.body.attachments.contains(&file) {
                self.body.attachments.push(file);
            }
            return Some((url, target.to_string(), None));
        }
        let anchor = heading.map(|h| format!("#{}", anchor_of(h)));
        let from = rel.parent().unwrap_or(Path::new(""));
        let found = self
            .vault
            .index
            .resolve_link(&self.vault.notes, target, from);
        // A link that fits several notes is looked for again whenever notes move.
        let lookup = Lookup::Name(fold(target), from.to_path_buf());
        let one = found.as_ref().ok().filter(|(_, many)| many.is_empty());
        self.body.lookups.push((lookup, one.map(|(id, _)| *id)));
        match found {
            Ok((to, many)) => {
                if !many.is_empty() {
                    self.warn_ambiguous(target, to, &many, at());
                }
                let label = self.label(target, to, heading);
                Some((self.link_to(to, anchor.as_deref()), label, Some(to)))
            }
            Err(Miss::Nothing(close)) => {
                self.body.missing.push(target.to_string());
                let mut d = Diagnostic::new(
                    Rule::UnresolvedLink,
                    rel,
                    at(),
                    format!("no note is called `{target}`; the link is shown as missing"),
                );
                if let Some(name) = close {
                    d = d.with_hint(format!("did you mean `{name}`?"));
                }
                self.body.diagnostics.push(d);
                None
            }
            Err(miss) => {
                let d = crate::model::miss_diagnostic(rel, at(), target, "note", miss);
                self.body.diagnostics.push(d);
                None
            }
        }
    }

    /// What a link to note `to` without a label shows: the target as written, as
    /// Obsidian shows it, but the note's name for a path or a slug; then the heading.
    fn label(&self, target: &str, to: NoteId, heading: Option<&str>) -> String {
        let note = &self.vault.notes[to];
        let shown = match target.contains('/') || target == note.slug {
            true => &note.name,
            false => target,
        };
        match heading {
            Some(h) => format!("{shown} › {h}"),
            None => shown.to_string(),
        }
    }

    fn warn_ambiguous(&mut self, target: &str, to: NoteId, many: &[PathBuf], pos: Pos) {
        let rel = &self.vault.notes[self.id].source.rel;
        let chosen = &self.vault.notes[to].source.rel;
        let list: Vec<String> = many.iter().map(|p| p.display().to_string()).collect();
        let other = many.iter().find(|p| *p != chosen).unwrap_or(chosen);
        let d = Diagnostic::new(
            Rule::AmbiguousLink,
            rel,
            pos,
            format!(
                "`{target}` fits {} notes ({}); the link goes to {}, the nearest",
                many.len(),
                list.join(", "),
                chosen.display()
            ),
        )
        .with_hint(format!(
            "write its path to choose: [[{}]]",
            other.with_extension("").display()
        ));
        self.body.diagnostics.push(d);
    }

    /// Notes a link to `#fragment` on this note's page, which may mean `ids`, and
    /// returns the URL that stands for it until [`Linker::check_same_page`].
    fn same_page(&mut self, ids: Vec<String>, written: &str, pos: Pos) -> String {
        self.same_page.push(SamePageLink {
            ids,
            written: written.to_string(),
            pos,
        });
        format!("{SAME_PAGE}{}", self.same_page.len() - 1)
    }

    /// Points each link to a place on this page at the id it means, among `ids`; one
    /// that means none is shown as missing and reported.
    fn check_same_page(&mut self, events: &mut [Event], ids: &HashSet<String>) {
        let links = std::mem::take(&mut self.same_page);
        for at in 0..events.len() {
            let Event::Start(Tag::Link { dest_url, .. }) = &mut events[at] else {
                continue;
            };
            let number = dest_url
                .strip_prefix(SAME_PAGE)
                .and_then(|n| n.parse().ok());
            let Some(link) = number.and_then(|n: usize| links.get(n)) else {
                continue;
            };
            if let Some(id) = link.ids.iter().find(|id| ids.contains(*id)) {
                *dest_url = format!("{}#{id}", self.own_page()).into();
                continue;
            }
            let rel = &self.vault.notes[self.id].source.rel;
            self.body.diagnostics.push(Diagnostic::new(
                Rule::UnresolvedLink,
                rel,
                link.pos,
                format!(
                    "this note has no heading or block `{}`; the link is shown as missing",
                    link.written
                ),
            ));
            events[at] = broken_link(&format!("No heading “{}” in this note", link.written));
            let end = events[at..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Link)));
            if let Some(end) = end {
                events[at + end] = Event::InlineHtml("</span>".into());
            }
        }
    }

    fn link_to(&mut self, to: NoteId, anchor: Option<&str>) -> String {
        if !self.body.links.contains(&to) {
            self.body.links.push(to);
        }
        let n = &self.vault.notes[to];
        format!(
            "{}{}{}",
            self.root,
            page_url(n.kind, &n.slug),
            anchor.unwrap_or("")
        )
    }

    /// A relative link to a note (`../contacts/ada.md`) or to a file in the vault.
    /// `None` when the link is not relative (a web address, an anchor); `Some(None)` when
    /// it is relative but leads to nothing.
    fn relative(&mut self, dest: &str, at: impl Fn() -> Pos) -> Option<Option<String>> {
        if dest.is_empty() || dest.starts_with(['#', '/']) || dest.contains(':') {
            return None;
        }
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(format!("#{a}"))),
            None => (dest, None),
        };
        let decoded = percent_decode(path);
        let rel = &self.vault.notes[self.id].source.rel;
        let Some(target) = join_inside(rel.parent().unwrap_or(Path::new("")), &decoded) else {
            self.warn_missing(dest, at(), "it leads outside the vault");
            return Some(None);
        };
        let found = self.vault.index.at_path(&target);
        self.body
            .lookups
            .push((Lookup::Path(target.clone()), found));
        if let Some(to) = found {
            return Some(Some(self.link_to(to, anchor.as_deref())));
        }
        if self.files.contains(&target) {
            let url = format!("{}{FILES_DIR}/{}", self.root, url_path(&target));
            if !self.body.attachments.contains(&target) {
                self.body.attachments.push(target);
            }
            return Some(Some(url + anchor.as_deref().unwrap_or("")));
        }
        self.warn_missing(dest, at(), "no such file in the vault");
        Some(None)
    }

    /// Reports an image or media at web address `url`, which the page does not load.
    fn remote(&mut self, url: &str, pos: Pos, what_instead: &str) {
        let rel = &self.vault.notes[self.id].source.rel;
        let d = Diagnostic::new(
            Rule::RemoteResource,
            rel,
            pos,
            format!("`{url}` would be loaded from the web; it {what_instead}"),
        )
        .with_hint("save a copy in the vault and link to that, or link to the address");
        self.body.diagnostics.push(d);
    }

    /// Warns of each block id in `repeated` (see [`obsidian::Blocks`]) where it is
    /// written again.
    fn repeated_blocks(&mut self, repeated: &[String], positions: &mut Positions) {
        let source = &self.vault.notes[self.id].source;
        for (i, id) in repeated.iter().enumerate() {
            // The first `^id` is the block that keeps it; this is its nth repeat.
            let nth = repeated[..i].iter().filter(|&x| x == id).count() + 1;
            let mark = format!("^{id}");
            // `^same` is not `^same-too`: the id ends where the id's characters do.
            let body = source.body();
            let ends = |&(at, _): &(usize, &str)| {
                let next = body[at + mark.len()..].chars().next();
                !next.is_some_and(|c| c.is_alphanumeric() || c == '-')
            };
            let found = body.match_indices(&mark).filter(ends).nth(nth);
            let at = found.map_or(0, |(at, _)| at);
            let pos = positions.of(source.text_offset(at), mark.len());
            let d = Diagnostic::new(
                Rule::DuplicateBlockId,
                &source.rel,
                pos,
                format!("`^{id}` names a block above already: links to `#^{id}` go to that one"),
            )
            .with_hint(format!("give this block another id, or take `^{id}` off"));
            self.body.diagnostics.push(d);
        }
    }

    fn unclosed_comment(&mut self, pos: Pos) {
        let rel = &self.vault.notes[self.id].source.rel;
        let d = Diagnostic::new(
            Rule::UnclosedComment,
            rel,
            pos,
            "this `%%` opens a comment that is never closed: the rest of the note is hidden",
        )
        .with_hint("close the comment with another `%%`");
        self.body.diagnostics.push(d);
    }

    fn warn_missing(&mut self, dest: &str, pos: Pos, why: &str) {
        let rel = &self.vault.notes[self.id].source.rel;
        self.body.diagnostics.push(Diagnostic::new(
            Rule::UnresolvedLink,
            rel,
            pos,
            format!("the link `{dest}` leads nowhere: {why}"),
        ));
    }
}

/// Joins a relative link onto a folder, refusing to climb above the vault.
fn join_inside(dir: &Path, link: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in dir.join(link).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Characters left as they are in a URL path segment; everything else is %-encoded.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A vault path written as a URL path, each segment percent-encoded where needed.
pub(crate) fn url_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| utf8_percent_encode(&c.as_os_str().to_string_lossy(), PATH_SEGMENT).to_string())
        .collect();
    parts.join("/")
}

/// Decodes `%20` and friends in a link; a link that does not decode to UTF-8 is kept as
/// written.
fn percent_decode(s: &str) -> String {
    percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), |d| d.into_owned())
}

/// The id a `#Heading` or `#^block` of a link lands on.
fn anchor_of(fragment: &str) -> String {
    match fragment.strip_prefix('^') {
        Some(block) => obsidian::block_anchor(block.trim()),
        None => slugify(fragment),
    }
}

/// The start of a link shown as missing, with `title` as its tooltip.
fn broken_link(title: &str) -> Event<'static> {
    let title = html_escape(title);
    Event::InlineHtml(format!("<span class=\"broken-link\" title=\"{title}\">").into())
}

/// Gives every heading an id from its text, so `[[Note#Heading]]` can land on it; the
/// anchors of block ids are `taken` already. Returns every id of the body.
fn add_heading_ids(events: &mut [Event], taken: Vec<String>) -> HashSet<String> {
    let mut taken: HashSet<String> = taken.into_iter().collect();
    taken.extend(events.iter().filter_map(|e| match e {
        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
        _ => None,
    }));
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { id: None, .. }) = &events[i] else {
            continue;
        };
        let text: String = events[i + 1..]
            .iter()
            .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        // `## Intro`, `## Intro`, `## Intro 1`: intro, intro-1, intro-1-1, as GitHub
        // numbers them; an id is never given twice.
        let base = slugify(&text);
        let mut anchor = base.clone();
        for n in 1.. {
            if taken.insert(anchor.clone()) {
                break;
            }
            anchor = format!("{base}-{n}");
        }
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(anchor.into());
        }
    }
    taken
}

/// Finds the file positions of byte offsets in a text, each from the last one found: a
/// body's findings come in the order of the text, so a note with thousands of broken
/// links is read once, not once for each.
struct Positions<'t> {
    text: &'t str,
    /// The offset last found, and its line and column.
    at: usize,
    line: u32,
    column: u32,
}

impl<'t> Positions<'t> {
    fn new(text: &'t str) -> Positions<'t> {
        Positions {
            text,
            at: 0,
            line: 1,
            column: 1,
        }
    }

    /// The position of the `len` bytes at byte `offset`.
    fn of(&mut self, offset: usize, len: usize) -> Pos {
        let offset = offset.min(self.text.len());
        if offset < self.at {
            *self = Positions::new(self.text);
        }
        for c in self.text[self.at..offset].chars() {
            if c == '\n' {
                (self.line, self.column) = (self.line + 1, 1);
            } else {
                self.column += 1;
            }
        }
        self.at = offset;
        Pos::new(self.line, self.column, len as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_stay_inside_the_vault() {
        assert_eq!(
            join_inside(Path::new("contacts"), "../companies/x.md"),
            Some(PathBuf::from("companies/x.md"))
        );
        assert_eq!(join_inside(Path::new("contacts"), "../../etc/passwd"), None);
    }

    #[test]
    fn url_paths_are_encoded() {
        assert_eq!(
            url_path(Path::new("notes/my image.png")),
            "notes/my%20image.png"
        );
        assert_eq!(percent_decode("my%20image.png"), "my image.png");
    }
}
