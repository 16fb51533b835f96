using OciRuntime.Spec;

namespace OciRuntime.Cgroups;

/// <summary>
/// The cgroup of a container an unprivileged user starts: used as usual where the hierarchy is delegated to the user,
/// skipped where it is not (as runc does), unless the config asks for limits, which then cannot be had.
/// Device rules are skipped too: a user namespace cannot make device nodes anyway.
/// </summary>
public sealed class RootlessCgroup(ICgroupManager cgroup) : ICgroupManager
{
    private bool skipped;

    public string Path => cgroup.Path;

    public void Create()
    {
        try
        {
            cgroup.Create();
        }
        catch (UnauthorizedAccessException)
        {
            skipped = true;
        }
    }

    public void Apply(RuntimeConfig config)
    {
        if (!skipped)
            cgroup.Apply(config);
        else if (AsksForLimits(config.Linux?.Resources))
            throw new RuntimeError($"config.json: /linux/resources: limits need a cgroup, and \"{Path}\" is not delegated to this unprivileged user");
    }

    public void AddProcess(int pid)
    {
        if (!skipped)
            cgroup.AddProcess(pid);
    }

    public IReadOnlyList<int> GetPids() => skipped ? [] : cgroup.GetPids();

    public void Destroy()
    {
        if (!skipped)
            cgroup.Destroy();
    }

    private static bool AsksForLimits(LinuxResources? r) =>
        r is not null && (r.Memory is not null || r.Cpu is not null || r.Pids is not null || r.BlockIO is not null
            || r.HugepageLimits is { Count: > 0 } || r.Network is not null || r.Rdma is { Count: > 0 } || r.Unified is { Count: > 0 });
}
