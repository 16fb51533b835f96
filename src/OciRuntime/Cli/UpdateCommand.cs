using System.CommandLine;
using OciRuntime.Lifecycle;
using OciRuntime.Validation;
using OciRuntime.Config;
using OciRuntime.Terminal;

namespace OciRuntime.Cli;

/// <summary>`update`: change a running container's cgroup limits, with runc's flags or a linux.resources document.</summary>
public static class UpdateCommand
{
    private static readonly Option<string?> Resources = new("--resources", "-r") { Description = "a linux.resources JSON document to apply (- reads standard input)" };
    private static readonly Option<ushort?> BlkioWeight = new("--blkio-weight") { Description = "per-cgroup block IO weight, 10 to 1000" };
    private static readonly Option<ulong?> CpuPeriod = new("--cpu-period") { Description = "CPU CFS period in microseconds" };
    private static readonly Option<long?> CpuQuota = new("--cpu-quota") { Description = "CPU CFS quota in microseconds per period (-1: none)" };
    private static readonly Option<ulong?> CpuBurst = new("--cpu-burst") { Description = "CPU CFS burst in microseconds: unused quota a period may add to the next" };
    private static readonly Option<ulong?> CpuShare = new("--cpu-share", "--cpu-shares") { Description = "CPU shares (relative weight)" };
    private static readonly Option<ulong?> CpuRtPeriod = new("--cpu-rt-period") { Description = "CPU realtime period in microseconds" };
    private static readonly Option<long?> CpuRtRuntime = new("--cpu-rt-runtime") { Description = "CPU realtime runtime in microseconds per period" };
    private static readonly Option<string?> CpusetCpus = new("--cpuset-cpus") { Description = "CPUs to use, e.g. 0-2,7" };
    private static readonly Option<string?> CpusetMems = new("--cpuset-mems") { Description = "memory nodes to use, e.g. 0" };
    private static readonly Option<long?> CpuIdle = new("--cpu-idle") { Description = "1: SCHED_IDLE for the cgroup, 0: default" };
    private static readonly Option<string?> Memory = new("--memory") { Description = "memory limit, e.g. 512m (-1: none)" };
    private static readonly Option<string?> MemoryReservation = new("--memory-reservation") { Description = "memory soft limit" };
    private static readonly Option<string?> MemorySwap = new("--memory-swap") { Description = "memory+swap limit (-1: unlimited swap)" };
    private static readonly Option<string?> KernelMemory = new("--kernel-memory") { Description = "kernel memory limit (obsolete)" };
    private static readonly Option<string?> KernelMemoryTcp = new("--kernel-memory-tcp") { Description = "kernel TCP buffer limit (obsolete)" };
    private static readonly Option<long?> PidsLimit = new("--pids-limit") { Description = "maximum number of tasks (-1: none)" };
    private static readonly Option<string?> L3CacheSchema = new("--l3-cache-schema") { Description = "Intel RDT L3 schema (not supported)" };
    private static readonly Option<string?> MemBwSchema = new("--mem-bw-schema") { Description = "Intel RDT memory bandwidth schema (not supported)" };

    public static Command Build()
    {
        var command = new Command("update", "update a container's resource limits");
        foreach (var option in new Option[]
                 {
                     Resources, BlkioWeight, CpuPeriod, CpuQuota, CpuBurst, CpuShare, CpuRtPeriod, CpuRtRuntime, CpusetCpus, CpusetMems, CpuIdle,
                     Memory, MemoryReservation, MemorySwap, KernelMemory, KernelMemoryTcp, PidsLimit, L3CacheSchema, MemBwSchema,
                 })
            command.Add(option);
        var id = ContainerIdArgument.Create();
        command.Add(id);
        command.SetAction(ctx =>
        {
            var container = Container.Load(ctx.Store, ctx.Parse.GetValue(id)!);
            container.Update(Changes(ctx.Parse), ctx.Log.Warn);
            return 0;
        });
        return command;
    }

    /// <summary>The --resources document (if any) with the individual flags applied on top of it (`update` checks the result).</summary>
    private static LinuxResources Changes(ParseResult parse)
    {
        if (parse.GetValue(L3CacheSchema) is not null || parse.GetValue(MemBwSchema) is not null)
            throw new RuntimeError("--l3-cache-schema/--mem-bw-schema: Intel RDT is not supported yet by ociruntime");
        var r = parse.GetValue(Resources) is { } source ? ReadDocument(source) : new LinuxResources();
        CpuResources Cpu() => r.Cpu ??= new CpuResources();
        MemoryResources Mem() => r.Memory ??= new MemoryResources();
        if (parse.GetValue(BlkioWeight) is { } weight)
            (r.BlockIO ??= new BlockIoResources()).Weight = weight;
        if (parse.GetValue(CpuPeriod) is { } period)
            Cpu().Period = period;
        if (parse.GetValue(CpuQuota) is { } quota)
            Cpu().Quota = quota;
        if (parse.GetValue(CpuBurst) is { } burst)
            Cpu().Burst = burst;
        if (parse.GetValue(CpuShare) is { } shares)
            Cpu().Shares = shares;
        if (parse.GetValue(CpuRtPeriod) is { } rtPeriod)
            Cpu().RealtimePeriod = rtPeriod;
        if (parse.GetValue(CpuRtRuntime) is { } rtRuntime)
            Cpu().RealtimeRuntime = rtRuntime;
        if (parse.GetValue(CpusetCpus) is { } cpus)
            Cpu().Cpus = cpus;
        if (parse.GetValue(CpusetMems) is { } mems)
            Cpu().Mems = mems;
        if (parse.GetValue(CpuIdle) is { } idle)
            Cpu().Idle = idle;
        if (Size(parse, Memory) is { } limit)
            Mem().Limit = limit;
        if (Size(parse, MemoryReservation) is { } reservation)
            Mem().Reservation = reservation;
        if (Size(parse, MemorySwap) is { } swap)
            Mem().Swap = swap;
        if (Size(parse, KernelMemory) is { } kernel)
            Mem().Kernel = kernel;
        if (Size(parse, KernelMemoryTcp) is { } kernelTcp)
            Mem().KernelTCP = kernelTcp;
        if (parse.GetValue(PidsLimit) is { } pids)
            r.Pids = new PidsResources { Limit = pids };
        return r;
    }

    private static long? Size(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { } text ? MemorySize.Parse(text, option.Name) : null;

    private static LinuxResources ReadDocument(string source)
    {
        // Bytes, not text: the reader must see invalid UTF-8 to name it.
        return ConfigLoader.LoadResources(source == "-" ? Stdio.ReadAllInput() : File.ReadAllBytes(source), "--resources");
    }
}
