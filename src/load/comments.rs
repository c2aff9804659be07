//! Obsidian's `%%comments%%`: what the user keeps to themselves. They are cut out of a
//! note's body here, as it is read, so that nothing after this stage (pages, the printed
//! briefing, excerpts, line estimates) ever sees them.
//!
//! A comment runs from a `%%` to the next `%%`, across lines (a block comment is one
//! whose `%%` stand on lines of their own), or to the end of the note when it is never
//! closed. A `%%` inside a code span or a fenced or indented code block is text, not a
//! comment: which parts are code is asked of the same Markdown parser that renders the
//! body.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

/// A body with its comments cut out, and where the cuts were.
#[derive(Debug)]
pub struct Uncommented {
    pub text: String,
    /// Each cut as the offset in `text` where it was made and the bytes cut there and
    /// before, in order.
    cuts: Vec<(usize, usize)>,
    /// The offset in the original body of a `%%` that is never closed.
    pub unclosed: Option<usize>,
}

impl Uncommented {
    /// The offset in the original body of byte `at` of `text`; a place where a comment
    /// was cut is the byte after the comment.
    pub fn original(&self, at: usize) -> usize {
        let before = self.cuts.partition_point(|&(cut, _)| cut <= at);
        at + before.checked_sub(1).map_or(0, |i| self.cuts[i].1)
    }
}

/// `body` without its comments, or `None` when it has none.
pub(crate) fn uncomment(body: &str) -> Option<Uncommented> {
    let first = marker(body)?;
    let mut text = body.to_string();
    let mut code = code_ranges(&text);
    let mut out = Uncommented {
        text: String::new(),
        cuts: Vec::new(),
        unclosed: None,
    };
    let mut from = first;
    while let Some(open) = opening(&text, from, &code) {
        let end = match marker(&text[open + 2..]) {
            Some(close) => open + 2 + close + 2,
            None => {
                out.unclosed = Some(out.original(open));
                text.len()
            }
        };
        let cut = open..end;
        let removed = out.cuts.last().map_or(0, |c| c.1) + cut.len();
        // A cut that takes away a backtick or a tilde, or ends inside code, can change
        // what is code after it: ask the parser again rather than guess.
        let reparse = text[cut.clone()].contains(['`', '~'])
            || code.iter().any(|c| c.start < end && open < c.end);
        text.replace_range(cut.clone(), "");
        out.cuts.push((open, removed));
        if reparse {
            code = code_ranges(&text);
        } else {
            for c in code.iter_mut().filter(|c| c.start >= end) {
                *c = c.start - cut.len()..c.end - cut.len();
            }
        }
        from = open;
    }
    if out.cuts.is_empty() {
        return None;
    }
    text.shrink_to_fit();
    out.text = text;
    Some(out)
}

/// Where the first `%%` of `text` starts. Every body is searched whole: memchr's
/// vectorised search is several times faster there than `str::find`'s, which takes a
/// two-byte pattern through its general substring search.
fn marker(text: &str) -> Option<usize> {
    memchr::memmem::find(text.as_bytes(), b"%%")
}

/// The first `%%` at or after `from` that is not inside code.
fn opening(text: &str, from: usize, code: &[Range<usize>]) -> Option<usize> {
    let mut at = from;
    loop {
        let found = at + marker(text.get(at..)?)?;
        match code.iter().find(|c| c.contains(&found)) {
            Some(c) => at = c.end,
            None => return Some(found),
        }
    }
}

/// The byte ranges of the code spans and code blocks of `text`, in order.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    // Code needs a backtick, a `~~~` fence, or an indent of four spaces or a tab; most
    // notes have none, and are not parsed twice.
    if !text.contains(['`', '~', '\t']) && !text.contains("    ") {
        return ranges;
    }
    for (event, range) in
        Parser::new_ext(text, crate::render::markdown::options()).into_offset_iter()
    {
        if let Event::Code(_) | Event::Start(Tag::CodeBlock(_)) = event {
            ranges.push(range);
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(body: &str) -> String {
        uncomment(body).map_or(body.to_string(), |u| u.text)
    }

    #[test]
    fn inline_and_block_comments_are_cut() {
        assert_eq!(shown("a %%b%% c"), "a  c");
        assert_eq!(shown("a\n\n%%\nb\n\nc\n%%\n\nd"), "a\n\n\n\nd");
        assert_eq!(shown("a %%b"), "a ");
        assert_eq!(uncomment("no comment").map(|u| u.text), None);
    }

    #[test]
    fn code_keeps_its_percent_signs() {
        assert_eq!(shown("`%%x%%` %%y%%"), "`%%x%%` ");
        assert_eq!(shown("```\n%%x%%\n```\n%%y%%"), "```\n%%x%%\n```\n");
        assert_eq!(uncomment("    %%x%%").map(|u| u.text), None);
        assert_eq!(uncomment("\t%%x%%").map(|u| u.text), None);
        assert_eq!(shown("~~~\n%%x%%\n~~~\n%%y%%"), "~~~\n%%x%%\n~~~\n");
    }

    #[test]
    fn a_comment_that_swallows_a_fence_leaves_no_code_behind() {
        // Read first, the fence would run to the end and hide the second comment.
        let body = "%%\n```\nsecret\n%%\n\nshown %%hidden%%";
        assert_eq!(shown(body), "\n\nshown ");
    }

    #[test]
    fn offsets_map_back_to_the_body() {
        let u = uncomment("ab%%xyz%%cd%%q%%e").unwrap();
        assert_eq!(u.text, "abcde");
        let back: Vec<usize> = (0..5).map(|i| u.original(i)).collect();
        assert_eq!(back, [0, 1, 9, 10, 16]);
        let u = uncomment("a\n%%never closed").unwrap();
        assert_eq!((u.text.as_str(), u.unclosed), ("a\n", Some(2)));
    }
}
