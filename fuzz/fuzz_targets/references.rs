//! A small vault: the input is split on 0xFF (never valid in UTF-8 notes) into up to six
//! notes, placed in turn at contacts/, companies/, interviews/, questions/, notes/ and
//! me.md. Building the vault, the agenda, the lint and the note bodies must never panic.
#![no_main]

use std::collections::BTreeSet;
use std::path::PathBuf;

use coffeechat::model::Vault;
use coffeechat::model::agenda::Agenda;
use coffeechat::model::settings::Settings;
use libfuzzer_sys::fuzz_target;

const SEPARATOR: u8 = 0xFF;
const MAX_NOTES: usize = 6;
const PATHS: [&str; MAX_NOTES] = [
    "contacts/n0.md",
    "companies/n1.md",
    "interviews/n2.md",
    "questions/n3.md",
    "notes/n4.md",
    "me.md",
];

fuzz_target!(|data: &[u8]| {
    let sources: Vec<_> = data
        .splitn(MAX_NOTES, |&b| b == SEPARATOR)
        .zip(PATHS)
        .filter_map(|(bytes, rel)| {
            coffeechat::load::parse_note(&PathBuf::from(rel), bytes.to_vec()).ok()
        })
        .collect();
    let (vault, _diags) = Vault::new(sources, Settings::default(), jiff::civil::date(2026, 11, 23));
    let agenda = Agenda::new(&vault);
    let _ = coffeechat::check::lint(&vault, &agenda);
    let _ = coffeechat::render::bodies(&vault, &BTreeSet::new());
});
