//! GC pointer programs (`moduledata.gcdata`, `moduledata.gcbss`).
//!
//! The linker describes which words of `[data, edata)` and `[bss, ebss)`
//! hold pointers with a small program that the runtime expands once at
//! start-up (Go source: src/cmd/internal/gcprog, src/runtime/mbitmap.go
//! `runGCProg`). [`decode`] runs such a program into a [`BitVector`] of
//! exactly the expected number of bits, refusing programs that claim more.
//!
//! | Opcode | Meaning |
//! | --- | --- |
//! | `0x00` | stop |
//! | `0nnnnnnn` | emit the next n literal bits, LSB first, from ⌈n/8⌉ bytes |
//! | `1nnnnnnn`, uvarint c | repeat the previous n bits c more times |
//! | `0x80`, uvarint n, uvarint c | the same with n as a varint |

use std::ops::Range;

/// The largest bit count [`decode`] accepts: 2^28 words (2 GiB of
/// pointer-sized data on 64-bit targets), a bitmap of at most 32 MiB.
pub const MAX_BITS: u64 = 1 << 28;

/// Why a GC program could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The program ran past the end of its bytes.
    #[error("GC program truncated at byte {0}")]
    Truncated(usize),
    /// A varint is longer than 64 bits.
    #[error("GC program varint overflows at byte {0}")]
    BadVarint(usize),
    /// A repeat refers back further than the bits emitted so far.
    #[error("GC program repeats {n} bits after only {emitted} at byte {at}")]
    BadRepeat {
        /// Pattern length.
        n: u64,
        /// Bits emitted before the repeat.
        emitted: u64,
        /// Byte offset of the opcode.
        at: usize,
    },
    /// The program emits more bits than expected.
    #[error("GC program emits more than the expected {expected} bits (at byte {at})")]
    TooLong {
        /// Bits expected.
        expected: u64,
        /// Byte offset of the offending opcode.
        at: usize,
    },
    /// The program stops before emitting the expected number of bits.
    #[error("GC program emits {emitted} bits, expected {expected}")]
    TooShort {
        /// Bits emitted.
        emitted: u64,
        /// Bits expected.
        expected: u64,
    },
    /// The expected bit count exceeds [`MAX_BITS`].
    #[error("GC program bit count {0} exceeds the limit")]
    TooLarge(u64),
}

/// A fixed-length bit vector, one bit per pointer-sized word.
///
/// Storage grows only up to the highest set bit: a vector that claims many
/// bits but holds few ones (or none) costs almost nothing, so a bit count
/// read from a hostile file sizes no allocation by itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BitVector {
    /// Words up to the one holding the highest set bit; missing words are 0.
    words: Vec<u64>,
    len: u64,
}

impl BitVector {
    /// A vector of `len` zero bits (`len` ≤ [`MAX_BITS`]).
    pub fn zeros(len: u64) -> Result<BitVector, Error> {
        if len > MAX_BITS {
            return Err(Error::TooLarge(len));
        }
        Ok(BitVector { words: Vec::new(), len })
    }

    /// Number of bits.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the vector has no bits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bit `i` (false past the end).
    pub fn bit(&self, i: u64) -> bool {
        i < self.len && self.word(i / 64) >> (i % 64) & 1 == 1
    }

    /// Word `w` of the storage (0 past the highest set bit).
    fn word(&self, w: u64) -> u64 {
        usize::try_from(w).ok().and_then(|w| self.words.get(w)).copied().unwrap_or(0)
    }

    /// Sets bit `i` (`i < len`, so the storage stays within `len` bits).
    fn set(&mut self, i: u64) {
        let w = (i / 64) as usize;
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        self.words[w] |= 1 << (i % 64);
    }

    /// Number of set bits in `range` (clamped to the vector).
    pub fn count_ones_in(&self, range: Range<u64>) -> u64 {
        let (start, end) = (range.start.min(self.len), range.end.min(self.len));
        if start >= end {
            return 0;
        }
        let (first, last) = (start / 64, (end - 1) / 64);
        let mut total = 0u64;
        // Words past the storage are zero: stop there.
        for w in first..=last.min(self.words.len() as u64) {
            let mut word = self.word(w);
            if w == first {
                word &= u64::MAX << (start % 64);
            }
            if w == last && end % 64 != 0 {
                word &= u64::MAX >> (64 - end % 64);
            }
            total += u64::from(word.count_ones());
        }
        total
    }

    /// Number of set bits.
    pub fn count_ones(&self) -> u64 {
        self.count_ones_in(0..self.len)
    }

    /// Indices of the set bits in `range`, ascending.
    pub fn ones_in(&self, range: Range<u64>) -> impl Iterator<Item = u64> + '_ {
        // Words past the storage are zero: stop there.
        let end = range.end.min(self.len).min(self.words.len() as u64 * 64);
        let mut i = range.start;
        std::iter::from_fn(move || {
            while i < end {
                let word = self.word(i / 64) >> (i % 64);
                if word == 0 {
                    i = (i / 64 + 1) * 64;
                    continue;
                }
                let at = i + u64::from(word.trailing_zeros());
                i = at + 1;
                return (at < end).then_some(at);
            }
            None
        })
    }
}

/// Reads an unsigned LEB128 varint at `*pos`.
fn uvarint(prog: &[u8], pos: &mut usize) -> Result<u64, Error> {
    let start = *pos;
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *prog.get(*pos).ok_or(Error::Truncated(*pos))?;
        *pos += 1;
        if shift == 63 && b > 1 {
            return Err(Error::BadVarint(start));
        }
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(Error::BadVarint(start))
}

/// Runs `prog` and returns exactly `nbits` bits. Errors if the program
/// emits more or fewer bits, or is malformed. `nbits` itself allocates
/// nothing: storage grows with the ones the program actually emits, at most
/// `nbits / 8` bytes (`nbits` ≤ [`MAX_BITS`]), and so does the work of a
/// repeat. `prog` may extend past the stop opcode.
pub fn decode(prog: &[u8], nbits: u64) -> Result<BitVector, Error> {
    let mut bits = BitVector::zeros(nbits)?;
    let mut n_out = 0u64;
    let mut pos = 0usize;
    loop {
        let at = pos;
        let op = *prog.get(pos).ok_or(Error::Truncated(pos))?;
        pos += 1;
        if op == 0 {
            break;
        }
        if op & 0x80 == 0 {
            let n = u64::from(op);
            if n_out + n > nbits {
                return Err(Error::TooLong { expected: nbits, at });
            }
            let bytes = prog.get(pos..pos + n.div_ceil(8) as usize).ok_or(Error::Truncated(pos))?;
            // Only the set bits cost anything (most literal bytes are 0).
            for (k, &byte) in bytes.iter().enumerate() {
                let base = k as u64 * 8;
                let mut b = u64::from(byte);
                if n - base < 8 {
                    b &= (1 << (n - base)) - 1;
                }
                while b != 0 {
                    bits.set(n_out + base + u64::from(b.trailing_zeros()));
                    b &= b - 1;
                }
            }
            pos += bytes.len();
            n_out += n;
            continue;
        }
        let n = match u64::from(op & 0x7f) {
            0 => uvarint(prog, &mut pos)?,
            n => n,
        };
        let c = uvarint(prog, &mut pos)?;
        if n == 0 || n > n_out {
            return Err(Error::BadRepeat { n, emitted: n_out, at });
        }
        let total = n.checked_mul(c).filter(|t| n_out.checked_add(*t).is_some_and(|e| e <= nbits));
        let Some(total) = total else {
            return Err(Error::TooLong { expected: nbits, at });
        };
        let src = n_out - n;
        if bits.count_ones_in(src..n_out) != 0 {
            // `j` is `i % n`, without a division per bit.
            let mut j = 0;
            for i in 0..total {
                if bits.bit(src + j) {
                    bits.set(n_out + i);
                }
                j += 1;
                if j == n {
                    j = 0;
                }
            }
        }
        n_out += total;
    }
    if n_out != nbits {
        return Err(Error::TooShort { emitted: n_out, expected: nbits });
    }
    Ok(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_bits_lsb_first() {
        // 10 bits: 0b1_0000_0101 then 0b10 -> bits 0,2,9
        let v = decode(&[10, 0b0000_0101, 0b10, 0], 10).unwrap();
        assert_eq!(v.ones_in(0..10).collect::<Vec<_>>(), vec![0, 2, 9]);
        assert_eq!(v.count_ones(), 3);
    }

    #[test]
    fn repeat_short_and_varint_forms() {
        // emit "10", repeat it 3 more times -> 8 bits 10101010
        let v = decode(&[2, 0b01, 0x82, 3, 0], 8).unwrap();
        assert_eq!(v.ones_in(0..8).collect::<Vec<_>>(), vec![0, 2, 4, 6]);
        // same with n as varint (0x80, n=2, c=3)
        assert_eq!(decode(&[2, 0b01, 0x80, 2, 3, 0], 8).unwrap(), v);
    }

    #[test]
    fn large_zero_repeat_and_range_helpers() {
        // 1 zero bit repeated 199 times, then a literal 1: 201 bits.
        let v = decode(&[1, 0, 0x81, 0xc7, 0x01, 1, 1, 1, 1, 0], 202).unwrap();
        assert_eq!(v.len(), 202);
        assert!(v.bit(200) && v.bit(201) && !v.bit(199));
        assert_eq!(v.count_ones_in(64..201), 1);
        assert_eq!(v.count_ones_in(201..500), 1);
        assert_eq!(v.ones_in(100..300).collect::<Vec<_>>(), vec![200, 201]);
    }

    #[test]
    fn bounded_and_exact() {
        assert_eq!(decode(&[8, 0xff, 0], 4), Err(Error::TooLong { expected: 4, at: 0 }));
        assert_eq!(
            decode(&[1, 1, 0x81, 0xff, 0xff, 0xff, 0xff, 0x0f, 0], 100),
            Err(Error::TooLong { expected: 100, at: 2 })
        );
        assert_eq!(decode(&[4, 0xf, 0], 8), Err(Error::TooShort { emitted: 4, expected: 8 }));
        assert_eq!(decode(&[0x83, 1, 0], 8), Err(Error::BadRepeat { n: 3, emitted: 0, at: 0 }));
        assert_eq!(decode(&[4], 4), Err(Error::Truncated(1)));
        assert_eq!(decode(&[], 0), Err(Error::Truncated(0)));
        assert!(decode(&[0], 0).unwrap().is_empty());
        assert_eq!(decode(&[0], MAX_BITS + 1), Err(Error::TooLarge(MAX_BITS + 1)));
        // A huge claimed count with a program that emits nothing costs no storage.
        assert_eq!(decode(&[0], MAX_BITS), Err(Error::TooShort { emitted: 0, expected: MAX_BITS }));
        let zeros = decode(&[1, 0, 0x81, 0xff, 0xff, 0xff, 0x7f, 0], MAX_BITS).unwrap();
        assert!(zeros.words.is_empty() && zeros.count_ones() == 0 && zeros.ones_in(0..MAX_BITS).next().is_none());
        assert!(matches!(
            decode(&[1, 1, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], 8),
            Err(Error::BadVarint(3))
        ));
    }
}
