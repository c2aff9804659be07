//! The input is a LinkedIn `Connections.csv`, imported into the small vault of
//! `fuzz/vault/`. The import must never panic, never change a note that was there,
//! create exactly the notes it lists, in contacts/ and companies/, and be idempotent:
//! importing the same file again creates nothing and changes nothing.
#![no_main]

use std::collections::BTreeSet;
use std::path::PathBuf;

use coffeechat::import::linkedin::import;
use coffeechat_fuzz::{VAULT, assert_same_tree, scratch, tree, write_all};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (tmp, vault, _out) = scratch();
    write_all(&vault, VAULT);
    let csv = tmp.path().join("Connections.csv");
    std::fs::write(&csv, data).unwrap();
    let before = tree(&vault);
    let Ok(first) = import(&csv, &vault) else {
        assert_same_tree(&tree(&vault), &before);
        return;
    };
    let after = tree(&vault);
    for (rel, bytes) in &before {
        assert!(
            after.get(rel) == Some(bytes),
            "{} was changed",
            rel.display()
        );
    }
    let created: BTreeSet<&PathBuf> = after.keys().filter(|r| !before.contains_key(*r)).collect();
    let listed: BTreeSet<&PathBuf> = first.contacts.iter().chain(&first.companies).collect();
    assert_eq!(created, listed, "created other notes than it says");
    assert!(first.contacts.iter().all(|r| r.starts_with("contacts")));
    assert!(first.companies.iter().all(|r| r.starts_with("companies")));

    let again =
        import(&csv, &vault).unwrap_or_else(|r| panic!("a second import fails: {}", r.message));
    assert!(
        again.contacts.is_empty() && again.companies.is_empty(),
        "a second import creates {:?} {:?}; the first said {:?}",
        again.contacts,
        again.companies,
        first.problems
    );
    assert_same_tree(&tree(&vault), &after);
});
