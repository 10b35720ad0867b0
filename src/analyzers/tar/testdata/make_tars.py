#!/usr/bin/env python3
"""Writes the TAR test files of the tar analyzer.

Well-formed archives (ustar, GNU and pax formats, links, devices, pax overrides, a global pax
header) come from Python's tarfile. Malformed ones (bad checksums, broken fields, sparse maps,
data after the end, truncation) are written block by block with struct, so each file holds
exactly the problem its test is about. Run from anywhere:
    python3 make_tars.py [output folder, default: this folder]
Pickles are crafted opcode by opcode and never unpickled. MALICIOUS calls os.system('echo
pwned'); the probes call `tarprobe.<name>`, a global that exists nowhere, which the pickle
analyzer reports as unknown: that shows a member reached it.
"""
import io
import os
import struct
import sys
import tarfile

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
MTIME = 1700000000


def probe(name):
    # pickletools: PROTO 2, GLOBAL 'tarprobe <name>', EMPTY_TUPLE, REDUCE, STOP.
    return b"\x80\x02ctarprobe\n" + name.encode() + b"\n)R."


def call_os_system(command):
    # PROTO 2, GLOBAL 'os system', BINUNICODE <command>, TUPLE1, REDUCE, STOP.
    data = command.encode()
    return b"\x80\x02cos\nsystem\nX" + struct.pack("<I", len(data)) + data + b"\x85R."


MALICIOUS = call_os_system("echo pwned")
TEXT = b"plain text notes, not a model format\n"
LONG_NAME = "dir/" + "n" * 120 + ".pkl"


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def with_tarfile(name, fmt, members, **kwargs):
    """members: (TarInfo, bytes or None) pairs; writes the archive with tarfile."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt, **kwargs) as tar:
        for info, data in members:
            info.mtime = MTIME
            if data is not None:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                tar.addfile(info)
    write(name, buf.getvalue())
    return buf.getvalue()


def info(name, type_=tarfile.REGTYPE, linkname="", **extra):
    ti = tarfile.TarInfo(name)
    ti.type = type_
    ti.linkname = linkname
    for key, value in extra.items():
        setattr(ti, key, value)
    return ti


# --- raw blocks -----------------------------------------------------------------------------

def octal(value, width):
    return b"%0*o\0" % (width - 1, value)


def header(name, size=0, type_=b"0", linkname=b"", prefix=b"", size_field=None,
           magic=b"ustar\x0000", checksum="unsigned", tail=None):
    """One 512-byte header. checksum: 'unsigned', 'signed' or 'bad'."""
    name = name.encode() if isinstance(name, str) else name
    block = bytearray(512)
    block[0:len(name)] = name
    block[100:108] = octal(0o644, 8)
    block[108:116] = octal(0, 8)
    block[116:124] = octal(0, 8)
    block[124:136] = size_field if size_field is not None else octal(size, 12)
    block[136:148] = octal(MTIME, 12)
    block[156:157] = type_
    block[157:157 + len(linkname)] = linkname
    block[257:265] = magic
    block[345:345 + len(prefix)] = prefix
    if tail is not None:  # GNU sparse data from 386 on
        block[386:386 + len(tail)] = tail
    block[148:156] = b" " * 8
    if checksum == "signed":
        total = sum(b - 256 if b > 127 else b for b in block)
    else:
        total = sum(block)
    if checksum == "bad":
        total += 1
    block[148:156] = b"%06o\0 " % (total & 0o777777)
    return bytes(block)


def padded(data):
    return data + b"\0" * (-len(data) % 512)


def member(name, data, **kwargs):
    return header(name, size=len(data), **kwargs) + padded(data)


def pax_record(keyword, value):
    body = b" " + keyword.encode() + b"=" + value + b"\n"
    length = len(body) + 1
    while len(str(length)) + len(body) != length:
        length += 1
    return str(length).encode() + body


def pax(records, type_=b"x"):
    data = b"".join(pax_record(k, v) for k, v in records)
    return member("PaxHeaders/x", data, type_=type_)


END = b"\0" * 1024


def main():
    os.makedirs(OUT, exist_ok=True)
    base = [
        (info("dir", tarfile.DIRTYPE, mode=0o755), None),
        (info("dir/data.pkl"), MALICIOUS),
        (info("dir/notes.txt"), TEXT),
    ]
    with_tarfile("ustar.tar", tarfile.USTAR_FORMAT, base)
    with_tarfile("gnu.tar", tarfile.GNU_FORMAT, base + [(info(LONG_NAME), probe("long"))])
    with_tarfile("pax.tar", tarfile.PAX_FORMAT,
                 base + [(info(LONG_NAME), probe("long")), (info("dir/caf\u00e9.txt"), TEXT)])
    # torch <= 0.1.x wrote a tar of pickles; torch.load still reads it with tarfile.
    with_tarfile("torch_legacy.tar", tarfile.PAX_FORMAT, [
        (info("sys_info"), b"\x80\x02}q\x00."),  # PROTO 2, EMPTY_DICT, BINPUT 0, STOP
        (info("pickle"), probe("main")),
        (info("storages"), probe("storages")),
        (info("tensors"), b"\x80\x02K\x00."),  # PROTO 2, BININT1 0, STOP
    ])
    with_tarfile("empty.tar", tarfile.USTAR_FORMAT, [])

    with_tarfile("path_traversal.tar", tarfile.GNU_FORMAT, [
        (info("../../evil.pkl"), probe("traversal")),
        (info("/etc/cron.d/job"), TEXT),
    ])
    with_tarfile("backslash_name.tar", tarfile.USTAR_FORMAT,
                 [(info("dir\\..\\..\\evil.txt"), TEXT)])
    write("nul_long_name.tar",
          member("././@LongLink", b"safe.txt\0../../evil.pkl\0", type_=b"L",
                 magic=b"ustar  \0") +
          member("safe.txt", TEXT, magic=b"ustar  \0") + END)
    with_tarfile("symlink_outside.tar", tarfile.USTAR_FORMAT, [
        (info("model/weights", tarfile.SYMTYPE, "../../../etc"), None),
        (info("model/inside", tarfile.SYMTYPE, "../model/notes.txt"), None),
        (info("model/hard", tarfile.LNKTYPE, "/etc/hostname"), None),
    ])
    with_tarfile("symlink_credentials.tar", tarfile.USTAR_FORMAT, [
        (info("model/config.json", tarfile.SYMTYPE, "/home/user/.aws/credentials"), None),
        (info("model/shadow", tarfile.LNKTYPE, "etc/shadow"), None),
    ])
    with_tarfile("through_link.tar", tarfile.USTAR_FORMAT, [
        (info("dir", tarfile.SYMTYPE, "/root/.ssh"), None),
        (info("dir/authorized_keys"), TEXT),
    ])
    with_tarfile("link_through_link.tar", tarfile.USTAR_FORMAT, [
        (info("etc", tarfile.SYMTYPE, "/etc"), None),
        (info("model/shadow", tarfile.LNKTYPE, "etc/passwd"), None),
    ])
    with_tarfile("devices.tar", tarfile.USTAR_FORMAT, [
        (info("dev/mem", tarfile.CHRTYPE, devmajor=1, devminor=1), None),
        (info("dev/sda", tarfile.BLKTYPE, devmajor=8, devminor=0), None),
        (info("model/pipe", tarfile.FIFOTYPE), None),
    ])
    with_tarfile("duplicate_names.tar", tarfile.USTAR_FORMAT, [
        (info("dir/data.pkl"), probe("first")),
        (info("dir/data.pkl"), probe("second")),
    ])
    with_tarfile("pax_path_mismatch.tar", tarfile.PAX_FORMAT,
                 [(info("model/data.pkl", pax_headers={"path": "../evil.pkl"}), probe("pax"))])
    with_tarfile("global_pax.tar", tarfile.PAX_FORMAT,
                 [(info("model/a.txt"), TEXT), (info("model/b.txt"), TEXT)],
                 pax_headers={"path": "model/data.pkl"})
    with_tarfile("global_pax_comment.tar", tarfile.PAX_FORMAT, [(info("model/a.txt"), TEXT)],
                 pax_headers={"comment": "made by make_tars.py"})

    # tarfile honours the pax size (the probe), then finds the header hidden in the ustar-sized
    # data; a reader that ignores pax reads all 1536 bytes as one member.
    hidden = padded(probe("visible")) + member("hidden.pkl", probe("hidden"))
    write("pax_size_mismatch.tar",
          pax([("size", str(len(probe("visible"))).encode())]) +
          header("model/data.pkl", size=len(hidden)) + hidden + END)

    ustar = open(os.path.join(OUT, "ustar.tar"), "rb").read()
    write("truncated.tar", ustar[:512 * 3 + 20])
    write("no_end_marker.tar", member("dir/data.pkl", probe("noend")))
    write("bad_checksum.tar",
          member("a.txt", TEXT) + member("b.txt", TEXT, checksum="bad") +
          member("dir/data.pkl", probe("resync")) + END)
    write("bad_checksum_first.tar",
          member("dir/data.pkl", probe("first_bad"), checksum="bad") + END)
    write("bad_size_field.tar",
          header("a.txt", size_field=b"00000000012x") + padded(TEXT) +
          member("dir/data.pkl", probe("after_bad_field")) + END)
    write("signed_checksum.tar",
          member("caf\xe9.pkl".encode("latin-1"), probe("signed"), checksum="signed") + END)
    base256 = b"\x80" + b"\0" * 7 + struct.pack(">I", len(probe("base256")))
    write("base256_size.tar",
          header("dir/data.pkl", size_field=base256, magic=b"ustar  \0") +
          padded(probe("base256")) + END)
    write("data_after_end.tar",
          member("a.txt", TEXT) + END + member("after.pkl", probe("after")) + END)
    write("trailing_garbage.tar", member("a.txt", TEXT) + END + probe("trailing"))
    write("data_on_symlink.tar",
          header("link", size=512, type_=b"2", linkname=b"a.txt") + padded(probe("declared")) +
          member("a.txt", TEXT) + END)
    # GNU old sparse: 2 segments (0..len, 4096..4096+len) of a 8192-byte file.
    segment = probe("sparse")
    sparse_map = b"".join(octal(v, 12) for v in (0, len(segment), 4096, len(segment)))
    tail = sparse_map + b"\0" * (96 - len(sparse_map)) + b"\0" + octal(8192, 12)
    write("gnu_sparse.tar",
          header("sparse.pkl", size=2 * len(segment), type_=b"S", magic=b"ustar  \0",
                 tail=tail) + padded(segment + segment) + END)
    write("pax_sparse.tar",
          pax([("GNU.sparse.major", b"1"), ("GNU.sparse.minor", b"0"),
               ("GNU.sparse.name", b"sparse.pkl"), ("GNU.sparse.realsize", b"100")]) +
          member("GNUSparseFile.0/sparse.pkl", b"1\n0\n100\n" + b"\0" * 503 +
                 probe("paxsparse")) + END)
    # A protocol 0 pickle (no PROTO to sniff) holding "ustar" at offset 257: STRING, POP, then
    # GLOBAL, MARK, TUPLE, REDUCE, STOP. It must stay a pickle, not become a broken tar.
    text = b"A" * 255 + b"ustar" + b"B" * 10
    write("ustar_magic_pickle.bin", b"S'" + text + b"'\n0ctarprobe\nmagic\n(tR.")
    # A pre-POSIX header whose name field opens with a harmless pickle (PROTO 2, BININT1 1,
    # STOP): pickle.load reads 1, torch.load reads the tar and unpickles its 'pickle' member.
    write("pickle_polyglot.tar",
          member(b"\x80\x02K\x01.", TEXT, magic=b"\0" * 8) +
          member("pickle", MALICIOUS, magic=b"\0" * 8) + END)
    # "N." is NONE, STOP: a pickle, but not a polyglot worth a finding.
    with_tarfile("pickle_like_name.tar", tarfile.USTAR_FORMAT, [(info("N.txt"), TEXT)])
    write("gnu_prefix.tar",
          member("data.pkl", probe("gnuprefix"), magic=b"ustar  \0", prefix=b"../..") + END)
    write("many_traversals.tar",
          b"".join(member("../m%02d.txt" % i, TEXT) for i in range(30)) + END)
    # The second record claims 99 bytes but only 20 remain.
    write("pax_bad_record.tar",
          member("PaxHeaders/x", b"20 path=model/a.txt\n99 path=../evil\n", type_=b"x") +
          member("model/data.pkl", probe("badpax")) + END)
    write("many_members.tar",
          b"".join(member("m%03d.txt" % i, TEXT) for i in range(50)) + END)


if __name__ == "__main__":
    main()
