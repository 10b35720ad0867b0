// Rule IDs of the TAR analyzer; descriptions and examples are in rules.cpp.
#pragma once

#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::tar {

namespace rule {
inline constexpr std::string_view kMalformed = "TAR-MALFORMED";
inline constexpr std::string_view kTruncated = "TAR-TRUNCATED";
inline constexpr std::string_view kBadChecksum = "TAR-BAD-CHECKSUM";
inline constexpr std::string_view kDataAfterEnd = "TAR-DATA-AFTER-END";
inline constexpr std::string_view kPathTraversal = "TAR-PATH-TRAVERSAL";
inline constexpr std::string_view kSuspiciousName = "TAR-SUSPICIOUS-NAME";
inline constexpr std::string_view kLinkOutside = "TAR-LINK-OUTSIDE";
inline constexpr std::string_view kLinkCredentials = "TAR-LINK-CREDENTIALS";
inline constexpr std::string_view kThroughLink = "TAR-THROUGH-LINK";
inline constexpr std::string_view kDeviceNode = "TAR-DEVICE-NODE";
inline constexpr std::string_view kFifo = "TAR-FIFO";
inline constexpr std::string_view kDuplicateName = "TAR-DUPLICATE-NAME";
inline constexpr std::string_view kPaxMismatch = "TAR-PAX-MISMATCH";
inline constexpr std::string_view kDataOnNonFile = "TAR-DATA-ON-NON-FILE";
inline constexpr std::string_view kNameDisagreement = "TAR-NAME-DISAGREEMENT";
inline constexpr std::string_view kPolyglot = "TAR-POLYGLOT";
inline constexpr std::string_view kSparse = "TAR-SPARSE";
inline constexpr std::string_view kTooManyMembers = "TAR-TOO-MANY-MEMBERS";
inline constexpr std::string_view kFindingsCapped = "TAR-FINDINGS-CAPPED";
}  // namespace rule

std::span<const RuleInfo> Rules();

}  // namespace mg::tar
