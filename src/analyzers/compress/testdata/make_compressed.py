#!/usr/bin/python3
"""Writes the compressed test files of src/analyzers/compress/tests.

Run with Debian's /usr/bin/python3 (joblib 1.2, scikit-learn 1.2, numpy 1.24) from this folder;
zstd and lz4 files are made with the zstd and lz4 command-line tools (Debian packages zstd and
lz4), since Python has no zstd module and python3-lz4 is not installed.

The malicious pickle is written byte by byte with struct (never pickle.dumps of a malicious
object) and never unpickled: it would call os.system('echo pwned').
"""
import bz2
import gzip
import io
import lzma
import random
import struct
import subprocess
import zipfile
import zlib

import joblib
import numpy as np
from sklearn.linear_model import LogisticRegression


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


def malicious_pickle():
    # pickletools: PROTO 2; GLOBAL 'os system'; BINUNICODE (4-byte length); TUPLE1; REDUCE; STOP
    command = b"echo pwned"
    return (b"\x80\x02" + b"cos\nsystem\n" + b"X" + struct.pack("<I", len(command)) + command +
            b"\x85" + b"R" + b".")


def gzip_bytes(data, name=None):
    # mtime=0 and an explicit name keep the output reproducible (RFC 1952 FNAME when named).
    out = io.BytesIO()
    with gzip.GzipFile(filename=name or "", mode="wb", fileobj=out, mtime=0) as f:
        f.write(data)
    return out.getvalue()


def cli(tool, data, *args):
    return subprocess.run([tool, "-q", "-c", *args], input=data, stdout=subprocess.PIPE,
                          check=True).stdout


def joblib_files():
    x = np.arange(40, dtype=np.float64).reshape(20, 2) / 7.0
    y = np.array([0, 1] * 10)
    model = LogisticRegression().fit(x, y)
    for method in ("zlib", "gzip", "bz2", "lzma", "xz"):
        joblib.dump(model, "logreg_%s.joblib" % method, compress=(method, 3))
    # lz4 (joblib uses lz4.frame when python3-lz4 is installed) and zstd: the uncompressed
    # joblib stream compressed by the command-line tools, which write the same frame formats.
    joblib.dump(model, "logreg_plain.joblib.tmp")
    with open("logreg_plain.joblib.tmp", "rb") as f:
        plain = f.read()
    write("logreg_lz4.joblib", cli("lz4", plain))
    write("logreg_zstd.joblib", cli("zstd", plain))
    import os
    os.remove("logreg_plain.joblib.tmp")


def malicious_files():
    payload = malicious_pickle()
    write("malicious.pkl.gz", gzip_bytes(payload, "payload.pkl"))
    write("malicious_gzip.joblib", gzip_bytes(payload))
    write("malicious_zlib.joblib", zlib.compress(payload, 3))
    write("malicious.pkl.bz2", bz2.compress(payload))
    write("malicious.pkl.xz", lzma.compress(payload, format=lzma.FORMAT_XZ))
    write("malicious.pkl.lzma", lzma.compress(payload, format=lzma.FORMAT_ALONE))
    write("malicious.pkl.zst", cli("zstd", payload))
    write("malicious.pkl.lz4", cli("lz4", payload))
    # joblib's pre-0.10 Z-file, which joblib.load still reads ("ZF" + hex length + zlib).
    from joblib.numpy_pickle_compat import write_zfile
    with open("malicious_zfile.pkl", "wb") as f:
        write_zfile(f, payload)

    # The pickle split across two streams: only the concatenated output is the whole pickle.
    half = len(payload) // 2
    write("split_members.gz", gzip_bytes(payload[:half]) + gzip_bytes(payload[half:]))
    write("split_frames.zst", cli("zstd", payload[:half]) + cli("zstd", payload[half:]))
    write("split_streams.xz", lzma.compress(payload[:half]) + lzma.compress(payload[half:]))
    write("split_streams.bz2", bz2.compress(payload[:half]) + bz2.compress(payload[half:]))
    # Zero padding between members: Python's gzip module skips it and reads the next member.
    write("padded_members.gz", gzip_bytes(payload[:half]) + bytes(16) + gzip_bytes(payload[half:]))
    # A zstd frame after zero padding behind a gzip member: analysed as trailing data.
    write("padded_trailing.gz", gzip_bytes(b"plain text\n") + bytes(8) + cli("zstd", payload))
    # A zstd skippable frame (magic 0x184D2A50, size) hiding the pickle, then a clean frame.
    write("skippable.zst", struct.pack("<II", 0x184D2A50, len(payload)) + payload +
          cli("zstd", b"plain text\n"))

    # The pickle, then incompressible bytes, so that a cut stream still holds the whole pickle.
    noise = random.Random(1).randbytes(8192)
    whole = gzip_bytes(payload + noise)
    write("truncated.gz", whole[:len(whole) - 4000])
    write("truncated.xz", lzma.compress(payload + noise)[:-4000])
    bad_crc = bytearray(gzip_bytes(payload))
    bad_crc[-8] ^= 0xFF  # RFC 1952: CRC32 is the first field of the 8-byte trailer
    write("bad_crc.gz", bytes(bad_crc))
    corrupt = bytearray(bz2.compress(payload + noise))
    corrupt[len(corrupt) // 2] ^= 0x55
    write("corrupt.bz2", bytes(corrupt))
    write("trailing_garbage.gz", gzip_bytes(payload) + b"this is not gzip data\n")
    write("zero_padded.gz", gzip_bytes(payload) + bytes(512))
    write("nested.gz.gz", gzip_bytes(gzip_bytes(payload)))
    # A gzipped pickle as a ZIP member: ZIP analyzer -> engine -> this analyzer -> pickle.
    member = zipfile.ZipInfo("model.pkl.gz", date_time=(1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile("gz_in_zip.zip", "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(member, gzip_bytes(payload, "payload.pkl"))
    # Ratio bombs: 64 MiB of zeros in a few kilobytes.
    zeros = bytes(64 << 20)
    write("bomb.bz2", bz2.compress(zeros, 9))
    write("bomb.zst", cli("zstd", zeros, "-19"))


if __name__ == "__main__":
    joblib_files()
    malicious_files()
