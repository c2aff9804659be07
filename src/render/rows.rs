//! List rows rendered once and kept across rebuilds.
//!
//! The long pages (the follow-up log, the indexes, the dashboard) are mostly rows, and
//! a save changes few of them. Each row is rendered by its own partial template, and the
//! result is kept under a hash of what the row shows (its input, see
//! [`crate::render::view::ChatInput`]) and the page's `root`. A rebuild then renders only
//! the rows whose input changed; the page's own template lays the kept rows out.

use tera::Value;

use crate::memo::Memo;

/// A kind of list row, with the partial template that renders one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Row {
    Chat,
    Due,
    Touch,
    Contact,
}

impl Row {
    /// The partial that renders one row of this kind.
    pub(crate) fn template(self) -> &'static str {
        match self {
            Row::Chat => "partials/chat-row.html",
            Row::Due => "partials/due-item.html",
            Row::Touch => "partials/touchpoint-row.html",
            Row::Contact => "partials/contact-row.html",
        }
    }

    /// The name the row's partial knows it by.
    pub(crate) fn variable(self) -> &'static str {
        match self {
            Row::Chat | Row::Contact => "c",
            Row::Due => "d",
            Row::Touch => "t",
        }
    }
}

/// Rendered rows, kept across builds under the [`crate::memo::hash`] of their kind, page
/// root and input: an input that changed has another key, so a kept row is never stale.
pub(crate) type RowCache = Memo<Value>;
