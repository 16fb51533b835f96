namespace OciRuntime.Tests.Conformance.Infrastructure;

/// <summary>
/// Kernel build options a test needs beyond a path's existence, each with the reason a test is skipped without it:
/// machines change kernels, and a lean build lacks what a distribution kernel has.
/// </summary>
public static class KernelFeature
{
    /// <summary>The BFQ I/O scheduler, whose cgroup v1 policy owns blkio.bfq.weight and blkio.bfq.weight_device.</summary>
    public const string Bfq = "bfq";

    /// <summary>The hugetlb controller on a hybrid host's unified hierarchy (where this kernel keeps it: no v1 hugetlb).</summary>
    public const string UnifiedHugetlb = "unified hugetlb";

    /// <summary>A cgroup2 hierarchy: a pure v2 host's, or a hybrid host's unified one.</summary>
    public const string Cgroup2 = "cgroup2";

    /// <summary>Why this kernel lacks <paramref name="feature"/>, or null when it has it.</summary>
    public static string? MissingReason(string feature) => feature switch
    {
        // A registered elevator is listed in every request queue's scheduler file, loaded or built in.
        Bfq => Directory.GetDirectories("/sys/block").Any(device => File.Exists($"{device}/queue/scheduler") &&
                   File.ReadAllText($"{device}/queue/scheduler").Split(' ', '[', ']', '\n').Contains("bfq"))
            ? null
            : "this kernel has no BFQ I/O scheduler (no /sys/block/*/queue/scheduler lists bfq), so no blkio.bfq.* files",
        UnifiedHugetlb => File.Exists("/sys/fs/cgroup/unified/cgroup.controllers") &&
                          File.ReadAllText("/sys/fs/cgroup/unified/cgroup.controllers").Split(' ', '\n').Contains("hugetlb")
            ? null
            : "this host has no hybrid unified hierarchy with the hugetlb controller (/sys/fs/cgroup/unified/cgroup.controllers)",
        Cgroup2 => File.Exists($"{ContainerCgroup.UnifiedMount}/cgroup.procs")
            ? null
            : $"this host has no cgroup2 hierarchy ({ContainerCgroup.UnifiedMount}/cgroup.procs)",
        _ => throw new ArgumentException($"unknown kernel feature {feature}", nameof(feature)),
    };
}
