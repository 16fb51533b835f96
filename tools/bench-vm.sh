# tools/bench-vm.sh: sourced by tools/bench.sh; its vm pass.
#
# The host's cgroup2 hierarchy has no controllers of its own (they stay bound to v1), so bench.sh's v2 pass measures
# placement only. This pass boots Debian's kernel (linux-image-amd64) under qemu's software emulation with an
# initramfs holding busybox, the three runtimes and their libraries, bench-time and one bundle whose config limits
# memory, pids and CPU: there every runtime writes real v2 controller files and attaches its device eBPF program.
# tools/bench-vm-init.sh runs the commands inside and prints the samples on the serial console. Emulation inflates
# every CPU instruction and hides what a real host's hardware costs, so only the ratios between runtimes are reported.

VM_ITERS="${BENCH_VM_ITERS:-15}"
VM_WARMUP="${BENCH_VM_WARMUP:-2}"
# One CPU, as the test VMs have: with two (qemu 7.2's multi-threaded TCG), 2 passes of 22 hung in a guest soft lockup;
# the one stack caught shows a CPU spinning in ___slab_alloc as the bootstrap's unshare made a network namespace.
VM_CPUS=1
VM_TIMEOUT=600    # seconds; a pass takes about 70 s on the 2-core machine of the README
VM_KERNEL=""
VM_CONSOLE=""

# vm_copy_with_libraries PROGRAM ROOT TARGET: PROGRAM at ROOT/TARGET with the shared libraries ldd names for it.
vm_copy_with_libraries() {
    local program="$1" root="$2" target="$3" library
    install -D -m 0755 "$program" "$root/$target"
    while read -r library; do
        install -D -m 0755 "$library" "$root$library"
    done < <(ldd "$program" 2>/dev/null | grep -oE '/[^ ]+ \(0x' | cut -d' ' -f1)
}

# vm_bundle DIR ARGS_JSON: a bundle in the initramfs tree whose config is bench.sh's, with the rootfs at /bundle/rootfs,
# a cgroup namespace (as `spec` and the engines give one on a v2 host, and the v2 pass has) and limits on the three
# controllers the VM enables (the spec's deny-all device rule is already there).
vm_bundle() {
    local dir="$1" args="$2"
    mkdir -p "$dir"
    jq --argjson args "$args" '
        .root.path = "/bundle/rootfs" | .process.args = $args |
        .linux.namespaces = ([.linux.namespaces[] | select(.type != "cgroup")] + [{ type: "cgroup" }]) |
        .linux.resources.memory = { limit: 268435456 } |
        .linux.resources.pids = { limit: 1024 } |
        .linux.resources.cpu = { shares: 1024, quota: 100000, period: 100000 }' \
        "$TMP/bundle/config.json" >"$dir/config.json"
}

# vm_build_initramfs FILE: the initramfs tools/bench-vm-init.sh runs in.
vm_build_initramfs() {
    local initramfs="$1" tree="$TMP/vm" name
    mkdir -p "$tree/bin"
    vm_copy_with_libraries /bin/busybox "$tree" bin/busybox
    for name in "${RUNTIMES[@]}"; do
        vm_copy_with_libraries "${BIN[$name]}" "$tree" "bin/$name"
    done
    # Static: the initramfs has no dynamic loader of its own unless a runtime brought one.
    "${CC:-gcc}" -O2 -static -o "$tree/bin/bench-time" "$REPO/tools/bench-time.c" ||
        die "cannot compile tools/bench-time.c statically (needs gcc and libc6-dev)"
    install -m 0755 "$REPO/tools/bench-vm-init.sh" "$tree/init"
    install -m 0644 "$REPO/tests/conformance/Infrastructure/Vm/vm-stages.sh" "$tree/vm-stages.sh"
    vm_bundle "$tree/bundle" '["/bin/true"]'
    cp -a "$TMP/bundle/rootfs" "$tree/bundle/rootfs"
    # The preflight's container exits 42 only if it runs under the limits: a runtime that skipped them would look fast.
    vm_bundle "$tree/check" '["/bin/sh", "-c", "cd /sys/fs/cgroup; [ \"$(cat memory.max pids.max)\" = \"268435456\n1024\" ] && exit 42; cat memory.max pids.max; exit 1"]'
    printf 'RUNTIMES="%s"\nWARMUP=%d\nITERS=%d\nTOKEN=%s\n' "${RUNTIMES[*]}" "$VM_WARMUP" "$VM_ITERS" "$RUN_TOKEN" \
        >"$tree/bench.env"
    (cd "$tree" && find . | busybox cpio -o -H newc 2>/dev/null) >"$initramfs" || die "cannot write the initramfs"
}

# vm_pass: boots the VM and turns its "@@ sample KEY RUNTIME µs" lines into $TMP/samples/KEY.RUNTIME.
vm_pass() {
    local initramfs="$TMP/vm.cpio" key name us status=0
    [[ -x /usr/bin/qemu-system-x86_64 ]] || die "qemu-system-x86_64 not found (Debian package qemu-system-x86)"
    VM_KERNEL="$(find /boot -maxdepth 1 -name 'vmlinuz-*' 2>/dev/null | sort | tail -n 1)"
    [[ -n "$VM_KERNEL" ]] || die "no /boot/vmlinuz-* (Debian package linux-image-amd64)"
    vm_build_initramfs "$initramfs"
    log "vm: booting $(basename "$VM_KERNEL") under qemu TCG, $VM_CPUS CPUs ($VM_WARMUP warm-up + $VM_ITERS iterations)"
    VM_CONSOLE="$TMP/vm.console"
    timeout "$VM_TIMEOUT" qemu-system-x86_64 -accel tcg -smp "$VM_CPUS" -m 1024 -nographic -no-reboot \
        -kernel "$VM_KERNEL" -initrd "$initramfs" -append "console=ttyS0 panic=-1 quiet" \
        </dev/null >"$VM_CONSOLE" 2>&1 || status=$?
    tr -d '\r' <"$VM_CONSOLE" >"$VM_CONSOLE.tmp" && mv "$VM_CONSOLE.tmp" "$VM_CONSOLE"
    ! grep -q 'soft lockup' "$VM_CONSOLE" || die "vm: the guest kernel reported a soft lockup: $(grep -m 1 'soft lockup' "$VM_CONSOLE")"
    ((status == 0)) || die "vm: qemu exited $status (124: timed out after $VM_TIMEOUT s); the console ends with: $(tail -n 5 "$VM_CONSOLE")"
    if grep -q '^@@ fail ' "$VM_CONSOLE"; then
        die "vm: $(grep -m 1 '^@@ fail ' "$VM_CONSOLE" | cut -c9-)"
    fi
    grep -qx '@@ done' "$VM_CONSOLE" || die "vm: the pass did not finish; the console ends with: $(tail -n 5 "$VM_CONSOLE")"
    while read -r _ _ key name us; do
        echo "$us" >>"$TMP/samples/$key.$name"
    done < <(grep '^@@ sample ' "$VM_CONSOLE")
    LEFTOVER_CGROUPS="$(vm_console_value leftover)"
    [[ "$LEFTOVER_CGROUPS" != 0 ]] || LEFTOVER_CGROUPS=none
    LEFTOVER_CGROUPS+=" (in the VM)"
}

# vm_console_value KEY: the rest of the VM's "@@ KEY ..." line.
vm_console_value() {
    sed -n "s/^@@ $1 //p" "$VM_CONSOLE" | head -n 1
}

# vm_report: the pass's header, medians for the record and the ratio table.
vm_report() {
    local key col div unit label name med p90 min max table=""
    declare -A MED
    echo "ociruntime benchmark, cgroup v2 kernel in a VM, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "host: $(uname -sr), $(nproc) CPUs; VM: qemu $(qemu-system-x86_64 --version | sed -n 's/.*version \([^ ]*\).*/\1/p') TCG," \
        "$(vm_console_value cpus) CPUs, kernel $(vm_console_value kernel) (Debian), cgroup v2 controllers: $(vm_console_value controllers)"
    echo "load average (1/5/15 min): at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
    for name in "${RUNTIMES[@]}"; do
        printf '  %-11s %s  (%s)\n' "$name" "$(version_of "$name")" "${BIN[$name]}"
    done
    echo "method: as the other passes (interleaved, rotated, each command timed alone by bench-time), inside the VM;"
    echo "        $VM_WARMUP warm-up + $VM_ITERS measured iterations; config with memory, pids and cpu limits and the"
    echo "        deny-all device rule, so every runtime writes v2 controller files and attaches a device eBPF program."
    echo "        Software emulation inflates CPU work and dynamic linking: the times are not a host's, the ratios are"
    echo "        what to compare."
    echo "cgroups left behind after the run: $LEFTOVER_CGROUPS"
    echo
    printf '  %-58s %-11s %9s %9s %9s %9s\n' "figure (emulated)" runtime median p90 min max
    while IFS='|' read -r key col div unit label; do
        # The VM's samples are the wall times of run, cycle and create.
        [[ "$col" == 1 && -s "$TMP/samples/$key.ociruntime" ]] || continue
        for name in "${RUNTIMES[@]}"; do
            [[ -s "$TMP/samples/$key.$name" ]] || die "vm: no $key samples for $name"
            read -r med p90 min max < <(stats "$TMP/samples/$key.$name" "$col" "$div")
            MED[$name]="$med"
            printf '  %-58s %-11s %9s %9s %9s %9s\n' "$label ($unit)" "$name" "$med" "$p90" "$min" "$max"
        done
        table+="$(awk -v label="$label" -v o="${MED[ociruntime]}" -v r="${MED[runc]}" -v c="${MED[crun]}" \
            'BEGIN { printf "| %s | %.2f | %.2f |", label, o / r, o / c }')"$'\n'
    done < <(rows)
    [[ -n "$table" ]] || die "vm: no samples"
    echo
    echo "Ratios of medians (ociruntime's divided by runc's and crun's; below 1.0: ociruntime faster):"
    echo
    echo "| scenario (v2 kernel in qemu, with resources) | /runc | /crun |"
    echo "| --- | ---: | ---: |"
    printf '%s' "$table"
}
