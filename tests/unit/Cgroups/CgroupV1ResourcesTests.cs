using OciRuntime;
using OciRuntime.Cgroups.V1;
using OciRuntime.Cgroups.V2;
using OciRuntime.Config;

namespace OciRuntime.Tests.Unit.Cgroups;

/// <summary>linux.resources → cgroup v1 files, one plain directory per controller (each file holds the last value written).</summary>
public sealed class CgroupV1ResourcesTests : IDisposable
{
    private readonly FakeCgroupDirectory memory = new(
        "memory.limit_in_bytes", "memory.soft_limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.kmem.tcp.limit_in_bytes",
        "memory.swappiness", "memory.oom_control", "memory.use_hierarchy", "memory.usage_in_bytes");
    private readonly FakeCgroupDirectory cpu = new("cpu.shares", "cpu.cfs_period_us", "cpu.cfs_quota_us", "cpu.cfs_burst_us", "cpu.idle", "cpu.rt_period_us", "cpu.rt_runtime_us");
    private readonly FakeCgroupDirectory cpuset = new("cpuset.cpus", "cpuset.mems");
    private readonly FakeCgroupDirectory pids = new("pids.max");
    private readonly FakeCgroupDirectory blkio = new("blkio.bfq.weight", "blkio.bfq.weight_device", "blkio.throttle.write_iops_device");
    private readonly FakeCgroupDirectory netCls = new("net_cls.classid");
    private readonly FakeCgroupDirectory netPrio = new("net_prio.ifpriomap");
    private readonly FakeCgroupDirectory unified = new("hugetlb.2MB.max", "cgroup.max.descendants");
    private readonly List<string> warnings = [];

    public void Dispose()
    {
        foreach (var dir in new[] { memory, cpu, cpuset, pids, blkio, netCls, netPrio, unified })
            dir.Dispose();
    }

    private CgroupV1Resources Resources(bool hybrid = true) => new(
        new Dictionary<string, string>
        {
            ["memory"] = memory.Path, ["cpu"] = cpu.Path, ["cpuset"] = cpuset.Path, ["pids"] = pids.Path, ["blkio"] = blkio.Path,
            ["net_cls"] = netCls.Path, ["net_prio"] = netPrio.Path,
        },
        hybrid ? new CgroupV2Resources(unified.Path, warnings.Add) : null,
        warnings.Add);

    [Fact]
    public void Every_v1_field_lands_in_its_file()
    {
        Resources().Apply(new LinuxResources
        {
            Memory = new MemoryResources
            {
                Limit = 100 << 20, Reservation = 50 << 20, Swap = 200 << 20, KernelTCP = 1 << 20, Swappiness = 30,
                DisableOOMKiller = true, UseHierarchy = true,
            },
            Cpu = new CpuResources { Shares = 512, Quota = 50000, Period = 100000, Burst = 1000, Idle = 1, RealtimeRuntime = 1000, RealtimePeriod = 1000000, Cpus = "0", Mems = "0" },
            Pids = new PidsResources { Limit = -1 },
            BlockIO = new BlockIoResources
            {
                Weight = 300,
                WeightDevice = [new WeightDevice { Major = 254, Minor = 0, Weight = 400 }],
                ThrottleWriteIOPSDevice = [new ThrottleDevice { Major = 254, Minor = 0, Rate = 100 }],
            },
            HugepageLimits = [new HugepageLimit { PageSize = "2MB", Limit = 2 << 20 }],
            Network = new NetworkResources { ClassID = 0x100001, Priorities = [new NetworkPriority { Name = "lo", Priority = 5 }] },
            Unified = new Dictionary<string, string> { ["cgroup.max.descendants"] = "7" },
        });

        memory["memory.limit_in_bytes"].Should().Be((100 << 20).ToString());
        memory["memory.soft_limit_in_bytes"].Should().Be((50 << 20).ToString());
        memory["memory.memsw.limit_in_bytes"].Should().Be((200 << 20).ToString());
        memory["memory.kmem.tcp.limit_in_bytes"].Should().Be((1 << 20).ToString());
        memory["memory.swappiness"].Should().Be("30");
        memory["memory.oom_control"].Should().Be("1");
        memory["memory.use_hierarchy"].Should().Be("1");
        cpu["cpu.shares"].Should().Be("512");
        cpu["cpu.cfs_quota_us"].Should().Be("50000");
        cpu["cpu.cfs_period_us"].Should().Be("100000");
        cpu["cpu.cfs_burst_us"].Should().Be("1000");
        cpu["cpu.idle"].Should().Be("1");
        cpu["cpu.rt_runtime_us"].Should().Be("1000");
        cpu["cpu.rt_period_us"].Should().Be("1000000");
        cpuset["cpuset.cpus"].Should().Be("0");
        pids["pids.max"].Should().Be("max");
        blkio["blkio.bfq.weight"].Should().Be("300");
        blkio["blkio.bfq.weight_device"].Should().Be("254:0 400");
        blkio["blkio.throttle.write_iops_device"].Should().Be("254:0 100");
        unified["hugetlb.2MB.max"].Should().Be((2 << 20).ToString());
        netCls["net_cls.classid"].Should().Be("1048577");
        netPrio["net_prio.ifpriomap"].Should().Be("lo 5");
        unified["cgroup.max.descendants"].Should().Be("7");
    }

    [Fact]
    public void Kernel_memory_without_a_kernel_file_is_ignored_with_a_warning()
    {
        Resources().Apply(new LinuxResources { Memory = new MemoryResources { Kernel = 1 << 20 } });
        warnings.Should().ContainSingle().Which.Should().Contain("memory.kmem.limit_in_bytes");
    }

    [Fact]
    public void Unlimited_memory_also_unlimits_swap()
    {
        Resources().Apply(new LinuxResources { Memory = new MemoryResources { Limit = -1 } });
        memory["memory.limit_in_bytes"].Should().Be("-1");
        memory["memory.memsw.limit_in_bytes"].Should().Be("-1");
    }

    [Fact]
    public void Cfq_weight_files_are_used_where_the_kernel_has_them()
    {
        blkio["blkio.weight"] = "";
        blkio["blkio.weight_device"] = "";
        Resources().Apply(new LinuxResources { BlockIO = new BlockIoResources { Weight = 700, WeightDevice = [new WeightDevice { Major = 8, Minor = 0, Weight = 20 }] } });
        blkio["blkio.weight"].Should().Be("700");
        blkio["blkio.weight_device"].Should().Be("8:0 20");
    }

    [Fact]
    public void A_field_of_an_unmounted_controller_names_the_field_and_the_controller() =>
        FluentActions.Invoking(() => Resources().Apply(new LinuxResources { Rdma = new Dictionary<string, RdmaResources> { ["mlx4_0"] = new() { HcaObjects = 1 } } }))
            .Should().Throw<RuntimeError>().WithMessage("linux.resources.rdma: the cgroup v1 \"rdma\" controller is not mounted*");

    [Fact]
    public void Unified_keys_need_a_v2_hierarchy() =>
        FluentActions.Invoking(() => Resources(hybrid: false).Apply(new LinuxResources { Unified = new Dictionary<string, string> { ["memory.high"] = "1" } }))
            .Should().Throw<RuntimeError>().WithMessage("*no cgroup v2 hierarchy*");

    [Fact]
    public void A_unified_key_of_a_v1_controller_on_a_hybrid_host_is_refused_before_anything_is_written()
    {
        var before = pids["pids.max"];

        FluentActions.Invoking(() => Resources().Apply(new LinuxResources
            {
                Pids = new PidsResources { Limit = 10 },
                Unified = new Dictionary<string, string> { ["memory.min"] = "0" },
            }))
            .Should().Throw<RuntimeError>().WithMessage("linux.resources.unified: \"memory.min\" cannot be set on this hybrid host: its \"memory\" controller is in a cgroup v1 hierarchy*");
        pids["pids.max"].Should().Be(before, "the refusal comes before any field is written");
    }
}
