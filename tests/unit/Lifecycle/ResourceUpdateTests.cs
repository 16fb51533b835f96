using OciRuntime.Lifecycle;
using OciRuntime.Config;

namespace OciRuntime.Tests.Unit.Lifecycle;

/// <summary>What `update` keeps in the container's config: old fields stay, given ones are replaced.</summary>
public sealed class ResourceUpdateTests
{
    [Fact]
    public void Given_fields_replace_the_old_ones_and_the_rest_stays()
    {
        var current = new LinuxResources
        {
            Memory = new MemoryResources { Limit = 100, Swap = 200 },
            Cpu = new CpuResources { Shares = 512, Cpus = "0" },
            Devices = [new DeviceCgroupRule { Allow = false, Access = "rwm" }],
        };
        var changes = new LinuxResources { Memory = new MemoryResources { Limit = 150 }, Pids = new PidsResources { Limit = 10 } };

        var merged = ResourceUpdate.Overlay(current, changes);

        merged.Memory!.Limit.Should().Be(150);
        merged.Memory.Swap.Should().Be(200);
        merged.Cpu!.Shares.Should().Be(512);
        merged.Pids!.Limit.Should().Be(10);
        merged.Devices.Should().ContainSingle();
    }

    [Fact]
    public void A_container_without_resources_gets_the_update_as_is() =>
        ResourceUpdate.Overlay(null, new LinuxResources { Pids = new PidsResources { Limit = 5 } }).Pids!.Limit.Should().Be(5);
}
