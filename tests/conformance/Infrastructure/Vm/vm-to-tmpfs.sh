#!/bin/busybox sh
# Stage 1 of a test VM's PID 1 (VmCheckFixture puts this file in every initramfs): the initramfs root cannot be
# pivot_root'ed away from, so everything is copied onto a tmpfs of size $1, and PID 1 switches to it, running the rest
# of the arguments (e.g. "/init stage2") there.
size=$1
shift
/bin/busybox mkdir -p /newroot
/bin/busybox mount -t tmpfs -o size="$size" tmpfs /newroot
for entry in /*; do
    case "$entry" in /newroot|/proc|/sys|/dev) ;; *) /bin/busybox cp -a "$entry" /newroot/ ;; esac
done
exec /bin/busybox switch_root /newroot "$@"
