//! Finding notes by name: slug, file stem, display name, alias or vault path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::model::note::{Data, Kind, Note, NoteId, slugify};
use crate::model::notes::Notes;
use crate::yaml::did_you_mean;

/// Lookup tables over all notes, built once so resolving a reference costs a hash lookup.
#[derive(Debug, Default)]
pub struct Index {
    names: HashMap<String, Vec<NoteId>>,
    paths: HashMap<PathBuf, NoteId>,
    /// Bank question ids, plain (`how-did-you-start`) and qualified (`career-path/how-…`).
    questions: HashMap<String, Vec<(NoteId, usize)>>,
}

/// The keys of the index that notes were taken out of or put under by one change: a
/// lookup by any other key finds what it found before.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    names: ahash::AHashSet<String>,
    paths: ahash::AHashSet<PathBuf>,
    /// The names, as shown, of the notes that left or joined, or were named anew: a
    /// lookup that found nothing suggests the closest of all names, which may be one of
    /// these now.
    shown: Vec<String>,
    /// Whether a question bank left or joined: question ids may find others.
    pub(crate) banks: bool,
    /// The notes read anew, all of whose references are resolved.
    pub(crate) read: Vec<NoteId>,
}

impl Touched {
    /// Adds the keys note `note` is found by.
    pub(crate) fn add(&mut self, note: &Note) {
        self.names.extend(name_keys(note));
        self.paths.insert(note.source.rel.clone());
        self.shown.push(note.name.clone());
        self.banks |= note.kind == Kind::Questions;
    }

    /// Adds a name a note was shown by, before or after it was named anew.
    pub(crate) fn named(&mut self, name: &str) {
        self.shown.push(name.to_string());
    }

    /// Whether a lookup of `target` that found nothing may suggest another note now:
    /// only when a touched name is close enough to be suggested (or was suggested).
    pub(crate) fn near(&self, target: &str) -> bool {
        let shown: Vec<&str> = self.shown.iter().map(String::as_str).collect();
        did_you_mean(target, &shown).is_some()
    }

    /// Whether a lookup by the folded name `key` may find another note now.
    pub(crate) fn name(&self, key: &str) -> bool {
        self.names.contains(key)
    }

    /// Whether a lookup by the vault path `rel` may find another note now.
    pub(crate) fn path(&self, rel: &Path) -> bool {
        self.paths.contains(rel)
    }
}

/// Why a reference did not resolve to exactly one note.
#[derive(Debug, PartialEq, Eq)]
pub enum Miss {
    /// Nothing matches; with the closest name, if any is close.
    Nothing(Option<String>),
    /// Several notes match; their vault paths.
    Ambiguous(Vec<PathBuf>),
    /// Only notes of another kind match; the first one's kind.
    WrongKind(Kind),
}

impl Index {
    /// Every list of the index is in path order, as [`Notes::iter`] goes.
    pub fn build(notes: &Notes) -> Index {
        let mut index = Index::default();
        for id in notes.ids() {
            index.add(notes, id);
        }
        index
    }

    /// Adds note `id` of `notes` under its names, its path and its bank's question
    /// ids, keeping each list in path order.
    pub fn add(&mut self, notes: &Notes, id: NoteId) {
        let note = &notes[id];
        let rank = notes.rank(id);
        for key in name_keys(note) {
            let list = self.names.entry(key).or_default();
            if !list.contains(&id) {
                list.insert(list.partition_point(|&o| notes.rank(o) < rank), id);
            }
        }
        self.paths.insert(note.source.rel.clone(), id);
        for (key, i) in question_keys(note) {
            let list = self.questions.entry(key).or_default();
            let at = list.partition_point(|&(o, j)| (notes.rank(o), j) < (rank, i));
            list.insert(at, (id, i));
        }
    }

    /// Takes note `id`, as `note` was when it was added, out of the index.
    pub fn remove(&mut self, id: NoteId, note: &Note) {
        for key in name_keys(note) {
            if let Some(list) = self.names.get_mut(&key) {
                list.retain(|&o| o != id);
                if list.is_empty() {
                    self.names.remove(&key);
                }
            }
        }
        self.paths.remove(&note.source.rel);
        for (key, _) in question_keys(note) {
            if let Some(list) = self.questions.get_mut(&key) {
                list.retain(|&(o, _)| o != id);
                if list.is_empty() {
                    self.questions.remove(&key);
                }
            }
        }
    }

    /// Whether two versions of a note are found by the same names, as the same kind,
    /// and have the same slug and bank question ids: then swapping one for the other
    /// changes no other note's references.
    pub fn same_keys(a: &Note, b: &Note) -> bool {
        a.kind == b.kind
            && a.slug == b.slug
            && a.source.rel == b.source.rel
            && indexed_name(a) == indexed_name(b)
            && a.aliases == b.aliases
            && bank_questions(a) == bank_questions(b)
    }

    /// The note at a vault-relative path, if there is one.
    pub fn at_path(&self, rel: &Path) -> Option<NoteId> {
        self.paths.get(rel).copied()
    }

    /// Resolves `target` to one note, preferring notes of kind `want` when given.
    pub fn resolve(&self, notes: &Notes, target: &str, want: Option<Kind>) -> Result<NoteId, Miss> {
        self.resolve_key(notes, &fold(target), target, want)
    }

    /// [`Index::resolve`] for a `target` whose folded `key` is known already.
    pub(crate) fn resolve_key(
        &self,
        notes: &Notes,
        key: &str,
        target: &str,
        want: Option<Kind>,
    ) -> Result<NoteId, Miss> {
        let all = self.names.get(key).map_or(&[][..], Vec::as_slice);
        let fitting: Vec<NoteId> = all
            .iter()
            .copied()
            .filter(|&id| want.is_none_or(|k| notes[id].kind == k))
            .collect();
        match (fitting.as_slice(), all.first()) {
            ([one], _) => Ok(*one),
            ([], Some(&other)) => Err(Miss::WrongKind(notes[other].kind)),
            ([], None) => Err(Miss::Nothing(self.closest(notes, target, want))),
            (many, _) => Err(Miss::Ambiguous(
                many.iter()
                    .map(|&id| notes[id].source.rel.clone())
                    .collect(),
            )),
        }
    }

    /// Resolves a body link's `target` as Obsidian does, for a note in the folder
    /// `from`: by path or name; of several notes that fit, the one in `from`, else the
    /// one with the shortest path. Returns the note, and the paths of all that fit when
    /// there were several.
    pub fn resolve_link(
        &self,
        notes: &Notes,
        target: &str,
        from: &Path,
    ) -> Result<(NoteId, Vec<PathBuf>), Miss> {
        match self.resolve(notes, target, None) {
            Ok(id) => Ok((id, Vec::new())),
            Err(Miss::Ambiguous(paths)) => {
                let nearest = paths
                    .iter()
                    .min_by_key(|p| (p.parent() != Some(from), p.as_os_str().len(), *p))
                    .and_then(|p| self.at_path(p));
                match nearest {
                    Some(id) => Ok((id, paths)),
                    None => Err(Miss::Ambiguous(paths)),
                }
            }
            Err(miss) => Err(miss),
        }
    }

    /// Resolves a bank question id.
    pub fn question(&self, id: &str) -> Result<(NoteId, usize), Vec<(NoteId, usize)>> {
        match self.questions.get(&fold(id)).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(many) => Err(many.to_vec()),
            None => Err(Vec::new()),
        }
    }

    fn closest(&self, notes: &Notes, target: &str, want: Option<Kind>) -> Option<String> {
        let names: Vec<&str> = notes
            .iter()
            .map(|(_, n)| n)
            .filter(|n| want.is_none_or(|k| n.kind == k))
            .map(|n| n.name.as_str())
            .collect();
        did_you_mean(target, &names).map(str::to_string)
    }
}

/// Names compare case-insensitively and with `-`, `_` and spaces alike, so that
/// `[[ada lovelace]]`, `ada-lovelace` and `Ada Lovelace` meet.
pub(crate) fn fold(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    if lower.contains('/') {
        lower
    } else {
        slugify(&lower)
    }
}

/// The name a note is found by. An interview without a title is named after its
/// contact once references are resolved, and is not found by that name.
fn indexed_name(note: &Note) -> &str {
    if note.kind == Kind::Interview && note.title.is_none() {
        ""
    } else {
        &note.name
    }
}

/// The names a note is found by, folded: slug, file stem, name, path and aliases.
fn name_keys(note: &Note) -> Vec<String> {
    let rel = &note.source.rel;
    let stem = rel.file_stem().unwrap_or_default().to_string_lossy();
    let bare_path = rel.with_extension("").to_string_lossy().replace('\\', "/");
    let keys = [note.slug.as_str(), &stem, indexed_name(note), &bare_path]
        .into_iter()
        .chain(note.aliases.iter().map(String::as_str));
    keys.filter(|k| !k.trim().is_empty()).map(fold).collect()
}

/// The ids a bank's questions are found by, folded, each with the question's place:
/// plain and with the bank's slug.
fn question_keys(note: &Note) -> Vec<(String, usize)> {
    let questions = bank_questions(note).into_iter().enumerate();
    questions
        .flat_map(|(i, q)| [(fold(q), i), (fold(&format!("{}/{}", note.slug, q)), i)])
        .collect()
}

fn bank_questions(note: &Note) -> Vec<&str> {
    match &note.data {
        Data::Questions(bank) => bank.questions.iter().map(|q| q.id.as_str()).collect(),
        _ => Vec::new(),
    }
}
