#!/usr/bin/env python3
"""Writes the fuzz seed corpora (fuzz/corpus/<target>/) from fixtures/bin.

The corpora are not committed: they are carved from the committed fixtures
by this script, reproducibly. Each target's input format is documented at
the top of its fuzz_targets/<target>.rs.

    python3 fuzz/seeds.py
"""
import hashlib
import os
import struct
import zlib

FUZZ = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(FUZZ, "..", "fixtures", "bin")
CORPUS = os.path.join(FUZZ, "corpus")


def elf_sections(data):
    """{name: (sh_flags, bytes)} of an ELF file."""
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        shoff, = struct.unpack_from(end + "Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", data, 0x3A)
        fmt = end + "IIQQQQIIQQ"
    else:
        shoff, = struct.unpack_from(end + "I", data, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(end + "HHH", data, 0x2E)
        fmt = end + "IIIIIIIIII"
    headers = [struct.unpack_from(fmt, data, shoff + i * shentsize) for i in range(shnum)]
    strtab = headers[shstrndx]
    names = data[strtab[4]:strtab[4] + strtab[5]]
    out = {}
    for h in headers:
        name = names[h[0]:names.index(b"\0", h[0])].decode()
        body = b"" if h[1] == 8 else data[h[4]:h[4] + h[5]]
        out[name] = (h[2], body, is64, end)
    return out


def uncompressed(section):
    """The section's bytes, inflated if SHF_COMPRESSED."""
    flags, body, is64, end = section
    if not flags & 0x800:
        return body
    header = 24 if is64 else 12
    return zlib.decompress(body[header:])


def selector(data):
    is64 = data[4] == 2
    big = data[5] == 2
    return (0 if is64 else 1) | (2 if big else 0)


def write(target, payload):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(payload).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(payload)


def read(name):
    with open(os.path.join(BIN, name), "rb") as f:
        return f.read()


def whole_units(info, limit):
    """The leading complete DWARF units of .debug_info, at most ~limit bytes."""
    at = 0
    while at + 4 <= len(info):
        length, = struct.unpack_from("<I", info, at)
        if length >= 0xFFFFFFF0 or at + 4 + length > len(info) or at + 4 + length > limit and at > 0:
            break
        at += 4 + length
    return info[:at]


def dwarf_seed(sel, abbrev, strs, info):
    return bytes([sel]) + struct.pack("<HH", len(abbrev), len(strs)) + abbrev + strs + info


def main():
    elves = [
        "go1.27-linux-amd64-stripped",
        "go1.27-linux-386-stripped",
        "go1.27-linux-s390x-stripped",
        "go1.19-linux-amd64-stripped",
        "go1.22-linux-amd64-stripped",
    ]
    for name in elves:
        data = read(name)
        secs = elf_sections(data)
        sel = selector(data)
        if ".go.buildinfo" in secs:
            write("buildinfo", bytes([sel]) + secs[".go.buildinfo"][1])
        pcln = secs[".gopclntab"][1]
        write("pclntab", bytes([sel]) + pcln)
        write("pclntab", bytes([sel | 4]) + pcln)
        write("pclntab", bytes([sel]) + pcln[:4096])
        write("analyze", data[:65536])
    # Moduledata: all-zero masks reproduce the two bases; a second seed per
    # base stomps the pclntab magic (XOR 0xff over its first four bytes).
    for base in (0, 1):
        write("moduledata", bytes([base]) + bytes(640))
        write("moduledata", bytes([base]) + bytes(640) + b"\xff\xff\xff\xff")
    # DWARF: the abbrevs, strings and leading units of unstripped fixtures,
    # plain, SHF_COMPRESSED and .zdebug (ZLIB + big-endian size) forms.
    for name in ["go1.27-linux-amd64", "go1.27-linux-386", "go1.27-linux-s390x"]:
        data = read(name)
        secs = elf_sections(data)
        sel = selector(data)
        abbrev = uncompressed(secs[".debug_abbrev"])
        strs = uncompressed(secs[".debug_str"]) if ".debug_str" in secs else b""
        info = whole_units(uncompressed(secs[".debug_info"]), 48 * 1024)
        write("dwarf", dwarf_seed(sel, abbrev, strs[:8192], info))
        if sel == 0:
            chdr = lambda b: struct.pack("<IIQQ", 1, 0, len(b), 1) + zlib.compress(b)
            write("dwarf", dwarf_seed(sel | 8, chdr(abbrev), chdr(b""), chdr(info)))
            zform = lambda b: b"ZLIB" + struct.pack(">Q", len(b)) + zlib.compress(b)
            write("dwarf", dwarf_seed(sel | 4, zform(abbrev), zform(b""), zform(info)))
    # Whole small binaries for the full analysis, every container format.
    for name in [
        "go1.19-linux-amd64-stripped",
        "go1.27-linux-386-stripped",
        "go1.27-windows-386-stripped.exe",
        "go1.27-darwin-arm64-stripped",
        "go1.19-linux-amd64",
    ]:
        write("analyze", read(name))


if __name__ == "__main__":
    main()
