using OciRuntime.Cgroups.V2;
using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Cgroups.V1;

/// <summary>
/// Writes linux.resources to the v1 controller directories, field by field as runc maps them; absent fields are left
/// alone. On a hybrid host the unified hierarchy takes what v1 lacks (hugetlb here) and the `unified` keys.
/// </summary>
internal sealed class CgroupV1Resources(IReadOnlyDictionary<string, string> dirByController, CgroupV2Resources? unified, Action<string> warn)
{
    public void Apply(LinuxResources r)
    {
        // Before any write, so that a refused key leaves the cgroup as it was (update) or unused (create).
        if (r.Unified is { Count: > 0 } unifiedKeys)
            CheckUnifiedKeysHaveAHierarchy(unifiedKeys.Keys);
        if (r.Cpu is { } cpuset)
            ApplyCpuset(cpuset);
        if (r.Memory is { } memory)
            ApplyMemory(memory);
        if (r.Cpu is { } cpu)
            ApplyCpu(cpu);
        if (r.Pids?.Limit is { } pids)
            CgroupFiles.Write(Dir("pids", "pids"), "pids.max", ResourceValues.PidsMax(pids));
        if (r.BlockIO is { } io)
            ApplyBlkio(io);
        if (r.HugepageLimits is { Count: > 0 } hugepages)
            ApplyHugetlb(hugepages);
        if (r.Network is { } network)
            ApplyNetwork(network);
        foreach (var (device, limits) in r.Rdma ?? [])
            CgroupFiles.Write(Dir("rdma", "rdma"), "rdma.max", ResourceValues.RdmaLine(device, limits));
        if (r.Unified is { Count: > 0 } keys)
            unified!.Apply(new LinuxResources { Unified = keys });
    }

    /// <summary>
    /// A controller lives in one hierarchy: on a hybrid host a unified key of one that v1 holds has no file to go to, and
    /// create fails (runc refuses every unified key on a host that is not pure v2); keys of the v2 side's (hugetlb, cgroup.*) are written.
    /// </summary>
    private void CheckUnifiedKeysHaveAHierarchy(IEnumerable<string> keys)
    {
        if (unified is null)
            throw new RuntimeError("linux.resources.unified: this host has no cgroup v2 hierarchy (cgroup v1 only)");
        foreach (string key in keys)
        {
            string controller = key.Split('.')[0];
            if (dirByController.ContainsKey(controller == "io" ? "blkio" : controller))
                throw new RuntimeError($"linux.resources.unified: \"{key}\" cannot be set on this hybrid host: its \"{controller}\" controller is in a cgroup v1 hierarchy here, not in the unified one; nothing was set (runc refuses unified keys on any host that is not pure cgroup v2)");
        }
    }

    /// <summary>The directory of a controller's hierarchy; a field whose controller is not mounted fails, naming both.</summary>
    private string Dir(string controller, string field) =>
        dirByController.TryGetValue(controller, out string? dir)
            ? dir
            : throw new RuntimeError($"linux.resources.{field}: the cgroup v1 \"{controller}\" controller is not mounted on this host");

    private void ApplyCpuset(CpuResources cpu)
    {
        if (!string.IsNullOrEmpty(cpu.Cpus))
            CgroupFiles.Write(Dir("cpuset", "cpu.cpus"), "cpuset.cpus", cpu.Cpus);
        if (!string.IsNullOrEmpty(cpu.Mems))
            CgroupFiles.Write(Dir("cpuset", "cpu.mems"), "cpuset.mems", cpu.Mems);
    }

    private void ApplyMemory(MemoryResources m)
    {
        string dir = Dir("memory", "memory");
        if (m.CheckBeforeUpdate == true)
            ResourceValues.CheckLimitAboveUsage(m.Limit, CgroupFiles.ReadNumber(dir, "memory.usage_in_bytes"));
        long limit = m.Limit ?? 0, swap = m.Swap ?? 0;
        // runc: an unlimited memory without a swap value means unlimited swap too (where swap is accounted).
        if (limit == -1 && swap == 0 && CgroupFiles.Exists(dir, "memory.memsw.limit_in_bytes"))
            swap = -1;
        // The kernel keeps memsw >= limit at every moment: when the total grows past the current limit, raise it first.
        bool swapFirst = limit != 0 && swap != 0 && (swap == -1 || CgroupFiles.ReadNumber(dir, "memory.limit_in_bytes") < (ulong)swap);
        if (swapFirst)
            CgroupFiles.Write(dir, "memory.memsw.limit_in_bytes", swap.ToString());
        if (limit != 0)
            CgroupFiles.Write(dir, "memory.limit_in_bytes", limit.ToString());
        if (!swapFirst && swap != 0)
            CgroupFiles.Write(dir, "memory.memsw.limit_in_bytes", swap.ToString());
        if (m.Reservation is { } reservation and not 0)
            CgroupFiles.Write(dir, "memory.soft_limit_in_bytes", reservation.ToString());
        WriteKernelLimit(dir, "memory.kmem.limit_in_bytes", m.Kernel, "kernel");
        WriteKernelLimit(dir, "memory.kmem.tcp.limit_in_bytes", m.KernelTCP, "kernelTCP");
        if (m.DisableOOMKiller == true)
            CgroupFiles.Write(dir, "memory.oom_control", "1");
        if (m.Swappiness is { } swappiness)
            CgroupFiles.Write(dir, "memory.swappiness", swappiness.ToString());
        if (m.UseHierarchy is { } hierarchy)
            WriteUseHierarchy(dir, hierarchy);
    }

    /// <summary>Kernel memory limits are deprecated: written where the kernel still has the file, else ignored with a warning.</summary>
    private void WriteKernelLimit(string dir, string file, long? value, string field)
    {
        if (value is not { } limit)
            return;
        if (CgroupFiles.Exists(dir, file))
            CgroupFiles.Write(dir, file, limit.ToString());
        else
            warn($"linux.resources.memory.{field} is ignored: this kernel has no {file}");
    }

    /// <summary>Kernels since 5.x are always hierarchical and refuse "0": that is a warning, not a failure.</summary>
    private void WriteUseHierarchy(string dir, bool hierarchy)
    {
        int errno = CgroupFiles.TryWrite(dir, "memory.use_hierarchy", hierarchy ? "1" : "0");
        if (errno == Errno.EINVAL && !hierarchy)
            warn("linux.resources.memory.useHierarchy=false is ignored: this kernel's memory accounting is always hierarchical");
        else if (errno != 0)
            throw RuntimeError.FromErrno($"write \"{(hierarchy ? "1" : "0")}\" to \"{Path.Combine(dir, "memory.use_hierarchy")}\"", errno);
    }

    private void ApplyCpu(CpuResources cpu)
    {
        bool bandwidth = cpu.Shares is not null and not 0 || cpu.Quota is not null and not 0 || cpu.Period is not null and not 0
            || cpu.Burst is not null || cpu.Idle is not null || cpu.RealtimeRuntime is not null and not 0 || cpu.RealtimePeriod is not null and not 0;
        if (!bandwidth)
            return;
        string dir = Dir("cpu", "cpu");
        if (cpu.Shares is { } shares and not 0)
        {
            CgroupFiles.Write(dir, "cpu.shares", shares.ToString());
            // The kernel clamps out-of-range shares silently; runc turns that into an error.
            ulong applied = CgroupFiles.ReadNumber(dir, "cpu.shares");
            if (applied != shares)
                throw new RuntimeError($"linux.resources.cpu.shares: the {(shares > applied ? "maximum" : "minimum")} allowed cpu-shares is {applied}");
        }
        WritePeriodAndValue(dir, "cpu.cfs_period_us", cpu.Period, "cpu.cfs_quota_us", cpu.Quota);
        if (cpu.Burst is { } burst)
            CgroupFiles.Write(dir, "cpu.cfs_burst_us", burst.ToString());
        if (cpu.Idle is { } idle)
            CgroupFiles.Write(dir, "cpu.idle", idle.ToString());
        WritePeriodAndValue(dir, "cpu.rt_period_us", cpu.RealtimePeriod, "cpu.rt_runtime_us", cpu.RealtimeRuntime);
    }

    /// <summary>
    /// A period and the amount allowed in it: the kernel checks each write against the other's current value, so a period
    /// refused with EINVAL is written again after the amount (runc's order).
    /// </summary>
    private static void WritePeriodAndValue(string dir, string periodFile, ulong? period, string valueFile, long? value)
    {
        bool periodPending = false;
        if (period is { } p and not 0)
        {
            int errno = CgroupFiles.TryWrite(dir, periodFile, p.ToString());
            periodPending = errno == Errno.EINVAL && value is not null and not 0;
            if (errno != 0 && !periodPending)
                throw RuntimeError.FromErrno($"write \"{p}\" to \"{Path.Combine(dir, periodFile)}\"", errno);
        }
        if (value is { } v and not 0)
            CgroupFiles.Write(dir, valueFile, v.ToString());
        if (periodPending)
            CgroupFiles.Write(dir, periodFile, period!.Value.ToString());
    }

    private void ApplyBlkio(BlockIoResources io)
    {
        string dir = Dir("blkio", "blockIO");
        // CFQ's blkio.weight is gone from current kernels; bfq has the same knobs under blkio.bfq.* (runc's detection).
        string weightFile = CgroupFiles.Exists(dir, "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
        string weightDeviceFile = weightFile == "blkio.weight" ? "blkio.weight_device" : "blkio.bfq.weight_device";
        if (io.Weight is { } weight and not 0)
            CgroupFiles.Write(dir, weightFile, weight.ToString());
        if (io.LeafWeight is { } leafWeight and not 0)
            CgroupFiles.Write(dir, "blkio.leaf_weight", leafWeight.ToString());
        foreach (var device in io.WeightDevice ?? [])
        {
            string target = ResourceValues.Device(device.Major, device.Minor);
            if (device.Weight is { } w and not 0)
                CgroupFiles.Write(dir, weightDeviceFile, $"{target} {w}");
            if (device.LeafWeight is { } lw and not 0)
                CgroupFiles.Write(dir, "blkio.leaf_weight_device", $"{target} {lw}");
        }
        foreach (var (file, _, device) in ResourceValues.Throttles(io))
            CgroupFiles.Write(dir, file, $"{ResourceValues.Device(device.Major, device.Minor)} {device.Rate}");
    }

    private void ApplyHugetlb(List<HugepageLimit> limits)
    {
        if (!dirByController.TryGetValue("hugetlb", out string? dir))
        {
            // Hybrid hosts may have hugetlb on the unified side only (this kernel does).
            var hybridPart = unified ?? throw new RuntimeError("linux.resources.hugepageLimits: the hugetlb controller is not available on this host");
            hybridPart.Apply(new LinuxResources { HugepageLimits = limits });
            return;
        }
        foreach (var limit in limits)
        {
            string prefix = $"hugetlb.{limit.PageSize}";
            CgroupFiles.Write(dir, $"{prefix}.limit_in_bytes", limit.Limit.ToString());
            if (CgroupFiles.Exists(dir, $"{prefix}.rsvd.limit_in_bytes"))
                CgroupFiles.Write(dir, $"{prefix}.rsvd.limit_in_bytes", limit.Limit.ToString());
        }
    }

    private void ApplyNetwork(NetworkResources network)
    {
        if (network.ClassID is { } classId and not 0)
            CgroupFiles.Write(Dir("net_cls", "network.classID"), "net_cls.classid", classId.ToString());
        foreach (var priority in network.Priorities ?? [])
            CgroupFiles.Write(Dir("net_prio", "network.priorities"), "net_prio.ifpriomap", $"{priority.Name} {priority.Priority}");
    }
}
