using OciRuntime.Spec;

namespace OciRuntime.Cgroups.V1;

/// <summary>cgroup v1: one directory per mounted controller hierarchy (plus the unified one on hybrid hosts).</summary>
public sealed class CgroupV1Manager : ICgroupManager
{
    private readonly Dictionary<string, string> dirByController = new();
    private readonly List<string> dirs = new();

    public CgroupV1Manager(string path, bool hybrid)
    {
        Path = path;
        foreach (var (mountPoint, controllers) in CgroupV1Mounts.Read())
        {
            string dir = mountPoint + (path == "/" ? "" : path);
            if (!dirs.Contains(dir))
                dirs.Add(dir);
            foreach (string controller in controllers)
                dirByController.TryAdd(controller, dir);
        }
        if (hybrid)
            dirs.Add(System.IO.Path.Combine(CgroupHierarchy.MountRoot, "unified") + path);
    }

    public string Path { get; }

    public void Create()
    {
        foreach (string dir in dirs)
            Directory.CreateDirectory(dir);
        if (dirByController.TryGetValue("cpuset", out string? cpuset))
            InheritCpuset(cpuset);
    }

    /// <summary>A new v1 cpuset has empty cpus/mems and refuses tasks: copy them down from the nearest set ancestor.</summary>
    private static void InheritCpuset(string dir)
    {
        foreach (string file in new[] { "cpuset.cpus", "cpuset.mems" })
        {
            var chain = new Stack<string>();
            for (string? d = dir; d is not null && File.Exists(System.IO.Path.Combine(d, file)); d = System.IO.Path.GetDirectoryName(d))
            {
                if (File.ReadAllText(System.IO.Path.Combine(d, file)).Trim().Length > 0)
                {
                    string value = File.ReadAllText(System.IO.Path.Combine(d, file)).Trim();
                    while (chain.Count > 0)
                        CgroupHierarchy.WriteFile(chain.Pop(), file, value);
                    break;
                }
                chain.Push(d);
            }
        }
    }

    public void Apply(RuntimeConfig config)
    {
        if (config.Linux?.Resources is { } resources)
            ApplyResources(resources);
        ApplyDeviceRules(DeviceRules.Effective(config));
    }

    private void ApplyResources(LinuxResources r)
    {
        UnsupportedResources.ThrowIfAny(r, devicesSupported: true);
        if (r.Memory is { } memory)
        {
            if (memory.Limit is { } limit)
                Write("memory", "memory.limit_in_bytes", limit.ToString());
            if (memory.Reservation is { } reservation)
                Write("memory", "memory.soft_limit_in_bytes", reservation.ToString());
            if (memory.Swap is { } swap)
                Write("memory", "memory.memsw.limit_in_bytes", swap.ToString());
        }
        if (r.Cpu is { } cpu)
        {
            if (cpu.Shares is { } shares)
                Write("cpu", "cpu.shares", shares.ToString());
            if (cpu.Period is { } period)
                Write("cpu", "cpu.cfs_period_us", period.ToString());
            if (cpu.Quota is { } quota)
                Write("cpu", "cpu.cfs_quota_us", quota.ToString());
            if (!string.IsNullOrEmpty(cpu.Cpus))
                Write("cpuset", "cpuset.cpus", cpu.Cpus);
            if (!string.IsNullOrEmpty(cpu.Mems))
                Write("cpuset", "cpuset.mems", cpu.Mems);
        }
        if (r.Pids?.Limit is { } pids)
            Write("pids", "pids.max", pids > 0 ? pids.ToString() : "max");
    }

    /// <summary>v1 device rules: deny everything, then replay the effective rules in order.</summary>
    private void ApplyDeviceRules(IEnumerable<DeviceCgroupRule> rules)
    {
        Write("devices", "devices.deny", "a");
        foreach (var rule in rules)
            Write("devices", rule.Allow ? "devices.allow" : "devices.deny", DeviceRules.Format(rule));
    }

    private void Write(string controller, string file, string value)
    {
        if (!dirByController.TryGetValue(controller, out string? dir))
            throw new RuntimeError($"cgroup controller \"{controller}\" is not mounted; cannot write {file}");
        CgroupHierarchy.WriteFile(dir, file, value);
    }

    public void AddProcess(int pid)
    {
        foreach (string dir in dirs)
            CgroupHierarchy.WriteFile(dir, "cgroup.procs", pid.ToString());
    }

    public IReadOnlyList<int> GetPids() =>
        dirByController.TryGetValue("pids", out string? dir) ? CgroupHierarchy.ReadPids(dir) : CgroupHierarchy.ReadPids(dirs[0]);

    public void Destroy()
    {
        CgroupKiller.KillAll(this);
        // Children before parents does not matter here: each hierarchy holds one leaf directory of ours.
        foreach (string dir in dirs)
            CgroupHierarchy.RemoveDir(dir);
    }
}
