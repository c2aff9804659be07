//! A whole vault packed in the input (`coffeechat_fuzz::unpack`): notes anywhere,
//! coffeechat.yaml, templates/ and static/ files. A full build must never panic, change
//! the vault or point a problem outside its file, and writes a valid calendar.ics.
#![no_main]

use coffeechat_fuzz::{apply, build_and_check, scratch, unpack};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (_tmp, vault, out) = scratch();
    apply(&vault, &unpack(data));
    build_and_check(&vault, &out);
});
