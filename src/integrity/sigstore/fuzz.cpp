// Fuzz target: the Sigstore trusted root parser, checkpoint (signed note) parser and signature
// check, the Rekor body consistency check, and the whole keyless verification of a parsed
// bundle against the built-in trusted root. Every input is tried with each; none may crash,
// hang or allocate without bound.
#include <cstddef>
#include <cstdint>

#include "integrity/bundle.h"
#include "integrity/sigstore/checkpoint.h"
#include "integrity/sigstore/tlog_body.h"
#include "integrity/sigstore/trusted_root.h"
#include "integrity/sigstore/verify_sigstore.h"

namespace {

using namespace mg::integrity::sigstore;

const TrustedRoot& BuiltInRoot() {
  static const TrustedRoot root = [] {
    auto parsed = ParseTrustedRoot(mg::ByteView(DefaultTrustedRootJson()));
    return parsed.ok() ? std::move(*parsed) : TrustedRoot{};
  }();
  return root;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mg::ByteView input(data, size);
  (void)ParseTrustedRoot(input);

  auto checkpoint = ParseCheckpoint(input.AsStringView());
  if (checkpoint.ok()) {
    for (const LogKey& log : BuiltInRoot().tlogs) (void)VerifyCheckpointSignature(*checkpoint, log);
  }

  const Bytes body(data, data + size);
  const Bytes content_bytes = {0x30, 0x01, 0x02};
  const SignedContent content{content_bytes, content_bytes, content_bytes, content_bytes};
  (void)CheckTlogBody(body, "dsse", "0.0.1", content);
  (void)CheckTlogBody(body, "hashedrekord", "0.0.2", content);

  auto bundle = mg::integrity::ParseBundle(input);
  if (bundle.ok()) {
    (void)VerifySigstoreBundle(*bundle, BuiltInRoot(),
                               {"stefanb@us.ibm.com", "https://sigstore.verify.ibm.com/oauth2"});
  }
  return 0;
}
