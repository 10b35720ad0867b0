// Class references in Hugging Face configs: how transformers' dynamic_module_utils reads
// "module.Class" and "org/repo--module.Class" (get_class_from_dynamic_module splits on "--"
// for the repository, then on the last '.' for the class; the module file is module + ".py").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mg::huggingface {

struct ClassReference {
  std::string repository;          // "org/repo" before "--"; empty: the model's own repository
  std::string module;              // "modeling_foo"
  std::string class_name;          // "FooModel"
  std::string ModuleFile() const;  // "modeling_foo.py" (dots of a package path become '/')
};

// Nullopt when `text` is not a reference (no '.', an empty part, several "--").
std::optional<ClassReference> ParseClassReference(std::string_view text);

// The config files this analyzer reads, by base name.
bool IsConfigName(std::string_view path);

}  // namespace mg::huggingface
