#!/usr/bin/env bash
# tools/install-deps.sh TARGET: installs the Debian packages that tools/packages.txt lists for TARGET (demo, test,
# bench) and that are missing (as root; apt-get update once).
set -euo pipefail
target="$1"
list="$(dirname "${BASH_SOURCE[0]}")/packages.txt"
missing=()
while read -r pkg targets; do
    case "$pkg" in ''|'#'*) continue ;; esac
    [[ " $targets " == *" $target "* ]] || continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < <(awk '{ t=""; for (i = 2; i <= NF && $i ~ /^(demo|test|bench)$/; i++) t = t " " $i; print $1, t }' "$list")
if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-deps: installing for $target: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
