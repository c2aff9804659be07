//! calendar.ics from the small vault of `fuzz/vault/` whose settings, contacts and chats
//! the input replaces: split on 0xFF into, in turn, coffeechat.yaml, the two chats and
//! the two contacts (an empty part keeps the file as it is). Whenever the site is
//! written, calendar.ics must be valid RFC 5545 (`coffeechat_fuzz::check_calendar`).
#![no_main]

use coffeechat_fuzz::{FILE, VAULT, build_and_check, scratch, write_all};
use libfuzzer_sys::fuzz_target;

const PATHS: [&str; 5] = [
    "coffeechat.yaml",
    "interviews/2026-11-24-priya-raman.md",
    "interviews/2026-11-10-marcus-chen.md",
    "contacts/priya-raman.md",
    "contacts/marcus-chen.md",
];

fuzz_target!(|data: &[u8]| {
    let (_tmp, vault, out) = scratch();
    write_all(&vault, VAULT);
    for (bytes, rel) in data.splitn(PATHS.len(), |&b| b == FILE).zip(PATHS) {
        if !bytes.is_empty() {
            std::fs::write(vault.join(rel), bytes).unwrap();
        }
    }
    build_and_check(&vault, &out);
});
