// What modelgate knows about MLflow's built-in flavors: their names, the modules pyfunc may import
// as loader_module, and which MLmodel keys hold paths that a loader reads.
#pragma once

#include <string_view>

namespace mg::mlflow {

// A flavor MLflow ships (mlflow/<flavor>/__init__.py defines FLAVOR_NAME).
bool IsKnownFlavor(std::string_view flavor);
// A loader_module that is one of MLflow's own pyfunc entry points.
bool IsMlflowLoaderModule(std::string_view module);

enum class PathUse : std::uint8_t {
  kNone,  // not a path
  kData,  // a file or folder read as data (env files, input examples, model
          // weights)
  kCode,  // loaded as code or unpickled
};

// How the value of `key` inside a flavor is used by its loader.
PathUse FlavorKeyUse(std::string_view flavor, std::string_view key);

}  // namespace mg::mlflow
