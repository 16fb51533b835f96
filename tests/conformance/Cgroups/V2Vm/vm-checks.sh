# Sourced by vm-init.sh inside the cgroup v2 VM. Every observation is one "@@ key=value" line (newlines as '|');
# CgroupV2VmTests asserts on them. The bundles under /bundles are written by CgroupV2VmFixture.
RT=/bin/ociruntime
CG=/sys/fs/cgroup

out() { echo "@@ $1=$(printf '%s' "$2" | tr '\n' '|')"; }
show() { out "$1" "$(cat "$2" 2>&1)"; }
status() { $RT state "$1" 2>&1 | sed -n 's/.*"status": "\(.*\)".*/\1/p'; }
exists() { if [ -e "$1" ]; then echo present; else echo gone; fi; }
# The device programs attached to a cgroup (bpftool is in the VM when the host has it).
programs() { if [ -x /usr/sbin/bpftool ]; then /usr/sbin/bpftool cgroup show "$1" 2>&1 | grep -c device; else echo no-bpftool; fi; }
wait_for() { i=0; while [ ! -e "$1" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done; }
wait_stopped() { i=0; while [ "$(status "$1")" != stopped ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done; }

# --- every field: create writes each file; pause/resume; update (flags, then a document); ps; events; delete ------
mkdir -p /tmp/shared
D=$CG/vmtest/all
$RT create --bundle /bundles/all all >/tmp/all.out 2>/tmp/all.err
out all.create.exit $?
out all.create.stderr "$(cat /tmp/all.err)"
for f in cpu.weight cpu.max cpu.max.burst cpu.idle cpuset.cpus cpuset.mems memory.max memory.low memory.swap.max \
         memory.high pids.max io.weight io.max hugetlb.2MB.max hugetlb.2MB.rsvd.max; do
    show "all.file.$f" "$D/$f"
done
show all.parent.subtree_control $CG/vmtest/cgroup.subtree_control
out all.init.cgroup "$(cat /proc/$($RT state all | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')/cgroup)"
out all.programs.created "$(programs $D)"
$RT start all
out all.status.started "$(status all)"
$RT pause all
out all.pause.exit $?
out all.status.paused "$(status all)"
show all.paused.cgroup.freeze $D/cgroup.freeze
out all.paused.frozen "$(grep frozen $D/cgroup.events)"
$RT resume all
out all.resume.exit $?
out all.status.resumed "$(status all)"
out all.resumed.frozen "$(grep frozen $D/cgroup.events)"
$RT update --memory 200m --memory-swap 300m --cpu-quota 30000 --cpu-period 60000 --cpu-share 2048 --pids-limit 30 \
    --blkio-weight 800 --cpuset-cpus 0 all 2>&1
out all.update.exit $?
for f in memory.max memory.swap.max cpu.max cpu.weight pids.max io.weight; do show "all.updated.$f" "$D/$f"; done
echo '{"memory":{"limit":268435456},"unified":{"memory.high":"209715200"}}' | $RT update --resources - all 2>&1
out all.update.document.exit $?
for f in memory.max memory.swap.max memory.high; do show "all.document.$f" "$D/$f"; done
out all.update.realtime "$($RT update --cpu-rt-runtime 1000 all 2>&1)"
out all.programs.updated "$(programs $D)"
# The container checks its device access only now, after the update replaced the eBPF program.
touch /tmp/shared/go
wait_for /tmp/shared/result
sleep 0.2
out all.devices.after.update "$(cat /tmp/shared/result)"
out all.ps.json "$($RT ps --format json all 2>&1)"
out all.ps.table "$($RT ps all 2>&1)"
out all.init.pid "$($RT state all | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')"
out all.events.stats "$($RT events --stats all 2>&1)"
$RT delete --force all
out all.delete.exit $?
out all.after.delete "$(exists $D)"

# --- a memory limit holds: a process allocating past it is OOM-killed, and `events` reports it -------------------
$RT create --bundle /bundles/oom oom >/tmp/oom.out 2>&1
$RT events --interval 30s oom >/tmp/oom.events 2>&1 &
events=$!
sleep 0.5
$RT start oom
wait_stopped oom
wait $events
out oom.container.output "$(cat /tmp/oom.out)"
out oom.memory.events "$(cat $CG/vmtest/oom/memory.events)"
out oom.events "$(cat /tmp/oom.events)"
$RT delete oom

# --- a pids limit holds: a fork bomb stops at it -------------------------------------------------------------------
$RT create --bundle /bundles/pids pids >/dev/null 2>&1
$RT start pids
sleep 3
show pids.current $CG/vmtest/pids/pids.current
show pids.max $CG/vmtest/pids/pids.max
show pids.events $CG/vmtest/pids/pids.events
$RT delete --force pids
out pids.after.delete "$(exists $CG/vmtest/pids)"

# --- device rules seen from inside: runc's defaults, plus one allowed block device --------------------------------
out devices.default "$($RT run --bundle /bundles/devices devices 2>&1)"

# --- placement: a relative cgroupsPath lands below our own cgroup (/ here); a cgroup namespace shows it as / ------
$RT create --bundle /bundles/cgroupns cgroupns >/tmp/cgroupns.out 2>&1
out cgroupns.dir "$(exists $CG/rel/inner)"
$RT start cgroupns
wait_stopped cgroupns
out cgroupns.inside "$(cat /tmp/cgroupns.out)"
$RT delete cgroupns
out cgroupns.after.delete "$(exists $CG/rel/inner)"

# --- a value the kernel refuses fails create with file, value and errno, and leaves nothing ------------------------
out rejected.create "$($RT create --bundle /bundles/rejected rejected 2>&1)"
out rejected.state "$($RT state rejected 2>&1)"
out rejected.dir "$(exists $CG/vmtest/rejected)"
out weightdevice.create "$($RT create --bundle /bundles/weightdevice weightdevice 2>&1)"
show weightdevice.io.weight $CG/vmtest/weightdevice/io.weight
$RT delete --force weightdevice
# --- with bfq: blkio weights go to io.bfq.weight as they are, per device too (here through update) -------------------
insmod /modules/bfq.ko
echo bfq > /sys/block/nullb0/queue/scheduler
nullb=$(cat /sys/block/nullb0/dev)
$RT create --bundle /bundles/bfq bfq >/dev/null 2>&1
echo "{\"blockIO\":{\"weight\":300,\"weightDevice\":[{\"major\":${nullb%:*},\"minor\":${nullb#*:},\"weight\":500}]}}" |
    $RT update -r - bfq 2>&1
out bfq.update.exit $?
out bfq.device "$nullb"
show bfq.io.bfq.weight $CG/vmtest/bfq/io.bfq.weight
$RT delete --force bfq

# --- a namespace path that is a FIFO: the bootstrap, planned before the check refused it, is killed, not waited for ---
mkfifo /tmp/nsfifo
out nsfifo.create "$(timeout 20 $RT create --bundle /bundles/nsfifo nsfifo 2>&1)"
out nsfifo.exit "$(timeout 20 $RT create --bundle /bundles/nsfifo nsfifo >/dev/null 2>&1; echo $?)"
out nsfifo.leftover "$(for p in /proc/[0-9]*; do tr '\0' ' ' <$p/cmdline 2>/dev/null; echo; done | grep '^[^ ]*ociruntime init')"
out nsfifo.dir "$(exists $CG/vmtest/nsfifo)"

out rdma.create "$($RT create --bundle /bundles/rdma rdma 2>&1)"
out rdma.dir "$(exists $CG/vmtest/rdma)"

# --- the init is born in its cgroup and the bootstrap stays out: with pids.max 1 create works, and with room for one ---
# --- more process an exec does (a bootstrap moved in would take that room, and its fork of the init would fail) -----
$RT create --bundle /bundles/born born >/dev/null 2>/tmp/born.err
out born.create "$(cat /tmp/born.err)"
out born.procs "$(cat $CG/vmtest/born/cgroup.procs)"
out born.init.pid "$($RT state born 2>&1 | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')"
$RT start born
$RT update --pids-limit 2 born
out born.exec "$($RT exec born cat /proc/self/cgroup 2>&1)"
$RT delete --force born
out born.after.delete "$(exists $CG/vmtest/born)"

# --- an exec joins the container's cgroup namespace on a hierarchy mounted with nsdelegate (as systemd mounts it), ---
# --- where the kernel lets a process into a cgroup only from a namespace that shows both ends --------------------------
mount -o remount,nsdelegate $CG
out nsexec.mount "$(grep cgroup2 /proc/mounts)"
$RT create --bundle /bundles/nsexec nsexec >/dev/null 2>&1
$RT start nsexec
out nsexec.inside "$($RT exec nsexec cat /proc/self/cgroup 2>&1)"
$RT delete --force nsexec
out nsexec.after.delete "$(exists $CG/vmtest/nsexec)"
