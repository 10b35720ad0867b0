// Fuzz target: the OMS bundle parser and the statement parser on arbitrary bytes. The input is
// tried as a bundle (then its payload as a statement) and directly as a statement; a parsed
// bundle must serialize to a document that parses again to the same payload and signatures.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "integrity/bundle.h"
#include "integrity/dsse.h"
#include "integrity/statement.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mg::integrity;
  const mg::ByteView input(data, size);
  StatementLimits statement_limits;
  statement_limits.max_resources = 100'000;
  (void)ParseStatement(input, statement_limits);
  mg::Result<Bundle> bundle = ParseBundle(input);
  if (!bundle.ok()) return 0;
  const Bytes& payload = bundle->dsse_envelope.payload;
  (void)ParseStatement(mg::ByteView(payload.data(), payload.size()), statement_limits);
  (void)PreAuthEncoding(bundle->dsse_envelope.payload_type, payload);
  (void)LegacyPreAuthEncodingV02(bundle->dsse_envelope.payload_type, payload);
  const std::string written = SerializeBundle(*bundle);
  mg::Result<Bundle> again = ParseBundle(mg::ByteView(written));
  if (!again.ok() || again->dsse_envelope.payload != payload ||
      again->dsse_envelope.signatures.size() != bundle->dsse_envelope.signatures.size() ||
      again->verification_material.kind != bundle->verification_material.kind) {
    std::abort();  // the writer produced something the parser reads differently
  }
  return 0;
}
