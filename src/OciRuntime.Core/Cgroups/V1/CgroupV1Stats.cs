using OciRuntime.Cgroups.V2;

namespace OciRuntime.Cgroups.V1;

/// <summary>The `events` statistics of a v1 container, read from each controller's files the way runc reads them.</summary>
internal static class CgroupV1Stats
{
    /// <summary>cpuacct.stat counts USER_HZ (100/s) ticks.</summary>
    private const ulong NanosecondsPerTick = 10_000_000;

    public static CgroupStats Read(IReadOnlyDictionary<string, string> dirByController, string? unifiedDir)
    {
        var stats = new CgroupStats();
        if (dirByController.TryGetValue("cpuacct", out string? cpuacct))
            ReadCpuUsage(cpuacct, stats.Cpu.Usage);
        if (dirByController.TryGetValue("cpu", out string? cpu))
        {
            var stat = CgroupFiles.ReadKeyValues(cpu, "cpu.stat");
            stats.Cpu.Throttling = new CpuThrottling
            {
                Periods = stat.GetValueOrDefault("nr_periods"),
                ThrottledPeriods = stat.GetValueOrDefault("nr_throttled"),
                ThrottledTime = stat.GetValueOrDefault("throttled_time"),
            };
        }
        if (dirByController.TryGetValue("cpuset", out string? cpuset))
        {
            stats.Cpuset.Cpus = CpuList.Parse(CgroupFiles.Read(cpuset, "cpuset.cpus"));
            stats.Cpuset.Mems = CpuList.Parse(CgroupFiles.Read(cpuset, "cpuset.mems"));
        }
        if (dirByController.TryGetValue("memory", out string? memory))
            ReadMemory(memory, stats.Memory);
        if (dirByController.TryGetValue("pids", out string? pids))
            stats.Pids = new PidsStats { Current = CgroupFiles.ReadNumber(pids, "pids.current"), Limit = CgroupFiles.ReadNumber(pids, "pids.max") };
        if (dirByController.TryGetValue("blkio", out string? blkio))
            ReadBlkio(blkio, stats.Blkio);
        if (dirByController.TryGetValue("hugetlb", out string? hugetlb))
            ReadHugetlb(hugetlb, stats.Hugetlb);
        else if (unifiedDir is not null)
            CgroupV2Stats.ReadHugetlb(unifiedDir, stats.Hugetlb);
        return stats;
    }

    private static void ReadCpuUsage(string dir, CpuUsage usage)
    {
        usage.Total = CgroupFiles.ReadNumber(dir, "cpuacct.usage");
        usage.PerCpu = Numbers(dir, "cpuacct.usage_percpu");
        usage.PerCpuKernel = Numbers(dir, "cpuacct.usage_percpu_sys");
        usage.PerCpuUser = Numbers(dir, "cpuacct.usage_percpu_user");
        var ticks = CgroupFiles.ReadKeyValues(dir, "cpuacct.stat");
        usage.User = ticks.GetValueOrDefault("user") * NanosecondsPerTick;
        usage.Kernel = ticks.GetValueOrDefault("system") * NanosecondsPerTick;
    }

    private static List<ulong>? Numbers(string dir, string file) =>
        CgroupFiles.ReadIfExists(dir, file)?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ulong.Parse).ToList();

    private static void ReadMemory(string dir, MemoryStats memory)
    {
        memory.Raw = CgroupFiles.ReadKeyValues(dir, "memory.stat");
        memory.Cache = memory.Raw.GetValueOrDefault("cache");
        memory.Usage = Entry(dir, "memory");
        memory.Swap = Entry(dir, "memory.memsw");
        memory.Kernel = Entry(dir, "memory.kmem");
        memory.KernelTcp = Entry(dir, "memory.kmem.tcp");
    }

    /// <summary>PREFIX.usage_in_bytes, .max_usage_in_bytes, .failcnt and .limit_in_bytes.</summary>
    private static MemoryEntry Entry(string dir, string prefix) => new()
    {
        Usage = CgroupFiles.ReadNumber(dir, $"{prefix}.usage_in_bytes"),
        Max = CgroupFiles.ReadNumber(dir, $"{prefix}.max_usage_in_bytes"),
        Failcnt = CgroupFiles.ReadNumber(dir, $"{prefix}.failcnt"),
        Limit = CgroupFiles.ReadNumber(dir, $"{prefix}.limit_in_bytes"),
    };

    /// <summary>"8:0 Read 4096" lines (and a "Total" line), from bfq's files where present, else the throttling layer's.</summary>
    private static void ReadBlkio(string dir, BlkioStats blkio)
    {
        string prefix = CgroupFiles.Exists(dir, "blkio.bfq.io_service_bytes_recursive") ? "blkio.bfq" : "blkio.throttle";
        blkio.IoServiceBytesRecursive = BlkioEntries(dir, $"{prefix}.io_service_bytes_recursive");
        blkio.IoServicedRecursive = BlkioEntries(dir, $"{prefix}.io_serviced_recursive");
    }

    /// <summary>Null rather than empty: runc's omitempty leaves the field out.</summary>
    private static List<BlkioEntry>? BlkioEntries(string dir, string file)
    {
        var entries = new List<BlkioEntry>();
        foreach (string line in (CgroupFiles.ReadIfExists(dir, file) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3)
                continue;
            string[] device = fields[0].Split(':');
            entries.Add(new BlkioEntry { Major = ulong.Parse(device[0]), Minor = ulong.Parse(device[1]), Op = fields[1], Value = ulong.Parse(fields[2]) });
        }
        return entries.Count > 0 ? entries : null;
    }

    private static void ReadHugetlb(string dir, Dictionary<string, HugetlbStats> hugetlb)
    {
        foreach (string size in HugepageSizes.Available())
        {
            hugetlb[size] = new HugetlbStats
            {
                Usage = CgroupFiles.ReadNumber(dir, $"hugetlb.{size}.usage_in_bytes"),
                Max = CgroupFiles.ReadNumber(dir, $"hugetlb.{size}.max_usage_in_bytes"),
                Failcnt = CgroupFiles.ReadNumber(dir, $"hugetlb.{size}.failcnt"),
            };
        }
    }
}
