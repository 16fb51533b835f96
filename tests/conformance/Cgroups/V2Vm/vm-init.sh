#!/bin/busybox sh
# PID 1 of the cgroup v2 test VM (see CgroupV2VmFixture). Stage 1 moves onto a tmpfs, stage 2 mounts the kernel
# filesystems (vm-stages.sh), runs the checks (vm-checks.sh prints "@@ key=value" lines on the serial console) and powers
# off.
. /vm-stages.sh
[ "$1" = stage2 ] || to_tmpfs 300m /init stage2
mount_kernel_filesystems
# A 1 MiB RAM disk (/dev/ram0, 1:0): a block device for io.max, io.weight and the device rules; and a null_blk
# device with a request queue (nullb0), which can use the bfq scheduler that vm-checks.sh loads later.
insmod /modules/brd.ko rd_nr=1 rd_size=1024
insmod /modules/configfs.ko
insmod /modules/null_blk.ko queue_mode=2 nr_devices=1
echo "@@ vm.kernel=$(uname -r)"
echo "@@ vm.controllers=$(cat /sys/fs/cgroup/cgroup.controllers)"
. /checks.sh
echo "@@ vm.done=1"
poweroff -f
