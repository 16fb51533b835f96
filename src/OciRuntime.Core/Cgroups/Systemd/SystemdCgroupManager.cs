using OciRuntime.Config;


namespace OciRuntime.Cgroups.Systemd;

/// <summary>
/// The systemd cgroup driver (`--systemd-cgroup`): the container's cgroup is a transient scope unit that systemd
/// creates around its init, with Delegate=yes and the limits systemd knows as unit properties; everything else
/// (the other limits, devices, freezing, stats, pids) is done on the scope's cgroup files by the v1/v2 manager, as in runc.
/// </summary>
/// <param name="files">the cgroupfs manager on the scope's cgroup path</param>
internal sealed class SystemdCgroupManager(SystemdScope scope, ICgroupManager files, bool unified) : ICgroupManager
{
    private bool creating;
    private LinuxResources? resources;
    private Action<string> warnOnStart = _ => { };
    private IReadOnlyList<DeviceCgroupRule> deviceRules = [];

    public string Path => files.Path;

    /// <summary>Only remembers: systemd (252) refuses a scope without a process, so the scope starts with the init.</summary>
    public void Create() => creating = true;

    public void ApplyResources(LinuxResources resources, Action<string> warn)
    {
        if (creating)
            (this.resources, warnOnStart) = (resources, warn);
        else
            files.ApplyResources(resources, warn);
    }

    public void ApplyDeviceRules(IReadOnlyList<DeviceCgroupRule> rules)
    {
        if (creating)
            deviceRules = rules;
        else
            files.ApplyDeviceRules(rules);
    }

    /// <summary>None: the scope's directories exist only once systemd started it with the process in it.</summary>
    public IReadOnlyList<string> SelfJoinFiles => [];

    /// <summary>
    /// None for the init, which starts the scope with its pid (as crun's); an exec'd process is born in the started scope
    /// on a v2 host (on v1 the parent moves it into every hierarchy).
    /// </summary>
    public string? BirthDirectory => creating || !unified ? null : files.BirthDirectory;

    /// <summary>They are the scope's properties when it starts.</summary>
    public LimitTiming LimitTiming => LimitTiming.BeforeProgram;

    /// <summary>The init starts the scope; exec'd processes (and v1 hierarchies systemd leaves alone) join through the files.</summary>
    public void AddProcess(int pid, bool selfJoined)
    {
        if (creating)
            StartScope(pid);
        files.AddProcess(pid, selfJoined: false);
    }

    private void StartScope(int initPid)
    {
        using (var bus = SystemdManagerBus.Connect())
            bus.StartTransientUnit(scope.Unit, ScopeProperties.ForStart(scope, initPid, resources, deviceRules, unified, warnOnStart));
        creating = false;
        // systemd made the scope's cgroup in the hierarchies it manages; the files manager makes the rest (v1 freezer,
        // cpuset, …) and writes every limit, as runc's systemd driver does after starting the unit.
        files.Create();
        if (resources is not null)
            files.ApplyResources(resources, warnOnStart);
        files.ApplyDeviceRules(deviceRules);
    }

    public void Update(LinuxResources changes, IReadOnlyList<DeviceCgroupRule> deviceRules, Action<string> warn)
    {
        var properties = ScopeProperties.ForResources(changes, unified).ToList();
        if (properties.Count > 0)
        {
            using var bus = SystemdManagerBus.Connect();
            bus.SetUnitProperties(scope.Unit, properties);
        }
        files.Update(changes, deviceRules, warn);
    }

    public IReadOnlyList<int> GetPids() => files.GetPids();

    public void Freeze() => files.Freeze();

    public void Thaw() => files.Thaw();

    public bool IsFrozen => files.IsFrozen;

    public CgroupStats ReadStats() => files.ReadStats();

    public IOomWatcher WatchOom() => files.WatchOom();

    /// <summary>Stops the scope (systemd kills what is left and removes its cgroups), then removes the cgroups systemd does not manage.</summary>
    public void Destroy()
    {
        // A create that failed before its init ran has no scope and no cgroup yet.
        if (creating)
            return;
        using (var bus = SystemdManagerBus.Connect())
        {
            bus.StopUnit(scope.Unit);
            bus.ResetFailedUnit(scope.Unit);
        }
        files.Destroy();
    }
}
