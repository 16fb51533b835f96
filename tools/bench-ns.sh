# tools/bench-ns.sh: sourced by tools/bench.sh and tools/bench-seccomp.sh.
#
# crun refuses this machine's hybrid cgroup layout (v1 controllers plus a cgroup2 mount at /sys/fs/cgroup/unified),
# so the benchmarks re-execute themselves in a private mount namespace (`unshare -m`) without that cgroup2 mount.
# All three runtimes then see the same pure-v1 layout; or, for bench.sh's v2 pass, the cgroup2 hierarchy alone.

# in_private_mount_ns: true if our mount namespace differs from our parent's (the shell or make that started us).
# Checked on the namespaces themselves rather than trusting an environment marker, so the umount below can never
# hit the host's mount table.
in_private_mount_ns() {
    local mine parent
    mine="$(readlink /proc/self/ns/mnt 2>/dev/null)" || return 1
    parent="$(readlink "/proc/$PPID/ns/mnt" 2>/dev/null)" || return 1
    [[ -n "$mine" && -n "$parent" && "$mine" != "$parent" ]]
}

# enter_private_mount_ns SCRIPT ARGS...: unless already done, re-exec SCRIPT ARGS under `unshare -m` (same pid, so
# $PPID stays the caller; private propagation keeps our mounts from leaking back to the host).
enter_private_mount_ns() {
    local script="$1"
    shift
    if ! in_private_mount_ns; then
        [[ -z "${__BENCH_REEXECED:-}" ]] || { echo "$script: unshare -m did not give a private mount namespace" >&2; exit 1; }
        exec unshare --mount --propagation private -- env __BENCH_REEXECED=1 bash "$script" "$@"
    fi
}

# enter_v1_only_mount_ns SCRIPT ARGS...: enter_private_mount_ns, then, on a hybrid host, replace the cgroup2 mount at
# /sys/fs/cgroup/unified by an empty tmpfs of our own: crun (1.8) puts a directory per container there, which on the
# bare mountpoint would land in the host's /sys/fs/cgroup tmpfs, hidden under its cgroup2 mount, and stay after the run.
# Sets BENCH_CGROUPS to the layout the runtimes see.
enter_v1_only_mount_ns() {
    enter_private_mount_ns "$@"
    # On a pure v2 host /sys/fs/cgroup itself is cgroup2 and there is nothing to hide.
    if mountpoint -q /sys/fs/cgroup/unified; then
        umount /sys/fs/cgroup/unified && mount -t tmpfs -o size=16m,mode=0755 bench-unified /sys/fs/cgroup/unified ||
            { echo "$1: cannot replace /sys/fs/cgroup/unified" >&2; exit 1; }
        BENCH_CGROUPS="v1 only (private mount ns, /sys/fs/cgroup/unified replaced by an empty tmpfs)"
    elif [[ "$(stat -fc %T /sys/fs/cgroup)" == cgroup2fs ]]; then
        BENCH_CGROUPS="v2 (unified)"
    else
        BENCH_CGROUPS="v1"
    fi
}

# enter_v2_only_mount_ns SCRIPT ARGS...: enter_private_mount_ns, then mount the host's cgroup2 hierarchy alone at
# /sys/fs/cgroup, over the v1 mounts: every runtime sees a pure v2 host and places its processes by cgroup.procs or
# clone3(CLONE_INTO_CGROUP) as there. The controllers stay bound to the v1 hierarchies on a hybrid host, so this view
# measures placement (the threadgroup lock and its RCU grace period), not v2 resource writes. Sets BENCH_CGROUPS.
enter_v2_only_mount_ns() {
    enter_private_mount_ns "$@"
    if [[ "$(stat -fc %T /sys/fs/cgroup)" == cgroup2fs ]]; then
        BENCH_CGROUPS="v2 (unified)"
        return
    fi
    mount -t cgroup2 bench-cgroup2 /sys/fs/cgroup || { echo "$1: cannot mount cgroup2 at /sys/fs/cgroup" >&2; exit 1; }
    BENCH_CGROUPS="v2 view of a hybrid host (private mount ns, its cgroup2 hierarchy alone at /sys/fs/cgroup; v2 controllers: $(cat /sys/fs/cgroup/cgroup.controllers), the rest bound to v1: placement is measured, not v2 resource writes)"
}
