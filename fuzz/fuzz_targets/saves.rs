//! A vault and saves to it, packed in the input: split on 0xFE into the vault, then
//! up to eight saves, each a set of files packed as `coffeechat_fuzz::unpack` reads them
//! (a path with no newline deletes that file or folder). The vault is built, then each
//! save is written and followed by `Session::update`, as `watch` does. At the end the
//! output folder must hold byte for byte what a fresh build of the final vault writes
//! into an empty folder (the manifest too: every file is compared), the session must
//! report the same problems, and write exactly when the fresh build does.
#![no_main]

use coffeechat::session::Session;
use coffeechat_fuzz::{SAVE, apply, assert_same_tree, options, scratch, tree, unpack};
use libfuzzer_sys::fuzz_target;

const MAX_SAVES: usize = 8;

fuzz_target!(|data: &[u8]| {
    let (tmp, vault, out) = scratch();
    let mut steps = data.split(|&b| b == SAVE);
    apply(&vault, &unpack(steps.next().unwrap_or_default()));
    let mut session = Session::new(options(&vault, &out)).rebuilding();
    let mut last = session.build();
    for save in steps.take(MAX_SAVES) {
        let changed = apply(&vault, &unpack(save));
        last = session.update(&changed, false);
    }
    let fresh_out = tmp.path().join("fresh");
    let fresh = Session::new(options(&vault, &fresh_out)).build();
    assert_eq!(
        last.diagnostics, fresh.diagnostics,
        "the session reports other problems than a fresh build"
    );
    assert_eq!(
        last.written(),
        fresh.written(),
        "the session and a fresh build disagree on writing: {:?} / {:?}",
        last.result,
        fresh.result
    );
    if fresh.written() {
        assert_same_tree(&tree(&out), &tree(&fresh_out));
    }
});
