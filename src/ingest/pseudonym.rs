//! Respondent ids nobody can reverse: every published id is the first 64 bits of an
//! HMAC-SHA-256 of the respondent's key value under a secret. Anyone holding the export's
//! e-mail addresses or staff ids can hash them, but without the secret the hashes match no id.
//!
//! Three keys are derived from one secret:
//! - across waves (the survey declares `[respondent] key`, a column a person keeps): the id
//!   is HMAC(secret, value), the same in every wave, so waves can be paired;
//! - per wave (no declared key, or the tool's own per-export response id): HMAC under a key
//!   derived from the secret and the wave's name, so two waves' ids never coincide;
//! - rows without a usable key value: HMAC of the row number under a key derived from the
//!   secret and the wave's name, so row 7 of one wave is never row 7 of another.
//!
//! This runs once per row of exports of a million rows: the inner and outer states of each key
//! are precomputed, so a short value costs two SHA-256 compressions.

use sha2::{Digest, Sha256};

/// SHA-256's block size: HMAC pads its key to it.
const BLOCK: usize = 64;

/// SHA-256's initial hash value (FIPS 180-4, 5.3.3).
const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// The key of the commands that publish no respondent id (`canvass score`, `canvass themes`,
/// `canvass init`): there ids only tell duplicates apart and link a comment to its row
/// within one run, and are never printed, so a fixed key does no harm. Documented in the README.
pub const STANDALONE_KEY: &[u8] = b"canvass: standalone commands publish no respondent id";

/// HMAC-SHA-256 (RFC 2104) under one key, its padded key blocks already compressed.
#[derive(Clone)]
pub struct Hmac {
    /// The key padded to a block (hashed first when longer than a block), for long messages.
    key: [u8; BLOCK],
    /// The state after the block `key ⊕ ipad`.
    inner: [u32; 8],
    /// The state after the block `key ⊕ opad`.
    outer: [u32; 8],
}

impl Hmac {
    /// HMAC-SHA-256 keyed by `key` (any length, as RFC 2104 allows).
    pub fn new(key: &[u8]) -> Hmac {
        let mut padded = [0u8; BLOCK];
        if key.len() > BLOCK {
            padded[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            padded[..key.len()].copy_from_slice(key);
        }
        let state_after = |pad: u8| {
            let mut block = padded;
            block.iter_mut().for_each(|b| *b ^= pad);
            let mut state = IV;
            sha2::compress256(&mut state, &[block.into()]);
            state
        };
        Hmac {
            key: padded,
            inner: state_after(0x36),
            outer: state_after(0x5c),
        }
    }

    /// The whole 32-byte MAC of `message`.
    pub fn mac(&self, message: &[u8]) -> [u8; 32] {
        let pad = |p: u8| self.key.map(|b| b ^ p);
        let inner = Sha256::new()
            .chain_update(pad(0x36))
            .chain_update(message)
            .finalize();
        Sha256::new()
            .chain_update(pad(0x5c))
            .chain_update(inner)
            .finalize()
            .into()
    }

    /// The MAC's first 64 bits, big-endian: two compressions for a message of up to 55 bytes
    /// (every usual id), the whole computation beyond.
    pub fn prefix(&self, message: &[u8]) -> u64 {
        if message.len() > BLOCK - 9 {
            let mac = self.mac(message);
            let mut first = [0u8; 8];
            first.copy_from_slice(&mac[..8]);
            return u64::from_be_bytes(first);
        }
        // The message follows the key block: its padding counts both.
        let inner = last_block(&self.inner, message, BLOCK + message.len());
        let mut digest = [0u8; 32];
        for (chunk, word) in digest.chunks_exact_mut(4).zip(inner) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        let outer = last_block(&self.outer, &digest, BLOCK + digest.len());
        (u64::from(outer[0]) << 32) | u64::from(outer[1])
    }
}

/// Compresses `tail` (at most 55 bytes) as the padded last block of a message of `total` bytes,
/// from `state`.
fn last_block(state: &[u32; 8], tail: &[u8], total: usize) -> [u32; 8] {
    let mut block = [0u8; BLOCK];
    block[..tail.len()].copy_from_slice(tail);
    block[tail.len()] = 0x80;
    block[56..].copy_from_slice(&(total as u64 * 8).to_be_bytes());
    let mut state = *state;
    sha2::compress256(&mut state, &[block.into()]);
    state
}

impl std::fmt::Debug for Hmac {
    /// Never the key: a debug print must not carry the secret into a log.
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("Hmac(..)")
    }
}

/// How respondent key values become ids: keyed by a secret, across waves or for one wave.
#[derive(Clone)]
pub struct Pseudonyms {
    /// For key values.
    values: Hmac,
    /// For rows without a usable key value (by row number).
    rows: Hmac,
    /// Ids are the same in every wave under this secret (the key is a person's).
    across_waves: bool,
    /// What the per-wave keys were derived from, to derive them again when the key column
    /// turns out not to be a person's (`for_one_wave`).
    secret: std::sync::Arc<[u8]>,
    scope: String,
}

impl Pseudonyms {
    /// Ids for the respondents of `scope` (a wave's name; an export's for standalone commands)
    /// under `secret`: with `across_waves`, key values give the same id in every wave (for a
    /// column a person keeps across waves); without, ids are this wave's alone. Rows without a
    /// key value are numbered within `scope` either way.
    pub fn new(secret: &[u8], scope: &str, across_waves: bool) -> Pseudonyms {
        let derived = |purpose: &str| {
            let mut message = Vec::with_capacity(purpose.len() + 1 + scope.len());
            message.extend_from_slice(purpose.as_bytes());
            // A separator no purpose contains: ("a", "bc") and ("ab", "c") differ.
            message.push(0);
            message.extend_from_slice(scope.as_bytes());
            Hmac::new(&Hmac::new(secret).mac(&message))
        };
        Pseudonyms {
            values: if across_waves {
                Hmac::new(secret)
            } else {
                derived("canvass respondent ids of one wave")
            },
            rows: derived("canvass ids of rows without a respondent key"),
            across_waves,
            secret: secret.into(),
            scope: scope.to_string(),
        }
    }

    /// The fixed key of the commands that publish no id (`STANDALONE_KEY`), ids per `export`.
    pub fn standalone(export: &std::path::Path) -> Pseudonyms {
        let name = export.file_name().unwrap_or(export.as_os_str());
        Pseudonyms::new(STANDALONE_KEY, &name.to_string_lossy(), false)
    }

    /// The same secret and scope, ids for this wave alone.
    pub fn for_one_wave(&self) -> Pseudonyms {
        match self.across_waves {
            true => Pseudonyms::new(&self.secret, &self.scope, false),
            false => self.clone(),
        }
    }

    /// Whether a key value gives the same id in every wave under this secret.
    pub fn across_waves(&self) -> bool {
        self.across_waves
    }

    /// The id of a key value (already trimmed and lower-cased).
    pub fn of_value(&self, value: &[u8]) -> u64 {
        self.values.prefix(value)
    }

    /// The id of the row that started on `line`, which has no usable key value.
    pub fn of_row(&self, line: usize) -> u64 {
        let mut digits = [0u8; 20];
        self.rows
            .prefix(crate::model::decimal(line as u64, &mut digits))
    }
}

impl std::fmt::Debug for Pseudonyms {
    /// The scope and mode, never the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("Pseudonyms")
            .field("scope", &self.scope)
            .field("across_waves", &self.across_waves)
            .finish_non_exhaustive()
    }
}

impl Default for Pseudonyms {
    /// The standalone commands' fixed key, for one unnamed export.
    fn default() -> Self {
        Pseudonyms::new(STANDALONE_KEY, "", false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        crate::ingest::hex(bytes)
    }

    /// RFC 4231's test cases 1, 2, 3, 4, 6 and 7 (case 5 truncates the output).
    #[test]
    fn hmac_matches_rfc_4231() {
        let cases: [(Vec<u8>, Vec<u8>, &str); 6] = [
            (
                vec![0x0b; 20],
                b"Hi There".to_vec(),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                vec![0xaa; 20],
                vec![0xdd; 50],
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            ),
            (
                (1..=25).collect(),
                vec![0xcd; 50],
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            ),
            (
                vec![0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
            (
                vec![0xaa; 131],
                b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            ),
        ];
        for (key, data, expected) in cases {
            let h = Hmac::new(&key);
            assert_eq!(hex(&h.mac(&data)), expected);
            assert_eq!(
                format!("{:016x}", h.prefix(&data)),
                expected[..16],
                "fast path"
            );
        }
    }

    #[test]
    fn fast_path_agrees_with_the_whole_computation_at_every_length() {
        let h = Hmac::new(&[7u8; 32]);
        for len in 0..=130 {
            let text: Vec<u8> = b"R_2Ck9xZ".iter().copied().cycle().take(len).collect();
            let mac = h.mac(&text);
            assert_eq!(h.prefix(&text).to_be_bytes(), mac[..8], "length {len}");
        }
    }

    #[test]
    fn ids_pair_across_waves_only_for_a_person_key_and_never_by_row() {
        let secret = [9u8; 32];
        let (a, b) = (
            Pseudonyms::new(&secret, "wave-1", true),
            Pseudonyms::new(&secret, "wave-2", true),
        );
        assert_eq!(a.of_value(b"ann@school.org"), b.of_value(b"ann@school.org"));
        // The published id is HMAC-SHA-256(secret, value), first 64 bits.
        assert_eq!(
            a.of_value(b"ann@school.org").to_be_bytes(),
            Hmac::new(&secret).mac(b"ann@school.org")[..8]
        );
        assert_ne!(a.of_row(7), b.of_row(7));
        let (c, d) = (a.for_one_wave(), b.for_one_wave());
        assert_ne!(c.of_value(b"ann@school.org"), d.of_value(b"ann@school.org"));
        assert_ne!(c.of_value(b"7"), c.of_row(7));
        // Another secret, other ids.
        let other = Pseudonyms::new(&[8u8; 32], "wave-1", true);
        assert_ne!(
            a.of_value(b"ann@school.org"),
            other.of_value(b"ann@school.org")
        );
    }

    #[test]
    fn row_numbers_are_spelt_in_decimal() {
        let p = Pseudonyms::default();
        for line in [0, 7, 10, 123_456, usize::MAX] {
            assert_eq!(p.of_row(line), p.rows.prefix(line.to_string().as_bytes()));
        }
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let p = Pseudonyms::new(b"super secret bytes", "w", true);
        let shown = format!("{p:?}");
        assert!(
            !shown.contains("super") && !shown.contains("115, 117"),
            "{shown}"
        );
    }
}
