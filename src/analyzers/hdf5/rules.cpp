#include "analyzers/hdf5/rules.h"

#include <array>

namespace mg::hdf5 {

namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kKerasModel, Severity::kInfo, "Keras 2 model in HDF5",
             "The root group carries Keras's model_config (and usually training_config) "
             "attribute: keras.models.load_model rebuilds the model from it. Each attribute "
             "was analysed by the Keras analyzer as member '<model_config attribute>' or "
             "'<training_config attribute>'; their findings carry the verdict. Loading .h5 "
             "files ignores safe_mode (CVE-2025-9905).",
             "keras_version '2.12.0', backend 'tensorflow'"},
    RuleInfo{rule::kKerasVersionAdvisory, Severity::kLow,
             "Saved by a Keras release with advisories",
             "The root group's keras_version is in the affected range of advisories on the "
             "bundled list (docs/advisories.md): the pipeline that produced the model ran a "
             "Keras with known ways to run code while loading, and a loader on the same "
             "release would be exposed. Load it with the fixed release the message names. Low: "
             "the version describes where the model was saved, not where it will be loaded "
             "(`modelgate audit-env` checks the loading environment).",
             "keras_version '2.12.0'"},
    RuleInfo{rule::kMalformed, Severity::kMedium, "HDF5 structure unreadable",
             "The superblock or the root group's object header could not be read: an unknown "
             "version, a truncated file, an address outside the file, continuation blocks "
             "that loop, or a limit. A Keras model_config may be there unseen, so the file is "
             "`incomplete`.",
             "object header continuation blocks form a loop (at offset 0x88)"},
    RuleInfo{rule::kDenseAttributes, Severity::kMedium, "Attributes in dense storage",
             "The root group keeps (some of) its attributes in a fractal heap (an attribute "
             "info message; HDF5 does this for many or large attributes with the 1.8+ file "
             "format). This reader does not decode fractal heaps, so a model_config there "
             "was not analysed: the file is `incomplete`.",
             "attribute info message: fractal heap at 0x1f40"},
    RuleInfo{rule::kUnreadableAttribute, Severity::kMedium, "Keras attribute not readable",
             "A root attribute named model_config or training_config could not be decoded as "
             "one string (a shared datatype, another type, several values, a broken global "
             "heap reference). Keras would read it; this reader could not, so the file is "
             "`incomplete`.",
             "model_config: it holds 3 values, not one"},
};

}  // namespace

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::hdf5
