//! Reading one candidate record with one layout, and checking it.

use golayout_image::Image;

use super::{Field, Layout, ModuleData, Slice};
use crate::gcprog;
use crate::pclntab::{is_exec, HeaderField, Pclntab, TextSect};
use crate::FoundBy;

/// Why a candidate was rejected.
pub(crate) type Check<T> = std::result::Result<T, String>;

/// Most text sections a record may list (the linker splits text only on
/// some architectures, at hundreds of megabytes).
const MAX_TEXT_SECTIONS: u64 = 256;

/// Where a candidate record is and what it must agree with.
pub(crate) struct Candidate<'a, 'data> {
    pub image: &'a Image<'data>,
    pub table: &'a Pclntab<'data>,
    /// End of the pclntab bytes (exact or an upper bound).
    pub table_end: u64,
    pub exact_end: bool,
    pub base: u64,
    pub layout: &'static Layout,
}

impl Candidate<'_, '_> {
    fn at(&self, f: Field) -> Option<u64> {
        self.layout.offset(f, self.image.ptr_size()).map(|o| self.base.wrapping_add(o))
    }
    fn uint_at(&self, addr: u64, f: Field) -> Check<u64> {
        self.image.read_uint(addr, self.image.ptr_size()).ok_or_else(|| format!("{f:?} unreadable"))
    }
    fn ptr_at(&self, addr: u64, f: Field) -> Check<u64> {
        self.image.read_ptr(addr).ok_or_else(|| format!("{f:?} unreadable"))
    }
    /// A pointer field (relocation-aware); `None` if the layout lacks it.
    fn opt_ptr(&self, f: Field) -> Check<Option<u64>> {
        self.at(f).map(|a| self.ptr_at(a, f)).transpose()
    }
    fn ptr(&self, f: Field) -> Check<u64> {
        self.opt_ptr(f)?.ok_or_else(|| format!("layout lacks {f:?}"))
    }
    /// An integer field (never relocated).
    fn opt_uint(&self, f: Field) -> Check<Option<u64>> {
        self.at(f).map(|a| self.uint_at(a, f)).transpose()
    }
    fn opt_slice(&self, f: Field) -> Check<Option<Slice>> {
        let Some(a) = self.at(f) else { return Ok(None) };
        let p = u64::from(self.image.ptr_size());
        let s = Slice {
            ptr: self.ptr_at(a, f)?,
            len: self.uint_at(a.wrapping_add(p), f)?,
            cap: self.uint_at(a.wrapping_add(2 * p), f)?,
        };
        if s.len != s.cap {
            return Err(format!("{f:?} len {} != cap {}", s.len, s.cap));
        }
        Ok(Some(s))
    }
    fn slice(&self, f: Field) -> Check<Slice> {
        self.opt_slice(f)?.ok_or_else(|| format!("layout lacks {f:?}"))
    }

    fn text_sections(&self, text: u64, etext: u64) -> Check<Vec<TextSect>> {
        let Some(map) = self.opt_slice(Field::Textsectmap)? else {
            return Ok(Vec::new());
        };
        if map.len == 0 || map.len > MAX_TEXT_SECTIONS {
            return Err(format!("textsectmap has {} entries", map.len));
        }
        let p = u64::from(self.image.ptr_size());
        let f = Field::Textsectmap;
        let mut out = Vec::new();
        for i in 0..map.len {
            let a = map.ptr.wrapping_add(i * 3 * p);
            out.push(TextSect {
                vaddr: self.uint_at(a, f)?,
                end: self.uint_at(a.wrapping_add(p), f)?,
                baseaddr: self.ptr_at(a.wrapping_add(2 * p), f)?,
            });
        }
        let first = out[0];
        if first.vaddr != 0 || first.baseaddr != text || first.end < etext - text {
            return Err(format!("textsectmap[0] = {first:?} does not start the text"));
        }
        Ok(out)
    }

    /// Reads the record and checks it; see the module documentation.
    pub fn read(&self, found_by: FoundBy) -> Check<ModuleData> {
        let (image, table) = (self.image, self.table);
        if self.layout.pcln_version() != table.version() {
            return Err(format!("layout {} expects a {:?} pclntab", self.layout.name, self.layout.pcln_version()));
        }
        let pcheader = self.ptr(Field::PcHeader).or_else(|_| self.ptr(Field::Pclntable))?;
        if pcheader != table.address() {
            return Err(format!("field 0 = {pcheader:#x}, not the pclntab"));
        }
        // Function table.
        let ftab = self.slice(Field::Ftab)?;
        if ftab.ptr != table.functab_address() || ftab.len != table.nfunc().wrapping_add(1) {
            return Err(format!("ftab {ftab:?} does not match the pclntab's {} functions", table.nfunc()));
        }
        let (text, etext) = (self.ptr(Field::Text)?, self.ptr(Field::Etext)?);
        let (minpc, maxpc) = (self.ptr(Field::Minpc)?, self.ptr(Field::Maxpc)?);
        if !(text <= minpc && minpc < maxpc && text < etext) {
            return Err(format!("text {text:#x}-{etext:#x} / minpc {minpc:#x} / maxpc {maxpc:#x} out of order"));
        }
        if !is_exec(image, text) || !is_exec(image, etext - 1) {
            return Err(format!("text {text:#x}-{etext:#x} is not executable"));
        }
        if let Some(ts) = table.header_text_start().filter(|&t| t != 0) {
            // Apple's linker leaves it relative to the image base.
            let relative = image.segments().iter().any(|s| s.file_offset == 0 && s.address.wrapping_add(ts) == text);
            if ts != text && !relative {
                return Err(format!("pcHeader.textStart {ts:#x} != text {text:#x}"));
            }
        }
        let textsectmap = self.text_sections(text, etext)?;
        let mut t = table.clone();
        t.set_text_base(text);
        t.set_text_sections(textsectmap.clone());
        if t.entry(0) != Some(minpc) || t.entry(table.nfunc()) != Some(maxpc) {
            return Err(format!(
                "minpc/maxpc {minpc:#x}/{maxpc:#x} != functab {:?}/{:?}",
                t.entry(0),
                t.entry(table.nfunc())
            ));
        }
        // pclntab sub-tables.
        let pclntable = self.slice(Field::Pclntable)?;
        let mut subs = [(Field::Pclntable, HeaderField::PclnOffset, Some(pclntable), 1u64); 5];
        subs[1] = (Field::Funcnametab, HeaderField::FuncnameOffset, self.opt_slice(Field::Funcnametab)?, 1);
        subs[2] = (Field::Cutab, HeaderField::CuOffset, self.opt_slice(Field::Cutab)?, 4);
        subs[3] = (Field::Filetab, HeaderField::FiletabOffset, self.opt_slice(Field::Filetab)?, 1);
        subs[4] = (Field::Pctab, HeaderField::PctabOffset, self.opt_slice(Field::Pctab)?, 1);
        let table_start = table.address();
        for (field, hf, slice, elem) in subs {
            let Some(s) = slice else { continue };
            let want = table.table_address(hf).unwrap_or(table_start);
            let end = s.len.checked_mul(elem).and_then(|b| s.ptr.checked_add(b));
            let filetab_old = field == Field::Filetab && hf.word(table.version()).is_none();
            if (!filetab_old && s.ptr != want) || s.ptr < table_start || end.is_none_or(|e| e > self.table_end) {
                return Err(format!("{field:?} {s:?} is not inside the pclntab"));
            }
        }
        let epclntab = self.opt_ptr(Field::Epclntab)?;
        if let Some(e) = epclntab {
            let ok = if self.exact_end { e == self.table_end } else { e > table_start && e <= self.table_end };
            if !ok {
                return Err(format!("epclntab {e:#x} != end of the pclntab {:#x}", self.table_end));
            }
        }
        let md =
            self.read_data(found_by, pcheader, pclntable, ftab, [text, etext, minpc, maxpc], textsectmap, epclntab)?;
        super::checks::check_data(image, &md)?;
        Ok(md)
    }

    #[allow(clippy::too_many_arguments)]
    fn read_data(
        &self,
        found_by: FoundBy,
        pcheader: u64,
        pclntable: Slice,
        ftab: Slice,
        [text, etext, minpc, maxpc]: [u64; 4],
        textsectmap: Vec<TextSect>,
        epclntab: Option<u64>,
    ) -> Check<ModuleData> {
        let p = |f| self.ptr(f);
        let (data, edata, bss, ebss) = (p(Field::Data)?, p(Field::Edata)?, p(Field::Bss)?, p(Field::Ebss)?);
        let (gcdata, gcbss) = (p(Field::Gcdata)?, p(Field::Gcbss)?);
        let data_mask = self.mask(gcdata, data, edata, "data")?;
        let bss_mask = self.mask(gcbss, bss, ebss, "bss")?;
        let hasmain = match self.at(Field::Hasmain) {
            Some(a) => Some(self.image.read_uint(a, 1).ok_or("hasmain unreadable")? as u8),
            None => None,
        };
        Ok(ModuleData {
            address: self.base,
            found_by,
            layout: self.layout,
            pcheader,
            pclntable,
            funcnametab: self.opt_slice(Field::Funcnametab)?,
            cutab: self.opt_slice(Field::Cutab)?,
            filetab: self.slice(Field::Filetab)?,
            pctab: self.opt_slice(Field::Pctab)?,
            ftab,
            findfunctab: p(Field::Findfunctab)?,
            minpc,
            maxpc,
            text,
            etext,
            noptrdata: p(Field::Noptrdata)?,
            enoptrdata: p(Field::Enoptrdata)?,
            data,
            edata,
            bss,
            ebss,
            noptrbss: p(Field::Noptrbss)?,
            enoptrbss: p(Field::Enoptrbss)?,
            covctrs: self.opt_ptr(Field::Covctrs)?,
            ecovctrs: self.opt_ptr(Field::Ecovctrs)?,
            end: p(Field::End)?,
            gcdata,
            gcbss,
            types: self.opt_ptr(Field::Types)?,
            etypes: self.opt_ptr(Field::Etypes)?,
            typedesclen: self.opt_uint(Field::Typedesclen)?,
            itaboffset: self.opt_uint(Field::Itaboffset)?,
            itabsize: self.opt_uint(Field::Itabsize)?,
            rodata: self.opt_ptr(Field::Rodata)?,
            gofunc: self.opt_ptr(Field::Gofunc)?,
            epclntab,
            textsectmap,
            typelinks: self.opt_slice(Field::Typelinks)?,
            itablinks: self.opt_slice(Field::Itablinks)?,
            hasmain,
            data_mask,
            bss_mask,
            notices: Vec::new(),
        })
    }

    /// Decodes the GC program at `prog` for the words of `[lo, hi)`.
    fn mask(&self, prog: u64, lo: u64, hi: u64, what: &str) -> Check<gcprog::BitVector> {
        let p = u64::from(self.image.ptr_size());
        // The runtime expands the program over ⌊(hi − lo) / P⌋ words.
        if hi < lo {
            return Err(format!("{what} range {lo:#x}-{hi:#x} malformed"));
        }
        let bytes = self.image.bytes_from(prog).ok_or_else(|| format!("gc{what} {prog:#x} not in the file"))?;
        gcprog::decode(bytes, (hi - lo) / p).map_err(|e| format!("gc{what}: {e}"))
    }

    /// Plausibility of the record's tail, for choosing among layouts that
    /// all validate: 0–3, higher is better.
    pub fn tail_score(&self) -> u32 {
        let byte = |f| self.at(f).and_then(|a| self.image.read_uint(a, 1));
        let mut score = 0;
        score += u32::from(byte(Field::Hasmain) == Some(1));
        score += u32::from(byte(Field::Bad) == Some(0));
        score += u32::from(self.opt_ptr(Field::Next).ok().flatten() == Some(0));
        score
    }
}
