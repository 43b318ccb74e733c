//! Packed monomials and the hash table used to collect like terms.
//!
//! A monomial is a vector of signed exponents, one per *slot* (the variables first, then the
//! atoms), packed into `bits`-wide two's-complement lanes of `u64` words, plus a 32-bit id of
//! a combined exponential argument (`0` for none) stored beside it. Every exponent stored is
//! kept in the *safe range* `[-2^(bits-2), 2^(bits-2))`, so the lane-wise sum of two stored
//! exponents never wraps and a single mask test tells whether it left the safe range. When
//! it does, the whole computation is redone with wider lanes (8, 16, then 32 bits); past 32
//! bits the caller reports "undecided". Exponents are therefore never silently truncated.

/// How monomials are packed: `nslots` lanes of `bits` bits in `w` words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    pub nslots: usize,
    pub bits: u32,
    pub w: usize,
    lanes: usize,
    hmask: u64,
    lane_mask: u64,
}

impl Layout {
    /// A layout for `nslots` slots with lanes of `bits` bits (8, 16 or 32).
    pub(crate) fn new(nslots: usize, bits: u32) -> Layout {
        assert!(matches!(bits, 8 | 16 | 32));
        let lanes = (64 / bits) as usize;
        let w = nslots.div_ceil(lanes).max(1);
        let lane_mask = (1u64 << bits) - 1;
        let mut hmask = 0u64;
        for k in 0..lanes {
            hmask |= 1u64 << (k as u32 * bits + bits - 1);
        }
        Layout {
            nslots,
            bits,
            w,
            lanes,
            hmask,
            lane_mask,
        }
    }

    /// The smallest lane width whose safe range holds `max_abs`, if any.
    pub(crate) fn bits_for(max_abs: i64) -> Option<u32> {
        [8u32, 16, 32]
            .into_iter()
            .find(|&b| max_abs < (1i64 << (b - 2)))
    }

    /// Largest exponent magnitude that may be stored (`2^(bits-2) - 1`; `-2^(bits-2)` also fits).
    pub(crate) fn max_exp(&self) -> i64 {
        (1i64 << (self.bits - 2)) - 1
    }

    /// True when `e` lies in the safe range.
    pub(crate) fn fits(&self, e: i64) -> bool {
        let h = 1i64 << (self.bits - 2);
        (-h..h).contains(&e)
    }

    /// The exponent of `slot`.
    #[inline]
    pub(crate) fn get(&self, words: &[u64], slot: usize) -> i32 {
        let word = slot / self.lanes;
        let sh = (slot % self.lanes) as u32 * self.bits;
        let raw = (words[word] >> sh) & self.lane_mask;
        let shift = 64 - self.bits;
        (((raw << shift) as i64) >> shift) as i32
    }

    /// Sets the exponent of `slot`; the caller checked [`Layout::fits`].
    #[inline]
    pub(crate) fn set(&self, words: &mut [u64], slot: usize, v: i32) {
        debug_assert!(self.fits(i64::from(v)));
        let word = slot / self.lanes;
        let sh = (slot % self.lanes) as u32 * self.bits;
        let raw = (v as i64 as u64) & self.lane_mask;
        words[word] = (words[word] & !(self.lane_mask << sh)) | (raw << sh);
    }

    /// Lane-wise `a + b` into `out`; returns a non-zero value when some lane left the safe
    /// range (the inputs must be in the safe range).
    #[inline]
    pub(crate) fn add_into(&self, a: &[u64], b: &[u64], out: &mut [u64]) -> u64 {
        let h = self.hmask;
        let mut bad = 0u64;
        for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
            let s = ((x & !h).wrapping_add(y & !h)) ^ ((x ^ y) & h);
            bad |= (s ^ (s << 1)) & h;
            *o = s;
        }
        bad
    }

    /// True when every exponent is zero.
    pub(crate) fn is_one(words: &[u64]) -> bool {
        words.iter().all(|&w| w == 0)
    }
}

const HK: [u64; 4] = [
    0x9E37_79B9_7F4A_7C15,
    0xC2B2_AE3D_27D4_EB4F,
    0x1656_67B1_9E37_79F9,
    0xD6E8_FEB8_6659_FD93,
];

/// Hash of a packed monomial and its exponential id.
#[inline]
pub(crate) fn hash_mono(words: &[u64], eid: u32) -> u64 {
    let mut h = u64::from(eid).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    for (i, &w) in words.iter().enumerate() {
        h = h.wrapping_add(
            (w ^ (i as u64))
                .wrapping_mul(HK[i & 3])
                .rotate_left(i as u32 * 7),
        );
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^ (h >> 32)
}

/// An insertion-ordered set of monomials with open addressing (linear probing).
///
/// Entries are numbered in insertion order, which keeps every result deterministic. A table
/// slot holds the high 32 bits of the hash and `index + 1` (`0` is empty), so most probes
/// are decided without touching the keys.
pub(crate) struct MonoMap {
    pub w: usize,
    /// Packed exponents of entry `i` at `keys[i*w..(i+1)*w]`.
    pub keys: Vec<u64>,
    /// Exponential ids (only filled when `with_eids`).
    pub eids: Vec<u32>,
    pub with_eids: bool,
    hashes: Vec<u64>,
    table: Vec<u64>,
    mask: usize,
}

#[inline]
fn same(a: &[u64], b: &[u64]) -> bool {
    let mut diff = 0;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    diff == 0
}

impl MonoMap {
    pub(crate) fn with_capacity(w: usize, with_eids: bool, cap: usize) -> MonoMap {
        let tsize = (cap.max(4) * 2).next_power_of_two();
        MonoMap {
            w,
            keys: Vec::with_capacity(cap * w),
            eids: Vec::new(),
            with_eids,
            hashes: Vec::with_capacity(cap),
            table: vec![0; tsize],
            mask: tsize - 1,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.hashes.len()
    }

    fn grow(&mut self) {
        let tsize = self.table.len() * 2;
        self.table = vec![0; tsize];
        self.mask = tsize - 1;
        for (i, &h) in self.hashes.iter().enumerate() {
            let mut pos = (h as usize) & self.mask;
            while self.table[pos] != 0 {
                pos = (pos + 1) & self.mask;
            }
            self.table[pos] = (h & TAG) | (i as u64 + 1);
        }
    }

    /// The index of the monomial, inserting it when new; the flag tells whether it was new.
    #[inline]
    pub(crate) fn find_or_insert(&mut self, words: &[u64], eid: u32) -> (usize, bool) {
        let h = hash_mono(words, eid);
        let w = self.w;
        let tag = h & TAG;
        let mut pos = (h as usize) & self.mask;
        loop {
            let entry = self.table[pos];
            if entry == 0 {
                break;
            }
            if entry & TAG == tag {
                let i = (entry & !TAG) as usize - 1;
                if same(&self.keys[i * w..(i + 1) * w], words)
                    && (!self.with_eids || self.eids[i] == eid)
                {
                    return (i, false);
                }
            }
            pos = (pos + 1) & self.mask;
        }
        let i = self.hashes.len();
        self.table[pos] = tag | (i as u64 + 1);
        self.hashes.push(h);
        self.keys.extend_from_slice(words);
        if self.with_eids {
            self.eids.push(eid);
        }
        if self.hashes.len() * 2 > self.table.len() {
            self.grow();
        }
        (i, true)
    }
}

/// The high half of a hash, stored beside the entry index in a table slot.
const TAG: u64 = 0xFFFF_FFFF_0000_0000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_round_trip_and_add() {
        for bits in [8, 16, 32] {
            let l = Layout::new(13, bits);
            let mut a = vec![0u64; l.w];
            let mut b = vec![0u64; l.w];
            for s in 0..13 {
                l.set(&mut a, s, s as i32 - 6);
                l.set(&mut b, s, 3 - s as i32);
            }
            let mut c = vec![0u64; l.w];
            assert_eq!(l.add_into(&a, &b, &mut c), 0);
            for s in 0..13 {
                assert_eq!(l.get(&a, s), s as i32 - 6);
                assert_eq!(l.get(&c, s), -3);
            }
            let m = l.max_exp() as i32;
            l.set(&mut a, 5, m);
            l.set(&mut b, 5, 1);
            assert_ne!(l.add_into(&a, &b, &mut c), 0);
            l.set(&mut a, 5, -m - 1);
            l.set(&mut b, 5, -1);
            assert_ne!(l.add_into(&a, &b, &mut c), 0);
            l.set(&mut b, 5, 0);
            assert_eq!(l.add_into(&a, &b, &mut c), 0);
            assert_eq!(l.get(&c, 5), -m - 1);
        }
    }

    #[test]
    fn map_dedups() {
        let mut m = MonoMap::with_capacity(2, true, 1);
        for k in 0..100u64 {
            let (i, new) = m.find_or_insert(&[k, 7], (k % 3) as u32);
            assert!(new);
            assert_eq!(i, k as usize);
        }
        for k in 0..100u64 {
            let (i, new) = m.find_or_insert(&[k, 7], (k % 3) as u32);
            assert!(!new);
            assert_eq!(i, k as usize);
        }
        assert!(m.find_or_insert(&[1, 7], 2).1);
    }
}
