// joblib.dump (uncompressed) writes each numpy array's bytes right after the BUILD of its
// joblib.numpy_pickle.NumpyArrayWrapper, and its unpickler reads them there (numpy_pickle.py,
// NumpyArrayWrapper.write_array/read_array):
//   - object dtypes: a complete protocol 2 pickle of the array follows (pickle.dump);
//   - other dtypes: if the state has numpy_array_alignment_bytes (joblib >= 1.2), one byte
//     giving a padding length and that many padding bytes, then itemsize * prod(shape) bytes.
#include <cstdio>

#include "analyzers/pickle/vm.h"
#include "core/checked_math.h"

namespace mg::pickle {
namespace {

std::string Hex(std::uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

// "f8" -> 8, "c16" -> 16, "b1" -> 1, "O8" -> 8; 0 when the string has no size.
std::uint64_t ItemSizeFromTypeString(const std::string& type) {
  std::uint64_t size = 0;
  bool digits = false;
  for (char c : type) {
    if (c >= '0' && c <= '9') {
      if (size > 1'000'000'000) return 0;
      size = size * 10 + static_cast<std::uint64_t>(c - '0');
      digits = true;
    } else if (digits) {
      return 0;  // "M8[ns]" style units after the size
    }
  }
  return size;
}

}  // namespace

bool Vm::MaybeSkipJoblibArray(Value object, Value state, std::uint64_t at) {
  const Node* wrapper = NodeOf(object);
  if (wrapper == nullptr) return true;
  auto cls = ResolvePath(wrapper->sample[0], 0);
  if (!cls || cls->second != "NumpyArrayWrapper" ||
      (cls->first != "joblib.numpy_pickle" &&
       cls->first != "sklearn.externals.joblib.numpy_pickle")) {
    return true;
  }
  const Node* dict = NodeOf(state);
  if (dict == nullptr || dict->kind != NodeKind::kDict) {
    return Malformed("joblib NumpyArrayWrapper state is not a dict", at);
  }
  std::optional<Value> dtype, shape;
  bool aligned = false;
  for (std::size_t i = 0; i + 1 < dict->sample_size; i += 2) {
    auto key = ConstantText(dict->sample[i], 64);
    if (!key) continue;
    if (*key == "dtype") dtype = dict->sample[i + 1];
    if (*key == "shape") shape = dict->sample[i + 1];
    if (*key == "numpy_array_alignment_bytes") aligned = dict->sample[i + 1].tag() != Tag::kNone;
  }
  // The dtype is numpy.dtype(type, align, copy) with the BUILD state (version, order, subdescr,
  // names, fields, elsize, alignment, flags).
  const Node* dtype_call = dtype ? NodeOf(*dtype) : nullptr;
  const Node* dtype_args = dtype_call ? NodeOf(dtype_call->sample[1]) : nullptr;
  std::optional<std::string> type;
  if (dtype_args != nullptr && dtype_args->sample_size > 0) {
    type = ConstantText(dtype_args->sample[0], 64);
  }
  const Node* shape_tuple = shape ? NodeOf(*shape) : nullptr;
  const bool layout_known = type && shape_tuple && shape_tuple->kind == NodeKind::kTuple &&
                            shape_tuple->count == shape_tuple->sample_size;
  if (!layout_known) {
    return Fail(RunOutcome::kLimit, rule::kLimit,
                "The joblib array at offset " + Hex(at) +
                    " has a dtype or shape the VM cannot compute, so the raw data after it "
                    "cannot be stepped over; the rest was not analysed.",
                at);
  }
  bool has_object = !type->empty() && (*type)[0] == 'O';
  if (dtype_call->sample_size >= 3 && !has_object) {
    // Structured dtypes: an object field makes joblib pickle the array instead.
    const Node* dstate = NodeOf(dtype_call->sample[2]);
    if (dstate != nullptr && dstate->sample_size > 4 && dstate->sample[4].tag() != Tag::kNone) {
      const std::string fields = Render(dstate->sample[4]);
      has_object = fields.find("numpy.dtype('O") != std::string::npos ||
                   fields.find("numpy.core.multiarray") != std::string::npos;
    }
  }
  if (has_object) {
    frame_end_ = 0;
    FindingSink& sink = sink_;
    VmOptions sub_options;
    sub_options.joblib = false;  // read back with plain pickle.load
    sub_options.probe = options_.probe;
    sub_options.opcode_budget = options_.opcode_budget + opcodes_;
    Vm sub(ctx_, data_, sink, sub_options);
    const RunResult sub_result = sub.Run(pos_);
    opcodes_ += sub_result.opcodes;
    pos_ = sub_result.end;
    if (sub_result.outcome != RunOutcome::kStop) {
      outcome_ = sub_result.outcome;
      return false;
    }
    sink_.Add(rule::kJoblibArray, "object", Severity::kInfo,
              "joblib object arrays are stored as pickles inside the stream; they were analysed.",
              at);
    return true;
  }
  std::uint64_t item_size = 0;
  if (dtype_call->sample_size >= 3) {
    const Node* dstate = NodeOf(dtype_call->sample[2]);
    if (dstate != nullptr && dstate->sample_size > 5 && dstate->sample[5].tag() == Tag::kInt &&
        dstate->sample[5].int_value() > 0) {
      item_size = static_cast<std::uint64_t>(dstate->sample[5].int_value());
    }
  }
  if (item_size == 0) item_size = ItemSizeFromTypeString(*type);
  std::optional<std::uint64_t> total = item_size;
  for (std::size_t i = 0; i < shape_tuple->sample_size && total; ++i) {
    const Value dim = shape_tuple->sample[i];
    if (dim.tag() != Tag::kInt || dim.int_value() < 0) {
      total = std::nullopt;
      break;
    }
    total = CheckedMul(*total, static_cast<std::uint64_t>(dim.int_value()));
  }
  if (item_size == 0 || !total) {
    return Fail(RunOutcome::kLimit, rule::kLimit,
                "The joblib array at offset " + Hex(at) + " (dtype '" + *type +
                    "') has a size the VM cannot compute; the rest was not analysed.",
                at);
  }
  std::uint64_t skip = *total;
  frame_end_ = 0;  // joblib commits the frame before writing raw bytes
  if (aligned) {
    if (pos_ >= data_.size()) return Malformed("joblib padding byte missing", at);
    skip += 1 + data_[pos_];
  }
  if (!RangeFits(pos_, skip, data_.size())) {
    return Malformed(
        "joblib array data (" + std::to_string(skip) + " bytes) runs past the end of the file", at);
  }
  pos_ += skip;
  bool created = false;
  PendingFinding* f = sink_.Touch(rule::kJoblibArray, "raw", Severity::kInfo, at, created);
  if (created && f != nullptr) {
    f->message =
        "joblib raw array data follows the NumpyArrayWrapper; stepped over using its "
        "dtype and shape (first: " +
        *type + ", " + std::to_string(*total) + " bytes).";
  }
  return true;
}

}  // namespace mg::pickle
