//! The record of a written site, kept so that the next build, in another process,
//! renders only the pages that can differ.
//!
//! Records are kept in the user's cache folder (`~/.cache/coffeechat/sites/` on Linux),
//! one per output folder, named by a hash of its path: not in the output, which then
//! holds only the site and its manifest, byte for byte the same from build to build.
//!
//! A session knows what each page of the site it wrote showed ([`crate::render::Deps`]) and what
//! each note looked like then ([`super::Shown`]); that is what lets `watch` render only the
//! pages a save touched. Saved after each build with the ids the session gave to
//! vault paths, the same knowledge lets the next `build` (or the first build of `watch`
//! and `serve`) load the whole vault with the same ids, then compare it with the
//! record instead of rendering every page: the same comparison every save in a session
//! goes through (see `tests/incremental.rs` and `tests/record.rs`).
//!
//! The record is used only when it describes the site on disk, and the same notes
//! would make the same pages ([`Key`]):
//! - it was saved with the manifest that is there now (a hash of its text), so the
//!   output holds the files it lists with the same bytes (a `watch` session that
//!   rebuilt leaves a record that no longer matches);
//! - the same program, vault folder, `today`, settings text, vault templates and static
//!   files, vault files besides notes, and attached files.
//!
//! Otherwise, or when it cannot be read, the build is a full one. A page whose file
//! was changed or removed since it was written is rendered again.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::Written;
use crate::memo::hash;
use crate::model::notes::NoteIds;
use crate::render::Theme;
use crate::render::markdown::Body;
use crate::site::Site;
use crate::write;

/// The record's layout: a checksum of the rest, then the [`Saved`] record. What keeps
/// one program from reading another's layout is the program's identity in the key;
/// this number (and the version beside it) only makes a layout change show.
const FORMAT: u32 = 3;

/// What must be the same for a written site's pages to be compared by what they
/// showed, rather than all made again.
#[derive(Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Key {
    format: u32,
    version: Cow<'static, str>,
    /// The executable as a file ([`program`]): the built-in theme and all the
    /// rendering are in it.
    program: Vec<u128>,
    /// A hash of the output's manifest as the site's last write left it: it lists
    /// every file written, with its hash.
    pub(super) manifest: Option<u64>,
    output: PathBuf,
    root: PathBuf,
    today: Option<jiff::civil::Date>,
    settings: u64,
    /// The vault's time zone's rules as the system has them.
    zone: u64,
    theme: u64,
    /// The vault's files besides notes, and those that notes attach.
    files: u64,
}

/// A record: the ids given to vault paths, and the site written with them.
#[derive(Serialize, Deserialize)]
pub(super) struct Saved {
    pub(super) ids: NoteIds,
    pub(super) written: Written,
}

/// The record in the folder `records` of the site in the output folder `output`, if
/// there is one that reads whole. Whether it describes the site there is for its key
/// to say, once the vault is loaded.
pub(super) fn read(records: &Path, output: &Path) -> Option<Saved> {
    let bytes = fs::read(file(records, output)?).ok()?;
    // A record damaged on disk could decode into tables that do not fit together.
    let (sum, body) = bytes.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*sum) != hash(body) {
        return None;
    }
    postcard::from_bytes(body).ok()
}

/// Saves the record of `written`, the site `site` was written to, in the folder
/// `records`. The record is only a shortcut: when it cannot be saved, the next build
/// is a full one.
pub(super) fn save(records: &Path, site: &Site, written: &Written) {
    let Some(path) = file(records, &site.output) else {
        return;
    };
    #[derive(Serialize)]
    struct SavedRef<'a> {
        ids: &'a NoteIds,
        written: &'a Written,
    }
    let saved = SavedRef {
        ids: &site.vault.ids,
        written,
    };
    // The checksum goes first: room is left for it, rather than the record copied
    // after it (a few MB at 10k notes, at the build's peak of memory).
    let done = postcard::to_extend(&saved, vec![0; 8])
        .ok()
        .and_then(|mut bytes| {
            let sum = hash(&bytes[8..]).to_le_bytes();
            bytes[..8].copy_from_slice(&sum);
            fs::create_dir_all(records).ok()?;
            write::atomic_write(&path, &bytes).ok()
        });
    if done.is_none() {
        let _ = fs::remove_file(&path);
    }
}

/// The record's file for the output folder `output`, once that exists.
fn file(records: &Path, output: &Path) -> Option<PathBuf> {
    let output = output.canonicalize().ok()?;
    let name = hash(output.as_os_str().as_encoded_bytes());
    Some(records.join(format!("{name:016x}")))
}

impl Key {
    /// This key, for the output's manifest as a later write left it.
    pub(super) fn with_manifest(&self, manifest: Option<u64>) -> Key {
        Key {
            manifest,
            version: self.version.clone(),
            program: self.program.clone(),
            output: self.output.clone(),
            root: self.root.clone(),
            ..*self
        }
    }

    /// The key for the vault as loaded, with its `theme`, the notes' rendered `bodies`
    /// and the hash of the output's `manifest`.
    pub(super) fn new(
        site: &Site,
        theme: &Theme,
        bodies: &[Body],
        manifest: Option<u64>,
    ) -> Option<Key> {
        let settings = site.source(Path::new(crate::model::settings::FILE_NAME));
        let attached: BTreeSet<&PathBuf> = bodies.iter().flat_map(|b| &b.attachments).collect();
        Some(Key {
            format: FORMAT,
            version: Cow::Borrowed(env!("CARGO_PKG_VERSION")),
            program: program()?,
            manifest,
            output: site.output.canonicalize().ok()?,
            root: site.root.canonicalize().ok()?,
            today: Some(site.vault.today),
            settings: hash(&settings),
            zone: hash(&crate::calendar::zone_rules(&site.vault)),
            theme: theme.fingerprint,
            files: hash(&(&site.files, attached)),
        })
    }
}

/// What tells this executable from another: its size and modification time and, on
/// Unix, its device, inode and change time, which copying a file over it with its
/// times kept (`cp -p`) still changes. Hashing its ~50 MB would cost every build
/// ~15 ms. `None` when it cannot be read (on Linux, once it was deleted or replaced
/// while running): then no record is read or saved.
fn program() -> Option<Vec<u128>> {
    let meta = fs::metadata(std::env::current_exe().ok()?).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    let mut id = vec![u128::from(meta.len()), modified.as_nanos()];
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        id.extend([u128::from(meta.dev()), u128::from(meta.ino())]);
        id.extend([meta.ctime() as u128, meta.ctime_nsec() as u128]);
    }
    Some(id)
}
