using OciRuntime.Config;
using OciRuntime.Kernel;
using OciRuntime.Launch;


namespace OciRuntime.Tests.Unit.Launch;

public class RootlessTests
{
    [Fact]
    public void Only_a_single_mapping_of_the_own_id_can_be_written_without_a_helper()
    {
        Rootless.MapsOnlyOwnId(null, 1000).Should().BeTrue();
        Rootless.MapsOnlyOwnId([new IdMapping { ContainerID = 0, HostID = 1000, Size = 1 }], 1000).Should().BeTrue();
        Rootless.MapsOnlyOwnId([new IdMapping { ContainerID = 0, HostID = 1001, Size = 1 }], 1000).Should().BeFalse();
        Rootless.MapsOnlyOwnId([new IdMapping { ContainerID = 0, HostID = 1000, Size = 2 }], 1000).Should().BeFalse();
        Rootless.MapsOnlyOwnId([new IdMapping { ContainerID = 0, HostID = 1000, Size = 1 }, new IdMapping { ContainerID = 1, HostID = 100000, Size = 10 }], 1000)
            .Should().BeFalse();
    }

    [Fact]
    public void The_rootless_spec_maps_root_to_the_caller_and_keeps_namespaced_mounts()
    {
        var config = DefaultSpec.Create(rootless: true, hostUid: 1234, hostGid: 4321);

        config.Linux!.UidMappings.Should().ContainSingle().Which.HostID.Should().Be(1234);
        config.Linux.GidMappings.Should().ContainSingle().Which.HostID.Should().Be(4321);
        config.Linux.Namespaces!.Select(n => n.Type).Should().Contain("user").And.NotContain("network");
        config.Linux.Resources.Should().BeNull();
        config.Mounts!.Single(m => m.Destination == "/dev/mqueue").Type.Should().Be("mqueue", "its ipc namespace belongs to the user namespace");
        config.Mounts!.Single(m => m.Destination == "/sys").Options.Should().Contain("rbind").And.Contain("ro");
    }
}
