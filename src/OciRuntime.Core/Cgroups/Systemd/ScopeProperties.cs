using OciRuntime.Config;


namespace OciRuntime.Cgroups.Systemd;

/// <summary>
/// What runc tells systemd about a container's scope: the unit itself (slice, delegation, its init) and the limits
/// systemd knows, for the hierarchy the host has. systemd rewrites the limits it knows from its own unit state (e.g. on
/// daemon-reload), so they must be unit properties; the rest is written to the cgroup files only.
/// </summary>
internal static class ScopeProperties
{
    /// <summary>The properties of a new scope holding the container's init.</summary>
    public static List<UnitProperty> ForStart(SystemdScope scope, int initPid, LinuxResources? resources,
        IReadOnlyList<DeviceCgroupRule> deviceRules, bool unified, Action<string> warn)
    {
        var properties = new List<UnitProperty>
        {
            new("Description", $"ociruntime container scope {scope.Unit}"),
            new("Slice", scope.Slice),
            // The container manages its own sub-cgroups (and, with a cgroup namespace, sees the scope as its root).
            new("Delegate", true),
            new("PIDs", new[] { (uint)initPid }),
            // Without these the scope would have no memory/cpu/pids cgroup of its own on v1, and no controllers on v2.
            new("MemoryAccounting", true),
            new("CPUAccounting", true),
            new(unified ? "IOAccounting" : "BlockIOAccounting", true),
            new("TasksAccounting", true),
            // A scope must not be ordered after the slice's shutdown dependencies, like runc's.
            new("DefaultDependencies", false),
        };
        properties.AddRange(DeviceProperties.For(deviceRules, warn));
        if (resources is not null)
            properties.AddRange(ForResources(resources, unified));
        return properties;
    }

    /// <summary>The limits systemd knows, in its v2 or v1 property names (runc's genV2/genV1ResourcesProperties).</summary>
    public static IEnumerable<UnitProperty> ForResources(LinuxResources resources, bool unified)
    {
        var memory = resources.Memory;
        var cpu = resources.Cpu;
        if (unified)
        {
            if (memory?.Limit is { } limit and not 0)
                yield return new("MemoryMax", (ulong)limit);
            if (memory?.Reservation is { } low and not 0)
                yield return new("MemoryLow", (ulong)low);
            if (ResourceValues.SwapMax(memory?.Swap, memory?.Limit) is { } swap)
                yield return new("MemorySwapMax", Limit(swap));
            if (cpu?.Shares is { } shares and not 0)
                yield return new("CPUWeight", ResourceValues.SharesToWeight(shares));
            if (!string.IsNullOrEmpty(cpu?.Cpus))
                yield return new("AllowedCPUs", CpuList.Mask(cpu.Cpus));
            if (!string.IsNullOrEmpty(cpu?.Mems))
                yield return new("AllowedMemoryNodes", CpuList.Mask(cpu.Mems));
            foreach (var property in FromUnifiedKeys(resources.Unified))
                yield return property;
        }
        else
        {
            if (memory?.Limit is { } limit and not 0)
                yield return new("MemoryLimit", (ulong)limit);
            if (cpu?.Shares is { } shares and not 0)
                yield return new("CPUShares", shares);
            if (resources.BlockIO?.Weight is { } weight and not 0)
                yield return new("BlockIOWeight", (ulong)weight);
        }
        foreach (var property in CpuQuota(cpu?.Quota, cpu?.Period))
            yield return property;
        if (resources.Pids?.Limit is { } pids and (> 0 or -1))
            yield return new("TasksMax", pids < 0 ? UnitProperty.Infinity : (ulong)pids);
    }

    /// <summary>
    /// runc's CPUQuotaPerSecUSec: the quota as µs of cpu time per second, rounded up to systemd's 10 ms granularity
    /// (a quota of -1 or none with a period is "infinity"), and the period as CPUQuotaPeriodUSec.
    /// </summary>
    private static IEnumerable<UnitProperty> CpuQuota(long? quota, ulong? period)
    {
        if (quota is null or 0 && period is null or 0)
            yield break;
        ulong effectivePeriod = period is null or 0 ? 100000 : period.Value;
        if (period is > 0)
            yield return new("CPUQuotaPeriodUSec", effectivePeriod);
        ulong perSecond = UnitProperty.Infinity;
        if (quota is > 0)
        {
            perSecond = (ulong)quota.Value * 1000000 / effectivePeriod;
            if (perSecond % 10000 != 0)
                perSecond = (perSecond / 10000 + 1) * 10000;
        }
        yield return new("CPUQuotaPerSecUSec", perSecond);
    }

    /// <summary>linux.resources.unified keys that systemd has a property for (runc's unifiedResToSystemdProps).</summary>
    private static IEnumerable<UnitProperty> FromUnifiedKeys(Dictionary<string, string>? unified)
    {
        foreach (var (key, value) in unified ?? [])
        {
            string? name = key switch
            {
                "memory.high" => "MemoryHigh",
                "memory.low" => "MemoryLow",
                "memory.min" => "MemoryMin",
                "memory.max" => "MemoryMax",
                "memory.swap.max" => "MemorySwapMax",
                "pids.max" => "TasksMax",
                _ => null,
            };
            if (name is not null)
                yield return new(name, Limit(value.Trim()));
            else if (key == "cpu.weight" && ulong.TryParse(value.Trim(), out ulong weight))
                yield return new("CPUWeight", weight);
        }
    }

    /// <summary>A cgroup file's limit ("max" or a number) as systemd's value.</summary>
    private static ulong Limit(string value) =>
        value == "max" ? UnitProperty.Infinity
        : ulong.TryParse(value, out ulong number) ? number
        : throw new RuntimeError($"linux.resources: invalid limit \"{value}\" for systemd");
}
