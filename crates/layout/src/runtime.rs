//! Finding and summarizing the runtime tables for the report.

use golayout_image::Image;
use golayout_runtime::moduledata::{self, ModuleData};
use golayout_runtime::pclntab::{self, Located};
use golayout_runtime::{FoundBy, GoVersion};

use crate::model::{Bound, ModuleDataInfo, Notice, PclntabInfo, RuntimeInfo, RuntimeSymbol};

/// The parsed runtime tables, kept for the later stages of the analysis.
pub(crate) struct Runtime<'data> {
    pub located: Located<'data>,
    pub moduledata: Option<ModuleData>,
}

/// Locates the pclntab and moduledata; failures become notices.
pub(crate) fn read<'data>(
    image: &Image<'data>,
    version: Option<GoVersion>,
    notices: &mut Vec<Notice>,
) -> Option<Runtime<'data>> {
    let located = match pclntab::locate(image) {
        Ok(l) => l,
        Err(e) => match moduledata::locate_stomped(image, version) {
            Ok((l, md)) => {
                notices.extend(l.notices.iter().map(|n| Notice::new("pclntab", n.clone())));
                return Some(finish(l, Some(md), notices));
            }
            Err(_) => {
                notices.push(Notice::new("no_pclntab", format!("pclntab not found: {e}")));
                return None;
            }
        },
    };
    notices.extend(located.notices.iter().map(|n| Notice::new("pclntab", n.clone())));
    let md = match moduledata::locate(image, &located, version) {
        Ok(md) => Some(md),
        Err(e) => {
            notices.push(Notice::new("no_moduledata", e.to_string()));
            None
        }
    };
    Some(finish(located, md, notices))
}

fn finish<'data>(mut located: Located<'data>, md: Option<ModuleData>, notices: &mut Vec<Notice>) -> Runtime<'data> {
    if let Some(md) = &md {
        md.apply_text_base(&mut located.table);
        notices.extend(md.notices.iter().map(|n| Notice::new("moduledata", n.clone())));
    }
    Runtime { located, moduledata: md }
}

impl Runtime<'_> {
    /// The serde summary.
    pub fn info(&self, image: &Image<'_>) -> RuntimeInfo {
        let t = &self.located.table;
        let pclntab = PclntabInfo {
            address: t.address(),
            size: self.located.exact_size.then(|| t.data().len() as u64),
            magic: t.version().magic(),
            format: match t.version().go_minors() {
                (a, Some(b)) => format!("go1.{a}-go1.{b}"),
                (a, None) => format!("go1.{a}+"),
            },
            found_by: self.located.found_by,
            section: self.located.section.map(str::to_string),
            nfunc: t.nfunc(),
            ptr_size: t.ptr_size(),
            min_lc: t.min_lc(),
            header_text_start: t.header_text_start(),
        };
        let moduledata = self.moduledata.as_ref().map(|md| ModuleDataInfo {
            address: md.address,
            found_by: md.found_by,
            layout: md.layout.name.to_string(),
            bounds: bounds(md),
        });
        RuntimeInfo { pclntab, moduledata, text_base: t.text_base(), symbols: self.symbols(image) }
    }

    /// Runtime symbols: from the symbol table when present, else from the
    /// moduledata fields and where the tables were found.
    fn symbols(&self, image: &Image<'_>) -> Vec<RuntimeSymbol> {
        const NAMES: [&str; 12] = [
            "runtime.firstmoduledata",
            "runtime.pclntab",
            "runtime.epclntab",
            "runtime.text",
            "runtime.etext",
            "runtime.buildVersion",
            "runtime.modinfo",
            "runtime.rodata",
            "runtime.erodata",
            "runtime.types",
            "runtime.etypes",
            "runtime.end",
        ];
        let found = image.find_symbols(NAMES);
        let mut out = Vec::new();
        for (name, sym) in NAMES.iter().zip(found) {
            let from_md = self.derived(name);
            match (sym, from_md) {
                (Some(s), _) => {
                    out.push(RuntimeSymbol { name: name.to_string(), address: s.address, found_by: FoundBy::Symbol })
                }
                (None, Some((a, how))) => out.push(RuntimeSymbol { name: name.to_string(), address: a, found_by: how }),
                _ => {}
            }
        }
        out
    }

    /// A runtime symbol's address recovered without the symbol table.
    fn derived(&self, name: &str) -> Option<(u64, FoundBy)> {
        let md = self.moduledata.as_ref();
        match name {
            "runtime.firstmoduledata" => md.map(|m| (m.address, m.found_by)),
            "runtime.pclntab" => Some((self.located.address(), self.located.found_by)),
            "runtime.epclntab" => md
                .and_then(|m| m.epclntab)
                .map(|a| (a, FoundBy::Pointer))
                .or_else(|| self.located.exact_size.then(|| (self.located.end(), self.located.found_by))),
            "runtime.text" => md.map(|m| (m.text, FoundBy::Pointer)),
            "runtime.etext" => md.map(|m| (m.etext, FoundBy::Pointer)),
            "runtime.rodata" => md.and_then(|m| m.rodata).map(|a| (a, FoundBy::Pointer)),
            "runtime.types" => md.and_then(|m| m.types).map(|a| (a, FoundBy::Pointer)),
            "runtime.etypes" => md.and_then(|m| m.etypes).map(|a| (a, FoundBy::Pointer)),
            "runtime.end" => md.map(|m| (m.end, FoundBy::Pointer)),
            _ => None,
        }
    }
}

/// The address fields of moduledata, in record order.
pub(crate) fn bounds(md: &ModuleData) -> Vec<Bound> {
    let mut out = Vec::new();
    let mut push = |name: &str, v: Option<u64>| {
        if let Some(address) = v {
            out.push(Bound { name: name.to_string(), address });
        }
    };
    push("pcheader", Some(md.pcheader));
    push("minpc", Some(md.minpc));
    push("maxpc", Some(md.maxpc));
    push("text", Some(md.text));
    push("etext", Some(md.etext));
    push("noptrdata", Some(md.noptrdata));
    push("enoptrdata", Some(md.enoptrdata));
    push("data", Some(md.data));
    push("edata", Some(md.edata));
    push("bss", Some(md.bss));
    push("ebss", Some(md.ebss));
    push("noptrbss", Some(md.noptrbss));
    push("enoptrbss", Some(md.enoptrbss));
    push("covctrs", md.covctrs);
    push("ecovctrs", md.ecovctrs);
    push("end", Some(md.end));
    push("gcdata", Some(md.gcdata));
    push("gcbss", Some(md.gcbss));
    push("types", md.types);
    push("etypes", md.etypes);
    push("rodata", md.rodata);
    push("gofunc", md.gofunc);
    push("epclntab", md.epclntab);
    push("findfunctab", Some(md.findfunctab));
    push("ftab", Some(md.ftab.ptr));
    push("typelinks", md.typelinks.map(|s| s.ptr));
    push("itablinks", md.itablinks.map(|s| s.ptr));
    for (i, t) in md.textsectmap.iter().enumerate() {
        push(&format!("textsectmap[{i}].baseaddr"), Some(t.baseaddr));
    }
    out
}
