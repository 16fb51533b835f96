#!/bin/busybox sh
# PID 1 of the checkpoint VM (see CheckpointVmFixture): Debian's 6.1 kernel, on which CRIU 3.17 works (the host's 6.18
# fails its vDSO check). Stage 1 moves onto a tmpfs (containers and CRIU need a root they can pivot from), stage 2
# mounts the kernel filesystems (vm-stages.sh), loads the modules CRIU's kernel-feature probe needs (nf_tables,
# sock_diag), brings lo up, runs vm-checks.sh ("@@ key=value" on the serial console) and powers off.
. /vm-stages.sh
[ "$1" = stage2 ] || to_tmpfs 400m /init stage2
mount_kernel_filesystems
# CRIU runs GNU tar and gzip (tmpfs contents) and iproute2's ip (addresses, routes): theirs come first.
export PATH=/usr/local/bin:$PATH
mkdir -p /dev/pts
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
for module in /modules/*.ko; do insmod "$module" 2>/dev/null; done
ip link set lo up
echo "@@ vm.kernel=$(uname -r)"
. /checks.sh
echo "@@ vm.done=1"
poweroff -f
