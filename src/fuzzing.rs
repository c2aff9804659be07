//! Ways in for the fuzz crate (`fuzz/`) to code that is otherwise private, one call
//! each. They exist for it alone: nothing else may use them, and they change without
//! notice.

use std::path::Path;

/// Reads the bytes of a note at the vault path `rel` as loading does: decodes them,
/// splits off the front matter and types the note.
pub fn read_note(rel: &Path, bytes: Vec<u8>) {
    if let Ok(source) = crate::load::parse_note(rel, bytes) {
        crate::model::note::read_note(source, &mut Vec::new());
    }
}

/// Reads the manifest in the output folder `out` as a build does; a hash of its text,
/// `None` when there is none.
pub fn read_manifest(out: &Path) -> Option<u64> {
    crate::write::Manifest::read(out).digest()
}

/// Whether `serve`, listening on `port`, answers a request with this `Host` header.
pub fn host_allowed(host: Option<&str>, port: u16) -> bool {
    crate::serve::host_allowed(host, port)
}
