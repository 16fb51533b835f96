#!/usr/bin/env bash
# tools/demo.sh: make a busybox bundle and run it with bin/ociruntime, printing what the container sees.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OCIRUNTIME="$REPO/bin/ociruntime"
work="$(mktemp -d /tmp/ociruntime-demo.XXXXXX)"
trap 'rm -rf "$work"' EXIT

"$REPO/tools/bundle.sh" "$work/bundle" sh -c '
echo "hello from a container run by ociruntime"
echo "hostname: $(hostname)"
echo "pid inside: $$"
echo "user: $(id)"
echo "root is read-only: $(touch /x 2>/dev/null && echo no || echo yes)"
echo "/dev: $(ls /dev | tr "\n" " ")"
grep -E "^Cap(Eff|Bnd)" /proc/self/status'

echo "+ ociruntime run (bundle $work/bundle)"
"$OCIRUNTIME" --root "$work/state" run --bundle "$work/bundle" "demo-$$"
