// Judgements on single names and links, and a reporter that caps repeated findings so a
// hostile archive with a million bad names yields a readable report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/tar/rules.h"
#include "engine/capped_reporter.h"
#include "report/severity.h"

namespace mg {
class ScanContext;
}

namespace mg::tar {

// The shared capped reporter, summarising under TAR-FINDINGS-CAPPED.
class Findings : public CappedReporter {
 public:
  explicit Findings(ScanContext& ctx) : CappedReporter(ctx, rule::kFindingsCapped) {}
};

// A path's components after removing empty and "." ones and applying ".." lexically;
// nullopt when a ".." climbs above the start. Splits on '/' only, as POSIX extractors do.
std::optional<std::vector<std::string>> NormalizePath(std::string_view path);

// The same path as one string ("a/b"), for comparing names; nullopt when it escapes.
std::optional<std::string> NormalizedName(std::string_view path);

// TAR-PATH-TRAVERSAL and TAR-SUSPICIOUS-NAME for a member name. `source` says where the
// name came from ("name", "pax path", "GNU long name") for the message.
void CheckName(Findings& findings, std::string_view name, std::string_view source,
               std::uint64_t header_offset);

// TAR-LINK-OUTSIDE and TAR-LINK-CREDENTIALS for a link member. A symlink's target is relative
// to the link's folder; a hard link's is relative to the archive root (POSIX ustar linkname).
void CheckLink(Findings& findings, std::string_view member, std::string_view target,
               bool symlink, std::uint64_t header_offset);

// True when the path (components, '..' applied without climbing above the start) names a
// credential or secret file: ~/.ssh, /etc/shadow, ~/.aws/credentials, ~/.netrc, ...
bool IsCredentialPath(std::string_view path);

// "0x1a2b" for messages.
std::string Hex(std::uint64_t value);

}  // namespace mg::tar
