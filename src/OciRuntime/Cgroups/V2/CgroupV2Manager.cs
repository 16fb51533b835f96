using OciRuntime.Spec;

namespace OciRuntime.Cgroups.V2;

/// <summary>cgroup v2: one directory in the unified hierarchy; controllers enabled in each ancestor's subtree_control.</summary>
public sealed class CgroupV2Manager(string mountRoot, string path) : ICgroupManager
{
    private readonly string dir = mountRoot + (path == "/" ? "" : path);

    public string Path { get; } = path;

    public void Create()
    {
        Directory.CreateDirectory(dir);
        EnableControllers();
    }

    /// <summary>Writes "+ctrl" for every available controller into each ancestor's cgroup.subtree_control.</summary>
    private void EnableControllers()
    {
        string current = mountRoot;
        foreach (string part in Path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string available = File.ReadAllText(System.IO.Path.Combine(current, "cgroup.controllers")).Trim();
            if (available.Length > 0)
            {
                string enable = string.Join(' ', available.Split(' ').Select(c => "+" + c));
                try
                {
                    File.WriteAllText(System.IO.Path.Combine(current, "cgroup.subtree_control"), enable);
                }
                catch (IOException)
                {
                    // A parent with processes of its own cannot delegate (no internal processes rule); limits will then fail visibly.
                }
            }
            current = System.IO.Path.Combine(current, part);
        }
    }

    public void Apply(RuntimeConfig config)
    {
        if (config.Linux?.Resources is { } resources)
            ApplyResources(resources);
    }

    private void ApplyResources(LinuxResources r)
    {
        UnsupportedResources.ThrowIfAny(r, devicesSupported: false);
        if (r.Memory is { } memory)
        {
            if (memory.Limit is { } limit)
                CgroupHierarchy.WriteFile(dir, "memory.max", limit > 0 ? limit.ToString() : "max");
            if (memory.Reservation is { } reservation)
                CgroupHierarchy.WriteFile(dir, "memory.low", reservation.ToString());
            if (memory.Swap is { } swap && memory.Limit is { } lim && swap > 0)
                CgroupHierarchy.WriteFile(dir, "memory.swap.max", (swap - lim).ToString());
        }
        if (r.Cpu is { } cpu)
        {
            if (cpu.Shares is { } shares and > 0)
                CgroupHierarchy.WriteFile(dir, "cpu.weight", SharesToWeight(shares).ToString());
            if (cpu.Quota is not null || cpu.Period is not null)
                CgroupHierarchy.WriteFile(dir, "cpu.max", $"{(cpu.Quota is { } q and > 0 ? q.ToString() : "max")} {cpu.Period ?? 100000}");
            if (!string.IsNullOrEmpty(cpu.Cpus))
                CgroupHierarchy.WriteFile(dir, "cpuset.cpus", cpu.Cpus);
            if (!string.IsNullOrEmpty(cpu.Mems))
                CgroupHierarchy.WriteFile(dir, "cpuset.mems", cpu.Mems);
        }
        if (r.Pids?.Limit is { } pids)
            CgroupHierarchy.WriteFile(dir, "pids.max", pids > 0 ? pids.ToString() : "max");
    }

    /// <summary>runc's conversion of v1 cpu.shares [2, 262144] to v2 cpu.weight [1, 10000].</summary>
    public static ulong SharesToWeight(ulong shares) => 1 + ((shares - 2) * 9999) / 262142;

    public void AddProcess(int pid) => CgroupHierarchy.WriteFile(dir, "cgroup.procs", pid.ToString());

    public IReadOnlyList<int> GetPids() => CgroupHierarchy.ReadPids(dir);

    public void Destroy()
    {
        if (!Directory.Exists(dir))
            return;
        string kill = System.IO.Path.Combine(dir, "cgroup.kill");
        if (File.Exists(kill))
            File.WriteAllText(kill, "1");
        CgroupKiller.KillAll(this);
        CgroupHierarchy.RemoveDir(dir);
    }
}
