//! List rows rendered once and kept across rebuilds.
//!
//! The long pages (the follow-up log, the indexes, the dashboard) are mostly rows, and
//! a save changes few of them. Each row is rendered by its own partial template, and the
//! result is kept under a hash of what the row shows (its input, see
//! [`crate::render::view::ChatInput`]) and the page's `root`. A rebuild then renders only
//! the rows whose input changed; the page's own template lays the kept rows out.
//!
//! Each page's lists are kept too, with their rows' HTML joined, and the `rows` filter
//! finds a kept list's HTML in [`ListHtml`] instead of joining it again. A list that
//! changes is put together from runs of rows, each with its rows' HTML joined, and its
//! runs are kept: the next save that changes one of 25k touchpoints makes one run again,
//! and the list's HTML is its runs' HTML put end to end.

use std::sync::{Arc, Mutex};

use ahash::AHashMap;
use tera::Value;

use crate::memo::Memo;
use crate::render::pages::Page;

/// A kind of list row, with the partial template that renders one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Row {
    Chat,
    Due,
    Touch,
    Contact,
}

impl Row {
    /// The partial that renders one row of this kind.
    pub fn template(self) -> &'static str {
        match self {
            Row::Chat => "partials/chat-row.html",
            Row::Due => "partials/due-item.html",
            Row::Touch => "partials/touchpoint-row.html",
            Row::Contact => "partials/contact-row.html",
        }
    }

    /// The name the row's partial knows it by.
    pub fn variable(self) -> &'static str {
        match self {
            Row::Chat | Row::Contact => "c",
            Row::Due => "d",
            Row::Touch => "t",
        }
    }
}

/// Rendered rows, and the runs and lists made of them, kept across rebuilds.
pub struct RowCache {
    /// Rendered rows by [`Memo::key`] of their kind, page root and input.
    pub rows: Memo<Value>,
    /// Runs of rows by the keys of their rows, for the lists that changed.
    runs: Memo<Run>,
    /// Each page's lists as last made, by page and place on it, with the key of the
    /// list's rows. One a place: a list that changes replaces its old self.
    lists: Mutex<AHashMap<(Page, usize), (u64, List)>>,
}

impl Default for RowCache {
    fn default() -> RowCache {
        RowCache {
            rows: Memo::default(),
            // A run holds ~32 rows and their HTML: fewer may be left behind than rows.
            runs: Memo::with_slack(1_000),
            lists: Mutex::default(),
        }
    }
}

impl RowCache {
    /// The key of a row or run made from `input`, or of a list of rows with these keys.
    pub fn key(input: &impl std::hash::Hash) -> u64 {
        Memo::<Value>::key(input)
    }

    /// The list made last at `place` if its rows' keys hash to `key`, and whether
    /// there was a list there at all.
    pub fn list(&self, place: (Page, usize), key: u64) -> (Option<List>, bool) {
        match self.lock_lists().get(&place) {
            Some((was, list)) if *was == key => (Some(list.clone()), true),
            was => (None, was.is_some()),
        }
    }

    /// Keeps `list`, whose rows' keys hash to `key`, as the list at `place`.
    pub fn keep_list(&self, place: (Page, usize), key: u64, list: List) {
        self.lock_lists().insert(place, (key, list));
    }

    /// The runs kept under `keys`.
    pub fn runs(&self, keys: &[u64]) -> Vec<Option<Run>> {
        self.runs.get_many(keys)
    }

    /// Keeps a run under `key`.
    pub fn keep_run(&self, key: u64, run: Run) {
        self.runs.insert(key, run);
    }

    /// Called after each render: see [`Memo::trim`].
    pub fn trim(&self) {
        self.rows.trim();
        self.runs.trim();
    }

    fn lock_lists(&self) -> std::sync::MutexGuard<'_, AHashMap<(Page, usize), (u64, List)>> {
        // Work that panicked while holding the lock left whole entries only.
        self.lists.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// How many rows a run holds on average. Runs end after a row whose key is a multiple
/// of this: the ends depend on the rows alone, so a row added, removed or changed
/// changes its own run only, where runs of a fixed length would all shift.
pub const RUN_LENGTH: u64 = 32;

/// The rows' keys of each run of a list, by the rows' keys.
pub fn runs(keys: &[u64]) -> impl Iterator<Item = &[u64]> {
    keys.split_inclusive(|key| key % RUN_LENGTH == 0)
}

/// Rows in a row, with their HTML joined.
#[derive(Clone)]
pub struct Run {
    /// The rows, each a map of its fields and `html`.
    pub rows: Arc<[Value]>,
    /// The rows' HTML, one after another.
    pub html: Arc<str>,
}

/// A list of rows, as a page's variable, and its rows' HTML one after another.
#[derive(Clone)]
pub struct List {
    pub rows: Value,
    pub html: Value,
}

/// The HTML of the lists the pages being rendered show, by where their rows are in
/// memory: the `rows` filter is handed a list's rows, not the list it came from.
/// Each entry holds the list it is for, so its rows cannot be freed and another list
/// made at the same address while the entry is there. Emptied after each render.
#[derive(Default)]
pub struct ListHtml {
    by_rows: Mutex<AHashMap<usize, (Value, Value)>>,
}

impl ListHtml {
    /// Keeps `list`'s HTML for the `rows` filter until the render ends.
    pub fn show(&self, list: &List) {
        if let Some(rows) = list.rows.as_array().filter(|rows| !rows.is_empty()) {
            let address = rows.as_ptr() as usize;
            self.lock()
                .insert(address, (list.rows.clone(), list.html.clone()));
        }
    }

    /// The HTML of the kept list whose rows are `rows`.
    pub fn get(&self, rows: &[Value]) -> Option<Value> {
        let by_rows = self.lock();
        let (list, html) = by_rows.get(&(rows.as_ptr() as usize))?;
        let same = list.as_array().is_some_and(|kept| kept.len() == rows.len());
        same.then(|| html.clone())
    }

    /// Forgets every list, once the pages that show them are rendered.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, AHashMap<usize, (Value, Value)>> {
        // Work that panicked while holding the lock left whole entries only.
        self.by_rows.lock().unwrap_or_else(|e| e.into_inner())
    }
}
