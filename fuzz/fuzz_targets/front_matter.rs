//! Any bytes, read as a note of each kind: splitting and typing must never panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

const PATHS: [&str; 5] = [
    "contacts/x.md",
    "companies/x.md",
    "interviews/x.md",
    "questions/x.md",
    "me.md",
];

fuzz_target!(|data: &[u8]| {
    for path in PATHS {
        coffeechat::fuzzing::read_note(Path::new(path), data.to_vec());
    }
});
