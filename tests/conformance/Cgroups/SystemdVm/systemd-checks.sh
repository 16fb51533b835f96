#!/bin/sh
# Run by systemd (ocitest.service) inside the systemd test VM: drives the runtime with --systemd-cgroup and prints
# every observation as one "@@ key=value" line (newlines as '|') on the serial console; SystemdVmTests asserts on them.
# The bundles under /bundles are written by SystemdVmFixture.
exec >/dev/ttyS0 2>&1
/bin/busybox --install -s /bin
/bin/busybox mkdir -p /tmp
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
RT="/bin/ociruntime --systemd-cgroup"
CG=/sys/fs/cgroup
out() { echo "@@ $1=$(printf '%s' "$2" | tr '\n' '|')"; }
show() { out "$1" "$(cat "$2" 2>&1)"; }
status() { $RT state "$1" 2>&1 | sed -n 's/.*"status": "\(.*\)".*/\1/p'; }
pid_of() { $RT state "$1" | sed -n 's/.*"pid": \([0-9]*\).*/\1/p'; }
exists() { if [ -e "$1" ]; then echo present; else echo gone; fi; }
unit() { systemctl show --no-pager -p "$2" --value "$1" 2>&1; }
wait_stopped() { i=0; while [ "$(status "$1")" = running ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done; }

# MODE names the file layout; vm.layout what systemd mounted (hybrid: v1 controllers plus its own v2 at unified/).
if [ -e $CG/cgroup.controllers ]; then MODE=unified; else MODE=v1; fi
if [ $MODE = v1 ] && [ -e $CG/unified/cgroup.procs ]; then out vm.layout hybrid; else out vm.layout $MODE; fi
out vm.systemd "$(systemctl --version | head -1)"
# With a dbus-daemon in the tree the runtime talks to systemd over the system bus; wait until systemd is on it.
if [ -e /usr/bin/dbus-daemon ]; then
    i=0; while ! busctl --system --no-pager list 2>/dev/null | grep -q '^org.freedesktop.systemd1 ' && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
fi

# --- a scope with limits: the unit, its properties, the cgroup files; they survive daemon-reload; lifecycle; delete --
U=ocitest-limits.scope
D=/oci.slice/oci-test.slice/$U
# On the system bus, a monitor sees the runtime's calls to systemd.
if [ -e /usr/bin/dbus-daemon ]; then busctl --system --no-pager monitor org.freedesktop.systemd1 >/tmp/monitor 2>&1 & MONITOR=$!; sleep 1; fi
$RT create --bundle /bundles/limits limits >/tmp/limits.out 2>/tmp/limits.err
out limits.create.exit $?
if [ -n "$MONITOR" ]; then sleep 1; kill $MONITOR; out vm.bus.calls "$(grep -o 'Member=StartTransientUnit' /tmp/monitor | sort -u)"; fi
out limits.create.stderr "$(cat /tmp/limits.err)"
out limits.unit.active "$(unit $U ActiveState)"
out limits.unit.slice "$(unit $U Slice)"
out limits.unit.delegate "$(unit $U Delegate)"
out limits.unit.cgroup "$(unit $U ControlGroup)"
for p in MemoryMax MemoryLow MemoryHigh MemoryLimit TasksMax CPUWeight CPUShares CPUQuotaPerSecUSec CPUQuotaPeriodUSec AllowedCPUs DevicePolicy DeviceAllow; do
    out "limits.unit.$p" "$(unit $U $p)"
done
PID=$(pid_of limits)
out limits.init.cgroup "$(cat /proc/$PID/cgroup)"
if [ $MODE = unified ]; then
    FILES="memory.max memory.low memory.high cpu.weight cpu.max pids.max cpuset.cpus hugetlb.2MB.max"
    file() { echo "$CG$D/$1"; }
else
    FILES="memory/memory.limit_in_bytes memory/memory.swappiness cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us pids/pids.max cpuset/cpuset.cpus hugetlb/hugetlb.2MB.limit_in_bytes devices/devices.list"
    file() { echo "$CG/${1%%/*}$D/${1#*/}"; }
fi
for f in $FILES; do show "limits.file.$f" "$(file $f)"; done
# systemd rewrites what it knows of the unit on daemon-reload: the limits must come back as they were set.
systemctl daemon-reload
for f in $FILES; do show "limits.reloaded.$f" "$(file $f)"; done
$RT start limits
out limits.status.started "$(status limits)"
$RT pause limits
out limits.status.paused "$(status limits)"
$RT resume limits
out limits.status.resumed "$(status limits)"
out limits.ps "$($RT ps limits 2>&1 | tail -n +2 | wc -l)"
out limits.exec.cgroup "$($RT exec limits cat /proc/self/cgroup 2>&1)"
$RT update --memory 200m --pids-limit 30 limits
out limits.update.exit $?
out limits.updated.unit.MemoryMax "$(unit $U MemoryMax)"
out limits.updated.unit.MemoryLimit "$(unit $U MemoryLimit)"
out limits.updated.unit.TasksMax "$(unit $U TasksMax)"
if [ $MODE = unified ]; then show limits.updated.file.memory "$(file memory.max)"; else show limits.updated.file.memory "$(file memory/memory.limit_in_bytes)"; fi
$RT kill limits KILL
wait_stopped limits
$RT delete limits
out limits.delete.exit $?
out limits.deleted.unit "$(unit $U LoadState)"
# Every hierarchy, not only the controllers of $FILES: a cgroup left in net_cls or the hybrid's unified tree is a leak too.
if [ $MODE = unified ]; then HIERARCHIES=$CG; else HIERARCHIES=$(for h in $CG/*/; do echo "${h%/}"; done); fi
for h in $HIERARCHIES; do name=${h#$CG}; out "limits.deleted.dir.${name#/}" "$(exists "$h$D")"; done
out limits.deleted.state "$(exists /run/ociruntime/limits)"

# --- no cgroupsPath: the default scope in system.slice; delete --force of a created container stops it ---------------
$RT create --bundle /bundles/default dflt >/dev/null 2>/tmp/dflt.err
out default.create.exit $?
out default.create.stderr "$(cat /tmp/dflt.err)"
out default.unit.active "$(unit ociruntime-dflt.scope ActiveState)"
out default.init.cgroup "$(cat /proc/$(pid_of dflt)/cgroup)"
$RT delete --force dflt
out default.delete.exit $?
out default.deleted.unit "$(unit ociruntime-dflt.scope LoadState)"

# --- the same scope twice: the second create fails and leaves the first alone -------------------------------------
$RT create --bundle /bundles/twice twice1 >/dev/null 2>&1
out twice.first.exit $?
$RT create --bundle /bundles/twice twice2 >/dev/null 2>/tmp/twice.err
out twice.second.exit $?
out twice.second.stderr "$(cat /tmp/twice.err)"
out twice.second.state "$(exists /run/ociruntime/twice2)"
out twice.first.status "$(status twice1)"
out twice.unit.active "$(unit ocitest-twice.scope ActiveState)"
$RT delete --force twice1

# --- a cgroupfs path with --systemd-cgroup: refused, nothing left behind -----------------------------------------------
$RT create --bundle /bundles/badpath badpath >/dev/null 2>/tmp/badpath.err
out badpath.create.exit $?
out badpath.create.stderr "$(cat /tmp/badpath.err)"
out badpath.state "$(exists /run/ociruntime/badpath)"

out vm.units.left "$(systemctl list-units --all --no-legend --no-pager 'ocitest-*' 'ociruntime-*' | wc -l)"
out vm.uptime "$(cut -d" " -f1 /proc/uptime)"
echo "@@ vm.done=1"
poweroff -f
