//! A table of respondent keys for duplicate detection.
//!
//! Keys are 64 bits of SHA-256, so one multiplication spreads them over an open-addressing
//! table (Fibonacci hashing; it also spreads keys that are not random, such as small numbers).
//! One respondent is one slot, and a table of a million
//! respondents is larger than the cache: each lookup is a miss to memory. Duplicates are
//! decided in file order, one row after the other, and a hash map makes those misses one at a
//! time; this table lets a batch of keys be touched first (`warm`), independent loads that the
//! processor overlaps, so the lookups that follow find their slots in cache.

/// Respondent key → row.
#[derive(Debug, Clone)]
pub struct KeyTable {
    /// (key, row); key 0 marks an empty slot (the key 0 itself is kept in `zero`).
    slots: Vec<(u64, usize)>,
    len: usize,
    zero: Option<usize>,
}

impl Default for KeyTable {
    fn default() -> Self {
        KeyTable {
            slots: empty_slots(1 << 10),
            len: 0,
            zero: None,
        }
    }
}

impl KeyTable {
    /// Makes room for `keys` keys at once, so the table does not grow (and rehash) step by step.
    pub fn reserve(&mut self, keys: usize) {
        let slots = (keys * 2).next_power_of_two();
        if slots > self.slots.len() {
            self.resize(slots);
        }
    }

    fn resize(&mut self, slots: usize) {
        let old = std::mem::replace(&mut self.slots, empty_slots(slots));
        for (key, row) in old.into_iter().filter(|s| s.0 != 0) {
            let i = self.find(key);
            self.slots[i] = (key, row);
        }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Where `key`'s probe starts: the top bits of key × 2⁶⁴/φ.
    fn home(&self, key: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// The slot holding `key`, or the empty slot where it would go.
    fn find(&self, key: u64) -> usize {
        let mask = self.mask();
        let mut i = self.home(key);
        loop {
            let k = self.slots[i].0;
            if k == key || k == 0 {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    pub fn get(&self, key: u64) -> Option<usize> {
        if key == 0 {
            return self.zero;
        }
        let slot = self.slots[self.find(key)];
        (slot.0 == key).then_some(slot.1)
    }

    /// The row already held for `key`; otherwise holds `row` for it and returns `None`.
    pub fn get_or_insert(&mut self, key: u64, row: usize) -> Option<usize> {
        self.put(key, row, false)
    }

    /// Holds `row` for `key`, replacing any row held before.
    pub fn insert(&mut self, key: u64, row: usize) {
        self.put(key, row, true);
    }

    fn put(&mut self, key: u64, row: usize, replace: bool) -> Option<usize> {
        if key == 0 {
            let held = self.zero;
            if held.is_none() || replace {
                self.zero = Some(row);
            }
            return held;
        }
        let i = self.find(key);
        if self.slots[i].0 == key {
            let held = self.slots[i].1;
            if replace {
                self.slots[i].1 = row;
            }
            return Some(held);
        }
        self.slots[i] = (key, row);
        self.len += 1;
        // At most half full: probes stay short with linear probing.
        if self.len * 2 > self.slots.len() {
            self.grow();
        }
        None
    }

    fn grow(&mut self) {
        self.resize(self.slots.len() * 2);
    }

    /// Touches the slots of `keys` (independent loads that overlap), so the lookups that follow
    /// find them in cache.
    pub fn warm(&self, keys: impl Iterator<Item = u64>) {
        let touched = keys.fold(0u64, |acc, key| {
            acc.wrapping_add(self.slots[self.home(key)].0)
        });
        std::hint::black_box(touched);
    }
}

/// `n` empty slots, written out. `vec![(0, 0); n]` would map the kernel's shared zero page,
/// and the first write to each page of it then copies the page and flushes every core's TLB
/// (an interrupt to the other cores, page by page, in the middle of their work).
fn empty_slots(n: usize) -> Vec<(u64, usize)> {
    let mut slots = Vec::with_capacity(n);
    slots.resize(n, (0, 0));
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_first_or_last_row_per_key_across_growth() {
        let mut first = KeyTable::default();
        let mut last = KeyTable::default();
        // Keys alike in their low bits (multiples of 2^20), and the zero key.
        let keys: Vec<u64> = (0..5000u64).map(|i| (i % 2500) << 20).collect();
        for (row, &key) in keys.iter().enumerate() {
            let held = first.get_or_insert(key, row);
            assert_eq!(held, (row >= 2500).then(|| row - 2500));
            last.insert(key, row);
        }
        for i in 0..2500u64 {
            assert_eq!(first.get(i << 20), Some(i as usize));
            assert_eq!(last.get(i << 20), Some(i as usize + 2500));
        }
        assert_eq!(first.get(7), None);
        assert_eq!(first.len, 2499, "the zero key is held apart");
    }

    /// A reservation is a starting size, not a limit: the table keeps growing past it.
    #[test]
    fn grows_past_its_reservation() {
        let mut table = KeyTable::default();
        table.reserve(4);
        let n = 40_000u64;
        for key in 1..=n {
            assert_eq!(table.get_or_insert(key * 0x9E37, key as usize), None);
        }
        assert!(table.slots.len() >= 2 * n as usize);
        assert!((1..=n).all(|key| table.get(key * 0x9E37) == Some(key as usize)));
    }
}
