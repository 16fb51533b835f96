namespace OciRuntime.Cgroups.V2;

/// <summary>The `events` statistics of a v2 cgroup, read the way runc reads them.</summary>
internal static class CgroupV2Stats
{
    public static CgroupStats Read(string dir)
    {
        var stats = new CgroupStats();
        ReadCpu(dir, stats.Cpu);
        ReadMemory(dir, stats.Memory);
        stats.Pids = new PidsStats { Current = CgroupFiles.ReadNumber(dir, "pids.current"), Limit = CgroupFiles.ReadNumber(dir, "pids.max") };
        ReadIo(dir, stats.Blkio);
        ReadHugetlb(dir, stats.Hugetlb);
        if (CgroupFiles.ReadIfExists(dir, "cpuset.cpus.effective") is { Length: > 0 } cpus)
            stats.Cpuset.Cpus = CpuList.Parse(cpus);
        if (CgroupFiles.ReadIfExists(dir, "cpuset.mems.effective") is { Length: > 0 } mems)
            stats.Cpuset.Mems = CpuList.Parse(mems);
        return stats;
    }

    private static void ReadCpu(string dir, CpuStats cpu)
    {
        var stat = CgroupFiles.ReadKeyValues(dir, "cpu.stat");
        cpu.Usage.Total = stat.GetValueOrDefault("usage_usec") * 1000;
        cpu.Usage.User = stat.GetValueOrDefault("user_usec") * 1000;
        cpu.Usage.Kernel = stat.GetValueOrDefault("system_usec") * 1000;
        cpu.Throttling.Periods = stat.GetValueOrDefault("nr_periods");
        cpu.Throttling.ThrottledPeriods = stat.GetValueOrDefault("nr_throttled");
        cpu.Throttling.ThrottledTime = stat.GetValueOrDefault("throttled_usec") * 1000;
    }

    private static void ReadMemory(string dir, MemoryStats memory)
    {
        memory.Raw = CgroupFiles.ReadKeyValues(dir, "memory.stat");
        memory.Cache = memory.Raw.GetValueOrDefault("file");
        ulong usage = CgroupFiles.ReadNumber(dir, "memory.current");
        ulong limit = Limit(dir, "memory.max");
        memory.Usage = new MemoryEntry
        {
            Usage = usage,
            Limit = limit,
            Max = CgroupFiles.ReadNumber(dir, "memory.peak"),
            Failcnt = CgroupFiles.ReadKeyValues(dir, "memory.events").GetValueOrDefault("max"),
        };
        // Like runc: v1's memsw meaning, memory plus swap.
        if (CgroupFiles.Exists(dir, "memory.swap.current"))
        {
            ulong swapLimit = Limit(dir, "memory.swap.max");
            memory.Swap = new MemoryEntry
            {
                Usage = usage + CgroupFiles.ReadNumber(dir, "memory.swap.current"),
                Limit = swapLimit == ulong.MaxValue || limit == ulong.MaxValue ? ulong.MaxValue : swapLimit + limit,
                Failcnt = CgroupFiles.ReadKeyValues(dir, "memory.swap.events").GetValueOrDefault("max"),
            };
        }
    }

    /// <summary>A limit file: "max" is ulong.MaxValue (runc's "no limit").</summary>
    private static ulong Limit(string dir, string file) =>
        CgroupFiles.ReadIfExists(dir, file)?.Trim() is "max" ? ulong.MaxValue : CgroupFiles.ReadNumber(dir, file);

    /// <summary>io.stat: "254:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" per device.</summary>
    private static void ReadIo(string dir, BlkioStats blkio)
    {
        string? text = CgroupFiles.ReadIfExists(dir, "io.stat");
        // Null rather than empty: runc's omitempty leaves the fields out.
        if (string.IsNullOrWhiteSpace(text))
            return;
        blkio.IoServiceBytesRecursive = [];
        blkio.IoServicedRecursive = [];
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string[] device = fields[0].Split(':');
            var values = fields.Skip(1).Select(f => f.Split('=')).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => ulong.Parse(kv[1]));
            BlkioEntry Entry(string op, string key) => new() { Major = ulong.Parse(device[0]), Minor = ulong.Parse(device[1]), Op = op, Value = values.GetValueOrDefault(key) };
            blkio.IoServiceBytesRecursive.AddRange([Entry("Read", "rbytes"), Entry("Write", "wbytes")]);
            blkio.IoServicedRecursive.AddRange([Entry("Read", "rios"), Entry("Write", "wios")]);
        }
    }

    public static void ReadHugetlb(string dir, Dictionary<string, HugetlbStats> hugetlb)
    {
        foreach (string size in HugepageSizes.Available())
        {
            if (!CgroupFiles.Exists(dir, $"hugetlb.{size}.current"))
                continue;
            hugetlb[size] = new HugetlbStats
            {
                Usage = CgroupFiles.ReadNumber(dir, $"hugetlb.{size}.current"),
                Failcnt = CgroupFiles.ReadKeyValues(dir, $"hugetlb.{size}.events").GetValueOrDefault("max"),
            };
        }
    }
}
