//! The vault's notes by stable id.
//!
//! A note's id is interned from its vault path ([`NoteIds`]): it stays the same for a
//! whole session, and across the build record that the next build resumes from, so
//! tables kept from one build to the next can be compared by id as they are. A removed
//! note leaves a hole, and its id is not given to another path.
//!
//! Ids say nothing of order. What the site lists in vault order goes through
//! [`Notes::ids`] (path order), and sorts that need a last tie-break use
//! [`Notes::rank`], so a session's output stays byte for byte a fresh build's.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::note::{Note, NoteId};

/// Vault paths and the ids given to them; ids are never reused.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(from = "Vec<PathBuf>", into = "Vec<PathBuf>")]
pub struct NoteIds {
    paths: Vec<PathBuf>,
    by_path: HashMap<PathBuf, NoteId>,
}

impl From<Vec<PathBuf>> for NoteIds {
    fn from(paths: Vec<PathBuf>) -> NoteIds {
        let by_path = paths.iter().cloned().zip(0..).collect();
        NoteIds { paths, by_path }
    }
}

impl From<NoteIds> for Vec<PathBuf> {
    fn from(ids: NoteIds) -> Vec<PathBuf> {
        ids.paths
    }
}

impl NoteIds {
    /// The id of the note at `rel`, given now if the path has none yet.
    pub fn intern(&mut self, rel: &Path) -> NoteId {
        if let Some(&id) = self.by_path.get(rel) {
            return id;
        }
        let id = self.paths.len();
        self.paths.push(rel.to_path_buf());
        self.by_path.insert(rel.to_path_buf(), id);
        id
    }

    /// How many ids were given: every id is below this.
    pub fn bound(&self) -> usize {
        self.paths.len()
    }
}

/// The notes of a vault, each in the slot of its id.
#[derive(Debug, Default)]
pub struct Notes {
    slots: Vec<Option<Note>>,
    /// The ids of the notes there are, in path order.
    order: Vec<NoteId>,
    /// Each id's place in `order`; `usize::MAX` for a hole.
    rank: Vec<usize>,
}

impl Notes {
    /// Puts `notes` in the slots of their paths' ids, interning new paths in `ids`.
    pub fn new(notes: Vec<Note>, ids: &mut NoteIds) -> Notes {
        let mut slots: Vec<Option<Note>> = Vec::new();
        for note in notes {
            let id = ids.intern(&note.source.rel);
            if slots.len() <= id {
                slots.resize_with(id + 1, || None);
            }
            slots[id] = Some(note);
        }
        slots.resize_with(ids.bound(), || None);
        let mut order: Vec<NoteId> = (0..slots.len()).filter(|&id| slots[id].is_some()).collect();
        order.sort_by(|&a, &b| path(&slots, a).cmp(path(&slots, b)));
        let mut notes = Notes {
            slots,
            order,
            rank: Vec::new(),
        };
        notes.rerank();
        notes
    }

    /// Puts `note` in the slot of its path's id, interned in `ids`, in place of the note
    /// there if any: a note added or read again. Returns its id.
    pub(crate) fn put(&mut self, note: Note, ids: &mut NoteIds) -> NoteId {
        let id = ids.intern(&note.source.rel);
        self.slots.resize_with(ids.bound(), || None);
        if self.slots[id].is_none() {
            let at = self
                .order
                .partition_point(|&o| path(&self.slots, o) < note.source.rel.as_path());
            self.order.insert(at, id);
        }
        self.slots[id] = Some(note);
        self.rerank();
        id
    }

    /// Takes note `id` out, leaving a hole.
    pub(crate) fn remove(&mut self, id: NoteId) -> Option<Note> {
        let note = self.slots.get_mut(id)?.take()?;
        self.order.retain(|&o| o != id);
        self.rerank();
        Some(note)
    }

    fn rerank(&mut self) {
        self.rank = vec![usize::MAX; self.slots.len()];
        for (place, &id) in self.order.iter().enumerate() {
            self.rank[id] = place;
        }
    }

    /// The ids of the notes, in path order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = NoteId> + Clone + '_ {
        self.order.iter().copied()
    }

    /// The notes with their ids, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (NoteId, &Note)> + Clone + '_ {
        self.ids().map(|id| (id, &self[id]))
    }

    /// The notes, in path order.
    pub fn values(&self) -> impl Iterator<Item = &Note> + Clone + '_ {
        self.ids().map(|id| &self[id])
    }

    /// The note with id `id`, if it is in the vault.
    pub fn get(&self, id: NoteId) -> Option<&Note> {
        self.slots.get(id)?.as_ref()
    }

    /// How many notes there are.
    pub fn count(&self) -> usize {
        self.order.len()
    }

    /// The size of a table indexed by note id: every id is below it.
    pub fn bound(&self) -> usize {
        self.slots.len()
    }

    /// Note `id`'s place in path order: the tie-break of sorts that must not depend
    /// on ids.
    pub fn rank(&self, id: NoteId) -> usize {
        self.rank.get(id).copied().unwrap_or(usize::MAX)
    }
}

fn path(slots: &[Option<Note>], id: NoteId) -> &Path {
    slots[id].as_ref().map_or(Path::new(""), |n| &n.source.rel)
}

impl std::ops::Index<NoteId> for Notes {
    type Output = Note;

    fn index(&self, id: NoteId) -> &Note {
        self.get(id)
            .unwrap_or_else(|| panic!("note {id} is not in the vault"))
    }
}

impl std::ops::IndexMut<NoteId> for Notes {
    fn index_mut(&mut self, id: NoteId) -> &mut Note {
        self.slots[id]
            .as_mut()
            .unwrap_or_else(|| panic!("note {id} is not in the vault"))
    }
}
