#!/usr/bin/env bash
# Model hashing and verification speed (docs/performance.md, "Hashing a model").
#   bench/hash_model.sh [BUILD_DIR]        (default build; needs a Release build)
# Environment: FILE_MB (default 1024) and FILES (default 4) shape the folder model; BIG_MB
# (default 4096) the single-file model; RUNS (default 3) repetitions, median reported; DATA
# (default bench/data/hash) where the inputs are written once.
# The inputs are real bytes from /dev/urandom (sparse files would measure the kernel's zero
# pages, not reading): one FILE_MB file is drawn, copied FILES-1 times, and the copies are
# concatenated into the BIG_MB file (cut or repeated to size). Everything is read twice before
# timing, so all tools hash from a warm page cache; RAM must hold FILES*FILE_MB + BIG_MB.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
file_mb=${FILE_MB:-1024}
files=${FILES:-4}
big_mb=${BIG_MB:-4096}
runs=${RUNS:-3}
data=${DATA:-bench/data/hash}
cli="$build/modelgate"
[[ -x "$cli" ]] || { echo "build $cli first" >&2; exit 2; }
cores=$(nproc)

folder="$data/folder-${files}x${file_mb}M"
big="$data/big-${big_mb}M.bin"
mkdir -p "$folder"
if [[ ! -f "$folder/f0.bin" || $(stat -c %s "$folder/f0.bin") -ne $((file_mb << 20)) ]]; then
  head -c "$((file_mb << 20))" /dev/urandom > "$folder/f0.bin"
fi
for ((i = 1; i < files; i++)); do
  [[ -f "$folder/f$i.bin" ]] || cp "$folder/f0.bin" "$folder/f$i.bin"
done
if [[ ! -f "$big" || $(stat -c %s "$big") -ne $((big_mb << 20)) ]]; then
  repeats=$(( (big_mb + files * file_mb - 1) / (files * file_mb) ))
  for ((k = 0; k < repeats; k++)); do cat "$folder"/f*.bin; done 2>/dev/null |
    head -c "$((big_mb << 20))" > "$big" || true
fi
cat "$folder"/*.bin "$big" > /dev/null
cat "$folder"/*.bin "$big" > /dev/null
folder_bytes=$(cat "$folder"/*.bin | wc -c)
big_bytes=$(stat -c %s "$big")

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs a command RUNS times; prints "median_wall median_cpu" (cpu = user + system seconds).
measure() {
  local walls=() cpus=() out
  for ((r = 0; r < runs; r++)); do
    out=$( { /usr/bin/time -f '%e %U %S' "$@" > /dev/null; } 2>&1 | tail -1)
    walls+=("$(awk '{print $1}' <<< "$out")")
    cpus+=("$(awk '{print $2 + $3}' <<< "$out")")
  done
  echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median)"
}

row() {  # name bytes command...
  local name=$1 bytes=$2
  shift 2
  read -r wall cpu < <(measure "$@")
  awk -v n="$name" -v b="$bytes" -v w="$wall" -v c="$cpu" -v base="$base_gbs" -v k="$cores" \
    'BEGIN { gbs = b / 1e9 / w; cgbs = (c > 0 ? b / 1e9 / c : 0);
             printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f%% |\n",
                    n, b / 1e9, w, c, gbs, cgbs, 100 * gbs / (base * k) }'
}

# Baseline: single-core OpenSSL on the big file (the same EVP code modelgate calls).
read -r base_wall _ < <(measure openssl dgst -sha256 "$big")
base_gbs=$(awk -v b="$big_bytes" -v w="$base_wall" 'BEGIN { print b / 1e9 / w }')

echo "cores: $cores; load average: $(cut -d' ' -f1-3 /proc/loadavg); runs: $runs (median)"
echo "single-core openssl dgst -sha256: $(printf '%.2f' "$base_gbs") GB/s on $big"
echo
echo "| command | GB | wall (s) | CPU (s) | GB/s wall | GB/s per CPU-second | of openssl x cores |"
echo "|---|---|---|---|---|---|---|"
row "openssl dgst -sha256 (big file, 1 core)" "$big_bytes" openssl dgst -sha256 "$big"
row "sha256sum (big file)" "$big_bytes" sha256sum "$big"
row "sha256sum (folder, one process)" "$folder_bytes" sha256sum "$folder"/*.bin
row "modelgate hash folder, files, 1 thread" "$folder_bytes" "$cli" hash "$folder" --threads 1
row "modelgate hash folder, files" "$folder_bytes" "$cli" hash "$folder"
row "modelgate hash folder, shards" "$folder_bytes" \
  "$cli" hash "$folder" --serialization shards
row "modelgate hash big file, files (1 hash by nature)" "$big_bytes" "$cli" hash "$big"
row "modelgate hash big file, shards" "$big_bytes" "$cli" hash "$big" --serialization shards
row "modelgate hash big file, shards 256 MB" "$big_bytes" \
  "$cli" hash "$big" --serialization shards --shard-size 256000000
row "modelgate hash folder, files, blake2b" "$folder_bytes" "$cli" hash "$folder" --hash blake2b

# Verification hashes the model again and checks one ECDSA signature: it should cost what the
# hash does. The key and signatures live beside the data (never inside the model folder).
key="$data/bench-key.pem"
pub="$data/bench-pub.pem"
[[ -f "$key" ]] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key" 2>/dev/null
openssl pkey -in "$key" -pubout -out "$pub"
"$cli" sign key --private-key "$key" --signature "$data/folder.sig" "$folder" > /dev/null
"$cli" sign key --private-key "$key" --signature "$data/big-shards.sig" \
  --serialization shards "$big" > /dev/null
row "modelgate verify key folder, files" "$folder_bytes" \
  "$cli" verify key --public-key "$pub" --signature "$data/folder.sig" "$folder"
row "modelgate verify key big file, shards" "$big_bytes" \
  "$cli" verify key --public-key "$pub" --signature "$data/big-shards.sig" "$big"
