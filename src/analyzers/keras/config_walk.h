// Walks a parsed Keras configuration (a model's config.json, a Keras 2 model_config or
// training_config, a model.to_json() file) and reports every serialized object that makes the
// loader run or import code: Lambda bytecode, modules outside Keras, registered custom
// objects, Keras functions that switch safe mode off, external SavedModels.
#pragma once

#include <string>

#include "core/json.h"
#include "engine/capped_reporter.h"

namespace mg::keras {

// Nesting of JSON values walked; ParseJson's depth limit is lower, so this is a second guard.
inline constexpr std::uint32_t kMaxWalkDepth = 256;

void WalkConfig(CappedReporter& reporter, const Json& root);

}  // namespace mg::keras
