using OciRuntime.Cgroups.Systemd;
using OciRuntime.Config;

namespace OciRuntime.Tests.Unit.Cgroups.Systemd;

public class ScopePropertiesTests
{
    private static Dictionary<string, object> For(LinuxResources resources, bool unified) =>
        ScopeProperties.ForResources(resources, unified).ToDictionary(p => p.Name, p => p.Value);

    [Fact]
    public void A_v2_host_gets_memory_cpu_and_pids_properties()
    {
        var properties = For(new LinuxResources
        {
            Memory = new MemoryResources { Limit = 100 << 20, Reservation = 50 << 20, Swap = 300 << 20 },
            Cpu = new CpuResources { Shares = 1024, Quota = 50000, Period = 100000, Cpus = "0-2,9", Mems = "0" },
            Pids = new PidsResources { Limit = 42 },
            Unified = new Dictionary<string, string> { ["memory.high"] = "max", ["io.weight"] = "100" },
        }, unified: true);
        properties.Should().Contain(new Dictionary<string, object>
        {
            ["MemoryMax"] = 100UL << 20, ["MemoryLow"] = 50UL << 20, ["MemorySwapMax"] = 200UL << 20, ["CPUWeight"] = 100UL,
            ["CPUQuotaPeriodUSec"] = 100000UL, ["CPUQuotaPerSecUSec"] = 500000UL, ["TasksMax"] = 42UL, ["MemoryHigh"] = ulong.MaxValue,
        });
        ((byte[])properties["AllowedCPUs"]).Should().Equal(0b0000_0111, 0b0000_0010);
        properties.Should().NotContainKey("MemoryLimit").And.NotContainKey("CPUShares").And.NotContainKey("IOWeight");
    }

    [Fact]
    public void A_v1_host_gets_the_v1_property_names()
    {
        var properties = For(new LinuxResources
        {
            Memory = new MemoryResources { Limit = -1 },
            Cpu = new CpuResources { Shares = 512 },
            BlockIO = new BlockIoResources { Weight = 300 },
            Pids = new PidsResources { Limit = -1 },
        }, unified: false);
        properties.Should().Equal(new Dictionary<string, object>
        {
            ["MemoryLimit"] = ulong.MaxValue, ["CPUShares"] = 512UL, ["BlockIOWeight"] = 300UL, ["TasksMax"] = ulong.MaxValue,
        });
    }

    [Theory]
    [InlineData(12345L, 100000UL, 130000UL)]  // 123450 µs/s rounds up to systemd's 10 ms steps
    [InlineData(-1L, 100000UL, ulong.MaxValue)]
    [InlineData(20000L, 0UL, 200000UL)]  // the kernel's default period when none is given
    public void The_cpu_quota_is_per_second_rounded_up_to_10_ms(long quota, ulong period, ulong expected) =>
        For(new LinuxResources { Cpu = new CpuResources { Quota = quota, Period = period } }, unified: true)["CPUQuotaPerSecUSec"].Should().Be(expected);

    [Fact]
    public void Absent_and_zero_values_set_no_property() =>
        For(new LinuxResources { Memory = new MemoryResources { Limit = 0 }, Cpu = new CpuResources { Shares = 0 }, Pids = new PidsResources { Limit = 0 } }, unified: true)
            .Should().BeEmpty();

    [Fact]
    public void A_new_scope_is_delegated_holds_the_init_and_accounts_its_resources()
    {
        var properties = ScopeProperties.ForStart(SystemdScope.Parse("machine.slice:p:n", "id"), 1234, null, [], unified: true, _ => { })
            .ToDictionary(p => p.Name, p => p.Value);
        properties["Slice"].Should().Be("machine.slice");
        properties["Delegate"].Should().Be(true);
        ((uint[])properties["PIDs"]).Should().Equal(1234u);
        properties.Should().Contain(new Dictionary<string, object>
        {
            ["MemoryAccounting"] = true, ["CPUAccounting"] = true, ["IOAccounting"] = true, ["TasksAccounting"] = true, ["DevicePolicy"] = "strict",
        });
    }
}
