//! Each respondent's row of a few values, by hashed respondent key, for pairing waves.
//!
//! A national survey keeps one such row per respondent for the next wave's paired tests. As a
//! `BTreeMap<String, Vec<…>>` each row was three allocations and a tree entry — about 200 bytes
//! for 30 items — and building the map from the rows doubled that for a moment: at five million
//! respondents the largest thing the run held. Here the keys are the numbers the hashed keys
//! write in hexadecimal (`ingest::key_hex`), sorted, and the rows lie end to end in one vector,
//! so a row costs its values and eight bytes. As JSON it is the map it replaces, byte for byte.

use serde::de::{Deserializer, Error as _, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// Rows of `width` values by respondent key, in key order.
#[derive(Debug, Clone, PartialEq)]
pub struct ByRespondent<T> {
    width: usize,
    /// Strictly increasing.
    keys: Vec<u64>,
    /// Row `i` is `values[i * width..(i + 1) * width]`.
    values: Vec<T>,
}

impl<T> Default for ByRespondent<T> {
    fn default() -> Self {
        ByRespondent {
            width: 0,
            keys: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<T: Copy + Send + Sync> ByRespondent<T> {
    /// The rows of `keys` (in file order, a key's rows `width` values each, end to end in
    /// `values`); a key seen more than once keeps its last row, as inserting in order into a
    /// map would.
    pub fn from_file_order(width: usize, keys: Vec<u64>, values: Vec<T>) -> Self {
        Self::in_order(width, &keys, &kept_order(&keys), &values)
    }

    /// Rows `order` (from [`kept_order`]) of `keys` and `values`, in that order.
    pub fn in_order(width: usize, keys: &[u64], order: &[usize], values: &[T]) -> Self {
        assert_eq!(keys.len() * width, values.len(), "rows of {width} values");
        let mut sorted = Vec::with_capacity(order.len() * width);
        for &i in order {
            sorted.extend_from_slice(&values[i * width..(i + 1) * width]);
        }
        ByRespondent {
            width,
            keys: order.iter().map(|&i| keys[i]).collect(),
            values: sorted,
        }
    }

    /// Respondents with a row.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no respondent has a row.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Lets go of every row.
    pub fn clear(&mut self) {
        *self = ByRespondent {
            width: self.width,
            ..Default::default()
        };
    }

    fn row(&self, i: usize) -> &[T] {
        &self.values[i * self.width..(i + 1) * self.width]
    }

    /// The row of respondent `key`.
    pub fn get(&self, key: u64) -> Option<&[T]> {
        self.keys.binary_search(&key).ok().map(|i| self.row(i))
    }

    /// Every respondent's key and row, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &[T])> + '_ {
        (0..self.keys.len()).map(|i| (self.keys[i], self.row(i)))
    }

    /// Every row as serde_json writes the map this replaces, `write_row` writing a row's
    /// value; the rows are encoded in parallel blocks, written a few at a time (a million
    /// respondents' rows waited seconds on one thread, and all of them at once were hundreds of
    /// megabytes at five million).
    pub fn write_json(
        &self,
        w: &mut dyn std::io::Write,
        write_row: impl Fn(&mut Vec<u8>, &[T]) -> serde_json::Result<()> + Sync,
    ) -> std::io::Result<()> {
        use rayon::prelude::*;
        const BLOCK: usize = 8_192;
        const BLOCKS_AT_ONCE: usize = 64;
        let blocks: Vec<std::ops::Range<usize>> = (0..self.len())
            .step_by(BLOCK)
            .map(|start| start..(start + BLOCK).min(self.len()))
            .collect();
        w.write_all(b"{")?;
        for group in blocks.chunks(BLOCKS_AT_ONCE) {
            let encoded = group
                .par_iter()
                .map(|range| {
                    let mut bytes = Vec::new();
                    for i in range.clone() {
                        if i > 0 {
                            bytes.push(b',');
                        }
                        serde_json::to_writer(&mut bytes, &crate::ingest::key_hex(self.keys[i]))?;
                        bytes.push(b':');
                        write_row(&mut bytes, self.row(i))?;
                    }
                    Ok(bytes)
                })
                .collect::<serde_json::Result<Vec<Vec<u8>>>>()?;
            for bytes in encoded {
                w.write_all(&bytes)?;
            }
        }
        w.write_all(b"}")
    }

    /// Serialises as a map from each hashed key to `row(values)`.
    pub fn serialize_with<S: Serializer, R: Serialize>(
        &self,
        s: S,
        row: impl Fn(&[T]) -> R,
    ) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (key, values) in self.iter() {
            map.serialize_entry(&crate::ingest::key_hex(key), &row(values))?;
        }
        map.end()
    }

    /// Reads the map `serialize_with` writes, each row read as `R` and turned into values by
    /// `values`.
    pub fn deserialize_with<'de, D: Deserializer<'de>, R: Deserialize<'de>>(
        d: D,
        values: impl Fn(R) -> Result<Vec<T>, String>,
    ) -> Result<Self, D::Error> {
        struct Rows<F, R>(F, std::marker::PhantomData<R>);
        impl<'de, T, R, F> Visitor<'de> for Rows<F, R>
        where
            T: Copy + Send + Sync,
            R: Deserialize<'de>,
            F: Fn(R) -> Result<Vec<T>, String>,
        {
            type Value = ByRespondent<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map from hashed respondent keys to rows")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut keys, mut values, mut width) = (Vec::new(), Vec::new(), None);
                while let Some((key, row)) = map.next_entry::<std::borrow::Cow<str>, R>()? {
                    let key = parse_key(&key)
                        .ok_or_else(|| A::Error::custom(format!("`{key}` is not a hashed key")))?;
                    let row = (self.0)(row).map_err(A::Error::custom)?;
                    if *width.get_or_insert(row.len()) != row.len() {
                        return Err(A::Error::custom("rows of different lengths"));
                    }
                    keys.push(key);
                    values.extend(row);
                }
                Ok(ByRespondent::from_file_order(
                    width.unwrap_or(0),
                    keys,
                    values,
                ))
            }
        }
        d.deserialize_map(Rows(values, std::marker::PhantomData))
    }
}

/// The rows of `keys` (in file order) that are kept, in key order: of a key seen more than
/// once, its last row.
pub fn kept_order(keys: &[u64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    // Of equal keys, the last in file order comes first, and is the one kept.
    order.sort_unstable_by_key(|&i| (keys[i], std::cmp::Reverse(i)));
    order.dedup_by_key(|i| keys[*i]);
    order
}

/// The number a hashed key (`ingest::key_hex`: 16 lower-case hexadecimal digits) writes.
pub fn parse_key(key: &str) -> Option<u64> {
    let digits = key.len() == 16 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    digits.then(|| u64::from_str_radix(key, 16).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn rows_are_kept_by_key_the_last_of_a_key_winning_as_in_a_map() {
        let keys = vec![0xb0, 0x0a, 0xb0, 0xc000_0000_0000_0000, 0x0a];
        let values = vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5];
        let rows = ByRespondent::from_file_order(2, keys.clone(), values.clone());
        let mut map = BTreeMap::new();
        for (i, &k) in keys.iter().enumerate() {
            map.insert(k, values[i * 2..i * 2 + 2].to_vec());
        }
        let got: BTreeMap<u64, Vec<i32>> = rows.iter().map(|(k, r)| (k, r.to_vec())).collect();
        assert_eq!(got, map);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows.get(0x0a), Some(&[5, 5][..]));
        assert_eq!(rows.get(0x0b), None);
        let mut cleared = rows.clone();
        cleared.clear();
        assert!(cleared.is_empty() && cleared.get(0xb0).is_none());
    }

    #[test]
    fn as_json_it_is_the_map_it_replaces() {
        let n = 20_000u64; // several blocks
        let keys: Vec<u64> = (0..n)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        let values: Vec<Option<f64>> = (0..n)
            .flat_map(|i| [(i % 3 != 0).then_some(i as f64 / 7.0), None])
            .collect();
        let rows = ByRespondent::from_file_order(2, keys.clone(), values.clone());
        let map: BTreeMap<String, Vec<Option<f64>>> = (0..n as usize)
            .map(|i| {
                (
                    crate::ingest::key_hex(keys[i]),
                    values[i * 2..i * 2 + 2].to_vec(),
                )
            })
            .collect();
        let mut written = Vec::new();
        rows.write_json(&mut written, |b, r| serde_json::to_writer(b, r))
            .unwrap();
        assert_eq!(written, serde_json::to_vec(&map).unwrap());
        let mut by_serde = serde_json::Serializer::new(Vec::new());
        rows.serialize_with(&mut by_serde, |r| r.to_vec()).unwrap();
        assert_eq!(by_serde.into_inner(), written);
        let mut de = serde_json::Deserializer::from_slice(&written);
        let back = ByRespondent::deserialize_with(&mut de, |r: Vec<Option<f64>>| Ok(r)).unwrap();
        assert_eq!(back, rows);
        for bad in [r#"{"0a":[1]}"#, r#"{"000000000000000A":[1]}"#] {
            let mut de = serde_json::Deserializer::from_str(bad);
            assert!(ByRespondent::deserialize_with(&mut de, |r: Vec<Option<f64>>| Ok(r)).is_err());
        }
        let mut empty = Vec::new();
        ByRespondent::<u8>::default()
            .write_json(&mut empty, |_, _| Ok(()))
            .unwrap();
        assert_eq!(empty, b"{}");
    }
}
