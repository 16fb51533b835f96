using OciRuntime.Config;


namespace OciRuntime.Cgroups;

/// <summary>
/// The cgroup of a container an unprivileged user starts: used as usual where the hierarchy is delegated to the user,
/// skipped where it is not (as runc does), unless the config asks for limits, which then cannot be had.
/// Device rules are skipped too: a user namespace cannot make device nodes anyway.
/// </summary>
internal sealed class RootlessCgroup(ICgroupManager cgroup) : ICgroupManager
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

    public void ApplyResources(LinuxResources resources, Action<string> warn)
    {
        if (!skipped)
            cgroup.ApplyResources(resources, warn);
        else if (AsksForLimits(resources))
            throw NotDelegated("config.json: /linux/resources: limits");
    }

    public void ApplyDeviceRules(IReadOnlyList<DeviceCgroupRule> rules)
    {
    }

    public void Update(LinuxResources changes, IReadOnlyList<DeviceCgroupRule> deviceRules, Action<string> warn)
    {
        if (skipped)
            throw NotDelegated("update");
        cgroup.Update(changes, [], warn);
    }

    public IReadOnlyList<string> SelfJoinFiles => skipped ? [] : cgroup.SelfJoinFiles;

    public string? BirthDirectory => skipped ? null : cgroup.BirthDirectory;

    public LimitTiming LimitTiming => cgroup.LimitTiming;

    public void AddProcess(int pid, bool selfJoined)
    {
        if (!skipped)
            cgroup.AddProcess(pid, selfJoined);
    }

    public IReadOnlyList<int> GetPids() => skipped ? [] : cgroup.GetPids();

    public void Freeze()
    {
        if (skipped)
            throw NotDelegated("pause");
        cgroup.Freeze();
    }

    public void Thaw()
    {
        if (!skipped)
            cgroup.Thaw();
    }

    public bool IsFrozen => !skipped && cgroup.IsFrozen;

    public CgroupStats ReadStats() => skipped ? throw NotDelegated("stats") : cgroup.ReadStats();

    public IOomWatcher WatchOom() => skipped ? throw NotDelegated("OOM events") : cgroup.WatchOom();

    private RuntimeError NotDelegated(string what) =>
        new($"{what}: needs a cgroup, and \"{Path}\" is not delegated to this unprivileged user");

    public void Destroy()
    {
        if (!skipped)
            cgroup.Destroy();
    }

    private static bool AsksForLimits(LinuxResources? r) =>
        r is not null && (r.Memory is not null || r.Cpu is not null || r.Pids is not null || r.BlockIO is not null
            || r.HugepageLimits is { Count: > 0 } || r.Network is not null || r.Rdma is { Count: > 0 } || r.Unified is { Count: > 0 });
}
