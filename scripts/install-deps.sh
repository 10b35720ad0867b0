#!/usr/bin/env bash
# Installs the Debian 12 packages modelgate needs, and only those that are missing.
#   scripts/install-deps.sh            build and test (CMake, compilers, libraries, GoogleTest,
#                                      Chromium for the headless check of the HTML report)
#   scripts/install-deps.sh --ci       also clang and its sanitizer/libFuzzer runtime (.ci/run)
#   scripts/install-deps.sh --fixtures also the Python libraries that regenerate test fixtures
# As root it runs apt-get; otherwise it prints the exact apt-get line and exits 1.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libssl-dev zlib1g-dev libbz2-dev liblzma-dev liblz4-dev libzstd-dev
  nlohmann-json3-dev libyaml-cpp-dev libseccomp-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jsonschema
  chromium
)
for arg in "$@"; do
  case "$arg" in
    --ci) packages+=(clang-14 libclang-rt-14-dev llvm-14) ;;
    --fixtures) packages+=(python3-numpy python3-joblib python3-sklearn python3-torch
                           python3-xgboost python3-onnx python3-h5py python3-jinja2
                           python3-protobuf python3-cloudpickle python3-yaml) ;;
    *) echo "usage: $0 [--ci] [--fixtures]" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages; run as root:" >&2
  echo "  sudo sh -c '$line'" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
