#!/usr/bin/env bash
# Whole-CLI scan speed on large files and ZIP inflate speed (docs/performance.md, "Scan speed").
#   bench/run-scan-bench.sh [BUILD_DIR]     (default build; needs a Release build)
# Writes bench/data/sparse_10g.safetensors (a 10 GiB sparse file, a few KiB on disk) and, when
# torch is installed, bench/data/torch_2g.pt (2 GiB) once; then runs `modelgate scan` RUNS
# times (default 5) on each under /usr/bin/time -v, printing the median wall time, the largest
# maximum RSS and the median page-fault counts, with and without --sha256; then runs the
# Google Benchmark bench_zip_inflate.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${RUNS:-5}
data=bench/data
cli="$build/modelgate"
[[ -x "$cli" ]] || { echo "build $cli first" >&2; exit 2; }
/usr/bin/python3 bench/make_scan_data.py "$data"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# One value from /usr/bin/time -v output, seconds for the wall clock ("m:ss.cc").
stat_of() {
  awk -F': ' -v key="$1" 'index($0, key) {print $2}' "$2" |
    awk -F: '{ if (NF == 2) print $1 * 60 + $2; else if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 }'
}

printf '| file | size | options | wall (s) | max RSS (MiB) | minor faults | major faults | status |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for file in "$data"/sparse_10g.safetensors "$data"/torch_2g.pt; do
  [[ -f "$file" ]] || continue
  size=$(stat -L -c %s "$file")
  for options in "" "--sha256"; do
    # The --sha256 runs read every byte: one run is enough to show the cost.
    n=$runs; [[ -n "$options" ]] && n=1
    walls=(); rss=(); minor=(); major=()
    for ((i = 0; i < n; i++)); do
      log=$(mktemp)
      # shellcheck disable=SC2086  # $options is empty or one word
      /usr/bin/time -v -o "$log" "$cli" scan --format json --fail-on none $options "$file" \
        >"$log.json"
      walls+=("$(stat_of 'Elapsed (wall clock)' "$log")")
      rss+=("$(stat_of 'Maximum resident set size' "$log")")
      minor+=("$(stat_of 'Minor (reclaiming a frame)' "$log")")
      major+=("$(stat_of 'Major (requiring I/O)' "$log")")
      status=$(/usr/bin/python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['targets'][0]; \
print(t['format'] + ' ' + t['status'] + ', ' + str(len(t['findings'])) + ' findings')" "$log.json")
      rm -f "$log" "$log.json"
    done
    wall=$(printf '%s\n' "${walls[@]}" | median)
    mem=$(printf '%s\n' "${rss[@]}" | sort -g | tail -n 1)
    printf '| %s | %.2f GB | %s | %s | %.1f | %s | %s | %s |\n' "$(basename "$file")" \
      "$(awk -v b="$size" 'BEGIN {print b / 1e9}')" "${options:-(default)}" "$wall" \
      "$(awk -v k="$mem" 'BEGIN {print k / 1024}')" "$(printf '%s\n' "${minor[@]}" | median)" \
      "$(printf '%s\n' "${major[@]}" | median)" "$status"
  done
done

if [[ -x "$build/bench/bench_zip_inflate" ]]; then
  echo
  "$build/bench/bench_zip_inflate" --benchmark_repetitions="${REPS:-3}" \
    --benchmark_report_aggregates_only=true
fi
