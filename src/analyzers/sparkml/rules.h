// Rule IDs of the Spark ML model analyzer; descriptions and examples in rules.cpp.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "analyzers/sparkml/sql_rules.h"
#include "report/rule.h"

namespace mg::sparkml {

inline constexpr std::string_view kFormatName = "spark-ml";

namespace rule {
inline constexpr std::string_view kMalformed = "SPARKML-MALFORMED-METADATA";
inline constexpr std::string_view kMultipleLines = "SPARKML-MULTIPLE-LINES";
inline constexpr std::string_view kDuplicateKey = "SPARKML-DUPLICATE-KEY";
inline constexpr std::string_view kJdkClass = "SPARKML-JDK-CLASS";
inline constexpr std::string_view kUnknownClass = "SPARKML-UNKNOWN-CLASS";
inline constexpr std::string_view kPythonClass = "SPARKML-PYTHON-CLASS";
inline constexpr std::string_view kPolicyDeniedClass = "SPARKML-POLICY-DENIED-CLASS";
inline constexpr std::string_view kPolicyDeniedModule = "SPARKML-POLICY-DENIED-MODULE";
inline constexpr std::string_view kBadUid = "SPARKML-BAD-UID";
inline constexpr std::string_view kEpmPath = "SPARKML-EPM-PATH";
inline constexpr std::string_view kPathValue = "SPARKML-PATH-VALUE";
inline constexpr std::string_view kLimit = "SPARKML-LIMIT";
inline constexpr std::string_view kSparkVersion = "SPARKML-SPARK-VERSION";
inline constexpr std::string_view kVersionAdvisory = "SPARKML-VERSION-ADVISORY";
inline constexpr std::string_view kMultipleParts = "SPARKML-MULTIPLE-PARTS";
inline constexpr std::string_view kUnexpectedFile = "SPARKML-UNEXPECTED-FILE";
inline constexpr std::string_view kComplexParams = "SPARKML-COMPLEX-PARAMS";
inline constexpr std::string_view kMissingStage = "SPARKML-MISSING-STAGE";
inline constexpr std::string_view kExtraStage = "SPARKML-EXTRA-STAGE";
inline constexpr std::string_view kPositionMismatch = "SPARKML-POSITION-MISMATCH";
inline constexpr std::string_view kBrokenParquet = "SPARKML-BROKEN-PARQUET";
inline constexpr std::string_view kJavaSerialized = "SPARKML-JAVA-SERIALIZED";
inline constexpr std::string_view kFolderIncomplete = "SPARKML-FOLDER-INCOMPLETE";
inline constexpr std::string_view kClassRelease = "SPARKML-CLASS-RELEASE";
inline constexpr std::string_view kUidMismatch = "SPARKML-UID-MISMATCH";
}  // namespace rule

// "SPARKML-SQL-SCRIPT-TRANSFORM" for kScriptTransform, and so on for every SqlIssueKind.
std::string SqlRuleId(sparksql::SqlIssueKind kind);

std::span<const RuleInfo> Rules();

}  // namespace mg::sparkml
