//! Obsidian's Markdown beyond CommonMark, as passes over a body's parsed events:
//! callouts (`> [!tip] Title`), block ids (`^id`) and highlights (`==text==`).
//! Comments (`%%…%%`) are cut out before parsing, in `load::comments`.
//!
//! Each pass reads and writes whole event lists: what they look for (a quote's first
//! line, a block's last words, a pair of `==`) spans several events.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The anchor a block id is given on the page: `^met-at-expo` becomes
/// `id="block-met-at-expo"` (a `^` is not allowed in a link's `#fragment`).
pub(crate) fn block_anchor(id: &str) -> String {
    format!("block-{id}")
}

/// Callout types, each with its aliases; an unknown type is shown as a note.
const CALLOUTS: &[(&str, &[&str])] = &[
    ("note", &[]),
    ("abstract", &["summary", "tldr"]),
    ("info", &[]),
    ("todo", &[]),
    ("tip", &["hint", "important"]),
    ("success", &["check", "done"]),
    ("question", &["help", "faq"]),
    ("warning", &["caution", "attention"]),
    ("failure", &["fail", "missing"]),
    ("danger", &["error"]),
    ("bug", &[]),
    ("example", &[]),
    ("quote", &["cite"]),
];

/// The style a callout type is shown with.
fn callout_style(name: &str) -> &'static str {
    CALLOUTS
        .iter()
        .find(|(style, aliases)| *style == name || aliases.contains(&name))
        .map_or("note", |(style, _)| style)
}

/// What a `[!type]±` at the start of a quote says.
struct CalloutHead {
    style: &'static str,
    /// The title shown when none is written: the type as written, capitalised.
    default_title: String,
    /// `None`: not foldable; `Some(open)`: `+` (open) or `-` (closed).
    fold: Option<bool>,
    /// Bytes of the quote's first text taken by the marker and the space after it.
    len: usize,
}

fn callout_head(text: &str) -> Option<CalloutHead> {
    let rest = text.strip_prefix("[!")?;
    let close = rest.find(']')?;
    // `[!info|wide]`: what follows a `|` is for themes.
    let name = rest[..close].split('|').next().unwrap_or_default().trim();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    let after = &rest[close + 1..];
    let fold = match after.chars().next() {
        Some('+') => Some(true),
        Some('-') => Some(false),
        _ => None,
    };
    let after = &after[usize::from(fold.is_some())..];
    let lower = name.to_lowercase();
    let mut default_title: String = lower.chars().take(1).flat_map(char::to_uppercase).collect();
    default_title.extend(lower.chars().skip(1));
    Some(CalloutHead {
        style: callout_style(&lower),
        default_title,
        fold,
        len: text.len() - after.trim_start().len(),
    })
}

/// Opens a callout's body, below its title.
const BODY: &str = "<div class=\"callout-body\">\n";

/// A quote being written: whether it is a callout (and foldable), and whether its
/// body has been opened.
struct Quote {
    callout: Option<Option<bool>>,
    body_open: bool,
}

/// Turns quotes that start with `[!type]` into callouts: a titled box, or a
/// `<details>` for a foldable one (`+` open, `-` closed). GitHub's alerts
/// (`> [!NOTE]`) are the same syntax and come out the same way. Returns the anchors
/// given to callouts by a block id in their title.
pub(crate) fn callouts(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<String>) {
    let mut anchors = Vec::new();
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::BlockQuote(_))))
    {
        return (events, anchors);
    }
    let mut out = Vec::with_capacity(events.len());
    let mut quotes: Vec<Quote> = Vec::new();
    let mut events = events.into_iter().peekable();
    while let Some(event) = events.next() {
        if let Some(q) = quotes.last_mut()
            && q.callout.is_some()
            && !q.body_open
            && !matches!(event, Event::End(TagEnd::BlockQuote(_)))
        {
            q.body_open = true;
            out.push(Event::Html(BODY.into()));
        }
        match event {
            Event::Start(Tag::BlockQuote(kind)) => {
                let mut head = Vec::new();
                if let Some(paragraph) =
                    events.next_if(|e| matches!(e, Event::Start(Tag::Paragraph)))
                {
                    head.push(paragraph);
                    while let Some(text) = events.next_if(|e| matches!(e, Event::Text(_))) {
                        head.push(text);
                    }
                }
                let text: String = head
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let Some(callout) = callout_head(&text) else {
                    quotes.push(Quote {
                        callout: None,
                        body_open: true,
                    });
                    out.push(Event::Start(Tag::BlockQuote(kind)));
                    out.extend(head);
                    continue;
                };
                let (body_open, anchor) = open_callout(&callout, &text, &mut events, &mut out);
                anchors.extend(anchor);
                quotes.push(Quote {
                    callout: Some(callout.fold),
                    body_open,
                });
            }
            Event::End(TagEnd::BlockQuote(kind)) => match quotes.pop() {
                Some(Quote {
                    callout: Some(fold),
                    body_open,
                }) => {
                    let body = if body_open { "</div>\n" } else { "" };
                    let tag = if fold.is_some() { "details" } else { "div" };
                    out.push(Event::Html(format!("{body}</{tag}>\n").into()));
                    out.push(Event::End(TagEnd::HtmlBlock));
                }
                _ => out.push(Event::End(TagEnd::BlockQuote(kind))),
            },
            other => out.push(other),
        }
    }
    (out, anchors)
}

/// Writes a callout's opening and its title: the rest of its first line, or the type's
/// name; a block id at the end of the title names the callout. The first paragraph's
/// later lines, if any, start the callout's body. Returns whether they did, and the
/// callout's anchor.
fn open_callout<'e>(
    callout: &CalloutHead,
    head: &str,
    events: &mut impl Iterator<Item = Event<'e>>,
    out: &mut Vec<Event<'e>>,
) -> (bool, Option<String>) {
    // The title line, after a stand-in for its start, as `take_block_id` reads a block.
    let mut title = vec![Event::Start(Tag::Paragraph)];
    let written = &head[callout.len..];
    if !written.trim().is_empty() {
        title.push(Event::Text(written.to_string().into()));
    }
    let mut more = false;
    for event in events.by_ref() {
        match event {
            Event::SoftBreak | Event::HardBreak => {
                more = true;
                break;
            }
            Event::End(TagEnd::Paragraph) => break,
            other => title.push(other),
        }
    }
    let anchor = take_block_id(&mut title, 0).map(|(id, _)| block_anchor(&id));
    if title.len() == 1 {
        title.push(Event::Text(callout.default_title.clone().into()));
    }
    let (open, heading, close) = match callout.fold {
        None => ("div", "<p class=\"callout-title\">", "</p>"),
        Some(true) => ("details open", SUMMARY, "</summary>"),
        Some(false) => ("details", SUMMARY, "</summary>"),
    };
    let id = anchor
        .as_ref()
        .map_or(String::new(), |a| format!(" id=\"{a}\""));
    let style = callout.style;
    // An HTML block to the passes after this one: a block they can give an id to.
    out.push(Event::Start(Tag::HtmlBlock));
    out.push(Event::Html(
        format!("<{open}{id} class=\"callout callout-{style}\">\n{heading}").into(),
    ));
    out.extend(title.into_iter().skip(1));
    out.push(Event::Html(format!("{close}\n").into()));
    if more {
        out.push(Event::Html(BODY.into()));
        out.push(Event::Start(Tag::Paragraph));
    }
    (more, anchor)
}

/// Opens a foldable callout's title.
const SUMMARY: &str = "<summary class=\"callout-title\">";

/// A block id at the end of `text`: `^` and letters, digits and dashes, after a space
/// or alone. Returns the id and the text before it, without the space.
fn trailing_id(text: &str) -> Option<(&str, &str)> {
    let caret = text.rfind('^')?;
    let id = &text[caret + 1..];
    let before = &text[..caret];
    let valid = !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let spaced = before.is_empty() || before.ends_with(char::is_whitespace);
    (valid && spaced).then(|| (id, before.trim_end()))
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn is_inline_start(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// The blocks a body names with `^id`.
#[derive(Default)]
pub(crate) struct Blocks {
    /// The anchors given, so that no heading takes one of them.
    pub anchors: Vec<String>,
    /// Each id a later block gave again, as written. Only the first block with an id
    /// takes its anchor: links and embeds find that one, as in Obsidian, and a page
    /// has each id once.
    pub repeated: Vec<String>,
}

impl Blocks {
    /// The anchor of `id`, unless a block took it before.
    fn take(&mut self, id: String) -> Option<String> {
        let anchor = block_anchor(&id);
        if self.anchors.contains(&anchor) {
            self.repeated.push(id);
            return None;
        }
        self.anchors.push(anchor.clone());
        Some(anchor)
    }
}

/// Takes `^id` off the end of paragraphs and list items, and gives the block the
/// anchor [`block_anchor`]. A paragraph that is only `^id` gives it to the block before
/// it.
pub(crate) fn block_ids<'e>(events: Vec<Event<'e>>) -> (Vec<Event<'e>>, Blocks) {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Text(t) if t.contains('^')))
    {
        return (events, Blocks::default());
    }
    let mut out: Vec<Event<'e>> = Vec::with_capacity(events.len());
    let mut blocks = Blocks::default();
    // The place in `out` of each open block (the body itself first), and of the last
    // block closed inside it.
    let mut open: Vec<(usize, Option<usize>)> = vec![(usize::MAX, None)];
    for event in events {
        match event {
            Event::Start(ref tag) if !is_inline_start(tag) => {
                // An item's own text ends where a list inside it starts.
                if let (Tag::List(_), Some(&(item, _))) = (tag, open.last())
                    && matches!(out.get(item), Some(Event::Start(Tag::Item)))
                    && let Some((id, _)) = take_block_id(&mut out, item)
                    && let Some(anchor) = blocks.take(id)
                {
                    out[item] = Event::Html(format!("<li id=\"{anchor}\">").into());
                }
                open.push((out.len(), None));
                out.push(event);
            }
            Event::End(ref end) if !is_inline_end(end) => {
                let ends_text = matches!(end, TagEnd::Paragraph | TagEnd::Item);
                let (start, _) = open.pop().unwrap_or_default();
                let id = if ends_text {
                    take_block_id(&mut out, start)
                } else {
                    None
                };
                let mut closed = start;
                match id {
                    Some((id, true)) if matches!(end, TagEnd::Paragraph) => {
                        out.truncate(start);
                        let Some(before) = open.last().and_then(|&(_, before)| before) else {
                            continue;
                        };
                        if let Some(anchor) = blocks.take(id) {
                            let wrap = format!("<div id=\"{anchor}\">\n");
                            out.insert(before, Event::Html(wrap.into()));
                            out.push(Event::Html("</div>\n".into()));
                        }
                        closed = before;
                    }
                    Some((id, _)) => {
                        if let Some(anchor) = blocks.take(id) {
                            let tag = if matches!(end, TagEnd::Item) {
                                "li"
                            } else {
                                "p"
                            };
                            out[start] = Event::Html(format!("<{tag} id=\"{anchor}\">").into());
                        }
                        out.push(event);
                    }
                    None => out.push(event),
                }
                if let Some(parent) = open.last_mut() {
                    parent.1 = Some(closed);
                }
            }
            other => out.push(other),
        }
    }
    (out, blocks)
}

/// Takes a trailing `^id` off the text block that starts at `out[start]`; says whether
/// it was all the block held.
fn take_block_id(out: &mut Vec<Event<'_>>, start: usize) -> Option<(String, bool)> {
    let last = out.len() - 1;
    if last <= start {
        return None;
    }
    let Event::Text(text) = &out[last] else {
        return None;
    };
    let (id, before) = trailing_id(text)?;
    let id = id.to_string();
    let alone = last == start + 1 && before.is_empty();
    // `^id` at the start of a text needs a line break or the block's start before it:
    // after `*word*` it is part of the words.
    let after_break = matches!(out[last - 1], Event::SoftBreak | Event::HardBreak);
    if text.starts_with('^') && !alone && !after_break {
        return None;
    }
    if before.is_empty() {
        out.pop();
        if matches!(out.last(), Some(Event::SoftBreak | Event::HardBreak)) && out.len() > start + 1
        {
            out.pop();
        }
    } else {
        out[last] = Event::Text(before.to_string().into());
    }
    Some((id, alone))
}

/// The `==` markers of one text: where each starts, and whether it can open (text
/// follows it) or close (text precedes it). A run of more than two `=` is no marker.
fn markers(text: &str, before: Option<char>, after: Option<char>) -> Vec<(usize, bool, bool)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = text[i..].find("==").map(|a| a + i) {
        let mut end = at;
        while end < bytes.len() && bytes[end] == b'=' {
            end += 1;
        }
        i = end;
        if end - at != 2 {
            continue;
        }
        let prev = text[..at].chars().next_back().or(before);
        let next = text[end..].chars().next().or(after);
        let solid = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
        found.push((at, solid(next), solid(prev)));
    }
    found
}

/// The character an event shows next to a marker in the text before or after it:
/// `None` for a line break or the edge of a block, `x` for anything else shown.
fn neighbour(event: Option<&Event>, last: bool) -> Option<char> {
    match event? {
        Event::Text(t) if last => t.chars().next_back(),
        Event::Text(t) => t.chars().next(),
        Event::Code(_) | Event::InlineHtml(_) => Some('x'),
        Event::Start(tag) if is_inline_start(tag) => Some('x'),
        Event::End(end) if is_inline_end(end) => Some('x'),
        _ => None,
    }
}

/// `==text==` becomes `<mark>text</mark>`. A pair must sit in one block and at one
/// level of emphasis or link, so the marks always nest; code is never read.
pub(crate) fn highlights(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Text(t) if t.contains("==")))
    {
        return events;
    }
    // (event, byte, is opening) of each marker that is kept as a tag.
    let mut tags: Vec<(usize, usize, bool)> = Vec::new();
    let mut waiting: Vec<(usize, usize, usize)> = Vec::new();
    let (mut depth, mut in_code) = (0usize, false);
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(tag) if is_inline_start(tag) => depth += 1,
            Event::End(end) if is_inline_end(end) => {
                depth = depth.saturating_sub(1);
                waiting.retain(|w| w.0 <= depth);
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) if !in_code && text.contains("==") => {
                let before = i
                    .checked_sub(1)
                    .and_then(|b| neighbour(events.get(b), true));
                let after = neighbour(events.get(i + 1), false);
                for (at, opens, closes) in markers(text, before, after) {
                    match waiting.last() {
                        Some(&(d, e, b)) if d == depth && closes => {
                            waiting.pop();
                            tags.push((e, b, true));
                            tags.push((i, at, false));
                        }
                        _ if opens => waiting.push((depth, i, at)),
                        _ => {}
                    }
                }
            }
            Event::Text(_) | Event::Code(_) | Event::InlineHtml(_) => {}
            Event::SoftBreak | Event::HardBreak | Event::FootnoteReference(_) => {}
            _ => {
                waiting.clear();
                depth = 0;
            }
        }
    }
    if tags.is_empty() {
        return events;
    }
    tags.sort_unstable();
    split_at_marks(events, &tags)
}

/// Writes `<mark>` and `</mark>` in place of the `==` at `tags` (sorted).
fn split_at_marks<'e>(events: Vec<Event<'e>>, tags: &[(usize, usize, bool)]) -> Vec<Event<'e>> {
    let mut out = Vec::with_capacity(events.len() + tags.len() * 2);
    let mut tags = tags.iter().peekable();
    for (i, event) in events.into_iter().enumerate() {
        let Event::Text(text) = &event else {
            out.push(event);
            continue;
        };
        if tags.peek().is_none_or(|t| t.0 != i) {
            out.push(event);
            continue;
        }
        let mut from = 0;
        while let Some(&&(_, at, opens)) = tags.peek().filter(|t| t.0 == i) {
            tags.next();
            if at > from {
                out.push(Event::Text(CowStr::from(text[from..at].to_string())));
            }
            let tag = if opens { "<mark>" } else { "</mark>" };
            out.push(Event::InlineHtml(tag.into()));
            from = at + 2;
        }
        if from < text.len() {
            out.push(Event::Text(CowStr::from(text[from..].to_string())));
        }
    }
    out
}

/// The id of a tag's section on the tag page.
pub(crate) fn tag_anchor(tag: &str) -> String {
    format!("tag-{}", crate::model::note::slugify(tag))
}

/// Makes each inline `#tag` (after a space or at the start of a text, with at least
/// one character that is not a digit, as Obsidian reads them) a link to its place on
/// the tag page, `tags_page`; never in code or inside a link. Returns the tags found.
pub(crate) fn tags<'e>(events: Vec<Event<'e>>, tags_page: &str) -> (Vec<Event<'e>>, Vec<String>) {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Text(t) if t.contains('#')))
    {
        return (events, Vec::new());
    }
    let mut out = Vec::with_capacity(events.len());
    let mut found: Vec<String> = Vec::new();
    let (mut in_link, mut in_code) = (0usize, false);
    for event in events {
        match &event {
            Event::Start(Tag::Link { .. }) => in_link += 1,
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) if in_link == 0 && !in_code && text.contains('#') => {
                split_tags(text, tags_page, &mut out, &mut found);
                continue;
            }
            _ => {}
        }
        out.push(event);
    }
    (out, found)
}

/// Pushes `text` as text and tag links.
fn split_tags<'e>(text: &str, page: &str, out: &mut Vec<Event<'e>>, found: &mut Vec<String>) {
    let is_tag_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '/');
    let mut rest = 0;
    let mut search = 0;
    while let Some(hash) = text[search..].find('#').map(|h| search + h) {
        let after_space = text[..hash].chars().last().is_none_or(char::is_whitespace);
        let len = text[hash + 1..]
            .find(|c: char| !is_tag_char(c))
            .unwrap_or(text.len() - hash - 1);
        let tag = text[hash + 1..hash + 1 + len].trim_end_matches('/');
        search = hash + 1;
        if !after_space || tag.is_empty() || tag.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if hash > rest {
            out.push(Event::Text(text[rest..hash].to_string().into()));
        }
        let link = format!(
            "<a class=\"tag\" href=\"{page}#{}\">#{}</a>",
            tag_anchor(tag),
            crate::render::html_escape(tag)
        );
        out.push(Event::InlineHtml(link.into()));
        if !found.iter().any(|f| f.eq_ignore_ascii_case(tag)) {
            found.push(tag.to_string());
        }
        rest = hash + 1 + tag.len();
        search = rest;
    }
    if rest < text.len() {
        out.push(Event::Text(text[rest..].to_string().into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Parser, html};

    fn render(md: &str) -> String {
        let events: Vec<Event> = Parser::new_ext(md, crate::render::markdown::options()).collect();
        let (events, _) = block_ids(callouts(events).0);
        let mut out = String::new();
        html::push_html(&mut out, highlights(events).into_iter());
        out
    }

    #[test]
    fn callout_types_and_aliases() {
        assert_eq!(callout_style("faq"), "question");
        assert_eq!(callout_style("important"), "tip");
        assert_eq!(callout_style("cite"), "quote");
        assert_eq!(callout_style("no-such-type"), "note");
        let head = callout_head("[!FAQ]- Why?").unwrap();
        assert_eq!(
            (head.style, head.fold, head.len),
            ("question", Some(false), 8)
        );
        assert_eq!(head.default_title, "Faq");
        assert!(callout_head("[!] x").is_none());
        assert!(callout_head("[x] x").is_none());
    }

    #[test]
    fn a_callout_with_only_a_title_has_no_body() {
        assert_eq!(
            render("> [!note] ^n"),
            "<div id=\"block-n\" class=\"callout callout-note\">\n<p class=\"callout-title\">Note</p>\n</div>\n"
        );
        assert_eq!(
            render("> [!tip] Just this"),
            "<div class=\"callout callout-tip\">\n<p class=\"callout-title\">Just this</p>\n</div>\n"
        );
    }

    #[test]
    fn highlights_pair_within_one_level() {
        assert_eq!(render("a ==b== c"), "<p>a <mark>b</mark> c</p>\n");
        assert_eq!(render("a == b == c"), "<p>a == b == c</p>\n");
        assert_eq!(render("**==a** b=="), "<p><strong>==a</strong> b==</p>\n");
        assert_eq!(
            render("==a **b** c=="),
            "<p><mark>a <strong>b</strong> c</mark></p>\n"
        );
        assert_eq!(render("`==a==`"), "<p><code>==a==</code></p>\n");
        assert_eq!(render("===a==="), "<p>===a===</p>\n");
    }

    #[test]
    fn block_ids_end_a_block_or_stand_alone_after_one() {
        assert_eq!(render("Text ^a-1"), "<p id=\"block-a-1\">Text</p>\n");
        assert_eq!(
            render("- one ^x\n- two"),
            "<ul>\n<li id=\"block-x\">one</li>\n<li>two</li>\n</ul>\n"
        );
        assert_eq!(render("a^b"), "<p>a^b</p>\n");
        assert_eq!(render("*a*^b"), "<p><em>a</em>^b</p>\n");
        assert_eq!(render("*a* ^b"), "<p id=\"block-b\"><em>a</em></p>\n");
        let nested = render("- one ^x\n  - two ^y");
        assert!(
            nested.starts_with("<ul>\n<li id=\"block-x\">one\n<ul>"),
            "{nested}"
        );
        assert!(nested.contains("<li id=\"block-y\">two</li>"), "{nested}");
        let table = render("| a |\n|---|\n| b |\n\n^t");
        assert!(
            table.starts_with("<div id=\"block-t\">\n<table>"),
            "{table}"
        );
        assert!(table.ends_with("</table>\n</div>\n"), "{table}");
    }
}
