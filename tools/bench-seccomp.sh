#!/usr/bin/env bash
# tools/bench-seccomp.sh: what podman's default seccomp profile (several hundred syscalls) costs at container start.
#
# `RUNTIME run` of busybox `true`, without and with the profile (converted the way podman does for the default
# capabilities: amd64 plus its sub-architectures, rules whose includes/excludes fit), timed with hyperfine for
# ociruntime, runc and crun. crun refuses this machine's hybrid cgroup layout, so everything runs in a private mount
# namespace without the cgroup2 mount at /sys/fs/cgroup/unified (all runtimes then see pure v1; tools/bench-ns.sh).
#
# Environment: BENCH_RUNS (default BENCH_ITERS, else 30), OCIRUNTIME, RUNC, CRUN.
# Output: hyperfine's table on stdout, also written to bench-results/seccomp.md.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROFILE=/usr/share/containers/seccomp.json
RUNS="${BENCH_RUNS:-${BENCH_ITERS:-30}}"
declare -A BIN=(
    [ociruntime]="${OCIRUNTIME:-$REPO/bin/ociruntime}"
    [runc]="${RUNC:-/usr/sbin/runc}"
    [crun]="${CRUN:-/usr/bin/crun}"
)

die() { echo "bench-seccomp.sh: $*" >&2; exit 1; }

((EUID == 0)) || die "must run as root (containers need it)"
for tool in hyperfine jq busybox unshare; do command -v "$tool" >/dev/null || die "$tool not found"; done
[[ -f "$PROFILE" ]] || die "$PROFILE not found (Debian: apt-get install golang-github-containers-common)"

# shellcheck source=tools/bench-ns.sh
source "$REPO/tools/bench-ns.sh"
enter_v1_only_mount_ns "$REPO/tools/bench-seccomp.sh" "$@"

work="$(mktemp -d /tmp/ociruntime-bench-seccomp.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# One busybox rootfs; two bundles sharing it.
mkdir -p "$work/rootfs/bin" "$work/rootfs/proc" "$work/rootfs/dev" "$work/rootfs/sys" "$work/plain" "$work/seccomp"
cp "$(command -v busybox)" "$work/rootfs/bin/busybox"
ln -s busybox "$work/rootfs/bin/true"
"${BIN[ociruntime]}" spec --bundle "$work/plain"
# spec asks for a terminal (runc's default); the benchmark runs without one.
jq --arg root "$work/rootfs" '.ociVersion = "1.0.2" | .root.path = $root | .process.args = ["/bin/true"] | .process.terminal = false' \
    "$work/plain/config.json" >"$work/plain/config.tmp" && mv "$work/plain/config.tmp" "$work/plain/config.json"

# podman's conversion (containers/common pkg/seccomp) for the config's bounding capabilities on amd64.
jq --slurpfile config "$work/plain/config.json" '
    ($config[0].process.capabilities.bounding) as $caps
    | def has($list; $x): ($list // []) | index($x) != null;
    {
        defaultAction, defaultErrnoRet,
        architectures: (["SCMP_ARCH_X86_64"] + (.archMap[] | select(.architecture == "SCMP_ARCH_X86_64") | .subArchitectures)),
        syscalls: [.syscalls[]
            | select((has(.excludes.arches; "amd64") | not)
                and ((.excludes.caps // []) | all(. as $c | has($caps; $c) | not))
                and (((.includes.arches // []) | length) == 0 or has(.includes.arches; "amd64"))
                and ((.includes.caps // []) | all(. as $c | has($caps; $c))))
            | {names, action} + (if .errnoRet then {errnoRet} else {} end) + (if ((.args // []) | length) > 0 then {args} else {} end)]
    }' "$PROFILE" >"$work/profile.json"
jq --slurpfile seccomp "$work/profile.json" '.linux.seccomp = $seccomp[0]' "$work/plain/config.json" >"$work/seccomp/config.json"
echo "profile: $(jq '[.syscalls[].names | length] | add' "$work/profile.json") syscalls in $(jq '.syscalls | length' "$work/profile.json") rules" >&2

commands=()
for runtime in ociruntime runc crun; do
    [[ -x "${BIN[$runtime]}" ]] || die "$runtime: ${BIN[$runtime]} not found"
    for bundle in plain seccomp; do
        # $RANDOM is expanded by the shell hyperfine starts for each run: a fresh container id every time.
        commands+=(--command-name "$runtime $bundle"
            "${BIN[$runtime]} --root $work/state-$runtime run --bundle $work/$bundle b\$RANDOM\$RANDOM >/dev/null")
    done
done

mkdir -p "$REPO/bench-results"
hyperfine --shell=bash --warmup 3 --runs "$RUNS" --export-markdown "$REPO/bench-results/seccomp.md" "${commands[@]}"
cat "$REPO/bench-results/seccomp.md"
