#!/bin/bash
# tools/method-order.sh [--type-loader]: writes src/OciRuntime/hot-methods.txt, the managed methods that the common
# commands run, in the order first reached. The csproj hands it to the AOT compiler (IlcOrderFile), which places those
# methods first and together: a command then maps about 1.3 MiB of the binary's code
# instead of faulting in pages from all over its 4 MiB (peak RSS and page faults of every command).
#
# Each command of a run, create/start/state/list/ps/exec/pause/resume/events/kill/delete cycle and a failing lookup
# runs under tools/method-trace.c (a one-shot breakpoint on every managed method) on the host's layout, then again in
# a private mount namespace with the cgroup2 hierarchy alone at /sys/fs/cgroup (the v2 paths). Needs the build's
# obj/publish/ociruntime.dbg; rerun after changes to the start-up path (a method missing from the list still works,
# it is only placed with the cold code).
#
# --type-loader: instead, lists each place in our code whose call reaches the runtime's type loader (reflection, or a
# generic virtual call such as LINQ's chained Select), which costs the start-up path hundreds of KiB and microseconds.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$REPO/bin/ociruntime"
DBG="$REPO/obj/publish/ociruntime.dbg"
OUT="$REPO/src/OciRuntime/hot-methods.txt"
[[ -f "$DBG" && -x "$BIN" ]] || { echo "method-order.sh: build first (make build)" >&2; exit 1; }
MODE="${1:-order}"

# remove_containers: a command that failed halfway (set -e) leaves its container; no run leaves one behind.
remove_containers() {
    local dir
    for dir in "$TMP"/state/*/; do
        [[ -d "$dir" ]] && "$BIN" --root "$TMP/state" delete --force "$(basename "$dir")" || true
    done
}

if [[ "${__METHOD_ORDER_V2:-}" != 1 ]]; then
    TMP="$(mktemp -d /tmp/method-order.XXXXXX)"
    trap 'remove_containers; rm -rf "$TMP"' EXIT
    "${CC:-gcc}" -O2 -Wall -Wextra -Werror -o "$TMP/method-trace" "$REPO/tools/method-trace.c"
    # The managed methods: the symbols of the binary's __managedcode section.
    read -r start size < <(readelf -SW "$BIN" | awk '$2 == "__managedcode" { print $4, $6 }')
    nm --defined-only "$DBG" | python3 -c "
import sys
lo, hi, seen = $((16#$start)), $((16#$start + 16#$size)), set()
for line in sys.stdin:
    fields = line.split()
    if len(fields) == 3 and fields[1] in ('t', 'T') and lo <= int(fields[0], 16) < hi and fields[0] not in seen:
        seen.add(fields[0])
        print(fields[0], fields[2])" >"$TMP/symbols"
    "$REPO/tools/bundle.sh" "$TMP/true" /bin/true >/dev/null
    "$REPO/tools/bundle.sh" "$TMP/sleeper" sleep 60 >/dev/null
fi

# traced ARGS...: one command of ours under the tracer, its hits appended to $TMP/hits, type-loader callers to $TMP/callers.
traced() {
    WATCH=$([[ "$MODE" == --type-loader ]] && echo TypeLoader || true) \
        "$TMP/method-trace" "$TMP/symbols" "$TMP/hits" "$BIN" --root "$TMP/state" "$@" 2>>"$TMP/callers" >/dev/null
}

scenarios() {
    local id="mo-$$"
    traced run --bundle "$TMP/true" "$id-run"
    traced create --bundle "$TMP/sleeper" "$id"
    traced start "$id"
    traced state "$id"
    traced list
    traced ps "$id"
    traced exec "$id" true
    traced pause "$id"
    traced resume "$id"
    traced events --stats "$id"
    traced kill "$id" KILL
    traced delete --force "$id"
    traced state "$id" || true
}

if [[ "${__METHOD_ORDER_V2:-}" == 1 ]]; then
    # In our own mount namespace: the cgroup2 hierarchy alone at /sys/fs/cgroup (what a v2-only host shows); its
    # containers are removed here, where their cgroup paths resolve.
    trap remove_containers EXIT
    mount -t cgroup2 none /sys/fs/cgroup
    scenarios
    exit 0
fi

scenarios
if [[ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]]; then
    __METHOD_ORDER_V2=1 TMP="$TMP" unshare --mount --propagation private -- bash "$0" "$MODE"
fi

if [[ "$MODE" == --type-loader ]]; then
    # The first frame of ours in each chain that reaches the type loader.
    grep -v '^==' "$TMP/callers" | sort -u | sed 's/^ */0x/' >"$TMP/addresses" || true
    [[ -s "$TMP/addresses" ]] || { echo "no call reaches the type loader"; exit 0; }
    paste "$TMP/addresses" <(addr2line -f -e "$DBG" $(cat "$TMP/addresses") | paste - - | awk '{ print $1 }') >"$TMP/names"
    awk 'NR == FNR { name[$1] = $2; next }
         /^==/ { found = 0; next }
         !found { a = "0x" $1; n = name[a]; if (n ~ /^OciRuntime|^ociruntime|^System_CommandLine/) { print n; found = 1 } }' \
        <(sed 's/^0x0*/0x/' "$TMP/names") <(sed 's/^ *0*//' "$TMP/callers") | sort | uniq -c | sort -rn
    exit 0
fi
awk '!seen[$0]++' "$TMP/hits" >"$OUT"
echo "method-order.sh: $(wc -l <"$OUT") methods in ${OUT#"$REPO"/}"
