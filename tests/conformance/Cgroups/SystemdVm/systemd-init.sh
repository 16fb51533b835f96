#!/bin/busybox sh
# First process of the systemd test VM (see SystemdVmFixture). The initramfs root cannot be pivot_root'ed away from
# (the runtime's containers need that), so everything is copied onto a tmpfs, which systemd then boots from as PID 1.
# systemd starts ocitest.target: the checks (systemd-checks.sh) as a service, and dbus when the tree has it.
/bin/busybox mkdir -p /newroot
/bin/busybox mount -t tmpfs -o size=300m tmpfs /newroot
for entry in /*; do
    case "$entry" in /newroot|/proc|/sys|/dev) ;; *) /bin/busybox cp -a "$entry" /newroot/ ;; esac
done
exec /bin/busybox switch_root /newroot /lib/systemd/systemd --unit=ocitest.target
