//! A small vault: the input is split on 0xFF (never in UTF-8) into up to six notes,
//! placed in turn at contacts/, companies/, interviews/, questions/, notes/ and me.md.
//! Checking it (load, references, agenda, lint, bodies and every page rendered, nothing
//! written) must never panic.
#![no_main]

use coffeechat::session::Session;
use coffeechat_fuzz::{FILE, options, scratch};
use libfuzzer_sys::fuzz_target;

const PATHS: [&str; 6] = [
    "contacts/n0.md",
    "companies/n1.md",
    "interviews/n2.md",
    "questions/n3.md",
    "notes/n4.md",
    "me.md",
];

fuzz_target!(|data: &[u8]| {
    let (_tmp, vault, out) = scratch();
    for (bytes, rel) in data.splitn(PATHS.len(), |&b| b == FILE).zip(PATHS) {
        let path = vault.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    Session::new(options(&vault, &out)).check();
});
