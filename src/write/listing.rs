//! The manifest's text, kept by the process that wrote it so that a save writes it
//! again with only its changed lines made anew: formatting the ~13k lines of a 10k-note
//! site and looking each file up took ~3 ms of every save.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{Files, Stamp};

/// The manifest's text: a line a file, sorted by path as text so that the same site
/// gives the same manifest: `PATH\tHASH\tLENGTH`, or the bare path of a file without a
/// stamp.
pub(super) struct Listing {
    pub text: String,
    /// Each listed path in order, with where its line starts in `text`.
    lines: Vec<(PathBuf, usize)>,
}

/// Where a path's line goes: by its text, then, for paths that are not UTF-8 and read
/// the same as text, by their bytes.
type Key<'a> = (Cow<'a, str>, &'a [u8]);

fn key(path: &Path) -> Key<'_> {
    (path.to_string_lossy(), path.as_os_str().as_encoded_bytes())
}

/// A change to one file's line: its new stamp, or `None` when the file is no longer
/// listed.
pub(super) type Change = (PathBuf, Option<Option<Stamp>>);

impl Listing {
    /// The listing of `files`.
    pub(super) fn new(files: &Files) -> Listing {
        let mut sorted: Vec<(Key, &PathBuf)> = files.keys().map(|p| (key(p), p)).collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut listing = Listing {
            text: String::with_capacity(sorted.len() * 64),
            lines: Vec::with_capacity(sorted.len()),
        };
        for (_, path) in sorted {
            listing.push(path.clone(), files[path]);
        }
        listing
    }

    /// The listing with `changes` made, the lines between them copied as they are; of
    /// changes to the same file, the last holds.
    pub(super) fn update(self, mut changes: Vec<Change>) -> Listing {
        changes.sort_by(|a, b| key(&a.0).cmp(&key(&b.0)));
        changes.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                std::mem::swap(later, earlier);
            }
            same
        });
        let at: Vec<Result<usize, usize>> = changes.iter().map(|(p, _)| self.find(p)).collect();
        let start = |i: usize| self.lines.get(i).map_or(self.text.len(), |l| l.1);
        // Where each change's place starts and, for a listed file, its line ends.
        let spans: Vec<(usize, usize, usize)> = at
            .iter()
            .map(|&found| match found {
                Ok(i) => (i, start(i), start(i + 1)),
                Err(i) => (i, start(i), start(i)),
            })
            .collect();
        let mut made = Listing {
            text: String::with_capacity(self.text.len() + 64 * changes.len()),
            lines: Vec::with_capacity(self.lines.len() + changes.len()),
        };
        let mut old = self.lines.into_iter();
        let (mut next, mut copied) = (0, 0);
        for ((path, stamp), (line, from, to)) in changes.into_iter().zip(spans) {
            made.copy(&self.text, &mut old, line - next, copied, from);
            next = line;
            copied = from;
            if to > from {
                old.next();
                next += 1;
                copied = to;
            }
            if let Some(stamp) = stamp {
                made.push(path, stamp);
            }
        }
        let left = old.len();
        made.copy(&self.text, &mut old, left, copied, self.text.len());
        made
    }

    /// Where `path`'s line is, or would go.
    fn find(&self, path: &Path) -> Result<usize, usize> {
        let wanted = key(path);
        self.lines.binary_search_by(|(p, _)| key(p).cmp(&wanted))
    }

    /// Copies `count` lines of an older listing, which take `text[from..to]`.
    fn copy(
        &mut self,
        text: &str,
        old: &mut impl Iterator<Item = (PathBuf, usize)>,
        count: usize,
        from: usize,
        to: usize,
    ) {
        let shift = self.text.len() as isize - from as isize;
        self.text.push_str(&text[from..to]);
        let moved = old.take(count);
        self.lines
            .extend(moved.map(|(p, start)| (p, (start as isize + shift) as usize)));
    }

    fn push(&mut self, path: PathBuf, stamp: Option<Stamp>) {
        self.lines.push((path, self.text.len()));
        let (path, text) = (&self.lines.last().expect("just pushed").0, &mut self.text);
        // Writing into a String cannot fail.
        let _ = match stamp {
            Some(s) => writeln!(
                text,
                "{}\t{:016x}\t{}",
                path.to_string_lossy(),
                s.hash,
                s.len
            ),
            None => writeln!(text, "{}", path.to_string_lossy()),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Changes to make, by path.
    type Step<'a> = &'a [(&'a str, Option<Option<Stamp>>)];

    fn stamp(n: u64) -> Option<Stamp> {
        Some(Stamp {
            hash: n,
            len: n * 100,
        })
    }

    #[test]
    fn an_updated_listing_equals_one_made_anew() {
        let mut files: Files = (0..40)
            .map(|i| (PathBuf::from(format!("notes/n{i:02}.html")), stamp(i)))
            .collect();
        files.insert("index.html".into(), None);
        let mut listing = Listing::new(&files);
        let steps: [Step; 3] = [
            // A stamp changed, a file added, one removed.
            &[
                ("notes/n05.html", Some(stamp(500))),
                ("notes/n05b.html", Some(stamp(7))),
                ("notes/n30.html", None),
            ],
            // Before the first line, after the last, and the first and last lines changed.
            &[
                ("a.html", Some(stamp(1))),
                ("z.html", Some(None)),
                ("index.html", Some(stamp(2))),
                ("notes/n39.html", None),
            ],
            // The same file twice: the last change holds.
            &[
                ("notes/n07.html", Some(stamp(70))),
                ("notes/n07.html", None),
            ],
        ];
        for (step, changes) in steps.into_iter().enumerate() {
            let changes: Vec<Change> = changes
                .iter()
                .map(|(p, s)| (PathBuf::from(p), *s))
                .collect();
            for (path, stamp) in &changes {
                match stamp {
                    Some(s) => files.insert(path.clone(), *s),
                    None => files.remove(path),
                };
            }
            listing = listing.update(changes);
            let anew = Listing::new(&files);
            assert_eq!(listing.text, anew.text, "step {step}");
            assert_eq!(listing.lines, anew.lines, "step {step}");
        }
        assert!(listing.text.starts_with("a.html\t"), "{}", listing.text);
        assert!(listing.text.ends_with("z.html\n"), "{}", listing.text);
    }
}
