//! Note bodies: Markdown to HTML, with wikilinks and relative links turned into page links.

use std::collections::{BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::diag::{Diagnostic, Pos};
use crate::model::Vault;
use crate::model::note::{NoteId, link_target, page_url, slugify};
use crate::model::refs::Miss;
use crate::render::{obsidian, sanitize};
use crate::rules::Rule;

/// Output folder for attachments, which keep their vault path below it.
pub(crate) const FILES_DIR: &str = "files";

/// A note body rendered for a page one folder below the site root.
#[derive(Debug, Default, Clone)]
pub(crate) struct Body {
    pub html: String,
    /// A hash of `html`, made once: a rebuild compares every body's.
    pub hash: u64,
    /// Notes this body links to, in order of first appearance.
    pub links: Vec<NoteId>,
    /// Vault files this body links to, to copy into the output.
    pub attachments: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
    /// Each note this body looked for and the note found, if one was, so that a
    /// rebuild after notes are added or removed can tell whether this body changes.
    pub lookups: Vec<(Lookup, Option<NoteId>)>,
}

/// How a body looked for a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// By name, from a `[[wikilink]]`.
    Name(String),
    /// By vault path, from a relative link.
    Path(PathBuf),
}

impl Lookup {
    /// The note found now, if exactly one is.
    pub(crate) fn find(&self, vault: &Vault) -> Option<NoteId> {
        match self {
            Lookup::Name(target) => vault.index.resolve(&vault.notes, target, None).ok(),
            Lookup::Path(rel) => vault.index.at_path(rel),
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

/// Renders note `id`'s body. Links are written relative to a page in a kind folder
/// (`contacts/…`), which is where every note page lives.
pub(crate) fn render(vault: &Vault, files: &BTreeSet<PathBuf>, id: NoteId) -> Body {
    let note = &vault.notes[id];
    let text = note.source.body();
    let mut ctx = Linker {
        vault,
        files,
        id,
        body: Body::default(),
        in_broken_link: false,
        relabel: None,
        in_remote_image: false,
        raw: false,
    };
    let mut events: Vec<Event> = Vec::new();
    let positions = std::cell::RefCell::new(Positions::new(&note.source.text));
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let start = note.source.text_offset(range.start);
        let at = || positions.borrow_mut().of(start, range.len());
        events.push(ctx.rewrite(event, at));
    }
    if let Some(open) = note.source.uncommented.as_ref().and_then(|u| u.unclosed) {
        let at = positions.borrow_mut().of(note.source.body_start + open, 2);
        ctx.unclosed_comment(at);
    }
    let (events, mut anchors) = obsidian::callouts(events);
    let (events, blocks) = obsidian::block_ids(events);
    anchors.extend(blocks);
    let mut events = obsidian::highlights(events);
    add_heading_ids(&mut events, anchors);
    html::push_html(&mut ctx.body.html, events.into_iter());
    // Markdown alone makes safe HTML: only raw HTML and odd link schemes need cleaning.
    if ctx.raw {
        let (clean, remote) = sanitize::clean(&ctx.body.html);
        ctx.body.html = clean;
        for url in remote {
            let offset = note.source.text_offset(text.find(&url).unwrap_or(0));
            let at = positions.borrow_mut().of(offset, url.len());
            ctx.remote(&url, at, "was left out of the page");
        }
    }
    // Every body is kept until all pages are rendered: drop the slack of its growth.
    ctx.body.html.shrink_to_fit();
    ctx.body.hash = crate::memo::hash(&ctx.body.html);
    ctx.body
}

struct Linker<'a> {
    vault: &'a Vault,
    files: &'a BTreeSet<PathBuf>,
    id: NoteId,
    body: Body,
    in_broken_link: bool,
    /// The text to show for a `[[Target]]` without a `|label`: the note's name, as
    /// Obsidian shows it, instead of the raw target.
    relabel: Option<String>,
    /// Inside a web image written in Markdown, which is shown as a link instead.
    in_remote_image: bool,
    /// Whether the body has raw HTML or a link with an unusual scheme, to clean.
    raw: bool,
}

impl<'a> Linker<'a> {
    fn rewrite<'e>(&mut self, event: Event<'e>, at: impl Fn() -> Pos) -> Event<'e> {
        match event {
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
                let shown = dest_url.split(['?', '#']).next().unwrap_or_default();
                let shown = shown.split_once("//").map_or(shown, |(_, rest)| rest);
                Event::InlineHtml(
                    format!(
                        "<a class=\"remote\" href=\"{}\">remote image: {}</a>",
                        html_escape(&dest_url),
                        html_escape(shown)
                    )
                    .into(),
                )
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.raw |= sanitize::unusual_scheme(&dest_url);
                let dest = match link_type {
                    LinkType::WikiLink { has_pothole } => {
                        let found = self.wikilink(&dest_url, at);
                        if let (Some((_, to)), false) = (&found, has_pothole) {
                            let name = &self.vault.notes[*to].name;
                            self.relabel = Some(match dest_url.split_once('#') {
                                Some((_, heading)) => format!("{name} › {heading}"),
                                None => name.clone(),
                            });
                        }
                        found.map(|(url, _)| url)
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
                        let title = html_escape(&format!(
                            "No note called “{}” yet",
                            link_target(&dest_url)
                        ));
                        Event::InlineHtml(
                            format!("<span class=\"broken-link\" title=\"{title}\">").into(),
                        )
                    }
                }
            }
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

    /// `[[Target]]`, `[[Target#Heading]]`: the page URL and the note, or `None` when
    /// nothing matches.
    fn wikilink(&mut self, dest: &str, at: impl Fn() -> Pos) -> Option<(String, NoteId)> {
        let target = link_target(dest);
        let anchor = dest
            .split_once('#')
            .map(|(_, h)| format!("#{}", slugify(h)));
        let rel = &self.vault.notes[self.id].source.rel;
        let found = self.vault.index.resolve(&self.vault.notes, target, None);
        let lookup = Lookup::Name(target.to_string());
        self.body
            .lookups
            .push((lookup, found.as_ref().ok().copied()));
        match found {
            Ok(to) => Some((self.link_to(to, anchor.as_deref()), to)),
            Err(Miss::Nothing(close)) => {
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

    fn link_to(&mut self, to: NoteId, anchor: Option<&str>) -> String {
        if !self.body.links.contains(&to) {
            self.body.links.push(to);
        }
        let n = &self.vault.notes[to];
        format!("../{}{}", page_url(n.kind, &n.slug), anchor.unwrap_or(""))
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
            let url = format!("../{FILES_DIR}/{}", url_path(&target));
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

/// Gives every heading an id from its text, so `[[Note#Heading]]` can land on it; the
/// anchors of block ids are `taken` already.
fn add_heading_ids(events: &mut [Event], taken: Vec<String>) {
    let mut taken: HashSet<String> = taken.into_iter().collect();
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

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
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
