using OciRuntime.Config;
using OciRuntime.Kernel;


namespace OciRuntime.Cgroups.V2;

/// <summary>cgroup v2: one directory in the unified hierarchy; controllers enabled in each ancestor's subtree_control.</summary>
internal sealed class CgroupV2Manager(string mountRoot, string path) : ICgroupManager
{
    private readonly string dir = mountRoot + (path == "/" ? "" : path);

    public string Path { get; } = path;

    /// <summary>The cgroup's directory on the host.</summary>
    public string Directory => dir;

    public void Create()
    {
        System.IO.Directory.CreateDirectory(dir);
        EnableControllers();
    }

    /// <summary>Writes "+ctrl" for every available controller into each ancestor's cgroup.subtree_control (as runc does).</summary>
    private void EnableControllers()
    {
        string current = mountRoot;
        foreach (string part in Path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] available = CgroupFiles.Read(current, "cgroup.controllers").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (available.Length > 0 && CgroupFiles.TryWrite(current, "cgroup.subtree_control", string.Join(' ', available.Select(c => "+" + c))) != 0)
            {
                // One refused controller (e.g. cpu with realtime tasks around) must not cost the others; a field that
                // needs a missing controller then fails on its own file.
                foreach (string controller in available)
                    CgroupFiles.TryWrite(current, "cgroup.subtree_control", "+" + controller);
            }
            current = System.IO.Path.Combine(current, part);
        }
    }

    public void ApplyResources(LinuxResources resources, Action<string> warn) => new CgroupV2Resources(dir, warn).Apply(resources);

    public void ApplyDeviceRules(IReadOnlyList<DeviceCgroupRule> rules) =>
        BpfDeviceFilter.Install(dir, DeviceFilterProgram.Compile(DeviceRuleSet.From(rules)));

    public void Update(LinuxResources changes, IReadOnlyList<DeviceCgroupRule> deviceRules, Action<string> warn)
    {
        ApplyResources(changes, warn);
        ApplyDeviceRules(deviceRules);
    }

    /// <summary>None: cgroup.threads moves a thread only inside a threaded subtree, so a process joins by cgroup.procs.</summary>
    public IReadOnlyList<string> SelfJoinFiles => [];

    public string? BirthDirectory => dir;

    /// <summary>The device filter is attached whole, and the init makes only devices it allows.</summary>
    public LimitTiming LimitTiming => LimitTiming.BeforeReady;

    public void AddProcess(int pid, bool selfJoined) => CgroupFiles.Write(dir, "cgroup.procs", pid.ToString());

    public IReadOnlyList<int> GetPids() => CgroupFiles.ReadPids(dir);

    public void Freeze()
    {
        CgroupFiles.Write(dir, "cgroup.freeze", "1");
        WaitForFrozen(true);
    }

    public void Thaw()
    {
        CgroupFiles.Write(dir, "cgroup.freeze", "0");
        WaitForFrozen(false);
    }

    public bool IsFrozen => CgroupFreezer.IsFrozen(BaseDirectory.ByPath(dir), "", v2: true);

    /// <summary>The kernel freezes asynchronously; cgroup.events says "frozen 1" once every task has stopped.</summary>
    private void WaitForFrozen(bool frozen)
    {
        string expected = frozen ? "1" : "0";
        for (int attempt = 0; attempt < 2000; attempt++)
        {
            if (CgroupFiles.ReadKeyValues(dir, "cgroup.events").GetValueOrDefault("frozen").ToString() == expected)
                return;
            Thread.Sleep(attempt < 20 ? 1 : 5);
        }
        throw new RuntimeError($"\"{dir}\" did not become {(frozen ? "frozen" : "thawed")} (cgroup.events never showed frozen {expected})");
    }

    public CgroupStats ReadStats() => CgroupV2Stats.Read(dir);

    public IOomWatcher WatchOom() => new MemoryEventsWatcher(dir);

    public void Destroy()
    {
        // The usual cgroup by now (the init reaped, its pid namespace with it): no process and no sub-cgroup left, and
        // the kernel refuses the rmdir (EBUSY) otherwise.
        if (Syscall.TryRemoveDirectory(dir) is 0 or Errno.ENOENT)
            return;
        // cgroup.kill (5.14+) kills every process at once, frozen ones too; the loop then waits for them to be gone.
        CgroupFiles.TryWrite(dir, "cgroup.kill", "1");
        CgroupKiller.KillAll(this);
        CgroupFiles.RemoveDir(dir);
    }
}
