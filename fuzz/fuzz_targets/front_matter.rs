//! Any bytes, read as a note of each kind: splitting and typing must never panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

const PATHS: [&str; 4] = [
    "contacts/x.md",
    "interviews/x.md",
    "questions/x.md",
    "me.md",
];

fuzz_target!(|data: &[u8]| {
    for path in PATHS {
        let Ok(source) = coffeechat::load::parse_note(Path::new(path), data.to_vec()) else {
            // Not UTF-8 or an unclosed fence: the same answer for every path.
            return;
        };
        let mut diags = Vec::new();
        let _ = coffeechat::model::note::read_note(source, &mut diags);
    }
});
