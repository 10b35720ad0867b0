// Rule IDs of the ZIP analyzer; descriptions and examples are in rules.cpp.
#pragma once

#include <span>
#include <string_view>

#include "report/rule.h"

namespace mg::zip {

namespace rule {
inline constexpr std::string_view kMalformed = "ZIP-MALFORMED";
inline constexpr std::string_view kPrependedData = "ZIP-PREPENDED-DATA";
inline constexpr std::string_view kAppendedData = "ZIP-APPENDED-DATA";
inline constexpr std::string_view kUnreferencedData = "ZIP-UNREFERENCED-DATA";
inline constexpr std::string_view kMultipleEndRecords = "ZIP-MULTIPLE-END-RECORDS";
inline constexpr std::string_view kOffsetMismatch = "ZIP-OFFSET-MISMATCH";
inline constexpr std::string_view kZip64 = "ZIP-ZIP64";
inline constexpr std::string_view kMultiDisk = "ZIP-MULTI-DISK";
inline constexpr std::string_view kCountMismatch = "ZIP-COUNT-MISMATCH";
inline constexpr std::string_view kNameMismatch = "ZIP-NAME-MISMATCH";
inline constexpr std::string_view kHeaderMismatch = "ZIP-HEADER-MISMATCH";
inline constexpr std::string_view kDuplicateName = "ZIP-DUPLICATE-NAME";
inline constexpr std::string_view kOverlappingMembers = "ZIP-OVERLAPPING-MEMBERS";
inline constexpr std::string_view kCrcMismatch = "ZIP-CRC-MISMATCH";
inline constexpr std::string_view kSizeMismatch = "ZIP-SIZE-MISMATCH";
inline constexpr std::string_view kFalseEncryption = "ZIP-FALSE-ENCRYPTION-FLAG";
inline constexpr std::string_view kEncrypted = "ZIP-ENCRYPTED";
inline constexpr std::string_view kReservedFlags = "ZIP-RESERVED-FLAGS";
inline constexpr std::string_view kUnsupportedMethod = "ZIP-UNSUPPORTED-METHOD";
inline constexpr std::string_view kDataError = "ZIP-DATA-ERROR";
inline constexpr std::string_view kPathTraversal = "ZIP-PATH-TRAVERSAL";
inline constexpr std::string_view kSuspiciousName = "ZIP-SUSPICIOUS-NAME";
inline constexpr std::string_view kCompressionRatio = "ZIP-COMPRESSION-RATIO";
inline constexpr std::string_view kDeclaredSize = "ZIP-DECLARED-SIZE";
inline constexpr std::string_view kTooManyMembers = "ZIP-TOO-MANY-MEMBERS";
inline constexpr std::string_view kFindingsCapped = "ZIP-FINDINGS-CAPPED";
}  // namespace rule

std::span<const RuleInfo> Rules();

}  // namespace mg::zip
