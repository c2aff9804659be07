//! Drafts as pages show them: the subject and body, a `mailto:` link that opens them in
//! the user's email program, filled, and the text to copy.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::model::drafts::Draft;

/// What a `mailto:` query leaves as it is (RFC 6068 wants the rest encoded).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A draft as templates see it.
#[derive(Serialize)]
pub(crate) struct DraftView {
    /// `thank-you` or `outreach`.
    pub kind: &'static str,
    /// Unique on its page: the element ids of its text start with it.
    pub id: String,
    pub subject: String,
    pub body: String,
    pub words: usize,
    /// `mailto:` with the address (when the contact has one), subject and body.
    pub mailto: String,
}

/// `draft`, to be sent to `to`, as the `kind` of draft it is; `id` sets it apart from
/// the page's other drafts.
pub(crate) fn view(kind: &'static str, id: String, draft: &Draft, to: Option<&str>) -> DraftView {
    let encode = |text: &str| utf8_percent_encode(text, QUERY).to_string();
    // Mail programs read line ends in a mailto body as CRLF.
    let body = draft.body.replace('\n', "\r\n");
    let address = to.map(|a| {
        utf8_percent_encode(a.trim(), QUERY)
            .to_string()
            .replace("%40", "@")
    });
    let mailto = format!(
        "mailto:{}?subject={}&body={}",
        address.unwrap_or_default(),
        encode(&draft.subject),
        encode(&body)
    );
    DraftView {
        kind,
        id,
        subject: draft.subject.clone(),
        body: draft.body.clone(),
        words: draft.words(),
        mailto,
    }
}
