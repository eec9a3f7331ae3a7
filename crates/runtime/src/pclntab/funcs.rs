//! Iterating the function table and the file table.

use serde::Serialize;

use super::{PclnVersion, Pclntab};

/// One function of the pclntab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Func<'data> {
    /// Position in the function table.
    pub index: u64,
    /// Entry PC (absolute; for Go 1.18+ relative to the text base given to
    /// the table, 0 if none was given).
    pub entry: u64,
    /// The next function's entry (or the table's end PC for the last one).
    pub end: u64,
    /// Name as the table records it (generic arguments shown as `[...]`).
    /// Empty when the name offset is out of range or not UTF-8.
    pub name: &'data str,
    /// Offset of the function's `_func` record from the funcdata base.
    pub func_offset: u64,
}

/// One entry of `moduledata.textsectmap`: a text section's offsets from the
/// text base and its address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TextSect {
    /// Start offset from the text base.
    pub vaddr: u64,
    /// End offset from the text base.
    pub end: u64,
    /// Address of the section.
    pub baseaddr: u64,
}

impl<'data> Pclntab<'data> {
    /// Reads functab field `i` (an entry or a funcoff).
    fn functab_field(&self, i: u64) -> Option<u64> {
        let size = self.header.functab_field_size();
        let at = usize::try_from(i.checked_mul(size)?).ok()?;
        let bytes = self.functab.get(at..at.checked_add(size as usize)?)?;
        self.header.byte_order.read_uint(bytes)
    }

    /// The PC stored in functab slot `i` (`0 ≤ i ≤ nfunc`; `nfunc` gives the
    /// end of the last function), translated to an address.
    pub fn entry(&self, i: u64) -> Option<u64> {
        let raw = self.functab_field(i.checked_mul(2)?)?;
        Some(self.text_addr(raw))
    }

    /// The raw functab value of slot `i` (an offset for Go 1.18+).
    pub fn raw_entry(&self, i: u64) -> Option<u64> {
        self.functab_field(i.checked_mul(2)?)
    }

    /// Translates a stored entry into an address (identity before Go 1.18).
    pub fn text_addr(&self, raw: u64) -> u64 {
        if !self.header.version.relative_entries() {
            return raw;
        }
        let base = self.text_base.unwrap_or(0);
        for s in &self.text_sections {
            if raw >= s.vaddr && raw < s.end {
                return s.baseaddr.wrapping_add(raw - s.vaddr);
            }
        }
        base.wrapping_add(raw)
    }

    /// The function at table position `i`.
    pub fn func(&self, i: u64) -> Option<Func<'data>> {
        if i >= self.header.nfunc {
            return None;
        }
        let entry = self.entry(i)?;
        let end = self.entry(i + 1)?;
        let func_offset = self.functab_field(i * 2 + 1)?;
        Some(Func { index: i, entry, end, name: self.func_name(func_offset).unwrap_or(""), func_offset })
    }

    /// The name of the `_func` record at `func_offset`.
    fn func_name(&self, func_offset: u64) -> Option<&'data str> {
        // `nameoff` follows the entry field: a pointer before 1.18, a u32 after.
        let skip = self.header.functab_field_size();
        let at = usize::try_from(func_offset.checked_add(skip)?).ok()?;
        let b = self.funcdata.get(at..at.checked_add(4)?)?;
        let nameoff = self.header.byte_order.u32([b[0], b[1], b[2], b[3]]);
        cstr(self.funcnametab, u64::from(nameoff))
    }

    /// Iterates over the functions in table (PC) order.
    pub fn funcs(&self) -> Funcs<'_, 'data> {
        Funcs { table: self, next: 0 }
    }

    /// Iterates over the source file names of the file table.
    pub fn files(&self) -> Files<'_, 'data> {
        let count = match self.header.version {
            // Entry 0 of the Go 1.2 table is the count itself.
            PclnVersion::Go12 => (self.filetab.len() / 4) as u64,
            _ => self.header.nfiles,
        };
        let next = u64::from(self.header.version == PclnVersion::Go12);
        Files { table: self, next, count, pos: 0 }
    }
}

/// The NUL-terminated UTF-8 string at `off` in `bytes`.
pub(crate) fn cstr(bytes: &[u8], off: u64) -> Option<&str> {
    let rest = bytes.get(usize::try_from(off).ok()?..)?;
    let end = memchr::memchr(0, rest)?;
    std::str::from_utf8(&rest[..end]).ok()
}

/// Iterator over [`Func`]s; see [`Pclntab::funcs`].
#[derive(Clone, Debug)]
pub struct Funcs<'t, 'data> {
    table: &'t Pclntab<'data>,
    next: u64,
}

impl<'data> Iterator for Funcs<'_, 'data> {
    type Item = Func<'data>;

    fn next(&mut self) -> Option<Func<'data>> {
        let f = self.table.func(self.next)?;
        self.next += 1;
        Some(f)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.table.nfunc().saturating_sub(self.next)).unwrap_or(usize::MAX);
        (0, Some(left))
    }
}

/// Iterator over file names; see [`Pclntab::files`]. Names that are not
/// UTF-8 are yielded as empty strings.
#[derive(Clone, Debug)]
pub struct Files<'t, 'data> {
    table: &'t Pclntab<'data>,
    next: u64,
    count: u64,
    /// Go 1.16+: byte position of the next name in the filetab.
    pos: usize,
}

impl<'data> Iterator for Files<'_, 'data> {
    type Item = &'data str;

    fn next(&mut self) -> Option<&'data str> {
        if self.next >= self.count {
            return None;
        }
        self.next += 1;
        let t = self.table;
        if t.header.version == PclnVersion::Go12 {
            let at = usize::try_from((self.next - 1) * 4).ok()?;
            let b = t.filetab.get(at..at + 4)?;
            let off = t.header.byte_order.u32([b[0], b[1], b[2], b[3]]);
            return Some(cstr(t.data, u64::from(off)).unwrap_or(""));
        }
        let rest = t.filetab.get(self.pos..)?;
        let end = memchr::memchr(0, rest)?;
        self.pos += end + 1;
        Some(std::str::from_utf8(&rest[..end]).unwrap_or(""))
    }
}
