//! The search index: JavaScript files the pages load with `<script src>` (a page opened
//! from disk may not `fetch`), read by the theme's `static/search.js`.
//!
//! Notes are spread over shards by a hash of their vault path (each shard is a
//! [`crate::render::view::Slice`] of the vault), so a save rewrites the one shard its
//! note is in, and so does adding or removing a note. `search/index.js` says how many shards there are; each
//! shard, `search/index-N.js`, holds its notes' entries as JSON, deflated and in base64
//! (the text of a 10k-note vault's bodies is about 20 MB; deflated, a few).
//!
//! An entry is `[kind, name, url, aliases, about, questions, text, words, exact]`:
//! `about` is what the note's page says of it in a line (title, company, location,
//! tags); `text` the start of its body's text, for snippets, and `words` every other
//! word of the body once, so that every word is found while the index stays a fraction
//! of the vault ([`body_words`]); `exact` the hashes of its email and phone
//! ([`exact_key`]), which a search finds only when it is typed whole, so no part of
//! them is in the file.

use std::io::Write;

use base64::Engine;
use serde::Serialize;

use crate::model::note::{Data, Kind, NoteId};
use crate::render::view::Views;

/// Where the number of shards is written; the shards are beside it.
pub(crate) const MANIFEST: &str = "search/index.js";

/// About how many notes a shard holds, before rounding the count of shards up to a
/// power of two: few enough that a save rewrites a small file.
const NOTES_PER_SHARD: usize = 128;

/// The most shards: opening a page's search loads each.
const MOST_SHARDS: usize = 128;

/// How much of a body's text an entry keeps as it is, in bytes; the rest is kept as
/// its words.
const TEXT_KEPT: usize = 800;

/// How many shards a vault of `notes` notes has.
pub(crate) fn shard_count(notes: usize) -> usize {
    (notes / NOTES_PER_SHARD)
        .next_power_of_two()
        .clamp(1, MOST_SHARDS)
}

/// The path of shard `i`.
pub(crate) fn shard_path(i: usize) -> String {
    format!("search/index-{i}.js")
}

/// `search/index.js`: how many shards to load.
pub(crate) fn manifest(views: &Views) -> Vec<u8> {
    let notes: usize = Kind::ALL.iter().map(|&k| views.ids_of(k).count()).sum();
    format!("coffeechatSearch.shards({});\n", shard_count(notes)).into_bytes()
}

/// Shard `i`, holding the entries of `ids`.
pub(crate) fn shard(views: &Views, i: usize, ids: &[NoteId]) -> Vec<u8> {
    let entries: Vec<Entry> = ids.iter().map(|&id| entry(views, id)).collect();
    let json = serde_json::to_vec(&entries).expect("entries serialise");
    // The fastest level: the text of generated and real vaults alike compresses well
    // enough at it, and a full build deflates every note's text.
    let mut deflate = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    deflate.write_all(&json).expect("writing to memory");
    let packed = deflate.finish().expect("writing to memory");
    let text = base64::engine::general_purpose::STANDARD.encode(packed);
    format!("coffeechatSearch.shard({i},\"{text}\");\n").into_bytes()
}

/// One note as the search sees it; see the module's documentation.
#[derive(Serialize)]
struct Entry<'a>(
    &'static str,
    &'a str,
    &'a str,
    String,
    String,
    String,
    &'a str,
    &'a str,
    Vec<String>,
);

/// The search's name for a note's kind: the group its results are listed in.
fn group(kind: Kind) -> &'static str {
    match kind {
        Kind::Profile | Kind::Contact => "people",
        Kind::Company => "companies",
        Kind::Interview => "chats",
        Kind::Questions => "questions",
        Kind::Note => "notes",
    }
}

fn entry<'a>(views: &Views<'a>, id: NoteId) -> Entry<'a> {
    let note = views.front(id);
    let link = views.link(id);
    let mut about: Vec<String> = Vec::new();
    let mut questions: Vec<&str> = Vec::new();
    let mut exact = Vec::new();
    let name_of = |r: &Option<crate::model::note::Ref>| {
        let id = r.as_ref().and_then(|r| r.resolved)?;
        Some(views.link(id).name.to_string())
    };
    match &note.data {
        Data::Profile(p) => {
            about.extend(p.headline.clone());
            exact.extend(p.email.as_deref().and_then(email_key));
        }
        Data::Contact(c) => {
            about.extend(c.title.clone());
            about.extend(name_of(&c.company));
            about.extend(c.location.clone());
            exact.extend(c.email.as_deref().and_then(email_key));
            exact.extend(c.phone.as_deref().and_then(phone_key));
        }
        Data::Company(c) => {
            about.extend(c.industry.clone());
            about.extend(c.location.clone());
        }
        Data::Interview(_) => {
            let facts = views.chat_facts(id);
            about.extend(facts.contact.map(|c| views.link(c).name.to_string()));
            about.extend(facts.company.map(|c| views.link(c).name.to_string()));
            questions.extend(facts.questions.iter().map(|q| q.ask.as_str()));
        }
        Data::Questions(b) => questions.extend(b.questions.iter().map(|q| q.ask.as_str())),
        Data::Note(_) => {}
    }
    about.extend(note.tags().iter().map(|t| format!("#{t}")));
    let (text, words) = views.body_text(id);
    Entry(
        group(note.kind),
        link.name,
        link.url,
        note.aliases.join("\n"),
        about.join(" · "),
        questions.join("\n"),
        text,
        words,
        exact,
    )
}

/// A body's text split into its first [`TEXT_KEPT`] bytes (to a word's end) and, in
/// lower case, each word of the rest that they do not have, once, in order.
pub(crate) fn body_words(text: &str) -> (&str, String) {
    if text.len() <= TEXT_KEPT {
        return (text, String::new());
    }
    let at = (TEXT_KEPT..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    let cut = text[at..]
        .find(|c: char| !c.is_alphanumeric())
        .map_or(text.len(), |i| at + i);
    let (kept, rest) = text.split_at(cut);
    let (kept_lower, rest_lower) = (kept.to_lowercase(), rest.to_lowercase());
    // Borrowed, not copied: a full build does this for every note's text.
    let mut seen: ahash::AHashSet<&str> = words_of(&kept_lower).collect();
    let mut words = String::new();
    for word in words_of(&rest_lower) {
        if seen.insert(word) {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(word);
        }
    }
    (kept, words)
}

/// The words of `text`: its runs of letters and digits.
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The key of an email address: what [`exact_key`] makes of it, trimmed and in lower
/// case.
fn email_key(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    email.contains('@').then(|| exact_key(&email))
}

/// The key of a phone number: what [`exact_key`] makes of its digits, when it has
/// enough of them to be one.
fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 5).then(|| exact_key(&digits))
}

/// FNV-1a (32 bits) of `text`'s UTF-8, in hex: search.js hashes what is typed the same
/// way and compares, so an email or phone is found only when typed whole. A hash this
/// short says little of what it was made from, and can make a rare false match, which
/// is harmless in a search of one's own notes.
fn exact_key(text: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in text.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{hash:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_keys_are_fnv1a_of_the_normalised_text() {
        // FNV-1a's published test values.
        assert_eq!(exact_key(""), "811c9dc5");
        assert_eq!(exact_key("a"), "e40c292c");
        assert_eq!(exact_key("foobar"), "bf9cf968");
        assert_eq!(
            email_key(" Ada@Example.COM "),
            Some(exact_key("ada@example.com"))
        );
        assert_eq!(
            phone_key("+1 (312) 555-0199"),
            Some(exact_key("13125550199"))
        );
        assert_eq!(phone_key("n/a"), None);
    }

    #[test]
    fn a_long_body_keeps_its_start_and_the_other_words_once() {
        assert_eq!(body_words("Short text."), ("Short text.", String::new()));
        let start = "word ".repeat(TEXT_KEPT / 5 - 1);
        let text = format!("{start}Wordy end. Pricing, pricing; roadmap — word WORD état");
        let (kept, words) = body_words(&text);
        assert_eq!(kept, format!("{start}Wordy"));
        assert_eq!(words, "end pricing roadmap état");
        // A cut inside a letter of two bytes moves to the word's end.
        let text = format!("{}ééé ça va", "x".repeat(TEXT_KEPT - 1));
        let (kept, words) = body_words(&text);
        assert!(kept.ends_with("ééé"), "{kept}");
        assert_eq!(words, "ça va");
    }

    #[test]
    fn shards_grow_by_powers_of_two() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(200), 1);
        assert_eq!(shard_count(1000), 8);
        assert_eq!(shard_count(10_000), 128);
        assert_eq!(shard_count(1_000_000), MOST_SHARDS);
    }
}
