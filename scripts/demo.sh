#!/usr/bin/env bash
# `make demo`: scan examples/ and check that the malicious examples were caught.
set -uo pipefail
bin=${1:-build/modelgate}
cd "$(dirname "$0")/.."
echo "\$ modelgate scan examples/"
"$bin" scan examples/
rc=$?
echo
if [[ $rc -eq 1 ]]; then
  echo "demo: as intended, modelgate found the malicious examples (exit code 1) and passed the clean ones."
  exit 0
fi
echo "demo: unexpected exit code $rc (expected 1: the malicious examples should be found)" >&2
exit 1
