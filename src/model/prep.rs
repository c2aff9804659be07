//! A chat note's prep: what the user wrote to get ready, which the briefing prints.
//!
//! The prep is the body up to the first heading whose first word is "Notes" or
//! "Takeaways" (any level, any case: "Notes from the chat"), or up to the first
//! thematic break (`---`), whichever comes first;
//! a heading called "Prep" that opens the body is left out of it, since the briefing
//! heads the section itself. What follows is the chat's notes, which a done chat's
//! page leads with.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Where the prep lies in a body (without comments): `prep` is its byte range, and
/// the notes start at `prep.end`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Split {
    pub prep: Range<usize>,
}

/// Headings that end the prep.
const NOTES_HEADINGS: [&str; 2] = ["notes", "takeaways"];

/// Finds the prep in `body`, parsed as note bodies are.
pub(crate) fn split(body: &str) -> Split {
    let mut start = 0;
    let mut heading: Option<(usize, String)> = None;
    let mut first_block = true;
    let mut depth = 0usize;
    let events = Parser::new_ext(body, crate::render::markdown::options()).into_offset_iter();
    for (event, range) in events {
        match event {
            Event::Rule if depth == 0 => {
                return Split {
                    prep: start..range.start,
                };
            }
            Event::Start(Tag::Heading { .. }) if depth == 0 => {
                heading = Some((range.start, String::new()));
            }
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                if let Some((_, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) if heading.is_some() => {
                let Some((at, text)) = heading.take() else {
                    continue;
                };
                let name = text.trim().to_lowercase();
                let first = name.split(|c: char| !c.is_alphanumeric()).next();
                if first.is_some_and(|w| NOTES_HEADINGS.contains(&w)) {
                    return Split { prep: start..at };
                }
                if first_block && name == "prep" {
                    start = range.end;
                }
                first_block = false;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                first_block &= depth > 0;
            }
            _ => {}
        }
    }
    Split {
        prep: start..body.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prep(body: &str) -> &str {
        body[split(body).prep].trim()
    }

    #[test]
    fn the_prep_ends_at_a_notes_or_takeaways_heading() {
        let body = "## Prep\n- Bring the PRD\n\n## Notes\n- She said\n";
        assert_eq!(prep(body), "- Bring the PRD");
        let body = "Read her memo.\n\n### TAKEAWAYS\n1. Write\n";
        assert_eq!(prep(body), "Read her memo.");
        let body = "## Prep\nA\n\n## Notes from the chat\n\n## Takeaways\n";
        assert_eq!(prep(body), "A");
        assert_eq!(
            prep("A\n\n## Notebooks to bring\nB"),
            "A\n\n## Notebooks to bring\nB"
        );
        let body = "# Prep\nA\n\n## Research\nB\n\n# Notes\nC";
        assert_eq!(prep(body), "A\n\n## Research\nB");
    }

    #[test]
    fn the_prep_ends_at_a_thematic_break() {
        assert_eq!(prep("Bring: a pen\n\n---\n\nShe said"), "Bring: a pen");
        assert_eq!(prep("A\n\n***\n\n## Notes\nB"), "A");
    }

    #[test]
    fn without_either_the_whole_body_is_prep() {
        assert_eq!(
            prep("Only prep.\n\n## What happened\nX"),
            "Only prep.\n\n## What happened\nX"
        );
        assert_eq!(prep(""), "");
        // A later heading called Prep is not left out.
        assert_eq!(prep("A\n\n## Prep\nB"), "A\n\n## Prep\nB");
        // Nor is a heading inside code, nor a break inside a list.
        assert_eq!(prep("```\n## Notes\n```\nA"), "```\n## Notes\n```\nA");
        assert_eq!(prep("> ## Notes\n\nA"), "> ## Notes\n\nA");
        assert_eq!(prep("> # Q\n\nA\n\n## Notes\nB"), "> # Q\n\nA");
    }
}
