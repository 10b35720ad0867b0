#!/usr/bin/env bash
# Start-up cost of `modelgate run`: `modelgate run -- /bin/true` against bare /bin/true and
# against bubblewrap (a bench-only tool: apt-get install bubblewrap) with a comparable
# sandbox, then the monitor's overhead on an import-heavy Python load. Prints markdown tables of
# median wall times (docs/performance.md, "Sandbox start-up").
#   bench/run-startup.sh [BUILD_DIR] [RUNS]
#
# The commands of a table run interleaved (round i runs each once, in turn), so that the slow
# drifts of a shared VM (seconds to minutes) weigh on all of them alike; times come from bash's
# EPOCHREALTIME, which costs no process.
set -euo pipefail

build_dir=${1:-build}
runs=${2:-100}
modelgate="$build_dir/modelgate"
full="$build_dir/modelgate-full"
[[ -x "$modelgate" && -x "$full" ]] || { echo "no $modelgate: build it first" >&2; exit 2; }
have_bwrap=false
command -v bwrap > /dev/null && have_bwrap=true

# Microseconds since the epoch, from EPOCHREALTIME ("seconds.microseconds").
now_us() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000000 + 10#${t#*.} )); }

# interleaved ROUNDS LABEL1 FUNCTION1 LABEL2 FUNCTION2 ...: a markdown row per command with its
# median wall time in milliseconds.
interleaved() {
  local rounds=$1
  shift
  local -a labels=() functions=()
  while (($#)); do labels+=("$1"); functions+=("$2"); shift 2; done
  local -A times=()
  local i k start end
  for ((i = 0; i < rounds; i++)); do
    for k in "${!functions[@]}"; do
      start=$(now_us)
      "${functions[$k]}" > /dev/null 2>&1 || true
      end=$(now_us)
      times[$k]+="$((end - start)) "
    done
  done
  for k in "${!functions[@]}"; do
    printf '| %s | %s |\n' "${labels[$k]}" "$(tr ' ' '\n' <<< "${times[$k]}" | grep . | sort -n |
      awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
                                printf "%.2f", m / 1000 }')"
  done
}

# bubblewrap with the same shape: every namespace, /usr read-only with the merged-/usr links,
# /proc, a minimal /dev, a tmpfs /tmp, dying with its parent.
bwrap_sandbox() {
  bwrap --unshare-all --die-with-parent --new-session --ro-bind /usr /usr \
    --symlink usr/bin /bin --symlink usr/sbin /sbin --symlink usr/lib /lib \
    --symlink usr/lib64 /lib64 --proc /proc --dev /dev --tmpfs /tmp "$@"
}

true_bare() { /bin/true; }
# The front's own start (dynamic loading, option parsing), which every `modelgate run` pays
# before any sandbox work; then the full CLI's, which every other command pays after the front.
true_front_help() { "$modelgate" run --help; }
true_full_version() { "$full" --version; }
true_no_monitor() { "$modelgate" run --no-monitor -- /bin/true; }
true_monitor() { "$modelgate" run -- /bin/true; }
# The same sandbox started from the full CLI (OpenSSL and the rest loaded), as before the split.
true_full_run() { "$full" run -- /bin/true; }
true_bwrap() { bwrap_sandbox /bin/true; }

echo "## /bin/true ($runs interleaved runs, median)"
echo
echo "| Command | Median wall time (ms) |"
echo "|---|---|"
rows=("bare \`/bin/true\`" true_bare
      "\`modelgate run --help\` (the front's own start)" true_front_help
      "\`modelgate-full --version\`" true_full_version
      "\`modelgate run --no-monitor -- /bin/true\`" true_no_monitor
      "\`modelgate run -- /bin/true\` (monitor)" true_monitor
      "\`modelgate-full run -- /bin/true\` (monitor)" true_full_run)
$have_bwrap && rows+=("\`bwrap ... /bin/true\`" true_bwrap)
interleaved "$runs" "${rows[@]}"

code="import numpy, json, email.parser, xml.dom.minidom, decimal, sqlite3"
py_bare() { /usr/bin/python3 -c "$code"; }
py_no_monitor() { "$modelgate" run --no-monitor -- /usr/bin/python3 -c "$code"; }
py_monitor() { "$modelgate" run -- /usr/bin/python3 -c "$code"; }
py_bwrap() { bwrap_sandbox --ro-bind /etc /etc /usr/bin/python3 -c "$code"; }
import_runs=$(( runs / 5 > 3 ? runs / 5 : 3 ))
echo
echo "## Import-heavy Python ($import_runs interleaved runs, median): python3 -c \"$code\""
echo
echo "| Command | Median wall time (ms) |"
echo "|---|---|"
rows=("bare" py_bare "\`modelgate run --no-monitor\`" py_no_monitor
      "\`modelgate run\` (monitor)" py_monitor)
$have_bwrap && rows+=("\`bwrap\`" py_bwrap)
interleaved "$import_runs" "${rows[@]}"
