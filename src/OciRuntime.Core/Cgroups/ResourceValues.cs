using OciRuntime.Config;


namespace OciRuntime.Cgroups;

/// <summary>How linux.resources values are spelled in cgroup files, where v1 and v2 agree (runc's mapping).</summary>
internal static class ResourceValues
{
    /// <summary>pids.max: -1 (any negative) is "max"; 0 is a real limit of zero tasks (config-linux.md "PIDs").</summary>
    public static string PidsMax(long limit) => limit < 0 ? "max" : limit.ToString();

    /// <summary>One rdma.max line: "mlx5_1 hca_handle=3 hca_object=10000" (absent limits left out).</summary>
    public static string RdmaLine(string device, RdmaResources limits)
    {
        string line = device;
        if (limits.HcaHandles is { } handles)
            line += $" hca_handle={handles}";
        if (limits.HcaObjects is { } objects)
            line += $" hca_object={objects}";
        return line;
    }

    /// <summary>"major:minor", how both hierarchies name a block device.</summary>
    public static string Device(long major, long minor) => $"{major}:{minor}";

    /// <summary>runc's throttle lists with their v1 file suffixes and v2 io.max keys.</summary>
    public static IEnumerable<(string V1File, string V2Key, ThrottleDevice Device)> Throttles(BlockIoResources io)
    {
        foreach (var d in io.ThrottleReadBpsDevice ?? [])
            yield return ("blkio.throttle.read_bps_device", "rbps", d);
        foreach (var d in io.ThrottleWriteBpsDevice ?? [])
            yield return ("blkio.throttle.write_bps_device", "wbps", d);
        foreach (var d in io.ThrottleReadIOPSDevice ?? [])
            yield return ("blkio.throttle.read_iops_device", "riops", d);
        foreach (var d in io.ThrottleWriteIOPSDevice ?? [])
            yield return ("blkio.throttle.write_iops_device", "wiops", d);
    }

    /// <summary>
    /// The current upstream runc/crun conversion of v1 cpu.shares [2, 262144] to v2 cpu.weight [1, 10000]: a quadratic in
    /// log2(shares) that maps the defaults onto each other (1024 → 100) and the ends onto the ends; 0 means unset.
    /// </summary>
    public static ulong SharesToWeight(ulong shares)
    {
        if (shares == 0)
            return 0;
        if (shares <= 2)
            return 1;
        if (shares >= 262144)
            return 10000;
        double l = Math.Log2(shares);
        double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        return (ulong)Math.Ceiling(Math.Pow(10, exponent));
    }

    /// <summary>runc's linear conversion of v1 blkio.weight [10, 1000] to v2 io.weight [1, 10000].</summary>
    public static ulong BlkioToIoWeight(ushort weight) => weight == 0 ? 0 : 1 + (ulong)(weight - 10) * 9999 / 990;

    /// <summary>
    /// v2 memory.swap.max from the spec's memory+swap total (runc's rules): -1 is "max", swap equal to the limit means no
    /// swap ("0"), and without a memory limit the swap part cannot be computed. Null: leave memory.swap.max alone.
    /// </summary>
    public static string? SwapMax(long? swap, long? limit)
    {
        if (limit == -1 && swap is null or 0)
            return "max";
        if (swap is null or 0)
            return null;
        if (swap == -1)
            return "max";
        if (limit == -1)
            return swap.Value.ToString();
        if (limit is null or 0)
            throw new RuntimeError("linux.resources.memory.swap: cannot set a swap limit without a memory limit");
        if (limit < 0)
            throw new RuntimeError($"linux.resources.memory.limit: invalid value {limit}");
        if (swap < limit)
            throw new RuntimeError($"linux.resources.memory.swap ({swap}) must be at least linux.resources.memory.limit ({limit}): it is memory+swap");
        return (swap.Value - limit.Value).ToString();
    }

    /// <summary>A memory value for v2 files: -1 is "max"; 0 means unset (runc) and yields null.</summary>
    public static string? MemoryMax(long? value) => value switch
    {
        null or 0 => null,
        < 0 => "max",
        _ => value.Value.ToString(),
    };

    /// <summary>checkBeforeUpdate: a new limit below what the cgroup already uses is refused instead of OOM-killing.</summary>
    public static void CheckLimitAboveUsage(long? limit, ulong usage)
    {
        if (limit is > 0 && (ulong)limit.Value < usage)
            throw new RuntimeError($"linux.resources.memory.limit: rejecting memory limit {limit} below the current usage {usage} (checkBeforeUpdate)");
    }
}
