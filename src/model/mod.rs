//! Stage 2, model: typed notes, resolved references, backlinks and what is due.

pub(crate) mod agenda;
pub(crate) mod drafts;
pub(crate) mod ledger;
pub(crate) mod note;
pub(crate) mod notes;
pub(crate) mod prep;
pub(crate) mod refs;
pub(crate) mod settings;
pub(crate) mod time;

use std::path::Path;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diag::{Diagnostic, Pos};
use crate::load::SourceNote;
use crate::rules::Rule;
use note::{Data, Kind, Note, NoteId, Ref};
use notes::{NoteIds, Notes};
use refs::{Index, Miss, Touched};
use settings::Settings;

/// The whole vault, typed and cross-referenced.
#[derive(Debug)]
pub struct Vault {
    pub settings: Settings,
    pub notes: Notes,
    /// The ids given to vault paths, kept from build to build.
    pub ids: NoteIds,
    pub index: Index,
    pub today: Date,
    /// The profile note (`me.md`), if any.
    pub profile: Option<NoteId>,
    /// The templates drafts are written with.
    pub(crate) drafts: drafts::Templates,
}

/// What [`Vault::restructure`] did.
pub(crate) struct Restructured {
    /// The problems found across notes: of the notes in `resolved`, and of the rules
    /// in [`KEY_RULES`]. Other notes' problems stand as they were.
    pub(crate) diags: Vec<Diagnostic>,
    /// The notes whose references were resolved again.
    pub(crate) resolved: Vec<NoteId>,
    /// The notes whose references now find other notes or whose names changed.
    pub(crate) moved: Vec<NoteId>,
    /// The index keys notes left or joined, and the ids of the notes read.
    pub(crate) touched: Touched,
}

/// Types every note, in parallel: each note with the problems found in its file.
pub(crate) fn type_notes(sources: Vec<SourceNote>) -> Vec<(Note, Vec<Diagnostic>)> {
    sources
        .into_par_iter()
        .map(|s| {
            let mut diags = Vec::new();
            (note::read_note(s, &mut diags), diags)
        })
        .collect()
}

impl Vault {
    /// Indexes the names of typed notes and resolves their front-matter references.
    /// Returns the problems found across notes (duplicate slugs and profiles, references
    /// that do not resolve); the vault is usable for rendering only when none of them,
    /// and none found typing the notes, is an error.
    /// Notes at paths that `ids` has seen keep their ids.
    pub fn new(
        notes: Vec<Note>,
        settings: Settings,
        today: Date,
        mut ids: NoteIds,
    ) -> (Vault, Vec<Diagnostic>) {
        let notes = Notes::new(notes, &mut ids);
        let mut vault = Vault {
            settings,
            index: Index::build(&notes),
            notes,
            ids,
            today,
            profile: None,
            drafts: drafts::Templates::default(),
        };
        let (diags, _) = vault.cross_reference(None);
        (vault, diags)
    }

    /// Takes the notes `gone` out and puts the notes `read` in (new ones or ones read
    /// again), in the index too, then resolves every reference anew as [`Vault::new`]
    /// does, keeping every other note as typed. Returns the ids of the notes read, the
    /// problems found across notes, the notes whose references now find other notes or
    /// whose names changed (an interview is named after its contact), and the index keys
    /// that notes left or joined.
    pub(crate) fn restructure(&mut self, gone: &[NoteId], read: Vec<Note>) -> Restructured {
        let found = |vault: &Vault| -> Vec<u64> {
            (0..vault.notes.bound())
                .into_par_iter()
                .map(|id| {
                    let n = vault.notes.get(id);
                    crate::memo::hash(&n.map(|n| (n.resolved(), &n.name)))
                })
                .collect()
        };
        let before = found(self);
        let mut touched = Touched::default();
        for &id in gone {
            if let Some(note) = self.notes.remove(id) {
                self.index.remove(id, &note);
                touched.add(&note);
            }
        }
        for note in read {
            if let Some(id) = self.index.at_path(&note.source.rel) {
                self.index.remove(id, &self.notes[id]);
                touched.add(&self.notes[id]);
            }
            touched.add(&note);
            let id = self.notes.put(note, &mut self.ids);
            self.index.add(&self.notes, id);
            touched.read.push(id);
        }
        let (diags, resolved) = self.cross_reference(Some(&mut touched));
        let after = found(self);
        let moved = (0..after.len())
            .filter(|&id| before.get(id) != Some(&after[id]))
            .collect();
        Restructured {
            diags,
            resolved,
            moved,
            touched,
        }
    }

    /// Resolves the notes' references through the index and names the interviews;
    /// returns the problems found across notes. After notes left or joined the index
    /// under `touched`, only the references that may find another note are resolved.
    fn cross_reference(&mut self, touched: Option<&mut Touched>) -> (Vec<Diagnostic>, Vec<NoteId>) {
        let mut diags = duplicate_slugs(&self.notes);
        diags.extend(extra_profiles(&self.notes));
        self.profile = self
            .notes
            .iter()
            .find(|(_, n)| n.kind == Kind::Profile)
            .map(|(id, _)| id);
        let (found, resolved) = self.resolve_references(touched.as_deref());
        diags.extend(found);
        self.name_interviews(touched);
        (diags, resolved)
    }

    /// The notes of a kind, in path order.
    pub fn ids_of(&self, kind: Kind) -> impl Iterator<Item = NoteId> + '_ {
        self.notes
            .ids()
            .filter(move |&id| self.notes[id].kind == kind)
    }

    /// Returns the problems found and the notes resolved.
    fn resolve_references(&mut self, touched: Option<&Touched>) -> (Vec<Diagnostic>, Vec<NoteId>) {
        let again =
            |id| touched.is_none_or(|t| t.read.contains(&id) || self.may_find_another(id, t));
        let ids: Vec<NoteId> = (self.notes.ids())
            .filter(|&id| self.resolves(id) && again(id))
            .collect();
        let mut lent: Vec<Data> = ids.iter().map(|&id| self.lend(id)).collect();
        let diags: Vec<Vec<Diagnostic>> = (ids.par_iter().zip(&mut lent))
            .map(|(&id, data)| {
                let mut diags = Vec::new();
                self.resolve_data(&self.notes[id].source.rel, data, &mut diags);
                diags
            })
            .collect();
        for (&id, data) in ids.iter().zip(lent) {
            self.notes[id].data = data;
        }
        (diags.concat(), ids)
    }

    /// Resolves note `id`'s references.
    fn resolve_note(&mut self, id: NoteId, diags: &mut Vec<Diagnostic>) {
        if !self.resolves(id) {
            return;
        }
        let mut data = self.lend(id);
        self.resolve_data(&self.notes[id].source.rel, &mut data, diags);
        self.notes[id].data = data;
    }

    /// Whether a reference of note `id` may find another note, or suggest another,
    /// now that notes left or joined the index under `touched`: one by a touched key,
    /// and one that found nothing when a touched name is close to it (its problem
    /// suggests the closest name). Any other reference finds what it found, and has the
    /// problem it had.
    fn may_find_another(&self, id: NoteId, touched: &Touched) -> bool {
        let moved =
            |r: &Ref| touched.name(&r.key) || (r.resolved.is_none() && touched.near(&r.target));
        match &self.notes[id].data {
            Data::Contact(c) => [&c.company, &c.introduced_by]
                .into_iter()
                .flatten()
                .any(moved),
            Data::Interview(i) => {
                let questions = i.questions.iter().filter(|q| q.bank_ref.is_some());
                i.with.iter().chain(&i.referrals).any(moved)
                    || questions
                        .into_iter()
                        .any(|q| q.resolved.is_none() || touched.banks)
            }
            _ => false,
        }
    }

    /// Whether note `id` refers to other notes.
    fn resolves(&self, id: NoteId) -> bool {
        matches!(self.notes[id].data, Data::Contact(_) | Data::Interview(_))
    }

    /// Takes note `id`'s data out for resolving. Resolving only reads names, kinds and
    /// question banks, never another contact's or interview's data, so it can be lent
    /// out meanwhile, and several notes' data resolved side by side.
    fn lend(&mut self, id: NoteId) -> Data {
        let placeholder = Data::Note(note::Plain { tags: Vec::new() });
        std::mem::replace(&mut self.notes[id].data, placeholder)
    }

    /// Puts an edited note in place of note `id`, which must have the same names, slug
    /// and kind (see [`Index::same_keys`]) so that no other note's references change.
    /// Returns the problems found resolving its references.
    pub fn replace(&mut self, id: NoteId, note: Note) -> Vec<Diagnostic> {
        debug_assert!(Index::same_keys(&self.notes[id], &note));
        self.notes.put(note, &mut self.ids);
        let mut diags = Vec::new();
        self.resolve_note(id, &mut diags);
        if let Some(name) = self.interview_name(id) {
            self.notes[id].name = name;
        }
        diags
    }

    fn resolve_data(&self, rel: &Path, data: &mut Data, diags: &mut Vec<Diagnostic>) {
        let mut one = |r: &mut Option<Ref>, kind| {
            if let Some(r) = r {
                self.resolve_ref(rel, r, kind, diags);
            }
        };
        match data {
            Data::Contact(c) => {
                one(&mut c.company, Kind::Company);
                one(&mut c.introduced_by, Kind::Contact);
            }
            Data::Interview(i) => {
                one(&mut i.with, Kind::Contact);
                for r in &mut i.referrals {
                    self.resolve_referral(rel, r, diags);
                }
                for q in &mut i.questions {
                    self.resolve_question(rel, q, diags);
                }
            }
            _ => {}
        }
    }

    fn resolve_ref(&self, rel: &Path, r: &mut Ref, kind: Kind, diags: &mut Vec<Diagnostic>) {
        // A note kept from an earlier build may hold an id that no longer resolves.
        r.resolved = None;
        match (self.index).resolve_key(&self.notes, &r.key, &r.target, Some(kind)) {
            Ok(id) => r.resolved = Some(id),
            Err(miss) => diags.push(miss_diagnostic(
                rel,
                r.raw.pos,
                &r.target,
                kind.noun(),
                miss,
            )),
        }
    }

    /// A referral may name someone who is not a contact yet: the ledger lists them by
    /// name. One whose name is close to a contact's is more likely a slip, and stays an
    /// error.
    fn resolve_referral(&self, rel: &Path, r: &mut Ref, diags: &mut Vec<Diagnostic>) {
        r.resolved = None;
        match (self.index).resolve_key(&self.notes, &r.key, &r.target, Some(Kind::Contact)) {
            Ok(id) => r.resolved = Some(id),
            Err(Miss::Nothing(None)) => {}
            Err(Miss::Nothing(Some(close))) => {
                let d = miss_diagnostic(rel, r.raw.pos, &r.target, "contact", Miss::Nothing(None));
                diags.push(d.with_hint(format!(
                    "did you mean `{close}`? If `{}` is someone else, create them: {}",
                    r.target,
                    crate::model::ledger::new_contact_command(&r.target, None)
                )));
            }
            Err(miss) => diags.push(miss_diagnostic(rel, r.raw.pos, &r.target, "contact", miss)),
        }
    }

    fn resolve_question(
        &self,
        rel: &Path,
        q: &mut note::QuestionItem,
        diags: &mut Vec<Diagnostic>,
    ) {
        q.resolved = None;
        let Some(id) = &q.bank_ref else { return };
        match self.index.question(&id.value) {
            Ok(found) => q.resolved = Some(found),
            Err(many) if many.is_empty() => {
                let d = Diagnostic::new(
                    Rule::UnknownReference,
                    rel,
                    id.pos,
                    format!("no question bank has a question with id `{}`", id.value),
                );
                diags.push(match self.closest_question(&id.value) {
                    Some(best) => d.with_hint(format!("did you mean `{best}`?")),
                    None => d.with_hint("a question's id is its `id`, else the slug of its text"),
                });
            }
            Err(many) => {
                let names: Vec<String> = many
                    .iter()
                    .map(|(bank, i)| {
                        let b = &self.notes[*bank];
                        let Data::Questions(qs) = &b.data else {
                            unreachable!()
                        };
                        format!("{}/{}", b.slug, qs.questions[*i].id)
                    })
                    .collect();
                diags.push(
                    Diagnostic::new(
                        Rule::AmbiguousReference,
                        rel,
                        id.pos,
                        format!(
                            "question id `{}` is in several banks: {}",
                            id.value,
                            names.join(", ")
                        ),
                    )
                    .with_hint(format!("write it with its bank, like `ref: {}`", names[0])),
                );
            }
        }
    }

    /// The bank question id closest to `id`, if one is close: written with its bank
    /// (`career-path/typical-week`) when `id` is.
    fn closest_question(&self, id: &str) -> Option<String> {
        let with_bank = id.contains('/');
        let mut ids: Vec<String> = Vec::new();
        for (_, n) in self.notes.iter() {
            if let Data::Questions(bank) = &n.data {
                ids.extend(bank.questions.iter().map(|q| match with_bank {
                    true => format!("{}/{}", n.slug, q.id),
                    false => q.id.clone(),
                }));
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let known: Vec<&str> = ids.iter().map(String::as_str).collect();
        crate::yaml::did_you_mean(id, &known).map(str::to_string)
    }

    /// Names the interviews without a title after their contacts, adding the names
    /// that changed, old and new, to `touched`.
    fn name_interviews(&mut self, mut touched: Option<&mut Touched>) {
        let names: Vec<(NoteId, String)> = self
            .notes
            .ids()
            .filter_map(|id| Some((id, self.interview_name(id)?)))
            .collect();
        for (id, name) in names {
            let old = std::mem::replace(&mut self.notes[id].name, name);
            if let Some(touched) = touched
                .as_deref_mut()
                .filter(|_| old != self.notes[id].name)
            {
                touched.named(&old);
                touched.named(&self.notes[id].name);
            }
        }
    }

    /// Interviews without a title are called "Chat with NAME, DATE".
    fn interview_name(&self, id: NoteId) -> Option<String> {
        let n = &self.notes[id];
        let Data::Interview(i) = &n.data else {
            return None;
        };
        if n.title.is_some() {
            return None;
        }
        let who = i
            .with
            .as_ref()
            .map(|r| {
                r.resolved
                    .map_or(r.target.clone(), |id| self.notes[id].name.clone())
            })
            .unwrap_or_else(|| "someone".into());
        Some(match &i.when {
            Some(w) => format!("Chat with {who}, {}", w.date),
            None => format!("Chat with {who}"),
        })
    }
}

/// The diagnostic for a reference that did not resolve.
pub(crate) fn miss_diagnostic(
    rel: &Path,
    pos: Pos,
    target: &str,
    want: &str,
    miss: Miss,
) -> Diagnostic {
    match miss {
        Miss::Nothing(close) => {
            let d = Diagnostic::new(
                Rule::UnknownReference,
                rel,
                pos,
                format!("no {want} is called `{target}`"),
            );
            match close {
                Some(name) => d.with_hint(format!("did you mean `{name}`?")),
                None => d.with_hint(format!("create the {want} note, or fix the name")),
            }
        }
        Miss::Ambiguous(paths) => {
            let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            Diagnostic::new(
                Rule::AmbiguousReference,
                rel,
                pos,
                format!("`{target}` could mean any of: {}", list.join(", ")),
            )
            .with_hint(format!(
                "write the note's path instead, like `[[{}]]`",
                paths[0].with_extension("").display()
            ))
        }
        Miss::WrongKind(kind) => Diagnostic::new(
            Rule::WrongKind,
            rel,
            pos,
            format!(
                "`{target}` is a {} note, but a {want} is expected here",
                kind.noun()
            ),
        ),
    }
}

/// The rules [`Vault::new`] checks across notes by their paths, kinds and slugs alone,
/// which [`Vault::replace`] keeps: what they found about a note stands after an edit.
pub(crate) const KEY_RULES: [Rule; 2] = [Rule::DuplicateSlug, Rule::DuplicateProfile];

/// Two notes of one kind with one slug would write one page; refuse, naming both.
fn duplicate_slugs(notes: &Notes) -> Vec<Diagnostic> {
    let mut seen: ahash::AHashMap<(Kind, &str), &Path> = ahash::AHashMap::new();
    let mut diags = Vec::new();
    for (_, n) in notes.iter() {
        if let Some(first) = seen.insert((n.kind, &n.slug), &n.source.rel) {
            diags.push(
                Diagnostic::new(
                    Rule::DuplicateSlug,
                    &n.source.rel,
                    Pos::FILE,
                    format!(
                        "this {} has the slug `{}`, like `{}`; both would be written to {}",
                        n.kind.noun(),
                        n.slug,
                        first.display(),
                        note::page_url(n.kind, &n.slug)
                    ),
                )
                .with_hint("rename one of the two files"),
            );
        }
    }
    diags
}

fn extra_profiles(notes: &Notes) -> Vec<Diagnostic> {
    notes
        .iter()
        .map(|(_, n)| n)
        .filter(|n| n.kind == Kind::Profile)
        .skip(1)
        .map(|n| {
            Diagnostic::new(
                Rule::DuplicateProfile,
                &n.source.rel,
                Pos::FILE,
                "the vault already has a profile note; there can be only one (me.md)",
            )
        })
        .collect()
}
