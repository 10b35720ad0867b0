#!/usr/bin/env python3
"""Writes the ZIP test files of the zip analyzer, byte by byte.

Malformed archives are built with struct and zlib only (never zipfile's defaults), so each file
holds exactly the discrepancy its test is about. Well-formed archives come from Python's
zipfile. Run from anywhere: python3 make_zips.py [output folder, default: this folder].
The pickles import and call `zipprobe.marker`, a global that exists nowhere: the pickle
analyzer reports it as unknown, which shows that each member reached it. Nothing here is ever
unpickled.
"""
import bz2
import lzma
import os
import struct
import subprocess
import sys
import zipfile
import zlib

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

# Protocol-2 pickles calling an unknown global (pickletools: PROTO 2, GLOBAL, EMPTY_TUPLE,
# REDUCE, STOP), so the analyzer has something to report wherever a member is read.
PICKLE = b"\x80\x02czipprobe\nmarker\n)R."
OTHER_PICKLE = b"\x80\x02czipprobe\nprepended\n)R."
TEXT = b"plain text notes, not a model format\n"

FLAG_ENCRYPTED = 0x0001
FLAG_DESCRIPTOR = 0x0008


class Member:
    """One member; `local` and `central` override header fields after the defaults are set."""

    def __init__(self, name, content, method=0, flags=0, local=None, central=None,
                 payload=None):
        self.name = name.encode() if isinstance(name, str) else name
        self.content = content
        self.method = method
        self.flags = flags
        self.local = local or {}
        self.central = central or {}
        # The bytes written after the local header; defaults to content, deflated if method 8.
        if payload is None:
            payload = content
            if method == 8:
                deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
                payload = deflater.compress(content) + deflater.flush()
        self.payload = payload
        self.offset = 0

    def fields(self, overrides):
        values = {
            "version": 20, "flags": self.flags, "method": self.method, "time": 0, "date": 0x21,
            "crc": zlib.crc32(self.content), "csize": len(self.payload),
            "usize": len(self.content), "name": self.name, "extra": b"",
        }
        values.update(overrides)
        return values


def local_header(m):
    f = m.fields(m.local)
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, f["version"], f["flags"], f["method"],
                       f["time"], f["date"], f["crc"], f["csize"], f["usize"], len(f["name"]),
                       len(f["extra"])) + f["name"] + f["extra"]


def central_header(m, shift=0):
    f = m.fields(m.central)
    offset = f.get("offset", m.offset + shift)
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, f["version"], f["flags"],
                       f["method"], f["time"], f["date"], f["crc"], f["csize"], f["usize"],
                       len(f["name"]), len(f["extra"]), 0, 0, 0, 0, offset) + f["name"] + f["extra"]


def end_record(count, cd_size, cd_offset, comment=b"", total=None, disk=0):
    total = count if total is None else total
    return struct.pack("<IHHHHIIH", 0x06054B50, disk, disk, count, total, cd_size, cd_offset,
                       len(comment)) + comment


def build(members, prefix=b"", adjust=False, comment=b"", suffix=b"", count=None,
          extra_central=b"", between=b""):
    """Local headers (with `between` after them), central directory, end record.

    `prefix` is prepended; with adjust=True its length is added to every offset, as `zip -A`
    does, otherwise the offsets are those of the archive alone (`cat prefix a.zip`).
    """
    body = b""
    for m in members:
        m.offset = len(body)
        body += local_header(m) + m.payload
    body += between
    shift = len(prefix) if adjust else 0
    cd = b"".join(central_header(m, shift) for m in members) + extra_central
    n = len(members) if count is None else count
    eocd = end_record(n, len(cd), len(body) + shift, comment)
    return prefix + body + cd + eocd + suffix


def zip64_archive(members):
    """An archive whose end is a ZIP64 end record and locator (as PyTorch writes)."""
    body = b""
    for m in members:
        m.offset = len(body)
        body += local_header(m) + m.payload
    cd = b"".join(central_header(m) for m in members)
    zip64_offset = len(body) + len(cd)
    record = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(members),
                         len(members), len(cd), len(body))
    locator = struct.pack("<IIQI", 0x07064B50, 0, zip64_offset, 1)
    eocd = end_record(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    return body + cd + record + locator + eocd


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def pickle_member(name="archive/data.pkl", **kw):
    return Member(name, PICKLE, **kw)


def crafted():
    write("stored.zip", build([pickle_member(), Member("archive/notes.txt", TEXT)]))
    write("deflated.zip", build([pickle_member(method=8), Member("archive/notes.txt", TEXT, 8)]))
    write("name_mismatch.zip", build([pickle_member(local={"name": b"archive/evil.pkl"})]))
    write("duplicate_names.zip",
          build([pickle_member(), Member("archive/data.pkl", OTHER_PICKLE)]))
    write("false_encryption.zip", build([pickle_member(flags=FLAG_ENCRYPTED)]))
    # Random-looking bytes under the encryption flag: the CRC cannot match, so it is treated as
    # really encrypted.
    write("encrypted.zip",
          build([Member("archive/data.pkl", PICKLE, flags=FLAG_ENCRYPTED,
                        payload=bytes((i * 97 + 13) & 0xFF for i in range(12 + len(PICKLE))))]))
    write("flag_mismatch.zip", build([pickle_member(central={"flags": FLAG_DESCRIPTOR})]))
    write("reserved_flags.zip", build([pickle_member(flags=0x4000)]))
    # Flag bit 3 with a signed descriptor after the data, whose CRC differs from the central
    # header's (streaming readers check the descriptor).
    streamed = pickle_member(flags=FLAG_DESCRIPTOR, local={"crc": 0, "csize": 0, "usize": 0})
    streamed.payload += struct.pack("<IIII", 0x08074B50, 0xDEADBEEF, len(PICKLE), len(PICKLE))
    streamed.central = {"csize": len(PICKLE)}
    write("descriptor_mismatch.zip", build([streamed]))
    good = pickle_member(flags=FLAG_DESCRIPTOR, local={"crc": 0, "csize": 0, "usize": 0})
    good.payload += struct.pack("<IIII", 0x08074B50, zlib.crc32(PICKLE), len(PICKLE), len(PICKLE))
    good.central = {"csize": len(PICKLE)}
    write("descriptor.zip", build([good, Member("archive/notes.txt", TEXT)]))
    write("crc_mismatch.zip", build([pickle_member(local={"crc": 0x12345678},
                                                   central={"crc": 0x12345678})]))
    write("size_mismatch.zip", build([pickle_member(local={"usize": 5}, central={"usize": 5})]))
    write("method_mismatch.zip", build([pickle_member(method=8, central={"method": 0})]))
    write("prepended_pickle.zip", build([Member("archive/notes.txt", TEXT)], prefix=OTHER_PICKLE))
    write("prepended_adjusted.zip",
          build([Member("archive/notes.txt", TEXT)], prefix=OTHER_PICKLE, adjust=True))
    write("appended.zip", build([pickle_member()], suffix=b"trailing bytes after the end"))
    write("count_mismatch.zip", build([pickle_member()], count=3))
    # A protocol 0 pickle has no PROTO opcode; torch.load unpickles data.pkl anyway.
    write("protocol0_pickle.zip", build([Member("archive/data.pkl", b"czipprobe\nmarker\n(tR.")]))
    write("zip64.zip", zip64_archive([pickle_member()]))
    # cat pickle archive: as when a pickle is prepended to a PyTorch checkpoint, whose writer
    # always ends with ZIP64 records; here the 32-bit fields are all placeholders.
    write("prepended_zip64.zip", OTHER_PICKLE + zip64_archive([pickle_member()]))
    write("unsupported_method.zip", build([pickle_member(method=98, payload=b"PPMd not real")]))
    other_codecs()
    write("path_traversal.zip", build([
        Member("../../outside.txt", TEXT), Member("/etc/absolute.txt", TEXT),
        Member("C:/drive.txt", TEXT), Member("dir\\backslash.txt", TEXT),
        Member(b"nul\x00byte.txt", TEXT)]))
    overlapping()
    multiple_end_records()
    hidden_member()
    bombs()
    truncated_and_garbage()


def other_codecs():
    """bzip2 (APPNOTE method 12), xz (95) and zstd (93) members, and a corrupt bzip2 one."""
    write("bzip2.zip", build([pickle_member(method=12, payload=bz2.compress(PICKLE))]))
    write("xz.zip", build([pickle_member(method=95, payload=lzma.compress(PICKLE))]))
    # zstd frame of PICKLE made with `zstd -19` (Python 3.11 has no zstd module): magic
    # 28 b5 2f fd, then a frame holding the bytes raw.
    zstd = subprocess.run(["zstd", "-19", "-c", "-q"], input=PICKLE, capture_output=True,
                          check=True).stdout
    write("zstd.zip", build([pickle_member(method=93, payload=zstd)]))
    write("bzip2_corrupt.zip", build([pickle_member(method=12, payload=b"BZh9 not real")]))


def overlapping():
    """Member 'inner.pkl' lives inside the stored data of member 'outer.bin'."""
    inner = pickle_member("inner.pkl")
    inner_bytes = local_header(inner) + inner.payload
    outer = Member("outer.bin", b"XXXX" + inner_bytes + b"YYYY")
    data = build([outer])
    # Re-write with a second central entry pointing into outer's data.
    inner.offset = 30 + len(outer.name) + 4
    cd = central_header(outer) + central_header(inner)
    body = local_header(outer) + outer.payload
    write("overlapping.zip", body + cd + end_record(2, len(cd), len(body)))
    return data


def multiple_end_records():
    """Two central directories, each with its own end record; the last end record is the
    comment of the first, so readers searching from the end and from the front differ."""
    a = Member("archive/a.txt", OTHER_PICKLE)  # a pickle under a .txt name: found by content
    b = pickle_member("archive/b.pkl")
    body = b""
    for m in (a, b):
        m.offset = len(body)
        body += local_header(m) + m.payload
    cd1 = central_header(a)
    cd2 = central_header(b)
    second = end_record(1, len(cd2), len(body) + len(cd1))
    first = end_record(1, len(cd1), len(body), comment=second)
    write("multiple_end_records.zip", body + cd1 + cd2 + first)


def hidden_member():
    """A local entry between two listed members that no central header lists."""
    listed = Member("archive/notes.txt", TEXT)
    hidden = pickle_member("archive/hidden.pkl")
    last = Member("archive/more.txt", TEXT)
    body = local_header(listed) + listed.payload
    body += local_header(hidden) + hidden.payload
    last.offset = len(body)
    body += local_header(last) + last.payload
    cd = central_header(listed) + central_header(last)
    write("hidden_member.zip", body + cd + end_record(2, len(cd), len(body)))


def bombs():
    # 16 MiB of zeros deflate to about 16 KiB: a ratio near 1000.
    write("ratio_bomb.zip", build([Member("bomb.bin", bytes(16 << 20), 8)]))
    # A deflated member declaring 1 TiB: the declared total alone exceeds the budget.
    write("declared_size.zip", build([pickle_member(method=8, local={"usize": 0xFFFFFFFF},
                                                    central={"usize": 0xFFFFFFFF})]))
    write("many_members.zip", build([Member("m%03d.bin" % i, PICKLE) for i in range(50)]))
    overlap_bomb()
    # 25 members with a wrong CRC: more than the 20 findings listed per rule.
    write("many_crc_mismatches.zip",
          build([Member("c%02d.txt" % i, TEXT, central={"crc": 1}) for i in range(25)]))


def overlap_bomb():
    """One deflated kernel (4 MiB of zeros) that 200 central entries share, each with a
    different compressed size so no two readings are the same bytes: the output multiplies
    without the file growing, as in overlapping zip bombs."""
    kernel = Member("k", bytes(4 << 20), 8)
    body = local_header(kernel) + kernel.payload + bytes(200)
    entries = []
    for i in range(200):
        entry = Member("bomb%03d.bin" % i, bytes(4 << 20), 8,
                       central={"csize": len(kernel.payload) + i, "name": b"k"})
        entry.payload = kernel.payload
        entries.append(entry)
    cd = b"".join(central_header(e) for e in entries)
    write("overlap_bomb.zip", body + cd + end_record(len(entries), len(cd), len(body)))


def truncated_and_garbage():
    first = pickle_member()
    second = Member("archive/notes.txt", TEXT * 20, 8)
    full = build([first, second])
    # Cut inside the second member's data: no central directory, no end record.
    cut = second.offset + 30 + len(second.name) + len(second.payload) // 2
    write("truncated.zip", full[:cut])
    write("garbage.zip", b"PK\x03\x04" + bytes((i * 31 + 7) & 0xFF for i in range(200)))


def info(name):
    """A ZipInfo with a fixed date, so the files are the same on every run."""
    return zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))


def real():
    """Archives written by Python's zipfile with its normal settings."""
    with zipfile.ZipFile(os.path.join(OUT, "real_stored.zip"), "w", zipfile.ZIP_STORED) as z:
        z.writestr(info("archive/data.pkl"), PICKLE)
        z.writestr(info("archive/notes.txt"), TEXT)
    with zipfile.ZipFile(os.path.join(OUT, "real_deflated.zip"), "w",
                         zipfile.ZIP_DEFLATED) as z:
        z.writestr(info("archive/data.pkl"), PICKLE, zipfile.ZIP_DEFLATED)
        z.writestr(info("archive/notes.txt"), TEXT * 10, zipfile.ZIP_DEFLATED)
    # An archive inside an archive: the member chain has two levels.
    with open(os.path.join(OUT, "real_stored.zip"), "rb") as f:
        inner = f.read()
    with zipfile.ZipFile(os.path.join(OUT, "nested.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(info("inner.zip"), inner, zipfile.ZIP_DEFLATED)
    # The same, stored: the inner end record lies within the last 64 KiB of the outer archive
    # but belongs to a member, so it is no rival end record.
    with zipfile.ZipFile(os.path.join(OUT, "nested_stored.zip"), "w") as z:
        z.writestr(info("inner.zip"), inner)
    write("empty.zip", end_record(0, 0, 0))


if __name__ == "__main__":
    crafted()
    real()
