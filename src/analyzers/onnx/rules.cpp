#include "analyzers/onnx/rules.h"

#include <array>

namespace mg::onnx {
namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kPythonOp, Severity::kHigh, "Operator that runs Python",
             "A node calls an operator that executes Python code when the model runs: ONNX "
             "Runtime's language interop operator PyOp imports the module named by its "
             "'module' attribute and instantiates 'class_name'; ORTModule's PythonOp and "
             "PythonOpGrad call a torch.autograd.Function named by 'func_name'. Whatever the "
             "domain, the model decides which Python code runs.",
             "pyop.custom::PyOp module=os class_name=system"},
    RuleInfo{rule::kCustomOp, Severity::kMedium, "Custom operator domain",
             "A node uses an operator outside the standard domains ('', 'ai.onnx', "
             "'ai.onnx.ml', 'ai.onnx.training', 'ai.onnx.preview.training') that is not a "
             "function defined in the model, or the model imports such a domain. To run it "
             "the runtime must register a custom operator library for the domain, i.e. load "
             "native code that is not part of the model and was not analysed. Make sure the "
             "library is one you trust.",
             "com.example.ops::FastGelu"},
    RuleInfo{rule::kContribOp, Severity::kLow, "ONNX Runtime contrib operator",
             "A node uses an operator of a domain that ONNX Runtime implements in its own "
             "library (com.microsoft, com.microsoft.nchwc, com.microsoft.experimental, "
             "com.ms.internal.nhwc), as ONNX Runtime's transformer optimizer and quantizer "
             "write. No further code is loaded, but the model only runs on ONNX Runtime, and "
             "these kernels are less scrutinised than the standard operators.",
             "com.microsoft::FusedMatMul"},
    RuleInfo{rule::kExternalPath, Severity::kCritical, "External data outside the model",
             "A tensor keeps its data in an external file whose location is absolute, has "
             "'..' segments above the model's folder, a drive letter, a backslash or a URL. "
             "onnx.load and ONNX Runtime read the named file into the tensor: an arbitrary "
             "file read whose content can come back as model output (CVE-2022-25882, "
             "CVE-2024-27318). High when the location stays inside but has '..' segments or "
             "control characters (which onnx.save never writes), or for such a 'basepath'.",
             "location=../../.ssh/id_rsa"},
    RuleInfo{rule::kExternalSymlink, Severity::kMedium, "External data through a symlink",
             "For a model on disk, the path from the model's folder to an external data file "
             "passes through a symbolic link that leads outside the folder; loaders before "
             "onnx 1.21 follow it (CVE-2026-27489). Hugging Face's cache legitimately links "
             "snapshot files to its blobs folder; elsewhere, check where the link points.",
             "location=weights.bin link=model/weights.bin -> /etc/shadow"},
    RuleInfo{rule::kExternalMissing, Severity::kMedium, "External data missing",
             "For a model on disk, an external data file named by a tensor does not exist "
             "beside the model, is not a regular file, or is shorter than the offset and "
             "length the tensor declares. The model cannot be loaded and its weights were not "
             "verified; ship the data file with the model.",
             "location=model.onnx.data offset=0 length=4096 file size=1024"},
    RuleInfo{rule::kExternalInvalid, Severity::kMedium, "External data reference invalid",
             "A tensor's external data entries are unusable or unexpected: data_location "
             "EXTERNAL without a location, an empty or over-long location, an offset or "
             "length that is not a decimal number, or keys other than location, offset, "
             "length, checksum and basepath (onnx.load before 1.21 sets every key as an "
             "attribute of its reader object, CVE-2026-34445).",
             "offset=0x10 length=-1"},
    RuleInfo{rule::kExternalData, Severity::kInfo, "External data file",
             "The model keeps tensor data in a separate file beside it, as onnx.save writes "
             "models over 2 GB. That file is part of the model: ship, hash and sign it with "
             "the model. One finding per file.",
             "location=model.onnx.data"},
    RuleInfo{rule::kMalformed, Severity::kMedium, "Not valid protobuf",
             "The file (or a message inside it) is not valid Protocol Buffers wire format: a "
             "truncated varint, a length past the end of its message, a wire type that does "
             "not exist. onnx and ONNX Runtime refuse such a file; the analysis stopped at "
             "the offset given, so the model is `incomplete`.",
             "protobuf field 7 declares 52 bytes, more than the message holds (at 0x1c)."},
    RuleInfo{rule::kLimit, Severity::kMedium, "Model beyond the analysis limits",
             "The model has more graphs nested in each other (32), nodes (4 million), "
             "attributes (16 million), tensors (4 million), external data entries in one "
             "tensor (64) or external files (4096) than this analyzer follows, or the time "
             "limit ran out. What lies beyond was not analysed: the model is `incomplete`. "
             "Low when only the number of reported external data findings was capped.",
             "graphs nested deeper than 32 levels"},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::onnx
