//! Mach-O chained fixups (`LC_DYLD_CHAINED_FIXUPS`).
//!
//! In binaries linked by Apple's ld with chained fixups, pointer slots in data
//! segments hold encoded fixups (target + next + bind bit) instead of
//! addresses (golang/go issue #69428). We do not walk the chains: every
//! pointer slot golayout reads is known to be a pointer, so decoding the slot
//! with its segment's pointer format is enough.

use object::read::macho::LoadCommandVariant;

use crate::memory::Relocations;
use crate::Image;

const LC_DYLD_CHAINED_FIXUPS: u32 = 0x8000_0034;

/// Finds the segments that use chained fixups and their pointer formats.
pub(crate) fn chained_segments(image: &Image<'_>) -> Relocations {
    let Some(fixups) = fixups_blob(image) else { return Relocations::default() };
    let bo = crate::ByteOrder::Little;
    let u32_at = |off: usize| -> Option<u32> { Some(bo.u32(fixups.get(off..off + 4)?.try_into().ok()?)) };
    let Some(starts_offset) = u32_at(4).map(|v| v as usize) else { return Relocations::default() };
    let Some(seg_count) = u32_at(starts_offset) else { return Relocations::default() };
    // Segments in load-command order (the fixup table indexes them that way).
    let segs = image.segments();
    let base = segs.iter().find(|s| s.name == Some("__TEXT")).map_or(0, |s| s.address);
    let mut chained = Vec::new();
    for (i, seg) in segs.iter().enumerate().take((seg_count as usize).min(256)) {
        let Some(info_off) = u32_at(starts_offset + 4 + 4 * i) else { break };
        if info_off == 0 {
            continue;
        }
        let at = starts_offset + info_off as usize;
        // dyld_chained_starts_in_segment: size u32, page_size u16,
        // pointer_format u16, segment_offset u64, max_valid_pointer u32,
        // page_count u16, page_start[]
        let Some(fmt_bytes) = fixups.get(at + 6..at + 8) else { continue };
        let fmt = u16::from_le_bytes([fmt_bytes[0], fmt_bytes[1]]);
        chained.push((seg.address, seg.address.saturating_add(seg.vm_size), fmt));
    }
    Relocations::chained(chained, base)
}

fn fixups_blob<'data>(image: &Image<'data>) -> Option<&'data [u8]> {
    let mut cmds = match image.object() {
        object::File::MachO64(f) => f.macho_load_commands().ok()?,
        object::File::MachO32(f) => f.macho_load_commands().ok()?,
        _ => return None,
    };
    while let Ok(Some(cmd)) = cmds.next() {
        if cmd.cmd().0 == LC_DYLD_CHAINED_FIXUPS {
            if let Ok(LoadCommandVariant::LinkeditData(d)) = cmd.variant() {
                let le = object::Endianness::Little;
                let off = d.dataoff.get(le) as usize;
                let len = d.datasize.get(le) as usize;
                return image.data().get(off..off.checked_add(len)?);
            }
        }
    }
    None
}

/// Decodes one chained-fixup slot to the target's link-time address.
///
/// Binds (imports) decode to 0. Unknown formats return the raw value.
pub(crate) fn decode(raw: u64, format: u16, base: u64) -> u64 {
    match format {
        // DYLD_CHAINED_PTR_ARM64E, _USERLAND, _USERLAND24, _KERNEL
        1 | 7 | 9 | 12 => {
            let auth = raw >> 63 != 0;
            let bind = (raw >> 62) & 1 != 0;
            if bind {
                return 0;
            }
            if auth {
                return base + (raw & 0xffff_ffff);
            }
            let target = raw & 0x7ff_ffff_ffff; // 43 bits
            let high8 = (raw >> 43) & 0xff;
            let t = if format == 1 { target } else { base + target };
            t | (high8 << 56)
        }
        // DYLD_CHAINED_PTR_64, DYLD_CHAINED_PTR_64_OFFSET
        2 | 6 => {
            if raw >> 63 != 0 {
                return 0;
            }
            let target = raw & 0xf_ffff_ffff; // 36 bits
            let high8 = (raw >> 36) & 0xff;
            let t = if format == 2 { target } else { base + target };
            t | (high8 << 56)
        }
        // DYLD_CHAINED_PTR_32
        3 => {
            if raw & 0x8000_0000 != 0 {
                return 0;
            }
            raw & 0x3ff_ffff
        }
        _ => raw,
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn ptr64_offset_rebase_adds_base() {
        // target 0x12345 with next=3 in bits 51..63, bind clear
        let raw = (3u64 << 51) | 0x12345;
        assert_eq!(decode(raw, 6, 0x1_0000_0000), 0x1_0001_2345);
        assert_eq!(decode(raw, 2, 0x1_0000_0000), 0x12345);
    }

    #[test]
    fn bind_decodes_to_zero() {
        assert_eq!(decode(1 << 63, 6, 0x1000), 0);
        assert_eq!(decode(1 << 62, 9, 0x1000), 0);
    }
}
