//! Results kept across rebuilds under a hash of what they are made from, and the one
//! hash this program compares values by.

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Mutex;

use ahash::AHashMap;

/// Values by the hash of what each was made from; shared by work running in parallel.
/// A value is only ever looked up by the hash of its whole input, so a kept value is
/// never stale: an input that changed has another key.
pub(crate) struct Memo<T> {
    kept: Mutex<Kept<T>>,
    /// Values beyond those of the last fill that the memo may gather (left behind by
    /// edits) before it is emptied.
    slack: usize,
}

struct Kept<T> {
    by_key: AHashMap<u64, T>,
    /// How many values were kept when the memo was last emptied and filled again.
    filled: usize,
}

impl<T> Default for Memo<T> {
    /// A memo of small values, which may gather [`SLACK`] values left behind.
    fn default() -> Memo<T> {
        Memo::with_slack(SLACK)
    }
}

/// Small values beyond those of the last fill that a memo may gather before it is
/// emptied.
const SLACK: usize = 10_000;

/// A hasher of the one scheme: aHash with fixed seeds. Keys are mostly many small
/// fields, which XXH3's streaming hasher took four times as long over. Its output may
/// vary between builds of the program, so hashes are kept only in memory and in build
/// records, which another executable does not read; the output's manifest, which
/// outlives the program, stamps files with XXH3 (see [`crate::write`]).
pub(crate) fn hasher() -> impl Hasher {
    ahash::RandomState::with_seeds(1, 2, 3, 4).build_hasher()
}

/// The hash of `value`, by [`hasher`]: the key of a value made from it, and what pages,
/// notes and records are compared by.
pub(crate) fn hash(value: &(impl Hash + ?Sized)) -> u64 {
    let mut h = hasher();
    value.hash(&mut h);
    h.finish()
}

impl<T> Memo<T> {
    /// An empty memo that may gather `slack` values beyond those of its last fill.
    pub(crate) fn with_slack(slack: usize) -> Memo<T> {
        Memo {
            kept: Mutex::new(Kept {
                by_key: AHashMap::new(),
                filled: 0,
            }),
            slack,
        }
    }
}

impl<T: Clone> Memo<T> {
    /// The value kept under `key`, if any.
    pub(crate) fn get(&self, key: u64) -> Option<T> {
        self.lock().by_key.get(&key).cloned()
    }

    /// The values kept under `keys`, taken under one lock.
    pub(crate) fn get_many(&self, keys: &[u64]) -> Vec<Option<T>> {
        let kept = self.lock();
        keys.iter()
            .map(|key| kept.by_key.get(key).cloned())
            .collect()
    }

    /// Keeps a value.
    pub(crate) fn insert(&self, key: u64, value: T) {
        self.lock().by_key.insert(key, value);
    }

    /// Called after each use: empties the memo once it holds many more values than one
    /// build makes, so that values left behind by edits do not pile up for a whole
    /// session.
    pub(crate) fn trim(&self) {
        let mut kept = self.lock();
        if kept.filled == 0 {
            kept.filled = kept.by_key.len();
        } else if kept.by_key.len() > 2 * kept.filled + self.slack {
            kept.by_key = AHashMap::new();
            kept.filled = 0;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept<T>> {
        // Work that panicked while holding the lock left whole entries only.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_whole_input() {
        let key = hash(&("due", "", "Send a note", 3));
        assert_eq!(key, hash(&("due", "", "Send a note", 3)));
        assert_ne!(key, hash(&("touch", "", "Send a note", 3)));
        assert_ne!(key, hash(&("due", "../", "Send a note", 3)));
        assert_ne!(key, hash(&("due", "", "Send a note", 4)));
    }

    #[test]
    fn trim_empties_a_memo_grown_far_past_its_fill() {
        let memo = Memo::default();
        for k in 0..5 {
            memo.insert(k, k);
        }
        memo.trim();
        for k in 5..(11 + SLACK as u64) {
            memo.insert(k, k);
        }
        assert_eq!(memo.get(3), Some(3));
        memo.trim();
        assert_eq!(memo.get(3), None, "emptied past 2 × 5 + SLACK values");
    }
}
