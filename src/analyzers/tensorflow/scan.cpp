#include "analyzers/tensorflow/scan.h"

#include <cstdio>

#include "analyzers/tensorflow/rules.h"
#include "engine/scan_context.h"

namespace mg::tensorflow {

TfScan::TfScan(ScanContext& ctx) : ctx_(ctx), findings_(ctx, rule::kFindingsCapped) {}

void TfScan::Malformed(std::string_view message_name, const Error& error) {
  if (stopped_) return;
  stopped_ = true;
  findings_.Incomplete(rule::kMalformed,
                       "The protobuf is malformed inside a " + std::string(message_name) + ": " +
                           error.message + "; the rest of the file was not analysed.",
                       error.offset);
}

void TfScan::LimitReached(std::string message, std::uint64_t offset) {
  if (stopped_) return;
  stopped_ = true;
  findings_.Incomplete(rule::kLimit, std::move(message) + " The rest was not analysed.", offset);
}

bool TfScan::CountNode(std::uint64_t offset) {
  if (stopped_) return false;
  if (++nodes_ > kMaxNodes) {
    LimitReached("The file holds more than " + std::to_string(kMaxNodes) + " nodes.", offset);
    return false;
  }
  // The clock is read every 1024 nodes, not for each.
  if ((nodes_ & 1023) == 0 && ctx_.TimeUp()) {
    stopped_ = true;
    findings_.Incomplete("SCAN-LIMIT-TIME",
                         "The time limit for this file ran out while its graph was walked.",
                         offset);
    return false;
  }
  return true;
}

bool TfScan::CountFunction(std::uint64_t offset) {
  if (stopped_) return false;
  if (++functions_ > kMaxFunctions) {
    LimitReached("The function library holds more than " + std::to_string(kMaxFunctions) +
                     " functions.",
                 offset);
    return false;
  }
  return true;
}

std::string Excerpt(std::string_view text, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      out += static_cast<char>(byte);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    }
  }
  return out;
}

}  // namespace mg::tensorflow
