#!/usr/bin/env bash
# tools/bench.sh: compare ociruntime's container start-up cost with runc and crun.
#
# Scenarios (same busybox rootfs for all three runtimes):
#   run         `RUNTIME run ID` of /bin/true: create + start + wait + delete in one command
#   cycle       `create ID; start ID; delete --force ID` of /bin/true (the sum of the three commands)
#   wasm        `RUNTIME run ID` of a hello-world WebAssembly module (tests/conformance/Wasm/Modules/hello.wat, built
#               with wat2wasm) under run.oci.handler=wasm, for each runtime that has a wasm handler (ociruntime; crun
#               only when its --version lists +WASM); a runtime without one runs a static hello binary (busybox echo)
#   commands    create, state, start, `exec ID /bin/true`, `kill ID KILL` and delete of a `sleep` container, each
#               timed on its own; after create, the VmRSS of the created (not started) container's init, and the
#               peak RSS (ru_maxrss) of the create process itself
#   population  `list` and `state ID` with 1, 50 and 200 created (not started) containers under the runtime's root
#   throughput  4 parallel workers creating and force-deleting distinct containers: containers per second
#
# Every command is timed by tools/bench-time.c (compiled here): wall time from posix_spawn to wait4 of the one
# runtime process, so the measuring overhead is the same for every runtime. Every iteration runs each scenario
# once per runtime, interleaved (and the runtime order rotates per iteration), so slow drift of the machine (page
# cache, CPU frequency, noisy neighbours) hits all runtimes alike. Each runtime has its own --root state dir and
# every container gets a fresh id starting with this run's token, so any cgroup left behind is known to be ours.
#
# Three passes; v1 and v2 each in a private mount namespace of its own (see tools/bench-ns.sh):
#   v1  every scenario, without the hybrid host's cgroup2 mount, which crun refuses;
#   v2  run, cycle and commands, with the host's cgroup2 hierarchy alone at /sys/fs/cgroup: every runtime places its
#       processes as on a pure v2 host (cgroup.procs, its threadgroup lock and RCU grace period, or clone3
#       CLONE_INTO_CGROUP). The controllers stay bound to v1 here, so v2 resource writes are not measured, and the
#       config has no linux.resources: crun cannot load its device eBPF program without raising RLIMIT_MEMLOCK, which
#       needs CAP_SYS_RESOURCE. The config is `spec`'s on a cgroup2 host, so it has a cgroup namespace, as runc's
#       spec and the engines give one there. Without it crun mounts cgroup2 in the host's cgroup namespace, which
#       on kernel 6.18 takes the cgroup threadgroup lock for writing: an RCU grace period (5-13 ms here) whenever no
#       other writer took it within the last one, so crun's time then depended on which runtime ran before it.
#   vm  run and cycle on a real cgroup v2 kernel, Debian's under qemu, with memory, pids and cpu limits in the config
#       (see tools/bench-vm.sh): the v2 resource writes the v2 pass cannot measure here; ratios only.
# A pure v2 host gets the v2 pass only.
#
# Environment: BENCH_WARMUP (default 3), BENCH_ITERS (default 30: run, cycle, commands),
#              BENCH_POPULATIONS (default "1 50 200"), BENCH_POPULATION_REPS (default 10),
#              BENCH_WORKERS (default 4), BENCH_THROUGHPUT_CONTAINERS (default 40 per round),
#              BENCH_THROUGHPUT_ROUNDS (default 3), BENCH_LAYOUTS (default "v1 v2 vm"), BENCH_VM_WARMUP (default 2),
#              BENCH_VM_ITERS (default 15), OCIRUNTIME, RUNC, CRUN (binaries to compare), CC.
# Output: per layout, the detailed figures and a Markdown table on stdout, also written to bench-results/latest.txt.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SELF="$REPO/tools/bench.sh"
WARMUP="${BENCH_WARMUP:-3}"
ITERS="${BENCH_ITERS:-30}"
read -r -a POPULATIONS <<<"${BENCH_POPULATIONS:-1 50 200}"
POPULATION_REPS="${BENCH_POPULATION_REPS:-10}"
WORKERS="${BENCH_WORKERS:-4}"
THROUGHPUT_CONTAINERS="${BENCH_THROUGHPUT_CONTAINERS:-40}"
THROUGHPUT_ROUNDS="${BENCH_THROUGHPUT_ROUNDS:-3}"
RESULTS="$REPO/bench-results/latest.txt"
BENCH_CGROUPS=""   # cgroup layout the runtimes see, for the report (set by tools/bench-ns.sh)
LAYOUT="${BENCH_LAYOUT:-}"   # the pass this process runs (v1 or v2); empty in the process that runs the passes
LOAD_START=""

RUNTIMES=(ociruntime runc crun)
declare -A BIN=(
    [ociruntime]="${OCIRUNTIME:-$REPO/bin/ociruntime}"
    [runc]="${RUNC:-$(command -v runc || echo /usr/sbin/runc)}"
    [crun]="${CRUN:-$(command -v crun || echo /usr/bin/crun)}"
)

# shellcheck source=tools/bench-ns.sh
source "$REPO/tools/bench-ns.sh"
# shellcheck source=tools/bench-vm.sh
source "$REPO/tools/bench-vm.sh"

die() {
    echo "bench.sh: error: $*" >&2
    exit 1
}

log() {
    echo "bench.sh: $*" >&2
}

# --- temp dirs, state and cleanup ------------------------------------------

TMP=""
RUN_TOKEN=""   # prefix of every container id of this run (from the temp dir's random suffix)
BENCH_TIME=""  # the compiled tools/bench-time.c
LEFTOVER_CGROUPS="not checked"

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

# check_leftover_cgroups: after every container was deleted, no cgroup named
# after one of this run's ids may remain on any cgroup mount (each runtime
# nests its cgroups differently, hence the search rather than fixed paths).
# Empty ones are removed, as only this run can have made them; the finding
# goes in the report.
check_leftover_cgroups() {
    local -a mounts found
    mapfile -t mounts < <(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts)
    mapfile -t found < <(find "${mounts[@]}" -mindepth 1 -maxdepth 5 -type d -name "$RUN_TOKEN-*" 2>/dev/null)
    if ((${#found[@]} == 0)); then
        LEFTOVER_CGROUPS="none"
        return
    fi
    LEFTOVER_CGROUPS="${#found[@]} left behind by the runtimes (removed if empty): ${found[*]}"
    log "warning: cgroups left behind: ${found[*]}"
    rmdir "${found[@]}" 2>/dev/null || true
}

# build_timer: compile the timing helper into the temp dir.
build_timer() {
    BENCH_TIME="$TMP/bench-time"
    "${CC:-gcc}" -O2 -Wall -Wextra -Werror -o "$BENCH_TIME" "$REPO/tools/bench-time.c" ||
        die "cannot compile tools/bench-time.c (needs gcc)"
}

# make_bundles: the benchmark bundle (process /bin/true), a "sleeper" bundle
# (a long-running process, so kill has something to signal), a "check"
# bundle that exits 42, used to prove each runtime really runs the container
# process rather than just returning 0, and the "wasm" scenario's bundles: a
# hello module under run.oci.handler=wasm and a static hello binary. All share
# one rootfs.
make_bundles() {
    "$REPO/tools/bundle.sh" "$TMP/bundle" /bin/true >/dev/null
    # crun 1.8 rejects any ociVersion that does not contain "1.0" ("unknown
    # version specified"); ociruntime and runc accept 1.0.2 as well, so use it.
    # No resources in the v2 view (see the top of this file).
    jq --arg layout "$LAYOUT" '.ociVersion = "1.0.2" | if $layout == "v2" then del(.linux.resources) else . end' \
        "$TMP/bundle/config.json" >"$TMP/config.tmp"
    mv "$TMP/config.tmp" "$TMP/bundle/config.json"

    wat2wasm "$REPO/tests/conformance/Wasm/Modules/hello.wat" -o "$TMP/bundle/rootfs/hello.wasm" ||
        die "cannot build the hello module (needs wat2wasm, Debian's wabt)"
    local bundle args annotations
    for bundle in check sleeper wasm hello; do
        annotations='{}'
        case "$bundle" in
        check) args='["/bin/sh", "-c", "exit 42"]' ;;
        sleeper) args='["/bin/sleep", "3600"]' ;;
        wasm) args='["/hello.wasm"]' annotations='{"run.oci.handler": "wasm"}' ;;
        hello) args='["/bin/echo", "hello from wasm"]' ;;
        esac
        mkdir -p "$TMP/$bundle"
        jq --arg root "$TMP/bundle/rootfs" --argjson args "$args" --argjson annotations "$annotations" \
            '.root.path = $root | .process.args = $args | .annotations = $annotations' \
            "$TMP/bundle/config.json" >"$TMP/$bundle/config.json"
    done
}

# hello_bundle NAME: the wasm scenario's bundle for runtime NAME: the module for
# a runtime with a wasm handler, the static hello binary for one without.
hello_bundle() {
    if [[ "$1" == ociruntime ]] || "${BIN[$1]}" --version 2>/dev/null | grep -q '+WASM'; then
        echo "$TMP/wasm"
    else
        echo "$TMP/hello"
    fi
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

# timed SAMPLES NAME ARGS...: `rt NAME ARGS...` under bench-time, which appends
# "µs peak-KiB" to SAMPLES. The command's stdout goes to $TIMED_STDOUT
# (default /dev/null). Aborts on failure: a failing runtime would otherwise
# look fast.
timed() {
    local samples="$1" name="$2" rc=0
    shift 2
    "$BENCH_TIME" "$samples" "${BIN[$name]}" --root "$TMP/state/$name" "$@" \
        </dev/null >"${TIMED_STDOUT:-/dev/null}" 2>>"$TMP/log/$name" || rc=$?
    if ((rc != 0)); then
        show_log "$name"
        die "$name: '$*' exited $rc"
    fi
}

# sample_file KEY NAME RECORD: where a sample of KEY for runtime NAME goes;
# /dev/null during warm-up (RECORD 0).
sample_file() {
    if (($3)); then echo "$TMP/samples/$1.$2"; else echo /dev/null; fi
}

# show_log NAME: last lines of NAME's error log, for failure messages.
show_log() {
    tail -n 5 "$TMP/log/$1" 2>/dev/null | sed 's/^/    /' >&2 || true
}

# status_of NAME ID: the container's status according to `state`.
status_of() {
    "${BIN[$1]}" --root "$TMP/state/$1" state "$2" 2>/dev/null | jq -r .status 2>/dev/null || true
}

# wait_status NAME ID STATUS: poll `state` until it reports STATUS (5 s max).
wait_status() {
    local name="$1" id="$2" want="$3" status="" i
    for ((i = 0; i < 100; i++)); do
        status="$(status_of "$name" "$id")"
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

    id="$RUN_TOKEN-pre-run-$name"
    rt "$name" run --bundle "$TMP/check" "$id" || rc=$?
    if ((rc != 42)); then
        show_log "$name"
        die "$name: 'run' of the check container exited $rc, expected 42 (container did not run)"
    fi

    id="$RUN_TOKEN-pre-wasm-$name"
    rt "$name" run --bundle "$(hello_bundle "$name")" "$id" || { show_log "$name"; die "$name: 'run' of the hello bundle failed"; }

    id="$RUN_TOKEN-pre-cycle-$name"
    rt "$name" create --bundle "$TMP/bundle" "$id" || { show_log "$name"; die "$name: create failed"; }
    wait_status "$name" "$id" created || die "$name: create did not leave the container 'created'"
    rt "$name" start "$id" || { show_log "$name"; die "$name: start failed"; }
    wait_status "$name" "$id" stopped || die "$name: /bin/true did not run to completion after start"
    rt "$name" delete "$id" || { show_log "$name"; die "$name: delete failed"; }
}

# --- scenarios: run, cycle, commands ---------------------------------------

# scenario_run NAME ID RECORD: one `run` of /bin/true.
scenario_run() {
    timed "$(sample_file run "$1" "$3")" "$1" run --bundle "$TMP/bundle" "$2"
}

# scenario_wasm NAME ID RECORD: one `run` of the hello module (or binary).
scenario_wasm() {
    timed "$(sample_file wasm "$1" "$3")" "$1" run --bundle "$(hello_bundle "$1")" "$2"
}

# scenario_cycle NAME ID RECORD: create, start, delete --force of /bin/true;
# the sample is the sum of the three commands. --force rather than polling
# `state` for "stopped": /bin/true has usually exited by then, but --force
# makes the cycle the same three commands whichever state it is in.
scenario_cycle() {
    local name="$1" id="$2" parts="$TMP/cycle.parts"
    : >"$parts"
    timed "$parts" "$name" create --bundle "$TMP/bundle" "$id"
    timed "$parts" "$name" start "$id"
    timed "$parts" "$name" delete --force "$id"
    if (($3)); then
        awk '{ total += $1 } END { print total }' "$parts" >>"$TMP/samples/cycle.$name"
    fi
}

# scenario_commands NAME ID RECORD: each lifecycle command of a sleeper
# container timed on its own, plus the created init's resident memory.
scenario_commands() {
    local name="$1" id="$2" record="$3" pid status
    timed "$(sample_file create "$name" "$record")" "$name" create --bundle "$TMP/sleeper" "$id"
    TIMED_STDOUT="$TMP/state.json" timed "$(sample_file state "$name" "$record")" "$name" state "$id"
    status="$(jq -r .status "$TMP/state.json")"
    pid="$(jq -r .pid "$TMP/state.json")"
    [[ "$status" == created ]] || die "$name: container $id is '$status' after create, expected 'created'"
    if ((record)); then
        awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status" >>"$TMP/samples/init_rss.$name"
    fi
    timed "$(sample_file start "$name" "$record")" "$name" start "$id"
    timed "$(sample_file exec "$name" "$record")" "$name" exec "$id" /bin/true
    timed "$(sample_file kill "$name" "$record")" "$name" kill "$id" KILL
    wait_status "$name" "$id" stopped || die "$name: the sleeper did not stop after kill KILL"
    timed "$(sample_file delete "$name" "$record")" "$name" delete "$id"
}

# bench_loop: warm-up + measured iterations, interleaving runtimes per
# iteration and rotating which runtime goes first.
bench_loop() {
    local total=$((WARMUP + ITERS)) i k n=${#RUNTIMES[@]} record name scenario
    for ((i = 0; i < total; i++)); do
        record=$((i >= WARMUP))
        for scenario in run cycle commands wasm; do
            for ((k = 0; k < n; k++)); do
                name="${RUNTIMES[$(((i + k) % n))]}"
                "scenario_$scenario" "$name" "$RUN_TOKEN-$scenario-$i-$name" "$record"
            done
        done
        if ((i + 1 == WARMUP)); then log "warm-up done ($WARMUP iterations)"; fi
        if ((record && (i - WARMUP + 1) % 10 == 0)); then
            log "measured $((i - WARMUP + 1))/$ITERS iterations"
        fi
    done
}

# --- scenario: list and state with many containers -------------------------

# populate COUNT: create containers (created, not started) under every
# runtime's root until each holds COUNT, interleaved container by container.
POPULATED=0   # population containers each runtime holds, ids pop-0 .. pop-(POPULATED-1)

populate() {
    local want="$1" have name
    for ((; POPULATED < want; POPULATED++)); do
        for name in "${RUNTIMES[@]}"; do
            rt "$name" create --bundle "$TMP/sleeper" "$RUN_TOKEN-pop-$POPULATED" ||
                { show_log "$name"; die "$name: create of container $POPULATED of $want failed"; }
        done
    done
    # `list` must really see them all, or timing it means nothing.
    for name in "${RUNTIMES[@]}"; do
        have="$("${BIN[$name]}" --root "$TMP/state/$name" list -q | grep -c "^$RUN_TOKEN-pop-" || true)"
        ((have == want)) || die "$name: list shows $have containers, $want were created"
    done
}

# depopulate: force-delete every population container, interleaved.
depopulate() {
    local i name
    for ((i = 0; i < POPULATED; i++)); do
        for name in "${RUNTIMES[@]}"; do
            rt "$name" delete --force "$RUN_TOKEN-pop-$i" ||
                { show_log "$name"; die "$name: delete --force of population container $i failed"; }
        done
    done
}

# population_loop: for each population size, `list` and `state` of the first
# container, 2 warm-up + POPULATION_REPS measured rounds, runtimes rotated.
population_loop() {
    local size rep k n=${#RUNTIMES[@]} name record
    for size in "${POPULATIONS[@]}"; do
        populate "$size"
        for ((rep = 0; rep < 2 + POPULATION_REPS; rep++)); do
            record=$((rep >= 2))
            for ((k = 0; k < n; k++)); do
                name="${RUNTIMES[$(((rep + k) % n))]}"
                timed "$(sample_file "list_$size" "$name" "$record")" "$name" list
                timed "$(sample_file "state_$size" "$name" "$record")" "$name" state "$RUN_TOKEN-pop-0"
            done
        done
        log "population $size: list and state measured"
    done
    depopulate
}

# --- scenario: parallel create throughput ----------------------------------

# throughput_worker NAME ROUND WORKER COUNT: create and force-delete COUNT
# containers with ids of its own.
throughput_worker() {
    local name="$1" round="$2" worker="$3" count="$4" j id
    for ((j = 0; j < count; j++)); do
        id="$RUN_TOKEN-tp-$round-$worker-$j"
        rt "$name" create --bundle "$TMP/bundle" "$id" || return 1
        rt "$name" delete --force "$id" || return 1
    done
}

# throughput_round NAME ROUND RECORD: THROUGHPUT_CONTAINERS containers split
# over WORKERS parallel workers; the sample is containers per second of wall
# time from the first worker's start to the last one's end.
throughput_round() {
    local name="$1" round="$2" record="$3" w t0 t1 failed=0
    local per_worker=$((THROUGHPUT_CONTAINERS / WORKERS)) pids=()
    t0="${EPOCHREALTIME/[.,]/}"
    for ((w = 0; w < WORKERS; w++)); do
        throughput_worker "$name" "$round" "$w" "$per_worker" &
        pids+=($!)
    done
    for w in "${pids[@]}"; do wait "$w" || failed=1; done
    t1="${EPOCHREALTIME/[.,]/}"
    if ((failed)); then
        show_log "$name"
        die "$name: a throughput worker failed"
    fi
    if ((record)); then
        awk -v n=$((per_worker * WORKERS)) -v us=$((10#$t1 - 10#$t0)) 'BEGIN { printf "%.2f\n", n / (us / 1e6) }' \
            >>"$TMP/samples/throughput.$name"
    fi
}

# throughput_loop: 1 warm-up + THROUGHPUT_ROUNDS measured rounds, runtimes rotated.
throughput_loop() {
    local round k n=${#RUNTIMES[@]}
    ((THROUGHPUT_CONTAINERS % WORKERS == 0)) ||
        die "BENCH_THROUGHPUT_CONTAINERS ($THROUGHPUT_CONTAINERS) must be a multiple of BENCH_WORKERS ($WORKERS)"
    for ((round = 0; round < 1 + THROUGHPUT_ROUNDS; round++)); do
        for ((k = 0; k < n; k++)); do
            throughput_round "${RUNTIMES[$(((round + k) % n))]}" "$round" $((round >= 1))
        done
    done
    log "throughput measured ($THROUGHPUT_ROUNDS rounds)"
}

# --- statistics and report -------------------------------------------------

# stats FILE COLUMN DIVISOR: "median p90 min max" of column COLUMN of FILE,
# divided by DIVISOR (p90 by nearest rank).
stats() {
    awk -v c="$2" '{ print $c }' "$1" | sort -g | awk -v d="$3" '
        { v[NR] = $1 / d }
        END {
            n = NR
            med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
            r = int(0.9 * n); if (r < 0.9 * n) r++
            printf "%.2f %.2f %.2f %.2f\n", med, v[r], v[1], v[n]
        }'
}

# rows: one line per reported figure, "sample key|column|divisor|unit|label".
# Times are stored in µs, memory in KiB, throughput in containers/s.
rows() {
    echo "run|1|1000|ms|\`run\` of /bin/true"
    echo "cycle|1|1000|ms|create + start + delete --force of /bin/true"
    echo "wasm|1|1000|ms|\`run\` of a hello module (wasm handler; runc, and crun without +WASM: a static hello binary)"
    echo "create|1|1000|ms|\`create\`"
    echo "state|1|1000|ms|\`state\` (created container)"
    echo "start|1|1000|ms|\`start\`"
    echo "exec|1|1000|ms|\`exec ID /bin/true\` (running container)"
    echo "kill|1|1000|ms|\`kill ID KILL\` (running container)"
    echo "delete|1|1000|ms|\`delete\` (stopped container)"
    echo "init_rss|1|1024|MiB|RSS of a created container's init (VmRSS)"
    echo "create|2|1024|MiB|peak RSS of the \`create\` process (ru_maxrss)"
    local size command
    for command in list state; do
        for size in "${POPULATIONS[@]}"; do
            echo "${command}_$size|1|1000|ms|\`$command\` with $size created container$( ((size == 1)) || echo s)"
        done
    done
    echo "throughput|1|1|containers/s|create + delete --force, $WORKERS workers (higher is better)"
}

version_of() {
    "${BIN[$1]}" --version 2>/dev/null | head -n 1
}

report() {
    local key col div unit label name med p90 min max table=""
    declare -A MED
    echo "ociruntime benchmark, cgroup $LAYOUT layout, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "host: $(uname -sr), $(nproc) CPUs; cgroups: $BENCH_CGROUPS"
    echo "load average (1/5/15 min): at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
    for name in "${RUNTIMES[@]}"; do
        printf '  %-11s %s  (%s)\n' "$name" "$(version_of "$name")" "${BIN[$name]}"
    done
    echo "method: same busybox rootfs, fresh container id and own --root per runtime, runtimes"
    echo "        interleaved (order rotated each iteration); each command timed alone, posix_spawn to wait4;"
    echo "        run/cycle/commands: $WARMUP warm-up + $ITERS measured iterations;"
    if [[ "$LAYOUT" == v1 ]]; then
        echo "        list/state: 2 warm-up + $POPULATION_REPS measured per population size;"
        echo "        throughput: $THROUGHPUT_CONTAINERS containers over $WORKERS workers, 1 warm-up + $THROUGHPUT_ROUNDS measured rounds"
    else
        echo "        config without linux.resources (crun cannot raise RLIMIT_MEMLOCK for its device eBPF program here),"
        echo "        with a cgroup namespace (spec's on a cgroup2 host)"
    fi
    echo "cgroups left behind after the run: $LEFTOVER_CGROUPS"
    echo
    printf '  %-58s %-11s %9s %9s %9s %9s\n' figure runtime median p90 min max
    while IFS='|' read -r key col div unit label; do
        # The v2 pass measures run, cycle and the single commands only.
        [[ -s "$TMP/samples/$key.ociruntime" ]] || continue
        for name in "${RUNTIMES[@]}"; do
            read -r med p90 min max < <(stats "$TMP/samples/$key.$name" "$col" "$div")
            MED[$name]="$med"
            printf '  %-58s %-11s %9s %9s %9s %9s\n' "$label ($unit)" "$name" "$med" "$p90" "$min" "$max"
        done
        table+="$(awk -v label="$label ($unit)" -v o="${MED[ociruntime]}" -v r="${MED[runc]}" -v c="${MED[crun]}" \
            'BEGIN { printf "| %s | %.1f | %.1f | %.1f | %.2f | %.2f |", label, o, r, c, o / r, o / c }')"$'\n'
    done < <(rows)
    echo
    echo "Medians; /runc and /crun are ociruntime's median divided by theirs (below 1.0: ociruntime faster"
    echo "or smaller, except throughput, where above 1.0 is better):"
    echo
    echo "| scenario | ociruntime | runc | crun | /runc | /crun |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    printf '%s' "$table"
}

# --- main ------------------------------------------------------------------

# run_layouts: one pass per layout, each a child of this script in a private mount namespace of its own; their reports
# go to stdout and together to bench-results/latest.txt.
run_layouts() {
    local layout layouts="${BENCH_LAYOUTS:-v1 v2 vm}"
    [[ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]] || layouts=v2
    mkdir -p "$(dirname "$RESULTS")"
    : >"$RESULTS.tmp"
    for layout in $layouts; do
        BENCH_LAYOUT="$layout" bash "$SELF" "$@" | tee -a "$RESULTS.tmp"
    done
    mv "$RESULTS.tmp" "$RESULTS"
    log "results written to ${RESULTS#"$REPO"/}"
}

main() {
    local tool name started
    ((EUID == 0)) || die "must run as root (containers need it)"
    for tool in jq unshare mountpoint "${CC:-gcc}"; do
        command -v "$tool" >/dev/null || die "$tool not found"
    done
    case "$LAYOUT" in
    "") run_layouts "$@"; return ;;
    v1) enter_v1_only_mount_ns "$SELF" "$@" ;;
    v2) enter_v2_only_mount_ns "$SELF" "$@" ;;
    vm) ;;
    *) die "BENCH_LAYOUT must be v1, v2 or vm, not '$LAYOUT'" ;;
    esac

    TMP="$(mktemp -d /tmp/ociruntime-bench.XXXXXX)"
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    RUN_TOKEN="b${TMP##*.}"
    RUN_TOKEN="${RUN_TOKEN,,}"
    mkdir -p "$TMP/log" "$TMP/state" "$TMP/samples"

    # Other work on the machine skews every runtime, but not equally; say so.
    LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
    if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n) }'; then
        log "warning: load average $LOAD_START exceeds $(nproc) CPUs; timings will be noisy"
    fi

    build_timer
    make_bundles
    if [[ "$LAYOUT" == vm ]]; then
        vm_pass
        vm_report
        return
    fi
    for name in "${RUNTIMES[@]}"; do
        preflight "$name"
    done
    log "preflight ok: ${RUNTIMES[*]} all run the container; benchmarking..."

    started="$SECONDS"
    bench_loop
    if [[ "$LAYOUT" == v1 ]]; then
        population_loop
        throughput_loop
    fi
    log "$LAYOUT benchmark took $((SECONDS - started)) s"
    check_leftover_cgroups
    report
}

main "$@"
