//! Bare web addresses and email addresses in a body's text become links, as GitHub and
//! Obsidian show them (pulldown-cmark has no such option). Finding where an address
//! ends (a trailing dot, a closing parenthesis) is `linkify`'s.

use linkify::{LinkFinder, LinkKind};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// The events with every bare `http(s)://` address and email address in text outside
/// links, images and code made a link. A link only leads somewhere when followed: nothing
/// is loaded from it.
pub(crate) fn autolink(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let finder = LinkFinder::new();
    let mut out = Vec::with_capacity(events.len());
    let mut inside = 0usize;
    // The parser parts text at `_` and `*` that might have been emphasis, as in
    // `a_(b)`: an address is looked for in the text runs joined again.
    let mut run: Vec<Event> = Vec::new();
    for event in events {
        if inside == 0 && matches!(event, Event::Text(_)) {
            run.push(event);
            continue;
        }
        flush(&finder, &mut run, &mut out);
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => {
                inside += 1;
            }
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                inside = inside.saturating_sub(1);
            }
            _ => {}
        }
        out.push(event);
    }
    flush(&finder, &mut run, &mut out);
    out
}

/// Pushes a run of text events, with its addresses made links when it has any.
fn flush<'e>(finder: &LinkFinder, run: &mut Vec<Event<'e>>, out: &mut Vec<Event<'e>>) {
    let texts = || {
        run.iter().filter_map(|e| match e {
            Event::Text(t) => Some(t.as_ref()),
            _ => None,
        })
    };
    // The parser never parts text inside `://`, so most runs are passed on as they are,
    // without joining them.
    if !texts().any(might_link) {
        out.append(run);
        return;
    }
    let text: String = texts().collect();
    run.clear();
    link_text(finder, &text, out);
}

/// Whether `text` may hold an address: linkify's scan is skipped for most text.
fn might_link(text: &str) -> bool {
    text.contains("://") || text.contains('@')
}

/// Pushes `text` as text and links.
fn link_text<'e>(finder: &LinkFinder, text: &str, out: &mut Vec<Event<'e>>) {
    let mut rest = 0;
    for link in finder.links(text) {
        let Some(href) = href(link.as_str(), link.kind()) else {
            continue;
        };
        if link.start() > rest {
            out.push(Event::Text(text[rest..link.start()].to_string().into()));
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: href.into(),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }));
        out.push(Event::Text(link.as_str().to_string().into()));
        out.push(Event::End(TagEnd::Link));
        rest = link.end();
    }
    if rest < text.len() {
        out.push(Event::Text(text[rest..].to_string().into()));
    }
}

/// Where a found address leads: web addresses only by `http` or `https`, so a
/// `javascript:` or `file:` address stays text.
fn href(found: &str, kind: &LinkKind) -> Option<String> {
    match kind {
        LinkKind::Email => Some(format!("mailto:{found}")),
        LinkKind::Url => {
            let lower = found.to_ascii_lowercase();
            (lower.starts_with("https://") || lower.starts_with("http://"))
                .then(|| found.to_string())
        }
        _ => None,
    }
}

/// Where a front-matter web address (`linkedin`, `website`, `link`) leads: as written
/// with `http` or `https`, with `https://` put in front of a bare one
/// (`www.example.com/a`); none for another scheme or what is not an address.
pub(crate) fn web_href(value: &str) -> Option<String> {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Some(value.to_string());
    }
    let host = value.split('/').next().unwrap_or_default();
    let bare = host.contains('.') && !host.contains(':') && !value.contains(char::is_whitespace);
    bare.then(|| format!("https://{value}"))
}

/// A `tel:` address for a phone number as written: its digits, after a leading `+`.
pub(crate) fn tel_href(value: &str) -> Option<String> {
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let plus = if value.trim_start().starts_with('+') {
        "+"
    } else {
        ""
    };
    (digits.len() >= 3).then(|| format!("tel:{plus}{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str) -> String {
        let events: Vec<Event> = pulldown_cmark::Parser::new(md).collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, autolink(events).into_iter());
        html
    }

    #[test]
    fn front_matter_addresses_lead_to_the_web_or_a_phone() {
        let web = |v| web_href(v);
        assert_eq!(
            web("https://x.example/in/a").as_deref(),
            Some("https://x.example/in/a")
        );
        assert_eq!(
            web("www.linkedin.com/in/a").as_deref(),
            Some("https://www.linkedin.com/in/a")
        );
        assert_eq!(web("javascript:alert(1)"), None);
        assert_eq!(web("not an address"), None);
        assert_eq!(
            tel_href("+1 312-555-0148").as_deref(),
            Some("tel:+13125550148")
        );
        assert_eq!(tel_href("ask her"), None);
    }

    #[test]
    fn bare_addresses_become_links() {
        assert_eq!(
            render("See https://example.com/a_(b). Or mail ada@example.com!"),
            "<p>See <a href=\"https://example.com/a_(b)\">https://example.com/a_(b)</a>. \
             Or mail <a href=\"mailto:ada@example.com\">ada@example.com</a>!</p>\n"
        );
    }

    #[test]
    fn links_code_and_other_schemes_are_left_alone() {
        assert_eq!(
            render("[x](https://a.example) `https://b.example`"),
            "<p><a href=\"https://a.example\">x</a> <code>https://b.example</code></p>\n"
        );
        assert_eq!(
            render("```\nhttps://c.example\n```"),
            "<pre><code>https://c.example\n</code></pre>\n"
        );
        assert_eq!(
            render("javascript://x.example/%0aalert(1) ftp://d.example"),
            "<p>javascript://x.example/%0aalert(1) ftp://d.example</p>\n"
        );
    }
}
