# Sourced by vm-init.sh inside the checkpoint VM. Every observation is one "@@ key=value" line (newlines as '|');
# CheckpointVmTests asserts on them. The same scenarios run under ociruntime ("oci") and runc 1.1.5 ("runc", the
# control). The counter bundle (CheckpointVmFixture) appends 1, 2, 3, ... to /shared/count, a bind of /tmp/shared.
COUNT=/tmp/shared/count
CGROUP=/sys/fs/cgroup/ckpt/counter

out() { echo "@@ $1=$(printf '%s' "$2" | tr '\n' '|')"; }
last() { tail -n 1 "$COUNT" 2>/dev/null; }
lines() { if [ -e "${2:-$COUNT}" ]; then wc -l < "${2:-$COUNT}"; else echo 0; fi; }
# Waits (up to 60 s: TCG is slow) until the counter file (or $2) has at least $1 lines.
wait_lines() { i=0; while [ "$(lines "$1" "$2")" -lt "$1" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done; }
wait_socket() { i=0; while [ ! -S "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; }
status() { $R state "$1" 2>&1 | sed -n 's/.*"status": "\(.*\)".*/\1/p'; }
pid_of() { $R state "$1" 2>&1 | sed -n 's/.*"pid": \([0-9]*\).*/\1/p'; }
# "contiguous" when line n holds n: counting never restarted nor skipped.
sequence() { awk 'NR != $1 { broken = 1 } END { print (broken ? "broken" : "contiguous") }' "$COUNT"; }
# Sets EXIT to background job $1's exit status once it ends, or to "timeout" (and kills it) after 60 s.
await() {
    i=0; while kill -0 "$1" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
    if kill -0 "$1" 2>/dev/null; then kill -9 "$1"; wait "$1"; EXIT=timeout; else wait "$1"; EXIT=$?; fi
}
exists() { if [ -e "$1" ]; then echo present; else echo gone; fi; }

mkdir -p /tmp/shared
criu check >/tmp/criu-check.out 2>&1
out criu.check.exit $?
out criu.check.output "$(tail -n 3 /tmp/criu-check.out)"
out criu.version "$(criu --version | head -n 1)"
# The netns the tcp bundle joins by path (see CheckpointVmFixture.TcpServerConfig): the VM's, not the container's.
NETNS=ckpt-tcp
# iproute2 (not busybox's ip, which ash prefers) keeps its netns under /var/run/netns: /var/run is /run, as on Debian.
mkdir -p /var && ln -s /run /var/run
IP=/usr/local/bin/ip
# A new one for each runtime: a lock CRIU left in the last one does not reach the next.
new_netns() {
    $IP netns del $NETNS 2>/dev/null
    $IP netns add $NETNS 2>/tmp/netns.err
    out $P.netns.add.exit $?
    out $P.netns.add.stderr "$(cat /tmp/netns.err)"
    $IP netns exec $NETNS $IP link set lo up
}
# The rules of CRIU's network lock in that netns (its "CRIU" chain and the jumps to it).
locks() { $IP netns exec $NETNS iptables -S 2>&1 | grep -c CRIU; }
listening() { i=0; while ! $IP netns exec $NETNS netstat -tln | grep -q ":$1 " && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; }

scenarios() {
    P=$1
    R="$2 --root /run/state-$P"
    PORT=$3

    # --- checkpoint, the container is gone, restore under the same id continues the count ---------------------------
    rm -f $COUNT
    $R run -d --bundle /bundles/counter ${P}1 </dev/null >/dev/null 2>/tmp/$P.err
    out $P.run.exit $?
    out $P.run.stderr "$(cat /tmp/$P.err)"
    out $P.original.pid "$(pid_of ${P}1)"
    wait_lines 5
    $R checkpoint --image-path /tmp/$P-img1 ${P}1 2>/tmp/$P.err
    out $P.checkpoint.exit $?
    out $P.checkpoint.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-img1/dump.log | tail -n 3)"
    at=$(lines)
    out $P.checkpoint.count "$at"
    out $P.gone.state "$($R state ${P}1 2>&1)"
    sleep 1
    out $P.gone.count "$(lines)"
    $R restore -d --pid-file /tmp/$P-restored.pid --image-path /tmp/$P-img1 --bundle /bundles/counter ${P}1 </dev/null >/dev/null 2>/tmp/$P.err
    out $P.restore.exit $?
    out $P.restore.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-img1/restore.log | tail -n 3)"
    out $P.restored.status "$(status ${P}1)"
    pid=$(pid_of ${P}1)
    out $P.restored.pid "$pid"
    out $P.restored.pidfile "$(cat /tmp/$P-restored.pid 2>&1)"
    out $P.restored.comm "$(cat /proc/$pid/comm 2>&1)"
    out $P.restored.cgroup "$(cat /proc/$pid/cgroup 2>&1)"
    out $P.restored.pids.max "$(cat $CGROUP/pids.max 2>&1)"
    out $P.restored.memory.max "$(cat $CGROUP/memory.max 2>&1)"
    wait_lines $((at + 5))
    out $P.restored.count "$(lines)"
    out $P.restored.sequence "$(sequence)"
    $R delete -f ${P}1
    out $P.restored.delete.exit $?

    # --- --leave-running, then restore under a new id: the count goes on from the checkpoint -------------------------
    rm -f $COUNT
    $R run -d --bundle /bundles/counter ${P}2 </dev/null >/dev/null 2>/dev/null
    wait_lines 5
    before=$(lines)
    $R checkpoint --leave-running --image-path /tmp/$P-img2 ${P}2 2>/tmp/$P.err
    out $P.leave.exit $?
    out $P.leave.stderr "$(cat /tmp/$P.err)"
    after=$(lines)
    out $P.leave.status "$(status ${P}2)"
    wait_lines $((after + 5))
    $R delete -f ${P}2
    live=$(lines)
    $R restore -d --image-path /tmp/$P-img2 --bundle /bundles/counter ${P}new </dev/null >/dev/null 2>/tmp/$P.err
    out $P.newid.exit $?
    out $P.newid.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-img2/restore.log | tail -n 3)"
    out $P.newid.status "$(status ${P}new)"
    wait_lines $((live + 3))
    out $P.newid.before "$before"
    out $P.newid.after "$after"
    out $P.newid.live "$live"
    out $P.newid.first "$(sed -n "$((live + 1))p" $COUNT)"
    $R delete -f ${P}new

    # --- a pre-dump, then the dump with --parent-path, then restore ---------------------------------------------------
    rm -f $COUNT
    $R run -d --bundle /bundles/counter ${P}3 </dev/null >/dev/null 2>/dev/null
    wait_lines 5
    $R checkpoint --pre-dump --image-path /tmp/$P-pre ${P}3 2>/tmp/$P.err
    out $P.predump.exit $?
    out $P.predump.stderr "$(cat /tmp/$P.err)"
    out $P.predump.status "$(status ${P}3)"
    out $P.predump.pages "$(ls /tmp/$P-pre | grep -c '^pages-')"
    $R checkpoint --parent-path ../$P-pre --image-path /tmp/$P-final ${P}3 2>/tmp/$P.err
    out $P.final.exit $?
    out $P.final.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-final/dump.log | tail -n 3)"
    out $P.final.parent "$(readlink /tmp/$P-final/parent)"
    at=$(lines)
    $R restore -d --image-path /tmp/$P-final --bundle /bundles/counter ${P}3 </dev/null >/dev/null 2>/tmp/$P.err
    out $P.chain.exit $?
    out $P.chain.stderr "$(cat /tmp/$P.err)"
    wait_lines $((at + 5))
    out $P.chain.count "$(lines)"
    out $P.chain.sequence "$(sequence)"
    $R delete -f ${P}3

    # --- restore in the foreground: it waits for the container, exits with its status and deletes it -------------------
    $R restore --image-path /tmp/$P-img1 --bundle /bundles/counter ${P}fg </dev/null >/dev/null 2>/tmp/$P.err &
    restorer=$!
    i=0; while [ "$(status ${P}fg)" != running ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
    out $P.foreground.status "$(status ${P}fg)"
    $R kill ${P}fg KILL
    wait $restorer
    out $P.foreground.exit $?
    out $P.foreground.stderr "$(cat /tmp/$P.err)"
    out $P.foreground.after "$($R state ${P}fg 2>&1)"

    # --- a terminal container: restore sends the restored terminal's new pty master to --console-socket --------------
    console-receiver /tmp/$P-console1.sock /tmp/$P-tty1 &
    receiver=$!
    wait_socket /tmp/$P-console1.sock
    $R run -d --console-socket /tmp/$P-console1.sock --bundle /bundles/terminal ${P}tty </dev/null >/dev/null 2>/tmp/$P.err
    out $P.tty.run.exit $?
    out $P.tty.run.stderr "$(cat /tmp/$P.err)"
    wait_lines 5 /tmp/$P-tty1
    $R checkpoint --image-path /tmp/$P-tty ${P}tty 2>/tmp/$P.err
    out $P.tty.checkpoint.exit $?
    out $P.tty.checkpoint.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-tty/dump.log | tail -n 3)"
    sleep 1
    kill $receiver 2>/dev/null
    out $P.tty.before "$(tail -n 1 /tmp/$P-tty1 | tr -d '\r')"
    console-receiver /tmp/$P-console2.sock /tmp/$P-tty2 &
    receiver=$!
    wait_socket /tmp/$P-console2.sock
    $R restore -d --console-socket /tmp/$P-console2.sock --image-path /tmp/$P-tty --bundle /bundles/terminal ${P}tty </dev/null >/dev/null 2>/tmp/$P.err
    out $P.tty.restore.exit $?
    out $P.tty.restore.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-tty/restore.log | tail -n 3)"
    out $P.tty.restored.status "$(status ${P}tty)"
    wait_lines 3 /tmp/$P-tty2
    out $P.tty.after "$(head -n 1 /tmp/$P-tty2 | tr -d '\r')"
    out $P.tty.after.restarted "$(tr -d '\r' < /tmp/$P-tty2 | grep -c '^tick 1$')"
    $R delete -f ${P}tty
    kill $receiver 2>/dev/null

    # --- an established TCP connection kept across checkpoint and restore with --tcp-established ---------------------
    # A client outside the container, in the same netns, talks to the container's echo server on one connection.
    new_netns
    $R run -d --bundle /bundles/tcp ${P}tcp </dev/null >/dev/null 2>/tmp/$P.err
    out $P.tcp.run.exit $?
    out $P.tcp.run.stderr "$(cat /tmp/$P.err)"
    listening 7000
    mkfifo /tmp/$P-tcp.in
    $IP netns exec $NETNS nc 127.0.0.1 7000 </tmp/$P-tcp.in >/tmp/$P-tcp.echo 2>/dev/null &
    client=$!
    exec 3>/tmp/$P-tcp.in
    echo before >&3
    wait_lines 1 /tmp/$P-tcp.echo
    $R checkpoint --image-path /tmp/$P-tcp-refused ${P}tcp 2>/tmp/$P.err
    out $P.tcp.without.exit $?
    out $P.tcp.without.error "$(grep -- --tcp-established /tmp/$P-tcp-refused/dump.log | tail -n 1)"
    out $P.tcp.without.status "$(status ${P}tcp)"
    out $P.tcp.without.locks "$(locks)"
    $R checkpoint --tcp-established --image-path /tmp/$P-tcpimg ${P}tcp 2>/tmp/$P.err
    out $P.tcp.checkpoint.exit $?
    out $P.tcp.checkpoint.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-tcpimg/dump.log | tail -n 3)"
    out $P.tcp.gone.state "$($R state ${P}tcp 2>&1)"
    out $P.tcp.gone.locks "$(locks)"
    # Sent while the server is gone: CRIU's iptables rule drops it, the client retransmits it after the restore.
    echo during >&3
    $R restore -d --tcp-established --image-path /tmp/$P-tcpimg --bundle /bundles/tcp ${P}tcp </dev/null >/dev/null 2>/tmp/$P.err
    out $P.tcp.restore.exit $?
    out $P.tcp.restore.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-tcpimg/restore.log | tail -n 3)"
    out $P.tcp.restored.status "$(status ${P}tcp)"
    echo after >&3
    wait_lines 3 /tmp/$P-tcp.echo
    out $P.tcp.echo "$(cat /tmp/$P-tcp.echo)"
    out $P.tcp.client "$(if kill -0 $client 2>/dev/null; then echo connected; else echo exited; fi)"
    out $P.tcp.restored.locks "$(locks)"
    exec 3>&-
    $R delete -f ${P}tcp
    kill $client 2>/dev/null
    wait $client 2>/dev/null

    # --- a container in its own network namespace: CRIU dumps it (loopback, the listening socket) and makes it anew ----
    $R run -d --bundle /bundles/ownnet ${P}own </dev/null >/dev/null 2>/tmp/$P.err
    out $P.own.run.exit $?
    out $P.own.run.stderr "$(cat /tmp/$P.err)"
    out $P.own.lo.before "$(nsenter -t $(pid_of ${P}own) -n $IP -o link show lo 2>&1 | grep -c ',UP')"
    $R checkpoint --image-path /tmp/$P-own ${P}own 2>/tmp/$P.err
    out $P.own.checkpoint.exit $?
    out $P.own.checkpoint.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-own/dump.log | tail -n 3)"
    $R restore -d --image-path /tmp/$P-own --bundle /bundles/ownnet ${P}own </dev/null >/dev/null 2>/tmp/$P.err
    out $P.own.restore.exit $?
    out $P.own.restore.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-own/restore.log | tail -n 3)"
    out $P.own.status "$(status ${P}own)"
    pid=$(pid_of ${P}own)
    out $P.own.netns "$(if [ "$(readlink /proc/$pid/ns/net)" = "$(readlink /proc/self/ns/net)" ]; then echo the-vm-s; else echo own; fi)"
    out $P.own.listening "$(nsenter -t $pid -n netstat -tln 2>&1 | grep -c ':7000 ')"
    out $P.own.lo.after "$(nsenter -t $pid -n $IP -o link show lo 2>&1 | grep -c ',UP')"
    $R delete -f ${P}own

    # --- --page-server: the memory goes to a CRIU page server, the rest to --image-path; restore from both ------------
    rm -f $COUNT
    $R run -d --bundle /bundles/counter ${P}ps </dev/null >/dev/null 2>/dev/null
    wait_lines 5
    mkdir -p /tmp/$P-served
    criu page-server --images-dir /tmp/$P-served --port $PORT -o page-server.log &
    server=$!
    sleep 1
    $R checkpoint --page-server 127.0.0.1:$PORT --image-path /tmp/$P-psimg ${P}ps 2>/tmp/$P.err
    out $P.ps.checkpoint.exit $?
    out $P.ps.checkpoint.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-psimg/dump.log | tail -n 3)"
    at=$(lines)
    out $P.ps.local.pages "$(ls /tmp/$P-psimg | grep -c '^pages-')"
    out $P.ps.served.pages "$(ls /tmp/$P-served | grep -c '^pages-')"
    kill $server 2>/dev/null
    wait $server 2>/dev/null
    cp /tmp/$P-served/pages-* /tmp/$P-served/pagemap-* /tmp/$P-psimg/
    $R restore -d --image-path /tmp/$P-psimg --bundle /bundles/counter ${P}ps </dev/null >/dev/null 2>/tmp/$P.err
    out $P.ps.restore.exit $?
    out $P.ps.restore.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-psimg/restore.log | tail -n 3)"
    wait_lines $((at + 5))
    out $P.ps.sequence "$(sequence)"
    $R delete -f ${P}ps

    # --- --lazy-pages: the dump serves the memory, restore's lazy-pages daemon fetches it as the process faults -------
    out $P.lazy.uffd "$(criu check --feature uffd-noncoop 2>&1 | tail -n 1)"
    rm -f $COUNT
    $R run -d --bundle /bundles/counter ${P}lazy </dev/null >/dev/null 2>/dev/null
    wait_lines 5
    : >/tmp/$P-lazy.status
    $R checkpoint --lazy-pages --page-server 127.0.0.1:$((PORT + 10)) --status-fd 4 --image-path /tmp/$P-lazy ${P}lazy 4>/tmp/$P-lazy.status 2>/tmp/$P-lazy.err &
    dumper=$!
    i=0; while [ ! -s /tmp/$P-lazy.status ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
    out $P.lazy.ready "$(od -An -tx1 /tmp/$P-lazy.status | tr -d ' ')"
    at=$(lines)
    criu lazy-pages --page-server --address 127.0.0.1 --port $((PORT + 10)) --images-dir /tmp/$P-lazy -o lazy-pages.log &
    daemon=$!
    # Another id and cgroup: the dumped container is there until its pages are all served.
    mkdir -p /bundles/lazy
    sed 's|/ckpt/counter|/ckpt/lazy|' /bundles/counter/config.json >/bundles/lazy/config.json
    $R restore -d --lazy-pages --image-path /tmp/$P-lazy --bundle /bundles/lazy ${P}lazy2 </dev/null >/dev/null 2>/tmp/$P.err
    out $P.lazy.restore.exit $?
    out $P.lazy.restore.stderr "$(cat /tmp/$P.err; grep Error /tmp/$P-lazy/restore.log | tail -n 3)"
    await $dumper
    out $P.lazy.checkpoint.exit "$EXIT"
    out $P.lazy.checkpoint.stderr "$(cat /tmp/$P-lazy.err; grep Error /tmp/$P-lazy/dump.log | tail -n 3)"
    wait_lines $((at + 5))
    out $P.lazy.sequence "$(sequence)"
    out $P.lazy.daemon "$(grep -c Error /tmp/$P-lazy/lazy-pages.log)"
    kill $daemon 2>/dev/null
    wait $daemon 2>/dev/null
    $R delete -f ${P}lazy2
    $R delete -f ${P}lazy 2>/dev/null

    # --- an image directory that is not a checkpoint: a clear error, nothing left --------------------------------------
    mkdir -p /tmp/$P-empty
    $R restore -d --image-path /tmp/$P-empty --bundle /bundles/counter ${P}4 </dev/null >/dev/null 2>/tmp/$P.err
    out $P.empty.exit $?
    out $P.empty.stderr "$(cat /tmp/$P.err)"
    out $P.empty.lastError "$(grep Error /tmp/$P-empty/restore.log 2>/dev/null | tail -n 1)"
    out $P.empty.state "$($R state ${P}4 2>&1)"
    out $P.empty.statedir "$(exists /run/state-$P/${P}4)"
    out $P.empty.cgroup "$(exists $CGROUP)"
    out $P.empty.mounts "$(grep -c "state-$P" /proc/self/mountinfo)"
    out $P.empty.criu "$(ps | grep -c '[c]riu')"
}

scenarios oci /bin/ociruntime 2701
scenarios runc /usr/sbin/runc 2702

# --- runc's images restored by ociruntime: both write runc's format (descriptors.json included) ----------------------
R="/bin/ociruntime --root /run/state-cross"
$R restore -d --image-path /tmp/runc-img1 --bundle /bundles/counter cross </dev/null >/dev/null 2>/tmp/cross.err
out cross.restore.exit $?
out cross.restore.stderr "$(cat /tmp/cross.err)"
out cross.status "$(status cross)"
$R delete -f cross

# --- podman's container checkpoint and restore with ociruntime as its runtime (vfs storage, no network) ---------------
P=podman
D=/tmp/podman
mkdir -p $D /var/tmp
cat >$D/containers.conf <<EOF
[containers]
netns = "none"
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$D/events.log"
tmp_dir = "$D/libpod-tmp"
lock_type = "file"
runtime_supports_json = ["ociruntime"]
[network]
network_config_dir = "$D/networks"
EOF
PODMAN="env CONTAINERS_CONF=$D/containers.conf podman --root $D/storage --runroot $D/runroot --storage-driver vfs --runtime /bin/ociruntime"
(cd /bundle/rootfs && tar -cf $D/rootfs.tar .)
$PODMAN import $D/rootfs.tar localhost/box >/dev/null 2>/tmp/$P.err
out podman.import.exit $?
out podman.import.stderr "$(cat /tmp/$P.err)"
COUNT=/tmp/shared/podman-count
$PODMAN run -d --name pc -v /tmp/shared:/shared localhost/box sh -c 'i=0; while true; do i=$((i + 1)); echo $i >> /shared/podman-count; sleep 0.1; done' >/dev/null 2>/tmp/$P.err
out podman.run.exit $?
out podman.run.stderr "$(cat /tmp/$P.err)"
wait_lines 5
$PODMAN container checkpoint pc >/dev/null 2>/tmp/$P.err
out podman.checkpoint.exit $?
out podman.checkpoint.stderr "$(cat /tmp/$P.err)"
at=$(lines)
out podman.checkpoint.status "$($PODMAN ps -a --format '{{.Status}}' 2>&1)"
$PODMAN container restore pc >/dev/null 2>/tmp/$P.err
out podman.restore.exit $?
out podman.restore.stderr "$(cat /tmp/$P.err)"
out podman.restore.status "$($PODMAN ps -a --format '{{.Status}}' 2>&1)"
wait_lines $((at + 5))
out podman.restored.count "$(lines)"
out podman.checkpoint.count "$at"
out podman.restored.sequence "$(sequence)"
$PODMAN rm -f -t 0 pc >/dev/null 2>&1
