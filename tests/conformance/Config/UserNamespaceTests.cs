namespace OciRuntime.Tests.Conformance.Config;

/// <summary>config-linux.md "User namespace mappings": container root is an unprivileged host id.</summary>
public sealed class UserNamespaceTests(ITestOutputHelper output) : ConformanceTest(output)
{
    private const int HostId = 100000;
    private const int Size = 65536;

    [RootFact]
    public void User_namespace_maps_container_root_to_the_configured_host_ids()
    {
        Config.SetNamespace("user");
        Config.Linux()["uidMappings"] = Mapping();
        Config.Linux()["gidMappings"] = Mapping();
        Config.SetShellScript("id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map");
        var container = CreateContainer();

        var hostView = HostProcess.Status(container.State().Pid);
        hostView["Uid"].Split('\t')[0].Should().Be(HostId.ToString(), "the host sees the mapped uid");
        hostView["Gid"].Split('\t')[0].Should().Be(HostId.ToString(), "the host sees the mapped gid");

        container.Start().ShouldSucceed();
        container.WaitForStatus("stopped");
        var lines = container.Output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        lines.Should().Equal("0", "0", $"0 {HostId} {Size}", $"0 {HostId} {Size}");
    }

    private static JsonArray Mapping() =>
        [new JsonObject { ["containerID"] = 0, ["hostID"] = HostId, ["size"] = Size }];
}
