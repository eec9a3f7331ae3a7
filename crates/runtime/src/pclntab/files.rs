//! The source file of a function's entry, from its `pcfile` table.
//!
//! Every `_func` record has the same field order after the entry word (a
//! pointer before Go 1.18, a u32 after): `nameoff, args, deferreturn (frame
//! in Go 1.2), pcsp, pcfile, pcln, npcdata, cuOffset (Go 1.16+)`, all u32.
//! `pcfile` is the offset of a pc-value table (pclntab start for Go 1.2,
//! `pctab` for 1.16+) whose first value is the file index at the entry:
//! an index into the file table (Go 1.2) or into this compilation unit's
//! slice of `cutab`, which gives an offset into `filetab` (Go 1.16+).

use super::funcs::cstr;
use super::{Func, PclnVersion, Pclntab};

/// `_func` field numbers (after the entry word).
const FIELD_PCFILE: u64 = 5;
const FIELD_CUOFFSET: u64 = 8;

impl<'data> Pclntab<'data> {
    /// The source file of the function's entry PC, if the table says.
    pub fn entry_file(&self, func: &Func<'data>) -> Option<&'data str> {
        let pcfile = self.func_field(func.func_offset, FIELD_PCFILE)?;
        if pcfile == 0 {
            return None;
        }
        // pc-value tables live at the table start (Go 1.2) or in pctab.
        let base = if self.header.version == PclnVersion::Go12 { 0 } else { self.header.pctab_offset };
        let at = usize::try_from(base.checked_add(pcfile)?).ok()?;
        let fileno = u64::try_from(first_value(self.data.get(at..)?)?).ok()?;
        match self.header.version {
            PclnVersion::Go12 => {
                let at = usize::try_from(fileno.checked_mul(4)?).ok()?;
                let b = self.filetab.get(at..at.checked_add(4)?)?;
                let off = self.header.byte_order.u32([b[0], b[1], b[2], b[3]]);
                cstr(self.data, u64::from(off))
            }
            _ => {
                let cu = self.func_field(func.func_offset, FIELD_CUOFFSET)?;
                let at = self.header.cu_offset.checked_add(cu.checked_add(fileno)?.checked_mul(4)?)?;
                let at = usize::try_from(at).ok()?;
                let b = self.data.get(at..at.checked_add(4)?)?;
                let off = self.header.byte_order.u32([b[0], b[1], b[2], b[3]]);
                if off == u32::MAX {
                    return None;
                }
                cstr(self.filetab, u64::from(off))
            }
        }
    }

    /// The u32 field `n` (1-based, after the entry word) of a `_func` record.
    fn func_field(&self, func_offset: u64, n: u64) -> Option<u64> {
        let entry = match self.header.version {
            PclnVersion::Go118 | PclnVersion::Go120 => 4,
            _ => u64::from(self.header.ptr_size),
        };
        let at = usize::try_from(func_offset.checked_add(entry)?.checked_add((n - 1) * 4)?).ok()?;
        let b = self.funcdata.get(at..at.checked_add(4)?)?;
        Some(u64::from(self.header.byte_order.u32([b[0], b[1], b[2], b[3]])))
    }
}

/// The first value of a pc-value table: `-1 + zigzag(uvarint)`.
fn first_value(table: &[u8]) -> Option<i64> {
    let mut v: u64 = 0;
    for (i, &b) in table.iter().take(10).enumerate() {
        v |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            let delta = ((v >> 1) as i64) ^ -((v & 1) as i64);
            // Hostile tables can encode i64::MIN: no overflow on the -1.
            return delta.checked_sub(1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::first_value;

    #[test]
    fn zigzag_first_value() {
        assert_eq!(first_value(&[0x02]), Some(0)); // zigzag(2) = 1, -1 + 1
        assert_eq!(first_value(&[0x04]), Some(1));
        assert_eq!(first_value(&[0x01]), Some(-2));
        assert_eq!(first_value(&[0x80]), None);
        // Regression (fuzz target `analyze`): zigzag(u64::MAX) = i64::MIN, minus 1 overflowed.
        assert_eq!(first_value(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), None);
    }
}
