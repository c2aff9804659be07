//! The one place YAML is parsed: by serde-saphyr, or straight from the events of its parser.
//!
//! Front matter and settings are parsed into a small tree of [`Node`]s that remember
//! where each value stood, so that every later complaint (a bad date, an unknown field,
//! a reference to nothing) can point at the exact line and column. The tree is then
//! read field by field by [`Fields`], which collects every problem instead of stopping
//! at the first.
//!
//! Most front matter is plain: a mapping of text, numbers, dates and short lists. That
//! is read straight from the parser's events ([`events::tree`]), about twice as fast as
//! going through serde; anything unusual (anchors, tags, merge keys, a
//! possible duplicate key, an error, deep nesting) is left to serde-saphyr, so that its
//! limits and messages stay the only ones.

use std::fmt;
use std::fmt::Write as _;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DefaultMessageFormatter, MessageFormatter, Options, Spanned};

use crate::diag::{Diagnostic, Pos};
use crate::rules::Rule;

/// A YAML value with its position.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub value: Value,
    /// Position in the YAML text (1-based), before shifting into file coordinates.
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    /// A number, as written: `1.50` stays `1.50` and an integer too long for any number
    /// type stays whole, so a field that wants text keeps it and a message quotes it.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// A short name of the value's type for messages, e.g. "a list".
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Number(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The text of a scalar, as the user wrote it for strings and numbers.
    pub(crate) fn as_scalar_text(&self) -> Option<String> {
        match self {
            Value::Str(s) | Value::Number(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

mod events;
mod slips;

/// Limits that keep hostile input (alias bombs, deep nesting) cheap to refuse.
/// `yes`/`no` stay text (only `true`/`false` are booleans) and `0612` stays text, so a
/// phone number or an answer is never silently turned into something else.
fn options() -> Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 32,
            max_nodes: MAX_VALUES,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_documents: 1,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 50_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 100,
        },
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        with_snippet: false,
    }
}

/// Parses `text`, whose first line is line `first_line` of `file`, into a [`Node`].
/// Positions in the result and in the error are in file coordinates.
pub(crate) fn parse(text: &str, file: &Path, first_line: u32) -> Result<Node, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Null,
            pos: Pos::new(first_line, 1, 0),
        });
    }
    let parsed = match events::tree(text) {
        Some(node) => Ok(node),
        None => through_serde(text),
    };
    match parsed {
        Ok(mut node) => {
            shift(&mut node, first_line - 1);
            Ok(node)
        }
        Err(err) => Err(yaml_error(&err, text, file, first_line - 1)),
    }
}

/// `text` read by serde-saphyr, numbers as written.
fn through_serde(text: &str) -> Result<Node, serde_saphyr::Error> {
    let mut node = serde_saphyr::from_str_with_options::<Node>(text, options())?;
    written_numbers(&mut node, &text.split('\n').collect::<Vec<_>>());
    Ok(node)
}

/// The last `[` or `{` left open on a line before `error_line` (YAML coordinates), if any.
/// The parser notices an unclosed flow list only where the next field fails, a line
/// or more later; the user's mistake is at the bracket.
fn unclosed_bracket(text: &str, error_line: u32) -> Option<(u32, u32, char)> {
    let mut open: Vec<(u32, u32, char)> = Vec::new();
    for (i, line) in text
        .lines()
        .take(error_line.saturating_sub(1) as usize)
        .enumerate()
    {
        let mut quote = None;
        for (j, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => open.push((i as u32 + 1, j as u32 + 1, c)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    open.last().copied()
}

/// The diagnostic for a YAML error in `text`, whose first line is line
/// `line_offset + 1` of `file`: in plain words where it is one of the common slips.
fn yaml_error(err: &serde_saphyr::Error, text: &str, file: &Path, line_offset: u32) -> Diagnostic {
    let pos = err
        .location()
        .filter(|l| l.line() > 0)
        .map_or(Pos::new(line_offset + 1, 1, 0), |l| {
            Pos::new(l.line() as u32 + line_offset, l.column().max(1) as u32, 1)
        });
    let yaml_line = pos.line - line_offset;
    let words = yaml_message(err, false);
    let (pos, message, hint) =
        if let Some((line, column, bracket)) = unclosed_bracket(text, yaml_line) {
            let message = format!(
                "this `{bracket}` is never closed, so the YAML parser stumbled on line {}",
                pos.line
            );
            let hint = words.and_then(|(_, hint)| hint);
            (Pos::new(line + line_offset, column, 1), message, hint)
        } else if let Some((message, hint)) = words {
            (pos, message, hint)
        } else if let Some(slip) = slips::explain(text, yaml_line, line_offset) {
            let at = Pos::new(slip.line + line_offset, slip.column, slip.len);
            (at, slip.message, Some(slip.hint))
        } else {
            // The formatter gives the message alone; we show the position ourselves.
            let message = DefaultMessageFormatter.format_message(err);
            (pos, format!("invalid YAML: {message}"), None)
        };
    let d = Diagnostic::new(Rule::YamlSyntax, file, pos, message);
    match hint {
        Some(hint) => d.with_hint(hint),
        None => d,
    }
}

/// Most values one front matter may hold; more is refused (a bound on the memory one
/// note takes, whatever its text).
const MAX_VALUES: usize = 100_000;

/// Words for the user, and a hint, for the errors whose messages speak to the
/// developers who set the limits (budgets, duplicate keys); `None` for a syntax error,
/// which the parser words, and which may be one of the common [`slips`].
/// `aliased` says the error arose while an `*alias` was read.
fn yaml_message(err: &serde_saphyr::Error, aliased: bool) -> Option<(String, Option<String>)> {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let alone = |m: &str| Some((m.to_string(), None));
    match err {
        E::WithSnippet { error, .. } => yaml_message(error, aliased),
        E::AliasError { error, .. } => yaml_message(error, true),
        E::DuplicateMappingKey { key: Some(k), .. } => {
            alone(&format!("the field `{k}` is written twice"))
        }
        E::DuplicateMappingKey { key: None, .. } => alone("a field is written twice"),
        E::Budget {
            breach: B::Documents { .. },
            ..
        } => alone("the front matter holds more than one YAML document (a stray `---` line?)"),
        E::Budget {
            breach: B::Depth { .. },
            ..
        } => alone("the values are nested too deeply (over 32 levels)"),
        // The parser counts the values as written, before any alias is replayed.
        E::Budget {
            breach: B::Nodes { .. } | B::Events { .. },
            ..
        } if !aliased => Some((
            format!(
                "the front matter holds more than {MAX_VALUES} values (each field name, \
                 value and list item counts one) and was not read; the count runs over here"
            ),
            Some("move long lists, such as an old log, into the note's body".into()),
        )),
        E::Budget {
            breach:
                B::Aliases { .. }
                | B::Anchors { .. }
                | B::AliasAnchorRatio { .. }
                | B::MergeKeys { .. }
                | B::Nodes { .. }
                | B::Events { .. },
            ..
        }
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => alone(
            "the front matter expands to too much data (`&anchors` and `*aliases` used \
             many times over); it was refused",
        ),
        _ => None,
    }
}

/// Gives each number the text it has in `lines` (the YAML text), where its position
/// finds a number there: not at an alias, which keeps the value serde-saphyr read.
fn written_numbers(node: &mut Node, lines: &[&str]) {
    match &mut node.value {
        Value::Number(number) => {
            let pos = node.pos;
            let written = lines.get((pos.line as usize).wrapping_sub(1)).map(|line| {
                let chars = line.chars().skip((pos.column as usize).saturating_sub(1));
                chars.take(pos.len as usize).collect::<String>()
            });
            if let Some(w) = written.filter(|w| {
                w.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
            }) {
                *number = w;
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(|n| written_numbers(n, lines)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            written_numbers(k, lines);
            written_numbers(v, lines);
        }),
        _ => {}
    }
}

fn shift(node: &mut Node, by: u32) {
    node.pos.line += by;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            shift(k, by);
            shift(v, by);
        }),
        _ => {}
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(d)?;
        let loc = spanned.referenced;
        Ok(Node {
            value: spanned.value,
            pos: Pos::new(
                loc.line() as u32,
                loc.column() as u32,
                loc.span().len() as u32,
            ),
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    // Numbers get their text as written from the source afterwards ([`written_numbers`]);
    // this is what an alias to one shows.
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<Node, Node>()? {
            entries.push((k, v));
        }
        Ok(Value::Map(entries))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Value, E> {
        Err(E::custom("binary values are not supported"))
    }
}

/// A scalar read as text, with where it stood.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Text {
    pub value: String,
    #[serde(skip)]
    pub pos: Pos,
}

/// Reads the fields of one YAML mapping, collecting a diagnostic for each problem.
///
/// Call the typed getters for every field the kind knows, then [`Fields::finish`], which
/// warns about the fields nobody asked for (with a "did you mean").
pub(crate) struct Fields<'a> {
    file: &'a Path,
    at: Pos,
    entries: Vec<(&'a str, &'a Node, &'a Node)>,
    asked: Vec<&'static str>,
    diags: &'a mut Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// Starts reading `node`, which must be a mapping (null counts as empty).
    /// `what` names the thing for messages ("front matter", "a question").
    pub(crate) fn new(
        node: &'a Node,
        file: &'a Path,
        what: &str,
        diags: &'a mut Vec<Diagnostic>,
    ) -> Option<Fields<'a>> {
        let entries: &[(Node, Node)] = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            other => {
                let d = Diagnostic::new(
                    Rule::WrongType,
                    file,
                    node.pos,
                    format!(
                        "{what} must be a mapping of `field: value` lines, not {}",
                        other.kind()
                    ),
                );
                let fix = match other {
                    Value::Str(text) => slips::unspaced_field(text),
                    _ => None,
                };
                diags.push(match fix {
                    Some(fix) => d.with_hint(fix),
                    None => d,
                });
                return None;
            }
        };
        let mut fields = Fields {
            file,
            at: node.pos,
            entries: Vec::with_capacity(entries.len()),
            asked: Vec::new(),
            diags,
        };
        for (k, v) in entries {
            match &k.value {
                Value::Str(key) => fields.entries.push((key.as_str(), k, v)),
                other => fields.diags.push(Diagnostic::new(
                    Rule::WrongType,
                    file,
                    k.pos,
                    format!("field names must be text, not {}", other.kind()),
                )),
            }
        }
        Some(fields)
    }

    /// Every field name and where it stands.
    pub(crate) fn keys(&self) -> Vec<(String, Pos)> {
        self.entries
            .iter()
            .map(|(k, node, _)| (k.to_string(), node.pos))
            .collect()
    }

    pub(crate) fn file(&self) -> &'a Path {
        self.file
    }

    /// The position of the mapping itself, for "missing field" messages.
    pub(crate) fn pos(&self) -> Pos {
        self.at
    }

    pub(crate) fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// The raw node of a field; `null` counts as absent.
    pub(crate) fn node(&mut self, key: &'static str) -> Option<&'a Node> {
        self.asked.push(key);
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| *v)
            .filter(|v| v.value != Value::Null)
    }

    /// A scalar field as text. Lists and mappings are reported.
    pub(crate) fn text(&mut self, key: &'static str) -> Option<Text> {
        let node = self.node(key)?;
        self.scalar(node, key)
    }

    /// A field that must be present and not empty.
    pub(crate) fn required_text(&mut self, key: &'static str, why: &str) -> Option<Text> {
        let found = self.text(key).filter(|t| !t.value.trim().is_empty());
        if found.is_some() {
            return found;
        }
        let d = match self.entry(key) {
            // A list or mapping was already reported as the wrong type.
            Some((_, Value::Seq(_) | Value::Map(_))) => return None,
            Some((at, _)) => Diagnostic::new(
                Rule::MissingField,
                self.file,
                at,
                format!("the required field `{key}` is empty{why}"),
            ),
            None => Diagnostic::new(
                Rule::MissingField,
                self.file,
                self.at,
                format!("missing required field `{key}`{why}"),
            ),
        };
        self.diags.push(d);
        None
    }

    /// Where field `key` is written and its value.
    fn entry(&self, key: &str) -> Option<(Pos, &Value)> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, k, v)| (k.pos, &v.value))
    }

    /// Converts a scalar node to text, reporting a list or mapping where text was expected.
    pub(crate) fn scalar(&mut self, node: &Node, what: &str) -> Option<Text> {
        match node.value.as_scalar_text() {
            Some(value) => Some(Text {
                value,
                pos: node.pos,
            }),
            None => {
                let mut d = Diagnostic::new(
                    Rule::WrongType,
                    self.file,
                    node.pos,
                    format!("`{what}` should be text, not {}", node.value.kind()),
                );
                if let Some(name) = unquoted_wikilink(&node.value) {
                    d = d.with_hint(format!(
                        "YAML reads [[…]] as a list; put the link in quotes: `{what}: \"[[{name}]]\"`"
                    ));
                } else if matches!(&node.value, Value::Map(entries) if entries.len() == 1) {
                    d = d.with_hint("a `: ` inside text makes YAML read `key: value`; put the whole text in quotes");
                }
                self.diags.push(d);
                None
            }
        }
    }

    /// A list field; a single item written without a list is accepted as a list of one.
    pub(crate) fn list(&mut self, key: &'static str) -> Vec<&'a Node> {
        match self.node(key) {
            None => Vec::new(),
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => items.iter().collect(),
            Some(single) => vec![single],
        }
    }

    /// A list of scalars as text.
    pub(crate) fn text_list(&mut self, key: &'static str) -> Vec<Text> {
        self.list(key)
            .into_iter()
            .filter_map(|n| self.scalar(n, key))
            .collect()
    }

    /// Warns about every field that no getter asked for.
    pub(crate) fn finish(&mut self, known: &[&str]) {
        self.finish_weighing(known, &[]);
    }

    /// [`Fields::finish`], but a likely misspelling of one of the `weighty` fields is an
    /// error that says what reading it as written would do: a misspelt `priority` would
    /// silently move a question past the cut line.
    pub(crate) fn finish_weighing(&mut self, known: &[&str], weighty: &[(&str, &str)]) {
        for (key, k, _) in &self.entries {
            if self.asked.contains(key) {
                continue;
            }
            let best = did_you_mean(key, known);
            let d = match best.and_then(|b| weighty.iter().find(|(w, _)| *w == b)) {
                Some((_, what_it_does)) => Diagnostic::new(
                    Rule::MisspelledField,
                    self.file,
                    k.pos,
                    format!("`{key}` is not a field, so {what_it_does}"),
                ),
                None => Diagnostic::new(
                    Rule::UnknownField,
                    self.file,
                    k.pos,
                    format!("unknown field `{key}`; it is kept in the note but not used"),
                ),
            };
            self.diags.push(match best {
                Some(best) => d.with_hint(format!("did you mean `{best}`?")),
                None => d,
            });
        }
    }
}

/// `[[Name]]` written without quotes parses as a list holding a list holding `Name`.
fn unquoted_wikilink(value: &Value) -> Option<&str> {
    let Value::Seq(outer) = value else {
        return None;
    };
    let [
        Node {
            value: Value::Seq(inner),
            ..
        },
    ] = outer.as_slice()
    else {
        return None;
    };
    match inner.as_slice() {
        [
            Node {
                value: Value::Str(name),
                ..
            },
        ] => Some(name),
        _ => None,
    }
}

/// Reads a nested mapping (a list item such as a question or a log entry) with its own
/// [`Fields`], passing its diagnostics on to `outer`.
pub(crate) fn nested<T>(
    outer: &mut Fields,
    node: &Node,
    what: &str,
    read: impl FnOnce(&mut Fields) -> Option<T>,
) -> Option<T> {
    let mut diags = Vec::new();
    let result = Fields::new(node, outer.file(), what, &mut diags).and_then(|mut f| read(&mut f));
    diags.into_iter().for_each(|d| outer.report(d));
    result
}

/// Front-matter values are always written as YAML double-quoted strings. In such a string
/// every character stands for itself except `\` and `"`, which are escaped, and control
/// characters, written as escapes; so `yes`, `#`, `: `, a leading `[`, `*` or `@`, or a
/// number like `0123` all stay the text they are, without a YAML serializer (the project
/// has none) or any guessing about which values need quotes.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The known name closest to `word`, when it is close enough to be a likely typo:
/// similar by Jaro-Winkler, or one slip away (a letter missing, added, changed, or two
/// swapped: `aks` for `ask`, which Jaro-Winkler scores low in so short a word), case
/// aside. Of equally close names, the last.
pub(crate) fn did_you_mean<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let word = word.to_lowercase();
    let letters = Letters::of(&word);
    let mut best: Option<(f64, &'k str)> = None;
    // One buffer for every name: a link that found nothing is compared with every
    // note's name, thousands of them.
    let mut lower = String::new();
    for &k in known {
        lower.clear();
        lower.extend(k.chars().flat_map(char::to_lowercase));
        // Both scores are quadratic in the length; the letters the two share, counted
        // first, rule out nearly every name of a large vault.
        let (shared, len) = letters.shared(&lower);
        let slip = letters.len > 1
            && len.abs_diff(letters.len) <= 1
            && shared + 1 >= len.max(letters.len)
            && strsim::osa_distance(&word, &lower) <= 1;
        if !slip && letters.bound(&word, &lower, shared, len) <= SIMILAR - 1e-9 {
            continue;
        }
        let score = strsim::jaro_winkler(&word, &lower);
        if (score > SIMILAR || slip) && best.is_none_or(|(b, _)| score >= b) {
            best = Some((score, k));
        }
    }
    best.map(|(_, k)| k)
}

/// The Jaro-Winkler similarity above which a name is suggested.
const SIMILAR: f64 = 0.8;

/// A word's letters counted, for [`Letters::bound`].
struct Letters {
    /// How many times each ASCII character occurs.
    ascii: [u16; 128],
    /// Its length in characters.
    len: usize,
}

impl Letters {
    fn of(word: &str) -> Letters {
        let mut ascii = [0u16; 128];
        let mut len = 0;
        for c in word.chars() {
            len += 1;
            if let Some(n) = ascii.get_mut(c as usize) {
                *n = n.saturating_add(1);
            }
        }
        Letters { ascii, len }
    }

    /// How many of `name`'s characters `self`'s word has too (as a multiset; a
    /// character that is not ASCII is taken as shared), and `name`'s length. One slip
    /// leaves at most one character of the longer unshared.
    fn shared(&self, name: &str) -> (usize, usize) {
        let mut left = self.ascii;
        let (mut shared, mut len) = (0, 0);
        for c in name.chars() {
            len += 1;
            match left.get_mut(c as usize) {
                Some(0) => {}
                Some(n) => {
                    *n -= 1;
                    shared += 1;
                }
                None => shared += 1,
            }
        }
        (shared, len)
    }

    /// At least `strsim::jaro_winkler(word, name)`, where `self` counts `word`'s
    /// letters and `shared` and `len` are [`Letters::shared`] of `name`: Jaro's
    /// matches are characters the two share, and Winkler's boost is for their common
    /// start.
    fn bound(&self, word: &str, name: &str, shared: usize, len: usize) -> f64 {
        if self.len == 0 || len == 0 {
            return 1.0;
        }
        let m = shared.min(self.len) as f64;
        let jaro = (m / self.len as f64 + m / len as f64 + 1.0) / 3.0;
        let start = word.chars().take(4).zip(name.chars());
        let prefix = start.take_while(|(a, b)| a == b).count();
        jaro + 0.1 * prefix as f64 * (1.0 - jaro)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node {
        parse(text, Path::new("n.md"), 2).unwrap()
    }

    #[test]
    fn positions_are_in_file_coordinates() {
        let node = parse_ok("name: Ada\ncompany: Engines\n");
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        assert_eq!(entries[1].1.pos.line, 3);
        assert_eq!(entries[1].1.pos.column, 10);
    }

    #[test]
    fn syntax_error_points_into_the_file() {
        let err = parse("name: Ada\nbad: \"x\" y\n", Path::new("n.md"), 2).unwrap_err();
        assert_eq!(err.rule, Rule::YamlSyntax);
        assert!(err.pos.line >= 3, "{err:?}");
        assert!(!err.message.contains("line"), "{}", err.message);
        // A common slip is worded by us, with the lines of the file.
        let err = parse("name: Ada\n  bad: [x\n", Path::new("n.md"), 2).unwrap_err();
        assert_eq!((err.pos.line, err.pos.column), (3, 3));
        assert!(
            err.message.starts_with("line 3 is indented more"),
            "{}",
            err.message
        );
    }

    /// Whatever the fast path reads, it reads as serde-saphyr does; returns whether it did.
    pub(super) fn agree(text: &str) -> bool {
        let slow = through_serde(text);
        match events::tree(text) {
            Some(fast) => {
                assert_eq!(Some(&fast), slow.as_ref().ok(), "{text:?}");
                true
            }
            None => false,
        }
    }

    /// Scalars as YAML writes them, from the plain to the odd.
    const SCALARS: &[&str] = &[
        "Ada",
        "",
        "~",
        "null",
        "Null",
        "NULL",
        "nULL",
        "true",
        "True",
        "TRUE",
        "tRUE",
        "false",
        "FALSE",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "0",
        "-0",
        "+0",
        "7",
        "-7",
        "+7",
        "42",
        "0612",
        "-0612",
        "+0612",
        "00",
        "123456789012345678",
        "1234567890123456789",
        "99999999999999999999",
        "-9223372036854775808",
        "1.5",
        "-1.5",
        "+1.5",
        ".5",
        "-.5",
        "5.",
        "1e3",
        "1E3",
        "1e-3",
        "1.5e+3",
        "1e999",
        "1e",
        "e1",
        ".",
        "-",
        "+",
        "..",
        "1.2.3",
        "1-2",
        "2026-11-23",
        "2026-11-23 10:30",
        "2026-11-23T10:30",
        "10:30",
        "1:30",
        "90d",
        "30m",
        "2w",
        "1h30",
        "0x1F",
        "0o17",
        "0b101",
        "1_000",
        "0xZ",
        ".inf",
        "-.inf",
        "+.INF",
        ".nan",
        ".NaN",
        "inf",
        "nan",
        "infinity",
        "-inf",
        "+nan",
        "1inf",
        "12ab",
        "deadbeef",
        "+44 20 7946 0958",
        "+44-20",
        "3 years",
        "#hash",
        "ümlaut",
        "naïve café",
        "日本語",
        "a b  c",
        "[[Ada Lovelace]]",
        "\"[[Ada]]\"",
        "'it''s'",
        "\"a\\tb\\u00e9\"",
        "\"\"",
        "''",
        "\"true\"",
        "'0612'",
        "\"7\"",
        "'~'",
        "|\n  block\n  text\n",
        ">\n  folded\n  text\n",
        "|-\n  x\n",
        "plain\n  continued\n  lines",
    ];

    #[test]
    fn fast_path_reads_scalars_like_serde() {
        let mut fast = 0;
        for &v in SCALARS {
            fast += agree(&format!("k: {v}\n")) as usize;
            agree(&format!("- {v}\n"));
            agree(&format!("outer:\n  inner: {v}\n  other: 1\n"));
            if !v.contains('\n') {
                agree(&format!("k: [{v}, x]\n"));
                agree(&format!("{v}: k\n"));
                agree(v);
            }
        }
        assert!(fast > 80, "the fast path answered only {fast} times");
    }

    #[test]
    fn fast_path_reads_structures_like_serde() {
        let docs = [
            "name: Ada\ncompany: \"[[Engines]]\"\ntags: [math, engines]\n",
            "log:\n  - date: 2026-01-02\n    type: outreach\n    note: Wrote to Ada\n  - date: 2026-02-03\n",
            "questions:\n- ask: What?\n  minutes: 5\n- ref: bank/q1\n",
            "a:\nb: ~\nc:\n  - \n  -\nd: {}\ne: []\nf: {x: 1, y: [2, 3]}\n",
            "# comment\nname: Ada # trailing\n\n\n# another\nempty:\n",
            "name: Ada\n   # indented comment\nx: 1",
            "名前: 日本語のテキスト\nnext: ünïcödé text here\n",
            "k: |\n  one\n  two\nnext: >-\n  folded\n  more\n",
            "? complex\n: value\n",
            "{a: 1, b: 2}",
            "[a, b, [c, d]]",
            "- - nested\n  - list\n- x\n",
            "a: 1\na: 2\n",
            "a: 1\n\"a\": 2\n",
            "1: a\n+1: b\n",
            "1: a\n\"1\": b\n",
            "true: a\nTrue: b\n",
            "<<: {a: 1}\nb: 2\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "--- \na: 1\n",
            "a: 1\n...\n",
            "a: 1\n---\nb: 2\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: [1, 2\nb: 3\n",
            "a:\n\tb: 1\n",
            "# only a comment\n",
            "a: 1\n  b: 2\n",
            "a: 'unterminated\n",
            "k: \"multi\n  line quoted\"\n",
            "deep: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
        ];
        for d in docs {
            agree(d);
        }
        assert!(agree(docs[0]) && agree(docs[1]) && agree(docs[3]) && agree(docs[6]));
    }

    /// Random documents stitched from YAML fragments, to reach corners the lists above miss.
    #[test]
    fn fast_path_reads_random_yaml_like_serde() {
        const PIECES: &[&str] = &[
            "\n",
            "\n  ",
            "\n    ",
            "\n- ",
            "\n  - ",
            "- ",
            "key",
            "name",
            "k2",
            "é",
            ": ",
            ":",
            ", ",
            "[",
            "]",
            "{",
            "}",
            "\"",
            "'",
            "#c",
            " ",
            "\t",
            "1",
            "-3",
            "0612",
            "1.5",
            "2026-01-02",
            "10:30",
            "true",
            "yes",
            "null",
            "~",
            "?",
            "|",
            ">",
            "&a",
            "*a",
            "!x",
            "<<",
            "---",
            "...",
            "%",
            "0x1F",
            ".inf",
            "1e999",
            "\\",
            "日本",
            "+",
        ];
        let mut rng = fastrand::Rng::with_seed(5);
        let (mut fast, mut total) = (0, 0);
        for _ in 0..4000 {
            let mut doc = String::from("name: Ada\n");
            for _ in 0..rng.usize(1..24) {
                doc.push_str(PIECES[rng.usize(..PIECES.len())]);
            }
            total += 1;
            fast += agree(&doc) as usize;
        }
        assert!(
            fast * 20 > total,
            "the fast path answered only {fast} of {total}"
        );
    }

    /// Every front matter in the example vault and the bad-input corpus.
    #[test]
    fn fast_path_reads_the_example_vault_and_corpus_like_serde() {
        let mut texts = Vec::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["example-vault", "tests/bad-inputs"] {
            for e in walkdir::WalkDir::new(root.join(dir)) {
                let e = e.unwrap();
                if e.file_type().is_file()
                    && let Ok(t) = std::fs::read_to_string(e.path())
                {
                    texts.push(t);
                }
            }
        }
        let mut fast = 0;
        for t in &texts {
            // Every `---` … `---` block, and every YAML file whole.
            let parts: Vec<&str> = t.split("\n---\n").collect();
            for p in parts.iter().chain([&t.as_str()]) {
                fast += agree(p.strip_prefix("---\n").unwrap_or(p)) as usize;
            }
        }
        assert!(fast > 40, "the fast path answered only {fast} times");
    }

    #[test]
    fn unknown_fields_get_a_suggestion() {
        let node = parse_ok("nmae: Ada\n");
        let mut diags = Vec::new();
        let mut f = Fields::new(&node, Path::new("n.md"), "front matter", &mut diags).unwrap();
        assert!(f.text("name").is_none());
        f.finish(&["name", "email"]);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `name`?"));
        assert_eq!((diags[0].pos.line, diags[0].pos.column), (2, 1));
    }

    #[test]
    fn the_letter_bound_is_never_below_the_score() {
        let names = [
            "ada lovelace 335",
            "radia lovelace 335",
            "grace hopper",
            "grace hopper 12",
            "company 935",
            "compnay 935",
            "édith piaf",
            "edith piaf",
            "ask",
            "aks",
            "x",
            "",
        ];
        for a in names {
            for b in names {
                let letters = Letters::of(a);
                let (shared, len) = letters.shared(b);
                let bound = letters.bound(a, b, shared, len);
                let score = strsim::jaro_winkler(a, b);
                assert!(
                    bound >= score,
                    "{a:?} / {b:?}: bound {bound} < score {score}"
                );
            }
        }
    }

    #[test]
    fn suggestions_are_the_closest_of_many_names() {
        let names: Vec<String> = (0..300)
            .map(|i| {
                format!(
                    "{} {} {i}",
                    ["Ada", "Grace", "Radia"][i % 3],
                    ["Lovelace", "Hopper", "Perlman", "Knuth"][i % 4]
                )
            })
            .collect();
        let known: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(did_you_mean("grace knuht 7", &known), Some("Grace Knuth 7"));
        assert_eq!(
            did_you_mean("Radia Perlmann 230", &known),
            Some("Radia Perlman 230")
        );
        assert_eq!(did_you_mean("zebra", &known), None);
    }

    #[test]
    fn suggestions_see_swapped_letters_and_case() {
        let known = ["ask", "ref", "minutes", "priority"];
        assert_eq!(did_you_mean("aks", &known), Some("ask"));
        assert_eq!(did_you_mean("Ask", &known), Some("ask"));
        assert_eq!(did_you_mean("priorty", &known), Some("priority"));
        assert_eq!(did_you_mean("zzz", &known), None);
        assert_eq!(did_you_mean("x", &["id"]), None);
    }
}
