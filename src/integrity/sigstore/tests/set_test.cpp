#include "integrity/sigstore/set.h"

#include <gtest/gtest.h>

#include "integrity/sigstore/tests/keyless_fixture.h"

namespace mg::integrity::sigstore {
namespace {

TEST(SigstoreSet, PayloadIsCanonicalJsonWithSortedKeys) {
  const std::string payload =
      SignedEntryTimestampPayload("eyJ9", 1760062340, Bytes{0xc0, 0xd2, 0x3d}, 598151086);
  EXPECT_EQ(payload,
            R"({"body":"eyJ9","integratedTime":1760062340,"logID":"c0d23d","logIndex":598151086})");
}

TEST(SigstoreSet, FixtureTimestampsVerify) {
  const TrustedRoot root = test::PublicGoodRoot();
  for (const std::string& version : test::KeylessVersions()) {
    const test::KeylessFixture f = test::LoadKeyless(version);
    const LogKey* log = root.FindTlog(f.log_id);
    ASSERT_NE(log, nullptr) << version;
    const Status status = VerifySignedEntryTimestamp(f.body_base64, f.integrated_time, f.log_id,
                                                     f.log_index, f.signed_entry_timestamp, *log);
    EXPECT_TRUE(status.ok()) << version << ": " << (status ? "" : status.error().message);
  }
}

TEST(SigstoreSet, AnyChangedFieldFails) {
  const TrustedRoot root = test::PublicGoodRoot();
  const test::KeylessFixture f = test::LoadKeyless("v1.1.0");
  const LogKey* log = root.FindTlog(f.log_id);
  ASSERT_NE(log, nullptr);
  Bytes flipped = f.signed_entry_timestamp;
  flipped[flipped.size() - 2] ^= 0x04;
  EXPECT_FALSE(VerifySignedEntryTimestamp(f.body_base64, f.integrated_time, f.log_id, f.log_index,
                                          flipped, *log)
                   .ok());
  EXPECT_FALSE(VerifySignedEntryTimestamp(f.body_base64, f.integrated_time + 1, f.log_id,
                                          f.log_index, f.signed_entry_timestamp, *log)
                   .ok());
  EXPECT_FALSE(VerifySignedEntryTimestamp(f.body_base64, f.integrated_time, f.log_id,
                                          f.log_index + 1, f.signed_entry_timestamp, *log)
                   .ok());
  std::string body = f.body_base64;
  body[20] = body[20] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifySignedEntryTimestamp(body, f.integrated_time, f.log_id, f.log_index,
                                          f.signed_entry_timestamp, *log)
                   .ok());
  // A body that is not base64 cannot be the canonical JSON the log signed.
  EXPECT_FALSE(VerifySignedEntryTimestamp(f.body_base64 + "\"", f.integrated_time, f.log_id,
                                          f.log_index, f.signed_entry_timestamp, *log)
                   .ok());
}

}  // namespace
}  // namespace mg::integrity::sigstore
