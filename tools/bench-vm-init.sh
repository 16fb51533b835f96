#!/bin/busybox sh
# tools/bench-vm-init.sh: PID 1 of bench.sh's vm pass (tools/bench-vm.sh puts it in the initramfs as /init).
#
# Debian's kernel, booted under qemu, is a pure cgroup v2 host whose controllers are v2's: every runtime writes
# memory.max, pids.max, cpu.weight and cpu.max and attaches its device eBPF program, as on a production v2 host.
# Runs `run` and create + start + delete --force of /bin/true for each runtime, interleaved and rotated as bench.sh
# does, each command timed by bench-time; prints every sample as "@@ sample KEY RUNTIME MICROSECONDS" on the serial
# console and powers off. /bench.env (written by bench-vm.sh) sets RUNTIMES, WARMUP, ITERS and TOKEN.
. /vm-stages.sh
[ "$1" = stage2 ] || to_tmpfs 400m /init stage2
mount_kernel_filesystems
. /bench.env
# Controllers for the runtimes' cgroups, as a v2 host's systemd enables them at the root.
for controller in cpu memory pids; do echo "+$controller" >/sys/fs/cgroup/cgroup.subtree_control; done
# A line of its own first: the firmware's terminal escapes precede whatever comes first on the console.
echo
echo "@@ kernel $(uname -r)"
echo "@@ cpus $(nproc)"
echo "@@ controllers $(cat /sys/fs/cgroup/cgroup.subtree_control)"
mkdir -p /samples /run/log

# fail MESSAGE: report on the console (bench-vm.sh turns it into the pass's error) and power off.
fail() {
    echo "@@ fail $*"
    poweroff -f
}

# rt NAME ARGS...: runtime NAME with its own state root; errors go to NAME's log.
rt() {
    local runtime=$1
    shift
    "/bin/$runtime" --root "/run/state/$runtime" "$@" </dev/null >/dev/null 2>>"/run/log/$runtime"
}

# timed SAMPLES NAME ARGS...: `rt NAME ARGS...` under bench-time, which appends "µs peak-KiB" to SAMPLES.
timed() {
    local samples=$1 runtime=$2
    shift 2
    /bin/bench-time "$samples" "/bin/$runtime" --root "/run/state/$runtime" "$@" </dev/null >/dev/null \
        2>>"/run/log/$runtime" || fail "$runtime $* exited $?: $(tail -n 3 "/run/log/$runtime" | tr '\n' '|')"
}

# rotated ITERATION: RUNTIMES starting at entry ITERATION modulo their count, so that each runtime goes first in turn.
rotated() {
    local first=$1 at runtime
    set -- $RUNTIMES
    first=$((first % $#))
    at=0
    for runtime in "$@"; do [ $at -ge $first ] && printf '%s ' "$runtime"; at=$((at + 1)); done
    at=0
    for runtime in "$@"; do [ $at -lt $first ] && printf '%s ' "$runtime"; at=$((at + 1)); done
}

# A runtime that cannot run the container here, or runs it without its limits, would only look fast: the check
# container exits 42 only under its memory.max and pids.max, and `run` must return that status.
for name in $RUNTIMES; do
    mkdir -p "/run/state/$name"
    rc=0
    rt "$name" run --bundle /check "$TOKEN-pre-$name" || rc=$?
    [ $rc -eq 42 ] || fail "$name: run of the check container exited $rc, expected 42 (the container under its limits): $(tail -n 3 "/run/log/$name" | tr '\n' '|')"
done
echo "@@ preflight ok"

# sample_file KEY NAME: where iteration $i's sample of KEY for runtime NAME goes; /dev/null during warm-up.
sample_file() {
    if [ $i -lt "$WARMUP" ]; then echo /dev/null; else echo "/samples/$1.$2"; fi
}

i=0
while [ $i -lt $((WARMUP + ITERS)) ]; do
    for name in $(rotated $i); do
        timed "$(sample_file run "$name")" "$name" run --bundle /bundle "$TOKEN-run-$i-$name"
    done
    for name in $(rotated $i); do
        : >/run/cycle.parts
        id="$TOKEN-cycle-$i-$name"
        timed /run/cycle.parts "$name" create --bundle /bundle "$id"
        timed /run/cycle.parts "$name" start "$id"
        timed /run/cycle.parts "$name" delete --force "$id"
        awk '{ total += $1 } END { print total }' /run/cycle.parts >>"$(sample_file cycle "$name")"
        head -n 1 /run/cycle.parts >>"$(sample_file create "$name")"
    done
    i=$((i + 1))
done

for file in /samples/*; do
    key=${file##*/}
    while read -r us _; do echo "@@ sample ${key%%.*} ${key#*.} $us"; done <"$file"
done
echo "@@ leftover $(find /sys/fs/cgroup -type d -name "$TOKEN-*" | wc -l)"
echo "@@ done"
poweroff -f
