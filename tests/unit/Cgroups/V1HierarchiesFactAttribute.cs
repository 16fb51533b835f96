namespace OciRuntime.Tests.Unit.Cgroups;

/// <summary>
/// A fact about placing cgroups in v1 hierarchies: skipped, with the reason printed, where this process is in no v1
/// memory and pids hierarchies (a pure cgroup v2 host or container).
/// </summary>
public sealed class V1HierarchiesFactAttribute : FactAttribute
{
    public override string? Skip
    {
        get => base.Skip ?? (InV1MemoryAndPids() ? null : "this process is in no v1 memory and pids hierarchies (a pure cgroup v2 host)");
        set => base.Skip = value;
    }

    private static bool InV1MemoryAndPids()
    {
        var controllers = File.ReadLines("/proc/self/cgroup").Select(line => line.Split(':', 3)[1]).ToList();
        return controllers.Contains("memory") && controllers.Contains("pids");
    }
}
