# Sourced by a test VM's PID 1 (VmCheckFixture puts this file in every initramfs as /vm-stages.sh).

# Stage 1: the initramfs root cannot be pivot_root'ed away from, so everything is copied onto a tmpfs of size $1, and
# PID 1 switches to it, running the rest of the arguments (e.g. "/init stage2") there.
to_tmpfs() {
    size=$1
    shift
    /bin/busybox mkdir -p /newroot
    /bin/busybox mount -t tmpfs -o size="$size" tmpfs /newroot
    for entry in /*; do
        case "$entry" in /newroot|/proc|/sys|/dev) ;; *) /bin/busybox cp -a "$entry" /newroot/ ;; esac
    done
    exec /bin/busybox switch_root /newroot "$@"
}

# Stage 2: busybox's applets on $PATH and the kernel filesystems containers need, cgroup v2 at /sys/fs/cgroup.
mount_kernel_filesystems() {
    /bin/busybox --install -s /bin
    export PATH=/bin:/sbin:/usr/bin:/usr/sbin
    mkdir -p /proc /sys /dev /tmp /run
    mount -t proc proc /proc
    mount -t sysfs sysfs /sys
    mount -t devtmpfs devtmpfs /dev
    mount -t cgroup2 cgroup2 /sys/fs/cgroup
    mount -t tmpfs tmpfs /tmp
    mount -t tmpfs tmpfs /run
}
