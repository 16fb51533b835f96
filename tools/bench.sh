#!/usr/bin/env bash
# tools/bench.sh: compare ociruntime's container start-up cost with runc and crun.
#
# Scenarios (same bundle for all three runtimes, process /bin/true):
#   run    `RUNTIME run ID`: create + start + wait + delete in one command
#   cycle  `RUNTIME create ID; RUNTIME start ID; RUNTIME delete --force ID`
#
# Every iteration runs each scenario once per runtime, interleaved (and the
# runtime order rotates per iteration), so slow drift of the machine (page
# cache, CPU frequency, noisy neighbours) hits all runtimes alike. Each runtime
# has its own --root state dir and every container gets a fresh id.
#
# crun refuses this machine's hybrid cgroup layout (v1 controllers plus a
# cgroup2 mount at /sys/fs/cgroup/unified), so the whole benchmark re-executes
# itself in a private mount namespace (`unshare -m`) with that cgroup2 mount
# removed. All three runtimes then see the same pure-v1 layout.
#
# Environment: BENCH_WARMUP (default 3), BENCH_ITERS (default 30),
#              OCIRUNTIME, RUNC, CRUN (binaries to compare).
# Output: a table on stdout, also written to bench-results/latest.txt.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SELF="$REPO/tools/bench.sh"
WARMUP="${BENCH_WARMUP:-3}"
ITERS="${BENCH_ITERS:-30}"
RESULTS="$REPO/bench-results/latest.txt"
CGROUPS=""   # cgroup layout the runtimes see, for the report
LOAD_START=""

RUNTIMES=(ociruntime runc crun)
declare -A BIN=(
    [ociruntime]="${OCIRUNTIME:-$REPO/bin/ociruntime}"
    [runc]="${RUNC:-$(command -v runc || echo /usr/sbin/runc)}"
    [crun]="${CRUN:-$(command -v crun || echo /usr/bin/crun)}"
)
SCENARIOS=(run cycle)

die() {
    echo "bench.sh: error: $*" >&2
    exit 1
}

log() {
    echo "bench.sh: $*" >&2
}

# --- namespace set-up ------------------------------------------------------

# in_private_mount_ns: true if our mount namespace differs from our parent's
# (the shell or make that started us). Checked on the namespaces themselves
# rather than trusting an environment marker, so the umount below can never
# hit the host's mount table.
in_private_mount_ns() {
    local mine parent
    mine="$(readlink /proc/self/ns/mnt 2>/dev/null)" || return 1
    parent="$(readlink "/proc/$PPID/ns/mnt" 2>/dev/null)" || return 1
    [[ -n "$mine" && -n "$parent" && "$mine" != "$parent" ]]
}

# enter_private_mount_ns ARGS...: re-exec this script under `unshare -m` (same
# pid, so $PPID stays the caller). Private propagation keeps our umount from
# leaking back to the host.
enter_private_mount_ns() {
    if ! in_private_mount_ns; then
        [[ -z "${__BENCH_REEXECED:-}" ]] || die "unshare -m did not give a private mount namespace"
        exec unshare --mount --propagation private -- \
            env __BENCH_REEXECED=1 bash "$SELF" "$@"
    fi
    # Hybrid hosts: drop the v2 mount so crun accepts the layout. On a pure v2
    # host /sys/fs/cgroup itself is cgroup2 and there is nothing to drop.
    if mountpoint -q /sys/fs/cgroup/unified; then
        umount /sys/fs/cgroup/unified || die "cannot umount /sys/fs/cgroup/unified"
        CGROUPS="v1 only (private mount ns, /sys/fs/cgroup/unified unmounted)"
    elif [[ "$(stat -fc %T /sys/fs/cgroup)" == cgroup2fs ]]; then
        CGROUPS="v2 (unified)"
    else
        CGROUPS="v1"
    fi
}

# --- temp dirs, state and cleanup ------------------------------------------

TMP=""

# cleanup: force-delete any container still registered under our state roots
# (a failed or interrupted iteration can leave one behind, holding cgroups and
# a process), then remove the temp tree. Runs on every exit path.
cleanup() {
    local rc=$? rt id
    trap - EXIT INT TERM
    if [[ -n "$TMP" && -d "$TMP" ]]; then
        for rt in "${RUNTIMES[@]}"; do
            [[ -d "$TMP/state/$rt" ]] || continue
            while read -r id; do
                [[ -n "$id" ]] || continue
                "${BIN[$rt]}" --root "$TMP/state/$rt" delete --force "$id" \
                    </dev/null >/dev/null 2>&1 || true
            done < <("${BIN[$rt]}" --root "$TMP/state/$rt" list -q 2>/dev/null || true)
        done
        rm -rf "$TMP"
    fi
    exit "$rc"
}

# make_bundles: the benchmark bundle (process /bin/true) and a "check" bundle
# that shares its rootfs but exits 42, used to prove each runtime really runs
# the container process rather than just returning 0.
make_bundles() {
    "$REPO/tools/bundle.sh" "$TMP/bundle" /bin/true >/dev/null
    # crun 1.8 rejects any ociVersion that does not contain "1.0" ("unknown
    # version specified"); ociruntime and runc accept 1.0.2 as well, so use it.
    jq '.ociVersion = "1.0.2"' "$TMP/bundle/config.json" >"$TMP/config.tmp"
    mv "$TMP/config.tmp" "$TMP/bundle/config.json"

    mkdir -p "$TMP/check"
    jq --arg root "$TMP/bundle/rootfs" \
        '.root.path = $root | .process.args = ["/bin/sh", "-c", "exit 42"]' \
        "$TMP/bundle/config.json" >"$TMP/check/config.json"
}

# --- running the runtimes --------------------------------------------------

# rt NAME ARGS...: run runtime NAME with its own state root. stdio is detached
# from the terminal (the container inherits it); errors go to NAME's log.
rt() {
    local name="$1"
    shift
    "${BIN[$name]}" --root "$TMP/state/$name" "$@" \
        </dev/null >/dev/null 2>>"$TMP/log/$name"
}

# show_log NAME: last lines of NAME's error log, for failure messages.
show_log() {
    tail -n 5 "$TMP/log/$1" 2>/dev/null | sed 's/^/    /' >&2 || true
}

# wait_status NAME ID STATUS: poll `state` until it reports STATUS (5 s max).
wait_status() {
    local name="$1" id="$2" want="$3" status="" i
    for ((i = 0; i < 100; i++)); do
        status="$("${BIN[$name]}" --root "$TMP/state/$name" state "$id" 2>/dev/null |
            jq -r .status 2>/dev/null || true)"
        [[ "$status" == "$want" ]] && return 0
        sleep 0.05
    done
    log "$name: container $id is '${status:-?}', expected '$want'"
    return 1
}

# preflight NAME: prove that runtime NAME runs containers here, before timing
# anything: `run` must return the container's own exit status (42), and a
# create/start pair must take the container through created -> stopped.
preflight() {
    local name="$1" rc=0 id
    [[ -x "${BIN[$name]}" ]] || die "$name: ${BIN[$name]} not found or not executable"
    mkdir -p "$TMP/state/$name"
    : >"$TMP/log/$name"

    id="pre-run-$name"
    rt "$name" run --bundle "$TMP/check" "$id" || rc=$?
    if ((rc != 42)); then
        show_log "$name"
        die "$name: 'run' of the check container exited $rc, expected 42 (container did not run)"
    fi

    id="pre-cycle-$name"
    rt "$name" create --bundle "$TMP/bundle" "$id" || { show_log "$name"; die "$name: create failed"; }
    wait_status "$name" "$id" created || die "$name: create did not leave the container 'created'"
    rt "$name" start "$id" || { show_log "$name"; die "$name: start failed"; }
    wait_status "$name" "$id" stopped || die "$name: /bin/true did not run to completion after start"
    rt "$name" delete "$id" || { show_log "$name"; die "$name: delete failed"; }
}

# scenario_run NAME ID / scenario_cycle NAME ID: one timed unit of work.
scenario_run() {
    rt "$1" run --bundle "$TMP/bundle" "$2"
}

# The cycle ends in `delete --force` rather than polling `state` for
# "stopped": /bin/true has usually exited by then, but --force makes the
# cycle the same three commands for every runtime whichever state it is in.
scenario_cycle() {
    rt "$1" create --bundle "$TMP/bundle" "$2" &&
        rt "$1" start "$2" &&
        rt "$1" delete --force "$2"
}

# measure SCENARIO NAME ID RECORD: time one scenario; abort on any failure
# (a failing runtime would otherwise look fast); append µs to the sample file
# when RECORD is 1 (i.e. after warm-up).
measure() {
    local scenario="$1" name="$2" id="$3" record="$4" t0 t1 rc=0
    # EPOCHREALTIME is bash's own µs clock: no fork of `date` to skew timings.
    t0="${EPOCHREALTIME/[.,]/}"
    "scenario_$scenario" "$name" "$id" || rc=$?
    t1="${EPOCHREALTIME/[.,]/}"
    if ((rc != 0)); then
        show_log "$name"
        die "$name: scenario '$scenario' (container $id) exited $rc"
    fi
    if ((record)); then
        echo "$((10#$t1 - 10#$t0))" >>"$TMP/samples/$scenario.$name"
    fi
}

# bench_loop: warm-up + measured iterations, interleaving runtimes per
# iteration and rotating which runtime goes first.
bench_loop() {
    local total=$((WARMUP + ITERS)) i k n=${#RUNTIMES[@]} record name scenario
    mkdir -p "$TMP/samples"
    for ((i = 0; i < total; i++)); do
        record=$((i >= WARMUP))
        for scenario in "${SCENARIOS[@]}"; do
            for ((k = 0; k < n; k++)); do
                name="${RUNTIMES[$(((i + k) % n))]}"
                measure "$scenario" "$name" "$scenario-$i-$name" "$record"
            done
        done
        if ((i + 1 == WARMUP)); then log "warm-up done ($WARMUP iterations)"; fi
        if ((record && (i - WARMUP + 1) % 10 == 0)); then
            log "measured $((i - WARMUP + 1))/$ITERS iterations"
        fi
    done
}

# --- statistics and report -------------------------------------------------

# stats FILE: "median p90 min" in ms of the µs samples in FILE (p90 by
# nearest rank).
stats() {
    sort -n "$1" | awk '
        { v[NR] = $1 }
        END {
            n = NR
            med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
            r = int(0.9 * n); if (r < 0.9 * n) r++
            printf "%.2f %.2f %.2f\n", med / 1000, v[r] / 1000, v[1] / 1000
        }'
}

describe() {
    case "$1" in
    run) echo "run: \`RUNTIME run ID\`, process /bin/true (create+start+wait+delete in one command)" ;;
    cycle) echo "cycle: \`create ID; start ID; delete --force ID\`, process /bin/true (three commands)" ;;
    esac
}

version_of() {
    "${BIN[$1]}" --version 2>/dev/null | head -n 1
}

report() {
    local scenario name med p90 min
    declare -A MED
    echo "ociruntime benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "host: $(uname -sr), $(nproc) CPUs; cgroups: $CGROUPS"
    echo "load average (1/5/15 min): at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
    for name in "${RUNTIMES[@]}"; do
        printf '  %-11s %s  (%s)\n' "$name" "$(version_of "$name")" "${BIN[$name]}"
    done
    echo "method: same busybox bundle, fresh container id and own --root per runtime;"
    echo "        $WARMUP warm-up + $ITERS measured iterations, runtimes interleaved per iteration"
    echo "        (order rotated each iteration); wall time per scenario, in ms"
    for scenario in "${SCENARIOS[@]}"; do
        echo
        describe "$scenario"
        printf '  %-11s %9s %9s %9s\n' runtime median p90 min
        for name in "${RUNTIMES[@]}"; do
            read -r med p90 min < <(stats "$TMP/samples/$scenario.$name")
            MED[$name]="$med"
            printf '  %-11s %9s %9s %9s\n' "$name" "$med" "$p90" "$min"
        done
        awk -v o="${MED[ociruntime]}" -v r="${MED[runc]}" -v c="${MED[crun]}" 'BEGIN {
            printf "  median ratio  ociruntime/runc = %.2f   ociruntime/crun = %.2f   (< 1.0: ociruntime faster)\n", o / r, o / c
        }'
    done
}

# --- main ------------------------------------------------------------------

main() {
    local tool name
    ((EUID == 0)) || die "must run as root (containers need it)"
    for tool in jq unshare mountpoint; do
        command -v "$tool" >/dev/null || die "$tool not found"
    done
    enter_private_mount_ns "$@"

    TMP="$(mktemp -d /tmp/ociruntime-bench.XXXXXX)"
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    mkdir -p "$TMP/log" "$TMP/state"

    # Other work on the machine skews every runtime, but not equally; say so.
    LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
    if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n) }'; then
        log "warning: load average $LOAD_START exceeds $(nproc) CPUs; timings will be noisy"
    fi

    make_bundles
    for name in "${RUNTIMES[@]}"; do
        preflight "$name"
    done
    log "preflight ok: ${RUNTIMES[*]} all run the container; benchmarking..."

    bench_loop

    mkdir -p "$(dirname "$RESULTS")"
    report | tee "$RESULTS"
    log "results written to ${RESULTS#"$REPO"/}"
}

main "$@"
