// `modelgate scan` confining itself before its parsers run (docs/sandbox.md, "Self-confinement"):
// read-only on the scan targets, no writes (the report file is opened beforehand), no exec, no
// network. Defence in depth: when the kernel lacks a part, the scan runs and the report says so.
#pragma once

#include <string>
#include <vector>

#include "report/report.h"
#include "sandbox/self_confine.h"

namespace mg::sandbox {

// What the scan of `targets` may read: each existing target, and for a file target the folders
// an analyzer reads its companions from (an MLmodel's folder, the Spark ML model folder above a
// metadata/ file). Missing targets are left out (the walk reports them); nothing is writable.
SelfConfinement ScanConfinement(const std::vector<std::string>& targets);

// Opens now what would otherwise be opened lazily once confined (OpenSSL's configuration and
// providers, through a throwaway digest).
void PrepareForConfinement();

// PrepareForConfinement, then ConfineSelf(ScanConfinement(targets)), as the report tells it.
// Call before the engine starts its threads.
Confinement ConfineScan(const std::vector<std::string>& targets);

}  // namespace mg::sandbox
