#!/bin/busybox sh
# PID 1 of the checkpoint VM (see CheckpointVmFixture): Debian's 6.1 kernel, on which CRIU 3.17 works (the host's 6.18
# fails its vDSO check). Stage 1 moves onto a tmpfs (vm-to-tmpfs.sh: containers and CRIU need a root they can pivot
# from); stage 2 mounts the kernel filesystems, loads the modules CRIU's kernel-feature probe needs (nf_tables,
# sock_diag), brings lo up, runs vm-checks.sh ("@@ key=value" on the serial console) and powers off.
if [ "$1" != stage2 ]; then
    exec /bin/busybox sh /vm-to-tmpfs.sh 400m /init stage2
fi

/bin/busybox --install -s /bin
# CRIU runs GNU tar and gzip (tmpfs contents) and iproute2's ip (addresses, routes): theirs come first.
export PATH=/usr/local/bin:/bin:/sbin:/usr/bin:/usr/sbin
mkdir -p /proc /sys /dev /tmp /run
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /dev/pts
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
for module in /modules/*.ko; do insmod "$module" 2>/dev/null; done
ip link set lo up
echo "@@ vm.kernel=$(uname -r)"
. /checks.sh
echo "@@ vm.done=1"
poweroff -f
