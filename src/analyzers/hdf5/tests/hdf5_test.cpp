// Tests of the HDF5 reader and analyzer on files written by h5py 3.7 / HDF5 1.10 (superblock 0
// with version 1 object headers; superblock 3 with OHDR/OCHK headers; fixed- and
// variable-length string attributes; a user block) and on crafted broken files, all made by
// tests/fixtures/keras/make_fixtures.py.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/hdf5/attribute.h"
#include "analyzers/hdf5/format.h"
#include "core/mapped_file.h"
#include "engine/engine.h"
#include "engine/scan_context.h"
#include "support/findings.h"
#include "support/test_paths.h"

namespace mg {
namespace {

using test::WithRule;

const std::vector<std::string> kModelConfig = {"<model_config attribute>"};
const std::vector<std::string> kTrainingConfig = {"<training_config attribute>"};

Target Scan(const std::string& relative) {
  return ScanFile((test::FixturesDir() / relative).string(), Limits{});
}

const Finding* OnlyOne(const Target& target, std::string_view rule) {
  const auto found = WithRule(target, rule);
  EXPECT_EQ(found.size(), 1u) << rule;
  return found.size() == 1 ? found[0] : nullptr;
}

TEST(Hdf5AnalyzerTest, CleanKeras2ModelsInEveryLayout) {
  for (const char* name : {"keras2_model.h5", "keras2_model_vlen.h5", "keras2_model_latest.h5"}) {
    const Target target = Scan(std::string("clean/keras/") + name);
    EXPECT_EQ(target.format, "hdf5") << name;
    EXPECT_EQ(target.status, TargetStatus::kComplete) << name;
    const Finding* model = OnlyOne(target, "HDF5-KERAS-MODEL");
    ASSERT_NE(model, nullptr) << name;
    EXPECT_EQ(model->evidence, "keras_version '2.12.0', backend 'tensorflow'") << name;
    // Keras 2.12 has advisories: one low finding naming them and the release fixing them all.
    const Finding* advisory = OnlyOne(target, "HDF5-KERAS-VERSION-ADVISORY");
    ASSERT_NE(advisory, nullptr) << name;
    EXPECT_EQ(advisory->severity, Severity::kLow);
    EXPECT_NE(advisory->message.find("CVE-2024-3660"), std::string::npos) << advisory->message;
    EXPECT_NE(advisory->message.find("all fixed in 3.13.2"), std::string::npos)
        << advisory->message;
    EXPECT_EQ(advisory->evidence, "keras_version '2.12.0'");
    for (const auto& finding : target.findings) {
      if (&finding == advisory) continue;
      EXPECT_EQ(finding.severity, Severity::kInfo)
          << name << ": " << finding.rule << " " << finding.message;
    }
  }
}

TEST(Hdf5AnalyzerTest, WeightsFileHasNoFindings) {
  const Target target = Scan("clean/keras/model.weights.h5");
  EXPECT_EQ(target.format, "hdf5");
  EXPECT_EQ(target.status, TargetStatus::kComplete);
  EXPECT_TRUE(target.findings.empty()) << target.findings.front().rule;
}

TEST(Hdf5AnalyzerTest, LambdaInModelConfigIsFoundInEveryLayout) {
  for (const char* name : {"lambda_keras2.h5", "lambda_keras2_vlen.h5", "lambda_keras2_latest.h5",
                           "lambda_keras2_userblock.h5", "crafted_lambda.h5"}) {
    const Target target = Scan(std::string("malicious/keras/") + name);
    EXPECT_EQ(target.format, "hdf5") << name;
    const Finding* lambda = test::AtMember(target, kModelConfig, "KERAS-LAMBDA-CODE");
    ASSERT_NE(lambda, nullptr) << name;
    EXPECT_EQ(lambda->severity, Severity::kCritical);
    EXPECT_NE(lambda->evidence.find("names: __import__, system; constants: 'os', "
                                    "'curl attacker.invalid'"),
              std::string::npos)
        << name << ": " << lambda->evidence;
  }
}

TEST(Hdf5AnalyzerTest, TrainingConfigIsAnalysedToo) {
  // The clean file's training_config names Keras's own optimizer; analysed, nothing found.
  Target target;
  target.path = (test::FixturesDir() / "clean/keras/keras2_model.h5").string();
  const auto file = MappedFile::Open(target.path);
  ASSERT_TRUE(file.ok());
  auto layout = hdf5::ReadSuperblock(file->view());
  ASSERT_TRUE(layout.ok());
  auto messages = hdf5::ReadObjectHeader(*layout, layout->root_header_address);
  ASSERT_TRUE(messages.ok()) << messages.error().message;
  std::vector<std::string> names;
  for (const auto& message : *messages) {
    if (message.type != hdf5::kMessageAttribute) continue;
    auto attribute = hdf5::ReadAttribute(*layout, message);
    ASSERT_TRUE(attribute.ok());
    names.push_back(attribute->name);
    if (attribute->name != "training_config") continue;
    auto value = hdf5::ReadStringValue(*layout, *attribute);
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(value->AsStringView().substr(0, 10), "{\"loss\": \"");
    EXPECT_EQ(value->AsStringView().back(), '}');
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"backend", "keras_version", "model_config",
                                             "training_config"}));
}

TEST(Hdf5AnalyzerTest, BrokenFilesAreIncomplete) {
  struct Case {
    const char* name;
    const char* rule;
    const char* message_part;
  };
  for (const Case& c : {
           Case{"truncated.h5", "HDF5-MALFORMED", "past the end"},
           Case{"bad_superblock.h5", "HDF5-MALFORMED", "superblock version 7"},
           Case{"looping_continuation.h5", "HDF5-MALFORMED", "loop"},
           Case{"dense_attributes.h5", "HDF5-DENSE-ATTRIBUTES", "dense storage"},
       }) {
    const Target target = Scan(std::string("malicious/keras/") + c.name);
    EXPECT_EQ(target.format, "hdf5") << c.name;
    EXPECT_EQ(target.status, TargetStatus::kIncomplete) << c.name;
    const Finding* finding = OnlyOne(target, c.rule);
    ASSERT_NE(finding, nullptr) << c.name;
    EXPECT_EQ(finding->severity, Severity::kMedium) << c.name;
    EXPECT_NE(finding->message.find(c.message_part), std::string::npos)
        << c.name << ": " << finding->message;
  }
}

TEST(Hdf5AnalyzerTest, EveryPrefixOfAModelIsHandled) {
  const std::string bytes =
      test::ReadFile(test::FixturesDir() / "malicious/keras/lambda_keras2_latest.h5");
  for (std::size_t size = 0; size < bytes.size(); size += 97) {
    Target target;
    target.path = "prefix.h5";
    ScanContext ctx(target, Limits{});
    AnalyzeBuffer(ctx, ByteView(std::string_view(bytes).substr(0, size)), "hdf5");
    // Either the lambda was reached or the file is incomplete: never clean.
    const bool lambda = !WithRule(target, "KERAS-LAMBDA-CODE").empty();
    EXPECT_TRUE(lambda || target.status == TargetStatus::kIncomplete) << size;
  }
}

}  // namespace
}  // namespace mg
