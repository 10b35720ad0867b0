// The allowlist: globals that real model pickles reference and that build data, not behaviour.
// Every entry was either seen in pickles written by the library versions named in
// docs/pickle-globals.md or comes from PyTorch's own weights_only allowlist
// (torch/_weights_only_unpickler.py). The denylist is always consulted first, so a module-wide
// entry here ("sklearn", "*") never admits a gadget the denylist names inside that module.
#include <span>

#include "analyzers/pickle/globals.h"

namespace mg::pickle {
namespace {

constexpr GlobalRule Allow(std::string_view module, std::string_view name, std::string_view reason,
                           std::uint8_t invoked_args = 0) {
  return {module, name,         GlobalCategory::kNone, Severity::kInfo,
          reason, invoked_args, NestedPayload::kNone,  GlobalResolution::kNone};
}

constexpr std::string_view kContainer = "standard container or value type";
constexpr std::string_view kTorchType = "torch dtype, storage or value type";
constexpr std::string_view kTorchRebuild = "torch tensor rebuild helper";
constexpr std::string_view kNumpy = "numpy array, dtype or scalar";
constexpr std::string_view kNumpyRandom = "numpy random state";
constexpr std::string_view kModel = "model or estimator class";
constexpr std::string_view kPandas = "pandas data structure or unpickle helper";

// clang-format off
constexpr GlobalRule kAllowlist[] = {
    // --- Python standard library ---------------------------------------------------------------
    Allow("builtins", "set", kContainer),
    Allow("builtins", "frozenset", kContainer),
    Allow("builtins", "bytearray", kContainer),
    Allow("builtins", "bytes", kContainer),
    Allow("builtins", "complex", kContainer),
    Allow("builtins", "slice", kContainer),
    Allow("builtins", "range", kContainer),
    Allow("builtins", "list", kContainer),
    Allow("builtins", "dict", kContainer),
    Allow("builtins", "tuple", kContainer),
    Allow("builtins", "int", kContainer),
    Allow("builtins", "float", kContainer),
    Allow("builtins", "str", kContainer),
    Allow("builtins", "bool", kContainer),
    Allow("builtins", "object", "base class for copyreg._reconstructor"),
    Allow("builtins", "Ellipsis", kContainer),
    Allow("builtins", "NotImplemented", kContainer),
    // Protocol < 3 writes bytes as _codecs.encode(latin-1 text, "latin1"); codec lookup only
    // imports modules of the `encodings` package.
    Allow("_codecs", "encode", "bytes in protocol 0-2"),
    // Python 3.11 pickles combined enum flags as _operator.or_(flag, flag).
    Allow("_operator", "or_", "enum flag combination"),
    Allow("operator", "or_", "enum flag combination"),
    Allow("collections", "OrderedDict", kContainer),
    // default_factory is called later, when a missing key is read.
    Allow("collections", "defaultdict", kContainer, InvokesArg(0)),
    Allow("collections", "deque", kContainer),
    Allow("collections", "Counter", kContainer),
    Allow("collections", "ChainMap", kContainer),
    Allow("collections", "UserDict", kContainer),
    Allow("collections", "UserList", kContainer),
    Allow("collections", "UserString", kContainer),
    // _reconstructor(cls, base, state) runs base.__new__(cls) and base.__init__(obj, state);
    // __newobj__(cls, *args) and __newobj_ex__ run cls.__new__: the classes are invoked.
    Allow("copyreg", "_reconstructor", "protocol 0-1 object rebuild",
          InvokesArg(0) | InvokesArg(1)),
    Allow("copyreg", "__newobj__", "protocol 2+ object rebuild", InvokesArg(0)),
    Allow("copyreg", "__newobj_ex__", "protocol 2+ object rebuild", InvokesArg(0)),
    Allow("datetime", "date", kContainer),
    Allow("datetime", "datetime", kContainer),
    Allow("datetime", "time", kContainer),
    Allow("datetime", "timedelta", kContainer),
    Allow("datetime", "timezone", kContainer),
    Allow("decimal", "Decimal", kContainer),
    Allow("fractions", "Fraction", kContainer),
    Allow("uuid", "UUID", kContainer),
    Allow("argparse", "Namespace", "training arguments saved in checkpoints"),
    Allow("types", "SimpleNamespace", kContainer),
    Allow("array", "array", kContainer),
    Allow("array", "_array_reconstructor", kContainer),
    // Compiling a pattern runs no code; matching happens only in the loading program.
    Allow("re", "_compile", "compiled regular expression"),
    Allow("re", "compile", "compiled regular expression"),
    // Constructing a path touches nothing; the file methods are on the denylist.
    Allow("pathlib", "Path", "path value"),
    Allow("pathlib", "PosixPath", "path value"),
    Allow("pathlib", "WindowsPath", "path value"),
    Allow("pathlib", "PurePath", "path value"),
    Allow("pathlib", "PurePosixPath", "path value"),
    Allow("pathlib", "PureWindowsPath", "path value"),

    // --- PyTorch -------------------------------------------------------------------------------
    Allow("torch", "Tensor", kTorchType),
    Allow("torch", "Size", kTorchType),
    Allow("torch", "device", kTorchType),
    Allow("torch", "ScriptObject", "packed parameters of quantized modules"),
    Allow("torch", "UntypedStorage", kTorchType),
    Allow("torch", "TypedStorage", kTorchType),
    Allow("torch.storage", "UntypedStorage", kTorchType),
    Allow("torch.storage", "TypedStorage", kTorchType),
    Allow("torch.serialization", "_get_layout", kTorchType),
    Allow("torch.serialization", "StorageType", kTorchType),
    // TorchScript archives (torch.jit.save) pickle lists through these; torch/jit/_pickle.py
    // defines each as returning its argument. Exact entries: they override the torch.jit.*
    // deny rule, which stays for everything else in torch.jit.
    Allow("torch.jit._pickle", "build_intlist", "TorchScript pickle helper: returns its argument"),
    Allow("torch.jit._pickle", "build_tensorlist", "TorchScript pickle helper: returns its argument"),
    Allow("torch.jit._pickle", "build_doublelist", "TorchScript pickle helper: returns its argument"),
    Allow("torch.jit._pickle", "build_boollist", "TorchScript pickle helper: returns its argument"),
    Allow("torch.jit._pickle", "build_tensor_from_id", "TorchScript pickle helper: returns an id"),
    Allow("torch.jit._pickle", "restore_type_tag", "TorchScript pickle helper: returns its value"),
    Allow("torch._utils", "_rebuild_tensor", kTorchRebuild),
    Allow("torch._utils", "_rebuild_tensor_v2", kTorchRebuild),
    Allow("torch._utils", "_rebuild_tensor_v3", kTorchRebuild),
    Allow("torch._utils", "_rebuild_parameter", kTorchRebuild),
    Allow("torch._utils", "_rebuild_parameter_with_state", kTorchRebuild),
    Allow("torch._utils", "_rebuild_qtensor", kTorchRebuild),
    Allow("torch._utils", "_rebuild_sparse_tensor", kTorchRebuild),
    Allow("torch._utils", "_rebuild_sparse_csr_tensor", kTorchRebuild),
    Allow("torch._utils", "_rebuild_meta_tensor_no_storage", kTorchRebuild),
    Allow("torch._utils", "_rebuild_nested_tensor", kTorchRebuild),
    Allow("torch._utils", "_rebuild_device_tensor_from_numpy", kTorchRebuild),
    Allow("torch._utils", "_rebuild_device_tensor_from_cpu_tensor", kTorchRebuild),
    Allow("torch._utils", "_rebuild_xla_tensor", kTorchRebuild),
    Allow("torch._utils", "_rebuild_mps_tensor", kTorchRebuild),
    // _make_wrapper_subclass(cls, ...) instantiates the class passed first.
    Allow("torch._utils", "_rebuild_wrapper_subclass", kTorchRebuild, InvokesArg(0)),
    // (func, new_type, args, state): calls func(*args), then makes it a new_type and sets state.
    Allow("torch._tensor", "_rebuild_from_type", kTorchRebuild, InvokesArg(0) | InvokesArg(1)),
    Allow("torch._tensor", "_rebuild_from_type_v2", kTorchRebuild,
          InvokesArg(0) | InvokesArg(1)),
    Allow("torch", "per_tensor_affine", kTorchType),
    Allow("torch", "per_tensor_symmetric", kTorchType),
    Allow("torch", "per_channel_affine", kTorchType),
    Allow("torch", "per_channel_symmetric", kTorchType),
    Allow("torch", "per_channel_affine_float_qparams", kTorchType),
    // dtypes by canonical name (str(dtype)) and by alias.
    Allow("torch", "float16", kTorchType), Allow("torch", "float32", kTorchType),
    Allow("torch", "float64", kTorchType), Allow("torch", "bfloat16", kTorchType),
    Allow("torch", "half", kTorchType), Allow("torch", "float", kTorchType),
    Allow("torch", "double", kTorchType), Allow("torch", "complex32", kTorchType),
    Allow("torch", "complex64", kTorchType), Allow("torch", "complex128", kTorchType),
    Allow("torch", "chalf", kTorchType), Allow("torch", "cfloat", kTorchType),
    Allow("torch", "cdouble", kTorchType), Allow("torch", "bool", kTorchType),
    Allow("torch", "uint8", kTorchType), Allow("torch", "uint16", kTorchType),
    Allow("torch", "uint32", kTorchType), Allow("torch", "uint64", kTorchType),
    Allow("torch", "int8", kTorchType), Allow("torch", "int16", kTorchType),
    Allow("torch", "int32", kTorchType), Allow("torch", "int64", kTorchType),
    Allow("torch", "short", kTorchType), Allow("torch", "int", kTorchType),
    Allow("torch", "long", kTorchType), Allow("torch", "qint8", kTorchType),
    Allow("torch", "qint32", kTorchType), Allow("torch", "quint8", kTorchType),
    Allow("torch", "quint4x2", kTorchType), Allow("torch", "quint2x4", kTorchType),
    Allow("torch", "float8_e4m3fn", kTorchType), Allow("torch", "float8_e5m2", kTorchType),
    Allow("torch", "float8_e4m3fnuz", kTorchType), Allow("torch", "float8_e5m2fnuz", kTorchType),
    Allow("torch", "float8_e8m0fnu", kTorchType), Allow("torch", "float4_e2m1fn_x2", kTorchType),
    Allow("torch", "uint1", kTorchType), Allow("torch", "uint2", kTorchType),
    Allow("torch", "uint3", kTorchType), Allow("torch", "uint4", kTorchType),
    Allow("torch", "uint5", kTorchType), Allow("torch", "uint6", kTorchType),
    Allow("torch", "uint7", kTorchType), Allow("torch", "int1", kTorchType),
    Allow("torch", "int2", kTorchType), Allow("torch", "int3", kTorchType),
    Allow("torch", "int4", kTorchType), Allow("torch", "int5", kTorchType),
    Allow("torch", "int6", kTorchType), Allow("torch", "int7", kTorchType),
    Allow("torch", "bits1x8", kTorchType), Allow("torch", "bits2x4", kTorchType),
    Allow("torch", "bits4x2", kTorchType), Allow("torch", "bits8", kTorchType),
    Allow("torch", "bits16", kTorchType),
    // Legacy typed storages and tensor types, as torch._storage_classes/_tensor_classes list.
    Allow("torch", "BFloat16Storage", kTorchType), Allow("torch", "BoolStorage", kTorchType),
    Allow("torch", "ByteStorage", kTorchType), Allow("torch", "CharStorage", kTorchType),
    Allow("torch", "ComplexDoubleStorage", kTorchType),
    Allow("torch", "ComplexFloatStorage", kTorchType),
    Allow("torch", "DoubleStorage", kTorchType), Allow("torch", "FloatStorage", kTorchType),
    Allow("torch", "HalfStorage", kTorchType), Allow("torch", "IntStorage", kTorchType),
    Allow("torch", "LongStorage", kTorchType), Allow("torch", "ShortStorage", kTorchType),
    Allow("torch", "QInt32Storage", kTorchType), Allow("torch", "QInt8Storage", kTorchType),
    Allow("torch", "QUInt2x4Storage", kTorchType), Allow("torch", "QUInt4x2Storage", kTorchType),
    Allow("torch", "QUInt8Storage", kTorchType),
    Allow("torch.cuda", "BFloat16Storage", kTorchType),
    Allow("torch.cuda", "BoolStorage", kTorchType), Allow("torch.cuda", "ByteStorage", kTorchType),
    Allow("torch.cuda", "CharStorage", kTorchType),
    Allow("torch.cuda", "ComplexDoubleStorage", kTorchType),
    Allow("torch.cuda", "ComplexFloatStorage", kTorchType),
    Allow("torch.cuda", "DoubleStorage", kTorchType),
    Allow("torch.cuda", "FloatStorage", kTorchType), Allow("torch.cuda", "HalfStorage", kTorchType),
    Allow("torch.cuda", "IntStorage", kTorchType), Allow("torch.cuda", "LongStorage", kTorchType),
    Allow("torch.cuda", "ShortStorage", kTorchType),
    Allow("torch", "BFloat16Tensor", kTorchType), Allow("torch", "BoolTensor", kTorchType),
    Allow("torch", "ByteTensor", kTorchType), Allow("torch", "CharTensor", kTorchType),
    Allow("torch", "DoubleTensor", kTorchType), Allow("torch", "FloatTensor", kTorchType),
    Allow("torch", "HalfTensor", kTorchType), Allow("torch", "IntTensor", kTorchType),
    Allow("torch", "LongTensor", kTorchType), Allow("torch", "ShortTensor", kTorchType),
    Allow("torch.cuda", "BFloat16Tensor", kTorchType),
    Allow("torch.cuda", "BoolTensor", kTorchType), Allow("torch.cuda", "ByteTensor", kTorchType),
    Allow("torch.cuda", "CharTensor", kTorchType), Allow("torch.cuda", "DoubleTensor", kTorchType),
    Allow("torch.cuda", "FloatTensor", kTorchType), Allow("torch.cuda", "HalfTensor", kTorchType),
    Allow("torch.cuda", "IntTensor", kTorchType), Allow("torch.cuda", "LongTensor", kTorchType),
    Allow("torch.cuda", "ShortTensor", kTorchType),
    // Whole-module pickles: layer classes. The torch.nn.functional entries are the activation
    // functions layers store as attributes (TransformerEncoderLayer.activation).
    Allow("torch.nn.modules", "*", "torch.nn layer class"),
    Allow("torch.nn.parameter", "Parameter", "torch.nn.Parameter"),
    Allow("torch.nn.parameter", "UninitializedParameter", "torch.nn lazy parameter"),
    Allow("torch.nn.parameter", "UninitializedBuffer", "torch.nn lazy buffer"),
    Allow("torch.nn.parameter", "Buffer", "torch.nn buffer"),
    Allow("torch.ao.nn", "*", "quantized layer class"),
    Allow("torch.nn.quantized", "*", "quantized layer class"),
    Allow("torch.nn.intrinsic", "*", "fused layer class"),
    Allow("torch.nn.qat", "*", "quantization-aware layer class"),
    Allow("torch.ao.quantization.observer", "*", "quantization observer"),
    Allow("torch.ao.quantization.fake_quantize", "*", "fake-quantize layer"),
    Allow("torch.nn.utils.weight_norm", "WeightNorm", "weight norm hook state"),
    Allow("torch.nn.utils.spectral_norm", "SpectralNorm", "spectral norm hook state"),
    Allow("torch.nn.utils.spectral_norm", "SpectralNormStateDictHook", "spectral norm hook"),
    Allow("torch.nn.utils.spectral_norm", "SpectralNormLoadStateDictPreHook",
          "spectral norm hook"),
    Allow("torch.nn.functional", "relu", "activation function"),
    Allow("torch.nn.functional", "gelu", "activation function"),
    Allow("torch.nn.functional", "silu", "activation function"),
    Allow("torch.nn.functional", "elu", "activation function"),
    Allow("torch.nn.functional", "selu", "activation function"),
    Allow("torch.nn.functional", "celu", "activation function"),
    Allow("torch.nn.functional", "leaky_relu", "activation function"),
    Allow("torch.nn.functional", "relu6", "activation function"),
    Allow("torch.nn.functional", "hardswish", "activation function"),
    Allow("torch.nn.functional", "hardsigmoid", "activation function"),
    Allow("torch.nn.functional", "hardtanh", "activation function"),
    Allow("torch.nn.functional", "mish", "activation function"),
    Allow("torch.nn.functional", "softplus", "activation function"),
    Allow("torch.nn.functional", "softsign", "activation function"),
    Allow("torch.nn.functional", "tanhshrink", "activation function"),
    Allow("torch.nn.functional", "glu", "activation function"),
    Allow("torch.nn.functional", "sigmoid", "activation function"),
    Allow("torch.nn.functional", "tanh", "activation function"),
    Allow("torch.nn.functional", "softmax", "activation function"),
    Allow("torch.nn.functional", "log_softmax", "activation function"),

    // --- NumPy (1.x names under numpy.core, 2.x under numpy._core) -----------------------------
    Allow("numpy", "ndarray", kNumpy),
    Allow("numpy", "dtype", kNumpy),
    Allow("numpy", "matrix", kNumpy),
    Allow("numpy", "recarray", kNumpy),
    Allow("numpy", "record", kNumpy),
    Allow("numpy", "chararray", kNumpy),
    Allow("numpy.core.multiarray", "_reconstruct", kNumpy),
    Allow("numpy.core.multiarray", "scalar", kNumpy),
    Allow("numpy.core.numeric", "_frombuffer", kNumpy),
    Allow("numpy._core.multiarray", "_reconstruct", kNumpy),
    Allow("numpy._core.multiarray", "scalar", kNumpy),
    Allow("numpy._core.numeric", "_frombuffer", kNumpy),
    Allow("numpy.ma.core", "MaskedArray", kNumpy),
    Allow("numpy.ma.core", "_mareconstruct", kNumpy),
    Allow("numpy.dtypes", "*", kNumpy),
    Allow("numpy.polynomial", "*", "numpy polynomial class"),
    Allow("numpy", "bool_", kNumpy), Allow("numpy", "bool", kNumpy),
    Allow("numpy", "int8", kNumpy), Allow("numpy", "int16", kNumpy),
    Allow("numpy", "int32", kNumpy), Allow("numpy", "int64", kNumpy),
    Allow("numpy", "uint8", kNumpy), Allow("numpy", "uint16", kNumpy),
    Allow("numpy", "uint32", kNumpy), Allow("numpy", "uint64", kNumpy),
    Allow("numpy", "intc", kNumpy), Allow("numpy", "uintc", kNumpy),
    Allow("numpy", "intp", kNumpy), Allow("numpy", "uintp", kNumpy),
    Allow("numpy", "byte", kNumpy), Allow("numpy", "ubyte", kNumpy),
    Allow("numpy", "short", kNumpy), Allow("numpy", "ushort", kNumpy),
    Allow("numpy", "longlong", kNumpy), Allow("numpy", "ulonglong", kNumpy),
    Allow("numpy", "float16", kNumpy), Allow("numpy", "float32", kNumpy),
    Allow("numpy", "float64", kNumpy), Allow("numpy", "float96", kNumpy),
    Allow("numpy", "float128", kNumpy), Allow("numpy", "half", kNumpy),
    Allow("numpy", "single", kNumpy), Allow("numpy", "double", kNumpy),
    Allow("numpy", "longdouble", kNumpy), Allow("numpy", "complex64", kNumpy),
    Allow("numpy", "complex128", kNumpy), Allow("numpy", "complex192", kNumpy),
    Allow("numpy", "complex256", kNumpy), Allow("numpy", "csingle", kNumpy),
    Allow("numpy", "cdouble", kNumpy), Allow("numpy", "clongdouble", kNumpy),
    Allow("numpy", "str_", kNumpy), Allow("numpy", "bytes_", kNumpy),
    Allow("numpy", "unicode_", kNumpy), Allow("numpy", "string_", kNumpy),
    Allow("numpy", "object_", kNumpy), Allow("numpy", "void", kNumpy),
    Allow("numpy", "datetime64", kNumpy), Allow("numpy", "timedelta64", kNumpy),
    // The generator constructors call the bit generator constructor passed as argument 1;
    // in NumPy 2 __bit_generator_ctor also accepts a class and calls it.
    Allow("numpy.random._pickle", "__bit_generator_ctor", kNumpyRandom, InvokesArg(0)),
    Allow("numpy.random._pickle", "__generator_ctor", kNumpyRandom, InvokesArg(1)),
    Allow("numpy.random._pickle", "__randomstate_ctor", kNumpyRandom, InvokesArg(1)),
    Allow("numpy.random", "__RandomState_ctor", kNumpyRandom),
    Allow("numpy.random.bit_generator", "SeedSequence", kNumpyRandom),
    Allow("numpy.random.bit_generator", "__pyx_unpickle_SeedSequence", kNumpyRandom),
    Allow("numpy.random._mt19937", "MT19937", kNumpyRandom),
    Allow("numpy.random._pcg64", "PCG64", kNumpyRandom),
    Allow("numpy.random._pcg64", "PCG64DXSM", kNumpyRandom),
    Allow("numpy.random._philox", "Philox", kNumpyRandom),
    Allow("numpy.random._sfc64", "SFC64", kNumpyRandom),
    Allow("numpy.random.mtrand", "RandomState", kNumpyRandom),
    Allow("numpy.random._generator", "Generator", kNumpyRandom),

    // --- SciPy -----------------------------------------------------------------------------------
    Allow("scipy.sparse", "*", "sparse matrix or array"),
    Allow("scipy.stats", "*", "distribution object (search spaces)"),
    Allow("scipy.spatial", "*", "spatial index"),

    // --- scikit-learn, joblib, gradient boosting libraries --------------------------------------
    Allow("sklearn", "*", kModel),
    // (obj) -> obj.__new__(obj): instantiates the class passed.
    Allow("sklearn.metrics._dist_metrics", "newObj", kModel, InvokesArg(0)),
    Allow("sklearn.neighbors._kd_tree", "newObj", kModel, InvokesArg(0)),
    Allow("sklearn.neighbors._ball_tree", "newObj", kModel, InvokesArg(0)),
    Allow("sklearn.neighbors._binary_tree", "newObj", kModel, InvokesArg(0)),
    Allow("joblib.numpy_pickle", "NumpyArrayWrapper", "array stored after the pickle"),
    Allow("xgboost.core", "Booster", kModel),
    Allow("xgboost.sklearn", "XGB*", kModel),
    Allow("xgboost.compat", "XGBoostLabelEncoder", kModel),
    Allow("lightgbm.basic", "Booster", kModel),
    Allow("lightgbm.sklearn", "LGBM*", kModel),
    Allow("lightgbm.compat", "_LGBMLabelEncoder", kModel),

    // --- pandas ----------------------------------------------------------------------------------
    Allow("pandas.core.frame", "DataFrame", kPandas),
    Allow("pandas.core.series", "Series", kPandas),
    Allow("pandas.core.internals", "*", kPandas),
    Allow("pandas.core.indexes", "*", kPandas),
    Allow("pandas.core.arrays", "*", kPandas),
    Allow("pandas.core.dtypes", "*", kPandas),
    Allow("pandas._libs", "*", kPandas),
    // Time zones of tz-aware pandas data; _p(zone, ...) looks the zone up by name in pytz's
    // own database, which rejects path separators.
    Allow("pytz", "_p", "time zone"),
    Allow("pytz", "_UTC", "time zone"),
};
// clang-format on

}  // namespace

std::span<const GlobalRule> AllowlistRules() { return kAllowlist; }

}  // namespace mg::pickle
