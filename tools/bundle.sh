#!/usr/bin/env bash
# tools/bundle.sh DIR [ARGS...]
#
# Build a minimal OCI bundle around the host's static busybox:
#   DIR/rootfs      busybox plus a symlink per applet (sh, true, ls, ...)
#   DIR/config.json the default config from `bin/ociruntime spec`, with
#                   process.args = ARGS (the spec's default, ["sh"], if none)
#                   and process.terminal = false (so no console socket is needed).
# Used by tools/bench.sh and usable by demo scripts. Needs /bin/busybox
# (Debian's busybox-static) and jq. Overwrites an existing DIR/config.json.
set -euo pipefail

usage() {
    echo "usage: $0 DIR [ARGS...]" >&2
    exit 2
}

die() {
    echo "bundle.sh: $*" >&2
    exit 1
}

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OCIRUNTIME="${OCIRUNTIME:-$REPO/bin/ociruntime}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"

# make_rootfs ROOTFS: busybox at /bin/busybox and relative symlinks for every
# applet at the path busybox itself suggests (bin/, sbin/, usr/bin/, usr/sbin/).
make_rootfs() {
    local rootfs="$1" applet dir up
    # A dynamically linked busybox would need the host's libc in the rootfs.
    if file -L "$BUSYBOX" 2>/dev/null | grep -q 'dynamically linked'; then
        die "$BUSYBOX is dynamically linked; install busybox-static"
    fi
    mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,root}
    chmod 1777 "$rootfs/tmp"
    install -m 0755 "$BUSYBOX" "$rootfs/bin/busybox"
    while read -r applet; do
        # Skip "bin/busybox" itself: a link named busybox pointing at busybox
        # would replace the binary with a symlink loop.
        [[ "$applet" == */busybox || -z "$applet" ]] && continue
        dir="$(dirname "$applet")"
        # Relative target, so the link resolves both inside the container and
        # when the rootfs is inspected from the host.
        if [[ "$dir" == bin ]]; then
            ln -sfn busybox "$rootfs/$applet"
        else
            up="$(sed -E 's#[^/]+#..#g' <<<"$dir")"
            ln -sfn "$up/bin/busybox" "$rootfs/$applet"
        fi
    done < <("$BUSYBOX" --list-full)
    # Enough of /etc for `id`, `whoami` and a shell prompt to make sense.
    [[ -e "$rootfs/etc/passwd" ]] || echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
    [[ -e "$rootfs/etc/group" ]] || echo 'root:x:0:' >"$rootfs/etc/group"
}

# make_config DIR ARGS...: default spec, then set args and terminal with jq.
make_config() {
    local dir="$1"
    shift
    rm -f "$dir/config.json"   # `spec` refuses to overwrite, like runc's
    "$OCIRUNTIME" spec --bundle "$dir"
    local args_json
    if (($# > 0)); then
        args_json="$(jq -cn '$ARGS.positional' --args -- "$@")"
    else
        args_json="$(jq -c '.process.args' "$dir/config.json")"
    fi
    jq --argjson args "$args_json" \
        '.process.args = $args | .process.terminal = false' \
        "$dir/config.json" >"$dir/config.json.tmp"
    mv "$dir/config.json.tmp" "$dir/config.json"
}

main() {
    (($# >= 1)) || usage
    local dir="$1"
    shift
    [[ -x "$OCIRUNTIME" ]] || die "$OCIRUNTIME not built (run 'make build')"
    [[ -x "$BUSYBOX" ]] || die "$BUSYBOX not found (apt-get install busybox-static)"
    command -v jq >/dev/null || die "jq not found"
    mkdir -p "$dir"
    make_rootfs "$dir/rootfs"
    make_config "$dir" "$@"
}

main "$@"
