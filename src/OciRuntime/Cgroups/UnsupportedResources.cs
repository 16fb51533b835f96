using OciRuntime.Spec;

namespace OciRuntime.Cgroups;

/// <summary>Refuses linux.resources fields that are not built yet, naming each by its JSON path.</summary>
public static class UnsupportedResources
{
    public static void ThrowIfAny(LinuxResources r, bool devicesSupported)
    {
        var missing = new List<string>();
        void Check(bool present, string path)
        {
            if (present)
                missing.Add(path);
        }
        Check(!devicesSupported && r.Devices is { Count: > 0 }, "devices");
        Check(r.Memory?.Kernel is not null, "memory/kernel");
        Check(r.Memory?.KernelTCP is not null, "memory/kernelTCP");
        Check(r.Memory?.Swappiness is not null, "memory/swappiness");
        Check(r.Memory?.DisableOOMKiller is not null, "memory/disableOOMKiller");
        Check(r.Cpu?.Burst is not null, "cpu/burst");
        Check(r.Cpu?.RealtimeRuntime is not null || r.Cpu?.RealtimePeriod is not null, "cpu/realtimeRuntime");
        Check(r.Cpu?.Idle is not null, "cpu/idle");
        Check(r.BlockIO is not null, "blockIO");
        Check(r.HugepageLimits is { Count: > 0 }, "hugepageLimits");
        Check(r.Network is not null, "network");
        Check(r.Rdma is { Count: > 0 }, "rdma");
        Check(r.Unified is { Count: > 0 }, "unified");
        if (missing.Count > 0)
            throw new RuntimeError(string.Join("\n", missing.Select(m => $"config.json: /linux/resources/{m}: not supported yet by ociruntime")));
    }
}
