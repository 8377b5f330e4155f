#!/usr/bin/env bash
# Installs what pyheapscan needs to build and test, from Debian's packages.
# Idempotent: asks apt only for what is missing.
set -euo pipefail
packages=(gcc pkg-config meson ninja-build libelf-dev libdw-dev libcapstone-dev
          libcmocka-dev libzstd-dev liblz4-dev liblzma-dev zlib1g-dev python3 debootstrap
          util-linux gdb zstd xz-utils lz4 gzip chromium graphviz
          python3-junitparser)  # the oracle of triage's JUnit XML (test_triage_group.py)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
