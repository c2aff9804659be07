//! Raw HTML in note bodies, made safe to open. Web-clipped notes carry scripts, event
//! handlers, frames and trackers; a page of the site must run none of them and load
//! nothing from the network. Bodies with raw HTML (or a link with an unusual scheme)
//! go through `ammonia`, which keeps harmless markup and drops the rest. Images and
//! media that would load from the web are first made links to their address, by
//! `lol_html`; a web address anywhere else a page would load it from is dropped. Each
//! is reported.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::LazyLock;

use crate::render::html_escape;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(cleaner);

thread_local! {
    /// The web addresses the cleaner took out of the body it is cleaning: its filter is
    /// a plain function, shared by every thread.
    static REMOTE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// A web address a page would have loaded, and what it shows instead.
pub(crate) type Remote = (String, &'static str);

/// `html` made safe, with the web addresses of the images and media taken out of it.
pub(crate) fn clean(html: &str) -> (String, Vec<Remote>) {
    let mut linked = Vec::new();
    let html = link_remote_media(html, &mut linked);
    REMOTE.with_borrow_mut(Vec::clear);
    let clean = CLEANER.clean(&html).to_string();
    let dropped = REMOTE.take().into_iter();
    linked.extend(dropped.map(|url| (url, "was left out of the page")));
    (clean, linked)
}

/// A link to a web image or medium, shown instead of it: "remote image: host/path".
pub(crate) fn remote_link(url: &str, what: &str) -> String {
    let shown = url.split(['?', '#']).next().unwrap_or_default();
    let shown = shown.split_once("//").map_or(shown, |(_, rest)| rest);
    format!(
        "<a class=\"remote\" href=\"{}\">remote {what}: {}</a>",
        html_escape(url),
        html_escape(shown)
    )
}

/// `html` with each image, video and audio whose source is on the web replaced by a link
/// to it ([`remote_link`]); their addresses are added to `linked`. Anything it cannot
/// read is left as it is, for the cleaner to drop.
fn link_remote_media(html: &str, linked: &mut Vec<Remote>) -> String {
    use lol_html::html_content::ContentType;
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let handler = element!("img[src], video[src], audio[src]", |el| {
        let src = el.get_attribute("src").unwrap_or_default();
        if loads_remote(&src) {
            let tag = el.tag_name();
            let what = if tag == "img" { "image" } else { tag.as_str() };
            el.replace(&remote_link(&src, what), ContentType::Html);
            let poster = el.get_attribute("poster").filter(|p| loads_remote(p));
            linked.push((src, "is shown as a link"));
            linked.extend(poster.map(|p| (p, "was left out of the page")));
        }
        Ok(())
    });
    let settings = RewriteStrSettings::new().append_element_content_handler(handler);
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// Whether a resource at `url` would be fetched from the network: an address with a
/// scheme, or one starting with `//`. The site's own files have relative addresses.
pub(crate) fn loads_remote(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// Whether a link with this address is one the cleaner should see: anything with a
/// scheme but the web's and mail's (`javascript:`, `vbscript:`, `data:`…).
pub(crate) fn unusual_scheme(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    loads_remote(&url)
        && !["http://", "https://", "mailto:", "tel:", "//"]
            .iter()
            .any(|ok| url.starts_with(ok))
}

fn cleaner() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.link_rel(None)
        .add_tags(["input", "audio", "video"])
        .add_tag_attributes("audio", ["controls", "src"])
        .add_tag_attributes("video", ["controls", "src", "width", "height"])
        .add_generic_attributes(["class"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        // Block ids (`^id`) become ids of paragraphs and list items; folded callouts
        // are closed `details`.
        .add_tag_attributes("div", ["id"])
        .add_tag_attributes("p", ["id"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("details", ["open"])
        // Not kept: let through to the filter, which reports and drops a web address.
        .add_tag_attributes("img", ["srcset"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .attribute_filter(filter);
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["id"]);
    }
    b
}

/// Keeps an attribute the cleaner allows, unless it would load something from the web,
/// style anything but a table cell's alignment, or make an input other than a tick box.
fn filter<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let fetches = ["src", "srcset", "poster", "data", "background", "lowsrc"];
    if fetches.contains(&attribute) && value.split([' ', ',']).any(loads_remote) {
        REMOTE.with_borrow_mut(|r| r.push(value.to_string()));
        return None;
    }
    let keep = match (element, attribute) {
        (_, "style") => matches!(
            value.trim(),
            "text-align: left" | "text-align: center" | "text-align: right"
        ),
        ("input", "type") => value.eq_ignore_ascii_case("checkbox"),
        _ => true,
    };
    keep.then_some(Cow::Borrowed(value))
}
