//! Note bodies: Markdown to HTML, with wikilinks and relative links turned into page links.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::diag::{Diagnostic, Pos};
use crate::model::Vault;
use crate::model::note::{NoteId, link_target, page_url, slugify};
use crate::model::refs::Miss;
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

fn options() -> Options {
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
    };
    let mut events: Vec<Event> = Vec::new();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let at = || {
            position(
                &note.source.text,
                note.source.body_start + range.start,
                range.len(),
            )
        };
        events.push(ctx.rewrite(event, at));
    }
    add_heading_ids(&mut events);
    html::push_html(&mut ctx.body.html, events.into_iter());
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
}

impl<'a> Linker<'a> {
    fn rewrite<'e>(&mut self, event: Event<'e>, at: impl Fn() -> Pos) -> Event<'e> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
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

/// Gives every heading an id from its text, so `[[Note#Heading]]` can land on it.
fn add_heading_ids(events: &mut [Event]) {
    let mut used: HashMap<String, usize> = HashMap::new();
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
        let base = slugify(&text);
        let n = used.entry(base.clone()).or_insert(0);
        let anchor = if *n == 0 { base } else { format!("{base}-{n}") };
        *n += 1;
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(anchor.into());
        }
    }
}

/// The file position of byte `offset` in `text`.
fn position(text: &str, offset: usize, len: usize) -> Pos {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Pos::new(line, column, len as u32)
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
