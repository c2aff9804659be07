//! Plain words for the YAML slips people make most: a value with `: ` in it left
//! unquoted, a line indented more or less than the fields around it, a tab, no space
//! after a `:`. The parser stumbles on each somewhere near, and says so in its own
//! terms (`mapping values are not allowed in this context`, `did not find expected
//! key`); the text around the place it stumbled tells which slip it was.

use super::quote;

/// A slip: where it is (YAML coordinates), what is wrong and how to fix it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Slip {
    pub line: u32,
    pub column: u32,
    pub len: u32,
    pub message: String,
    pub hint: String,
}

/// One line of YAML, read as far as telling the slips apart needs.
struct Line<'a> {
    /// Its number in the file, for messages.
    shown: u32,
    /// Spaces before its first character.
    indent: usize,
    /// The column (0-based, in characters) where its key starts, after any `- `.
    key_col: usize,
    /// The text from there on.
    content: &'a str,
    /// The field it starts (`title` in `title: Lead`), if it starts one.
    key: Option<&'a str>,
}

impl<'a> Line<'a> {
    fn read(text: &'a str, shown: u32) -> Line<'a> {
        let indent = text.len() - text.trim_start_matches(' ').len();
        let mut content = &text[indent..];
        let mut key_col = indent;
        while let Some(rest) = content.strip_prefix("- ") {
            let spaces = rest.len() - rest.trim_start_matches(' ').len();
            key_col += 2 + spaces;
            content = &rest[spaces..];
        }
        let key = key_of(content).filter(|key| {
            let after = &content[key.len() + 1..];
            after.is_empty() || after.starts_with([' ', '\t'])
        });
        Line {
            shown,
            indent,
            key_col: chars(text, key_col),
            content,
            key,
        }
    }

    /// The value written after the key on the same line, without a trailing comment.
    fn value(&self) -> &'a str {
        let Some(key) = self.key else { return "" };
        let after = self.content[key.len() + 1..].trim();
        match after.find(" #") {
            Some(comment) => after[..comment].trim_end(),
            None => after,
        }
    }
}

/// The name before a `:` that `content` starts with, if it is a plain field name.
fn key_of(content: &str) -> Option<&str> {
    let end = content.find(':')?;
    let key = &content[..end];
    let mut chars = key.chars();
    let first = chars.next()?;
    let plain = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    (first.is_alphabetic() || first == '_')
        .then_some(())
        .filter(|_| chars.all(plain))
        .map(|_| key)
}

/// Where `part`, a slice of `text`, starts in it, in bytes.
fn offset(text: &str, part: &str) -> usize {
    part.as_ptr() as usize - text.as_ptr() as usize
}

/// How many characters the first `bytes` bytes of `text` are.
fn chars(text: &str, bytes: usize) -> usize {
    text[..bytes].chars().count()
}

/// The common slip that made the parser stop on `error_line` of `text` (both in YAML
/// coordinates), if it is one; `shift` turns YAML line numbers into the file's.
pub(super) fn explain(text: &str, error_line: u32, shift: u32) -> Option<Slip> {
    let lines: Vec<&str> = text.split('\n').collect();
    let at = (error_line as usize).checked_sub(1)?;
    let line = Line::read(lines.get(at)?, error_line + shift);
    let above = (0..at)
        .rev()
        .filter(|&i| {
            let t = lines[i].trim_start();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|i| (i, Line::read(lines[i], i as u32 + 1 + shift)))
        .collect::<Vec<_>>();
    tab(lines[at], error_line, &line)
        .or_else(|| {
            let before = above.first().map(|(i, l)| (lines[*i], *i as u32 + 1, l));
            [(lines[at], error_line, &line)]
                .into_iter()
                .chain(before)
                .find_map(|(text, n, l)| no_space(text, n, l))
        })
        .or_else(|| indentation(error_line, &line, &above))
        .or_else(|| colon_in_value(lines[at], error_line, &line))
}

fn tab(text: &str, n: u32, line: &Line) -> Option<Slip> {
    let lead = &text[..text.len() - text.trim_start_matches([' ', '\t']).len()];
    let at = lead.find('\t')?;
    Some(Slip {
        line: n,
        column: at as u32 + 1,
        len: 1,
        message: format!(
            "line {} is indented with a tab; YAML indents with spaces only",
            line.shown
        ),
        hint: "replace the tab with spaces".into(),
    })
}

/// `title:Lead`: without a space after the `:`, YAML reads the whole as one text.
fn no_space(text: &str, n: u32, line: &Line) -> Option<Slip> {
    let key = key_of(line.content)?;
    let rest = &line.content[key.len() + 1..];
    if rest.is_empty() || rest.starts_with([' ', '\t', ':', '/']) {
        return None;
    }
    let colon = offset(text, line.content) + key.len();
    Some(Slip {
        line: n,
        column: chars(text, colon) as u32 + 1,
        len: 1,
        message: format!(
            "there is no space after the `:` in `{key}:{rest}`, so YAML does not read \
             `{key}` as a field"
        ),
        hint: format!("put a space after the colon: `{key}: {rest}`"),
    })
}

/// The fix for front matter that is one text because its first field has no space
/// after the `:` (`name:Ada`), if it is that.
pub(super) fn unspaced_field(text: &str) -> Option<String> {
    let first = text.split_whitespace().next()?;
    let key = key_of(first)?;
    let rest = &first[key.len() + 1..];
    (!rest.is_empty() && !rest.starts_with([':', '/']))
        .then(|| format!("put a space after the colon: `{key}: {rest}`"))
}

/// A field indented more than the field above it (which has its value), or between
/// the columns of the fields above it.
fn indentation(n: u32, line: &Line, above: &[(usize, Line)]) -> Option<Slip> {
    let key = line.key.filter(|_| line.key_col == line.indent)?;
    let (_, prev) = above.first()?;
    let prev_key = prev.key?;
    let message;
    let hint;
    if line.indent > prev.key_col {
        let opens = ['|', '>', '"', '\'', '[', '{'];
        if prev.value().is_empty() || prev.value().starts_with(opens) {
            return None;
        }
        message = format!(
            "line {} is indented more than the field above it (`{prev_key}:` on line {})",
            line.shown, prev.shown
        );
        hint = format!("start `{key}:` {}", place(prev.key_col, prev_key));
    } else {
        // The columns a field may start at here: the field above, then each field
        // that holds it.
        let mut levels = vec![(prev.key_col, prev_key)];
        for (_, l) in above {
            if let Some(k) = l.key.filter(|_| l.key_col < levels[levels.len() - 1].0) {
                levels.push((l.key_col, k));
            }
        }
        if levels.iter().any(|(col, _)| *col == line.indent) {
            return None;
        }
        let inner = levels.iter().rev().find(|(col, _)| *col > line.indent)?;
        let outer = levels.iter().find(|(col, _)| *col < line.indent);
        message = match outer {
            Some((_, o)) => format!(
                "line {} is indented less than `{}:` above it and more than `{o}:`, so \
                 YAML cannot tell which it belongs with",
                line.shown, inner.1
            ),
            None => format!(
                "line {} is indented less than `{}:` above it",
                line.shown, inner.1
            ),
        };
        hint = match outer {
            Some(o) => format!(
                "start `{key}:` {}, or {}",
                place(inner.0, inner.1),
                place(o.0, o.1)
            ),
            None => format!("start `{key}:` {}", place(inner.0, inner.1)),
        };
    }
    Some(Slip {
        line: n,
        column: line.indent as u32 + 1,
        len: key.chars().count() as u32,
        message,
        hint,
    })
}

/// Where a field lines up with `key`, which starts `col` characters in.
fn place(col: usize, key: &str) -> String {
    match col {
        0 => format!("at the start of the line, like `{key}:`"),
        1 => format!("1 space in, like `{key}:`"),
        n => format!("{n} spaces in, like `{key}:`"),
    }
}

/// `title: Director of Product: Payments`: the second `: ` starts another field.
fn colon_in_value(text: &str, n: u32, line: &Line) -> Option<Slip> {
    let key = line.key?;
    let value = line.value();
    if value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!']) {
        return None;
    }
    let inner = value
        .find(": ")
        .or(value.ends_with(':').then(|| value.len() - 1))?;
    let at = offset(text, value) + inner;
    Some(Slip {
        line: n,
        column: chars(text, at) as u32 + 1,
        len: 1,
        message: format!(
            "the value of `{key}` has a `:` followed by a space in it, which YAML reads as \
             the start of another field"
        ),
        hint: format!("put the value in quotes: `{key}: {}`", quote(value)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slip(text: &str, line: u32) -> Slip {
        explain(text, line, 1).unwrap_or_else(|| panic!("no slip found in {text:?}"))
    }

    #[test]
    fn an_unquoted_colon_in_a_value() {
        let s = slip("name: Ada\ntitle: Director of Product: Payments\n", 2);
        assert_eq!((s.line, s.column), (2, 27));
        assert_eq!(
            s.hint,
            "put the value in quotes: `title: \"Director of Product: Payments\"`"
        );
        let s = slip("questions:\n  - ask: Why: really? # mine\n", 2);
        assert_eq!(s.hint, "put the value in quotes: `ask: \"Why: really?\"`");
    }

    #[test]
    fn a_field_indented_more_than_the_one_above() {
        let s = slip("name: Ada\n  title: Lead\n", 2);
        assert_eq!(
            s.message,
            "line 3 is indented more than the field above it (`name:` on line 2)"
        );
        assert_eq!(
            s.hint,
            "start `title:` at the start of the line, like `name:`"
        );
        assert_eq!((s.line, s.column, s.len), (2, 3, 5));
        let s = slip("log:\n  - date: 2026-01-01\n     type: outreach\n", 3);
        assert_eq!(s.hint, "start `type:` 4 spaces in, like `date:`");
    }

    #[test]
    fn a_field_between_two_columns() {
        let text = "name: Ada\nlog:\n  - date: 2026-01-01\n    type: outreach\n note: x\n";
        let s = slip(text, 5);
        assert_eq!(
            s.message,
            "line 6 is indented less than `type:` above it and more than `log:`, so YAML \
             cannot tell which it belongs with"
        );
        assert_eq!(
            s.hint,
            "start `note:` 4 spaces in, like `type:`, or at the start of the line, like `log:`"
        );
        assert!(
            explain("a:\n  b: 1\nc: 2: 3\n", 3, 1)
                .is_some_and(|s| s.message.contains("value of `c`"))
        );
    }

    #[test]
    fn a_tab_and_a_missing_space() {
        let s = slip("tags:\n\t- navy\n", 2);
        assert_eq!((s.line, s.column), (2, 1));
        assert!(s.message.starts_with("line 3 is indented with a tab"));
        let s = slip("name:Ada\ntitle: Lead\n", 2);
        assert_eq!((s.line, s.column), (1, 5));
        assert_eq!(s.hint, "put a space after the colon: `name: Ada`");
        let s = slip("name: Ada\ntitle:Lead\n", 2);
        assert_eq!((s.line, s.column), (2, 6));
        assert!(
            explain("website: https://x: y\n", 1, 1)
                .is_some_and(|s| s.message.contains("value of"))
        );
        assert_eq!(
            unspaced_field("name:Ada Lovelace").as_deref(),
            Some("put a space after the colon: `name: Ada`")
        );
        assert_eq!(unspaced_field("https://example.com"), None);
    }
}
