//! The input is coffeechat.yaml of the small vault of `fuzz/vault/`. A build must never
//! panic and must point every problem in the settings at its line and column; a site it
//! writes has a valid calendar.ics (the time zone and durations shape it).
#![no_main]

use coffeechat_fuzz::{VAULT, build_and_check, scratch, write_all};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (_tmp, vault, out) = scratch();
    write_all(&vault, VAULT);
    std::fs::write(vault.join("coffeechat.yaml"), data).unwrap();
    build_and_check(&vault, &out);
});
