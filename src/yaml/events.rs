//! The fast path of [`super::parse`]: a [`Node`] tree read straight from the events of
//! granit-parser, the parser inside serde-saphyr.
//!
//! It gives up (`None`) on anything it is not sure serde-saphyr would read the same way:
//! any parser error, anchors and aliases, tags, directives, a second document, merge
//! keys, keys that are not plain text or numbers, keys that might be duplicates, deep
//! nesting, very many nodes, and scalars that might be unusual numbers. The caller then
//! parses the text again through serde-saphyr, whose result and messages are the
//! reference; a test checks that both agree wherever the fast path answers.

use std::borrow::Cow;

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span, StrInput};

use super::{Node, Value};
use crate::diag::Pos;

/// Nesting past this is left to serde-saphyr, which refuses more than 32 levels.
const MAX_DEPTH: usize = 16;
/// More nodes than this are left to serde-saphyr, which refuses more than 100 000.
const MAX_NODES: usize = 10_000;

/// The tree of a single-document YAML `text`, or `None` to ask serde-saphyr.
///
/// The parser runs with its default options, which are the ones serde-saphyr derives from
/// our budget (lookahead, nesting limits, no comments, lenient indentation).
pub(super) fn tree(text: &str) -> Option<Node> {
    let mut b = Builder {
        events: Parser::new_from_str(text),
        nodes: 0,
    };
    matches!(b.next()?.0, Event::StreamStart).then_some(())?;
    matches!(b.next()?.0, Event::DocumentStart(false, None)).then_some(())?;
    let (event, span) = b.next()?;
    let root = b.node(event, span, 0)?;
    matches!(b.next()?.0, Event::DocumentEnd).then_some(())?;
    matches!(b.next()?.0, Event::StreamEnd).then_some(())?;
    b.events.next().is_none().then_some(root)
}

struct Builder<'a> {
    events: Parser<'a, StrInput<'a>>,
    nodes: usize,
}

impl<'a> Builder<'a> {
    /// The next event; `None` at the end or on a parse error.
    fn next(&mut self) -> Option<(Event<'a>, Span)> {
        self.events.next()?.ok()
    }

    fn node(&mut self, event: Event<'a>, span: Span, depth: usize) -> Option<Node> {
        self.nodes += 1;
        if self.nodes > MAX_NODES || depth > MAX_DEPTH {
            return None;
        }
        let value = match event {
            Event::Scalar(text, style, 0, None) => scalar(text, style)?,
            Event::SequenceStart(_, 0, None) => {
                let mut items = Vec::new();
                loop {
                    match self.next()? {
                        (Event::SequenceEnd, _) => break,
                        (event, span) => items.push(self.node(event, span, depth + 1)?),
                    }
                }
                Value::Seq(items)
            }
            Event::MappingStart(_, 0, None) => {
                let mut entries: Vec<(Node, Node)> = Vec::new();
                loop {
                    let key = match self.next()? {
                        (Event::MappingEnd, _) => break,
                        (Event::Scalar(text, style, 0, None), span) => {
                            // `<<` merges another mapping in: serde-saphyr's business.
                            if text == "<<" {
                                return None;
                            }
                            self.node(Event::Scalar(text, style, 0, None), span, depth + 1)?
                        }
                        _ => return None,
                    };
                    if key.value == Value::Null
                        || entries.iter().any(|(k, _)| same_key(&k.value, &key.value))
                    {
                        return None;
                    }
                    let (event, span) = self.next()?;
                    let value = self.node(event, span, depth + 1)?;
                    entries.push((key, value));
                }
                Value::Map(entries)
            }
            _ => return None,
        };
        Some(Node {
            value,
            pos: pos(&span),
        })
    }
}

/// Where a node stands, as serde-saphyr's `Spanned` reports it: 1-based line and column,
/// length in characters.
fn pos(span: &Span) -> Pos {
    Pos::new(
        span.start.line() as u32,
        span.start.col() as u32 + 1,
        span.len() as u32,
    )
}

/// Whether two keys might count as one for serde-saphyr's duplicate check (which compares
/// numbers by value and text by text). Saying yes too often only costs the slow path.
fn same_key(a: &Value, b: &Value) -> bool {
    if let (Value::Str(x), Value::Str(y)) = (a, b) {
        return x == y;
    }
    match (a.as_scalar_text(), b.as_scalar_text()) {
        (Some(x), Some(y)) => {
            x == y || matches!((x.parse::<f64>(), y.parse::<f64>()), (Ok(p), Ok(q)) if p == q)
        }
        _ => a == b,
    }
}

/// The value of an untagged scalar under serde-saphyr's rules with our options (YAML 1.2
/// core schema, `strict_booleans`, `leading_zero_numbers_as_strings`), or `None` when the
/// text might be a number of a kind not decided here (hexadecimal, `1_000`, `.inf`, an
/// integer too long for 18 digits…).
fn scalar(text: Cow<'_, str>, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::Str(text.into_owned()));
    }
    let t: &str = &text;
    let value = match t {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => match number(t)? {
            Some(n) => n,
            None => Value::Str(text.into_owned()),
        },
    };
    Some(value)
}

/// `Some(Some(number))`, `Some(None)` for text that is certainly no number, `None` when
/// unsure.
fn number(t: &str) -> Option<Option<Value>> {
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    // A number starts with a digit, a sign or a dot; `inf` and `nan` stay text.
    if !t.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return Some(None);
    }
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        if unsigned.len() > 1 && unsigned.starts_with('0') {
            // `0612`: a phone number or a code, kept as written.
            return Some(None);
        }
        if unsigned.len() > 18 {
            return None;
        }
        return t.parse::<i64>().ok().map(|_| Some(Value::Number(t.into())));
    }
    if t.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        // Decimals such as `1.5` or `2e3`; dates such as `2026-01-31` do not parse.
        return match t.parse::<f64>() {
            Ok(f) if f.is_finite() => Some(Some(Value::Number(t.into()))),
            Ok(_) => None,
            Err(_) => Some(None),
        };
    }
    // Hexadecimal, octal, binary, `_` separators and `.inf`/`.nan` use only these bytes;
    // anything else (`:`, a space, most letters) makes it text.
    let maybe_number = t.bytes().all(|b| {
        b.is_ascii_hexdigit()
            || matches!(
                b,
                b'.' | b'+'
                    | b'-'
                    | b'_'
                    | b'x'
                    | b'X'
                    | b'o'
                    | b'O'
                    | b'i'
                    | b'I'
                    | b'n'
                    | b'N'
                    | b't'
                    | b'T'
                    | b'y'
                    | b'Y'
            )
    });
    if maybe_number { None } else { Some(None) }
}
