// DSSE v1 Pre-Authentication Encoding (secure-systems-lab/dsse protocol.md), the bytes an OMS
// signature covers, and the legacy encoding that model_signing v0.2 signed by mistake.
#pragma once

#include <string>
#include <string_view>

#include "integrity/encoding.h"

namespace mg::integrity {

// "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths as ASCII decimal byte counts.
Bytes PreAuthEncoding(std::string_view payload_type, const Bytes& payload);

// model_signing v0.2.0 signed UTF-8("DSSEV1 <len(type)> <type> <len(body)> <repr(body)>") with
// an upper-case V and Python's bytes repr of the body (oms-format-notes §1.3). Only for
// verifying v0.2 signatures; never produced.
Bytes LegacyPreAuthEncodingV02(std::string_view payload_type, const Bytes& payload);

// Python's bytes.__repr__: b'...' (or b"..." when the bytes hold ' but no "), with \\, the
// active quote, \t \n \r escaped, other bytes outside 0x20..0x7e as \xhh.
std::string PythonBytesRepr(const Bytes& bytes);

}  // namespace mg::integrity
