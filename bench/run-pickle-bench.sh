#!/usr/bin/env bash
# Pickle analysis throughput against CPython's pickletools.genops (docs/performance.md).
#   bench/run-pickle-bench.sh [BUILD_DIR]     (default build; needs a Release build)
# Generates the data files under bench/data/ once (~1.4 GB), then runs each side RUNS times
# (default 3) on each file and prints the median of each as a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${RUNS:-3}
data=bench/data
tool="$build/bench/bench_pickle_file"
[[ -x "$tool" ]] || { echo "build $tool first (make build)" >&2; exit 2; }
python3 bench/make_pickles.py "$data" >/dev/null

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { python3 -c "import json,sys; print(json.loads(sys.stdin.read())['$1'])"; }

printf '| file | size (MB) | CPython genops (s) | modelgate (s) | modelgate (MB/s) | speed-up | peak RssAnon (MiB) |\n'
printf '|---|---|---|---|---|---|---|\n'
for file in "$data"/opcode_dense_p2.pkl "$data"/opcode_dense_p4.pkl "$data"/data_dense_p4.pkl; do
  size=$(stat -L -c %s "$file")
  py_times=(); mg_times=(); mg_mem=()
  for ((i = 0; i < runs; i++)); do
    py_times+=("$(python3 bench/cpython_genops.py "$file" | field seconds)")
    out=$("$tool" "$file")
    [[ $(field status <<<"$out") == complete ]] || { echo "analysis incomplete: $out" >&2; exit 1; }
    mg_times+=("$(field seconds <<<"$out")")
    mg_mem+=("$(field peak_rss_anon_mib <<<"$out")")
  done
  py=$(printf '%s\n' "${py_times[@]}" | median)
  mg=$(printf '%s\n' "${mg_times[@]}" | median)
  mem=$(printf '%s\n' "${mg_mem[@]}" | sort -g | tail -n 1)
  python3 - "$file" "$size" "$py" "$mg" "$mem" <<'PY'
import sys
f, size, py, mg, mem = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
print(f"| {f.split('/')[-1]} | {size/1e6:.0f} | {py:.2f} | {mg:.4f} | {size/mg/1e6:,.0f} | {py/mg:,.0f}x | {mem:.1f} |")
PY
done
