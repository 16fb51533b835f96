using OciRuntime.Cgroups.V2;
using OciRuntime.Kernel;
using OciRuntime.Config;

namespace OciRuntime.Cgroups.V1;

/// <summary>
/// cgroup v1: one directory per mounted controller hierarchy. On a hybrid host the container also gets a directory in
/// the unified hierarchy, managed as a v2 cgroup (it holds whatever controllers v2 has there, e.g. hugetlb).
/// </summary>
internal sealed class CgroupV1Manager : ICgroupManager
{
    private readonly Dictionary<string, string> dirByController = new();
    private readonly List<string> dirs = new();
    private readonly CgroupV2Manager? unified;

    public CgroupV1Manager(CgroupPlacement placement, IEnumerable<(string MountPoint, string[] Controllers)> mounts, string? unifiedMountPoint)
    {
        Path = placement.Path;
        foreach (var (mountPoint, controllers) in mounts)
        {
            string dir = placement.DirectoryIn(mountPoint);
            if (!dirs.Contains(dir))
                dirs.Add(dir);
            foreach (string controller in controllers)
                dirByController.TryAdd(controller, dir);
        }
        if (unifiedMountPoint is not null)
            unified = new CgroupV2Manager(unifiedMountPoint, placement.PathIn(unifiedMountPoint));
    }

    public string Path { get; }

    public void Create()
    {
        foreach (string dir in dirs)
            Directory.CreateDirectory(dir);
        if (dirByController.TryGetValue("cpuset", out string? cpuset))
            InheritCpuset(cpuset);
        unified?.Create();
    }

    /// <summary>A new v1 cpuset has empty cpus/mems and refuses tasks: copy them down from the nearest set ancestor.</summary>
    private static void InheritCpuset(string dir)
    {
        foreach (string file in new[] { "cpuset.cpus", "cpuset.mems" })
        {
            var chain = new Stack<string>();
            for (string? d = dir; d is not null && CgroupFiles.ReadIfExists(d, file) is { } text; d = System.IO.Path.GetDirectoryName(d))
            {
                string value = text.Trim();
                if (value.Length > 0)
                {
                    while (chain.Count > 0)
                        CgroupFiles.Write(chain.Pop(), file, value);
                    break;
                }
                chain.Push(d);
            }
        }
    }

    public void ApplyResources(LinuxResources resources, Action<string> warn) =>
        new CgroupV1Resources(dirByController, unified is null ? null : new CgroupV2Resources(unified.Directory, warn), warn).Apply(resources);

    /// <summary>Deny everything, then replay the rules in order: exactly the list, whatever the parent allowed.</summary>
    public void ApplyDeviceRules(IReadOnlyList<DeviceCgroupRule> rules)
    {
        // The same checks as the v2 filter (e.g. no holes punched into wildcard rules), so both hosts accept the same lists.
        DeviceRuleSet.From(rules);
        string dir = ControllerDir("devices", "apply device rules");
        CgroupFiles.Write(dir, "devices.deny", "a");
        foreach (var rule in rules)
            CgroupFiles.Write(dir, rule.Allow ? "devices.allow" : "devices.deny", DeviceRules.Format(rule));
    }

    public void Update(LinuxResources changes, IReadOnlyList<DeviceCgroupRule> deviceRules, Action<string> warn) => ApplyResources(changes, warn);

    public IReadOnlyList<string> SelfJoinFiles => dirs.Select(dir => System.IO.Path.Combine(dir, "tasks")).ToList();

    public string? BirthDirectory => unified?.Directory;

    /// <summary>devices.deny "a" comes before the allow rules, so an init making /dev meanwhile would get EPERM.</summary>
    public LimitTiming LimitTiming => LimitTiming.BeforeDevices;

    /// <summary>A hybrid host's unified hierarchy always takes the process by cgroup.procs.</summary>
    public void AddProcess(int pid, bool selfJoined)
    {
        if (!selfJoined)
        {
            foreach (string dir in dirs)
                CgroupFiles.Write(dir, "cgroup.procs", pid.ToString());
        }
        unified?.AddProcess(pid, selfJoined: false);
    }

    public IReadOnlyList<int> GetPids() =>
        CgroupFiles.ReadPids(dirByController.TryGetValue("pids", out string? dir) ? dir : dirs[0]);

    /// <summary>
    /// freezer.state goes FREEZING → FROZEN; a task stuck in the kernel can keep it FREEZING, and thawing and freezing
    /// again gets past that (runc does the same).
    /// </summary>
    public void Freeze()
    {
        string dir = ControllerDir("freezer", "pause");
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            if (attempt > 0 && attempt % 50 == 0)
                CgroupFiles.Write(dir, "freezer.state", "THAWED");
            CgroupFiles.Write(dir, "freezer.state", "FROZEN");
            if (CgroupFiles.Read(dir, "freezer.state").Trim() == "FROZEN")
                return;
            Thread.Sleep(attempt < 10 ? 1 : 10);
        }
        CgroupFiles.Write(dir, "freezer.state", "THAWED");
        throw new RuntimeError($"\"{dir}\" could not be frozen: freezer.state stayed FREEZING");
    }

    public void Thaw() => CgroupFiles.Write(ControllerDir("freezer", "resume"), "freezer.state", "THAWED");

    public bool IsFrozen =>
        dirByController.TryGetValue("freezer", out string? dir) && CgroupFreezer.IsFrozen(BaseDirectory.ByPath(dir), "", v2: false);

    public CgroupStats ReadStats() => CgroupV1Stats.Read(dirByController, unified?.Directory);

    public IOomWatcher WatchOom() => new OomEventFdWatcher(ControllerDir("memory", "watch for OOM events"));

    private string ControllerDir(string controller, string purpose) =>
        dirByController.TryGetValue(controller, out string? dir)
            ? dir
            : throw new RuntimeError($"cannot {purpose}: the cgroup v1 \"{controller}\" controller is not mounted on this host");

    public void Destroy()
    {
        // A frozen v1 task does not die of SIGKILL until thawed.
        if (IsFrozen)
            Thaw();
        unified?.Destroy();
        CgroupKiller.KillAll(this);
        // Children before parents does not matter here: each hierarchy holds one leaf directory of ours.
        foreach (string dir in dirs)
            CgroupFiles.RemoveDir(dir);
    }
}
