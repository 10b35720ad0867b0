#!/usr/bin/env bash
# Start-up cost of `modelgate run`: `modelgate run -- /bin/true` against bare /bin/true and
# against bubblewrap (a bench-only tool: apt-get install bubblewrap) with a comparable
# sandbox, then the monitor's overhead on an import-heavy Python load. Prints markdown tables of
# median wall times (docs/performance.md, "Sandbox start-up").
#   bench/run-startup.sh [BUILD_DIR] [RUNS]
set -euo pipefail

build_dir=${1:-build}
runs=${2:-50}
modelgate="$build_dir/modelgate"
[[ -x "$modelgate" ]] || { echo "no $modelgate: build it first" >&2; exit 2; }

# Median wall time in milliseconds of `runs` executions of the command given as arguments.
median_ms() {
  local times=() start end
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@" > /dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n |
    awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
                              printf "%.2f", m / 1000 }'
}

# bubblewrap with the same shape: every namespace, /usr read-only with the merged-/usr links,
# /proc, a minimal /dev, a tmpfs /tmp, dying with its parent.
bwrap_cmd=(bwrap --unshare-all --die-with-parent --new-session --ro-bind /usr /usr
           --symlink usr/bin /bin --symlink usr/sbin /sbin --symlink usr/lib /lib
           --symlink usr/lib64 /lib64 --proc /proc --dev /dev --tmpfs /tmp)

echo "## /bin/true ($runs runs, median)"
echo
echo "| Command | Median wall time (ms) |"
echo "|---|---|"
bare=$(median_ms /bin/true)
echo "| bare \`/bin/true\` | $bare |"
row() { echo "| $1 | $2 |"; }
# The front's own start (dynamic loading, option parsing), which every `modelgate run` pays
# before any sandbox work; then the full CLI's, which every other command pays after the front.
row "\`modelgate run --help\` (the front's own start)" "$(median_ms "$modelgate" run --help)"
row "\`modelgate-full --version\`" "$(median_ms "$build_dir/modelgate-full" --version)"
row "\`modelgate run --no-monitor -- /bin/true\`" \
    "$(median_ms "$modelgate" run --no-monitor -- /bin/true)"
echo "| \`modelgate run -- /bin/true\` (monitor) | $(median_ms "$modelgate" run -- /bin/true) |"
# The same sandbox started from the full CLI (OpenSSL and the rest loaded), as before the split.
row "\`modelgate-full run -- /bin/true\` (monitor)" \
    "$(median_ms "$build_dir/modelgate-full" run -- /bin/true)"
if command -v bwrap > /dev/null; then
  echo "| \`bwrap ... /bin/true\` | $(median_ms "${bwrap_cmd[@]}" /bin/true) |"
else
  echo "| bwrap | not installed |"
fi

import_runs=$(( runs / 5 > 3 ? runs / 5 : 3 ))
code="import numpy, json, email.parser, xml.dom.minidom, decimal, sqlite3"
runs=$import_runs
echo
echo "## Import-heavy Python ($import_runs runs, median): python3 -c \"$code\""
echo
echo "| Command | Median wall time (ms) |"
echo "|---|---|"
echo "| bare | $(median_ms /usr/bin/python3 -c "$code") |"
row "\`modelgate run --no-monitor\`" \
    "$(median_ms "$modelgate" run --no-monitor -- /usr/bin/python3 -c "$code")"
row "\`modelgate run\` (monitor)" "$(median_ms "$modelgate" run -- /usr/bin/python3 -c "$code")"
if command -v bwrap > /dev/null; then
  row "\`bwrap\`" "$(median_ms "${bwrap_cmd[@]}" --ro-bind /etc /etc /usr/bin/python3 -c "$code")"
fi
