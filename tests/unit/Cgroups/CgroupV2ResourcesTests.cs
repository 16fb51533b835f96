using OciRuntime;
using OciRuntime.Cgroups.V2;
using OciRuntime.Config;
using OciRuntime.Kernel;

namespace OciRuntime.Tests.Unit.Cgroups;

/// <summary>linux.resources → cgroup v2 files, on a directory of plain files (each file holds the last value written).</summary>
public sealed class CgroupV2ResourcesTests : IDisposable
{
    private readonly FakeCgroupDirectory cgroup = new(
        "cpu.weight", "cpu.max", "cpu.max.burst", "cpu.idle", "cpuset.cpus", "cpuset.mems", "memory.max", "memory.low",
        "memory.swap.max", "memory.current", "pids.max", "io.weight", "io.max", "hugetlb.2MB.max", "hugetlb.2MB.rsvd.max",
        "rdma.max", "memory.high", "cgroup.controllers");

    private readonly List<string> warnings = [];

    public void Dispose() => cgroup.Dispose();

    private void Apply(LinuxResources resources) => new CgroupV2Resources(cgroup.Path, warnings.Add).Apply(resources);

    [Fact]
    public void Every_v2_field_lands_in_its_file()
    {
        Apply(new LinuxResources
        {
            Cpu = new CpuResources { Shares = 1024, Quota = 50000, Period = 100000, Burst = 1000, Idle = 0, Cpus = "0-1", Mems = "0" },
            Memory = new MemoryResources { Limit = 100 << 20, Reservation = 50 << 20, Swap = 300 << 20 },
            Pids = new PidsResources { Limit = 42 },
            BlockIO = new BlockIoResources { Weight = 500, ThrottleReadBpsDevice = [new ThrottleDevice { Major = 254, Minor = 0, Rate = 1048576 }] },
            HugepageLimits = [new HugepageLimit { PageSize = "2MB", Limit = 4 << 20 }],
            Rdma = new Dictionary<string, RdmaResources> { ["mlx5_1"] = new() { HcaHandles = 3 } },
            Unified = new Dictionary<string, string> { ["memory.high"] = "90000000" },
        });

        cgroup["cpu.weight"].Should().Be("100");
        cgroup["cpu.max"].Should().Be("50000 100000");
        cgroup["cpu.max.burst"].Should().Be("1000");
        cgroup["cpu.idle"].Should().Be("0");
        cgroup["cpuset.cpus"].Should().Be("0-1");
        cgroup["cpuset.mems"].Should().Be("0");
        cgroup["memory.max"].Should().Be((100 << 20).ToString());
        cgroup["memory.low"].Should().Be((50 << 20).ToString());
        cgroup["memory.swap.max"].Should().Be((200 << 20).ToString());
        cgroup["pids.max"].Should().Be("42");
        cgroup["io.weight"].Should().Be("4950");
        cgroup["io.max"].Should().Be("254:0 rbps=1048576");
        cgroup["hugetlb.2MB.max"].Should().Be((4 << 20).ToString());
        cgroup["hugetlb.2MB.rsvd.max"].Should().Be((4 << 20).ToString());
        cgroup["rdma.max"].Should().Be("mlx5_1 hca_handle=3");
        cgroup["memory.high"].Should().Be("90000000");
        warnings.Should().BeEmpty();
    }

    [Fact]
    public void Unlimited_memory_means_max_for_memory_and_swap()
    {
        Apply(new LinuxResources { Memory = new MemoryResources { Limit = -1 } });

        cgroup["memory.max"].Should().Be("max");
        cgroup["memory.swap.max"].Should().Be("max");
    }

    [Fact]
    public void A_period_alone_keeps_the_quota_in_force_and_a_negative_quota_is_max()
    {
        cgroup["cpu.max"] = "20000 100000\n";
        Apply(new LinuxResources { Cpu = new CpuResources { Period = 50000 } });
        cgroup["cpu.max"].Should().Be("20000 50000");

        Apply(new LinuxResources { Cpu = new CpuResources { Quota = -1 } });
        cgroup["cpu.max"].Should().Be("max");
    }

    [Fact]
    public void A_swap_change_alone_is_computed_against_the_limit_in_force()
    {
        cgroup["memory.max"] = "104857600\n";
        Apply(new LinuxResources { Memory = new MemoryResources { Swap = 150 << 20 } });
        cgroup["memory.swap.max"].Should().Be((50 << 20).ToString());
    }

    [Fact]
    public void Without_swap_accounting_unlimited_swap_is_not_an_error()
    {
        File.Delete(Path.Combine(cgroup.Path, "memory.swap.max"));
        Apply(new LinuxResources { Memory = new MemoryResources { Limit = 1 << 20, Swap = -1 } });
        cgroup["memory.max"].Should().Be((1 << 20).ToString());
    }

    [Fact]
    public void Bfq_takes_blkio_weights_as_they_are()
    {
        cgroup["io.bfq.weight"] = "";
        Apply(new LinuxResources { BlockIO = new BlockIoResources { Weight = 300, WeightDevice = [new WeightDevice { Major = 8, Minor = 0, Weight = 400 }] } });
        cgroup["io.bfq.weight"].Should().Be("8:0 400");
    }

    [Fact]
    public void Check_before_update_refuses_a_limit_below_the_usage()
    {
        cgroup["memory.current"] = "5000000\n";
        FluentActions.Invoking(() => Apply(new LinuxResources { Memory = new MemoryResources { Limit = 1000000, CheckBeforeUpdate = true } }))
            .Should().Throw<RuntimeError>().WithMessage("*below the current usage 5000000*");
        cgroup["memory.max"].Should().BeEmpty();
    }

    [Fact]
    public void V1_only_fields_fail_where_ignoring_them_would_loosen_limits_and_warn_otherwise()
    {
        FluentActions.Invoking(() => Apply(new LinuxResources { Network = new NetworkResources { ClassID = 7 } }))
            .Should().Throw<RuntimeError>().WithMessage("*network*cgroup v1*");
        FluentActions.Invoking(() => Apply(new LinuxResources { Cpu = new CpuResources { RealtimeRuntime = 1000 } }))
            .Should().Throw<RuntimeError>().WithMessage("*realtime*");

        Apply(new LinuxResources { Memory = new MemoryResources { Kernel = 1 << 20, Swappiness = 10, DisableOOMKiller = true, UseHierarchy = false } });
        warnings.Should().HaveCount(4).And.Contain(w => w.Contains("kernel"));
    }

    [Fact]
    public void A_missing_file_fails_with_the_file_the_value_and_the_errno()
    {
        var error = FluentActions.Invoking(() => Apply(new LinuxResources { HugepageLimits = [new HugepageLimit { PageSize = "64KB", Limit = 1 }] }))
            .Should().Throw<RuntimeError>().Which;
        error.Message.Should().Contain($"write \"1\" to \"{cgroup.Path}/hugetlb.64KB.max\": ENOENT");
    }

    [Fact]
    public void Unified_keys_of_a_missing_controller_say_so_and_bad_names_never_reach_the_filesystem()
    {
        cgroup["cgroup.controllers"] = "memory pids\n";
        FluentActions.Invoking(() => Apply(new LinuxResources { Unified = new Dictionary<string, string> { ["misc.max"] = "x 1" } }))
            .Should().Throw<RuntimeError>().WithMessage("*controller \"misc\" is not available*");
        FluentActions.Invoking(() => Apply(new LinuxResources { Unified = new Dictionary<string, string> { ["../escape"] = "1" } }))
            .Should().Throw<RuntimeError>().WithMessage("*not a cgroup v2 interface file name*");
        File.Exists(Path.Combine(Path.GetDirectoryName(cgroup.Path)!, "escape")).Should().BeFalse();
    }
}
