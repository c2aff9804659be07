//! The input is the output folder's manifest (`.coffeechat-manifest`: a line a file,
//! `PATH<tab>HASH<tab>LENGTH` or a bare path), in an output folder that also holds a
//! stale page, a file coffeechat did not write, and a symbolic link to a folder beside
//! it. Reading the manifest must never panic; a build of the small vault of
//! `fuzz/vault/` over it must write every file as a fresh build does, delete only what
//! is inside the output folder (never through the link), and change nothing outside.
#![no_main]

use std::fs;
use std::path::PathBuf;

use coffeechat_fuzz::{VAULT, build_and_check, scratch, tree, write_all};
use libfuzzer_sys::fuzz_target;

/// Files in the output folder before the build; a hostile manifest may list them.
const PLANTED: [(&str, &str); 3] = [
    ("index.html", "a page of an older build"),
    ("contacts/old.html", "a page of a contact since removed"),
    ("notes.txt", "a file coffeechat did not write"),
];

fuzz_target!(|data: &[u8]| {
    let (tmp, vault, out) = scratch();
    write_all(&vault, VAULT);
    write_all(&out, &PLANTED);
    let beside = tmp.path().join("beside");
    write_all(&beside, &[("keep.html", "not in the output folder")]);
    std::os::unix::fs::symlink(&beside, out.join("link")).unwrap();
    fs::write(out.join(".coffeechat-manifest"), data).unwrap();
    // Not UTF-8: as if there were no manifest.
    let _ = coffeechat::fuzzing::read_manifest(&out);

    let written = build_and_check(&vault, &out);
    assert_eq!(
        tree(&beside).len(),
        1,
        "a file beside the output folder was deleted"
    );
    if !written {
        return;
    }
    let fresh_out = tmp.path().join("fresh");
    assert!(build_and_check(&vault, &fresh_out));
    let got = tree(&out);
    for (rel, bytes) in tree(&fresh_out) {
        assert!(
            got.get(&rel) == Some(&bytes),
            "{} is not as a fresh build writes it",
            rel.display()
        );
    }
    let planted: Vec<PathBuf> = PLANTED.iter().map(|(rel, _)| rel.into()).collect();
    for rel in got.keys() {
        assert!(
            planted.contains(rel) || rel.starts_with("link") || fresh_out.join(rel).is_file(),
            "{} is neither the site's nor planted",
            rel.display()
        );
    }
});
