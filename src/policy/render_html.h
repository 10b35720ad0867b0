// The risk assessment of `modelgate check --format html`: one self-contained HTML page a
// reviewer attaches to a deployment approval. The same content as RenderCheckMarkdown (identity
// and digests, provenance, findings with evidence, exceptions, the trial load's attempts, the
// decision with its reasons), laid out for a browser and for print.
//
// The page carries inline CSS only: no scripts, no external URLs, and a Content-Security-Policy
// (default-src 'none'; style-src 'unsafe-inline') so that nothing loads even if a string slipped
// through. Every string taken from the model, its report or the sandbox (paths, member names,
// evidence, signer identities, syscall details) is attacker-controlled and is escaped.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "policy/decide.h"
#include "policy/policy.h"
#include "policy/render_decision.h"

namespace mg::policy {

std::string RenderCheckHtml(const Policy& policy, const std::vector<CheckResult>& results,
                            std::chrono::system_clock::time_point now);

// `raw` made safe as HTML text or a quoted attribute value: terminal controls, bidi characters
// and invalid UTF-8 escaped visibly (TerminalSafe), then & < > " ' as character references.
// Cut at `max_bytes` as TerminalSafe does.
std::string HtmlSafe(std::string_view raw, std::size_t max_bytes = 2000);

}  // namespace mg::policy
