// Pickles inside a pickle: the argument of pickle.loads and other loaders, computed by
// evaluating pure decoders (base64, hex, zlib...) on constants, then analysed by the engine
// as an embedded member named after the loader and the call's offset.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

#include "analyzers/pickle/decode.h"
#include "analyzers/pickle/vm.h"
#include "core/checked_math.h"
#include "engine/scan_context.h"

namespace mg::pickle {
namespace {

struct LoaderEntry {
  std::string_view module;
  std::string_view name;
  bool takes_file;          // load(file)/Unpickler(file): the data is inside io.BytesIO(...)
  std::string_view format;  // analyzer to force ("" = sniff, e.g. torch.load)
};

constexpr std::array kLoaders = {
    LoaderEntry{"pickle", "loads", false, "pickle"},
    LoaderEntry{"pickle", "_loads", false, "pickle"},
    LoaderEntry{"pickle", "load", true, "pickle"},
    LoaderEntry{"pickle", "_load", true, "pickle"},
    LoaderEntry{"pickle", "Unpickler", true, "pickle"},
    LoaderEntry{"pickle", "_Unpickler", true, "pickle"},
    LoaderEntry{"_pickle", "loads", false, "pickle"},
    LoaderEntry{"_pickle", "load", true, "pickle"},
    LoaderEntry{"_pickle", "Unpickler", true, "pickle"},
    LoaderEntry{"cPickle", "loads", false, "pickle"},
    LoaderEntry{"cPickle", "load", true, "pickle"},
    LoaderEntry{"cPickle", "Unpickler", true, "pickle"},
    LoaderEntry{"dill", "loads", false, "pickle"},
    LoaderEntry{"dill", "load", true, "pickle"},
    LoaderEntry{"dill", "Unpickler", true, "pickle"},
    LoaderEntry{"dill._dill", "loads", false, "pickle"},
    LoaderEntry{"dill._dill", "load", true, "pickle"},
    LoaderEntry{"cloudpickle", "loads", false, "pickle"},
    LoaderEntry{"cloudpickle", "load", true, "pickle"},
    LoaderEntry{"joblib", "load", true, "pickle"},
    LoaderEntry{"numpy.core.numeric", "loads", false, "pickle"},
    LoaderEntry{"torch", "load", true, ""},
    LoaderEntry{"torch.serialization", "load", true, ""},
    // How torch pickles a tensor with plain pickle: the bytes are a whole torch.save file.
    LoaderEntry{"torch.storage", "_load_from_bytes", false, ""},
};

std::string Hex(std::uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

}  // namespace

std::optional<ByteView> Vm::EvalBytes(Value value, int depth, std::string& why) {
  if (depth > kMaxDecodeDepth) {
    why = "more than " + std::to_string(kMaxDecodeDepth) + " stacked decoder calls";
    return std::nullopt;
  }
  if (value.tag() == Tag::kBlob && value.payload() < blobs_.size()) return blobs_[value.payload()];
  if (value.tag() == Tag::kLiteral) {
    auto lit = ReadLiteral(data_, value.payload());
    if (!lit || lit->type == LiteralType::kBigInt || lit->type == LiteralType::kFloat) {
      why = "the argument is a number";
      return std::nullopt;
    }
    if (lit->encoding == TextEncoding::kRaw) return lit->raw;  // a view: no copy
    bool truncated = false;
    auto text = DecodeLiteral(*lit, kMaxNestedPayloadBytes, &truncated);
    if (!text || truncated) {
      why = "the string literal cannot be decoded within the limits";
      return std::nullopt;
    }
    if (!ctx_.ConsumeDecompressed(text->size(), value.payload())) {
      why = "the decoding budget is exhausted";
      return std::nullopt;
    }
    return ctx_.Own(std::vector<std::uint8_t>(text->begin(), text->end()));
  }
  const Node* node = NodeOf(value);
  if (node == nullptr || node->kind != NodeKind::kCall) {
    why = value.tag() == Tag::kOpaque ? "the argument was not modelled (a VM limit)"
                                      : "the argument is not a constant";
    return std::nullopt;
  }
  auto path = CalledPath(value);
  if (!path) {
    why = "the argument is the result of a call the VM cannot resolve";
    return std::nullopt;
  }
  std::string module = path->first;
  std::string name = path->second;
  NormalizeGlobal(module, name);
  return ApplyDecoder(module + "." + name, node->sample[1], depth, why);
}

std::optional<ByteView> Vm::ApplyDecoder(const std::string& function, Value args, int depth,
                                         std::string& why) {
  const Node* tuple = NodeOf(args);
  if (tuple == nullptr || tuple->sample_size == 0) {
    why = function + " is called without arguments the VM knows";
    return std::nullopt;
  }
  std::string encoding;
  if (tuple->sample_size >= 2) {
    encoding = ConstantText(tuple->sample[1], 64).value_or("");
    for (auto& c : encoding) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : encoding) c = c == '-' ? '_' : c;
  }
  enum class Op {
    kIdentity,
    kBase64,
    kBase64Url,
    kHex,
    kFromHex,
    kZlib,
    kGzip,
    kBz2,
    kLzma,
    kLatin1,
    kUnknown
  };
  Op op = Op::kUnknown;
  const bool codec_call = function == "codecs.decode" || function == "_codecs.decode";
  const bool encode_call = function == "codecs.encode" || function == "_codecs.encode" ||
                           function == "builtins.str.encode" || function == "builtins.bytes" ||
                           function == "builtins.bytearray";
  if (function == "base64.b64decode" || function == "base64.standard_b64decode" ||
      function == "base64.decodebytes" || function == "base64.decodestring" ||
      function == "binascii.a2b_base64") {
    op = Op::kBase64;
  } else if (function == "base64.urlsafe_b64decode") {
    op = Op::kBase64Url;
  } else if (function == "binascii.unhexlify" || function == "binascii.a2b_hex" ||
             function == "base64.b16decode") {
    op = Op::kHex;
  } else if (function == "builtins.bytes.fromhex" || function == "builtins.bytearray.fromhex") {
    op = Op::kFromHex;
  } else if (function == "zlib.decompress") {
    op = Op::kZlib;
  } else if (function == "gzip.decompress") {
    op = Op::kGzip;
  } else if (function == "bz2.decompress") {
    op = Op::kBz2;
  } else if (function == "lzma.decompress") {
    op = Op::kLzma;
  } else if (codec_call) {
    if (encoding == "base64" || encoding == "base_64" || encoding == "base64_codec")
      op = Op::kBase64;
    if (encoding == "hex" || encoding == "hex_codec") op = Op::kHex;
    if (encoding == "zlib" || encoding == "zip" || encoding == "zlib_codec") op = Op::kZlib;
    if (encoding == "bz2" || encoding == "bz2_codec") op = Op::kBz2;
    if (encoding == "latin_1" || encoding == "latin1" || encoding == "iso_8859_1" ||
        encoding == "utf_8" || encoding == "utf8" || encoding == "ascii") {
      op = Op::kIdentity;
    }
  } else if (encode_call) {
    // _codecs.encode(text, 'latin1') is how protocol 2 pickles bytes; UTF-8 text comes out
    // unchanged for utf-8 and as code points for latin-1.
    if (encoding.empty() && function != "codecs.encode" && function != "_codecs.encode") {
      op = Op::kIdentity;
    } else if (encoding == "latin_1" || encoding == "latin1" || encoding == "iso_8859_1") {
      op = Op::kLatin1;
    } else if (encoding == "utf_8" || encoding == "utf8" || encoding == "ascii") {
      op = Op::kIdentity;
    }
  }
  if (op == Op::kUnknown) {
    why = "the argument is computed by " + function + ", which the VM does not evaluate";
    return std::nullopt;
  }
  auto input = EvalBytes(tuple->sample[0], depth + 1, why);
  if (!input) return std::nullopt;
  if (op == Op::kIdentity) return input;
  const std::uint64_t ratio_cap =
      CheckedMul(input->size() + 1024, ctx_.limits().max_compression_ratio)
          .value_or(kMaxNestedPayloadBytes);
  const std::uint64_t cap = std::min<std::uint64_t>(kMaxNestedPayloadBytes, ratio_cap);
  Decoded decoded;
  switch (op) {
    case Op::kBase64:
      decoded = Base64Decode(*input, false, cap);
      break;
    case Op::kBase64Url:
      decoded = Base64Decode(*input, true, cap);
      break;
    case Op::kHex:
      decoded = HexDecode(*input, false, cap);
      break;
    case Op::kFromHex:
      decoded = HexDecode(*input, true, cap);
      break;
    case Op::kZlib:
      decoded = Decompress(ctx_, Codec::kZlib, *input, cap);
      break;
    case Op::kGzip:
      decoded = Decompress(ctx_, Codec::kGzip, *input, cap);
      break;
    case Op::kBz2:
      decoded = Decompress(ctx_, Codec::kBzip2, *input, cap);
      break;
    case Op::kLzma:
      decoded = Decompress(ctx_, Codec::kLzma, *input, cap);
      break;
    case Op::kLatin1: {
      // UTF-8 text to Latin-1 bytes; a code point above U+00FF fails like Python's encode.
      const ByteView in = *input;
      for (std::uint64_t i = 0; i < in.size(); ++i) {
        const std::uint8_t c = in[i];
        if (c < 0x80) {
          decoded.bytes.push_back(c);
        } else if ((c == 0xC2 || c == 0xC3) && i + 1 < in.size()) {
          decoded.bytes.push_back(static_cast<std::uint8_t>(((c & 0x1F) << 6) | (in[++i] & 0x3F)));
        } else {
          decoded.status = DecodeStatus::kInvalid;
          decoded.error = "text not encodable as Latin-1";
          break;
        }
      }
      break;
    }
    default:
      break;
  }
  if (decoded.status == DecodeStatus::kTooLarge) {
    why = function + " output is larger than " + std::to_string(cap) + " bytes";
    return std::nullopt;
  }
  if (decoded.status == DecodeStatus::kInvalid) {
    why = function + " fails on its argument (" + decoded.error + ")";
    return std::nullopt;
  }
  if (!decoded.charged && !ctx_.ConsumeDecompressed(decoded.bytes.size(), std::nullopt)) {
    why = "the decoding budget is exhausted";
    return std::nullopt;
  }
  return ctx_.Own(std::move(decoded.bytes));
}

bool Vm::MaybeNestedLoad(const std::string& module, const std::string& name, Value args,
                         std::uint64_t at) {
  const LoaderEntry* loader = nullptr;
  for (const auto& entry : kLoaders) {
    if (entry.module == module && entry.name == name) loader = &entry;
  }
  if (loader == nullptr || options_.probe) return false;
  const std::string member = module + "." + name + "@" + Hex(at);
  const Node* tuple = NodeOf(args);
  std::string why = "it is called without arguments the VM knows";
  std::optional<ByteView> payload;
  if (tuple != nullptr && tuple->sample_size > 0) {
    Value source = tuple->sample[0];
    if (loader->takes_file) {
      // load(io.BytesIO(data)): the file object's constructor holds the data.
      auto ctor = CalledPath(source);
      if (ctor && (ctor->first == "io" || ctor->first == "_io") &&
          (ctor->second == "BytesIO" || ctor->second == "StringIO")) {
        const Node* ctor_args = NodeOf(NodeOf(source)->sample[1]);
        if (ctor_args != nullptr && ctor_args->sample_size > 0) source = ctor_args->sample[0];
      }
    }
    // The same payload loaded again (a memoized argument) is analysed once: otherwise N loads
    // of a pickle that itself loads N times would cost N^depth.
    const Node* source_node = NodeOf(source);
    const std::uint64_t identity =
        source_node != nullptr ? (source_node->offset << 1) | 1 : source.bits << 1;
    if (!nested_seen_.insert(identity).second) return true;
    why.clear();
    payload = EvalBytes(source, 0, why);
  }
  if (!payload) {
    sink_.Add(rule::kNestedUndecoded, member, Severity::kMedium,
              module + "." + name + " at offset " + Hex(at) +
                  " loads data the VM cannot compute (" + why +
                  "); what it loads was not analysed.",
              at, true);
    return false;
  }
  sink_.Add(rule::kNestedPickle, member, Severity::kInfo,
            module + "." + name + " at offset " + Hex(at) + " loads a nested payload of " +
                std::to_string(payload->size()) + " bytes, analysed as member '" + member + "'.",
            at, false, member);
  ctx_.ScanEmbedded(member, *payload, loader->format);
  return true;
}

}  // namespace mg::pickle
