// Which members get their CRC-32 checked (members.cpp WorthCrc, docs/zip.md): every small
// stored member and every member an analyzer takes, but not a large stored member that no
// analyzer takes (a tensor storage), whose bytes are then never read.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "analyzers/zip/members.h"
#include "engine/scan_context.h"
#include "support/findings.h"

namespace mg {
namespace {

struct Member {
  std::string name;
  std::string data;
  bool corrupt_crc = false;
};

void Put16(std::string& out, std::uint32_t value) {
  out += static_cast<char>(value & 0xFF);
  out += static_cast<char>((value >> 8) & 0xFF);
}
void Put32(std::string& out, std::uint32_t value) {
  Put16(out, value & 0xFFFF);
  Put16(out, value >> 16);
}

// Stored members (APPNOTE 4.3.7 local headers, 4.3.12 central headers, 4.3.16 end record).
std::string StoredZip(const std::vector<Member>& members) {
  std::string zip;
  std::string central;
  for (const Member& member : members) {
    auto crc = static_cast<std::uint32_t>(
        crc32_z(0, reinterpret_cast<const Bytef*>(member.data.data()), member.data.size()));
    if (member.corrupt_crc) crc ^= 0xFFFFFFFFu;
    std::string fields;
    Put16(fields, 20);  // version needed
    Put16(fields, 0);   // flags
    Put16(fields, 0);   // stored
    Put32(fields, 0);   // time, date
    Put32(fields, crc);
    Put32(fields, static_cast<std::uint32_t>(member.data.size()));
    Put32(fields, static_cast<std::uint32_t>(member.data.size()));
    Put16(fields, static_cast<std::uint32_t>(member.name.size()));
    Put16(fields, 0);  // extra length
    const auto local_offset = static_cast<std::uint32_t>(zip.size());
    Put32(zip, 0x04034b50);
    zip += fields + member.name + member.data;
    Put32(central, 0x02014b50);
    Put16(central, 20);  // version made by
    central += fields;
    Put16(central, 0);  // comment length
    Put16(central, 0);  // disk
    Put16(central, 0);  // internal attributes
    Put32(central, 0);  // external attributes
    Put32(central, local_offset);
    central += member.name;
  }
  const auto central_offset = static_cast<std::uint32_t>(zip.size());
  zip += central;
  Put32(zip, 0x06054b50);
  Put32(zip, 0);  // disks
  Put16(zip, static_cast<std::uint32_t>(members.size()));
  Put16(zip, static_cast<std::uint32_t>(members.size()));
  Put32(zip, static_cast<std::uint32_t>(central.size()));
  Put32(zip, central_offset);
  Put16(zip, 0);
  return zip;
}

std::vector<std::string> CrcMismatches(const std::string& zip) {
  Target target;
  target.path = "crc.zip";
  ScanContext ctx(target, Limits{});
  AnalyzeBuffer(ctx, ByteView(zip), "zip");
  std::vector<std::string> messages;
  for (const Finding* finding : test::WithRule(target, "ZIP-CRC-MISMATCH")) {
    messages.push_back(finding->message);
  }
  return messages;
}

bool Mentions(const std::vector<std::string>& messages, const std::string& name) {
  for (const auto& message : messages) {
    if (message.find("'" + name + "'") != std::string::npos) return true;
  }
  return false;
}

TEST(ZipCrcScopeTest, LargeStoredMembersNoAnalyzerTakesAreNotRead) {
  const std::string tensor(zip::kAlwaysCrcCheckedBytes + 1, '\x01');
  const std::string small(4096, '\x01');
  const auto messages = CrcMismatches(StoredZip({{"archive/data/0", tensor, true},
                                                 {"archive/data/1", small, true},
                                                 {"archive/data/2", tensor, false}}));
  EXPECT_FALSE(Mentions(messages, "archive/data/0"));
  EXPECT_TRUE(Mentions(messages, "archive/data/1"));
  EXPECT_EQ(messages.size(), 1u);
}

TEST(ZipCrcScopeTest, LargeStoredMembersAnAnalyzerTakesAreChecked) {
  // A protocol 2 pickle padded past the threshold, and a member named *.pkl.
  std::string pickle = "\x80\x02]q\x00.";
  pickle.resize(zip::kAlwaysCrcCheckedBytes + 1, '\0');
  const std::string named(zip::kAlwaysCrcCheckedBytes + 1, 'N');
  const auto messages = CrcMismatches(
      StoredZip({{"archive/sniffed", pickle, true}, {"archive/data.pkl", named, true}}));
  EXPECT_TRUE(Mentions(messages, "archive/sniffed"));
  EXPECT_TRUE(Mentions(messages, "archive/data.pkl"));
}

}  // namespace
}  // namespace mg
