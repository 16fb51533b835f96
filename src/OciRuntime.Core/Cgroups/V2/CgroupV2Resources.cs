using OciRuntime.Config;
using OciRuntime.Kernel;


namespace OciRuntime.Cgroups.V2;

/// <summary>Writes linux.resources to one cgroup v2 directory, field by field as runc maps them; absent fields are left alone.</summary>
internal sealed class CgroupV2Resources(string dir, Action<string> warn)
{
    public void Apply(LinuxResources r)
    {
        RefuseV1Only(r);
        if (r.Pids?.Limit is { } pids)
            CgroupFiles.Write(dir, "pids.max", ResourceValues.PidsMax(pids));
        if (r.Memory is { } memory)
            ApplyMemory(memory);
        if (r.BlockIO is { } io)
            ApplyIo(io);
        if (r.Cpu is { } cpu)
            ApplyCpu(cpu);
        foreach (var hugepages in r.HugepageLimits ?? [])
            ApplyHugepages(hugepages);
        foreach (var (device, limits) in r.Rdma ?? [])
            CgroupFiles.Write(dir, "rdma.max", ResourceValues.RdmaLine(device, limits));
        // Last, so that explicit v2 keys win over the converted v1 fields (runc's order).
        foreach (var (key, value) in r.Unified ?? [])
            ApplyUnified(key, value);
    }

    /// <summary>v1-only fields with no v2 equivalent: an error where ignoring would change what the container may do, else a warning.</summary>
    private void RefuseV1Only(LinuxResources r)
    {
        if (r.Network is { } network && (network.ClassID is > 0 || network.Priorities is { Count: > 0 }))
            throw new RuntimeError("linux.resources.network: net_cls/net_prio are cgroup v1 controllers; cgroup v2 has no equivalent");
        if (r.Cpu is { RealtimeRuntime: not null and not 0 } or { RealtimePeriod: not null and not 0 })
            throw new RuntimeError("linux.resources.cpu.realtimeRuntime/realtimePeriod: cgroup v2 has no realtime CPU bandwidth (cpu.rt_*)");
        if (r.Memory is { } m)
        {
            if (m.Kernel is not null || m.KernelTCP is not null)
                warn("linux.resources.memory.kernel/kernelTCP are ignored: cgroup v2 has no separate kernel memory limit");
            if (m.Swappiness is not null)
                warn("linux.resources.memory.swappiness is ignored: cgroup v2 has no per-cgroup swappiness");
            if (m.DisableOOMKiller == true)
                warn("linux.resources.memory.disableOOMKiller is ignored: cgroup v2 cannot disable the OOM killer");
            if (m.UseHierarchy == false)
                warn("linux.resources.memory.useHierarchy=false is ignored: cgroup v2 accounting is always hierarchical");
        }
        if (r.BlockIO is { } io && (io.LeafWeight is not null || io.WeightDevice?.Any(d => d.LeafWeight is not null) == true))
            warn("linux.resources.blockIO leafWeight is ignored: cgroup v2 has no leaf weights");
    }

    private void ApplyMemory(MemoryResources m)
    {
        long? limit = m.Limit ?? (m.Swap is not null ? CurrentMemoryMax() : null);
        if (m.CheckBeforeUpdate == true)
            ResourceValues.CheckLimitAboveUsage(m.Limit, CgroupFiles.ReadNumber(dir, "memory.current"));
        if (ResourceValues.SwapMax(m.Swap, limit) is { } swap)
        {
            int errno = CgroupFiles.TryWrite(dir, "memory.swap.max", swap);
            // Without swap accounting there is no memory.swap.max; "no swap" and "unlimited" then already hold.
            if (errno != 0 && !(errno == Errno.ENOENT && swap is "max" or "0"))
                throw RuntimeError.FromErrno($"write \"{swap}\" to \"{Path.Combine(dir, "memory.swap.max")}\"", errno);
        }
        if (ResourceValues.MemoryMax(m.Limit) is { } max)
            CgroupFiles.Write(dir, "memory.max", max);
        if (ResourceValues.MemoryMax(m.Reservation) is { } low)
            CgroupFiles.Write(dir, "memory.low", low);
    }

    /// <summary>memory.max as a number (-1 for "max"): update --memory-swap alone needs the limit that is in force.</summary>
    private long? CurrentMemoryMax() =>
        CgroupFiles.ReadIfExists(dir, "memory.max") is { } text ? (text == "max" ? -1 : long.Parse(text)) : null;

    private void ApplyIo(BlockIoResources io)
    {
        // bfq's io.bfq.weight takes blkio weights as they are (and per device); otherwise io.weight with runc's conversion.
        bool bfq = CgroupFiles.Exists(dir, "io.bfq.weight");
        if (io.Weight is { } weight and > 0)
        {
            if (bfq)
                CgroupFiles.Write(dir, "io.bfq.weight", weight.ToString());
            else
                CgroupFiles.Write(dir, "io.weight", ResourceValues.BlkioToIoWeight(weight).ToString());
        }
        foreach (var device in io.WeightDevice ?? [])
        {
            if (device.Weight is not { } deviceWeight)
                continue;
            string target = $"{ResourceValues.Device(device.Major, device.Minor)} ";
            if (bfq)
                CgroupFiles.Write(dir, "io.bfq.weight", target + deviceWeight);
            else
                CgroupFiles.Write(dir, "io.weight", target + ResourceValues.BlkioToIoWeight(deviceWeight));
        }
        foreach (var (_, key, device) in ResourceValues.Throttles(io))
            CgroupFiles.Write(dir, "io.max", $"{ResourceValues.Device(device.Major, device.Minor)} {key}={device.Rate}");
    }

    private void ApplyCpu(CpuResources cpu)
    {
        if (cpu.Idle is { } idle)
            CgroupFiles.Write(dir, "cpu.idle", idle.ToString());
        if (ResourceValues.SharesToWeight(cpu.Shares ?? 0) is var weight and > 0)
            CgroupFiles.Write(dir, "cpu.weight", weight.ToString());
        if (cpu.Quota is not null and not 0 || cpu.Period is not null and not 0)
        {
            // cpu.max is "$QUOTA $PERIOD": a period alone keeps the quota in force.
            string quota = cpu.Quota switch
            {
                > 0 => cpu.Quota.Value.ToString(),
                < 0 => "max",
                _ => CgroupFiles.ReadIfExists(dir, "cpu.max")?.Split(' ')[0] ?? "max",
            };
            CgroupFiles.Write(dir, "cpu.max", cpu.Period is { } period and > 0 ? $"{quota} {period}" : quota);
        }
        if (cpu.Burst is { } burst)
            CgroupFiles.Write(dir, "cpu.max.burst", burst.ToString());
        if (!string.IsNullOrEmpty(cpu.Cpus))
            CgroupFiles.Write(dir, "cpuset.cpus", cpu.Cpus);
        if (!string.IsNullOrEmpty(cpu.Mems))
            CgroupFiles.Write(dir, "cpuset.mems", cpu.Mems);
    }

    private void ApplyHugepages(HugepageLimit hugepages)
    {
        string prefix = $"hugetlb.{hugepages.PageSize}";
        CgroupFiles.Write(dir, $"{prefix}.max", hugepages.Limit.ToString());
        // Reservation accounting (kernel 5.7+) is what the spec prefers; keep both limits equal like runc.
        if (CgroupFiles.Exists(dir, $"{prefix}.rsvd.max"))
            CgroupFiles.Write(dir, $"{prefix}.rsvd.max", hugepages.Limit.ToString());
    }

    /// <summary>An arbitrary v2 key: its name was validated (no path); each line is one write, as io.max and rdma.max need.</summary>
    private void ApplyUnified(string key, string value)
    {
        UnifiedKeys.Check(key);
        foreach (string line in value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int errno = CgroupFiles.TryWrite(dir, key, line);
            if (errno == 0)
                continue;
            string controller = key.Split('.')[0];
            if (errno is Errno.ENOENT && controller != "cgroup" && !AvailableControllers().Contains(controller))
                throw new RuntimeError($"linux.resources.unified: \"{key}\" cannot be set: controller \"{controller}\" is not available in {dir}");
            throw RuntimeError.FromErrno($"write \"{line}\" to \"{Path.Combine(dir, key)}\"", errno);
        }
    }

    private string[] AvailableControllers() => (CgroupFiles.ReadIfExists(dir, "cgroup.controllers") ?? "").Split(' ');
}
