//! Splitting a note into YAML front matter and Markdown body.

use std::path::Path;

use crate::diag::{Diagnostic, Pos};
use crate::rules::Rule;

/// Where the YAML between the `---` lines sits in a note's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrontMatter {
    /// Byte range of the YAML text (without the fences).
    pub start: usize,
    pub end: usize,
}

/// The file line of the first YAML line: the opening `---` is line 1.
pub(crate) const FIRST_YAML_LINE: u32 = 2;

/// Splits `text` (already LF-normalised) into front matter and body start.
/// A note with no opening fence has no front matter; an opening fence without a
/// closing one is an error, since the whole note would otherwise be read as YAML.
pub(super) fn split(text: &str, rel: &Path) -> Result<(Option<FrontMatter>, usize), Diagnostic> {
    let Some(after_open) = strip_fence(text) else {
        return Ok((None, 0));
    };
    let start = text.len() - after_open.len();
    let mut offset = start;
    for line in after_open.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let fm = FrontMatter { start, end: offset };
            return Ok((Some(fm), offset + line.len()));
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        Rule::UnclosedFrontMatter,
        rel,
        Pos::new(1, 1, 3),
        "the front matter opened here is never closed",
    )
    .with_hint("add a line containing only `---` after the last field"))
}

/// The text after an opening `---` line, if the note starts with one.
fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let (first, tail) = rest.split_once('\n').unwrap_or((rest, ""));
    first.trim().is_empty().then_some(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (String, String) {
        let (fm, body) = split(text, Path::new("n.md")).unwrap();
        let fm = fm.map_or(String::new(), |f| text[f.start..f.end].to_string());
        (fm, text[body..].to_string())
    }

    #[test]
    fn splits_fenced_yaml_from_body() {
        assert_eq!(
            parts("---\nname: Ada\n---\n# Hi\n"),
            ("name: Ada\n".into(), "# Hi\n".into())
        );
    }

    #[test]
    fn note_without_fence_is_all_body() {
        assert_eq!(parts("# Hi\n---\n"), (String::new(), "# Hi\n---\n".into()));
    }

    #[test]
    fn empty_front_matter_and_no_trailing_newline() {
        assert_eq!(parts("---\n---"), (String::new(), String::new()));
    }

    #[test]
    fn dashes_inside_a_value_do_not_close() {
        assert_eq!(
            parts("---\na: ---x\n---\nb"),
            ("a: ---x\n".into(), "b".into())
        );
    }

    #[test]
    fn unclosed_front_matter_is_an_error_on_line_1() {
        let err = split("---\nname: Ada\n", Path::new("n.md")).unwrap_err();
        assert_eq!(err.rule, Rule::UnclosedFrontMatter);
        assert_eq!(err.pos.line, 1);
    }
}
