//! Note ids across a change that adds or removes notes.
//!
//! A note's id is its place in the vault's path order, so adding or removing a note
//! shifts the ids after it. A rebuild that compares what the written site showed with
//! the vault as it is now first carries the old ids over with a [`Renumbering`].

use crate::model::note::NoteId;

/// The id an old note's references get when the note was removed. It names no note,
/// so whatever held it compares unequal to anything the new vault has.
pub const GONE: NoteId = NoteId::MAX;

/// Old note ids mapped to new ones.
pub struct Renumbering {
    to_new: Vec<Option<NoteId>>,
    len: usize,
}

impl Renumbering {
    /// `to_new[old]` is the new id of old note `old`, `None` if it was removed; the new
    /// vault has `len` notes.
    pub fn new(to_new: Vec<Option<NoteId>>, len: usize) -> Renumbering {
        Renumbering { to_new, len }
    }

    /// How many notes the new vault has.
    pub fn new_len(&self) -> usize {
        self.len
    }

    /// The new id of old note `old`, or [`GONE`].
    pub fn id(&self, old: NoteId) -> NoteId {
        self.to_new.get(old).copied().flatten().unwrap_or(GONE)
    }

    /// A table indexed by old ids, laid out by new ids: added notes get the default,
    /// removed notes' entries are dropped. Ids inside the entries are left as they are.
    pub fn reindex<T: Default>(&self, old: Vec<T>) -> Vec<T> {
        let mut new: Vec<T> = std::iter::repeat_with(T::default).take(self.len).collect();
        for (entry, to) in old.into_iter().zip(&self.to_new) {
            if let Some(to) = to {
                new[*to] = entry;
            }
        }
        new
    }
}

/// Values that hold note ids.
pub trait Renumber {
    /// Replaces every old id held with its new one.
    fn renumber(&mut self, r: &Renumbering);
}

impl Renumber for NoteId {
    fn renumber(&mut self, r: &Renumbering) {
        *self = r.id(*self);
    }
}

impl<T: Renumber> Renumber for Option<T> {
    fn renumber(&mut self, r: &Renumbering) {
        if let Some(value) = self {
            value.renumber(r);
        }
    }
}

impl<T: Renumber> Renumber for Vec<T> {
    fn renumber(&mut self, r: &Renumbering) {
        for value in self {
            value.renumber(r);
        }
    }
}

impl<T: Renumber, U> Renumber for (T, U) {
    fn renumber(&mut self, r: &Renumbering) {
        self.0.renumber(r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_their_notes_and_removed_ones_are_gone() {
        // Old notes a, b, c; b removed, x added before c: new a, x, c.
        let r = Renumbering::new(vec![Some(0), None, Some(2)], 3);
        let mut ids = vec![0, 1, 2];
        ids.renumber(&r);
        assert_eq!(ids, [0, GONE, 2]);
        assert_eq!(r.reindex(vec!["a", "b", "c"]), ["a", "", "c"]);
    }
}
