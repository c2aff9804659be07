//! Stage 1, load: walk the vault, read every note and split off its front matter.
//!
//! Nothing here knows what a contact or an interview is; that is the model's job.

mod comments;
mod frontmatter;
mod walk;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Pos};
use crate::rules::Rule;
pub(crate) use comments::Uncommented;
pub(crate) use frontmatter::{FIRST_YAML_LINE, FrontMatter};
pub(crate) use walk::{RESERVED_DIRS, lists_note, walk};

/// Notes larger than this are refused rather than read, so a stray dump cannot stall a build.
pub(crate) const MAX_NOTE_BYTES: u64 = 10 * 1024 * 1024;

/// One Markdown file, read and split.
#[derive(Debug, Clone)]
pub struct SourceNote {
    /// Path relative to the vault, with `/` separators.
    pub rel: PathBuf,
    /// The whole file as UTF-8, BOM removed and line endings normalised to `\n`.
    /// Line and column numbers are unchanged by this normalisation.
    pub text: Arc<str>,
    pub front: Option<FrontMatter>,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    /// The body without its `%%comments%%`, when it has any.
    pub uncommented: Option<Arc<Uncommented>>,
}

impl SourceNote {
    /// The Markdown body as it is shown: without its `%%comments%%`. Everything that
    /// shows or measures a body reads it here, never from `text`.
    pub fn body(&self) -> &str {
        match &self.uncommented {
            Some(u) => &u.text,
            None => &self.text[self.body_start..],
        }
    }

    /// The offset in `text` of byte `at` of [`SourceNote::body`].
    pub fn text_offset(&self, at: usize) -> usize {
        self.body_start + self.uncommented.as_ref().map_or(at, |u| u.original(at))
    }

    pub fn front_text(&self) -> &str {
        self.front
            .as_ref()
            .map_or("", |f| &self.text[f.start..f.end])
    }
}

/// Reads and splits every note in parallel. A note that cannot be read is reported and left out.
pub(crate) fn read_notes(root: &Path, rels: &[PathBuf]) -> (Vec<SourceNote>, Vec<Diagnostic>) {
    let results: Vec<Result<SourceNote, Diagnostic>> =
        rels.par_iter().map(|rel| read_note(root, rel)).collect();
    let mut notes = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(n) => notes.push(n),
            Err(d) => diags.push(d),
        }
    }
    (notes, diags)
}

/// Reads and splits one note, as `watch` needs after a save.
pub(crate) fn read_note(root: &Path, rel: &Path) -> Result<SourceNote, Diagnostic> {
    parse_note(rel, read_bounded(&root.join(rel), rel)?)
}

/// Decodes and splits the bytes of a note that lives at `rel` in the vault.
pub(crate) fn parse_note(rel: &Path, bytes: Vec<u8>) -> Result<SourceNote, Diagnostic> {
    let text = decode(bytes, rel)?;
    let (front, body_start) = frontmatter::split(&text, rel)?;
    let uncommented = comments::uncomment(&text[body_start..]).map(Arc::new);
    Ok(SourceNote {
        rel: rel.to_path_buf(),
        text: text.into(),
        front,
        body_start,
        uncommented,
    })
}

fn read_bounded(path: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    let unreadable = |e: std::io::Error| {
        Diagnostic::new(
            Rule::Unreadable,
            rel,
            Pos::FILE,
            format!("cannot read this file: {e}"),
        )
    };
    let too_large = |size: u64| {
        Diagnostic::new(
            Rule::TooLarge,
            rel,
            Pos::FILE,
            format!(
                "this note is {:.1} MB; notes over {} MB are refused",
                size as f64 / 1e6,
                MAX_NOTE_BYTES / (1024 * 1024)
            ),
        )
        .with_hint("move large material out of the vault or link to it as an attachment")
    };
    // One open and one stat per note. Reading through `take` skips the size probe that
    // `File::read_to_end` makes, and refuses a note that grew past the limit meanwhile.
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > MAX_NOTE_BYTES {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_NOTE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_NOTE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Checks UTF-8, drops a BOM and turns CRLF into LF.
fn decode(bytes: Vec<u8>, rel: &Path) -> Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let line = valid.matches('\n').count() as u32 + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        Diagnostic::new(
            Rule::NotUtf8,
            rel,
            Pos::new(line, column, 1),
            "this file is not valid UTF-8",
        )
        .with_hint("save the note as UTF-8 in your editor")
    })?;
    // Most notes have neither a BOM nor CRLF; keep their text as it is, without a copy.
    let bare = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if bare.contains('\r') {
        bare.replace("\r\n", "\n")
    } else if bare.len() < text.len() {
        bare.to_string()
    } else {
        text
    })
}
